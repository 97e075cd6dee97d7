"""Offers of help: the services (offers.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.http import Http404
from django.utils import timezone

from solidar.aid import offers
from solidar.aid.models import Entry, Offer, OfferContact
from solidar.aid.tests.conftest import team_keys_of
from solidar.aid.tests.offers_helpers import new_member, offer_of
from solidar.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_member_offers_help_and_it_expires_after_the_setting_or_the_last_day(
    cell_member, settings
):
    settings.SOLIDAR_AID_OFFER_DAYS = 45
    today = timezone.localdate()
    open_ended = offer_of(cell_member, details="A sofa bed, two weeks in March.")
    dated = offer_of(
        cell_member,
        kind=Offer.Kind.LEGAL,
        available_from=today + timedelta(days=3),
        available_until=today + timedelta(days=20),
    )
    assert open_ended.expires_on == today + timedelta(days=45)
    assert dated.expires_on == today + timedelta(days=20)
    event = AuditEvent.objects.get(action="aid.offer_created", object_id=str(open_ended.pk))
    assert event.data == {"kind": "bed"}  # never the details


def test_the_details_are_encrypted_in_the_database(cell_member):
    offer = offer_of(cell_member, details="canary-bed-in-kreuzberg")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM aid_offer WHERE id = %s", [offer.pk.hex])
        row = cursor.fetchone()
    if row is None:  # PostgreSQL keeps the uuid with dashes
        with connection.cursor() as cursor:
            cursor.execute("SELECT details FROM aid_offer WHERE id = %s", [str(offer.pk)])
            row = cursor.fetchone()
    assert "canary" not in row[0]
    assert Offer.objects.get(pk=offer.pk).details == "canary-bed-in-kreuzberg"


def test_only_active_members_may_offer(db):
    from solidar.accounts.tests.factories import UserFactory

    stranger = UserFactory(username="stranger")
    with pytest.raises(offers.OfferError):
        offer_of(stranger)
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (-1, None, "available_from"),
        (None, -1, "available_until"),
        (5, 2, "available_until"),
        (None, 400, "available_until"),
    ],
)
def test_dates_are_checked(cell_member, start, end, field):
    today = timezone.localdate()
    with pytest.raises(offers.OfferError) as caught:
        offer_of(
            cell_member,
            available_from=today + timedelta(days=start) if start is not None else None,
            available_until=today + timedelta(days=end) if end is not None else None,
        )
    assert caught.value.field == field
    assert not Offer.objects.exists()


def test_an_unknown_kind_language_or_country_is_refused(cell_member):
    for fields in ({"kind": "spaceship"}, {"languages": ("xx",)}, {"country": "germany"}):
        with pytest.raises(offers.OfferError):
            offer_of(cell_member, **fields)
    assert not Offer.objects.exists()


def test_an_offer_that_started_earlier_keeps_its_start_when_edited(cell_member):
    today = timezone.localdate()
    offer = offer_of(cell_member, available_from=today)
    Offer.objects.filter(pk=offer.pk).update(available_from=today - timedelta(days=5))
    offer.refresh_from_db()
    fields = offers.OfferFields(
        kind=Offer.Kind.BED, city="Köln", available_from=today - timedelta(days=5)
    )
    offers.update_offer(offer, fields, by=cell_member)
    offer.refresh_from_db()
    assert offer.city == "Köln"
    moved = offers.OfferFields(kind=Offer.Kind.BED, available_from=today - timedelta(days=6))
    with pytest.raises(offers.OfferError):
        offers.update_offer(offer, moved, by=cell_member)


def test_only_the_offerer_edits_or_withdraws(cell_member):
    offer = offer_of(cell_member)
    other = new_member("otheroffer")
    with pytest.raises(offers.OfferError):
        offers.update_offer(offer, offers.OfferFields(kind=Offer.Kind.MONEY), by=other)
    with pytest.raises(offers.OfferError):
        offers.withdraw_offer(offer, by=other)
    with pytest.raises(Http404):
        offers.get_offer_for_owner(other, offer.pk)
    offers.withdraw_offer(offer, by=cell_member)
    offer.refresh_from_db()
    assert offer.is_withdrawn and offer.kind == Offer.Kind.BED


def test_a_handler_asks_the_offerer_in_their_language_with_a_neutral_subject(
    make_case, handler, django_capture_on_commit_callbacks
):
    offerer = new_member("anna", language="de")
    offer = offer_of(offerer, details="Zimmer in Berlin")
    case, _codename = make_case(situation="They searched my flat in Minsk.")
    with django_capture_on_commit_callbacks(execute=True):
        contact = offers.ask_offerer(case, offer, "From 3 May, two people, a week?", by=handler)
    assert contact.answer == OfferContact.Answer.ASKED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [offerer.email]
    assert "/de/aid/offers/" in message.body  # the link in her language
    for secret in ("Minsk", "flat", "departure", "Urgent", "two people", str(case.number)):
        assert secret not in message.subject
        assert secret not in message.body
    event = AuditEvent.objects.get(action="aid.offerer_asked")
    assert event.data == {"case": str(case.pk), "offer": str(offer.pk)}


def test_english_subject_is_the_neutral_one(make_case, handler, django_capture_on_commit_callbacks):
    offer = offer_of(new_member("bob", language="en"))
    case, _ = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        offers.ask_offerer(case, offer, "Two nights?", by=handler)
    assert mail.outbox[0].subject == "A question about your offer of help"


def test_asking_twice_about_the_same_offer_is_refused(make_case, handler):
    offer = offer_of(new_member("carla"))
    case, _ = make_case()
    offers.ask_offerer(case, offer, "A week?", by=handler)
    with pytest.raises(offers.OfferError):
        offers.ask_offerer(case, offer, "Two weeks?", by=handler)
    assert OfferContact.objects.count() == 1


def test_no_question_about_a_withdrawn_offer_or_a_closed_case(make_case, handler):
    offerer = new_member("dora")
    offer = offer_of(offerer)
    case, _ = make_case()
    offers.withdraw_offer(offer, by=offerer)
    with pytest.raises(offers.OfferError):
        offers.ask_offerer(case, offer, "A week?", by=handler)
    other = offer_of(offerer)
    case.status = case.Status.CLOSED
    case.save()
    with pytest.raises(offers.OfferError):
        offers.ask_offerer(case, other, "A week?", by=handler)
    assert not OfferContact.objects.exists()


def test_only_handlers_of_the_team_ask(make_case, pending_handler, team_member, cell_member):
    offer = offer_of(new_member("emil"))
    case, _ = make_case()
    for user in (pending_handler, team_member, cell_member):
        with pytest.raises(Http404):
            offers.ask_offerer(case, offer, "A week?", by=user)
    assert not OfferContact.objects.exists()


def test_the_offerer_answers_and_may_change_their_mind(make_case, handler):
    offerer = new_member("fedor")
    offer = offer_of(offerer)
    case, _ = make_case()
    contact = offers.ask_offerer(case, offer, "A week?", by=handler)
    offers.answer_question(offer, contact.pk, "yes", by=offerer)
    contact.refresh_from_db()
    assert contact.answer == "yes" and contact.answered_at
    offers.answer_question(offer, contact.pk, "no", by=offerer)
    contact.refresh_from_db()
    assert contact.answer == "no"
    with pytest.raises(offers.OfferError):
        offers.answer_question(offer, contact.pk, "asked", by=offerer)
    with pytest.raises(Http404):
        offers.answer_question(offer, contact.pk, "yes", by=new_member("gleb"))


def test_what_was_arranged_is_sealed_in_the_case_history(
    make_case, handler, aid_team, aid_coordinator
):
    offer = offer_of(new_member("hanna"))
    case, _ = make_case()
    entry = offers.record_arranged(case, offer, "canary-arranged: 2 nights from 3 May", by=handler)
    assert entry.kind == Entry.Kind.ARRANGED
    assert b"canary-arranged" not in bytes(entry.sealed)
    opened = team_keys_of(aid_coordinator, aid_team).open(entry.key_version, entry.sealed)
    assert opened == {"text": "canary-arranged: 2 nights from 3 May", "offer": str(offer.pk)}
    event = AuditEvent.objects.get(action="aid.arranged")
    assert "canary" not in str(event.data)
    assert event.data["offer"] == str(offer.pk)


def test_my_offers_with_questions_in_two_queries(make_case, handler, cell_member):
    from solidar.core.testing import assert_max_queries

    mine = [offer_of(cell_member, city=f"City {n}") for n in range(5)]
    case, _ = make_case()
    for offer in mine:
        offers.ask_offerer(case, offer, "A week?", by=handler)
    with assert_max_queries(2, exact=True):
        listed = offers.offers_of(cell_member)
        assert sum(len(offer.contacts.all()) for offer in listed) == 5
