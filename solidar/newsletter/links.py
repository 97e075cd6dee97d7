"""The links a reader gets by e-mail, each good for one thing only (THREATS 8).

- The **preference link** opens the reader's page of lists (change them, or leave all).
- The **unsubscribe link** of a mailing takes the reader off the lists that mailing was
  sent through: a page with one button, and the RFC 8058 one-click POST from the mail
  program (``List-Unsubscribe-Post``).
- The **confirmation link** (double opt-in) is a random token; only its keyed digest is
  stored (``services.confirm``), it expires and works once.

Preference and unsubscribe links are signed (Django's signing with their own salts): no
token is stored, a link for one purpose is refused for the other, and none of them can
sign anybody in or change anything else. They carry the subscriber's ``link_version``:
bumping it (leaving every list deletes the subscriber anyway) voids every link sent.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import override

from solidar.newsletter.models import Mailing, Subscriber

PREFERENCES_SALT = "solidar.newsletter.preferences"
UNSUBSCRIBE_SALT = "solidar.newsletter.unsubscribe"


def digest(value: str, purpose: str) -> str:
    """A keyed digest: what the database holds of a token or an address."""
    return salted_hmac(f"solidar.newsletter.{purpose}", value, algorithm="sha256").hexdigest()


def email_digest(email: str) -> str:
    return digest(normalise_email(email), "email")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


# -- signed links -----------------------------------------------------------------------------
def preference_token(subscriber: Subscriber) -> str:
    return signing.dumps([str(subscriber.pk), subscriber.link_version], salt=PREFERENCES_SALT)


def unsubscribe_token(subscriber: Subscriber, mailing: Mailing) -> str:
    return signing.dumps(
        [str(subscriber.pk), subscriber.link_version, str(mailing.pk)], salt=UNSUBSCRIBE_SALT
    )


def _load(token: str, salt: str) -> list | None:
    try:
        value = signing.loads(token or "", salt=salt)
    except signing.BadSignature:
        return None
    return value if isinstance(value, list) else None


def _subscriber(pk: str, version) -> Subscriber | None:
    try:
        subscriber = Subscriber.objects.get(pk=pk)
    except (Subscriber.DoesNotExist, ValueError, TypeError, signing.BadSignature):
        return None
    except Exception:  # noqa: BLE001 - a malformed UUID raises ValidationError
        return None
    return subscriber if subscriber.link_version == version else None


def subscriber_for_preferences(token: str) -> Subscriber | None:
    """The subscriber a preference link is for, or None (forged, for another purpose,
    or the subscriber is gone)."""
    value = _load(token, PREFERENCES_SALT)
    if not value or len(value) != 2:
        return None
    return _subscriber(value[0], value[1])


def unsubscribe_target(token: str) -> tuple[Subscriber, Mailing] | None:
    """(subscriber, mailing) of an unsubscribe link, or None."""
    value = _load(token, UNSUBSCRIBE_SALT)
    if not value or len(value) != 3:
        return None
    subscriber = _subscriber(value[0], value[1])
    if subscriber is None:
        return None
    try:
        mailing = Mailing.objects.get(pk=value[2])
    except Exception:  # noqa: BLE001 - missing or malformed: the link is void
        return None
    return subscriber, mailing


# -- absolute URLs (for e-mails) ---------------------------------------------------------------
def absolute(path: str) -> str:
    return settings.SOLIDAR_SITE_URL.rstrip("/") + path


def preference_url(subscriber: Subscriber, language: str) -> str:
    with override(language):
        return absolute(reverse("newsletter:preferences", args=[preference_token(subscriber)]))


def unsubscribe_url(subscriber: Subscriber, mailing: Mailing, language: str) -> str:
    with override(language):
        return absolute(
            reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber, mailing)])
        )


def one_click_url(subscriber: Subscriber, mailing: Mailing) -> str:
    """The List-Unsubscribe URL: no language prefix, so the POST is never redirected."""
    return absolute(reverse("newsletter_one_click", args=[unsubscribe_token(subscriber, mailing)]))


def message_id(mailing: Mailing, subscriber_pk) -> str:
    """A stable Message-ID per (mailing, subscriber): a retried delivery is recognisable
    as the same message."""
    domain = settings.SOLIDAR_SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    tag = digest(f"{mailing.pk}:{subscriber_pk}", "message-id")[:32]
    return f"<{tag}@{domain or 'solidar.invalid'}>"
