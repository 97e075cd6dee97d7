"""The newsletter sending engine: its own process (``manage.py send_newsletters``).

A worker runs ``connections`` sender threads, each with its own SMTP connection (reused
from message to message) and its own database connection, and a main thread that starts
due mailings (a conditional UPDATE, so one worker wins, then the snapshot of recipients,
in one transaction), cancels what is left of cancelled mailings and marks finished ones
sent. Login and other e-mails go through the task worker's queue, never through here, so
a big send never delays them; the process lowers its own CPU priority so that web
requests come first.

Claiming: a sender takes a batch of queued deliveries of sending mailings that are due
(``next_attempt_at``) and not leased by anyone (``lease_until``), writing a random
``claim_token`` and a lease. PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` then an
UPDATE in one transaction; SQLite: the same statements in a write transaction (``BEGIN
IMMEDIATE``: SQLite runs one writer at a time). The lease is renewed while the batch is
worked on; a killed worker's claims are taken over by others once it runs out.

Exactly once, even when the worker is killed (SIGKILL) at any moment. For each message the
sender writes MAIL FROM, RCPT TO, DATA and the whole dot-stuffed message but *not* the final
``.``; then it commits ``status=sent`` for that delivery in its own transaction, on
condition that the row is still queued and still carries this batch's claim token; only
then it writes the final ``.`` and reads the server's answer.

- Killed before that commit: the connection drops in the middle of DATA, the server
  throws the unfinished message away, the row is still queued and is sent again once the
  lease runs out.
- The commit finds the row no longer ours (lease lost to another worker, mailing
  cancelled): the connection is closed without the final dot (in the middle of DATA,
  RSET would only be more message text), so nothing is delivered.
- Killed after the commit, before or just after the dot: each connection has a keeper
  (``ConnectionKeeper``), a small process holding a duplicate of its socket, told which
  delivery is between commit and dot. When the engine dies, the keeper asks the database
  whether that delivery was committed as sent under this claim and, if so, writes the
  final dot itself; then it holds the connection open a few seconds more, so that the
  server finishes the message (aiosmtpd, for one, drops a whole message whose dot arrives
  together with the end of the connection). Without the keeper, a kill in the gap between
  commit and dot (microseconds, or milliseconds when another sender thread holds the GIL)
  lost the message: the crash test saw it about once in five runs. (On PostgreSQL the
  COMMIT is handed to the kernel and the dot written right after it, before the answer is
  read: see ``mark_sent_then``.)
- No answer after the dot (connection lost): the message may or may not have been taken;
  it stays sent (never twice). Writing the dot fails outright: the server had closed the
  connection, so it has nothing; the delivery is queued again.

Answers: 4xx (at RCPT, DATA or after the dot) puts the delivery back in the queue with
``attempts + 1`` and an exponential pause, failing it after
``SOLIDAR_NEWSLETTER_MAX_ATTEMPTS``; 5xx fails it with a short ``last_error`` (addresses
blanked out). A server that cannot be reached (or drops the connection, or answers 421)
fails nothing: the batch's claims are released with a pause and the sender reconnects with
a growing pause (1 s doubling to 30 s by default).

Before each batch, deliveries whose subscriber is gone, suppressed or no longer on any of
the mailing's lists are skipped; a paused or cancelled mailing stops being claimed (and
during a batch its status is looked at again every half second).

When ``EMAIL_BACKEND`` is not Django's SMTP backend (locmem in tests, the console in
development) messages go through Django's mail backend and are marked sent after it
returns: that path has none of the guarantees above and is for development only.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import secrets
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import connections, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from solidar.core.priority import lower_priority
from solidar.newsletter import bounces, compose, mailings, recipients
from solidar.newsletter.models import (
    Delivery,
    Mailing,
    MailingVariant,
    Subscription,
    Suppression,
)

log = logging.getLogger(__name__)

_ADDRESS = re.compile(r"<?[^\s<>]+@[^\s<>]+>?")
STATUS_RECHECK_SECONDS = 0.5


# -- progress ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Progress:
    total: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    queued: int = 0

    @property
    def done(self) -> int:
        return self.total - self.queued

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


def progress(mailing: Mailing) -> Progress:
    """How far a send is: deliveries counted by status in one query."""
    counts = dict(
        Delivery.objects.filter(mailing=mailing)
        .order_by()
        .values_list("status")
        .annotate(Count("id"))
    )
    by_status = {status.value: counts.get(status.value, 0) for status in Delivery.Status}
    return Progress(total=sum(counts.values()), **by_status)


# -- helpers -----------------------------------------------------------------------------------
# An enhanced status code saying the address itself is bad (RFC 3463: X.1.x, permanent).
_NO_SUCH_ADDRESS = re.compile(r"(?<![\d.])5\.1\.\d{1,3}(?![\d.])")


def short_error(code: int, text: bytes | str) -> str:
    """An SMTP answer for ``last_error``: short, without any address in it."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {_ADDRESS.sub('[address]', ' '.join(text.split()))}"[:200]


