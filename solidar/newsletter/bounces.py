"""Bounces and complaints: the rules that take an address off the lists when mail to it
cannot be delivered, whichever way the news arrives.

- **Hard bounce** (the address does not exist, the domain has no mail server: a 5.x.x
  status): the subscriber is forgotten at once (``services.forget``: deleted, its keyed
  digest suppressed with the reason ``hard_bounce``). A spam complaint does the same with
  ``complaint``, an unsubscribe at the e-mail service with ``unsubscribed``.
- **Soft bounce** (mailbox full, server busy, delivery delayed: a 4.x.x status, or an
  X.2.2 "mailbox full" of either class): counted on the subscriber. At
  ``SOLIDAR_NEWSLETTER_SOFT_BOUNCE_LIMIT`` (3) the subscriber is forgotten with
  ``soft_bounces``.

  * Soft bounces within ``SAME_EPISODE`` (20 hours) of the last counted one count once:
    one message that is deferred again and again, or reported by several events, is one
    problem, not three.
  * A soft bounce more than ``WINDOW`` (60 days) after the previous one starts the count
    afresh: a mailbox that was full for a week last spring is no reason to drop a reader
    in autumn. 60 days, not 30, so that a monthly newsletter to a mailbox that stays full
    still reaches the limit (three mailings in a row).
  * A successful delivery does not reset the count: the e-mail services report it only
    if asked, and a mailbox file never does; the window above does the forgetting. (The
    webhook ignores "delivered" events, so they cost nothing.)

- An address we do not know (already unsubscribed, never subscribed, or a bounce of some
  other mail) changes nothing.

Bounces arrive through the e-mail service's webhook (``views/bounces.py``, django-anymail's
normalised events: ``verdict_for_event``) and through ``manage.py read_bounces``, which
reads delivery status notifications from a mailbox (``bounces_in``: RFC 3464 reports, and
the plain-text bounces of Exim and qmail).

Logs never name an address: at most the first 12 characters of its keyed digest.
"""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from email.parser import HeaderParser

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from solidar.core import audit
from solidar.newsletter import services
from solidar.newsletter.models import Subscriber, Suppression

logger = logging.getLogger(__name__)

SAME_EPISODE = timedelta(hours=20)
WINDOW = timedelta(days=60)


class Outcome(enum.StrEnum):
    UNKNOWN = "unknown"  # no subscriber has this address: nothing changed
    COUNTED = "counted"  # a soft bounce counted; still subscribed
    REPEATED = "repeated"  # a soft bounce of the same episode: not counted again
    REMOVED = "removed"  # the subscriber is forgotten, the address suppressed


def record(email: str, *, hard: bool, reason: str = "", now: datetime | None = None) -> Outcome:
    """Apply one bounce (or complaint, or unsubscribe at the e-mail service) to an address.

    ``reason`` is the suppression reason of a hard event (``Suppression.Reason``): by
    default ``hard_bounce``; ``complaint`` for spam complaints, ``unsubscribed`` for an
    unsubscribe reported by the service. Soft bounces ignore it.
    """
    subscriber = services.subscriber_for_email(email)
    if subscriber is None:
        return Outcome.UNKNOWN
    if hard:
        _remove(subscriber, reason or Suppression.Reason.HARD_BOUNCE)
        return Outcome.REMOVED
    return _count_soft(subscriber.pk, now or timezone.now())


def _count_soft(pk, now: datetime) -> Outcome:
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=pk).first()
        if subscriber is None:  # forgotten meanwhile
            return Outcome.UNKNOWN
        last = subscriber.last_bounce_at
        if last is not None and abs(now - last) < SAME_EPISODE:
            return Outcome.REPEATED
        fresh = last is None or now - last > WINDOW
        count = 1 if fresh else subscriber.soft_bounces + 1
        if count >= settings.SOLIDAR_NEWSLETTER_SOFT_BOUNCE_LIMIT:
            _remove(subscriber, Suppression.Reason.SOFT_BOUNCES)
            return Outcome.REMOVED
        Subscriber.objects.filter(pk=pk).update(soft_bounces=count, last_bounce_at=now)
    logger.info("soft bounce %d counted for %s", count, _tag(subscriber.email_digest))
    return Outcome.COUNTED


def _remove(subscriber: Subscriber, reason: str) -> None:
    with transaction.atomic():
        audit.record(None, "newsletter.subscriber_bounced", subscriber, reason=str(reason))
        services.forget(subscriber, reason=reason)
    logger.info("subscriber %s forgotten: %s", _tag(subscriber.email_digest), reason)


def _tag(email_digest: str) -> str:
    return f"digest {email_digest[:12]}"


# -- status codes -------------------------------------------------------------------------------
# An enhanced status code (RFC 3463) anywhere in a text: "550 5.1.1 <x>: User unknown".
_ENHANCED = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
# A plain SMTP reply code at the start of a response ("smtp; 452 Mailbox full").
_REPLY = re.compile(r"^\s*(?:[a-z0-9-]+;\s*)?([245])\d\d(?![\d.])", re.IGNORECASE)


