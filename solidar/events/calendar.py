"""Calendar files (RFC 5545): one event, or a feed of many.

Times are written in the event's own time zone with its VTIMEZONE definition, so a
calendar shows a Cologne forum at 10:00 Cologne time wherever the reader is, across
daylight-saving changes. The online link goes only into the files of registered people.

A forum's programme can go along (``sessions=True``): each session is a VEVENT of its
own, in the event's zone, RELATED-TO the event.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vDuration
from icalendar import Event as VEvent

from solidar.events.models import Event, Session

PRODID = "-//Solidar//Events//EN"
# Calendar apps poll subscribed feeds; once an hour is plenty (RFC 7986 and Outlook's name).
REFRESH = timedelta(hours=1)


def _host() -> str:
    return urlsplit(settings.SOLIDAR_SITE_URL).netloc or "solidar"


def event_uid(event: Event) -> str:
    """The UID of an event, the same in every file and feed (so apps update, not add)."""
    return f"{event.pk}@{_host()}"


def session_uid(session: Session, event: Event) -> str:
    return f"{session.pk}.{event.pk}@{_host()}"


def _calendar(name: str, *, feed: bool = False) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    if feed:
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH).to_ical().decode())
    return calendar


def _event_url(event: Event) -> str:
    return settings.SOLIDAR_SITE_URL + reverse("events:detail", args=[event.slug])


def _place(event: Event) -> str:
    return ", ".join(part for part in (event.place, event.address, event.city) if part)


def _stamp(item: VEvent, event: Event, now: datetime) -> None:
    item.add("dtstamp", now)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("sequence", int(event.updated_at.timestamp()) // 60 % 2_000_000_000)
    item.add("last-modified", event.updated_at)


def _vevent(event: Event, *, registered: bool, now, url: str | None = None) -> VEvent:
    url = url or _event_url(event)
    item = VEvent()
    item.add("uid", event_uid(event))
    item.add("dtstart", event.local_start)
    item.add("dtend", event.local_end)
    item.add("summary", event.title)
    item.add("url", url)
    description = event.description or ""
    if registered and event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    item.add("description", f"{description}\n\n{url}".strip())
    location = _place(event)
    if registered and event.online_url and not location:
        location = event.online_url
    if location:
        item.add("location", location)
    _stamp(item, event, now)
    return item


def _session_vevent(session: Session, event: Event, *, now, url: str) -> VEvent:
    zone = event.zone
    item = VEvent()
    item.add("uid", session_uid(session, event))
    item.add("related-to", event_uid(event))
    item.add("dtstart", timezone.localtime(session.starts_at, zone))
    item.add("dtend", timezone.localtime(session.ends_at, zone))
    item.add("summary", session.title)
    item.add("url", url)
    parts = []
    if session.speakers:
        parts.append(_("Speakers: %(speakers)s") % {"speakers": session.speakers})
    if session.description:
        parts.append(session.description)
    parts.append(url)
    item.add("description", "\n\n".join(parts))
    location = ", ".join(part for part in (session.room, _place(event)) if part)
    if location:
        item.add("location", location)
    _stamp(item, event, now)
    return item


def _serialise(calendar: Calendar) -> str:
    # VTIMEZONEs cover the years of the calendar's events only: the default (1970-2038)
    # makes each zone a hundred lines and ten times slower to build.
    starts = [c.DTSTART for c in calendar.walk("VEVENT") if c.get("dtstart") is not None]
    ends = [c.DTEND for c in calendar.walk("VEVENT") if c.get("dtend") is not None]
    if starts:
        first = date(min(s.year for s in starts), 1, 1)
        last = date(max(e.year for e in ends or starts) + 1, 1, 1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical().decode()


def event_calendar(event: Event, *, registered: bool = False, sessions: bool = False) -> str:
    """The .ics file of one event (attached to e-mails, behind "add to calendar").

    With ``sessions``, the programme too: each session as its own VEVENT."""
    now = timezone.now()
    url = _event_url(event)
    calendar = _calendar("")
    calendar.add("method", "PUBLISH")
    calendar.add_component(_vevent(event, registered=registered, now=now, url=url))
    if sessions:
        for session in event.sessions.all():
            calendar.add_component(_session_vevent(session, event, now=now, url=url))
    return _serialise(calendar)


def feed(events: Iterable[Event], *, name: str, registered_ids: Iterable = ()) -> str:
    """A calendar of many events; the online link only for those in ``registered_ids``."""
    registered = set(registered_ids)
    now = timezone.now()
    calendar = _calendar(name, feed=True)
    for event in events:
        calendar.add_component(_vevent(event, registered=event.pk in registered, now=now))
    return _serialise(calendar)


def feed_name(label: str) -> str:
    return f"{settings.SOLIDAR_SITE_NAME}: {label}"
