"""``{{ value|day }}``: the day of a date or datetime in the language's DATE_FORMAT.

The same as ``|date:"DATE_FORMAT"``, but each day is formatted once per language and
then remembered: Django's date formatter costs about half of a row's rendering in long
lists (a page of members, each with "member since").
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django import template
from django.utils import dateformat, formats, translation

register = template.Library()


@lru_cache(maxsize=8192)  # days x languages; a few hundred kB at most
def _format_day(day: datetime.date, language: str) -> str:
    return dateformat.format(day, formats.get_format("DATE_FORMAT", language))


@register.filter(expects_localtime=True)
def day(value) -> str:
    """Aware datetimes arrive in the current time zone (expects_localtime), so the day is
    the one the reader sees; anything that is not a date gives "" like Django's filter."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        return ""
    return _format_day(value, translation.get_language() or "")