class RateLimiter:
    """A token bucket shared by the sender threads: ``rate`` messages per second in all
    (bursts up to one second's worth); 0 means no limit."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.capacity = max(1.0, float(rate))
        self.tokens = self.capacity
        self.updated = time.monotonic()
        self.lock = threading.Lock()

    def acquire(self, stop: threading.Event) -> bool:
        if not self.rate:
            return True
        while not stop.is_set():
            with self.lock:
                now = time.monotonic()
                self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return True
                wait = (1 - self.tokens) / self.rate
            stop.wait(wait)
        return False


class SmtpUnavailableError(Exception):
    """The SMTP server cannot be reached, dropped the connection or is closing it (421):
    nothing to hold against the recipient."""


# Outcomes of one message.
SENT, RETRY, FAILED, LOST, UNSENT = "sent", "retry", "failed", "lost", "unsent"


# The keeper of a connection (see ConnectionKeeper): reads the engine's notes from its
# stdin until the engine closes it or dies; then, if a message was between its commit and
# its final dot, asks the database whether the commit happened and if so writes the dot;
# waits, and exits (closing its copy of the socket). Django is set up only in that case.
_KEEPER = """
import os, sys, time
fd, wait, pending = int(sys.argv[1]), float(sys.argv[2]), None
for line in sys.stdin.buffer:
    line = line.strip()
    pending = None if line == b"-" else line.decode()
if pending:
    pk, token = pending.split()
    time.sleep(1.0)  # a COMMIT on its way to a database server is decided by now
    import django
    django.setup()
    from solidar.newsletter.models import Delivery
    if Delivery.objects.filter(pk=int(pk), claim_token=token, status="sent").exists():
        os.write(fd, b".\\r\\n")
