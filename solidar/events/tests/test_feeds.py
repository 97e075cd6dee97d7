"""Calendar feeds: the public one, a collective's, the personal one behind a secret token,
and the page that makes and resets that token."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from solidar.conftest import client_for
from solidar.core.models import AuditEvent
from solidar.core.testing import any_form_data
from solidar.events import services
from solidar.events.models import CalendarFeed, Event
from solidar.network import services as network_services
from solidar.network.models import Collective, Membership

from .conftest import in_days

pytestmark = pytest.mark.django_db
ONLINE = "https://meet.example.org/room-8d1e"


def titles(response) -> set[str]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(item["SUMMARY"]) for item in calendar.walk("VEVENT")}


def personal_url(token: str) -> str:
    return reverse("events:feed_personal", args=[token])


@pytest.fixture
def landscape(event_factory, forum, members_event, invited_event, paris, minsk, coordinator):
    """Events of every kind, by title."""
    events = {
        "forum": forum,
        "members": members_event,
        "invited": invited_event,
        "draft": event_factory(title="Draft forum", status=Event.Status.DRAFT),
        "network": event_factory(title="Network congress", organiser=None),
        "paris public": event_factory(title="Paris picnic", organiser=paris),
        "paris members": event_factory(
            title="Paris cell meeting", organiser=paris, visibility=Event.Visibility.MEMBERS
        ),
        "minsk members": event_factory(
            title="Minsk cell meeting", organiser=minsk, visibility=Event.Visibility.MEMBERS
        ),
        "recent": event_factory(
            title="Last month's reading", starts_at=in_days(-30, 18), ends_at=in_days(-30, 20)
        ),
        "old": event_factory(
            title="Reading of long ago", starts_at=in_days(-120, 18), ends_at=in_days(-120, 20)
        ),
        "online": event_factory(
            title="Online call", kind=Event.Kind.CALL, place="", online_url=ONLINE
        ),
    }
    return events


def _hide(collective: Collective) -> None:
    # A cell going underground: its public events must disappear with it.
    Collective.objects.filter(pk=collective.pk).update(visibility=Collective.Visibility.HIDDEN)


# -- the public feed -----------------------------------------------------------------------------
def test_the_public_feed_has_public_events_only(outsider, landscape, koeln):
    hidden_cells_event = _public_event_of_a_cell_gone_hidden()
    response = outsider.get(reverse("events:feed_public"))
    assert titles(response) == {
        "Forum of the exiled left",
        "Network congress",
        "Paris picnic",
        "Last month's reading",
        "Online call",
    }
    body = response.content.decode()
    assert ONLINE not in body
    assert hidden_cells_event.title not in body
    assert "Underground Minsk Circle" not in body
    assert not response.cookies
    assert response["Cache-Control"] == "public, max-age=300"


def _public_event_of_a_cell_gone_hidden():
    """A public event of a cell that then goes hidden."""
    from solidar.network.tests.factories import CollectiveFactory

    cell = CollectiveFactory(slug="vilnius", name="Vilnius cell")
    event = services.create_event(
        by=None,
        organiser=cell,
        title="Vilnius open evening",
        kind=Event.Kind.MEETING,
        starts_at=in_days(10),
        ends_at=in_days(10) + timedelta(hours=2),
    )
    _hide(cell)
    return event


def test_a_signed_in_reader_gets_the_same_public_feed(member_client, outsider, landscape):
    assert titles(member_client.get(reverse("events:feed_public"))) == titles(
        outsider.get(reverse("events:feed_public"))
    )


def test_the_public_feed_is_cached_per_language_and_forgotten_on_changes(
    outsider, forum, event_factory, committed, django_assert_num_queries
):
    url = reverse("events:feed_public")
    assert titles(outsider.get(url)) == {"Forum of the exiled left"}
    assert titles(outsider.get(url.replace("/en/", "/de/", 1))) == {"Forum der exilierten Linken"}
    with django_assert_num_queries(0):
        assert titles(outsider.get(url)) == {"Forum of the exiled left"}
    with committed():
        event_factory(title="A new assembly")
    assert titles(outsider.get(url)) == {"Forum of the exiled left", "A new assembly"}


def test_the_public_feed_answers_not_modified_to_a_known_etag(outsider, forum):
    url = reverse("events:feed_public")
    first = outsider.get(url)
    again = outsider.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_cancelled_event_stays_in_the_feed_as_cancelled(outsider, forum, coordinator):
    services.cancel_event(forum, by=coordinator)
    calendar = Calendar.from_ical(outsider.get(reverse("events:feed_public")).content)
    (item,) = calendar.walk("VEVENT")
    assert item["STATUS"] == "CANCELLED"


@pytest.mark.parametrize("count", [1, 20])
def test_public_feed_queries_do_not_grow_with_events(
    count, outsider, event_factory, django_assert_num_queries
):
    for i in range(count):
        event_factory(title=f"Event {i}", starts_at=in_days(5 + i), ends_at=in_days(5 + i, 20))
    cache.clear()
    with django_assert_num_queries(1):
        response = outsider.get(reverse("events:feed_public"))
    assert len(titles(response)) == count


# -- a collective's feed -------------------------------------------------------------------------
def test_a_collectives_feed_has_its_public_events(outsider, landscape):
    response = outsider.get(reverse("events:feed_collective", args=["koeln"]))
    assert titles(response) == {"Forum of the exiled left", "Last month's reading", "Online call"}
    assert ONLINE not in response.content.decode()
    assert titles(outsider.get(reverse("events:feed_collective", args=["paris"]))) == {
        "Paris picnic"
    }


@pytest.mark.parametrize("slug", ["minsk", "no-such-cell"])
def test_a_hidden_or_unknown_collective_has_no_feed(slug, outsider, hidden_member, landscape):
    url = reverse("events:feed_collective", args=[slug])
    assert outsider.get(url).status_code == 404
    # Not even for its members: feed links get passed on.
    assert client_for(hidden_member).get(url).status_code == 404


def test_a_collective_that_goes_hidden_loses_its_feed_at_once(outsider, landscape, paris):
    url = reverse("events:feed_collective", args=["paris"])
    assert outsider.get(url).status_code == 200
    _hide(paris)
    assert outsider.get(url).status_code == 404


# -- the personal feed ---------------------------------------------------------------------------
def test_an_unknown_token_is_404(outsider, member):
    services.calendar_token(member)
    assert outsider.get(personal_url("not-a-token")).status_code == 404
    assert outsider.get(personal_url("x" * 43)).status_code == 404


def test_the_personal_feed_of_a_member(outsider, member, landscape, coordinator):
    services.register_member(landscape["online"], member)
    services.register_member(landscape["paris public"], member)
    token = services.calendar_token(member)

    response = outsider.get(personal_url(token))
    assert titles(response) == {
        "Forum of the exiled left",  # their cell's, coming
        "Cell meeting",  # their cell's members-only meeting
        "Network congress",  # the whole network's
        "Online call",  # registered
        "Paris picnic",  # registered, though another cell's
    }
    calendar = Calendar.from_ical(response.content)
    by_title = {str(item["SUMMARY"]): item for item in calendar.walk("VEVENT")}
    assert ONLINE in str(by_title["Online call"]["DESCRIPTION"])
    # Nothing of other cells' members, nothing they are not invited to, no drafts.
    body = response.content.decode()
    for absent in ("Paris cell meeting", "Minsk cell meeting", "Closed strategy", "Draft"):
        assert absent not in body
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies

    services.invite_member(landscape["invited"], member, by=coordinator)
    assert "Closed strategy meeting" in titles(outsider.get(personal_url(token)))


def test_the_online_link_only_with_a_place(outsider, member, other_member, landscape, koeln):
    online = landscape["online"]
    services.update_event(online, by=None, capacity=1)
    services.register_member(online, other_member)
    waiting, _token = services.register_member(online, member)
    assert waiting.status == "waiting"
    body = outsider.get(personal_url(services.calendar_token(member))).content.decode()
    assert "Online call" in body
    assert ONLINE not in body


def test_a_hidden_cells_member_sees_their_cell_in_their_feed(outsider, hidden_member, landscape):
    token = services.calendar_token(hidden_member)
    assert "Minsk cell meeting" in titles(outsider.get(personal_url(token)))


def test_after_a_reset_the_old_link_is_404_and_the_new_one_works(outsider, member, forum):
    old = services.calendar_token(member)
    assert outsider.get(personal_url(old)).status_code == 200
    new = services.calendar_token(member, reset=True)
    assert new != old
    assert outsider.get(personal_url(old)).status_code == 404
    assert titles(outsider.get(personal_url(new))) == {"Forum of the exiled left"}


def test_the_feed_follows_membership_and_the_account(outsider, member, members_event, koeln):
    services.register_member(members_event, member)
    token = services.calendar_token(member)
    assert "Cell meeting" in titles(outsider.get(personal_url(token)))
    membership = Membership.objects.get(user=member, collective=koeln)
    network_services.leave(membership, by=member)
    # Gone on the next fetch, registration or not: they may no longer see it.
    assert "Cell meeting" not in titles(outsider.get(personal_url(token)))
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert outsider.get(personal_url(token)).status_code == 404


def test_the_token_is_not_a_session(outsider, member, forum):
    """The feed's token authorises the feed only: fetching it signs nobody in."""
    token = services.calendar_token(member)
    outsider.get(personal_url(token))
    response = outsider.get(reverse("events:calendar"))
    assert response.status_code == 302
    assert "session" not in outsider.cookies


