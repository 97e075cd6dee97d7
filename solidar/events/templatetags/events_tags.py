"""How an event's time and place read, on pages and in e-mails, in the active language.

Times are always shown in the event's own time zone, named, so that a reader in Buenos
Aires knows that 18:00 means 18:00 in Köln.
"""

from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _time(value) -> str:
    return formats.time_format(value, "TIME_FORMAT")


def when(event) -> str:
    """'2 November 2024, 10:00 – 3 November 2024, 18:00 (Europe/Berlin)'."""
    start, end = event.local_start, event.local_end
    if start.date() == end.date():
        span = _("%(day)s, %(start)s – %(end)s") % {
            "day": _day(start),
            "start": _time(start),
            "end": _time(end),
        }
    else:
        span = _("%(start_day)s, %(start)s – %(end_day)s, %(end)s") % {
            "start_day": _day(start),
            "start": _time(start),
            "end_day": _day(end),
            "end": _time(end),
        }
    return f"{span} ({event.time_zone.replace('_', ' ')})"


def where(event) -> str:
    parts = [event.place, event.address, event.city]
    text = ", ".join(part for part in parts if part)
    if not text and event.is_online:
        return _("Online")
    return text


@register.simple_tag
def event_when(event) -> str:
    return when(event)


@register.simple_tag
def event_where(event) -> str:
    return where(event)


@register.filter
def offer_deadline(registration) -> str:
    """The deadline of an offered place, in the event's time zone."""
    if not registration.offer_expires_at:
        return ""
    local = timezone.localtime(registration.offer_expires_at, registration.event.zone)
    return f"{_day(local)}, {_time(local)} ({registration.event.time_zone.replace('_', ' ')})"


@register.filter
def local_time(value, event) -> str:
    """A moment (a session's start, say) as a time of day where the event happens."""
    if not value:
        return ""
    return _time(timezone.localtime(value, event.zone))


@register.filter
def local_day(value, event) -> str:
    if not value:
        return ""
    return _day(timezone.localtime(value, event.zone))
