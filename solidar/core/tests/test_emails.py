"""Outgoing e-mail: rendered messages survive the task payload, real SMTP delivery on
loopback, temporary failures retried and final ones not."""

from __future__ import annotations

import email
import json
import smtplib
import socket
from datetime import timedelta
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings
from django.utils import timezone
from django_tasks import default_task_backend

from solidar.core import emails
from solidar.core.tasks import deliver_email, is_temporary_failure

HTML = "<p>Hello <strong>Lena</strong></p>"


def a_message() -> EmailMultiAlternatives:
    msg = EmailMultiAlternatives(
        subject="Your forum registration",
        body="Hello Lena",
        from_email="Solidar <noreply@solidar.example>",
        to=["lena@example.org"],
        headers={"List-Unsubscribe": "<https://solidar.example/u/abc>", "X-Solidar": "1"},
    )
    msg.attach_alternative(HTML, "text/html")
    return msg


def test_payload_round_trip_keeps_html_and_headers():
    payload = emails.message_to_payload(a_message())
    restored = emails.payload_to_message(payload)
    assert restored.subject == "Your forum registration"
    assert restored.body == "Hello Lena"
    assert restored.from_email == "Solidar <noreply@solidar.example>"
    assert restored.to == ["lena@example.org"]
    assert restored.extra_headers["List-Unsubscribe"] == "<https://solidar.example/u/abc>"
    assert [tuple(alt) for alt in restored.alternatives] == [(HTML, "text/html")]
    rendered = restored.message()
    assert rendered["X-Solidar"] == "1"
    assert rendered.get_content_type() == "multipart/alternative"
    # The payload is plain JSON: the database task backend stores it as such.
    assert json.loads(json.dumps(payload)) == payload


def test_payload_defaults_the_sender():
    msg = EmailMultiAlternatives(subject="s", body="b", to=["a@example.org"])
    msg.from_email = None
    assert emails.message_to_payload(msg)["from_email"]


@pytest.mark.django_db
def test_queue_message_sends_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        emails.queue_message(a_message())
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives[0][0] == HTML


@pytest.mark.parametrize(
    ("error", "temporary"),
    [
        (smtplib.SMTPDataError(451, b"try later"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPSenderRefused(421, b"busy", "a@b"), True),
        (smtplib.SMTPRecipientsRefused({"a@b": (450, b"greylisted")}), True),
        (smtplib.SMTPRecipientsRefused({"a@b": (550, b"no such user")}), False),
        (smtplib.SMTPRecipientsRefused({"a@b": (450, b"x"), "c@d": (550, b"y")}), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPConnectError(421, b"too many connections"), True),
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (smtplib.SMTPNotSupportedError(), False),
    ],
)
def test_temporary_and_final_failures(error, temporary):
    assert is_temporary_failure(error) is temporary


# --- real SMTP on loopback ------------------------------------------------------------------


class Collector:
    """An SMTP server's DATA handler: answers 451 (or ``reply``) ``fail`` times, then accepts."""

    def __init__(self, fail: int = 0, reply: str = "451 4.3.0 Try again later"):
        self.fail = fail
        self.reply = reply
        self.attempts = 0
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.attempts += 1
        if self.fail:
            self.fail -= 1
            return self.reply
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    servers = []

    def start(**kwargs) -> Collector:
        handler = Collector(**kwargs)
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        servers.append(controller)
        return handler, controller.port

    yield start
    for controller in servers:
        controller.stop()


def smtp_settings(port: int):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
    )


@pytest.mark.django_db
def test_queued_message_arrives_over_smtp(smtp_server, django_capture_on_commit_callbacks):
    handler, port = smtp_server()
    with smtp_settings(port), django_capture_on_commit_callbacks(execute=True):
        emails.queue_message(a_message())
    assert handler.attempts == 1
    (received,) = handler.messages
    assert received["Subject"] == "Your forum registration"
    assert received["To"] == "lena@example.org"
    assert received["List-Unsubscribe"] == "<https://solidar.example/u/abc>"
    assert received.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part for part in received.walk()}
    assert parts["text/plain"].get_payload(decode=True).decode() == "Hello Lena"
    assert parts["text/html"].get_payload(decode=True).decode() == HTML


@pytest.mark.django_db
def test_temporary_failure_is_retried_until_it_arrives(smtp_server):
    # The immediate test backend cannot defer, so the retries run at once.
    handler, port = smtp_server(fail=2)
    with smtp_settings(port):
        result = deliver_email.enqueue(emails.message_to_payload(a_message()))
    assert result.status == "SUCCESSFUL"
    assert handler.attempts == 3
    assert len(handler.messages) == 1


@pytest.mark.django_db
def test_final_failure_is_not_retried(smtp_server):
    handler, port = smtp_server(fail=1, reply="550 5.1.1 No such user")
    with smtp_settings(port):
        result = deliver_email.enqueue(emails.message_to_payload(a_message()))
    assert result.status == "FAILED"
    assert "SMTPDataError" in result.errors[0].exception_class_path
    assert handler.attempts == 1
    assert handler.messages == []


@pytest.mark.django_db
def test_retries_stop_after_the_last_attempt(smtp_server):
    handler, port = smtp_server(fail=100)
    with smtp_settings(port):
        result = deliver_email.enqueue(emails.message_to_payload(a_message()))
    assert handler.attempts == 6
    assert handler.messages == []
    assert result.status == "SUCCESSFUL"  # the first attempt handed over to its retry


DUMMY_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []},
}


@pytest.mark.django_db
def test_451_reenqueues_with_backoff_on_a_deferring_backend(smtp_server):
    handler, port = smtp_server(fail=1)
    payload = emails.message_to_payload(a_message())
    with smtp_settings(port), override_settings(TASKS=DUMMY_TASKS):
        backend = default_task_backend
        backend.clear()
        before = timezone.now()
        sent = deliver_email.func(None, payload, 3)
        (retry,) = backend.results
        assert sent == 0
        assert handler.attempts == 1
        assert retry.task.func is deliver_email.func
        assert retry.args == [payload, 4]
        # Attempt 3 waits 2**2 = 4 minutes before attempt 4.
        assert before + timedelta(minutes=4) <= retry.task.run_after
        assert retry.task.run_after <= timezone.now() + timedelta(minutes=4)
        # The retry delivers.
        assert deliver_email.func(None, *retry.args) == 1
    assert len(handler.messages) == 1
