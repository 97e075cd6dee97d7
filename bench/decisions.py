"""Decisions: secret ballots cast over HTTP on PostgreSQL, and counting 10,000 ballots.

Casting runs on the production stack with PostgreSQL on 127.0.0.1:5432 (user postgres,
trust authentication; override with BENCH_PG_URL, a URL without the database name): a
throw-away database solidar_bench_decisions is made, seeded (the demo data, then
bench/_decisions_seed.py: 2,000 members of Köln past the cooling-off period and one open
yes/no secret vote over them) and dropped afterwards. Without PostgreSQL the casting phase
says so and counts as missed (its target is about PostgreSQL); counting still runs.

Casting: 8 voters sign in through the real login form, the other 1,992 come with signed-in
sessions made by the seed. Every voter first opens the vote's page (GET, for the ballot
form's CSRF token: a person reads the page before voting; these GETs are timed but not
the target), then POSTs the ballot (answer yes, no or abstain) to
/en/decisions/votes/<pk>/cast/, which must answer 200 with a receipt. Two phases:

  paced     the first BENCH_DECISIONS_PACED (1,200) voters at BENCH_DECISIONS_RATE (100)
            ballots a second, open loop (each ballot sent at its scheduled time by one of
            32 threads, its latency counted from that time, so a server falling behind
            shows as latency, not as a lower rate)
  flat out  the other voters as fast as the server answers, from 8 threads (closed loop):
            the most ballots a second the two workers take

Then the seed script profiles one more ballot in-process (cProfile, SQL) and closes the
vote as the periodic job does at its closing time; ballots, participations, the vote's
counter and the count must all equal the number of voters who got a receipt.

Counting: bench/_decisions_count.py: Schulze (10 options) and STV (40 candidates, 9 seats)
over 10,000 ballots each, ours and the reference library's in the same run.

Targets (issue 8): casting p95 <= 50 ms at 100 ballots/s, >= 100 ballots/s flat out, no
failed ballot, every receipt counted; Schulze <= 1 s and STV <= 1 s.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
import urllib.parse

from _harness import (
    PG_URL,
    ROOT,
    Server,
    Target,
    _cookie_header,
    _set_cookies,
    _table,
    check_targets,
    drop_database,
    log,
    pg_version,
    recreate_database,
    run_seed,
    save_results,
)

SEED = "_decisions_seed.py"
DATABASE = "solidar_bench_decisions"
RATE = float(os.environ.get("BENCH_DECISIONS_RATE", "100"))
PACED = int(os.environ.get("BENCH_DECISIONS_PACED", "1200"))
WORKERS = int(os.environ.get("BENCH_DECISIONS_WORKERS", "2"))
PACED_THREADS = 32
FLAT_THREADS = 8
PAGE_THREADS = 8
P95_MS = 50
MIN_RATE = 100
SESSION_COOKIE = "__Host-session"
ANSWERS = ("yes", "no", "abstain")
RECEIPT = re.compile(rb"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- PostgreSQL -----------------------------------------------------------------------------
def postgresql_version() -> str:
    """The server's version, or "" (said in the log) when there is none to run against."""
    try:
        return pg_version()
    except Exception as error:  # noqa: BLE001 - whatever it is, say it
        log(
            f"PostgreSQL is NOT reachable at {PG_URL} ({error}): the casting phase needs it "
            "(its target is on PostgreSQL) and counts as MISSED"
        )
        return ""


