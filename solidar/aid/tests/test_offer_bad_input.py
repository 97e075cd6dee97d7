"""Bad input to the forms of offers and matches: never a 500 or a 403, a clear 4xx, and
nothing saved is lost or changed by a refused request."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from solidar.aid.models import Entry, Kind, Offer, OfferContact
from solidar.aid.tests.offers_helpers import new_member, offer_of
from solidar.conftest import client_for
from solidar.core.testing import any_form_data, assert_handled, fuzz_settings, hostile_values

FUZZ = fuzz_settings()
TODAY = timezone.localdate()
values = hostile_values(
    *Offer.Kind.values,
    "DE",
    "ru",
    "yes",
    "no",
    "asked",
    TODAY.isoformat(),
    (TODAY - timedelta(days=3)).isoformat(),
    (TODAY + timedelta(days=3)).isoformat(),
    (TODAY + timedelta(days=4000)).isoformat(),
    "2025-02-30",
)
OFFER_FIELDS = [
    "kind",
    "city",
    "country",
    "languages",
    "capacity",
    "details",
    "available_from",
    "available_until",
]


@pytest.mark.django_db
@FUZZ
@given(data=any_form_data(OFFER_FIELDS, values))
def test_the_offer_form_survives_anything(cell_member, data):
    client = client_for(cell_member)
    response = client.post("/en/aid/offers/new/", data)
    assert_handled(response)
    assert response.status_code in (302, 400)
    for offer in Offer.objects.filter(user=cell_member):
        assert offer.kind in Offer.Kind.values
        assert offer.expires_on >= TODAY
        if offer.available_from and offer.available_until:
            assert offer.available_until >= offer.available_from


@pytest.mark.django_db
@FUZZ
@given(data=any_form_data(OFFER_FIELDS, values))
def test_editing_survives_anything_and_a_refusal_changes_nothing(cell_member, data):
    offer = Offer.objects.filter(user=cell_member, city="Köln").first() or offer_of(
        cell_member, city="Köln", details="keep me"
    )
    before = Offer.objects.get(pk=offer.pk)
    response = client_for(cell_member).post(f"/en/aid/offers/{offer.pk}/edit/", data)
    assert_handled(response)
    after = Offer.objects.get(pk=offer.pk)
    if response.status_code != 302:
        assert (after.city, after.details, after.kind) == (before.city, before.details, before.kind)
        for name in ("city", "capacity", "details"):  # what was typed is kept
            typed = data.get(name)
            if isinstance(typed, str) and typed.isalnum() and len(typed) < 50:
                assert typed in response.content.decode()


@pytest.mark.django_db
@FUZZ
@given(answer=values)
def test_answers_survive_anything(cell_member, make_case, handler, answer):
    offer = offer_of(cell_member)
    case, _ = make_case()
    contact = OfferContact.objects.create(case=case, offer=offer, asked_by=handler, question="?")
    response = client_for(cell_member).post(
        f"/en/aid/offers/{offer.pk}/questions/{contact.pk}/answer/", {"answer": answer}
    )
    assert_handled(response)
    contact.refresh_from_db()
    assert contact.answer == (answer if answer in ("yes", "no") else "asked")


@pytest.mark.django_db
@FUZZ
@given(
    question=values,
    text=values,
    foreign=st.sampled_from(["offer", "case", "none"]),
)
def test_ask_and_arranged_survive_anything(make_case, handler, question, text, foreign):
    offer = Offer.objects.first() or offer_of(new_member("fuzzoffer"))
    case, _ = make_case(kind=Kind.HOUSING)
    offer_id = uuid.uuid4() if foreign == "offer" else offer.pk
    case_id = uuid.uuid4() if foreign == "case" else case.pk
    client = client_for(handler)
    ask = client.post(
        f"/en/aid/cases/{case_id}/matches/{offer_id}/ask/", {f"ask-{offer_id}-question": question}
    )
    arranged = client.post(
        f"/en/aid/cases/{case_id}/matches/{offer_id}/arranged/",
        {f"arranged-{offer_id}-text": text},
    )
    for response in (ask, arranged):
        assert_handled(response)
        if foreign != "none":
            assert response.status_code == 404
    if foreign != "none":
        assert not OfferContact.objects.filter(case=case).exists()
        assert not Entry.objects.filter(case=case).exists()
    if ask.status_code == 400 and question.strip() and len(question) <= 300:
        assert "ask-" in ask.content.decode()


@pytest.mark.django_db
def test_unknown_ids_are_404(cell_member, handler):
    client = client_for(cell_member)
    for url in (
        f"/en/aid/offers/{uuid.uuid4()}/edit/",
        "/en/aid/offers/not-a-uuid/edit/",
        f"/en/aid/offers/{uuid.uuid4()}/questions/1/answer/",
    ):
        assert client.get(url).status_code in (404, 405)
        assert client.post(url).status_code == 404
    assert client_for(handler).get(f"/en/aid/cases/{uuid.uuid4()}/matches/").status_code == 404
