"""The member dashboard and a 5,000-member list against the bare view, on the production stack.

Data: the demo data plus bench/_network_seed.py: 200 cells, one of them ("bench-big") with
5,000 members, a fifth of whom share a contact handle there, and 20 pending applications.
The demo member "lena" is in the big cell and in three others.

Phases (each alone, 8 users, warm-up then measurement):
  bare       /healthz                         the cheapest view: the ceiling
  dashboard  /en/dashboard/                   lena's dashboard (cells, groups, applications)
  members    /en/network/bench-big/members/   the big cell's member list, as lena
  map        /en/network/map.svg              the map of the 200 public cells (no target)

Targets: dashboard and members p95 <= 50 ms, no failed requests.
"""

from __future__ import annotations

from _harness import (
    Phase,
    Server,
    Target,
    check_targets,
    log,
    print_results,
    run_load,
    run_seed,
    save_results,
)

BIG = "bench-big"


def seed(server: Server) -> None:
    output, seconds = run_seed(server, "_network_seed.py")
    log(f"{output} in {seconds:.1f} s")


def run() -> bool:
    with Server("network") as server:
        seed(server)
        cookie = server.login("lena")
        headers = {"Cookie": cookie}
        members_path = f"/en/network/{BIG}/members/"
        # Each page must really be what we mean to measure, not a login page or a 404.
        for path, text in (("/en/dashboard/", "Big cell"), (members_path, "Member 00000")):
            status, _headers, body = server.get(path, headers=headers)
            if status != 200 or text.encode() not in body:
                raise RuntimeError(f"{path}: status {status}, {text!r} missing")
            log(f"{path}: {len(body):,} bytes")
        status, _headers, body = server.get("/en/network/map.svg")
        log(f"/en/network/map.svg: status {status}, {len(body):,} bytes")
        results = run_load(
            server,
            [
                Phase("bare", "/healthz", expect_text="ok"),
                Phase("dashboard", "/en/dashboard/", headers=headers, expect_text="Big cell"),
                Phase("members", members_path, headers=headers, expect_text="Member 0"),
                Phase("map", "/en/network/map.svg", expect_text="</svg>"),
            ],
        )
    print_results(results)
    bare, dashboard, members = results["bare"], results["dashboard"], results["members"]
    failures = sum(r.failures for r in results.values())
    targets = [
        Target("dashboard p95", dashboard.p95_ms, "<=", 50, " ms"),
        Target("members p95", members.p95_ms, "<=", 50, " ms"),
        Target("failed requests", failures, "<=", 0),
    ]
    if bare.rps:  # no target: the ratios show the cost against the ceiling, whatever the load
        log(
            f"req/s against bare: dashboard {dashboard.rps / bare.rps:.3f}, "
            f"members {members.rps / bare.rps:.3f}, map {results['map'].rps / bare.rps:.3f}"
        )
    met = check_targets(targets)
    log(f"results saved to {save_results('network', results, targets)}")
    return met
