"""The reader's newsletter in a real browser with JavaScript off (Tor Browser's safest
mode): sign up -> the confirmation e-mail -> confirm with the button -> the preference
page -> leave all. The database is checked after every step, not only the page.

And (JavaScript on, for axe-core) no serious or critical accessibility problem on the
sign-up form (also with its errors), the confirmation, preference and unsubscribe pages,
and the newsletters on a member's profile."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from solidar.browser import assert_accessible, sign_in
from solidar.core.testing import path_in_last_mail
from solidar.newsletter import links, services
from solidar.newsletter.models import Subscriber, Subscription, Suppression

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000  # the machine running the tests may be busy
ADDRESS = "leser@example.net"
S = Subscription.Status


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=None)


@pytest.fixture
def lists(make_list):
    return (
        make_list(
            "monthly-en",
            "en",
            name_en="Monthly letter",
            description_en="News from the network, once a month.",
            position=1,
        ),
        make_list(
            "monthly-de",
            "de",
            name_en="Monthly letter in German",
            name_de="Monatsbrief",
            position=2,
        ),
    )


def test_sign_up_confirm_preferences_leave_without_javascript(page_nojs, transactional_db, lists):
    page = page_nojs
    page.set_default_timeout(TIMEOUT_MS)
    english, german = lists

    # 1. From the footer of the home page to the sign-up form.
    page.goto("/en/newsletter/")
    expect(page.get_by_role("heading", name="Subscribe to our newsletters")).to_be_visible()
    page.get_by_label("E-mail address").fill(ADDRESS)
    page.get_by_label("Monthly letter", exact=True).check()
    page.get_by_label("Monthly letter in German").check()
    page.get_by_label(re.compile("^I agree that")).check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    subscriber = Subscriber.objects.get()
    assert subscriber.email == ADDRESS
    assert set(subscriber.subscriptions.values_list("mailing_list__slug", "status")) == {
        ("monthly-en", S.PENDING),
        ("monthly-de", S.PENDING),
    }

    # 2. The link from the e-mail: opening it changes nothing, the button confirms.
    page.goto(path_in_last_mail(ADDRESS, "/newsletter/confirm/"))
    expect(page.get_by_role("button", name="Confirm my subscription")).to_be_visible()
    assert set(subscriber.subscriptions.values_list("status", flat=True)) == {S.PENDING}
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("heading", name="Subscribed")).to_be_visible()
    assert set(subscriber.subscriptions.values_list("status", flat=True)) == {S.CONFIRMED}

    # 3. The preference page: drop the German letter.
    page.get_by_role("link", name="Change my lists").click()
    expect(page.get_by_role("heading", name="Your newsletters")).to_be_visible()
    expect(page.get_by_label("Monthly letter", exact=True)).to_be_checked()
    page.get_by_label("Monthly letter in German").uncheck()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    assert list(subscriber.subscriptions.values_list("mailing_list__slug", flat=True)) == [
        "monthly-en"
    ]

    # 4. Leave all: the address is deleted, its keyed digest suppressed.
    page.get_by_role("button", name="Leave all and delete my address").click()
    expect(page.get_by_role("heading", name="You left")).to_be_visible()
    assert not Subscriber.objects.exists()
    assert Suppression.objects.get().email_digest == links.email_digest(ADDRESS)


def test_newsletter_pages_are_accessible(
    page, transactional_db, lists, make_subscriber, make_mailing, member, password
):
    page.set_default_timeout(TIMEOUT_MS)
    english, german = lists

    page.goto("/en/newsletter/")
    expect(page.get_by_label("E-mail address")).to_be_visible()
    assert_accessible(page)
    # The form with its errors, as a reader who sent it empty sees it.
    assert not page.problems.report()  # before the 400 on purpose
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("Please choose at least one list.")).to_be_visible()
    page.problems.clear()  # Chromium logs the 400 as a console error
    assert_accessible(page)

    services.subscribe("waiting@example.net", [english], language="en")
    token = services.new_token()
    Subscriber.objects.filter(email_digest=links.email_digest("waiting@example.net")).update(
        confirm_digest=links.digest(token, "confirm")
    )
    page.goto(f"/en/newsletter/confirm/{token}/")
    expect(page.get_by_role("button", name="Confirm my subscription")).to_be_visible()
    assert_accessible(page)

    reader = make_subscriber("reader@example.net", [english])
    page.goto(f"/en/newsletter/preferences/{links.preference_token(reader)}/")
    expect(page.get_by_role("heading", name="Your newsletters")).to_be_visible()
    assert_accessible(page)
    mailing = make_mailing(lists=[english])
    page.goto(f"/en/newsletter/unsubscribe/{links.unsubscribe_token(reader, mailing)}/")
    expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()
    assert_accessible(page)

    sign_in(page, member.username, password)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/en/account/")
    expect(page.get_by_role("heading", name="Newsletters", exact=True)).to_be_visible()
    assert_accessible(page)
