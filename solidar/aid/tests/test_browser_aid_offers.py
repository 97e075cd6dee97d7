"""Offers of help in a real browser with JavaScript off: a member offers a bed in Berlin ->
a handler opens the offers that fit a departure case, asks the offerer (the offerer gets an
e-mail) -> the offerer answers yes on their page, never seeing the request -> the handler
sees the answer and records what was arranged (sealed to the team)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from solidar.aid import casefile
from solidar.aid.models import Entry, Offer, OfferContact
from solidar.aid.tests.conftest import team_keys_of
from solidar.browser import sign_in, sign_in_with_totp, sign_out

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000  # the machine running the tests may be busy


def test_offer_match_ask_answer_and_arrange_without_javascript(
    transactional_db,
    page_nojs,
    aid_team,
    aid_coordinator,
    handler,
    cell_member,
    make_case,
    password,
):
    page = page_nojs
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    case, _ = make_case(languages=("ru", "de"), situation="Secret situation text 5e1")

    # The member offers a bed.
    sign_in(page, cell_member.username, password)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/en/aid/offers/new/")
    page.get_by_label("What can you offer?").select_option("bed")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Russian").check()
    page.get_by_label("How much").fill("a sofa for two weeks")
    page.get_by_role("button", name="Offer this").click()
    page.wait_for_url(re.compile(r"/en/aid/offers/$"))
    offer = Offer.objects.get(user=cell_member)
    assert offer.city == "Berlin" and offer.languages == ["ru"]
    sign_out(page)

    # The handler sees it among the offers that fit the case, and asks.
    sign_in_with_totp(page, handler, password)
    page.goto(f"/en/aid/cases/{case.pk}/matches/")
    expect(page.get_by_role("heading", name="Offers of help that may fit")).to_be_visible()
    card = page.locator(f"#offer-{offer.pk}")
    expect(card).to_contain_text("Berlin")
    card.get_by_role("textbox").first.fill("Two people, from 3 March, for ten days?")
    card.get_by_role("button", name="Ask", exact=True).click()
    page.wait_for_load_state()
    assert OfferContact.objects.filter(case=case, offer=offer).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [cell_member.email]
    assert "5e1" not in mail.outbox[0].body and "5e1" not in mail.outbox[0].subject
    sign_out(page)

    # The offerer answers on their own page; the request itself is nowhere.
    sign_in(page, cell_member.username, password)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/en/aid/offers/")
    expect(page.get_by_text("Two people, from 3 March, for ten days?")).to_be_visible()
    expect(page.get_by_text("Secret situation text 5e1")).to_have_count(0)
    page.get_by_role("button", name="Yes, I can help").click()
    page.wait_for_load_state()
    assert OfferContact.objects.get(case=case, offer=offer).answer == OfferContact.Answer.YES
    sign_out(page)

    # The handler sees the answer and records what was arranged.
    sign_in_with_totp(page, handler, password)
    page.goto(f"/en/aid/cases/{case.pk}/matches/")
    card = page.locator(f"#offer-{offer.pk}")
    expect(card).to_contain_text("Yes, I can help")
    card.locator("summary").click()
    card.locator("form", has=page.get_by_role("button", name="Record")).get_by_role("textbox").fill(
        "Sofa in Berlin from 3 March; Taras meets them at the station."
    )
    card.get_by_role("button", name="Record").click()
    page.wait_for_load_state()

    arranged = Entry.objects.get(case=case, kind=Entry.Kind.ARRANGED)
    assert b"Sofa in Berlin" not in bytes(arranged.sealed)
    opened = casefile.timeline_for_team(case, team_keys_of(aid_coordinator, aid_team))
    assert any("Sofa in Berlin from 3 March" in item.text for item in opened)