time.sleep(wait)
"""
KEEP_SECONDS = 5.0


class ConnectionKeeper:
    """Exactly once even when the engine is killed between marking a delivery sent and
    writing the message's final dot, or just after the dot.

    Each SMTP connection gets a keeper: a small process holding a duplicate of the socket.
    Before the commit the engine tells it the delivery in flight (``begin``), after the
    dot it says it is done (``finish``). If the engine dies in between, the keeper sees
    its stdin end with a delivery in flight, asks the database whether that delivery was
    committed as sent (with this claim), and if so writes the final dot itself; if not, it
    writes nothing and the server discards the unfinished message (the delivery is sent
    again after the lease). A second dot after one that arrived is only an unknown
    command to the server. In every case the keeper holds the connection open a few
    seconds more: some servers (aiosmtpd) drop a whole message whose dot arrived together
    with the end of the connection."""

    def __init__(self, sock: socket.socket) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed code
            [sys.executable, "-c", _KEEPER, str(sock.fileno()), str(KEEP_SECONDS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=[sock.fileno()],
            start_new_session=True,  # not stopped by a Ctrl-C meant for the engine
        )

    def _note(self, line: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            os.write(self.proc.stdin.fileno(), line.encode() + b"\n")

    def begin(self, pending: str) -> None:
        self._note(pending)

    def finish(self) -> None:
        self._note("-")

    def release(self) -> None:
        """The engine is done with the connection: the keeper lets go after its wait."""
        with contextlib.suppress(OSError):
            self.proc.stdin.close()


class SmtpTransport:
    """One SMTP connection (opened with Django's EMAIL_* settings), reused across messages,
    with the commit-before-the-final-dot protocol described above, and a keeper
    (``ConnectionKeeper``) holding it open should the engine die."""

    crash_safe = True

    def __init__(self) -> None:
        self.backend = SmtpBackend(fail_silently=False)
        self.options = ""  # MAIL FROM's parameters
        self.keeper: ConnectionKeeper | None = None
        self._released: list[ConnectionKeeper] = []

    @property
    def connection(self) -> smtplib.SMTP:
        if self.backend.connection is None:
            try:
                self.backend.open()
                conn = self.backend.connection
                conn.ehlo_or_helo_if_needed()
                # The final ".\r\n" is a small write after the body: without this, Nagle's
                # algorithm holds it until the server's delayed ACK (~40 ms a message).
                conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.keeper = ConnectionKeeper(conn.sock)
            except (OSError, smtplib.SMTPException) as error:
                self.drop()
                raise SmtpUnavailableError(type(error).__name__) from error
            self.options = " BODY=8BITMIME" if conn.has_extn("8bitmime") else ""
        return self.backend.connection

    def ensure(self) -> None:
        self.connection  # noqa: B018 - opens it

    def drop(self) -> None:
        """Close the socket without a word (no QUIT: in the middle of DATA any command
        would be message text)."""
        conn, self.backend.connection = self.backend.connection, None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()
        self._release_keeper()

    def close(self) -> None:
        try:
            self.backend.close()
        except (OSError, smtplib.SMTPException):
            self.drop()
        self._release_keeper()

    def _release_keeper(self) -> None:
        if self.keeper is not None:
            self.keeper.release()
            self._released.append(self.keeper)
            self.keeper = None
        # Reap the keepers that have finished their wait (no zombies in a long run).
        self._released = [k for k in self._released if k.proc.poll() is None]

    def _refused(self, code: int, text: bytes) -> tuple[str, str]:
        if code == 421:
            self.drop()
            raise SmtpUnavailableError("421")
        try:
            self.connection.rset()
        except (OSError, smtplib.SMTPException):
            self.drop()
        return (RETRY if 400 <= code < 500 else FAILED), short_error(code, text)

    def deliver(
        self,
        sender: str,
        recipient: str,
        message: bytes,
        commit,
        pending: str = "",
        *,
        stuffed: bool = False,
    ) -> tuple[str, str]:
        """Send ``message`` (the bytes of the e-mail, CRLF line ends) to ``recipient``.
        ``pending``: "<delivery pk> <claim token>", for the connection's keeper;
        ``stuffed``: the bytes are dot-stuffed already and end with CRLF
        (``compose.Prepared``)."""
        sender = envelope_address(sender)
        recipient = envelope_address(recipient)
        data = message
        if not stuffed:
            data = smtplib._quote_periods(message)  # noqa: SLF001 - smtplib's own quoting
            if not data.endswith(b"\r\n"):
                data += b"\r\n"
        conn = self.connection
        try:
            conn.putcmd("mail", f"FROM:{_path(sender)}{self.options}")
            code, text = conn.getreply()
            if code != 250:
                # The sender refused: about us, not the recipient. Try again later.
                self.drop()
                raise SmtpUnavailableError(short_error(code, text))
            conn.putcmd("rcpt", f"TO:{_path(recipient)}")
            code, text = conn.getreply()
            if code not in (250, 251):
                return self._refused(code, text)
            conn.putcmd("data")
            code, text = conn.getreply()
            if code != 354:
                return self._refused(code, text)
            conn.send(data)  # everything but the final ".\r\n"
        except (OSError, smtplib.SMTPException) as error:
            self.drop()
            raise SmtpUnavailableError(type(error).__name__) from error
        # The point of no return: the delivery is marked sent, and the final dot written
        # right after the commit is on its way (``commit`` calls ``end``).
        dot_written = []
        keeper = self.keeper

        def end() -> None:
            try:
                conn.send(b".\r\n")
                dot_written.append(True)
            except (OSError, smtplib.SMTPException):
                pass

        if keeper is not None and pending:
            keeper.begin(pending)
        committed = commit(end)
        if keeper is not None and pending:
            keeper.finish()
        if not committed:
            self.drop()
            return LOST, ""
        if not dot_written:
            self.drop()
            return UNSENT, "connection lost before the end of the message"
        try:
            code, text = conn.getreply()
        except (OSError, smtplib.SMTPException):
            self.drop()
            return SENT, "no answer after the end of the message"
        if code == 250:
            return SENT, ""
        if code == 421:
            self.drop()
        return (RETRY if 400 <= code < 500 else FAILED), short_error(code, text)


class DjangoTransport:
    """Django's configured mail backend (locmem, console): marked sent after it returns."""

    crash_safe = False

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)
        self.backend.open()

    def ensure(self) -> None:
        pass

    def deliver_message(self, email_message, commit) -> tuple[str, str]:
        try:
            self.backend.send_messages([email_message])
        except (OSError, smtplib.SMTPException) as error:
            raise SmtpUnavailableError(type(error).__name__) from error
        return (SENT, "") if commit(lambda: None) else (LOST, "")

    def close(self) -> None:
        self.backend.close()


