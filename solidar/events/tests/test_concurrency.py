"""No overselling, with real threads on PostgreSQL (issue 5).

Each thread has its own database connection (Django's connections are per thread) and
they are released together by a barrier, so the registrations really race for the last
places; only the row lock on the event in the services decides who gets one.

PostgreSQL allows a limited number of connections (100 by default, shared with the
other test worker), so at most half of the free ones are open at once: with the default
server, about 45 of the 200 threads are inside the services at any moment, the others
queue for a connection. On a server with more connections all 200 race at once.

On SQLite the test database is in memory (shared cache), where concurrent writers get
"table is locked" at once instead of waiting: the tests skip there. With a file test
database they run a smaller race (SQLite serialises writers with BEGIN IMMEDIATE).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection, connections
from django_tasks import default_task_backend

from solidar.accounts.models import User
from solidar.core.models import AuditEvent
from solidar.core.tasks import deliver_email
from solidar.events import services
from solidar.events.models import Registration
from solidar.events.tasks import promote_waiting
from solidar.network.models import Membership

S = Registration.Status

# Tasks are recorded, not run: the e-mails each thread queued can be counted, and a
# cancellation's promotion task waits for the test to run it.
RECORDED_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "email"],
    }
}


def _races_here() -> bool:
    """PostgreSQL, or SQLite with a test database in a file (TEST NAME set)."""
    if connection.vendor == "sqlite":
        name = connection.settings_dict.get("TEST", {}).get("NAME") or ""
        return bool(name) and name != ":memory:" and "mode=memory" not in name
    return True


pytestmark = [
    pytest.mark.skipif(
        not _races_here(),
        reason="concurrency needs PostgreSQL (CI's PostgreSQL run) or a file database: an "
        "in-memory SQLite database refuses concurrent writers instead of waiting",
    ),
    pytest.mark.django_db(transaction=True),
    # Both tests in one worker, one after the other: each may use half the free connections.
    pytest.mark.xdist_group("events-concurrency"),
]


def race_size(postgres: int, sqlite: int) -> int:
    """How many threads race: fewer on SQLite, which runs one writer at a time."""
    return postgres if connection.vendor == "postgresql" else sqlite


def open_connections_allowed(threads: int) -> int:
    if connection.vendor != "postgresql":
        return threads
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity"
        )
        free = cursor.fetchone()[0]
    return max(8, min(threads, free // 2))


def make_members(collective, n: int, prefix: str) -> list[User]:
    """n members of ``collective`` in two queries (the services would take seconds)."""
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{i:03d}",
                email=f"{prefix}{i:03d}@example.org",
                display_name=f"{prefix.title()} {i:03d}",
                password=password,
            )
            for i in range(n)
        ]
    )
    if users[0].pk is None:  # SQLite before RETURNING
        users = list(User.objects.filter(username__startswith=prefix).order_by("username"))
    Membership.objects.bulk_create([Membership(collective=collective, user=u) for u in users])
    return users


def race(n: int, work: Callable[[int], object]) -> tuple[list[object], list[list[str]]]:
    """Run ``work(i)`` in n threads released together. Returns each thread's result (an
    EventError counts as a result) and the addresses of the e-mails each one queued.
    Any other exception fails the test."""
    barrier = threading.Barrier(n)
    gate = threading.BoundedSemaphore(open_connections_allowed(n))
    results: list[object] = [None] * n
    mails: list[list[str]] = [[] for _ in range(n)]
    crashes: list[tuple[int, BaseException]] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            with gate:
                try:
                    try:
                        results[i] = work(i)
                    except services.EventError as error:
                        results[i] = error
                    mails[i] = [
                        address
                        for result in default_task_backend.results
                        if result.task.func is deliver_email.func
                        for address in result.args[0]["to"]
                    ]
                finally:
                    connections.close_all()
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            crashes.append((i, error))

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    assert crashes == [], crashes[:3]
    return results, mails


def test_the_last_places_are_never_oversold(settings, forum, koeln):
    settings.TASKS = RECORDED_TASKS
    threads = race_size(postgres=200, sqlite=20)
    last = 10 if connection.vendor == "postgresql" else 5
    services.update_event(forum, by=None, capacity=30)
    for user in make_members(koeln, 30 - last, "early"):
        services.register_member(forum, user)
    forum.refresh_from_db()
    assert (forum.registered_count, forum.places_left) == (30 - last, last)
    racers = make_members(koeln, threads, "racer")

    results, mails = race(threads, lambda i: services.register_member(forum, racers[i]))

    assert [r for r in results if isinstance(r, services.EventError)] == []
    outcome = Counter(registration.status for registration, _token in results)
    assert outcome == {S.REGISTERED: last, S.WAITING: threads - last}
    stored = Counter(
        Registration.objects.filter(event=forum, user__in=racers).values_list("status", flat=True)
    )
    assert stored == outcome
    forum.refresh_from_db()
    assert forum.registered_count == 30
    assert forum.waiting_count == threads - last
    assert forum.places_left == 0
    # Everyone heard once where they stand (registered or waiting).
    assert sorted(address for queued in mails for address in queued) == sorted(
        user.email for user in racers
    )
    # The queue is in order: nobody who came later got a place before someone waiting.
    placed = Registration.objects.filter(event=forum, user__in=racers, status=S.REGISTERED)
    waiting = Registration.objects.filter(event=forum, user__in=racers, status=S.WAITING)
    assert max(r.created_at for r in placed) <= min(r.waiting_since for r in waiting)


def test_promotion_offers_each_freed_place_once(settings, forum, koeln):
    settings.TASKS = RECORDED_TASKS
    threads = race_size(postgres=50, sqlite=10)
    people = make_members(koeln, 30, "queue")
    for user in people:  # 10 places taken, 20 waiting in this order
        services.register_member(forum, user)
    default_task_backend.clear()
    for user in people[:5]:
        registration = Registration.objects.get(event=forum, user=user)
        services.cancel_registration(registration, by=user)
    # Each cancellation queued the promotion task (after commit), which has not run yet.
    queued = [r for r in default_task_backend.results if r.task.func is promote_waiting.func]
    assert [r.args for r in queued] == [[str(forum.pk)]] * 5
    assert not Registration.objects.filter(event=forum, status=S.OFFERED).exists()

    results, mails = race(threads, lambda i: promote_waiting.call(str(forum.pk)))

    assert sum(results) == 5
    offered = Registration.objects.filter(event=forum, status=S.OFFERED).select_related("user")
    assert sorted(r.user.username for r in offered) == [u.username for u in people[10:15]]
    assert all(r.offer_expires_at is not None for r in offered)
    # One e-mail to each person offered a place, none to anyone else.
    assert sorted(address for queued in mails for address in queued) == sorted(
        u.email for u in people[10:15]
    )
    audit = AuditEvent.objects.filter(action="events.places_offered", object_id=str(forum.pk))
    assert sum(row.data["count"] for row in audit) == 5
    forum.refresh_from_db()
    assert (forum.registered_count, forum.offered_count, forum.waiting_count) == (5, 5, 15)
    # Run once more (a retried task): nothing left to offer.
    assert promote_waiting.call(str(forum.pk)) == 0
    assert Registration.objects.filter(event=forum, status=S.OFFERED).count() == 5
