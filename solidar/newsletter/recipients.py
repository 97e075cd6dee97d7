"""Who receives a mailing, and the snapshot of them taken when the send starts.

The recipients are the confirmed subscribers of the mailing's lists whose list language is
one of the mailing's languages (and has a language version); when the mailing names
collectives, only subscribers whose account is an active member of one of them. An address
on the suppression list never. A reader on two of the chosen lists gets one message, in the
language of the first of those lists by list order (position, then short name).

``snapshot`` writes one ``Delivery`` row per recipient: the sending engine works from those
rows only, so a reader who subscribes during the send is not added, and one who leaves is
skipped (the engine checks again just before each message).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from solidar.network.models import Membership
from solidar.newsletter.models import Delivery, Mailing, Subscription, Suppression

CHUNK = 2000


def languages(mailing: Mailing) -> list[str]:
    """The mailing's chosen languages that have a language version, in the chosen order."""
    written = set(mailing.variants.values_list("language", flat=True))
    return [language for language in mailing.languages or [] if language in written]


def queryset(mailing: Mailing) -> QuerySet[Subscription]:
    """The confirmed subscriptions that make someone a recipient (several per reader when
    they are on several of the lists: ``chosen`` keeps one)."""
    subscriptions = Subscription.objects.filter(
        mailing_list__in=mailing.lists.all(),
        mailing_list__language__in=languages(mailing),
        status=Subscription.Status.CONFIRMED,
    ).exclude(Exists(Suppression.objects.filter(email_digest=OuterRef("subscriber__email_digest"))))
    collective_ids = list(mailing.collectives.values_list("pk", flat=True))
    if collective_ids:
        subscriptions = subscriptions.filter(
            Exists(
                Membership.objects.filter(
                    user_id=OuterRef("subscriber__user_id"),
                    collective_id__in=collective_ids,
                    status=Membership.Status.ACTIVE,
                    ended_at__isnull=True,
                )
            ),
            subscriber__user__is_active=True,
        )
    return subscriptions


def chosen(mailing: Mailing) -> Iterator[tuple[object, str]]:
    """(subscriber id, language) once per recipient: the language of their first list."""
    rows = (
        queryset(mailing)
        .order_by("subscriber_id", "mailing_list__position", "mailing_list__slug")
        .values_list("subscriber_id", "mailing_list__language")
    )
    last = None
    for subscriber_id, language in rows.iterator(chunk_size=CHUNK):
        if subscriber_id != last:
            last = subscriber_id
            yield subscriber_id, language


def count(mailing: Mailing) -> int:
    """How many readers the mailing would reach now (one per address)."""
    return queryset(mailing).values("subscriber_id").distinct().count()


def snapshot(mailing: Mailing) -> int:
    """One queued delivery per recipient; sets and returns ``mailing.recipient_count``.

    Idempotent: a delivery already there (unique per mailing and subscriber) is kept as it
    is, so a second call adds only readers who became recipients since.
    """
    with transaction.atomic():
        batch: list[Delivery] = []
        for subscriber_id, language in chosen(mailing):
            batch.append(Delivery(mailing=mailing, subscriber_id=subscriber_id, language=language))
            if len(batch) >= CHUNK:
                Delivery.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        if batch:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
        total = Delivery.objects.filter(mailing=mailing).count()
        Mailing.objects.filter(pk=mailing.pk).update(recipient_count=total)
    mailing.recipient_count = total
    return total
