"""Calendar files of one event (RFC 5545): parsed back, time zones, the programme, the
online link, escaping and line folding; and the view that serves them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from solidar.conftest import client_for
from solidar.events import services
from solidar.events.calendar import PRODID, event_calendar
from solidar.events.models import Event, Registration

from .conftest import BERLIN, in_days

pytestmark = pytest.mark.django_db
ONLINE = "https://meet.example.org/room-4f7a9c"
BUENOS_AIRES = ZoneInfo("America/Argentina/Buenos_Aires")


def parse(body: str | bytes) -> Calendar:
    return Calendar.from_ical(body)


def vevents(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def last_sunday_of_october(year: int) -> datetime:
    day = datetime(year, 10, 31, tzinfo=BERLIN)
    return day - timedelta(days=(day.weekday() + 1) % 7)


@pytest.fixture
def dst_forum(event_factory, coordinator):
    """A forum over the last weekend of October in Cologne, two years ahead: one session
    on the Saturday (summer time) and one on the Sunday (winter time), both at 10:00."""
    sunday = last_sunday_of_october(timezone.now().year + 2)
    saturday = sunday - timedelta(days=1)
    event = event_factory(
        title="Autumn forum",
        starts_at=saturday.replace(hour=9),
        ends_at=sunday.replace(hour=18),
    )
    for day, title in ((saturday, "Opening"), (sunday, "Closing")):
        services.save_session(
            event,
            by=coordinator,
            title=title,
            starts_at=day.replace(hour=10),
            ends_at=day.replace(hour=11, minute=30),
            room="Saal 2",
            speakers="Olga, Ihor",
        )
    return event


def test_a_file_has_version_prodid_and_the_zone_of_the_event(forum):
    calendar = parse(event_calendar(forum))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == PRODID
    zones = [tz["TZID"] for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Berlin"]
    (item,) = vevents(calendar)
    start = item["DTSTART"]
    assert start.params["TZID"] == "Europe/Berlin"
    assert start.dt.astimezone(UTC) == forum.starts_at
    assert item["DTEND"].dt.astimezone(UTC) == forum.ends_at
    assert start.dt.hour == 10  # local time, as the organisers typed it
    assert str(item["SUMMARY"]) == forum.title
    assert item["STATUS"] == "CONFIRMED"
    assert str(item["UID"]).startswith(str(forum.pk))


def test_an_event_in_buenos_aires_carries_its_own_zone(event_factory):
    starts = in_days(30, 19, zone=BUENOS_AIRES)
    event = event_factory(
        title="Encuentro en Buenos Aires",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        time_zone="America/Argentina/Buenos_Aires",
        city="Buenos Aires",
        country="AR",
    )
    calendar = parse(event_calendar(event))
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Argentina/Buenos_Aires"]
    (item,) = vevents(calendar)
    assert item["DTSTART"].params["TZID"] == "America/Argentina/Buenos_Aires"
    assert item["DTSTART"].dt.hour == 19
    assert item["DTSTART"].dt.astimezone(UTC) == event.starts_at
    assert item["DTSTART"].dt.astimezone(UTC).hour == 22  # UTC-3, no summer time


def test_sessions_across_the_end_of_summer_time_stay_at_ten_local(dst_forum):
    calendar = parse(event_calendar(dst_forum, sessions=True))
    items = vevents(calendar)
    assert len(items) == 3
    event_item, saturday, sunday = items
    assert [str(s["SUMMARY"]) for s in (saturday, sunday)] == ["Opening", "Closing"]
    for session in (saturday, sunday):
        assert session["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert (session["DTSTART"].dt.hour, session["DTSTART"].dt.minute) == (10, 0)
        assert session["DTEND"].dt.hour == 11
        assert str(session["RELATED-TO"]) == str(event_item["UID"])
        assert str(session["LOCATION"]) == "Saal 2, Bürgerzentrum Alte Feuerwache, Köln"
        assert "Olga, Ihor" in str(session["DESCRIPTION"])
    assert saturday["DTSTART"].dt.astimezone(UTC).hour == 8  # CEST, UTC+2
    assert sunday["DTSTART"].dt.astimezone(UTC).hour == 9  # CET, UTC+1
    ids = list(dst_forum.sessions.values_list("pk", flat=True))
    host = str(event_item["UID"]).split("@", 1)[1]
    assert [str(s["UID"]) for s in (saturday, sunday)] == [
        f"{pk}.{dst_forum.pk}@{host}" for pk in ids
    ]
    # The zone's definition has both offsets of that year, for apps that read it.
    (berlin,) = calendar.walk("VTIMEZONE")
    offsets = {part["TZOFFSETTO"].to_ical() for part in berlin.subcomponents}
    assert {"+0100", "+0200"} <= offsets


def test_without_sessions_the_file_has_the_event_only(dst_forum):
    assert len(vevents(parse(event_calendar(dst_forum)))) == 1


def test_the_online_link_is_only_in_the_registered_variant(event_factory):
    event = event_factory(
        title="Online reading", kind=Event.Kind.CALL, place="", city="", online_url=ONLINE
    )
    assert ONLINE not in event_calendar(event)
    assert ONLINE not in event_calendar(event, registered=False, sessions=True)
    registered = parse(event_calendar(event, registered=True))
    (item,) = vevents(registered)
    assert ONLINE in str(item["DESCRIPTION"])
    assert ONLINE in str(item["LOCATION"])


def test_a_cancelled_event_says_so(forum, coordinator):
    services.cancel_event(forum, by=coordinator)
    (item,) = vevents(parse(event_calendar(forum)))
    assert item["STATUS"] == "CANCELLED"


TRICKY = 'Форум, "левых"; эмигрантов\nв Кёльне, 2026; часть 2\\3'


def test_commas_semicolons_newlines_and_cyrillic_round_trip(event_factory):
    description = "Программа: доклады, дискуссии; вечер.\nВторая строка, с запятыми; и так далее."
    event = event_factory(title=TRICKY, description=description)
    body = event_calendar(event)
    raw = body.replace("\r\n ", "")  # unfolded
    assert 'Форум\\, "левых"\\; эмигрантов\\nв Кёльне' in raw
    (item,) = vevents(parse(body))
    assert str(item["SUMMARY"]) == TRICKY
    assert str(item["DESCRIPTION"]).startswith(description)


def test_long_lines_are_folded_at_75_octets_with_crlf(event_factory):
    long = "Очень длинное описание форума, " * 30 + "конец"
    event = event_factory(title="Длинный " * 20, description=long)
    data = event_calendar(event, sessions=True).encode()
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert sum(line.startswith(b" ") for line in lines) > 10  # folded, not cut
    # Folding never splits a character: every line is valid UTF-8 on its own.
    for line in lines:
        line.decode("utf-8")
    (item,) = vevents(parse(data))
    assert str(item["DESCRIPTION"]).startswith(long)


# -- the view ------------------------------------------------------------------------------------
def test_the_file_is_served_as_an_attachment_with_a_safe_name(outsider, forum):
    response = outsider.get(reverse("events:ics", args=[forum.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="{forum.slug}.ics"'
    calendar = parse(response.content)
    assert len(vevents(calendar)) == 1
    assert "session" not in response.cookies


def test_the_file_has_the_programme(outsider, dst_forum):
    response = outsider.get(reverse("events:ics", args=[dst_forum.slug]))
    assert len(vevents(parse(response.content))) == 3


def test_the_file_in_another_language_has_the_translated_title(outsider, forum):
    response = outsider.get(reverse("events:ics", args=[forum.slug]).replace("/en/", "/de/", 1))
    (item,) = vevents(parse(response.content))
    assert str(item["SUMMARY"]) == "Forum der exilierten Linken"


@pytest.fixture
def online_event(event_factory):
    return event_factory(
        title="Online forum", place="", kind=Event.Kind.CALL, online_url=ONLINE, capacity=1
    )


def test_the_online_link_only_for_registered_people_and_organisers(
    online_event, outsider, member, other_member, coordinator
):
    url = reverse("events:ics", args=[online_event.slug])
    services.register_member(online_event, member)
    waiting, _token = services.register_member(online_event, other_member)
    assert waiting.status == Registration.Status.WAITING

    assert ONLINE not in outsider.get(url).content.decode()
    assert ONLINE not in client_for(other_member).get(url).content.decode()
    assert ONLINE in client_for(member).get(url).content.decode()
    assert ONLINE in client_for(coordinator).get(url).content.decode()


def test_a_cancelled_registration_loses_the_link(online_event, member):
    registration, _token = services.register_member(online_event, member)
    services.cancel_registration(registration)
    body = client_for(member).get(reverse("events:ics", args=[online_event.slug])).content
    assert ONLINE not in body.decode()


@pytest.mark.parametrize("who", ["outsider", "other_member", "hidden_member"])
def test_outsiders_get_404_for_members_and_invitation_events(
    who, request, members_event, invited_event, outsider
):
    client = outsider if who == "outsider" else client_for(request.getfixturevalue(who))
    for event in (members_event, invited_event):
        assert client.get(reverse("events:ics", args=[event.slug])).status_code == 404


def test_members_get_their_cells_event_file(member, members_event, invited_event, coordinator):
    client = client_for(member)
    assert client.get(reverse("events:ics", args=[members_event.slug])).status_code == 200
    assert client.get(reverse("events:ics", args=[invited_event.slug])).status_code == 404
    services.invite_member(invited_event, member, by=coordinator)
    assert client.get(reverse("events:ics", args=[invited_event.slug])).status_code == 200


def test_a_draft_exists_only_for_its_organisers(event_factory, member, coordinator):
    draft = event_factory(title="Draft", status=Event.Status.DRAFT)
    url = reverse("events:ics", args=[draft.slug])
    assert client_for(member).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 200


def test_unknown_event_is_404_and_post_is_refused(outsider, forum):
    assert outsider.get(reverse("events:ics", args=["no-such-event"])).status_code == 404
    assert outsider.post(reverse("events:ics", args=[forum.slug])).status_code == 405


def test_times_in_the_file_ignore_the_readers_zone(settings, forum):
    settings.TIME_ZONE = "Asia/Tokyo"
    (item,) = vevents(parse(event_calendar(forum)))
    assert item["DTSTART"].dt.hour == 10
    assert item["DTSTART"].dt.tzinfo.key == "Europe/Berlin"
