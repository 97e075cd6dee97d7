"""The public site's search over 100,000 posts on PostgreSQL, against the bare view.

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication; override with
BENCH_PG_URL, a URL without the database name). Makes a throw-away database
solidar_bench_search, runs the production stack on it, seeds 100,000 posts in four
languages with their search entries (bench/_search_seed.py), and drops the database
afterwards. Without PostgreSQL it says why and exits 2.

The anonymous page cache is off for this server (SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS=0):
every request runs the search; with the cache on, repeating one URL would measure the cache.

Phases (each alone, 8 users, warm-up then measurement):
  bare     /healthz                                   the cheapest view: the ceiling
  common   /en/search/?q=prisoners                    in nearly every English post
  rare     /en/search/?q=strasbourg                   in about 80 English posts
  two      /en/search/?q=solidarity+concert           two words, about 4,600 English posts
  all      /en/search/?q=forum&all=1                  every language: common in en and de

Targets: p95 <= 100 ms for each search phase, no failed requests.
"""

from __future__ import annotations

from _harness import (
    PG_URL,
    Phase,
    Server,
    Target,
    check_targets,
    drop_database,
    log,
    pg_version,
    print_results,
    recreate_database,
    run_load,
    run_seed,
    save_results,
)

DATABASE = "solidar_bench_search"
P95_MS = 100

PHASES = [
    ("common", "/en/search/?q=prisoners"),
    ("rare", "/en/search/?q=strasbourg"),
    ("two", "/en/search/?q=solidarity+concert"),
    ("all", "/en/search/?q=forum&all=1"),
]


def _check_postgresql() -> None:
    """Exit 2, saying why, when there is no PostgreSQL to run against."""
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        log(f"PostgreSQL driver missing ({error}): the search benchmark needs psycopg")
        raise SystemExit(2) from None
    try:
        version = pg_version()
    except Exception as error:  # noqa: BLE001 - whatever it is, say it and stop
        log(f"PostgreSQL is not reachable at {PG_URL} ({error}); the search benchmark needs it")
        raise SystemExit(2) from None
    log(f"PostgreSQL {version} at {PG_URL}")


def seed(server: Server) -> None:
    output, seconds = run_seed(server, "_search_seed.py", timeout=1800)
    log(f"{output.splitlines()[-1]} ({seconds:.0f} s in all)")
    # Hint bits and the visibility map, as a table that has lived a while would have them.
    import psycopg

    with psycopg.connect(f"{PG_URL}/{DATABASE}", autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) publishing_searchentry")


def run() -> bool:
    _check_postgresql()
    recreate_database(DATABASE)
    try:
        env = {"DATABASE_URL": f"{PG_URL}/{DATABASE}", "SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS": "0"}
        with Server("search", extra_env=env) as server:
            seed(server)
            for name, path in PHASES:  # each really is a page of results
                status, _headers, body = server.get(path)
                if status != 200 or b'class="post-card"' not in body:
                    raise RuntimeError(f"{name} {path}: status {status}, no results")
                log(f"{path}: {len(body):,} bytes")
            results = run_load(
                server,
                [
                    Phase("bare", "/healthz", expect_text="ok"),
                    *(Phase(n, p, expect_text='class="post-card"') for n, p in PHASES),
                ],
            )
    finally:
        drop_database(DATABASE)
    print_results(results)
    failures = sum(r.failures for r in results.values())
    targets = [Target(f"{n} p95", results[n].p95_ms, "<=", P95_MS, " ms") for n, _p in PHASES]
    targets.append(Target("failed requests", failures, "<=", 0))
    bare = results["bare"]
    if bare.rps:
        ratios = ", ".join(f"{n} {results[n].rps / bare.rps:.3f}" for n, _p in PHASES)
        log(f"req/s against bare: {ratios}")
    met = check_targets(targets)
    log(f"results saved to {save_results('search', results, targets)}")
    return met