# A plain address (ASCII, no quoting, no display name) is its own envelope address; only
# others need the email package's parser (which costs more than sending the message).
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+\Z")


def envelope_address(address: str) -> str:
    """The address as SMTP's MAIL FROM or RCPT TO takes it (Django's sanitising)."""
    if _PLAIN_ADDRESS.match(address):
        return address
    return _sanitized(address)


@functools.lru_cache(maxsize=64)  # the sender, mostly
def _sanitized(address: str) -> str:
    return sanitize_address(address, settings.DEFAULT_CHARSET)


def _path(address: str) -> str:
    """An envelope address in angle brackets, as smtplib's ``mail`` and ``rcpt`` write it
    (without parsing a plain one again)."""
    return f"<{address}>" if _PLAIN_ADDRESS.match(address) else smtplib.quoteaddr(address)


def uses_smtp() -> bool:
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def _sent_statement(connection) -> str:
    """The UPDATE that marks one delivery sent if it is still queued and still carries
    the claim token: written once, as plain SQL (building it with the ORM for every
    message cost more than running it)."""
    quote = connection.ops.quote_name
    column = {
        name: quote(Delivery._meta.get_field(name).column)
        for name in ("id", "status", "claim_token", "sent_at", "attempts", "last_error")
    }
    # Table and column names from the model, quoted; the values are parameters.
    return (
        f"UPDATE {quote(Delivery._meta.db_table)} SET {column['status']} = %s, "  # noqa: S608
        f"{column['sent_at']} = %s, {column['attempts']} = %s, {column['last_error']} = '' "
        f"WHERE {column['id']} = %s AND {column['claim_token']} = %s "
        f"AND {column['status']} = %s"
    )


