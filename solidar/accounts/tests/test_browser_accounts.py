"""The account flows in a real browser, with JavaScript on and off."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from solidar.accounts.models import User
from solidar.browser import html_lang, sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "tea with lemon at the border"


def link_in_last_mail(to: str, path_part: str) -> str:
    """The one link in the newest mail to ``to`` whose path contains ``path_part``."""
    message = [m for m in mail.outbox if to in m.to][-1]
    links = [
        link
        for link in re.findall(r"https?://[^\s<>\"]+", message.body)
        if path_part in urlsplit(link).path
    ]
    assert len(links) == 1, message.body
    return links[0]


def test_sign_up_confirm_sign_in_and_switch_to_german(page, js, live_url):
    page.goto("/en/accounts/signup/")
    page.locator("[name=email]").fill("nadia@example.org")
    page.locator("[name=username]").fill("nadia")
    page.locator("[name=password1]").fill(NEW_PASSWORD)
    page.locator("[name=password2]").fill(NEW_PASSWORD)
    page.get_by_label("Display name").fill("Nadia from Tbilisi")
    page.get_by_label("Preferred language").select_option(label="English")
    page.get_by_role("button", name=re.compile("sign up|create", re.IGNORECASE)).click()

    page.wait_for_url(re.compile(r"/en/accounts/confirm-email/$"))
    user = User.objects.get(username="nadia")
    assert user.display_name == "Nadia from Tbilisi"
    assert not user.emailaddress_set.get().verified

    link = link_in_last_mail("nadia@example.org", "/confirm-email/")
    # The link goes to this site, in the language the account chose.
    assert link.startswith(f"{live_url}/en/accounts/confirm-email/")
    page.goto(link)
    page.get_by_role("button", name=re.compile("confirm", re.IGNORECASE)).click()
    page.wait_for_url(re.compile(r"/en/accounts/login/"))
    assert user.emailaddress_set.get().verified

    sign_in(page, "nadia", NEW_PASSWORD)
    page.wait_for_url(re.compile(r"/en/account/$"))
    assert page.get_by_label("Display name").input_value() == "Nadia from Tbilisi"
    assert html_lang(page) == "en"

    page.get_by_label("Preferred language").select_option(label="Deutsch")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/de/account/$"))
    assert html_lang(page) == "de"
    assert User.objects.get(pk=user.pk).language == "de"
    # Without a language in the address, the account's language wins over the browser's.
    page.goto("/")
    page.wait_for_url(re.compile(r"/de/$"))
    assert html_lang(page) == "de"


def test_password_reset_without_javascript(page_nojs, member, password):
    page = page_nojs
    page.goto("/en/accounts/password/reset/")
    page.locator("[name=email]").fill(member.email)
    page.get_by_role("button", name=re.compile("reset", re.IGNORECASE)).click()
    page.wait_for_url(re.compile(r"/en/accounts/password/reset/done/$"))

    page.goto(link_in_last_mail(member.email, "/password/reset/key/"))
    page.locator("[name=password1]").fill(NEW_PASSWORD)
    page.locator("[name=password2]").fill(NEW_PASSWORD)
    page.get_by_role(
        "button", name=re.compile("change password|set password", re.IGNORECASE)
    ).click()
    page.wait_for_url(re.compile(r"/en/accounts/password/reset/key/done/$"))

    sign_in(page, member.username, password)
    expect(page.get_by_text(re.compile("not correct", re.IGNORECASE))).to_be_visible()
    assert "/accounts/login/" in page.url  # the old password no longer works
    sign_in(page, member.username, NEW_PASSWORD)
    page.wait_for_url(re.compile(r"/en/account/$"))
    assert page.get_by_label("Display name").input_value() == member.display_name
