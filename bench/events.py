"""An event page and the organisers' participant list against the bare view (on the
embedded SQLite database, as one machine runs the platform), and registrations under
concurrency on PostgreSQL.

The pages run on the production stack with SQLite (anonymous page cache on, as in
production). The race needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust
authentication; override with BENCH_PG_URL, a URL without the database name): it makes a
throw-away database solidar_bench_events, seeds it the same way and drops it afterwards.
Without PostgreSQL it says why and exits 2.

Data: the demo data plus a public forum of Köln with 2,000 registrations (1,400 members and
600 guests, Latin and Cyrillic names, answers to the four standard questions; 1,900
registered, 100 waiting), a programme of 12 sessions, 50 other events, and a race event
with 200 places and 400 signed-in members who have not registered.

Phases (each alone, 8 users, warm-up then measurement):
  bare          /healthz                                     the ceiling
  page          /en/events/<forum>/                          anonymous (from the page cache)
  page_member   /en/events/<forum>/                          lena, signed in (on the waiting list)
  participants  /en/events/<forum>/participants/             olga (coordinator, TOTP): page 1
  search        /en/events/<forum>/participants/?q=Петров    the same, about 200 found

Then the race: 8 threads POST the registration form for the 400 members (each a distinct
signed-in session) as fast as the server answers; registrations/s is printed, and the race
event must end with exactly 200 registered and 200 waiting.

Targets: p95 <= 50 ms for the four page phases, no failed requests, no failed
registration, and no place oversold.
"""

from __future__ import annotations

import json
import secrets
import string
import subprocess
import threading
import time
import urllib.parse

from _harness import (
    BENCH_DIR,
    PG_URL,
    ROOT,
    SESSION_COOKIE,
    Phase,
    Server,
    Target,
    check_targets,
    drop_database,
    log,
    login_with_totp,
    pg_version,
    print_results,
    project_python,
    recreate_database,
    run_load,
    run_seed,
    save_results,
)

DATABASE = "solidar_bench_events"
P95_MS = 50
RACE_THREADS = 8
ORGANISER = "olga"
# Production names its cookies with the __Host- prefix (settings.py).
CSRF_COOKIE = "__Host-csrf"


# --- PostgreSQL -----------------------------------------------------------------------------
def _check_postgresql() -> None:
    """Exit 2, saying why, when there is no PostgreSQL to run against."""
    try:
        version = pg_version()
    except Exception as error:  # noqa: BLE001 - whatever it is, say it and stop
        log(f"PostgreSQL is not reachable at {PG_URL} ({error}); the events benchmark needs it")
        raise SystemExit(2) from None
    log(f"PostgreSQL {version} at {PG_URL}")