@pytest.mark.parametrize("count", [1, 20])
def test_personal_feed_queries_do_not_grow_with_events(
    count, outsider, member, event_factory, django_assert_num_queries
):
    for i in range(count):
        event = event_factory(
            title=f"Event {i}", starts_at=in_days(5 + i), ends_at=in_days(5 + i, 20)
        )
        services.register_member(event, member)
    token = services.calendar_token(member)
    # token, memberships, permissions (2: is this a network organiser?), registrations, events
    with django_assert_num_queries(6):
        response = outsider.get(personal_url(token))
    assert len(titles(response)) == count


# -- the page ------------------------------------------------------------------------------------
def test_the_page_needs_an_account(outsider):
    response = outsider.get(reverse("events:calendar"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert outsider.post(reverse("events:calendar"), {"action": "create"}).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_get_shows_a_button_and_creates_nothing(member_client, member):
    response = member_client.get(reverse("events:calendar"))
    assert response.status_code == 200
    assert "Create my calendar link" in response.content.decode()
    assert not CalendarFeed.objects.filter(user=member).exists()
    assert response["Cache-Control"] == "no-store"


def test_create_then_reset(member_client, member, outsider):
    url = reverse("events:calendar")
    response = member_client.post(url, {"action": "create"})
    assert response.status_code == 302
    token = CalendarFeed.objects.get(user=member).token
    page = member_client.get(url).content.decode()
    assert personal_url(token) in page
    assert "webcal://" in page
    assert "Reset the link" in page
    # Creating again keeps the link.
    member_client.post(url, {"action": "create"})
    assert CalendarFeed.objects.get(user=member).token == token

    member_client.post(url, {"action": "reset"})
    new = CalendarFeed.objects.get(user=member).token
    assert new != token
    assert outsider.get(personal_url(token)).status_code == 404
    assert outsider.get(personal_url(new)).status_code == 200
    page = member_client.get(url).content.decode()
    assert personal_url(new) in page and personal_url(token) not in page
    assert AuditEvent.objects.filter(
        action="events.calendar_feed_reset", actor_id=member.pk
    ).exists()


@pytest.mark.parametrize("data", [{}, {"action": "delete"}, {"action": ""}, {"action": "x" * 500}])
def test_a_bad_post_is_400_and_changes_nothing(data, member_client, member):
    response = member_client.post(reverse("events:calendar"), data)
    assert response.status_code == 400
    assert "Choose to create or to reset" in response.content.decode()
    assert not CalendarFeed.objects.filter(user=member).exists()


def test_the_page_in_german(member_client):
    response = member_client.get(reverse("events:calendar").replace("/en/", "/de/", 1))
    assert response.status_code == 200


# -- bad input -----------------------------------------------------------------------------------
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
junk = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["create", "reset", "CREATE", " reset", "x" * 10_000, "\x00", ""]),
)


@FUZZ
@given(data=any_form_data(["action", "token", "csrfmiddlewaretoken"], junk))
def test_the_page_never_fails_on_bad_input(data, member_client, member):
    """Only "create" and "reset" do anything; the rest is a 400 with the message."""
    existed = CalendarFeed.objects.filter(user=member).first()
    response = member_client.post(reverse("events:calendar"), data)
    if data.get("action") in ("create", "reset"):
        assert response.status_code == 302
        assert CalendarFeed.objects.filter(user=member).exists()
    else:
        assert response.status_code == 400
        after = CalendarFeed.objects.filter(user=member).first()
        assert (after and after.token_digest) == (existed and existed.token_digest)


@FUZZ
@given(token=st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/"), max_size=80))
def test_any_token_in_the_path_is_a_404_not_a_500(token, outsider, member):
    services.calendar_token(member)
    response = outsider.get(f"/en/events/feed/{quote(token, safe='')}.ics")
    assert response.status_code == 404
