"""Seed the decisions benchmark's database, profile one ballot, or close and check the vote.

Run by bench/decisions.py with the server's environment, after seed_demo:

    python bench/_decisions_seed.py           # seed; writes $SOLIDAR_DATA_DIR/bench-decisions.json
    python bench/_decisions_seed.py profile   # cProfile and the SQL of one cast, in-process
    python bench/_decisions_seed.py check     # close the vote (as the periodic job does at
                                              # its closing time) and report, as JSON

The voters: 2,000 members of the demo cell Köln, written with bulk_create through the
models (the services would take minutes), whose membership is 30 days old, past the
cooling-off period (14 days). They share one password hash, the demo password's, computed
once: a few of them sign in through the real login form, the others get a signed-in
session made the way django.test.Client.force_login makes one (the bench cannot afford
2,000 password hashes on two cores). The vote is made and opened through the services
(``voting.create_vote``, ``voting.open_vote``) by the coordinator olga: yes or no, secret,
closing in three days; its roll holds the 2,000 and the demo's long-standing members.
A few more members are seeded for ``profile`` (they are on the roll and never vote under
load).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import time
from datetime import timedelta
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidar.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib import auth  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from solidar.decisions import services, voting  # noqa: E402
from solidar.decisions.models import Ballot, Participation, Vote  # noqa: E402
from solidar.network.models import Collective, Membership  # noqa: E402

VOTERS = 2000
SPARE = 5  # on the roll, kept out of the load: for ``profile``
FORM_LOGINS = 8  # voters who sign in through the login form (the bench does it)
PREFIX = "voter"
SPARE_PREFIX = "spare"
TITLE = "Bench vote: join the general strike call"
COORDINATOR = "olga"  # coordinator of koeln, with TOTP (accounts/demo.py)
DEMO_PASSWORD = "solidarity-demo-2024"  # noqa: S105 - the public demo password (seed_demo)
BATCH = 500

User = auth.get_user_model()


def make_voters(koeln: Collective, n: int, prefix: str, password: str) -> list:
    users = User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{i:04d}",
                email=f"{prefix}{i:04d}@example.org",
                display_name=f"Voter {i:04d}",
                password=password,
                language=("ru", "uk", "de", "en")[i % 4],
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )
    if users[0].pk is None:  # SQLite before RETURNING
        users = list(User.objects.filter(username__startswith=prefix).order_by("username"))
    # A verified address, as a confirmed account has (sign-in requires one).
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users],
        batch_size=BATCH,
    )
    joined = timezone.now() - timedelta(days=30)
    Membership.objects.bulk_create(
        [Membership(collective=koeln, user=u, joined_at=joined) for u in users],
        batch_size=BATCH,
    )
    return users


def signed_in_session(user) -> str:
    """A session of ``user`` signed in, as django.test.Client.force_login makes one."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[auth.SESSION_KEY] = str(user.pk)
    store[auth.BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def seed() -> dict:
    koeln = Collective.objects.get(slug="koeln")
    olga = User.objects.get(username=COORDINATOR)
    password = make_password(DEMO_PASSWORD)  # once: every voter shares the hash
    with transaction.atomic():
        voters = make_voters(koeln, VOTERS, PREFIX, password)
        make_voters(koeln, SPARE, SPARE_PREFIX, password)
    body = services.body_for_collective(koeln)
    vote = voting.create_vote(
        body,
        by=olga,
        title=TITLE,
        description="Shall the cell join the call for a general strike on 1 May?",
        method=Vote.Method.YES_NO,
        closes_at=timezone.now() + timedelta(days=3),
    )
    electors = voting.open_vote(vote, by=olga)
    return {
        "vote": vote.pk,
        "electorate": electors,
        "form_logins": [u.username for u in voters[:FORM_LOGINS]],
        "sessions": [[u.username, signed_in_session(u)] for u in voters[FORM_LOGINS:]],
    }


def _profiled(out: io.StringIO, label: str, request) -> None:
    with CaptureQueriesContext(connection) as queries:
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        response = request()
        profiler.disable()
        elapsed = (time.perf_counter() - started) * 1000
    sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    out.write(
        f"\n{label}: status {response.status_code}, {elapsed:.1f} ms in-process (under the "
        f"profiler), {len(queries.captured_queries)} SQL statements, {sql:.1f} ms\n"
    )
    for query in queries.captured_queries:
        out.write(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'][:150]}\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"solidar/(?!.*middleware)", 15)  # the app's
    stats.sort_stats("tottime").print_stats(15)  # where the CPU itself went


def profile() -> str:
    """The vote's page and one cast by a spare voter, through Django's test client against
    the same database: each one's SQL with its time and its profile (top functions by
    cumulative time)."""
    vote = Vote.objects.get(title=TITLE)
    user = User.objects.filter(username__startswith=SPARE_PREFIX).order_by("username").first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    path = f"/en/decisions/votes/{vote.pk}/"
    client.get(path)  # warm: URL resolver, templates, translations
    out = io.StringIO()
    _profiled(out, "GET the vote page", lambda: client.get(path))
    _profiled(out, "POST cast", lambda: client.post(f"{path}cast/", {"answer": "yes"}))
    return out.getvalue()


def check() -> dict:
    from django_tasks_db.models import DBTaskResult

    vote = Vote.objects.get(title=TITLE)
    voted = Participation.objects.filter(vote=vote).values_list("user__username", flat=True)
    before = {
        "ballot_count": vote.ballot_count,
        "ballots": Ballot.objects.filter(vote=vote).count(),
        "participations": Participation.objects.filter(vote=vote).count(),
        "voted": sorted(name for name in voted if not name.startswith(SPARE_PREFIX)),
        # The ballot ``profile`` cast, outside the load.
        "profiled": sum(1 for name in voted if name.startswith(SPARE_PREFIX)),
    }
    started = time.perf_counter()
    voting.count(vote)
    count_seconds = time.perf_counter() - started
    tasks_before = DBTaskResult.objects.count()
    started = time.perf_counter()
    closed = voting.close(vote, now=vote.closes_at)
    seconds = time.perf_counter() - started
    vote.refresh_from_db()
    return {
        **before,
        "closed": closed,
        "count_seconds": count_seconds,
        "close_seconds": seconds,
        "tasks_queued_by_close": DBTaskResult.objects.count() - tasks_before,
        "result_ballots": vote.result["ballots"],
        "totals": vote.result["totals"],
        "electorate": vote.result["electorate"],
        "recount": voting.recount(vote),
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["check"]:
        print(json.dumps(check()))
    elif sys.argv[1:] == ["profile"]:
        print(profile())
    else:
        data = seed()
        path = Path(settings.DATA_DIR) / "bench-decisions.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        print(
            f"vote {data['vote']} open with {data['electorate']} electors; "
            f"{len(data['sessions'])} sessions, {len(data['form_logins'])} to sign in"
        )