def is_permanent(status: str) -> bool | None:
    """True for a permanent failure (5.x.x, 5xx), False for a temporary one (4.x.x, 4xx,
    and any X.2.2: mailbox full is soft whatever the server says), None when the text
    holds no failure code."""
    text = str(status or "")[:2000]
    match = _ENHANCED.search(text)
    if match:
        klass, subject, detail = match.groups()
        if klass == "2":
            return None
        if (subject, detail) == ("2", "2"):
            return False
        return klass == "5"
    match = _REPLY.search(text)
    if match and match.group(1) != "2":
        return match.group(1) == "5"
    return None


# -- the e-mail services' events (django-anymail) -----------------------------------------------
@dataclass(frozen=True)
class Verdict:
    hard: bool
    reason: str = ""


HARD = Verdict(hard=True, reason=Suppression.Reason.HARD_BOUNCE)
SOFT = Verdict(hard=False)
COMPLAINT = Verdict(hard=True, reason=Suppression.Reason.COMPLAINT)
UNSUBSCRIBED = Verdict(hard=True, reason=Suppression.Reason.UNSUBSCRIBED)

# SparkPost's bounce classes that mean the address is gone for good (invalid recipient,
# no RCPT); every other class is a soft bounce, a block or undetermined.
_SPARKPOST_HARD = {"10", "30"}


def verdict_for_event(event, esp_name: str = "") -> Verdict | None:
    """What an anymail tracking event means for the address (None: nothing).

    complained -> complaint; unsubscribed -> unsubscribed; deferred -> soft;
    bounced -> hard, unless the service calls it soft or the server's answer is
    temporary; rejected (the service did not even try) -> only when the reason is the
    reader's: an earlier bounce or invalid address (hard), a complaint, an unsubscribe,
    a timeout (soft) — a block by the service's policy is ours to fix, not the reader's.
    Everything else (queued, sent, delivered, opened, ...) -> nothing.
    """
    kind = getattr(event, "event_type", None)
    why = getattr(event, "reject_reason", None)
    if kind == "complained":
        return COMPLAINT
    if kind == "unsubscribed":
        return UNSUBSCRIBED
    if kind == "deferred":
        return SOFT
    if kind == "rejected":
        return {
            "bounced": HARD,
            "invalid": HARD,
            "spam": COMPLAINT,
            "unsubscribed": UNSUBSCRIBED,
            "timed_out": SOFT,
        }.get(why)
    if kind != "bounced":
        return None
    if _service_says_soft(getattr(event, "esp_event", None), esp_name):
        return SOFT
    if why == "timed_out" or is_permanent(getattr(event, "mta_response", None) or "") is False:
        return SOFT
    return HARD


def _service_says_soft(raw, esp_name: str) -> bool:
    """The service's own classification of a bounce, where it sends one."""
    if not isinstance(raw, dict):
        return False
    name = (esp_name or "").lower().replace(" ", "")
    if name == "postmark":
        return raw.get("Type") == "SoftBounce"
    if name in ("brevo", "sendinblue", "mandrill"):
        return raw.get("event") == "soft_bounce"
    if name == "mailjet":
        return raw.get("hard_bounce") is False
    if name == "sendgrid":
        return raw.get("type") == "blocked" or is_permanent(str(raw.get("status", ""))) is False
    if name == "amazonses":
        bounce = raw.get("bounce")
        return isinstance(bounce, dict) and bounce.get("bounceType") != "Permanent"
    if name == "resend":
        data = raw.get("data")
        bounce = data.get("bounce") if isinstance(data, dict) else None
        return isinstance(bounce, dict) and bounce.get("type") == "Transient"
    if name == "sparkpost":
        for wrapper in raw.values():
            if isinstance(wrapper, dict):
                for event in wrapper.values():
                    if isinstance(event, dict) and "bounce_class" in event:
                        return str(event["bounce_class"]) not in _SPARKPOST_HARD
    return False


# -- delivery status notifications in a mailbox (manage.py read_bounces) ----------------------
@dataclass(frozen=True)
class Bounce:
    """One recipient a bounce message reports: the addresses to look for (the one we
    sent to first, then the one the mail ended at), and whether it is permanent."""

    addresses: tuple[str, ...]
    hard: bool


class UnparsableError(Exception):
    """A message that looks like a bounce but says nothing we can use."""


_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[^@\s<>()\[\],;:\"]{1,253}$")
_MAX_TEXT = 64 * 1024


