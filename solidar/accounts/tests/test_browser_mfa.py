"""Two-factor authentication end to end: TOTP (with and without JavaScript) and passkeys."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from playwright.sync_api import expect

from solidar.accounts.tests.factories import UserFactory
from solidar.browser import sign_in, sign_out
from solidar.core.testing import totp_now

pytestmark = pytest.mark.browser

# allauth's TOTP secrets are 20 random bytes: 32 base32 characters, perhaps grouped.
SECRET = re.compile(r"\b((?:[A-Z2-7]{4} ?){7}[A-Z2-7]{4})\b")


def fresh_code(secret: str) -> str:
    """A TOTP code with time left to type it: a code that expires in flight would flake."""
    remaining = 30 - time.time() % 30
    if remaining < 3:
        time.sleep(remaining + 0.1)
    return totp_now(secret)


def confirm_password_if_asked(page, password: str) -> None:
    """allauth asks for the password again before any change to MFA (THREATS 5)."""
    if "/reauthenticate/" in page.url:
        page.locator("[name=password]").fill(password)
        page.get_by_role("button", name=re.compile("confirm", re.IGNORECASE)).click()


def read_totp_secret(page) -> str:
    """The secret as the activation page shows it in text, for people who cannot scan."""
    found = SECRET.search(page.locator("main").inner_text())
    assert found, "the activation page must show the secret as text"
    return found.group(1).replace(" ", "")


def test_totp_activation_and_second_step_at_login(page, js, member, password):
    sign_in(page, member.username, password)
    page.wait_for_url(re.compile(r"/en/account/$"))
    page.goto("/en/accounts/2fa/")
    page.get_by_role("link", name=re.compile("activate|set up", re.IGNORECASE)).first.click()
    confirm_password_if_asked(page, password)
    page.wait_for_url(re.compile(r"/en/accounts/2fa/totp/activate/$"))

    secret = read_totp_secret(page)
    page.locator("[name=code]").fill(fresh_code(secret))
    page.get_by_role("button", name=re.compile("activate", re.IGNORECASE)).click()
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()

    # Recovery codes are offered, for the day the phone is lost or seized.
    page.goto("/en/accounts/2fa/recovery-codes/")
    confirm_password_if_asked(page, password)
    shown = [page.locator("main").inner_text()]
    shown += [box.input_value() for box in page.locator("main textarea").all()]
    codes = set(re.findall(r"\b[0-9a-f]{8}\b", "\n".join(shown)))
    assert len(codes) == settings.MFA_RECOVERY_CODE_COUNT

    sign_out(page)
    sign_in(page, member.username, password)
    page.wait_for_url(re.compile(r"/en/accounts/2fa/authenticate/"))
    # The password alone opens nothing: the account page sends back to the second step.
    page.goto("/en/account/")
    assert re.search(r"/en/accounts/(2fa/authenticate|login)/", page.url)
    if "/login/" in page.url:
        sign_in(page, member.username, password)
    page.wait_for_url(re.compile(r"/en/accounts/2fa/authenticate/"))
    page.locator("[name=code]").fill("000000" if totp_now(secret) != "000000" else "111111")
    page.get_by_role("button", name=re.compile("sign in|verify|confirm", re.IGNORECASE)).click()
    expect(page.locator("[name=code]")).to_be_visible()
    assert "/en/accounts/2fa/authenticate/" in page.url

    page.locator("[name=code]").fill(fresh_code(secret))
    page.get_by_role("button", name=re.compile("sign in|verify|confirm", re.IGNORECASE)).click()
    page.wait_for_url(re.compile(r"/en/account/$"))
    assert page.get_by_label("Display name").input_value() == member.display_name


def add_virtual_authenticator(page) -> tuple[object, str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    result = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, result["authenticatorId"]


def test_passkey_added_then_used_to_sign_in(page, member, password):
    cdp, authenticator_id = add_virtual_authenticator(page)
    sign_in(page, member.username, password)
    page.wait_for_url(re.compile(r"/en/account/$"))
    page.goto("/en/accounts/2fa/webauthn/add/")
    confirm_password_if_asked(page, password)
    page.wait_for_url(re.compile(r"/en/accounts/2fa/webauthn/add/"))
    page.locator("[name=name]").fill("Laptop")
    page.locator("[name=passwordless]").check()
    page.get_by_role("button", name=re.compile("^add", re.IGNORECASE)).click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)

    key = Authenticator.objects.get(user=member, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Laptop"
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(credentials["credentials"]) == 1
    assert credentials["credentials"][0]["isResidentCredential"]

    sign_out(page)
    page.goto("/en/accounts/login/")
    page.get_by_role("button", name=re.compile("passkey", re.IGNORECASE)).click()
    page.wait_for_url(re.compile(r"/en/account/$"))
    assert page.get_by_label("Display name").input_value() == member.display_name


def test_staff_without_mfa_is_sent_to_set_it_up(page, password):
    staff = UserFactory(username="staffer", staff=True)
    sign_in(page, staff.username, password)
    page.wait_for_url(re.compile(r"/en/account/$"))
    page.goto("/cms/")
    page.wait_for_url(re.compile(r"/accounts/2fa/$"))
    expect(page.get_by_text(re.compile("two-factor", re.IGNORECASE)).first).to_be_visible()
