"""Start the whole platform: gunicorn (web), the task worker, the scheduler and the
newsletter sender.

`make run` calls this. Ctrl-C (or SIGTERM) stops all four; if one dies, the others
are stopped too, so nothing runs half-way. The newsletter sender is its own process (at
a lower CPU priority) so that a big send never delays login e-mails, which the task
worker sends, nor web pages.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", "2"))
    args = parser.parse_args()

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "solidar.settings"),
    )
    env.setdefault("SOLIDAR_SITE_URL", f"http://localhost:{args.port}")
    env["SOLIDAR_BIND"] = f"{args.host}:{args.port}"
    env["WEB_CONCURRENCY"] = str(args.workers)
    python = sys.executable
    commands = {
        "web": [
            python,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "solidar" / "gunicorn_conf.py"),
            "solidar.wsgi:application",
        ],
        "worker": [
            python,
            str(ROOT / "manage.py"),
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "1",
        ],
        "scheduler": [python, str(ROOT / "manage.py"), "run_scheduler"],
        "newsletter": [python, str(ROOT / "manage.py"), "send_newsletters"],
    }
    processes = {
        name: subprocess.Popen(cmd, cwd=ROOT, env=env)  # noqa: S603
        for name, cmd in commands.items()
    }
    url = (
        f"http://localhost:{args.port}/"
        if args.host in {"127.0.0.1", "0.0.0.0"}  # noqa: S104 - only choosing what to print
        else f"http://{args.host}:{args.port}/"
    )
    print(
        f"\nSolidar is running at {url}  (Ctrl-C stops the web server, workers and scheduler)\n",
        flush=True,
    )

    stopping = False

    def stop(signum=None, frame=None):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    try:
        while not stopping:
            for name, proc in processes.items():
                code = proc.poll()
                if code is not None:
                    print(f"{name} stopped (exit {code}); stopping the others", file=sys.stderr)
                    exit_code = code or 1
                    stopping = True
                    break
            time.sleep(0.3)
    finally:
        for proc in processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
    return exit_code


if __name__ == "__main__":
    raise SystemExit(main())