def mark_sent_then(pk: int, token: str, attempts: int, end) -> bool:
    """Mark delivery ``pk`` sent (if it is still queued and still ours: ``token``), with
    ``attempts``, and call ``end()`` (write the final dot) as soon as that commit cannot
    be stopped any more. False, without calling ``end``, when the row is no longer ours.

    SQLite commits inside this process: the UPDATE returns once it is in the database
    file, and ``end`` follows. PostgreSQL commits in the server: once the server has the
    statement, killing this process no longer stops the commit, so waiting for its answer
    (fsync, the way back, being scheduled again: milliseconds) before writing the dot would
    make a wide window for a lost message. So on PostgreSQL the row is updated (and locked)
    in a transaction, the COMMIT is handed to the kernel without waiting, the dot right
    after it, and only then the COMMIT's answer is read.
    """
    connection = transaction.get_connection()
    params = (
        Delivery.Status.SENT.value,
        connection.ops.adapt_datetimefield_value(timezone.now()),
        attempts,
        pk,
        token,
        Delivery.Status.QUEUED.value,
    )
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # (Inside an outer transaction, as in tests, the commit is not ours to make.)
        with connection.cursor() as cursor:
            cursor.execute(_sent_statement(connection), params)
            if cursor.rowcount != 1:
                return False
        end()
        return True
    from psycopg import generators, pq

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_sent_statement(connection), params)
            if cursor.rowcount != 1:
                return False
        pg = connection.connection
        pg.pgconn.send_query(b"COMMIT")
        pg.wait(generators.send(pg.pgconn))
        end()
        results = pg.wait(generators.fetch_many(pg.pgconn))
        if not results or results[-1].status != pq.ExecStatus.COMMAND_OK:
            # The message is out but the row may say queued: it could go twice.
            log.error("newsletter: COMMIT after the final dot failed")
    return True


