"""Readers and their lists: the business rules of subscribing, confirming and leaving.

Every change to subscribers goes through here (views, the bounce handling, imports and
the periodic purge call these functions).
"""

from __future__ import annotations

from django.db import transaction

from solidar.newsletter import links
from solidar.newsletter.models import Subscriber, Suppression


class NewsletterError(Exception):
    """A refusal with a message for the person (translated)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


# -- addresses ---------------------------------------------------------------------------------
def subscriber_for_email(email: str) -> Subscriber | None:
    if not email:
        return None
    return Subscriber.objects.filter(email_digest=links.email_digest(email)).first()


def is_suppressed(email: str) -> bool:
    return Suppression.objects.filter(email_digest=links.email_digest(email)).exists()


def suppress(email_digest: str, reason: str) -> None:
    """Put an address (by its digest) on the suppression list; the first reason stays."""
    Suppression.objects.get_or_create(email_digest=email_digest, defaults={"reason": reason})


def forget(subscriber: Subscriber, *, reason: str) -> None:
    """Delete the subscriber (the address is gone at once; queued deliveries to them are
    skipped by the engine) and keep only the keyed digest on the suppression list."""
    with transaction.atomic():
        suppress(subscriber.email_digest, reason)
        Subscriber.objects.filter(pk=subscriber.pk).delete()
