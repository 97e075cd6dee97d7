"""Issue 5 in a real browser with JavaScript off (Tor Browser's safest mode): the
coordinator creates an event with two places -> a member registers in one click -> a guest
registers and confirms from the e-mail -> a second member joins the waiting list -> the
first member cancels, the second gets the place by e-mail and accepts it -> at the door the
coordinator checks both in. The database is checked after every step, not only the page.

And (JavaScript on, for axe-core) no serious or critical accessibility problem on the event
page, the guest form, the check-in page and the participant list."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from solidar.accounts.tests.factories import UserFactory
from solidar.browser import assert_accessible, sign_in, sign_in_with_totp, sign_out
from solidar.core.testing import path_in_last_mail
from solidar.events.models import Event, Registration
from solidar.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.browser

S = Registration.Status
BERLIN = ZoneInfo("Europe/Berlin")
TIMEOUT_MS = 20_000  # the machine running the tests may be busy
GUEST_NAME = "Marta K."
GUEST_EMAIL = "marta.k@example.net"


@pytest.fixture(autouse=True)
def patient_expect():
    """expect() waits longer in these tests, then as long as elsewhere again."""
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=None)


def sign_in_member(page, user, password) -> None:
    sign_in(page, user.username, password)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def statuses(event: Event) -> dict[str, str]:
    return {r.name: r.status for r in event.registrations.all()}


def counters(event: Event) -> tuple[int, int, int, int]:
    event.refresh_from_db()
    return (
        event.registered_count,
        event.waiting_count,
        event.offered_count,
        event.checked_in_count,
    )


def test_create_register_wait_promote_check_in_without_javascript(
    page_nojs, transactional_db, koeln, member, coordinator, password
):
    page = page_nojs
    page.set_default_timeout(TIMEOUT_MS)
    bohdan = MembershipFactory(
        collective=koeln, user=UserFactory(username="bohdan", display_name="Bohdan")
    ).user
    day = (timezone.now().astimezone(BERLIN) + timedelta(days=10)).date()

    # 1. The coordinator signs in through the TOTP step and creates the event.
    sign_in_with_totp(page, coordinator, password)
    page.goto("/en/events/new/")
    expect(page.get_by_role("heading", name="Create an event")).to_be_visible()
    page.get_by_label("Organised by").select_option(label="Köln")
    page.get_by_label("Kind").select_option(label="Street action")
    page.get_by_label("Title (English)").fill("Vigil for political prisoners")
    page.get_by_label("Title (Deutsch)").fill("Mahnwache für politische Gefangene")
    page.get_by_label("Start date").fill(day.isoformat())
    page.get_by_label("Start time").fill("18:30")
    page.get_by_label("End date").fill(day.isoformat())
    page.get_by_label("End time").fill("20:00")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("Place", exact=True).fill("Roncalliplatz")
    page.get_by_label("City").fill("Köln")
    page.get_by_label("Country code").fill("DE")
    page.get_by_label("Places", exact=True).fill("2")
    page.get_by_label("Publish now").check()
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(lambda url: re.search(r"/en/events/[a-z0-9-]+/$", url) and "/new/" not in url)

    event = Event.objects.get()
    assert page.url.endswith(f"/en/events/{event.slug}/")
    assert (event.title_en, event.title_de) == (
        "Vigil for political prisoners",
        "Mahnwache für politische Gefangene",
    )
    assert event.kind == Event.Kind.ACTION
    assert event.status == Event.Status.PUBLISHED
    assert event.organiser == koeln
    assert event.capacity == 2
    assert event.time_zone == "Europe/Berlin"
    # Typed as the clock shows it in Cologne, kept in UTC.
    assert event.starts_at == datetime(day.year, day.month, day.day, 18, 30, tzinfo=BERLIN)
    assert event.ends_at == datetime(day.year, day.month, day.day, 20, 0, tzinfo=BERLIN)
    expect(page.get_by_text("The event was created and published.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vigil for political prisoners")
    expect(page.get_by_text("Roncalliplatz")).to_be_visible()
    expect(page.get_by_text("2 places left")).to_be_visible()
    tools = page.get_by_role("navigation", name="For the organisers")
    expect(tools.get_by_text("0 registered, 0 offered a place, 0 waiting.")).to_be_visible()
    event_path = f"/en/events/{event.slug}/"
    sign_out(page)

    # 2. A member registers in one click.
    sign_in_member(page, member, password)
    page.goto(event_path)
    registration = page.get_by_role("region", name="Registration")
    expect(registration.get_by_text("You register as Lena.")).to_be_visible()
    registration.get_by_role("button", name="Register").click()
    page.wait_for_url(f"**{event_path}")
    expect(page.get_by_text("You are registered.", exact=True)).to_be_visible()
    expect(registration.get_by_text("You are registered. See you there!")).to_be_visible()
    assert statuses(event) == {"Lena": S.REGISTERED}
    assert counters(event) == (1, 0, 0, 0)
    sign_out(page)

    # 3. A guest, signed out, registers with a pseudonym and confirms from the e-mail.
    page.goto(event_path)
    page.get_by_role("region", name="Registration").get_by_role("link", name="Register").click()
    page.wait_for_url(f"**{event_path}register/")
    page.get_by_label("Your name").fill(GUEST_NAME)
    page.get_by_label("E-mail").fill(GUEST_EMAIL)
    page.get_by_role("button", name="Register and get the confirmation e-mail").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    # Nothing reserved until the address is confirmed.
    assert statuses(event) == {"Lena": S.REGISTERED, GUEST_NAME: S.UNCONFIRMED}
    assert counters(event) == (1, 0, 0, 0)
    guest = event.registrations.get(name=GUEST_NAME)
    assert guest.user is None and guest.email == GUEST_EMAIL

    page.goto(path_in_last_mail(GUEST_EMAIL, "/events/confirm/"))
    expect(page.get_by_role("heading", name="Confirm your registration")).to_be_visible()
    # Opening the link (as mail scanners do) changes nothing; the button does.
    guest.refresh_from_db()
    assert guest.status == S.UNCONFIRMED
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.get_by_role("heading", name="Confirmed")).to_be_visible()
    expect(page.get_by_text("Thank you: you are registered.")).to_be_visible()
    guest.refresh_from_db()
    assert guest.status == S.REGISTERED
    assert counters(event) == (2, 0, 0, 0)
    assert event.places_left == 0
    # The guest's personal link came by e-mail too.
    guest_link = path_in_last_mail(GUEST_EMAIL, "/events/r/")
    page.goto(guest_link)
    expect(page.get_by_role("heading", name="Your registration", exact=True)).to_be_visible()
    expect(page.get_by_text(GUEST_NAME)).to_be_visible()
    expect(page.get_by_text("Registered", exact=True)).to_be_visible()

    # 4. A second member: the event is full, so the waiting list.
    sign_in_member(page, bohdan, password)
    page.goto(event_path)
    registration = page.get_by_role("region", name="Registration")
    expect(
        registration.get_by_text("The event is full: if you register, you join the waiting list.")
    ).to_be_visible()
    expect(page.get_by_text("full: waiting list")).to_be_visible()
    registration.get_by_role("button", name="Register").click()
    page.wait_for_url(f"**{event_path}")
    expect(
        page.get_by_text(re.compile(r"^You are on the waiting list\. We will write"))
    ).to_be_visible()
    expect(registration.get_by_role("button", name="Leave the waiting list")).to_be_visible()
    assert statuses(event) == {"Lena": S.REGISTERED, GUEST_NAME: S.REGISTERED, "Bohdan": S.WAITING}
    assert counters(event) == (2, 1, 0, 0)
    sign_out(page)

    # 5. The first member cancels: the place is offered to Bohdan by e-mail, who accepts
    # it from the personal link in that e-mail (no account needed for the link).
    sign_in_member(page, member, password)
    page.goto(event_path)
    page.get_by_role("button", name="Cancel my registration").click()
    page.wait_for_url(f"**{event_path}")
    expect(page.get_by_text("Your registration is cancelled.")).to_be_visible()
    assert statuses(event) == {"Lena": S.CANCELLED, GUEST_NAME: S.REGISTERED, "Bohdan": S.OFFERED}
    assert counters(event) == (1, 0, 1, 0)
    sign_out(page)

    offer = [m for m in mail.outbox if bohdan.email in m.to][-1]
    assert offer.subject == "A place is free for you: Vigil for political prisoners"
    page.goto(path_in_last_mail(bohdan.email, "/events/r/"))
    expect(page.get_by_role("heading", name="Your registration", exact=True)).to_be_visible()
    expect(page.get_by_text("A place has freed up for you.")).to_be_visible()
    page.get_by_role("button", name="Accept the place").click()
    expect(page.get_by_text(re.compile(r"^The place is yours\."))).to_be_visible()
    expect(page.get_by_text("Registered", exact=True)).to_be_visible()
    assert statuses(event) == {
        "Lena": S.CANCELLED,
        GUEST_NAME: S.REGISTERED,
        "Bohdan": S.REGISTERED,
    }
    assert counters(event) == (2, 0, 0, 0)

    # 6. At the door: the coordinator finds each person by name and checks them in.
    sign_in_with_totp(page, coordinator, password)
    page.goto(f"{event_path}check-in/")
    count = page.get_by_role("status").filter(has_text=re.compile(r"^Checked in: \d+ of"))
    expect(count).to_have_text("Checked in: 0 of 2")
    for query, name, checked_in in (("marta", GUEST_NAME, 1), ("BOH", "Bohdan", 2)):
        page.get_by_label("Name").fill(query)
        page.get_by_role("button", name="Find").click()
        found = page.get_by_role("list", name="People found")
        found.get_by_role("button", name=f"Check in {name}").click()
        expect(page.get_by_text(f"Checked in: {name}.")).to_be_visible()
        expect(count).to_have_text(f"Checked in: {checked_in} of 2")
        expect(found.get_by_role("button", name=f"Undo {name}")).to_be_visible()
    # Somebody who cancelled is not on the list at the door.
    page.get_by_label("Name").fill("lena")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("Nobody by that name. Try part of the name.")).to_be_visible()
    expect(page.get_by_role("list", name="People found")).to_have_count(0)

    assert counters(event) == (2, 0, 0, 2)
    checked = event.registrations.exclude(checked_in_at=None)
    assert sorted(checked.values_list("name", flat=True)) == ["Bohdan", GUEST_NAME]

    # The participant list shows the numbers and the guest, but not the guest's address.
    page.get_by_role("link", name="All participants").click()
    page.wait_for_url(f"**{event_path}participants/")
    numbers = page.get_by_role("region", name="Numbers")
    expect(numbers.locator("div").filter(has_text="Checked in").locator("dd")).to_have_text("2")
    expect(numbers.locator("div").filter(has_text="Registered").locator("dd")).to_have_text("2")
    table = page.get_by_role("table", name="Participants")
    expect(table.get_by_role("row").filter(has_text=GUEST_NAME)).to_contain_text("guest")
    assert GUEST_EMAIL not in page.content()


def test_event_pages_are_accessible(
    page, transactional_db, event_factory, koeln, coordinator, password, attendees
):
    page.set_default_timeout(TIMEOUT_MS)
    event = event_factory(
        title="Vigil for political prisoners",
        kind=Event.Kind.ACTION,
        capacity=2,
        description="We stand together.\n\nBring a candle.",
    )
    attendees(event, 2, prefix="vera")
    event_path = f"/en/events/{event.slug}/"

    # A reader, signed out: the event (full: waiting list) and the guest form.
    page.goto(event_path)
    expect(page.get_by_text("full: waiting list")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{event_path}register/")
    expect(page.get_by_label("Your name")).to_be_visible()
    assert_accessible(page)
    # The form with its errors, as a guest who sent it empty sees it.
    assert not page.problems.report()  # before the 400 on purpose
    page.get_by_role("button", name="Register and get the confirmation e-mail").click()
    expect(page.get_by_text("Please give a name (a pseudonym is fine).")).to_be_visible()
    page.problems.clear()  # Chromium logs the 400 as a console error
    assert_accessible(page)

    # The organiser: the event with the tools, the check-in page with results, the list.
    sign_in_with_totp(page, coordinator, password)
    page.goto(event_path)
    expect(page.get_by_role("navigation", name="For the organisers")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{event_path}check-in/")
    page.get_by_label("Name").fill("vera")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("list", name="People found").get_by_role("listitem")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("button", name="Check in Vera 0").click()
    expect(page.get_by_text("Checked in: Vera 0.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{event_path}participants/")
    expect(page.get_by_role("table", name="Participants")).to_be_visible()
    assert_accessible(page)