# -- the engine --------------------------------------------------------------------------------
class Engine:
    """One worker process's engine. ``run()`` is the process (threads); tests may also
    drive ``housekeeping()`` and ``Sender(engine).work()`` step by step."""

    def __init__(
        self,
        *,
        connections: int | None = None,
        batch: int | None = None,
        lease: float = 30.0,
        rate: float | None = None,
        max_attempts: int | None = None,
        retry_delay: float = 60.0,
        retry_max: float = 6 * 3600.0,
        reconnect_delay: float = 1.0,
        reconnect_max: float = 30.0,
        idle_sleep: float = 1.0,
    ) -> None:
        self.connections = connections or settings.SOLIDAR_NEWSLETTER_CONNECTIONS
        self.batch = batch or settings.SOLIDAR_NEWSLETTER_BATCH
        self.lease = lease
        self.max_attempts = max_attempts or settings.SOLIDAR_NEWSLETTER_MAX_ATTEMPTS
        self.retry_delay = retry_delay
        self.retry_max = retry_max
        self.reconnect_delay = reconnect_delay
        self.reconnect_max = reconnect_max
        self.idle_sleep = idle_sleep
        self.stop_event = threading.Event()
        self.limiter = RateLimiter(settings.SOLIDAR_NEWSLETTER_RATE if rate is None else rate)
        self._renders: dict[tuple, compose.Rendered | None] = {}
        self._renders_lock = threading.Lock()

    # -- the main thread's work --
    def start_due(self) -> int:
        """SCHEDULED mailings whose time has come: SENDING (one worker wins) and
        snapshotted, in one transaction."""
        now = timezone.now()
        started = 0
        due = Mailing.objects.filter(status=Mailing.Status.SCHEDULED, scheduled_at__lte=now)
        for mailing in due.order_by("scheduled_at"):
            with transaction.atomic():
                won = Mailing.objects.filter(
                    pk=mailing.pk, status=Mailing.Status.SCHEDULED, scheduled_at__lte=now
                ).update(status=Mailing.Status.SENDING, started_at=now)
                if won:
                    count = recipients.snapshot(mailing)
                    started += 1
            if won:
                log.info("newsletter: mailing %s started, %d recipients", mailing.pk, count)
        return started

    def wind_up(self) -> int:
        """Cancel the queue of cancelled mailings; mark sending mailings with nothing
        queued or in anyone's hands as sent. Returns how many were marked sent."""
        now = timezone.now()
        Delivery.objects.filter(
            mailing__status=Mailing.Status.CANCELLED, status=Delivery.Status.QUEUED
        ).update(status=Delivery.Status.CANCELLED, claim_token="", lease_until=None)
        deliveries = Delivery.objects.filter(mailing=OuterRef("pk"))
        finished = Mailing.objects.filter(status=Mailing.Status.SENDING).exclude(
            Exists(deliveries.filter(status=Delivery.Status.QUEUED))
        )
        finished = finished.exclude(Exists(deliveries.filter(lease_until__gt=now)))
        # One by one through mailings.mark_sent: the audit row, and the public archive
        # (cached for anonymous readers) shows the mailing at once.
        count = sum(mailings.mark_sent(mailing) for mailing in finished)
        if count:
            log.info("newsletter: %d mailing(s) sent", count)
        return count

    def housekeeping(self) -> None:
        self.start_due()
        self.wind_up()

    def busy(self) -> bool:
        """Anything sending, or due to start?"""
        return Mailing.objects.filter(
            Q(status=Mailing.Status.SENDING)
            | Q(status=Mailing.Status.SCHEDULED, scheduled_at__lte=timezone.now())
        ).exists()

    # -- shared by the senders --
    def rendered(self, mailing: Mailing, language: str) -> compose.Rendered | None:
        key = (mailing.pk, language, mailing.updated_at)
        with self._renders_lock:
            if key in self._renders:
                return self._renders[key]
        variant = MailingVariant.objects.filter(mailing=mailing, language=language).first()
        result = compose.render(variant) if variant else None
        with self._renders_lock:
            self._renders[key] = result
        return result

    def prepared(self, mailing: Mailing, language: str) -> compose.Prepared | None:
        """The language's e-mail serialised once (``compose.Prepared``), or None."""
        key = ("prepared", mailing.pk, language, mailing.updated_at)
        with self._renders_lock:
            if key in self._renders:
                return self._renders[key]
        rendered = self.rendered(mailing, language)
        result = compose.Prepared(rendered, mailing) if rendered else None
        with self._renders_lock:
            self._renders[key] = result
        return result

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.retry_max, self.retry_delay * 2 ** max(0, attempts - 1)))

    # -- the process --
    def run(self, *, until_done: bool = False, nice: int = 10, tick: float = 1.0) -> None:
        """Send until stopped (SIGTERM/SIGINT: the current messages are finished), or with
        ``until_done`` until nothing is sending or due."""
        if nice:
            lower_priority(nice)
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: self.stop_event.set())
        threads = [
            threading.Thread(target=self._sender_loop, name=f"newsletter-{i}", daemon=True)
            for i in range(self.connections)
        ]
        for thread in threads:
            thread.start()
        try:
            while not self.stop_event.is_set():
                try:
                    self.housekeeping()
                    if until_done and not self.busy():
                        break
                except Exception:
                    # (A database that is briefly away must not stop the process, nor
                    # with it the whole platform in `make run`.)
                    log.exception("newsletter: housekeeping error")
                    connections.close_all()
                self.stop_event.wait(tick)
        finally:
            self.stop_event.set()
            for thread in threads:
                thread.join()
            connections.close_all()

    def _sender_loop(self) -> None:
        sender = Sender(self)
        try:
            while not self.stop_event.is_set():
                try:
                    handled = sender.work()
                except Exception:
                    log.exception("newsletter: sender error")
                    connections.close_all()  # a broken database connection is reopened
                    handled = 0
                if not handled:
                    self.stop_event.wait(sender.pause or self.idle_sleep)
        finally:
            sender.close()
            connections.close_all()

    def drain(self, timeout: float = 60.0) -> None:
        """Send in the calling thread with one sender until nothing is sending or due
        (for tests and one-off runs)."""
        sender = Sender(self)
        deadline = time.monotonic() + timeout
        try:
            while True:
                self.housekeeping()
                if not self.busy():
                    return
                if not sender.work():
                    time.sleep(sender.pause or 0.02)
                if time.monotonic() > deadline:
                    raise TimeoutError("the newsletter queue did not drain in time")
        finally:
            sender.close()


