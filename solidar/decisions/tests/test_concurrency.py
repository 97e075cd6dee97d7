"""Ballots cast at once, with real threads on PostgreSQL (issue 8).

Each thread has its own database connection (Django's connections are per thread; each
thread closes its own at the end). Only the database decides: the unique constraint on
Participation (one per voter), and the vote's row, which every cast updates (its ballot
counter) and which the close locks — a cast that has counted itself is waited for by the
close, a cast that comes after the close finds the vote no longer open.

PostgreSQL only: an in-memory SQLite test database refuses concurrent writers instead of
making them wait, and a race serialised by SQLite would prove nothing about the locks.
"""

from __future__ import annotations

import queue
import random
import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection, connections
from django.utils import timezone

from solidar.accounts.models import User
from solidar.decisions import voting
from solidar.decisions.models import Ballot, Participation, Vote
from solidar.network.models import Membership

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the ballot races need PostgreSQL (CI's PostgreSQL run): SQLite serialises or "
        "refuses concurrent writers, which proves nothing about the row lock and constraint",
    ),
    pytest.mark.django_db(transaction=True),
    # One test after the other in one worker: each may use half the free connections.
    pytest.mark.xdist_group("decisions-concurrency"),
]

ALREADY = "already voted"
NOT_ON_ROLL = "not on the roll"
CLOSED = "vote is closed"


