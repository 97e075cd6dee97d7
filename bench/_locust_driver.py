"""Run load phases with Locust's Python API; executed by bench/.venv/bin/python only.

Usage: _locust_driver.py SPEC.json RESULT.json

SPEC: {"host": "http://127.0.0.1:8123", "users": 8, "spawn_rate": 8, "warmup": 5,
       "duration": 20, "server_pids": [..],
       "phases": [{"name": "bare", "path": "/healthz", "headers": {}, "expect_status": 200,
                   "expect_text": "ok"}, ...]}

Each phase starts its own users, lets them run for `warmup` seconds, resets the statistics,
measures for `duration` seconds and stops them, so phases never overlap. The result file
holds one entry per phase: requests/s, median/p95/p99, failures, and the CPU the load
generator and the server processes used while measuring (to see Locust's own overhead).
"""

from __future__ import annotations

import json
import os
import sys
import time

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the given processes (Linux /proc); gone processes count 0."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


def _user_class(host: str, phase: dict) -> type[FastHttpUser]:
    path = phase["path"]
    name = phase["name"]
    headers = phase.get("headers") or {}
    expect_status = phase.get("expect_status", 200)
    expect_text = (phase.get("expect_text") or "").encode()

    class PhaseUser(FastHttpUser):
        # A closed loop: each user sends its next request as soon as the last one is answered.
        wait_time = constant(0)
        connection_timeout = 10.0
        network_timeout = 10.0

        @task
        def hit(self):
            with self.client.get(
                path, headers=headers, name=name, catch_response=True, allow_redirects=False
            ) as response:
                if response.status_code != expect_status:
                    response.failure(f"status {response.status_code}, expected {expect_status}")
                elif expect_text and expect_text not in (response.content or b""):
                    response.failure(f"body lacks {expect_text!r}")

    PhaseUser.host = host
    return PhaseUser


def run_phase(spec: dict, phase: dict) -> dict:
    users = spec["users"]
    env = Environment(user_classes=[_user_class(spec["host"], phase)], events=events)
    runner = env.create_local_runner()
    try:
        runner.start(users, spawn_rate=spec["spawn_rate"])
        gevent.sleep(spec["warmup"] + users / spec["spawn_rate"])
        env.stats.reset_all()
        client0, server0 = time.process_time(), _cpu_seconds(spec["server_pids"])
        t0 = time.monotonic()
        gevent.sleep(spec["duration"])
        elapsed = time.monotonic() - t0
        client_cpu = time.process_time() - client0
        server_cpu = _cpu_seconds(spec["server_pids"]) - server0
        total = env.stats.total
        result = {
            "name": phase["name"],
            "path": phase["path"],
            "users": users,
            "seconds": round(elapsed, 2),
            "requests": total.num_requests,
            "failures": total.num_failures,
            "rps": total.num_requests / elapsed if elapsed else 0.0,
            "median_ms": total.get_response_time_percentile(0.5),
            "p95_ms": total.get_response_time_percentile(0.95),
            "p99_ms": total.get_response_time_percentile(0.99),
            "avg_ms": total.avg_response_time,
            "max_ms": total.max_response_time,
            "client_cpu_pct": 100 * client_cpu / elapsed,
            "server_cpu_pct": 100 * server_cpu / elapsed,
            "load": os.getloadavg()[0],
            "errors": [
                {"error": str(e.error), "occurrences": e.occurrences}
                for e in list(env.stats.errors.values())[:5]
            ],
        }
    finally:
        runner.quit()
    return result


def main() -> int:
    spec_path, result_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    results = []
    for phase in spec["phases"]:
        print(f"  phase {phase['name']}: {phase['path']}", file=sys.stderr, flush=True)
        results.append(run_phase(spec, phase))
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
