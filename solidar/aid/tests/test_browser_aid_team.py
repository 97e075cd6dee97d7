"""The aid team's keys in a real browser with JavaScript off: a new member of the team sets
a case passphrase -> the coordinator confirms their password, unlocks through the real
unlock page and gives access -> the new handler unlocks and is sent on to the cases. The
database is checked after every step, not only the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from solidar.aid import keys as aidkeys
from solidar.aid.models import Handler, KeyGrant
from solidar.aid.tests import team_helpers
from solidar.aid.tests.conftest import PASSPHRASE
from solidar.browser import sign_in_with_totp, sign_out

pytestmark = pytest.mark.browser

team_member_mfa = team_helpers.team_member_mfa  # a fixture

TIMEOUT_MS = 20_000  # the machine running the tests may be busy
NEW_PASSPHRASE = "seven lanterns over a quiet harbour"


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=None)


def confirm_password_if_asked(page, password: str) -> None:
    """The unlock page asks for the password again first (THREATS 5)."""
    page.wait_for_load_state()
    if "/reauthenticate/" in page.url:
        page.locator("[name=password]").fill(password)
        page.get_by_role("button", name=re.compile("confirm", re.IGNORECASE)).click()
        page.wait_for_url(re.compile(r"/en/aid/unlock/"))


def unlock(page, passphrase: str, password: str) -> None:
    confirm_password_if_asked(page, password)
    expect(page.get_by_role("heading", name="Unlock the team's cases")).to_be_visible()
    page.get_by_label("Case passphrase").fill(passphrase)
    page.get_by_role("button", name="Unlock", exact=True).click()
    page.wait_for_url(lambda url: "/aid/unlock/" not in url)


def test_new_handler_coordinator_gives_access_handler_unlocks_without_javascript(
    transactional_db, page_nojs, aid_team, aid_coordinator, team_member_mfa, password
):
    page = page_nojs
    page.set_default_timeout(TIMEOUT_MS)
    yana = team_member_mfa

    # 1. The new member of the team sets a case passphrase, after reading the advice.
    sign_in_with_totp(page, yana, password)
    page.goto("/en/aid/team/")
    expect(page.get_by_role("heading", name="Set your case passphrase")).to_be_visible()
    expect(page.get_by_text("It cannot be recovered")).to_be_visible()
    page.get_by_label("Your case passphrase").fill(NEW_PASSPHRASE)
    page.get_by_label("The same passphrase again").fill(NEW_PASSPHRASE + "!")
    page.get_by_role("button", name="Set my case passphrase").click()
    expect(page.get_by_text("The two passphrases are not the same.")).to_be_visible()
    assert not Handler.objects.filter(user=yana).exists()
    page.get_by_label("Your case passphrase").fill(NEW_PASSPHRASE)
    page.get_by_label("The same passphrase again").fill(NEW_PASSPHRASE)
    page.get_by_role("button", name="Set my case passphrase").click()
    expect(page.get_by_text("Waiting for a coordinator.")).to_be_visible()
    row = Handler.objects.get(user=yana, team=aid_team)
    assert not KeyGrant.objects.filter(handler=row).exists()
    sign_out(page)

    # 2. The coordinator unlocks through the real unlock page and gives access.
    sign_in_with_totp(page, aid_coordinator, password)
    page.goto("/en/aid/team/")
    handlers = page.locator(f"#team-{aid_team.pk}")
    expect(handlers.get_by_role("cell", name="Yana", exact=True)).to_be_visible()
    handlers.get_by_role("link", name="Unlock to give access").click()
    unlock(page, PASSPHRASE, password)
    page.wait_for_url(re.compile(r"/en/aid/team/$"))
    assert any(cookie["name"] == aidkeys.COOKIE for cookie in page.context.cookies())
    page.get_by_role("button", name="Give access to Yana").click()
    expect(page.get_by_text("Yana has access to the team's cases now.")).to_be_visible()
    assert KeyGrant.objects.filter(handler=row, granted_by=aid_coordinator).exists()
    sign_out(page)
    assert not any(cookie["name"] == aidkeys.COOKIE for cookie in page.context.cookies())

    # 3. The new handler unlocks and is sent on to the cases.
    sign_in_with_totp(page, yana, password)
    page.goto("/en/aid/team/")
    expect(page.get_by_text("You have access.")).to_be_visible()
    page.get_by_role("link", name="Unlock", exact=True).click()
    page.problems.clear()
    unlock(page, NEW_PASSPHRASE, password)
    # The cases page (aid:queue) may still be a placeholder: the address is what counts.
    page.wait_for_url(re.compile(r"/en/aid/$"))
    page.problems.clear()  # a placeholder's 404 is logged as a console error
    assert any(cookie["name"] == aidkeys.COOKIE for cookie in page.context.cookies())
    page.goto("/en/aid/team/")
    expect(
        page.get_by_text(re.compile(r"open in this browser for \d+ more minutes"))
    ).to_be_visible()
    page.get_by_role("button", name="Lock now").click()
    expect(page.get_by_text("You have access. Unlock")).to_be_visible()
    assert not any(cookie["name"] == aidkeys.COOKIE for cookie in page.context.cookies())
