"""The public site from the anonymous page cache: a post and the post index against the
bare view, on the production stack.

Data: the demo data plus bench/_publishing_seed.py (30 posts under the English post index
and the measured post ``bench-measured`` with three topics and a German translation, all
through Wagtail's revisions and publishing).

Phases (each alone, 8 users, warm-up then measurement):
  bare   /healthz                      the cheapest view: the ceiling
  post   /en/posts/bench-measured/     an anonymous post page (cached)
  index  /en/posts/                    the anonymous post index (cached)

Targets: post >= 0.5 x bare requests/s and p95 <= 30 ms (issue 4), index p95 <= 50 ms (as
the home page), no failed requests.
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


def seed(server: Server) -> tuple[str, str]:
    output, seconds = run_seed(server, "_publishing_seed.py")
    post_path, index_path = output.splitlines()[-1].split()
    log(f"seeded posts in {seconds:.1f} s: {post_path} under {index_path}")
    return post_path, index_path


def run() -> bool:
    with Server("publishing") as server:
        post_path, index_path = seed(server)
        # Each page must really be what we mean to measure, and cacheable.
        for path, text in ((post_path, "Letters across borders"), (index_path, "Bench post")):
            server.get(path)
            status, headers, body = server.get(path)
            if status != 200 or text.encode() not in body:
                raise RuntimeError(f"{path}: status {status}, {text!r} missing")
            log(f"{path}: {len(body):,} bytes, Cache-Control: {headers.get('Cache-Control')}")
        results = run_load(
            server,
            [
                Phase("bare", "/healthz", expect_text="ok"),
                Phase("post", post_path, expect_text="Letters across borders"),
                Phase("index", index_path, expect_text="Bench post"),
            ],
        )
    print_results(results)
    bare, post, index = results["bare"], results["post"], results["index"]
    failures = sum(r.failures for r in results.values())
    targets = [
        Target("post / bare req/s", post.rps / bare.rps if bare.rps else 0, ">=", 0.5),
        Target("post p95", post.p95_ms, "<=", 30, " ms"),
        # The target is the post page's; the index gets the home page's bound.
        Target("index p95", index.p95_ms, "<=", 50, " ms"),
        Target("failed requests", failures, "<=", 0),
    ]
    if bare.rps:
        log(f"req/s against bare: index {index.rps / bare.rps:.3f}")
    met = check_targets(targets)
    log(f"results saved to {save_results('publishing', results, targets)}")
    return met