# --- voters ---------------------------------------------------------------------------------
class Voter:
    def __init__(self, index: int, username: str, cookies: dict[str, str]):
        self.index = index
        self.username = username
        self.cookies = cookies
        self.token = ""

    @property
    def answer(self) -> str:
        return ANSWERS[self.index % len(ANSWERS)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


def in_threads(n: int, items: list, work) -> float:
    """``work(item)`` for every item from n threads; the wall time in seconds."""
    todo = list(reversed(items))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not todo:
                    return
                item = todo.pop()
            work(item)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def open_pages(server: Server, path: str, voters: list[Voter]) -> dict:
    """GET the vote's page for every voter: the ballot form and its CSRF token."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def work(voter: Voter) -> None:
        started = time.perf_counter()
        try:
            status, headers, body = server.get(
                path, headers={"Cookie": _cookie_header(voter.cookies)}
            )
        except OSError as error:
            with lock:
                failures.append(f"{voter.username}: {error}")
            return
        elapsed = (time.perf_counter() - started) * 1000
        match = CSRF_FIELD.search(body)
        if status != 200 or not match or b'name="answer"' not in body:
            with lock:
                failures.append(f"{voter.username}: status {status}, no ballot form")
            return
        voter.cookies.update(_set_cookies(headers))
        voter.token = match[1].decode()
        with lock:
            latencies.append(elapsed)

    seconds = in_threads(PAGE_THREADS, voters, work)
    return {
        "pages": len(latencies),
        "failures": failures,
        "per_second": len(latencies) / seconds if seconds else 0,
        "median_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
    }


def cast_ballots(server: Server, path: str, voters: list[Voter], *, rate: float = 0) -> dict:
    """POST each voter's ballot once. ``rate``: ballots a second, open loop (latency from
    each ballot's scheduled time); 0: closed loop from FLAT_THREADS threads."""
    latencies: list[float] = []
    failures: list[str] = []
    receipts: set[bytes] = set()
    voted: list[str] = []
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def work(voter: Voter) -> None:
        body = urllib.parse.urlencode(
            {"answer": voter.answer, "csrfmiddlewaretoken": voter.token}
        ).encode()
        if rate:
            scheduled = start + (voter.index - voters[0].index) / rate
            time.sleep(max(0.0, scheduled - time.perf_counter()))
        else:
            scheduled = time.perf_counter()
        try:
            status, _headers, answer = server.request(
                "POST",
                path,
                headers={
                    "Cookie": _cookie_header(voter.cookies),
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                body=body,
            )
        except OSError as error:
            with lock:
                failures.append(f"{voter.username}: {type(error).__name__}: {error}")
            return
        elapsed = (time.perf_counter() - scheduled) * 1000
        match = RECEIPT.search(answer) if status == 200 else None
        with lock:
            if match:
                latencies.append(elapsed)
                receipts.add(match[0])
                voted.append(voter.username)
            else:
                failures.append(f"{voter.username}: status {status}: {answer[:160]!r}")

    seconds = in_threads(PACED_THREADS if rate else FLAT_THREADS, voters, work)
    if rate:
        seconds -= 0.2  # the head start before the first scheduled ballot
    return {
        "ballots": len(latencies),
        "distinct_receipts": len(receipts),
        "voted": voted,
        "failures": failures,
        "seconds": seconds,
        "per_second": len(latencies) / seconds if seconds else 0,
        "median_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies, default=0),
    }


def casting(server: Server) -> dict:
    output, seconds = run_seed(server, SEED)
    log(f"seed: {output} in {seconds:.1f} s")
    data = json.loads((server.data_dir / "bench-decisions.json").read_text(encoding="utf-8"))
    voters: list[Voter] = []
    started = time.monotonic()
    for username in data["form_logins"]:
        cookie = server.login(username)
        voters.append(Voter(len(voters), username, dict([cookie.split("=", 1)])))
    log(
        f"{len(voters)} voters signed in through the login form in "
        f"{time.monotonic() - started:.1f} s; {len(data['sessions'])} with seeded sessions"
    )
    for username, key in data["sessions"]:
        voters.append(Voter(len(voters), username, {SESSION_COOKIE: key}))
    page = f"/en/decisions/votes/{data['vote']}/"
    pages = open_pages(server, page, voters)
    log(
        f"vote page: {pages['pages']} opened, {pages['per_second']:.0f}/s, "
        f"p95 {pages['p95_ms']:.0f} ms, {len(pages['failures'])} failed"
    )
    if pages["failures"]:
        raise RuntimeError(f"the vote page failed: {pages['failures'][:3]}\n{server.log_tail()}")
    paced_voters, flat_voters = voters[:PACED], voters[PACED:]
    log(f"paced: {len(paced_voters)} ballots at {RATE:g}/s from {PACED_THREADS} threads")
    paced = cast_ballots(server, f"{page}cast/", paced_voters, rate=RATE)
    log(f"flat out: {len(flat_voters)} ballots from {FLAT_THREADS} threads")
    flat = cast_ballots(server, f"{page}cast/", flat_voters)
    if paced["failures"] or flat["failures"]:
        log(f"ballots failed; the end of the server's log:\n{server.log_tail()}")
    # Once more the same voter: refused, not counted twice.
    again = voters[0]
    status, _headers, answer = server.request(
        "POST",
        f"{page}cast/",
        headers={
            "Cookie": _cookie_header(again.cookies),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urllib.parse.urlencode({"answer": "yes", "csrfmiddlewaretoken": again.token}).encode(),
    )
    repeat_refused = status == 400 and b"already voted" in answer
    profile, _seconds = run_seed(server, SEED, "profile")
    outcome = json.loads(run_seed(server, SEED, "check")[0])
    return {
        "electorate": data["electorate"],
        "pages": pages,
        "paced": paced,
        "flat": flat,
        "repeat_refused": repeat_refused,
        "profile": profile,
        "outcome": outcome,
    }


def _print_casting(cast: dict) -> None:
    rows = [("phase", "ballots", "ballots/s", "median", "p95", "p99", "max", "failed")]
    pages = cast["pages"]
    rows.append(
        (
            "vote page (GET)",
            str(pages["pages"]),
            f"{pages['per_second']:.0f}",
            f"{pages['median_ms']:.0f} ms",
            f"{pages['p95_ms']:.0f} ms",
            "",
            "",
            str(len(pages["failures"])),
        )
    )
    for name, key in ((f"cast, paced {RATE:g}/s", "paced"), ("cast, flat out", "flat")):
        r = cast[key]
        rows.append(
            (
                name,
                str(r["ballots"]),
                f"{r['per_second']:.0f}",
                f"{r['median_ms']:.1f} ms",
                f"{r['p95_ms']:.1f} ms",
                f"{r['p99_ms']:.1f} ms",
                f"{r['max_ms']:.0f} ms",
                str(len(r["failures"])),
            )
        )
    _table(rows)
    for key in ("paced", "flat"):
        for failure in cast[key]["failures"][:3]:
            print(f"  ! {key}: {failure}")
    o = cast["outcome"]
    print(
        f"  after the close: {o['ballots']} ballots, {o['participations']} participations, "
        f"counter {o['ballot_count']}, counted {o['result_ballots']} ({o['totals']}) of "
        f"{o['electorate']} electors (one ballot cast by the profile); counting took "
        f"{o['count_seconds'] * 1000:.0f} ms, closing {o['close_seconds'] * 1000:.0f} ms "
        f"(queuing {o['tasks_queued_by_close']} tasks); "
        f"recount {'agrees' if o['recount'] else 'DISAGREES'}"
    )


def _print_counting(counted: dict) -> None:
    rows = [("count", "ours", "reference", "reference / ours", "same winners")]
    for name, label in (
        ("schulze", f"Schulze, {counted['schulze_options']} options"),
        ("stv", f"STV, {counted['stv_candidates']} candidates, {counted['stv_seats']} seats"),
    ):
        rows.append(
            (
                f"{label}, {counted['ballots']:,} ballots",
                f"{counted[f'{name}_s'] * 1000:.0f} ms",
                f"{counted[f'{name}_ref_s'] * 1000:.0f} ms",
                f"{counted[f'{name}_ratio']:g} x",
                "yes" if counted[f"{name}_agree"] else "no",
            )
        )
    _table(rows)


def run() -> bool:
    targets: list[Target] = []
    extra: dict = {}
    version = postgresql_version()
    if version:
        log(f"PostgreSQL {version} at {PG_URL}")
        recreate_database(DATABASE)
        try:
            with Server(
                "decisions",
                workers=WORKERS,
                extra_env={"DATABASE_URL": f"{PG_URL}/{DATABASE}", "SOLIDAR_RATE_LIMITS": "0"},
            ) as server:
                cast = casting(server)
        finally:
            drop_database(DATABASE)
        print(cast["profile"])
        _print_casting(cast)
        paced, flat, outcome = cast["paced"], cast["flat"], cast["outcome"]
        receipts = set(paced["voted"]) | set(flat["voted"])
        accepted = paced["ballots"] + flat["ballots"] + outcome["profiled"]
        targets += [
            Target(f"cast p95 at {RATE:g}/s", paced["p95_ms"], "<=", P95_MS, " ms"),
            Target("ballots/s flat out", flat["per_second"], ">=", MIN_RATE),
            Target("failed ballots", len(paced["failures"]) + len(flat["failures"]), "<=", 0),
            Target("second ballot refused", int(cast["repeat_refused"]), ">=", 1),
            Target(
                "voters with a receipt != voted",
                len(receipts ^ set(outcome["voted"])),
                "<=",
                0,
            ),
            Target(
                "ballots != receipts given",
                max(
                    abs(n - accepted)
                    for n in (
                        outcome["ballots"],
                        outcome["participations"],
                        outcome["ballot_count"],
                        outcome["result_ballots"],
                        sum(outcome["totals"].values()),
                    )
                ),
                "<=",
                0,
            ),
        ]
        extra["casting"] = {
            key: {k: v for k, v in value.items() if k != "voted"}
            for key, value in cast.items()
            if key in ("pages", "paced", "flat")
        }
        extra["casting"]["outcome"] = {k: v for k, v in outcome.items() if k != "voted"}
    else:
        targets.append(Target("casting on PostgreSQL (not reachable)", 0, ">=", 1))
    sys.path.insert(0, str(ROOT))  # the counting module, without Django
    import _decisions_count

    log("counting: Schulze and STV over 10,000 ballots, ours and the reference's")
    counted = _decisions_count.count_phase()
    _print_counting(counted)
    extra["counting"] = counted
    targets += [
        Target("Schulze, 10 options, 10,000 ballots", counted["schulze_s"], "<=", 1, " s"),
        Target("STV, 40 candidates, 9 seats, 10,000", counted["stv_s"], "<=", 1, " s"),
    ]
    met = check_targets(targets)
    log(f"results saved to {save_results('decisions', {}, targets, extra)}")
    return met
