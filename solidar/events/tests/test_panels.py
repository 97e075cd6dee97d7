"""The events' panels: the next public events on the home page, a member's own events on
their dashboard; and the panels registry of core that puts them there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from solidar.conftest import client_for
from solidar.core import panels as registry
from solidar.core.testing import assert_max_queries
from solidar.events import panels, services
from solidar.events.models import Event
from solidar.events.tests.conftest import in_days
from solidar.network import rules as network_rules

SIZES = [1, 50]


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def titles(events) -> list[str]:
    return [event.title for event in events]


# -- the registry ------------------------------------------------------------------------------
def test_events_registers_one_panel_for_the_home_page_and_one_for_the_dashboard():
    assert [p.template_name for p in registry.for_place("home")] == ["events/panel_home.html"]
    # (Decisions' panel comes before the events' on the dashboard, mutual aid's after.)
    assert [p.template_name for p in registry.for_place("dashboard")] == [
        "decisions/panel_dashboard.html",
        "events/panel_dashboard.html",
        "aid/panel_dashboard.html",
    ]


def test_a_panel_whose_context_is_none_is_left_out_and_order_is_kept(rf):
    from django.template import Context, Template

    registry.register("test-place", "events/panel_home.html", lambda request: None, order=1)
    registry.register(
        "test-place", "events/panel_dashboard.html", lambda request: {"events": []}, order=0
    )
    try:
        request = rf.get("/")
        request.user = AnonymousUser()
        html = Template('{% load panels %}{% panels "test-place" %}').render(
            Context({"request": request})
        )
    finally:
        registry.unregister("test-place", "events/panel_home.html")
        registry.unregister("test-place", "events/panel_dashboard.html")

    assert "Nothing planned in your cells and groups yet." in html  # the dashboard's
    assert "No public events are planned right now." not in html  # the home one: None
    assert registry.for_place("test-place") == []


# -- the home page -----------------------------------------------------------------------------
def test_home_shows_the_next_public_events_only(
    client, event_factory, forum, members_event, invited_event, paris, coordinator
):
    draft = event_factory(title="A draft forum", status=Event.Status.DRAFT)
    cancelled = event_factory(title="A called-off rally", kind=Event.Kind.ACTION)
    services.cancel_event(cancelled, by=coordinator)
    past = event_factory(
        title="Last year's picnic", starts_at=in_days(-3, 12), ends_at=in_days(-3, 15)
    )
    soon = event_factory(
        title="Rally in Paris",
        organiser=paris,
        kind=Event.Kind.ACTION,
        starts_at=in_days(2, 15),
        ends_at=in_days(2, 17),
        time_zone="Europe/Paris",
    )
    network_call = event_factory(
        title="Network call",
        organiser=None,
        kind=Event.Kind.CALL,
        starts_at=in_days(5, 19),
        ends_at=in_days(5, 20),
        online_url="https://meet.example.org/x",
        place="",
        city="",
    )
    later = [
        event_factory(title=f"Later forum {n}", starts_at=in_days(40 + n), ends_at=in_days(41 + n))
        for n in range(2)
    ]

    html = client.get(reverse("home")).content.decode()

    for shown in (soon, network_call, forum):  # the three next public ones, in order
        assert shown.title in html
    assert html.index(soon.title) < html.index(network_call.title) < html.index(forum.title)
    for hidden in (members_event, invited_event, draft, cancelled, past, *later):
        assert hidden.title not in html
    assert reverse("events:detail", args=[soon.slug]) in html
    assert reverse("events:list") in html
    assert "(Europe/Paris)" in html  # the time where the event happens
    assert "Online" in html  # the call's "where"


def test_home_signed_in_shows_the_same_public_events(member, members_event, forum):
    html = client_for(member).get(reverse("home")).content.decode()

    assert forum.title in html
    assert members_event.title not in html  # the members' event is on the dashboard


def test_home_without_events_says_so(client, db):
    html = client.get(reverse("home")).content.decode()

    assert 'id="events-title"' in html
    assert "No public events are planned right now." in html


@pytest.mark.parametrize("size", SIZES)
def test_home_panel_is_one_query(event_factory, size):
    for n in range(size):
        event_factory(title=f"Forum {n}", starts_at=in_days(3 + n), ends_at=in_days(4 + n))

    with assert_max_queries(1, exact=True):
        context = panels.home(request_for(AnonymousUser()))
        [(e.title, e.organiser) for e in context["events"]]  # organisers are joined in

    assert len(context["events"]) == min(size, panels.HOME_EVENTS)


def test_home_page_query_count_does_not_grow_with_the_events(client, event_factory):
    from django.core.cache import cache

    def measure() -> list[str]:
        cache.clear()  # the page cache would answer without a query
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return [q["sql"] for q in queries.captured_queries]

    event_factory(title="Forum 0")
    measure()  # the first request warms what every later one reuses
    one = measure()
    for n in range(1, 50):
        event_factory(title=f"Forum {n}", starts_at=in_days(3 + n), ends_at=in_days(4 + n))
    fifty = measure()

    assert len(fifty) == len(one)
    assert len([sql for sql in fifty if '"events_event"' in sql]) == 1  # the panel's one


# -- the dashboard -----------------------------------------------------------------------------
def test_dashboard_shows_my_cells_events_and_not_another_cells(
    member, event_factory, forum, members_event, invited_event, paris, minsk, coordinator
):
    paris_meeting = event_factory(
        title="Paris cell meeting",
        organiser=paris,
        kind=Event.Kind.MEETING,
        visibility=Event.Visibility.MEMBERS,
    )
    paris_rally = event_factory(title="Rally in Paris", organiser=paris, kind=Event.Kind.ACTION)
    hidden_meeting = event_factory(
        title="Minsk circle", organiser=minsk, visibility=Event.Visibility.MEMBERS
    )
    network_call = event_factory(
        title="Network members call",
        organiser=None,
        kind=Event.Kind.CALL,
        visibility=Event.Visibility.MEMBERS,
        online_url="https://meet.example.org/x",
    )
    draft = event_factory(title="Draft of koeln", status=Event.Status.DRAFT)
    past = event_factory(title="Past koeln", starts_at=in_days(-3, 12), ends_at=in_days(-3, 15))
    services.register_member(forum, member)

    response = client_for(member).get(reverse("network:dashboard"))
    html = response.content.decode()

    assert response.status_code == 200
    for shown in (forum, members_event, network_call):
        assert shown.title in html
    for hidden in (paris_meeting, paris_rally, hidden_meeting, invited_event, draft, past):
        assert hidden.title not in html
    assert "Registered" in html  # my status for the forum
    assert reverse("events:mine") in html
    assert reverse("events:calendar") in html


def test_dashboard_shows_events_i_was_invited_to_or_registered_for_elsewhere(
    member, event_factory, invited_event, paris, coordinator
):
    paris_rally = event_factory(title="Rally in Paris", organiser=paris, kind=Event.Kind.ACTION)
    services.invite_member(invited_event, member, by=coordinator)
    services.register_member(paris_rally, member)

    found = titles(panels.dashboard_events(member))

    assert set(found) == {invited_event.title, paris_rally.title}


def test_dashboard_shows_the_waiting_list_and_a_cancelled_event_i_was_registered_for(
    member, event_factory, attendees, coordinator, other_member
):
    full = event_factory(title="Small reading circle", kind=Event.Kind.READING, capacity=1)
    attendees(full, 1)
    services.register_member(full, member)
    called_off = event_factory(title="Called-off meeting", kind=Event.Kind.MEETING)
    services.register_member(called_off, member)
    services.cancel_event(called_off, by=coordinator)
    not_mine = event_factory(title="Called-off rally", kind=Event.Kind.ACTION)
    services.cancel_event(not_mine, by=coordinator)

    html = client_for(member).get(reverse("network:dashboard")).content.decode()

    assert "Small reading circle" in html
    assert "On the waiting list" in html
    assert "Called-off meeting" in html
    assert "Cancelled" in html
    assert "Called-off rally" not in html


def test_dashboard_of_someone_in_no_cell_shows_public_network_events_only(db, event_factory, forum):
    from solidar.accounts.tests.factories import UserFactory

    newcomer = UserFactory(username="newcomer", display_name="New")
    network_call = event_factory(
        title="Open network call",
        organiser=None,
        kind=Event.Kind.CALL,
        online_url="https://meet.example.org/x",
    )
    members_call = event_factory(
        title="Members' network call",
        organiser=None,
        kind=Event.Kind.CALL,
        visibility=Event.Visibility.MEMBERS,
        online_url="https://meet.example.org/y",
    )

    found = titles(panels.dashboard_events(newcomer))

    assert found == [network_call.title]
    assert forum.title not in found  # a public event of a cell they are not in
    assert members_call.title not in found


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_panel_queries_do_not_grow(member, koeln, event_factory, size):
    for n in range(size):
        event = event_factory(
            title=f"Meeting {n}", starts_at=in_days(3 + n), ends_at=in_days(4 + n)
        )
        if n % 2:
            services.register_member(event, member)
    member = type(member).objects.get(pk=member.pk)
    network_rules.current_memberships(member)  # loaded by the dashboard view already

    # The person's own registrations, and the audience of their collectives (then kept).
    with assert_max_queries(2, exact=True):
        context = panels.dashboard(request_for(member))
        [(e.title, e.organiser.name, e.my_status_label) for e in context["events"]]
    assert len(context["events"]) == min(size, panels.DASHBOARD_EVENTS)
    # Later: only the registrations, always read fresh.
    with assert_max_queries(1, exact=True):
        again = panels.dashboard(request_for(member))
        [(e.title, e.organiser.name, e.my_status_label) for e in again["events"]]
    assert [e.pk for e in again["events"]] == [e.pk for e in context["events"]]
    assert [e.my_status for e in again["events"]] == [e.my_status for e in context["events"]]


def test_dashboard_panel_shows_a_new_registration_at_once(member, koeln, event_factory, committed):
    event = event_factory(title="Reading circle", starts_at=in_days(3), ends_at=in_days(4))
    member = type(member).objects.get(pk=member.pk)
    before = panels.dashboard(request_for(member))["events"]
    assert [e.my_status for e in before] == [None]
    services.register_member(event, member)
    after = panels.dashboard(request_for(member))["events"]
    assert [e.my_status for e in after] == ["registered"]


def test_no_dashboard_panel_for_anonymous():
    assert panels.dashboard(request_for(AnonymousUser())) is None
