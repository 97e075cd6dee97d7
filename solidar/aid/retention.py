"""Retention (THREATS 15): what mutual aid forgets, and when. Run by ``tasks.purge``.

- A closed case whose ``closed_at`` is older than ``SOLIDAR_AID_RETENTION_DAYS`` keeps only
  its statistics fields (team, number, kind, country, urgency, languages, status, outcome,
  created, first reply, closed). Its sealed request, the requester's copy and key, the
  codename hash (so the codename opens nothing any more), the assignee and the activity
  times are cleared, ``purged_at`` is set, and its entries, checklist and questions to
  offerers are deleted.
- An offer whose ``expires_on`` is past is deleted, and the questions about it with it.

Idempotent (a purged case is not touched again) and batched: each batch is one short
transaction, so a backlog of thousands never holds a long lock. One audit event with the
counts (no ids, nothing else) when anything was purged.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from solidar.aid.models import Case, ChecklistItem, Entry, Offer, OfferContact
from solidar.core import audit

BATCH = 500


def _purge_case_batch(ids: list, now: datetime) -> dict[str, int]:
    with transaction.atomic():
        entries, _ = Entry.objects.filter(case_id__in=ids).delete()
        steps, _ = ChecklistItem.objects.filter(case_id__in=ids).delete()
        contacts, _ = OfferContact.objects.filter(case_id__in=ids).delete()
        cases = Case.objects.filter(pk__in=ids, purged_at__isnull=True).update(
            sealed_request=None,
            requester_copy=None,
            requester_public_key=None,
            codename_hash=None,
            assignee=None,
            requester_active_at=None,
            handler_seen_at=None,
            purged_at=now,
            updated_at=now,
        )
    return {"cases": cases, "entries": entries, "checklist_items": steps, "contacts": contacts}


def purge(now: datetime | None = None, *, batch: int = BATCH) -> dict[str, int]:
    """Purge what is past its time; return the counts."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SOLIDAR_AID_RETENTION_DAYS)
    counts = {"cases": 0, "entries": 0, "checklist_items": 0, "contacts": 0, "offers": 0}
    due = Case.objects.filter(
        status=Case.Status.CLOSED, closed_at__lt=cutoff, purged_at__isnull=True
    ).order_by("closed_at", "pk")
    while True:
        ids = list(due.values_list("pk", flat=True)[:batch])
        if not ids:
            break
        for name, value in _purge_case_batch(ids, now).items():
            counts[name] += value

    today = timezone.localdate(now)
    expired = Offer.objects.filter(expires_on__lt=today).order_by("pk")
    while True:
        ids = list(expired.values_list("pk", flat=True)[:batch])
        if not ids:
            break
        with transaction.atomic():
            counts["contacts"] += OfferContact.objects.filter(offer_id__in=ids).delete()[0]
            counts["offers"] += Offer.objects.filter(pk__in=ids).delete()[0]

    if any(counts.values()):
        audit.record(None, "aid.purged", None, **counts)
    return counts