class Sender:
    """One sender thread's state: its transport (one SMTP connection) and its batch."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.transport = SmtpTransport() if uses_smtp() else DjangoTransport()
        self.delay = engine.reconnect_delay  # the next pause after a connection failure
        self.pause = 0.0  # how long to wait before the next work() (connection trouble)

    def close(self) -> None:
        self.transport.close()

    # -- claiming --
    def claim(self) -> tuple[str, list[Delivery]]:
        engine = self.engine
        token = secrets.token_hex(16)
        sending = list(
            Mailing.objects.filter(status=Mailing.Status.SENDING)
            .order_by()
            .values_list("pk", flat=True)
        )
        if not sending:
            return token, []
        now = timezone.now()
        with transaction.atomic():
            ids = list(
                Delivery.objects.filter(
                    Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
                    Q(lease_until__isnull=True) | Q(lease_until__lte=now),
                    mailing_id__in=sending,
                    status=Delivery.Status.QUEUED,
                )
                .select_for_update(skip_locked=True, of=("self",))
                .order_by()
                .values_list("pk", flat=True)[: engine.batch]
            )
            if not ids:
                return token, []
            Delivery.objects.filter(pk__in=ids).update(
                claim_token=token, lease_until=now + timedelta(seconds=engine.lease)
            )
        batch = list(
            Delivery.objects.filter(pk__in=ids, claim_token=token)
            .select_related("subscriber", "mailing")
            .order_by("pk")
        )
        return token, batch

    def skip_gone(self, token: str, batch: list[Delivery]) -> list[Delivery]:
        """Skip deliveries whose reader is gone, suppressed or off the mailing's lists."""
        present = [d for d in batch if d.subscriber_id is not None]
        digests = {d.subscriber.email_digest for d in present}
        suppressed = set(
            Suppression.objects.filter(email_digest__in=digests).values_list(
                "email_digest", flat=True
            )
        )
        on_lists = set(
            Subscription.objects.filter(
                subscriber_id__in={d.subscriber_id for d in present},
                status=Subscription.Status.CONFIRMED,
                mailing_list__mailings__in={d.mailing_id for d in present},
            ).values_list("subscriber_id", "mailing_list__mailings")
        )
        keep, skip = [], []
        for delivery in batch:
            if (
                delivery.subscriber_id is None
                or delivery.subscriber.email_digest in suppressed
                or (delivery.subscriber_id, delivery.mailing_id) not in on_lists
            ):
                skip.append(delivery.pk)
            else:
                keep.append(delivery)
        if skip:
            Delivery.objects.filter(
                pk__in=skip, claim_token=token, status=Delivery.Status.QUEUED
            ).update(status=Delivery.Status.SKIPPED, claim_token="", lease_until=None)
        return keep

    # -- one batch --
    def work(self) -> int:
        """Claim one batch and send it. Returns how many deliveries were handled."""
        engine = self.engine
        self.pause = 0.0
        try:
            self.transport.ensure()
        except SmtpUnavailableError as error:
            self._trouble(error)
            return 0
        token, batch = self.claim()
        if not batch:
            return 0
        handled = 0
        try:
            todo = self.skip_gone(token, batch)
            handled = len(batch) - len(todo)
            renew_at = time.monotonic() + engine.lease / 3
            recheck_at = time.monotonic() + STATUS_RECHECK_SECONDS
            stopped: set = set()
            for position, delivery in enumerate(todo):
                if engine.stop_event.is_set():
                    break
                if time.monotonic() >= recheck_at:
                    stopped = self._stopped_mailings({d.mailing_id for d in todo})
                    recheck_at = time.monotonic() + STATUS_RECHECK_SECONDS
                if delivery.mailing_id in stopped:
                    continue
                if time.monotonic() >= renew_at:
                    Delivery.objects.filter(
                        claim_token=token, pk__in=[d.pk for d in todo[position:]]
                    ).update(lease_until=timezone.now() + timedelta(seconds=engine.lease))
                    renew_at = time.monotonic() + engine.lease / 3
                if not engine.limiter.acquire(engine.stop_event):
                    break
                try:
                    self.send(token, delivery)
                except SmtpUnavailableError as error:
                    self._release(token, [d.pk for d in todo[position:]], error)
                    return handled
                handled += 1
                self.delay = engine.reconnect_delay
        finally:
            # Whatever is left of the batch (stopped, paused) goes back to the queue; sent
            # rows lose their claim so the mailing can be seen as finished.
            Delivery.objects.filter(pk__in=[d.pk for d in batch], claim_token=token).update(
                claim_token="", lease_until=None
            )
        return handled

    def _stopped_mailings(self, mailing_ids: set) -> set:
        still = set(
            Mailing.objects.filter(pk__in=mailing_ids, status=Mailing.Status.SENDING).values_list(
                "pk", flat=True
            )
        )
        return mailing_ids - still

    def _trouble(self, error: Exception) -> None:
        log.warning(
            "newsletter: SMTP server unavailable (%s), next try in %.1f s", error, self.delay
        )
        self.pause = self.delay
        self.delay = min(self.engine.reconnect_max, self.delay * 2)

    def _release(self, token: str, ids: list, error: Exception) -> None:
        """Give the rest of the batch back, due after the reconnect pause; no attempt
        counted (an unreachable server is not the recipient's fault)."""
        self._trouble(error)
        Delivery.objects.filter(
            pk__in=ids, claim_token=token, status=Delivery.Status.QUEUED
        ).update(
            claim_token="",
            lease_until=None,
            next_attempt_at=timezone.now() + timedelta(seconds=self.pause),
        )

    # -- one message --
    @staticmethod
    def _mine(token: str, delivery: Delivery):
        return Delivery.objects.filter(pk=delivery.pk, claim_token=token)

    def send(self, token: str, delivery: Delivery) -> str:
        engine = self.engine
        rendered = engine.rendered(delivery.mailing, delivery.language)
        if rendered is None:
            self._mine(token, delivery).filter(status=Delivery.Status.QUEUED).update(
                status=Delivery.Status.FAILED, last_error="no language version"
            )
            return FAILED
        subscriber = delivery.subscriber
        prepared = engine.prepared(delivery.mailing, delivery.language)

        def commit(end) -> bool:
            return mark_sent_then(delivery.pk, token, delivery.attempts + 1, end)

        def build():
            return compose.message(
                rendered, mailing=delivery.mailing, subscriber=subscriber, to=subscriber.email
            )

        try:
            if isinstance(self.transport, SmtpTransport):
                data = prepared.bytes_for(subscriber, subscriber.email)
                sender, stuffed = prepared.sender, data is not None
                if data is None:  # an address the prepared bytes cannot take
                    message = build()
                    data = message.message().as_bytes(linesep="\r\n")
                    sender = message.from_email
                outcome, error = self.transport.deliver(
                    sender,
                    subscriber.email,
                    data,
                    commit,
                    pending=f"{delivery.pk} {token}",
                    stuffed=stuffed,
                )
            else:
                outcome, error = self.transport.deliver_message(build(), commit)
        except ValueError:  # an address smtplib cannot put in an envelope
            outcome, error = FAILED, "address not deliverable"
            self._mine(token, delivery).filter(status=Delivery.Status.QUEUED).update(
                status=Delivery.Status.FAILED, last_error=error
            )
            return outcome
        attempts = delivery.attempts + 1
        if outcome == SENT and not error:
            return outcome
        mine = self._mine(token, delivery)
        if outcome == SENT:
            mine.update(last_error=error)
        elif outcome == UNSENT:
            mine.filter(status=Delivery.Status.SENT).update(
                status=Delivery.Status.QUEUED, sent_at=None, last_error=error
            )
        elif outcome in (RETRY, FAILED):
            # Sent already (an answer after the dot) or still queued (at RCPT/DATA).
            if outcome == RETRY and attempts < engine.max_attempts:
                changes = {
                    "status": Delivery.Status.QUEUED,
                    "next_attempt_at": timezone.now() + engine.backoff(attempts),
                }
            else:
                changes = {"status": Delivery.Status.FAILED}
            mine.filter(status__in=[Delivery.Status.QUEUED, Delivery.Status.SENT]).update(
                attempts=attempts, sent_at=None, last_error=error, **changes
            )
            if outcome == FAILED and _NO_SUCH_ADDRESS.search(error):
                # The server said the address does not exist (5.1.x): a hard bounce, told
                # at once instead of by a report later.
                bounces.record(subscriber.email, hard=True)
        return outcome
