"""Mutual aid's panel on the member's dashboard: offers, questions, new requests."""

from __future__ import annotations

import pytest
from django.urls import reverse

from solidar.aid import offers
from solidar.aid.tests.offers_helpers import offer_of
from solidar.conftest import client_for

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("network:dashboard")


def panel(response) -> str:
    body = response.content.decode()
    start = body.find('id="aid-panel-title"')
    return body[start : body.find("</section>", start)] if start >= 0 else ""


def test_a_member_sees_their_offers_and_the_questions_waiting(cell_member, handler, make_case):
    offer = offer_of(cell_member)
    case, _ = make_case()
    offers.ask_offerer(case, offer, "Two people, from 3 March?", by=handler)

    shown = panel(client_for(cell_member).get(DASHBOARD))

    assert "You offer help in 1 way." in shown
    assert "1 question about your offers waits for your answer." in shown
    assert "new help request" not in shown  # not a handler
    assert "Two people" not in shown  # the question itself is on the offers page


def test_a_handler_sees_how_many_new_requests_wait(handler, make_case):
    make_case()
    make_case()

    shown = panel(client_for(handler).get(DASHBOARD))

    assert "2 new help requests wait for the aid team." in shown
    assert reverse("aid:queue") in shown


def test_someone_outside_the_network_gets_no_panel(db):
    from solidar.accounts.tests.factories import UserFactory

    response = client_for(UserFactory(username="loner")).get(DASHBOARD)
    assert panel(response) == ""
