"""The newsletter engine: 50,000 recipients in four languages to an SMTP sink on loopback,
against a plain smtplib loop to the same sink, and the web pages while it sends.

Data: the demo data plus bench/_newsletter_seed.py: four lists (de, en, ru, uk), 50,000
confirmed subscribers on example.org (sealed through the model), two mailings of about
4 KB of Markdown per language. The sink is aiosmtpd in its own process
(bench/_smtp_sink.py), at the engine's niceness, counting messages per recipient.

Phases, one after the other:
  baseline   the four language versions rendered once, one reader's e-mail built as bytes
             per language; then, timed, one smtplib connection, one sendmail per reader
  engine     the first mailing scheduled, `manage.py send_newsletters --until-done` timed
             from start to exit (start-up and the recipient snapshot included); the sink
             must hold exactly one message per reader, in the reader's language
  web        /en/ (anonymous, page cache) and /en/account/ (lena, signed in), 8 users
  web+send   the same pages while the engine sends the second mailing (measured once the
             first message is out; the engine is stopped after the last phase)

Targets (issue 6): engine >= 0.6 x the baseline's messages/s and >= 300 messages/s; web p95
during the send <= 1.2 x without it; every reader exactly one message; no failed request.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from _harness import (
    BENCH_DIR,
    ROOT,
    Phase,
    Server,
    Target,
    _process_group,
    _table,
    check_targets,
    free_port,
    log,
    print_results,
    project_python,
    run_load,
    run_seed,
    save_results,
)

SEED = "_newsletter_seed.py"
# The engine lowers its CPU priority by this much (send_newsletters --nice, its default),
# so the web server comes first; the sink and the baseline sender get the same.
ENGINE_NICE = 10
# Parallel SMTP connections of the engine; empty: the setting's default.
CONNECTIONS = os.environ.get("BENCH_NEWSLETTER_CONNECTIONS", "")
SEND_LIMIT = float(os.environ.get("BENCH_NEWSLETTER_SEND_LIMIT", "420"))  # seconds
STALL = 60  # seconds without a message at the sink: the engine is stuck
TARGET_RATIO, TARGET_RATE, TARGET_P95_FACTOR = 0.6, 300, 1.2


# --- the sink --------------------------------------------------------------------------------
@dataclass
class Sink:
    port: int
    control: Path
    proc: subprocess.Popen

    def ask(self, command: str) -> dict:
        with socket.socket(socket.AF_UNIX) as conn:
            conn.settimeout(60)
            conn.connect(str(self.control))
            conn.sendall(command.encode() + b"\n")
            answer = conn.makefile("rb").readline()
        if not answer:
            raise RuntimeError(f"the SMTP sink did not answer {command!r}")
        return json.loads(answer)


@contextlib.contextmanager
def smtp_sink(folder: Path):
    port, control = free_port(), folder / "sink.sock"
    cmd = [project_python(), str(BENCH_DIR / "_smtp_sink.py"), str(port), str(control)]
    with _process_group(
        [*cmd, "--nice", str(ENGINE_NICE)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as proc:
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the SMTP sink did not start (exit {proc.poll()})")
        log(f"SMTP sink (aiosmtpd) on 127.0.0.1:{port}, pid {proc.pid}, nice {ENGINE_NICE}")
        yield Sink(port, control, proc)


# --- the senders -----------------------------------------------------------------------------
def seed_command(server: Server, *args: str, timeout: float = 600) -> str:
    """A command of the seed script (``baseline``, ``schedule``, ``progress``): its output."""
    return run_seed(server, SEED, *args, timeout=timeout)[0]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def engine_command(server: Server, sink: Sink) -> tuple[list[str], dict[str, str]]:
    env = {
        **server.env,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_USE_SSL": "0",
    }
    cmd = [project_python(), str(ROOT / "manage.py"), "send_newsletters", "--until-done"]
    cmd += ["--nice", str(ENGINE_NICE)]  # the engine lowers its own priority
    if CONNECTIONS:
        cmd += ["--connections", CONNECTIONS]
    return cmd, env


def send_baseline(server: Server, sink: Sink) -> dict:
    sink_before = sink.ask("reset")
    started_cpu, load0 = children_cpu(), os.getloadavg()[0]
    result = json.loads(
        seed_command(server, "baseline", str(sink.port), str(ENGINE_NICE), timeout=SEND_LIMIT)
    )
    got = sink.ask("reset")
    return {
        **result,
        "rate": result["messages"] / result["seconds"],
        "sender_cpu": children_cpu() - started_cpu,
        "sink_cpu": got["cpu"] - sink_before["cpu"],
        "sink": got,
        "load": max(load0, os.getloadavg()[0]),
    }


def wait_sending(proc: subprocess.Popen, sink: Sink, started: float) -> int | None:
    """The engine's exit status; None when it was still sending after SEND_LIMIT seconds
    or the sink got nothing for STALL seconds (the caller's block then stops it)."""
    count, progressed = 0, time.monotonic()
    while True:
        with contextlib.suppress(subprocess.TimeoutExpired):
            return proc.wait(timeout=1)
        now, messages = time.monotonic(), sink.ask("stats")["messages"]
        if messages > count:
            count, progressed = messages, now
        if now - started > SEND_LIMIT or now - progressed > STALL:
            log(f"the engine stalled or ran out of time ({count:,} messages): stopped")
            return None


def send_engine(server: Server, sink: Sink, mailing: str, folder: Path) -> dict:
    seed_command(server, "schedule", mailing)
    sink_before = sink.ask("reset")
    cmd, env = engine_command(server, sink)
    started_cpu, load0 = children_cpu(), os.getloadavg()[0]
    started = time.monotonic()
    with (
        (folder / "engine.log").open("wb") as out,
        _process_group(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT) as proc,
    ):
        code = wait_sending(proc, sink, started)
    seconds = time.monotonic() - started
    got = sink.ask(f"dump {folder / 'received.json'}")
    if code not in (0, None):
        tail = (folder / "engine.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"send_newsletters exited {code}:\n{tail}")
    received = json.loads((folder / "received.json").read_text(encoding="utf-8"))
    sink.ask("reset")
    return {
        "finished": code == 0,
        "seconds": seconds,
        "messages": got["messages"],
        "rate": got["messages"] / seconds,
        "sender_cpu": children_cpu() - started_cpu,
        "sink_cpu": got["cpu"] - sink_before["cpu"],
        "sink": got,
        "received": received,
        "load": max(load0, os.getloadavg()[0]),
        "progress": json.loads(seed_command(server, "progress", mailing)),
    }


def exactly_once(received: dict[str, list], data: dict) -> dict:
    """Every reader one message, in their language; nobody else."""
    expected = {
        data["address_format"].format(i): data["languages"][i % len(data["languages"])]
        for i in range(data["recipients"])
    }
    return {
        "missing": sum(1 for rcpt in expected if rcpt not in received),
        "unexpected": sum(1 for rcpt in received if rcpt not in expected),
        "repeated": sum(1 for count, _lang in received.values() if count > 1),
        "wrong_language": sum(
            1 for rcpt, (_count, lang) in received.items() if expected.get(rcpt, lang) != lang
        ),
    }


# --- the web pages ---------------------------------------------------------------------------
def web_phases(cookie: str, suffix: str = "") -> list[Phase]:
    return [
        Phase(f"home{suffix}", "/en/", expect_text="</html>"),
        Phase(
            f"logged_in{suffix}", "/en/account/", headers={"Cookie": cookie}, expect_text="Lena K."
        ),
    ]


def web_during_send(server: Server, sink: Sink, mailing: str, cookie: str, folder: Path):
    """The web phases while the engine sends ``mailing``; the engine is stopped after."""
    seed_command(server, "schedule", mailing)
    sink.ask("reset")
    cmd, env = engine_command(server, sink)
    with (
        (folder / "engine-under-load.log").open("wb") as out,
        _process_group(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT) as proc,
    ):
        deadline = time.monotonic() + 120
        while sink.ask("stats")["messages"] == 0:  # snapshot taken, sending under way
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (folder / "engine-under-load.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the engine did not start sending:\n{tail}")
            time.sleep(0.2)
        before, started = sink.ask("stats"), time.monotonic()
        results = run_load(server, web_phases(cookie, "+send"))
        after, ended = sink.ask("stats"), time.monotonic()
        still_sending = proc.poll() is None and after["last"] > ended - 2
        # Leaving the block stops the engine (SIGTERM, then SIGKILL after 15 s).
    sent = after["messages"] - before["messages"]
    return results, {
        "messages": sent,
        "seconds": ended - started,
        "rate": sent / (ended - started),
        "covered": still_sending,
        "repeated": after["repeated"],
        "sink_cpu": after["cpu"] - before["cpu"],
    }


# --- the benchmark ---------------------------------------------------------------------------
def run() -> bool:
    with Server("newsletter") as server, smtp_sink(server.data_dir) as sink:
        folder = server.data_dir
        output, seconds = run_seed(server, SEED)
        log(f"seed: {output} in {seconds:.1f} s")
        data = json.loads((folder / "bench-newsletter.json").read_text(encoding="utf-8"))
        measured, under_load = data["mailings"]
        log(f"Markdown per language (bytes): {data['markdown_bytes']}")

        log(f"baseline: {data['recipients']:,} pre-rendered messages, one smtplib connection")
        baseline = send_baseline(server, sink)
        log(f"baseline: {baseline['rate']:.0f} messages/s; bytes {baseline['message_bytes']}")

        log(f"engine: send_newsletters --until-done, {data['recipients']:,} recipients")
        engine = send_engine(server, sink, measured, folder)
        check = exactly_once(engine.pop("received"), data)
        log(f"engine: {engine['rate']:.0f} messages/s; {engine['progress']}; {check}")

        cookie = server.login("lena")
        status, _headers, body = server.get("/en/account/", headers={"Cookie": cookie})
        if status != 200 or b"Lena K." not in body:
            raise RuntimeError(f"signed-in page not served (status {status})")
        results = run_load(server, web_phases(cookie))
        during, sending = web_during_send(server, sink, under_load, cookie, folder)
        results.update(during)

    print_send(baseline, engine, sending)
    print_results(results)
    ratio = engine["rate"] / baseline["rate"] if baseline["rate"] else 0
    failures = sum(r.failures for r in results.values())
    targets = [
        Target("engine / baseline messages/s", ratio, ">=", TARGET_RATIO),
        Target("engine messages/s", engine["rate"], ">=", TARGET_RATE),
        Target("engine finished in time", int(engine["finished"]), ">=", 1),
        *(
            Target(
                f"{page} p95 sending / not",
                results[f"{page}+send"].p95_ms / max(results[page].p95_ms, 1),
                "<=",
                TARGET_P95_FACTOR,
            )
            for page in ("home", "logged_in")
        ),
        Target("send lasted the web phases", int(sending["covered"]), ">=", 1),
        Target("readers without their message", check["missing"], "<=", 0),
        Target("readers with two or more", check["repeated"], "<=", 0),
        Target("messages in a wrong language", check["wrong_language"], "<=", 0),
        Target("messages to nobody expected", check["unexpected"], "<=", 0),
        Target("messages without List-Unsubscribe", engine["sink"]["without_unsubscribe"], "<=", 0),
        Target("second mailing twice to one reader", sending["repeated"], "<=", 0),
        Target("failed requests", failures, "<=", 0),
    ]
    met = check_targets(targets)
    extra = {"baseline": baseline, "engine": engine, "exactly_once": check, "under_load": sending}
    log(f"results saved to {save_results('newsletter', results, targets, extra)}")
    return met


def print_send(baseline: dict, engine: dict, sending: dict) -> None:
    def cpu(seconds: float, wall: float) -> str:
        return f"{100 * seconds / wall:.0f}%" if wall else "-"

    rows = [("send", "", "messages", "seconds", "msg/s", "sender", "sink", "load")]
    rows.append(
        (
            "baseline",
            "smtplib, 1 connection",
            f"{baseline['messages']:,}",
            f"{baseline['seconds']:.1f}",
            f"{baseline['rate']:.0f}",
            cpu(baseline["sender_cpu"], baseline["seconds"]),
            cpu(baseline["sink_cpu"], baseline["seconds"]),
            f"{baseline['load']:.1f}",
        )
    )
    rows.append(
        (
            "engine",
            "send_newsletters --until-done",
            f"{engine['messages']:,}",
            f"{engine['seconds']:.1f}",
            f"{engine['rate']:.0f} ({engine['rate'] / baseline['rate']:.2f} x)",
            cpu(engine["sender_cpu"], engine["seconds"]),
            cpu(engine["sink_cpu"], engine["seconds"]),
            f"{engine['load']:.1f}",
        )
    )
    rows.append(
        (
            "engine+web",
            "during the web+send phases",
            f"{sending['messages']:,}",
            f"{sending['seconds']:.1f}",
            f"{sending['rate']:.0f}",
            "",
            cpu(sending["sink_cpu"], sending["seconds"]),
            "",
        )
    )
    _table(rows)
    print(
        "  sender/sink: CPU used by the sending process / by the aiosmtpd sink (100% = one "
        "core);\n  the engine's seconds run from the command's start to its exit (start-up "
        "and the snapshot included)"
    )
