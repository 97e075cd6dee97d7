"""The public home page and a signed-in page against the bare view, on the production stack.

Phases (each alone, 8 users, warm-up then measurement):
  bare       /healthz      the cheapest view: middleware + routing, the ceiling
  home       /en/          anonymous home page, served from the public page cache
  logged_in  /en/account/  member "lena"'s account page (session, user, template)

Targets: home >= 0.5 x bare requests/s, logged_in >= 0.1 x bare, p95 <= 50 ms for both.
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
    save_results,
)


def run() -> bool:
    with Server("home") as server:
        cookie = server.login("lena")
        # The signed-in page must really be lena's, and the home page must be cacheable.
        status, _headers, body = server.get("/en/account/", headers={"Cookie": cookie})
        if status != 200 or b"Lena K." not in body:
            raise RuntimeError(f"signed-in page not served (status {status})")
        server.get("/en/")
        status, headers, _body = server.get("/en/")
        log(f"/en/ Cache-Control: {headers.get('Cache-Control')}")
        results = run_load(
            server,
            [
                Phase("bare", "/healthz", expect_text="ok"),
                Phase("home", "/en/", expect_text="</html>"),
                Phase(
                    "logged_in",
                    "/en/account/",
                    headers={"Cookie": cookie},
                    expect_text="Lena K.",
                ),
            ],
        )
    print_results(results)
    bare, home, logged_in = results["bare"], results["home"], results["logged_in"]
    failures = sum(r.failures for r in results.values())
    targets = [
        Target("home / bare req/s", home.rps / bare.rps if bare.rps else 0, ">=", 0.5),
        Target("logged-in / bare req/s", logged_in.rps / bare.rps if bare.rps else 0, ">=", 0.1),
        Target("home p95", home.p95_ms, "<=", 50, " ms"),
        Target("logged-in p95", logged_in.p95_ms, "<=", 50, " ms"),
        Target("failed requests", failures, "<=", 0),
    ]
    met = check_targets(targets)
    log(f"results saved to {save_results('home', results, targets)}")
    return met
