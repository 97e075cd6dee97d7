"""Flow 2 of the design in a real browser with JavaScript off (Tor Browser's safest mode):
apply -> two members vouch -> the coordinator (through the TOTP step) admits -> the new
member sees the cell's member list, and nothing of other cells."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from solidar.accounts.tests.factories import UserFactory
from solidar.browser import sign_in, sign_out
from solidar.core.testing import totp_now
from solidar.network.models import Application, Membership
from solidar.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.browser

APPLICATION_URL = re.compile(r"/en/applications/[0-9a-f-]{36}/$")


def vouch_from_the_dashboard(page, user, password) -> None:
    sign_in(page, user.username, password)
    page.wait_for_load_state()
    page.goto("/en/dashboard/")
    page.get_by_role("link", name=re.compile("Marta applied to Köln")).click()
    page.wait_for_url(APPLICATION_URL)
    page.get_by_label(re.compile("I vouch for this person")).check()
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_url(APPLICATION_URL)
    expect(page.get_by_text(re.compile("You answered: vouch"))).to_be_visible()
    sign_out(page)


def test_apply_vouch_admit_without_javascript(
    page_nojs, transactional_db, koeln, paris, member, coordinator, password
):
    page = page_nojs
    second_member = MembershipFactory(
        collective=koeln, user=UserFactory(username="bohdan", display_name="Bohdan")
    ).user
    marta = UserFactory(username="marta", display_name="Marta")

    # The sympathiser finds the cell in the directory and applies.
    sign_in(page, "marta", password)
    page.wait_for_load_state()
    page.goto("/en/network/")
    page.get_by_role("link", name="Köln").first.click()
    page.wait_for_url(re.compile(r"/en/network/koeln/$"))
    page.get_by_role("link", name="Apply to join").click()
    page.get_by_label("Why do you want to join?").fill("I help couriers organise in Köln.")
    page.get_by_label(re.compile("Against the war")).check()
    page.get_by_label("Russian").check()
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_url(APPLICATION_URL)
    expect(page.get_by_role("heading", name="Your application")).to_be_visible()
    application = Application.objects.get(applicant=marta)
    assert application.motivation == "I help couriers organise in Köln."
    assert application.programme_points == ["anti_war"]
    sign_out(page)

    # Two members vouch.
    vouch_from_the_dashboard(page, member, password)
    vouch_from_the_dashboard(page, second_member, password)
    application.refresh_from_db()
    assert application.vouch_count == 2

    # The coordinator signs in through the TOTP step and admits.
    sign_in(page, coordinator.username, password)
    page.wait_for_url(re.compile(r"/en/accounts/2fa/authenticate/"))
    page.locator("[name=code]").fill(totp_now(coordinator.totp_secret))
    page.locator("[name=code]").press("Enter")
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)
    page.goto("/en/dashboard/")
    todo = page.get_by_role("region", name="To do as coordinator")
    todo.get_by_role("link", name=re.compile("Marta applied to Köln")).click()
    page.wait_for_url(APPLICATION_URL)
    page.get_by_role("button", name="Admit").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert Membership.objects.filter(user=marta, collective=koeln, ended_at=None).exists()
    sign_out(page)

    # The new member sees who is in the cell (pseudonyms), and no other cell's list.
    sign_in(page, "marta", password)
    page.wait_for_load_state()
    page.goto("/en/network/koeln/members/")
    members = page.locator("main")
    for name in ("Lena", "Bohdan", "Coordinator Vera", "Marta"):
        expect(members.get_by_text(name, exact=True)).to_be_visible()
    assert not page.problems.report()  # before provoking a 404 on purpose
    response = page.goto("/en/network/paris/members/")
    assert response is not None and response.status == 404
    expect(page.get_by_text("Lena")).to_have_count(0)
    page.problems.clear()  # Chromium logs the 404 as a console error
