"""Calendar files (RFC 5545): one event, or a feed of many.

Times are written in the event's own time zone with its VTIMEZONE definition, so a
calendar shows a Cologne forum at 10:00 Cologne time wherever the reader is, across
daylight-saving changes. The online link goes only into the files of registered people.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar
from icalendar import Event as VEvent

from solidar.events.models import Event

PRODID = "-//Solidar//Events//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _vevent(event: Event, *, registered: bool, now) -> VEvent:
    url = settings.SOLIDAR_SITE_URL + reverse("events:detail", args=[event.slug])
    item = VEvent()
    item.add("uid", f"{event.pk}@{settings.SOLIDAR_SITE_URL.split('://', 1)[-1]}")
    item.add("dtstamp", now)
    item.add("dtstart", event.local_start)
    item.add("dtend", event.local_end)
    item.add("summary", event.title)
    item.add("url", url)
    description = event.description or ""
    if registered and event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    item.add("description", f"{description}\n\n{url}".strip())
    location = ", ".join(part for part in (event.place, event.address, event.city) if part)
    if registered and event.online_url and not location:
        location = event.online_url
    if location:
        item.add("location", location)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("sequence", int(event.updated_at.timestamp()) // 60 % 2_000_000_000)
    item.add("last-modified", event.updated_at)
    return item


def _serialise(calendar: Calendar) -> str:
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def event_calendar(event: Event, *, registered: bool = False) -> str:
    """The .ics file of one event (attached to e-mails, behind "add to calendar")."""
    calendar = _calendar("")
    calendar.add("method", "PUBLISH")
    calendar.add_component(_vevent(event, registered=registered, now=timezone.now()))
    return _serialise(calendar)


def feed(events: Iterable[Event], *, name: str, registered_ids: Iterable = ()) -> str:
    """A calendar of many events; the online link only for those in ``registered_ids``."""
    registered = set(registered_ids)
    now = timezone.now()
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_vevent(event, registered=event.pk in registered, now=now))
    return _serialise(calendar)


def feed_name(label: str) -> str:
    with translation.override(translation.get_language()):
        return f"{settings.SOLIDAR_SITE_NAME}: {label}"