# --- the registration race ------------------------------------------------------------------
def race(server: Server, slug: str, sessions: list[str]) -> dict:
    """POST the registration form once per session from RACE_THREADS threads."""
    path = f"/en/events/{slug}/register/"
    # Django's double-submit check: the CSRF cookie's secret, sent again in the form.
    secret = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": secret}).encode()
    todo = list(sessions)
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []

    def worker() -> None:
        while True:
            with lock:
                if not todo:
                    return
                key = todo.pop()
            started = time.monotonic()
            try:
                status, headers, answer = server.request(
                    "POST",
                    path,
                    headers={
                        "Cookie": f"{SESSION_COOKIE}={key}; {CSRF_COOKIE}={secret}",
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                    body=body,
                )
            except OSError as error:
                with lock:
                    failures.append(f"{type(error).__name__}: {error}")
                continue
            elapsed = time.monotonic() - started
            with lock:
                if status == 302 and headers.get("Location", "").endswith(f"/events/{slug}/"):
                    latencies.append(elapsed)
                else:
                    failures.append(f"status {status}: {answer[:200]!r}")

    threads = [threading.Thread(target=worker) for _ in range(RACE_THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    latencies.sort()

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0
        )

    return {
        "registrations": len(latencies),
        "failures": failures,
        "seconds": wall,
        "per_second": len(latencies) / wall if wall else 0,
        "median_ms": pct(0.5),
        "p95_ms": pct(0.95),
    }


def race_outcome(server: Server) -> dict:
    proc = subprocess.run(
        [project_python(), str(BENCH_DIR / "_events_seed.py"), "check"],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"checking the race failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


# --- the benchmark --------------------------------------------------------------------------
def _expect(server: Server, path: str, headers: dict, present: list[str], absent: list[str]):
    status, _headers, body = server.get(path, headers=headers)
    text = body.decode("utf-8", errors="replace")
    missing = [t for t in present if t not in text]
    extra = [t for t in absent if t in text]
    if status != 200 or missing or extra:
        raise RuntimeError(f"{path}: status {status}, missing {missing}, unexpected {extra}")
    log(f"{path}: {len(body):,} bytes")


def run() -> bool:
    _check_postgresql()
    # The pages on the embedded SQLite database, as one machine runs the platform
    # (`make run`); the registration race on PostgreSQL, where many app servers would
    # register people at once.
    with Server("events") as server:
        output, seconds = run_seed(server, "_events_seed.py")
        log(f"SQLite: {output} in {seconds:.1f} s")
        data = json.loads((server.data_dir / "bench-events.json").read_text(encoding="utf-8"))
        title, search = data["forum_title"], data["search"]
        page = f"/en/events/{data['forum']}/"
        roster = f"{page}participants/"
        found = f"{roster}?q={urllib.parse.quote(search)}"
        member = {"Cookie": server.login("lena")}
        organiser = {"Cookie": login_with_totp(server, ORGANISER)}
        # Each page must really be what we mean to measure, not a login page or a 404.
        _expect(server, page, {}, [title], ["Sign out"])
        _expect(server, page, member, [title, "Sign out"], [])
        _expect(server, roster, organiser, [title, "Sign out"], [])
        _expect(server, found, organiser, [search], [])
        results = run_load(
            server,
            [
                Phase("bare", "/healthz", expect_text="ok"),
                Phase("page", page, expect_text=title),
                Phase("page_member", page, headers=member, expect_text="Sign out"),
                Phase("participants", roster, headers=organiser, expect_text=title),
                Phase("search", found, headers=organiser, expect_text=search),
            ],
        )
    recreate_database(DATABASE)
    try:
        with Server("events", extra_env={"DATABASE_URL": f"{PG_URL}/{DATABASE}"}) as server:
            output, seconds = run_seed(server, "_events_seed.py")
            log(f"PostgreSQL: {output} in {seconds:.1f} s")
            data = json.loads((server.data_dir / "bench-events.json").read_text(encoding="utf-8"))
            log(f"race: {len(data['sessions'])} members register for {data['race_places']} places")
            registered = race(server, data["race"], data["sessions"])
            outcome = race_outcome(server)
    finally:
        drop_database(DATABASE)
    print_results(results)
    print(
        f"  registrations: {registered['registrations']} in {registered['seconds']:.1f} s = "
        f"{registered['per_second']:.0f}/s from {RACE_THREADS} threads (median "
        f"{registered['median_ms']:.0f} ms, p95 {registered['p95_ms']:.0f} ms); race event: "
        f"{outcome['statuses']['registered']} registered, "
        f"{outcome['statuses']['waiting']} waiting, {outcome['capacity']} places"
    )
    for failure in registered["failures"][:5]:
        print(f"  ! registration: {failure}")
    failures = sum(r.failures for r in results.values())
    places = data["race_places"]
    targets = [
        *(
            Target(f"{name} p95", results[name].p95_ms, "<=", P95_MS, " ms")
            for name in ("page", "page_member", "participants", "search")
        ),
        Target("failed requests", failures, "<=", 0),
        Target("failed registrations", len(registered["failures"]), "<=", 0),
        Target("registered in the race", outcome["statuses"]["registered"], "<=", places),
        Target("places left empty", places - outcome["statuses"]["registered"], "<=", 0),
        Target(
            "the rest waiting",
            len(data["sessions"]) - places - outcome["statuses"]["waiting"],
            "<=",
            0,
        ),
        Target("counter = rows", abs(outcome["registered_count"] - places), "<=", 0),
    ]
    bare = results["bare"]
    if bare.rps:
        ratios = ", ".join(
            f"{n} {results[n].rps / bare.rps:.3f}"
            for n in ("page", "page_member", "participants", "search")
        )
        log(f"req/s against bare: {ratios}; registrations/s {registered['per_second']:.1f}")
    met = check_targets(targets)
    log(f"results saved to {save_results('events', results, targets)}")
    return met
