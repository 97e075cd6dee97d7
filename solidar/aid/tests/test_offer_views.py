"""The pages of offers, matches and statistics (views/offers.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from solidar.aid import offers
from solidar.aid.models import Entry, Kind, Offer, OfferContact
from solidar.aid.tests.offers_helpers import new_member, offer_of
from solidar.conftest import client_for
from solidar.core.models import AuditEvent
from solidar.core.testing import assert_max_queries

pytestmark = pytest.mark.django_db


def test_a_member_offers_help_through_the_form(cell_member):
    client = client_for(cell_member)
    page = client.get("/en/aid/offers/new/")
    assert page.status_code == 200
    assert "legal advice on German asylum law" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    until = timezone.localdate() + timedelta(days=14)
    response = client.post(
        "/en/aid/offers/new/",
        {
            "kind": "bed",
            "city": "Berlin",
            "country": "DE",
            "languages": ["ru", "de"],
            "capacity": "2 people",
            "details": "A room in Kreuzberg",
            "available_until": until.isoformat(),
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get(user=cell_member)
    assert (offer.city, offer.languages, offer.expires_on) == ("Berlin", ["ru", "de"], until)
    listing = client.get("/en/aid/offers/").content.decode()
    assert "A room in Kreuzberg" in listing and "2 people" in listing


def test_reversed_dates_keep_what_was_typed(cell_member):
    today = timezone.localdate()
    response = client_for(cell_member).post(
        "/en/aid/offers/new/",
        {
            "kind": "legal",
            "details": "Advice on asylum law, evenings",
            "available_from": (today + timedelta(days=9)).isoformat(),
            "available_until": (today + timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The last day cannot be before the first day." in body
    assert "Advice on asylum law, evenings" in body
    assert not Offer.objects.exists()


def test_my_offers_shows_only_mine_and_answers_questions(cell_member, make_case, handler):
    mine = offer_of(cell_member, details="my own sofa")
    other = offer_of(new_member("neighbour"), details="someone else's car")
    case, _ = make_case()
    contact = offers.ask_offerer(case, mine, "From 3 May, two people?", by=handler)
    client = client_for(cell_member)
    page = client.get("/en/aid/offers/").content.decode()
    assert "my own sofa" in page and "From 3 May, two people?" in page
    assert "someone else" not in page
    assert "They searched my flat" not in page  # nothing of the case
    response = client.post(
        f"/en/aid/offers/{mine.pk}/questions/{contact.pk}/answer/", {"answer": "yes"}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.answer == "yes"
    # Answering through another offer's address does not work.
    foreign = client.post(
        f"/en/aid/offers/{other.pk}/questions/{contact.pk}/answer/", {"answer": "no"}
    )
    assert foreign.status_code == 404


def test_edit_and_withdraw(cell_member):
    offer = offer_of(cell_member, city="Köln")
    client = client_for(cell_member)
    page = client.get(f"/en/aid/offers/{offer.pk}/edit/")
    assert page.status_code == 200 and 'value="Köln"' in page.content.decode()
    response = client.post(
        f"/en/aid/offers/{offer.pk}/edit/", {"kind": "transport", "city": "Bonn", "country": "DE"}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.kind, offer.city) == ("transport", "Bonn")
    assert client.post(f"/en/aid/offers/{offer.pk}/withdraw/").status_code == 302
    offer.refresh_from_db()
    assert offer.is_withdrawn
    assert client.get(f"/en/aid/offers/{offer.pk}/withdraw/").status_code == 405


def test_the_matches_page_ranks_offers_and_shows_no_sealed_text(make_case, handler):
    offerer = new_member("anna", display_name="Anna B.")
    offer_of(offerer, kind=Offer.Kind.BED, details="Sofa in Neukölln", capacity="2 people")
    case, _ = make_case(kind=Kind.DEPARTURE, situation="canary-situation-text")
    response = client_for(handler).get(f"/en/aid/cases/{case.pk}/matches/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sofa in Neukölln" in body and "Anna B." in body and "2 people" in body
    assert "canary-situation-text" not in body
    assert offerer.email not in body and offerer.username not in body.replace("Anna B.", "")
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert AuditEvent.objects.filter(action="aid.matches_viewed", object_id=str(case.pk)).exists()


def test_ask_then_the_answer_shows_on_the_matches_page(
    make_case, handler, django_capture_on_commit_callbacks
):
    offerer = new_member("ulla", language="uk")
    offer = offer_of(offerer)
    case, _ = make_case(kind=Kind.HOUSING)
    client = client_for(handler)
    url = f"/en/aid/cases/{case.pk}/matches/{offer.pk}/ask/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {f"ask-{offer.pk}-question": "Two people from 3 May?"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/uk/aid/offers/" in mail.outbox[0].body  # her language, not the handler's
    contact = OfferContact.objects.get()
    offers.answer_question(offer, contact.pk, "yes", by=offerer)
    page = client.get(f"/en/aid/cases/{case.pk}/matches/").content.decode()
    assert "Two people from 3 May?" in page and "Yes, I can help" in page


def test_an_oversize_question_is_refused_and_kept(make_case, handler):
    offer = offer_of(new_member("vera"))
    case, _ = make_case(kind=Kind.HOUSING)
    text = "Dates please " + "x" * 400
    response = client_for(handler).post(
        f"/en/aid/cases/{case.pk}/matches/{offer.pk}/ask/", {f"ask-{offer.pk}-question": text}
    )
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not OfferContact.objects.exists()


def test_record_what_was_arranged(make_case, handler):
    offer = offer_of(new_member("wanda"))
    case, _ = make_case(kind=Kind.HOUSING)
    response = client_for(handler).post(
        f"/en/aid/cases/{case.pk}/matches/{offer.pk}/arranged/",
        {f"arranged-{offer.pk}-text": "Two nights from 3 May"},
    )
    assert response.status_code == 302
    entry = Entry.objects.get(case=case)
    assert entry.kind == Entry.Kind.ARRANGED and b"Two nights" not in bytes(entry.sealed)
    empty = client_for(handler).post(
        f"/en/aid/cases/{case.pk}/matches/{offer.pk}/arranged/", {f"arranged-{offer.pk}-text": " "}
    )
    assert empty.status_code == 400
    assert Entry.objects.filter(case=case).count() == 1


def test_statistics_for_the_coordinator(make_case, aid_coordinator):
    make_case(country="BY")
    response = client_for(aid_coordinator).get("/en/aid/statistics/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "By country" in body and "Belarus" in body
    assert "They searched my flat" not in body


@pytest.mark.parametrize("count", [1, 50])
def test_matches_page_queries_do_not_grow(make_case, handler, count):
    offerer = new_member("xenia")
    case, _ = make_case(kind=Kind.HOUSING)
    made = [offer_of(offerer, city=f"City {n}") for n in range(count)]
    for offer in made[:5]:
        offers.ask_offerer(case, offer, "A week?", by=handler)
    client = client_for(handler)
    client.get(f"/en/aid/cases/{case.pk}/matches/")  # sessions and caches warm
    with assert_max_queries(12) as ctx:  # 11 with the sessions in Redis
        response = client.get(f"/en/aid/cases/{case.pk}/matches/")
    assert response.status_code == 200
    print(f"matches page with {count} offers: {len(ctx.captured_queries)} queries")


@pytest.mark.parametrize("count", [1, 50])
def test_my_offers_page_queries_do_not_grow(cell_member, make_case, handler, count):
    case, _ = make_case()
    for n in range(count):
        offer = offer_of(cell_member, city=f"City {n}")
        offers.ask_offerer(case, offer, "A week?", by=handler)
    client = client_for(cell_member)
    client.get("/en/aid/offers/")
    with assert_max_queries(6) as ctx:  # 5 with the sessions in Redis
        response = client.get("/en/aid/offers/")
    assert response.status_code == 200
    print(f"my offers page with {count} offers: {len(ctx.captured_queries)} queries")
