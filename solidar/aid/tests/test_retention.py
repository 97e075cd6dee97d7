"""Retention (THREATS 15): closed cases keep only statistics; expired offers go."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from solidar.aid import casefile, codenames, offers, retention
from solidar.aid.models import Case, ChecklistItem, Entry, Kind, Offer, OfferContact
from solidar.aid.tests.offers_helpers import new_member, offer_of, raw_offer
from solidar.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _close(case, days_ago: int):
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED,
        outcome=Case.Outcome.HELPED,
        closed_at=now - timedelta(days=days_ago),
        first_reply_at=now - timedelta(days=days_ago + 1),
    )


def _with_history(case, handler):
    casefile.add_entry(case, Entry.Kind.NOTE, {"text": "note"}, author=handler)
    casefile.add_entry(case, Entry.Kind.TO_REQUESTER, {"text": "hello"}, author=handler)
    ChecklistItem.objects.create(case=case, key="documents", position=1)


def test_an_old_closed_case_keeps_only_its_statistics(make_case, handler, settings):
    settings.SOLIDAR_AID_RETENTION_DAYS = 30
    old, codename = make_case(kind=Kind.LEGAL, country="RU", languages=("ru", "de"))
    recent, recent_codename = make_case()
    still_open, _ = make_case()
    for case in (old, recent, still_open):
        _with_history(case, handler)
    offer = offer_of(new_member("ofa"))
    offers.ask_offerer(old, offer, "A week?", by=handler)
    Case.objects.filter(pk=old.pk).update(assignee=handler)
    _close(old, 31)
    _close(recent, 29)

    counts = retention.purge()

    assert counts == {
        "cases": 1,
        "entries": 2,
        "checklist_items": 1,
        "contacts": 1,
        "offers": 0,
    }
    old.refresh_from_db()
    assert old.purged_at is not None
    for name in ("sealed_request", "requester_copy", "requester_public_key", "codename_hash"):
        assert getattr(old, name) is None, name
    assert old.assignee is None
    assert (old.kind, old.country, old.languages, old.outcome) == (
        "legal",
        "RU",
        ["ru", "de"],
        "helped",
    )
    assert old.first_reply_at and old.closed_at and old.created_at
    assert not Entry.objects.filter(case=old).exists()
    assert not ChecklistItem.objects.filter(case=old).exists()
    assert Offer.objects.filter(pk=offer.pk).exists()  # the offer itself stays
    # The codename opens nothing any more; the recent one still does.
    assert not Case.objects.filter(codename_hash=codenames.derive(codename).lookup_hash).exists()
    assert Case.objects.filter(codename_hash=codenames.derive(recent_codename).lookup_hash).exists()
    assert Entry.objects.filter(case=recent).count() == 2
    assert Entry.objects.filter(case=still_open).count() == 2
    event = AuditEvent.objects.get(action="aid.purged")
    assert event.data == counts


def test_purging_twice_changes_nothing(make_case, handler, settings):
    settings.SOLIDAR_AID_RETENTION_DAYS = 5
    case, _ = make_case()
    _close(case, 6)
    retention.purge()
    purged_at = Case.objects.get(pk=case.pk).purged_at
    assert retention.purge() == dict.fromkeys(
        ("cases", "entries", "checklist_items", "contacts", "offers"), 0
    )
    assert Case.objects.get(pk=case.pk).purged_at == purged_at
    assert AuditEvent.objects.filter(action="aid.purged").count() == 1


def test_many_cases_in_batches(make_case, aid_team, handler, settings):
    settings.SOLIDAR_AID_RETENTION_DAYS = 1
    made = [make_case()[0] for _ in range(23)]
    for case in made[:4]:
        casefile.add_entry(case, Entry.Kind.NOTE, {"text": "n"}, author=handler)
    Case.objects.filter(pk__in=[c.pk for c in made[:20]]).update(
        status=Case.Status.CLOSED, closed_at=timezone.now() - timedelta(days=2)
    )
    counts = retention.purge(batch=7)
    assert counts["cases"] == 20 and counts["entries"] == 4
    assert Case.objects.filter(purged_at__isnull=False).count() == 20
    assert Case.objects.filter(codename_hash__isnull=False).count() == 3
    assert Case.objects.count() == 23


def test_expired_offers_are_deleted_with_their_questions(make_case, handler):
    today = timezone.localdate()
    offerer = new_member("ofb")
    kept = offer_of(offerer)
    expired = offer_of(offerer, kind=Offer.Kind.MONEY)
    last_day = raw_offer(offerer, expires_on=today)
    case, _ = make_case()
    offers.ask_offerer(case, expired, "A week?", by=handler)
    Offer.objects.filter(pk=expired.pk).update(expires_on=today - timedelta(days=1))
    counts = retention.purge()
    assert counts["offers"] == 1 and counts["contacts"] == 1
    assert set(Offer.objects.values_list("pk", flat=True)) == {kept.pk, last_day.pk}
    assert not OfferContact.objects.exists()


def test_the_task_runs_the_purge(make_case, settings):
    from solidar.aid import tasks

    settings.SOLIDAR_AID_RETENTION_DAYS = 1
    case, _ = make_case()
    _close(case, 3)
    tasks.purge.call()
    assert Case.objects.get(pk=case.pk).is_purged