def threads_allowed(wanted: int) -> int:
    """At most half of the connections PostgreSQL has free (other test workers share them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity"
        )
        free = cursor.fetchone()[0]
    return max(4, min(wanted, free // 2))


def make_people(collective, n: int, prefix: str, *, days: int) -> list[User]:
    """n members of ``collective`` whose membership is ``days`` old, in a few queries."""
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{i:04d}",
                email=f"{prefix}{i:04d}@example.org",
                display_name=f"{prefix.title()} {i:04d}",
                password=password,
            )
            for i in range(n)
        ]
    )
    joined = timezone.now() - timedelta(days=days)
    Membership.objects.bulk_create(
        [Membership(collective=collective, user=u, joined_at=joined) for u in users]
    )
    return users


def run_pool(tasks: list, work: Callable, threads: int) -> list[object]:
    """``work(task)`` for every task, taken in order by ``threads`` threads; each result is
    what ``work`` returned or the VotingError it raised. Any other exception fails the test."""
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for index, task in enumerate(tasks):
        todo.put((index, task))
    results: list[object] = [None] * len(tasks)
    crashes: list[BaseException] = []
    start = threading.Barrier(threads)

    def worker() -> None:
        try:
            start.wait(timeout=60)
            while True:
                try:
                    index, task = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[index] = work(task)
                except voting.VotingError as error:
                    results[index] = error
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            crashes.append(error)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in pool), "a thread hung"
    assert crashes == [], crashes[:3]
    return results


@pytest.fixture
def roll_vote(body, coordinator):
    def make(title: str) -> Vote:
        vote = voting.create_vote(
            body,
            by=coordinator,
            title=title,
            method=Vote.Method.YES_NO,
            closes_at=timezone.now() + timedelta(hours=1),
        )
        voting.open_vote(vote, by=coordinator)
        vote.refresh_from_db()
        return vote

    return make


def test_a_thousand_ballots_at_once_count_each_elector_once(koeln, paris, roll_vote):
    electors = make_people(koeln, 700, "elector", days=30)
    newcomers = make_people(koeln, 40, "newcomer", days=3)  # inside the cooling-off period
    strangers = make_people(paris, 40, "stranger", days=100)
    vote = roll_vote("A thousand ballots")
    # The roll: the 700 plus the fixtures' coordinator, member and other_member.
    assert vote.electorate_count == 703
    rng = random.Random(8)
    # 680 of the 700 try: 500 once, 120 twice and 60 three times at the same moment (their
    # copies side by side in the queue, so they are taken by different threads together);
    # the 80 who are not on the roll try once each. 1,000 submissions.
    tries = [1] * 500 + [2] * 120 + [3] * 60
    groups = [
        [(user, rng.choice(("yes", "no", "abstain")))] * k
        for user, k in zip(electors, tries, strict=False)
    ]
    groups += [[(user, "yes")] for user in newcomers + strangers]
    rng.shuffle(groups)
    tasks = [task for group in groups for task in group]
    assert len(tasks) == 1000

    def cast(task) -> tuple[str, str]:
        user, answer = task
        fresh = Vote.objects.get(pk=vote.pk)  # as the view loads it, in this thread
        return voting.cast(fresh, user, answer), answer

    results = run_pool(tasks, cast, threads_allowed(24))

    outcomes: dict[int, list[object]] = {}
    for (user, _answer), result in zip(tasks, results, strict=True):
        outcomes.setdefault(user.pk, []).append(result)
    tried = electors[:680]
    for user, k in zip(tried, tries, strict=True):
        got = outcomes[user.pk]
        won = [r for r in got if isinstance(r, tuple)]
        refused = [str(r) for r in got if isinstance(r, voting.VotingError)]
        assert len(won) == 1, (user.username, got)
        assert len(refused) == k - 1 and all(ALREADY in m for m in refused), refused
    for user in newcomers + strangers:
        (result,) = outcomes[user.pk]
        assert isinstance(result, voting.VotingError) and NOT_ON_ROLL in str(result)
    assert all(user.pk not in outcomes for user in electors[680:])

    accepted = [r for r in results if isinstance(r, tuple)]
    assert len(accepted) == 680
    receipts = [receipt for receipt, _answer in accepted]
    assert len(set(receipts)) == 680
    vote.refresh_from_db()
    ballots = Ballot.objects.filter(vote=vote)
    assert vote.ballot_count == ballots.count() == 680
    assert sorted(ballots.values_list("receipt", flat=True)) == sorted(receipts)
    assert set(Participation.objects.filter(vote=vote).values_list("user_id", flat=True)) == {
        user.pk for user in tried
    }
    assert Participation.objects.filter(vote=vote).count() == 680
    assert not ballots.filter(voter__isnull=False).exists()  # secret: no voter on any ballot

    assert voting.close(vote, now=vote.closes_at)
    vote.refresh_from_db()
    cast_answers = Counter(answer for _receipt, answer in accepted)
    assert vote.result["ballots"] == 680
    assert vote.result["totals"] == {a: cast_answers[a] for a in ("yes", "no", "abstain")}
    assert sum(vote.result["totals"].values()) == vote.result["ballots"]
    assert voting.recount(vote)


def test_a_close_racing_with_casts_counts_every_ballot_written(koeln, roll_vote):
    electors = make_people(koeln, 500, "racer", days=30)
    vote = roll_vote("Closed while people vote")
    closing: dict[str, object] = {}
    written_before = threading.Event()

    def cast(user) -> str:
        if Ballot.objects.filter(vote=vote).count() >= 100:
            written_before.set()
        return voting.cast(Vote.objects.get(pk=vote.pk), user, "yes")

    def closer() -> None:
        try:
            written_before.wait(timeout=120)
            # The periodic job at the closing time, while the casts (whose clocks are a
            # moment earlier) are still arriving.
            closing["closed"] = voting.close(Vote.objects.get(pk=vote.pk), now=vote.closes_at)
        except BaseException as error:  # noqa: BLE001 - reported below
            closing["error"] = error
        finally:
            connections.close_all()

    closing_thread = threading.Thread(target=closer, daemon=True)
    closing_thread.start()
    results = run_pool(electors, cast, threads_allowed(16))
    closing_thread.join(timeout=120)
    assert closing == {"closed": True}

    accepted = [r for r in results if isinstance(r, str)]
    refused = [str(r) for r in results if isinstance(r, voting.VotingError)]
    assert len(accepted) + len(refused) == 500
    # It was a race: ballots came in before the close and were refused after it.
    assert len(accepted) >= 100 and refused, (len(accepted), len(refused))
    assert all(CLOSED in message for message in refused), Counter(refused)
    vote.refresh_from_db()
    assert vote.status == Vote.Status.CLOSED
    ballots = Ballot.objects.filter(vote=vote)
    # Nothing was written after the close: the count holds every ballot there is.
    assert vote.result["ballots"] == ballots.count() == len(accepted) == vote.ballot_count
    assert Participation.objects.filter(vote=vote).count() == len(accepted)
    assert sorted(ballots.values_list("receipt", flat=True)) == sorted(accepted)
    assert vote.result["totals"]["yes"] == len(accepted)
    assert voting.recount(vote)