def bounces_in(message: Message) -> list[Bounce]:
    """The recipients a message reports as bounced ([] when it is no bounce at all, e.g.
    an auto-reply). Raises ``UnparsableError`` for a bounce without a usable recipient."""
    report = _delivery_status(message)
    if report is not None:
        return _from_report(report)
    text = _plain_text(message)
    if "qmail-send program" in text:
        return _from_qmail(text)
    failed = [
        address
        for header in message.get_all("X-Failed-Recipients") or []
        for address in str(header).split(",")
    ]
    if failed:
        return _from_exim(failed, text)
    return []


def _delivery_status(message: Message) -> list[Message] | None:
    """The field blocks of the message/delivery-status part, or None."""
    for part in _parts(message):
        content_type = part.get_content_type()
        if content_type not in ("message/delivery-status", "message/global-delivery-status"):
            continue
        payload = part.get_payload()
        if isinstance(payload, list):
            blocks = [block for block in payload if isinstance(block, Message)]
        else:
            raw = part.get_payload(decode=True) or b""
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            text = text.replace("\r\n", "\n")
            blocks = [
                HeaderParser().parsestr(chunk.strip() + "\n")
                for chunk in re.split(r"\n\s*\n", text[:_MAX_TEXT])
                if chunk.strip()
            ]
        return blocks
    return None


def _parts(message: Message):
    """The parts of a message, without descending into an attached original."""
    yield message
    if message.get_content_maintype() == "multipart":
        payload = message.get_payload()
        for part in payload if isinstance(payload, list) else []:
            if isinstance(part, Message) and part.get_content_type() != "message/rfc822":
                yield from _parts(part)


def _from_report(blocks: list[Message]) -> list[Bounce]:
    bounces: list[Bounce] = []
    recipients = 0
    for block in blocks:
        final = _address(block.get("Final-Recipient"))
        original = _address(block.get("Original-Recipient"))
        if not (final or original):
            continue  # the per-message block, or junk
        recipients += 1
        action = str(block.get("Action") or "").strip().lower()
        status = str(block.get("Status") or "").strip()
        if action in ("delivered", "relayed", "expanded"):
            continue
        if action == "delayed":
            hard = False
        else:
            permanent = is_permanent(status)
            if permanent is None:
                permanent = is_permanent(str(block.get("Diagnostic-Code") or ""))
            if permanent is None and action != "failed":
                continue  # neither a failure nor a delay: nothing to count
            hard = permanent is not False
        addresses = tuple(dict.fromkeys(a for a in (original, final) if a))
        bounces.append(Bounce(addresses=addresses, hard=hard))
    if not recipients:
        raise UnparsableError("a delivery status report without a recipient")
    return bounces


def _address(value) -> str:
    """'rfc822; someone@example.org' -> 'someone@example.org' ('' if it is none)."""
    text = str(value or "")
    if ";" in text:
        text = text.split(";", 1)[1]
    text = text.strip().strip("<>").strip()
    return text if _ADDRESS.match(text) else ""


def _plain_text(message: Message) -> str:
    chunks = []
    for part in _parts(message):
        if part.get_content_type() != "text/plain":
            continue
        raw = part.get_payload(decode=True)
        if isinstance(raw, bytes):
            charset = part.get_content_charset() or "utf-8"
            try:
                chunks.append(raw.decode(charset, "replace"))
            except (LookupError, ValueError):  # an unknown or malformed charset name
                chunks.append(raw.decode("utf-8", "replace"))
        if sum(map(len, chunks)) > _MAX_TEXT:
            break
    return "\n".join(chunks)[:_MAX_TEXT]


def _from_exim(failed: list[str], text: str) -> list[Bounce]:
    """Exim's bounce: the failed addresses in X-Failed-Recipients; permanent unless
    Exim gave up after temporary errors ("retry timeout exceeded")."""
    lowered = text.lower()
    hard = "retry timeout exceeded" not in lowered and "temporary error" not in lowered
    bounces = [Bounce(addresses=(a,), hard=hard) for a in map(_address, failed) if a]
    if not bounces:
        raise UnparsableError("X-Failed-Recipients without an address")
    return bounces


_QMAIL_RECIPIENT = re.compile(r"^<([^<>\s]+@[^<>\s]+)>:\s*$", re.MULTILINE)


def _from_qmail(text: str) -> list[Bounce]:
    """qmail-send's bounce: '<address>:' lines before the copy of the message."""
    head = text.split("--- Below this line", 1)[0]
    hard = "permanent error" in head.lower()
    found = [_address(m) for m in _QMAIL_RECIPIENT.findall(head)]
    bounces = [Bounce(addresses=(a,), hard=hard) for a in found if a]
    if not bounces:
        raise UnparsableError("a qmail bounce without an address")
    return bounces


def record_bounce(bounce: Bounce) -> Outcome:
    """``record`` for a recipient of a bounce message: the first of its addresses that
    belongs to a subscriber (the address we sent to, else the one the mail ended at)."""
    for address in bounce.addresses:
        if services.subscriber_for_email(address) is not None:
            return record(address, hard=bounce.hard)
    return Outcome.UNKNOWN
