"""Run the benchmarks: `make bench` runs all, `make bench B=home` (or B="home network") some.

A benchmark is a module bench/<name>.py, or a package bench/<name>/, with `run() -> bool`
that returns True when every target is met. Names starting with "_" are plumbing.
Exit status: 0 all targets met, 1 a target missed or a benchmark failed, 2 unknown name.
"""

from __future__ import annotations

import importlib.util
import signal
import sys
import time
import traceback
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def discover() -> dict[str, Path]:
    found = {}
    for path in sorted(BENCH_DIR.iterdir()):
        name = path.stem if path.suffix == ".py" else path.name
        if name.startswith(("_", ".")) or name == "run":
            continue
        if path.suffix == ".py" and path.is_file():
            found[name] = path
        elif path.is_dir() and (path / "__init__.py").exists():
            found[name] = path / "__init__.py"
    return found


def load(name: str, path: Path):
    locations = [str(path.parent)] if path.name == "__init__.py" else None
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", path, submodule_search_locations=locations
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    if not callable(getattr(module, "run", None)):
        raise TypeError(f"bench/{path.relative_to(BENCH_DIR)} has no run() function")
    return module


def _terminate(signum, frame):
    # SIGTERM ends the run like Ctrl-C does, so every server is stopped on the way out.
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(BENCH_DIR))  # benchmarks import _harness
    available = discover()
    wanted = [n for arg in argv for n in arg.replace(",", " ").split()] or list(available)
    unknown = [n for n in wanted if n not in available]
    if unknown:
        print(
            f"no such benchmark: {', '.join(unknown)} (available: {', '.join(available)})",
            file=sys.stderr,
        )
        return 2
    signal.signal(signal.SIGTERM, _terminate)
    summary = []
    for name in wanted:
        print(f"\n=== {name} ===", flush=True)
        started = time.monotonic()
        try:
            outcome = "ok" if load(name, available[name]).run() else "MISSED"
        except KeyboardInterrupt:
            print("\ninterrupted", file=sys.stderr)
            return 130
        except Exception:
            traceback.print_exc()
            outcome = "ERROR"
        summary.append((name, outcome, time.monotonic() - started))
    print("\n=== summary ===")
    for name, outcome, seconds in summary:
        print(f"  {name:<16} {outcome:<7} {seconds:6.0f} s")
    return 0 if all(outcome == "ok" for _n, outcome, _s in summary) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
