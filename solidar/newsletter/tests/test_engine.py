"""The sending engine against a real SMTP server on loopback (aiosmtpd, ``smtp_sink``).

The engine is driven in the test's own thread (``Engine.drain``, ``Sender.work``) so it
shares the test's database transaction; the real process with its threads, killed and
restarted, is in test_crash.py.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from solidar.core.models import AuditEvent
from solidar.core.testing import assert_max_queries
from solidar.newsletter import engine as engine_module
from solidar.newsletter import links, services
from solidar.newsletter.engine import Engine, RateLimiter, Sender, progress
from solidar.newsletter.models import Delivery, Mailing, Subscription, Suppression

pytestmark = pytest.mark.django_db

LANGUAGES = ["de", "en", "ru", "uk"]
VARIANTS = {
    "de": ("Rundbrief im Mai", "Hallo aus **Köln**.\n\n![Plakat](/media/images/plakat.png)"),
    "en": ("May newsletter", "Hello from [our site](/en/events/).\n\n.a line with a dot"),
    "ru": ("Рассылка за май", "Привет.\n\n.\n\nТочка выше."),
    "uk": ("Розсилка за травень", "Привіт з Кельна."),
}


@pytest.fixture
def audience(make_list, make_subscriber):
    """``audience(n)``: n readers spread over one list per language; returns
    {address: language}."""

    def make(n: int, languages=LANGUAGES) -> dict[str, str]:
        lists = {
            language: make_list(f"news-{language}", language, position=i)
            for i, language in enumerate(languages)
        }
        readers = {}
        for i in range(n):
            language = languages[i % len(languages)]
            address = f"reader{i}@example.org"
            make_subscriber(address, [lists[language]])
            readers[address] = language
        return readers

    return make


@pytest.fixture
def due_mailing(make_mailing):
    def make(languages=LANGUAGES, **fields) -> Mailing:
        from solidar.newsletter.models import MailingList

        return make_mailing(
            variants={language: VARIANTS[language] for language in languages},
            lists=list(MailingList.objects.all()),
            languages=languages,
            status=Mailing.Status.SCHEDULED,
            scheduled_at=timezone.now() - timedelta(seconds=1),
            **fields,
        )

    return make


def fast_engine(**kwargs) -> Engine:
    kwargs.setdefault("lease", 5)
    kwargs.setdefault("retry_delay", 0.2)
    kwargs.setdefault("reconnect_delay", 0.05)
    kwargs.setdefault("reconnect_max", 0.2)
    return Engine(**kwargs)


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs).get("src", ""))


def test_fifty_readers_in_four_languages_each_get_one_message(
    smtp_settings, smtp_sink, audience, due_mailing
):
    readers = audience(50)
    mailing = due_mailing()
    fast_engine(batch=20).drain()

    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert mailing.started_at and mailing.finished_at
    assert AuditEvent.objects.filter(action="newsletter.mailing_sent").count() == 1
    assert mailing.recipient_count == 50
    assert progress(mailing) == engine_module.Progress(total=50, sent=50)
    assert smtp_sink.per_recipient() == dict.fromkeys(readers, 1)
    site = settings.SOLIDAR_SITE_URL
    for received in smtp_sink.received:
        language = readers[received.recipient]
        message = received.parsed()
        subscriber = services.subscriber_for_email(received.recipient)
        assert message["Content-Language"] == language
        assert message["Subject"] == VARIANTS[language][0]
        assert message["Message-ID"] == links.message_id(mailing, subscriber.pk)
        assert message["List-Unsubscribe"].strip().startswith(f"<{site}/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.get_content_type() == "multipart/alternative"
        parts = {part.get_content_type(): part for part in message.walk()}
        text = parts["text/plain"].get_content()
        html = parts["text/html"].get_content()
        images = Images()
        images.feed(html)
        assert all(src.startswith(f"{site}/") for src in images.sources)
        if language == "de":
            assert images.sources == [f"{site}/media/images/plakat.png"]
            assert "Köln" in text
        if language == "en":
            # A line that starts with a dot survives the SMTP dot-stuffing.
            assert ".a line with a dot" in text
        if language == "ru":
            assert "Точка выше." in text


def test_a_due_mailing_is_started_by_one_worker_only(audience, due_mailing, make_mailing):
    audience(4)
    mailing = due_mailing()
    later = make_mailing(
        title="later",
        status=Mailing.Status.SCHEDULED,
        scheduled_at=timezone.now() + timedelta(hours=1),
    )
    assert Engine().start_due() == 1
    assert Engine().start_due() == 0
    mailing.refresh_from_db()
    later.refresh_from_db()
    assert mailing.status == Mailing.Status.SENDING
    assert mailing.recipient_count == 4
    assert Delivery.objects.filter(mailing=mailing).count() == 4
    assert later.status == Mailing.Status.SCHEDULED


def test_temporary_refusals_are_retried_with_growing_pauses(
    smtp_settings, smtp_sink, audience, due_mailing
):
    readers = list(audience(3, ["de"]))
    greylisted, busy, hopeless = readers
    smtp_sink.answer_rcpt(greylisted, "451 4.7.1 Greylisted, try again later")
    smtp_sink.answer_data(busy, "452 4.3.1 Insufficient system storage")
    smtp_sink.answer_rcpt(hopeless, "451 4.7.1 later", "451 4.7.1 later", "451 4.7.1 later")
    mailing = due_mailing(["de"])
    engine = fast_engine(max_attempts=3)
    engine.start_due()
    before = timezone.now()
    Sender(engine).work()

    first = Delivery.objects.get(subscriber=services.subscriber_for_email(greylisted))
    assert first.status == Delivery.Status.QUEUED
    assert first.attempts == 1
    assert first.last_error == "451 4.7.1 Greylisted, try again later"
    assert (
        before + timedelta(seconds=0.15)
        < first.next_attempt_at
        < timezone.now() + timedelta(seconds=0.25)
    )
    assert smtp_sink.per_recipient() == {}

    engine.drain()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert smtp_sink.per_recipient() == {greylisted: 1, busy: 1}
    statuses = dict(
        Delivery.objects.filter(mailing=mailing).values_list("subscriber__email_digest", "status")
    )
    assert statuses == {
        links.email_digest(greylisted): "sent",
        links.email_digest(busy): "sent",
        links.email_digest(hopeless): "failed",
    }
    gave_up = Delivery.objects.get(subscriber=services.subscriber_for_email(hopeless))
    assert gave_up.attempts == 3
    assert gave_up.last_error.startswith("451")
    assert smtp_sink.handler.attempts[hopeless] == 3


def test_the_pause_doubles_up_to_the_cap():
    engine = Engine(retry_delay=60, retry_max=3600)
    assert [engine.backoff(n).total_seconds() for n in (1, 2, 3, 7, 20)] == [
        60,
        120,
        240,
        3600,
        3600,
    ]


def test_permanent_refusals_fail_without_the_address_in_the_error(
    smtp_settings, smtp_sink, audience, due_mailing
):
    unknown, rejected, fine = list(audience(3, ["de"]))
    smtp_sink.answer_rcpt(unknown, f"550 5.1.1 <{unknown}>: Recipient address rejected")
    smtp_sink.answer_data(rejected, "554 5.7.1 Message refused as spam")
    mailing = due_mailing(["de"])
    fast_engine().drain()
    assert smtp_sink.per_recipient() == {fine: 1}
    failed = Delivery.objects.filter(mailing=mailing, status=Delivery.Status.FAILED)
    errors = sorted(failed.values_list("last_error", flat=True))
    assert errors == [
        "550 5.1.1 [address]: Recipient address rejected",
        "554 5.7.1 Message refused as spam",
    ]
    assert progress(mailing) == engine_module.Progress(total=3, sent=1, failed=2)
    # The address that does not exist (5.1.1) is a hard bounce: gone, its digest
    # suppressed; the one refused as spam (5.7.1) is about the message, not the address.
    assert services.subscriber_for_email(unknown) is None
    assert services.is_suppressed(unknown)
    assert Suppression.objects.get(email_digest=links.email_digest(unknown)).reason == (
        Suppression.Reason.HARD_BOUNCE
    )
    assert services.subscriber_for_email(rejected) is not None
    assert not services.is_suppressed(rejected)


def test_pause_stops_claiming_resume_goes_on(smtp_settings, smtp_sink, audience, due_mailing):
    readers = audience(12, ["de"])
    mailing = due_mailing(["de"])
    engine = fast_engine(batch=5)
    engine.start_due()
    sender = Sender(engine)
    assert sender.work() == 5
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.PAUSED)
    assert sender.work() == 0
    engine.wind_up()
    assert progress(mailing).queued == 7
    assert len(smtp_sink.received) == 5
    # Nothing stays claimed by the sender.
    assert not Delivery.objects.filter(mailing=mailing).exclude(claim_token="").exists()

    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SENDING)
    engine.drain()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert smtp_sink.per_recipient() == dict.fromkeys(readers, 1)


def test_a_pause_during_a_batch_stops_it(smtp_settings, smtp_sink, audience, due_mailing):
    audience(6, ["de"])
    mailing = due_mailing(["de"])
    engine = fast_engine(batch=6)
    engine.start_due()
    sender = Sender(engine)
    original = sender.send
    sent = []

    def send_then_pause(token, delivery):
        outcome = original(token, delivery)
        sent.append(outcome)
        if len(sent) == 2:
            Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.PAUSED)
            time.sleep(engine_module.STATUS_RECHECK_SECONDS)
        return outcome

    sender.send = send_then_pause
    sender.work()
    assert len(smtp_sink.received) == 2
    assert progress(mailing).queued == 4


def test_cancel_leaves_the_rest_cancelled(smtp_settings, smtp_sink, audience, due_mailing):
    audience(12, ["de"])
    mailing = due_mailing(["de"])
    engine = fast_engine(batch=5)
    engine.start_due()
    Sender(engine).work()
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.CANCELLED)
    engine.drain()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.CANCELLED
    assert progress(mailing) == engine_module.Progress(total=12, sent=5, cancelled=7)
    assert len(smtp_sink.received) == 5


def test_readers_who_left_meanwhile_are_skipped(
    smtp_settings, smtp_sink, audience, due_mailing, make_list
):
    gone, suppressed, left_list, stays = list(audience(4, ["de"]))
    mailing = due_mailing(["de"])
    engine = fast_engine()
    engine.start_due()
    # After the snapshot: one deleted (unsubscribed everywhere), one suppressed (a hard
    # bounce), one left this mailing's list for another one.
    services.forget(services.subscriber_for_email(gone), reason="unsubscribed")
    services.suppress(links.email_digest(suppressed), Suppression.Reason.HARD_BOUNCE)
    reader = services.subscriber_for_email(left_list)
    Subscription.objects.filter(subscriber=reader).update(mailing_list=make_list("other", "de"))
    engine.drain()
    assert smtp_sink.per_recipient() == {stays: 1}
    assert progress(mailing) == engine_module.Progress(total=4, sent=1, skipped=3)
    assert Delivery.objects.filter(mailing=mailing, subscriber__isnull=True).count() == 1


def test_smtp_server_down_for_a_while_nothing_lost(smtp_settings, smtp_sink, audience, due_mailing):
    readers = audience(30, ["de", "en"])
    mailing = due_mailing(["de", "en"])
    engine = fast_engine(batch=10)
    engine.start_due()
    sender = Sender(engine)
    assert sender.work() == 10
    smtp_sink.stop()  # the server goes away between two batches (the connection dies)
    assert sender.work() == 0
    assert sender.work() == 0  # unreachable: nothing claimed, a pause
    assert sender.pause > 0
    assert progress(mailing) == engine_module.Progress(total=30, sent=10, queued=20)
    restart = threading.Timer(1.0, smtp_sink.start)
    restart.start()
    try:
        engine.drain(timeout=30)
    finally:
        restart.join()
    assert progress(mailing) == engine_module.Progress(total=30, sent=30)
    assert smtp_sink.per_recipient() == dict.fromkeys(readers, 1)
    assert not Delivery.objects.filter(mailing=mailing, attempts__gt=1).exists()


def test_a_lost_claim_is_never_delivered(smtp_settings, smtp_sink, audience, due_mailing):
    """The commit before the final dot finds the row taken over by another worker: the
    connection is dropped mid-DATA and the server has nothing."""
    audience(2, ["de"])
    mailing = due_mailing(["de"])
    engine = fast_engine()
    engine.start_due()
    sender = Sender(engine)
    token, batch = sender.claim()
    assert len(batch) == 2
    taken = batch[0]
    Delivery.objects.filter(pk=taken.pk).update(claim_token="x" * 32)  # someone else's now
    assert sender.send(token, taken) == engine_module.LOST
    assert sender.send(token, batch[1]) == engine_module.SENT  # on a new connection
    time.sleep(0.2)
    assert smtp_sink.per_recipient() == {batch[1].subscriber.email: 1}
    taken.refresh_from_db()
    assert taken.status == Delivery.Status.QUEUED
    assert progress(mailing).sent == 1


def test_a_dead_workers_claims_are_taken_over_after_the_lease(audience, due_mailing):
    audience(3, ["de"])
    due_mailing(["de"])
    engine = fast_engine(lease=0.3)
    engine.start_due()
    _, abandoned = Sender(engine).claim()  # a worker that claims, then is killed
    assert len(abandoned) == 3
    assert Sender(engine).claim()[1] == []
    time.sleep(0.35)
    assert {d.pk for d in Sender(engine).claim()[1]} == {d.pk for d in abandoned}


def test_without_smtp_the_django_backend_is_used(audience, due_mailing):
    readers = audience(5, ["de"])
    mailing = due_mailing(["de"])
    fast_engine().drain()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(readers)
    assert progress(mailing).sent == 5


def test_progress_is_one_query(audience, due_mailing):
    audience(8)
    mailing = due_mailing()
    Engine().start_due()
    with assert_max_queries(1, exact=True):
        assert progress(mailing) == engine_module.Progress(total=8, queued=8)
    assert progress(mailing).percent == 0


def test_claiming_and_skipping_do_not_grow_with_the_batch(
    smtp_settings, audience, due_mailing, settings
):
    audience(40, ["de"])
    due_mailing(["de"])
    for size in (1, 40):
        engine = fast_engine(batch=size)
        engine.start_due()
        sender = Sender(engine)
        with assert_max_queries(6):  # with the savepoint's two
            token, batch = sender.claim()
        with assert_max_queries(3):
            sender.skip_gone(token, batch)
        assert len(batch) == size
        Delivery.objects.filter(claim_token=token).update(claim_token="", lease_until=None)


def test_the_rate_limit_spreads_messages():
    limiter = RateLimiter(100)
    stop = threading.Event()
    started = time.monotonic()
    for _ in range(150):
        assert limiter.acquire(stop)
    elapsed = time.monotonic() - started
    assert 0.45 < elapsed < 1.5  # 100 at once (one second's burst), 50 more at 100/s


def test_no_rate_limit_when_zero():
    limiter = RateLimiter(0)
    started = time.monotonic()
    for _ in range(10_000):
        limiter.acquire(threading.Event())
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("argument", [["--lease", "0"], ["--connections", "0"]])
def test_command_refuses_nonsense(argument):
    with pytest.raises(CommandError):
        call_command("send_newsletters", "--until-done", *argument)


@pytest.mark.parametrize(
    ("address", "envelope", "path"),
    [
        ("olena@example.org", "olena@example.org", "<olena@example.org>"),
        ("o.k+news@mail.example.org", "o.k+news@mail.example.org", "<o.k+news@mail.example.org>"),
        # Not plain: Django's sanitising (display name dropped by smtplib, IDNA domain).
        ("Solidar <news@example.org>", "Solidar <news@example.org>", "<news@example.org>"),
        ("olena@пример.укр", "olena@xn--e1afmkfd.xn--j1amh", "<olena@xn--e1afmkfd.xn--j1amh>"),
    ],
)
def test_envelope_addresses_skip_the_parser_only_when_plain(address, envelope, path):
    assert engine_module.envelope_address(address) == envelope
    assert engine_module._path(engine_module.envelope_address(address)) == path
