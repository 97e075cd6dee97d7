"""Crash safety of the sending engine, for real: ``manage.py send_newsletters`` as a
subprocess, SIGKILLed at random moments during a 10,000-recipient send to an SMTP server
on loopback (aiosmtpd in this process) and started again, until it is done. In the end
every recipient has exactly one message, none twice, none missed.

The subprocess needs a database it can open: on SQLite a copy of the (migrated, empty)
test database in a file; on PostgreSQL the test database itself (this test then runs as
a transactional test, so that the rows the subprocesses commit are flushed after it).
The random moments come from a seed printed on failure (set SOLIDAR_CRASH_SEED to repeat).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from solidar.core.tests.conftest import ROOT, clean_environ

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("newsletter-crash"),
    # Transactional: what the subprocesses commit to a PostgreSQL test database is
    # flushed after the test (on SQLite they work on a copy in a file).
    pytest.mark.django_db(transaction=True),
]

DOMAIN = "crash.example"
LANGUAGES = ["de", "en", "ru", "uk"]


# -- run inside the subprocesses ----------------------------------------------------------------
def populate(readers: int) -> None:
    """Readers on four lists (one language each) and a mailing due now."""
    from django.utils import timezone

    from solidar.newsletter import links
    from solidar.newsletter.models import (
        Mailing,
        MailingList,
        MailingVariant,
        Subscriber,
        Subscription,
    )

    lists = [
        MailingList.objects.create(slug=f"crash-{lang}", name=f"Crash {lang}", language=lang)
        for lang in LANGUAGES
    ]
    subscribers = [
        Subscriber(email=address(i), email_digest=links.email_digest(address(i)))
        for i in range(readers)
    ]
    Subscriber.objects.bulk_create(subscribers, batch_size=1000)
    now = timezone.now()
    Subscription.objects.bulk_create(
        [
            Subscription(
                subscriber=subscriber,
                mailing_list=lists[i % len(lists)],
                status=Subscription.Status.CONFIRMED,
                consent_version="crash",
                requested_at=now,
                confirmed_at=now,
            )
            for i, subscriber in enumerate(subscribers)
        ],
        batch_size=1000,
    )
    mailing = Mailing.objects.create(
        title="Crash test",
        status=Mailing.Status.SCHEDULED,
        scheduled_at=now,
        languages=LANGUAGES,
    )
    for lang in LANGUAGES:
        MailingVariant.objects.create(
            mailing=mailing, language=lang, subject=f"Subject {lang}", body=f"Body in {lang}."
        )
    mailing.lists.set(lists)


def report(*missed: str) -> None:
    """The mailing's status, its deliveries counted by status, and the deliveries of the
    ``missed`` addresses (status, attempts, error), as JSON."""
    from django.db.models import Count

    from solidar.newsletter import links
    from solidar.newsletter.models import Delivery, Mailing

    mailing = Mailing.objects.get(title="Crash test")
    deliveries = Delivery.objects.filter(mailing=mailing)
    counts = dict(deliveries.order_by().values_list("status").annotate(Count("id")))
    details = list(
        deliveries.filter(
            subscriber__email_digest__in=[links.email_digest(a) for a in missed]
        ).values_list("status", "attempts", "last_error")
    )
    print(json.dumps({"mailing": mailing.status, "deliveries": counts, "missed": details}))


def address(i: int) -> str:
    return f"reader{i}@{DOMAIN}"


# -- the test's side -------------------------------------------------------------------------------
@pytest.fixture
def database_url(tmp_path, transactional_db):
    from django.db import connection

    if connection.vendor == "postgresql":
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    path = tmp_path / "crash.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)  # the migrated, empty test database
    finally:
        target.close()
    return f"sqlite:///{path}"


@pytest.fixture
def worker_env(database_url, tmp_path, smtp_sink):
    return clean_environ(
        DATABASE_URL=database_url,
        SOLIDAR_DATA_DIR=str(tmp_path / "data"),
        SECRET_KEY="crash-test-" + "k" * 50,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_sink.port),
        EMAIL_USE_TLS="0",
        EMAIL_USE_SSL="0",
        EMAIL_TIMEOUT="10",
        SOLIDAR_NEWSLETTER_CONNECTIONS="2",
        SOLIDAR_NEWSLETTER_BATCH="50",
        DEBUG="0",
    )


def django_call(env: dict, code: str, timeout: int = 120) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def start_worker(env: dict, lease: float = 2, until_done: bool = True) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "manage.py",
            "send_newsletters",
            *(["--until-done"] if until_done else []),
            "--lease",
            str(lease),
            "--retry-delay",
            "1",
            "--nice",
            "0",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill_after(sink, worker: subprocess.Popen, more: int, deadline: float) -> bool:
    """SIGKILL the worker once ``more`` further messages have arrived; False when it
    finished first."""
    target = len(sink.handler.received) + more
    while len(sink.handler.received) < target:
        if worker.poll() is not None:
            return False
        assert time.monotonic() < deadline, "the send took too long"
        time.sleep(0.002)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    return True


def finish(worker: subprocess.Popen, deadline: float) -> None:
    _, stderr = worker.communicate(timeout=max(1, deadline - time.monotonic()))
    assert worker.returncode == 0, stderr.decode()[-3000:]


def assert_exactly_once(sink, env: dict, readers: int) -> None:
    counts = sink.per_recipient()
    twice = {a: n for a, n in counts.items() if n > 1}
    missed = [address(i) for i in range(readers) if address(i) not in counts]
    state = json.loads(
        django_call(
            env,
            f"from solidar.newsletter.tests.test_crash import report; report(*{missed[:20]!r})",
        )
    )
    assert not twice, f"{len(twice)} readers got more than one message, e.g. {list(twice)[:5]}"
    assert not missed, f"{len(missed)} readers got nothing, e.g. {missed[:5]}; {state}"
    assert counts == dict.fromkeys((address(i) for i in range(readers)), 1)
    assert state == {"mailing": "sent", "deliveries": {"sent": readers}, "missed": []}


@pytest.fixture
def seed():
    value = int(os.environ.get("SOLIDAR_CRASH_SEED") or time.time_ns() % 1_000_000)
    print(f"SOLIDAR_CRASH_SEED={value}")
    return value


def test_killed_at_random_moments_every_reader_gets_exactly_one(smtp_sink, worker_env, seed):
    readers = 10_000
    rng = random.Random(seed)
    started = time.monotonic()
    django_call(
        worker_env, f"from solidar.newsletter.tests.test_crash import populate; populate({readers})"
    )
    print(f"populated in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    deadline = started + 170
    kills = 0
    # The first kill at a random time (starting up, taking the snapshot, or sending),
    # then each after a random number of messages.
    worker = start_worker(worker_env)
    time.sleep(rng.uniform(0.5, 4.0))
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    kills += 1
    while kills < 5:
        worker = start_worker(worker_env)
        if not kill_after(smtp_sink, worker, rng.randint(50, 1500), deadline):
            break
        kills += 1
    else:
        worker = start_worker(worker_env)
    finish(worker, deadline)
    print(f"sent with {kills} kills in {time.monotonic() - started:.1f} s")
    assert kills >= 4, f"only {kills} kills before the send finished"
    assert_exactly_once(smtp_sink, worker_env, readers)


def test_two_workers_at_once_one_of_them_killed_still_exactly_once(smtp_sink, worker_env, seed):
    readers = 3_000
    rng = random.Random(seed)
    django_call(
        worker_env, f"from solidar.newsletter.tests.test_crash import populate; populate({readers})"
    )
    deadline = time.monotonic() + 120
    steady = start_worker(worker_env)
    for _ in range(2):
        other = start_worker(worker_env)
        kill_after(smtp_sink, other, rng.randint(100, 600), deadline)
    other = start_worker(worker_env)
    finish(steady, deadline)
    finish(other, deadline)
    assert_exactly_once(smtp_sink, worker_env, readers)


def test_sigterm_stops_cleanly_after_the_current_messages(smtp_sink, worker_env):
    readers = 600
    django_call(
        worker_env, f"from solidar.newsletter.tests.test_crash import populate; populate({readers})"
    )
    deadline = time.monotonic() + 90
    worker = start_worker(worker_env, until_done=False)
    while len(smtp_sink.handler.received) < 50:
        assert worker.poll() is None and time.monotonic() < deadline
        time.sleep(0.005)
    worker.send_signal(signal.SIGTERM)
    _, stderr = worker.communicate(timeout=20)
    assert worker.returncode == 0, stderr.decode()[-3000:]
    assert len(smtp_sink.handler.received) < readers  # it stopped, and did not finish
    finish(start_worker(worker_env), deadline)
    assert_exactly_once(smtp_sink, worker_env, readers)
