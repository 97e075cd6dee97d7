# ruff: noqa: F811 - the network's fixtures are imported, then asked for by name
"""Fixtures of the newsletter's tests (helpers append theirs below, one section each).

make_list(slug, language, **fields)      a MailingList
make_subscriber(email, lists, status)    a Subscriber with subscriptions (confirmed)
make_mailing(title, variants, lists, languages, status, by)   a Mailing with variants
smtp_sink                                a real SMTP server on loopback (aiosmtpd) that
                                         records what it accepts, can answer 4xx/5xx
smtp_settings                            Django's EMAIL_* settings pointed at smtp_sink
"""

from __future__ import annotations

import collections
import email
import email.policy
import logging
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from solidar.network.tests.conftest import (  # noqa: F401 - personas shared with the network
    coordinator,
    coordinator_without_mfa,
    hidden_member,
    koeln,
    member,
    minsk,
    other_member,
    paris,
)
from solidar.newsletter import links
from solidar.newsletter.models import (
    Mailing,
    MailingList,
    MailingVariant,
    Subscriber,
    Subscription,
)


# -- shared (editor helper) ----------------------------------------------------------------
@pytest.fixture
def make_list(db):
    def make(slug: str = "monthly-de", language: str = "de", **fields) -> MailingList:
        fields.setdefault("name", f"List {slug}")
        return MailingList.objects.create(slug=slug, language=language, **fields)

    return make


@pytest.fixture
def make_subscriber(db):
    def make(
        email: str,
        lists=(),
        status: str = Subscription.Status.CONFIRMED,
        user=None,
    ) -> Subscriber:
        subscriber = Subscriber.objects.create(
            email=email, email_digest=links.email_digest(email), user=user
        )
        now = timezone.now()
        for mailing_list in lists:
            Subscription.objects.create(
                subscriber=subscriber,
                mailing_list=mailing_list,
                status=status,
                consent_version="test",
                requested_at=now,
                confirmed_at=now if status == Subscription.Status.CONFIRMED else None,
            )
        return subscriber

    return make


@pytest.fixture
def make_mailing(db):
    def make(
        title: str = "Monthly newsletter",
        variants: dict[str, tuple[str, str]] | None = None,
        lists=(),
        languages=None,
        status: str = Mailing.Status.DRAFT,
        by=None,
        **fields,
    ) -> Mailing:
        if variants is None:
            variants = {"de": ("Rundbrief", "Hallo aus **Köln**.")}
        mailing = Mailing.objects.create(title=title, status=status, created_by=by, **fields)
        for language, (subject, body) in variants.items():
            MailingVariant.objects.create(
                mailing=mailing,
                language=language,
                subject=subject,
                body=body,
                archive_slug=f"{language}-{str(mailing.pk)[:8]}",
            )
        mailing.lists.set(lists)
        mailing.languages = list(languages if languages is not None else variants)
        mailing.save(update_fields=["languages"])
        return mailing

    return make


# -- SMTP on loopback (engine helper) ------------------------------------------------------
def pytest_configure(config):
    # The same marker solidar/core/tests registers, for runs of this folder alone.
    config.addinivalue_line(
        "markers", "slow: starts subprocesses (gunicorn, manage.py); runs in `make test` too"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Received:
    recipient: str
    message_id: str
    raw: bytes

    def parsed(self) -> email.message.EmailMessage:
        """The message with its headers decoded (``email.policy.default``)."""
        return email.message_from_bytes(self.raw, policy=email.policy.default)


@dataclass
class SinkHandler:
    """The aiosmtpd handler. ``rcpt_replies`` / ``data_replies``: address -> list of
    replies to give (one is used per attempt; the last one repeats when ``sticky``)."""

    received: list[Received] = field(default_factory=list)
    rcpt_replies: dict[str, list[str]] = field(default_factory=dict)
    data_replies: dict[str, list[str]] = field(default_factory=dict)
    attempts: collections.Counter = field(default_factory=collections.Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def _next(replies: dict[str, list[str]], address: str) -> str | None:
        queue = replies.get(address.lower())
        if not queue:
            return None
        return queue.pop(0) if len(queue) > 1 or not queue[0].startswith("5") else queue[0]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        with self.lock:
            self.attempts[address.lower()] += 1
            reply = self._next(self.rcpt_replies, address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        raw = envelope.original_content or b""
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                reply = self._next(self.data_replies, rcpt)
                if reply:
                    return reply
            message_id = email.message_from_bytes(raw).get("Message-ID", "")
            for rcpt in envelope.rcpt_tos:
                self.received.append(Received(rcpt.lower(), message_id, raw))
        return "250 OK queued"


class Sink:
    """An SMTP server on 127.0.0.1 that can be stopped and started again on its port."""

    def __init__(self, port: int | None = None) -> None:
        # aiosmtpd logs every command at INFO: noise, and slow over thousands of messages.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.port = port or free_port()
        self.handler = SinkHandler()
        self.controller: Controller | None = None

    def start(self) -> Sink:
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, data_size_limit=10_000_000
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    # -- what arrived --
    @property
    def received(self) -> list[Received]:
        return list(self.handler.received)

    def per_recipient(self) -> collections.Counter:
        return collections.Counter(item.recipient for item in self.handler.received)

    def for_recipient(self, address: str) -> list[Received]:
        return [item for item in self.handler.received if item.recipient == address.lower()]

    # -- how it answers --
    def answer_rcpt(self, address: str, *replies: str) -> None:
        """E.g. ``answer_rcpt(a, "451 4.7.1 Later", "451 4.7.1 Later")`` then 250;
        a 5xx reply repeats for ever."""
        self.handler.rcpt_replies[address.lower()] = list(replies)

    def answer_data(self, address: str, *replies: str) -> None:
        """Replies to the end of the data of a message to ``address`` (same rules)."""
        self.handler.data_replies[address.lower()] = list(replies)


@pytest.fixture
def smtp_sink():
    sink = Sink().start()
    yield sink
    sink.stop()


@pytest.fixture
def smtp_settings(settings, smtp_sink):
    """Django's e-mail settings pointed at ``smtp_sink``: the engine speaks SMTP to it."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return settings
