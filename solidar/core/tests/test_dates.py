"""The |day filter shows exactly what |date:"DATE_FORMAT" shows, in every language."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.template import engines
from django.utils import timezone, translation

DAYS = [
    datetime.datetime(2026, 1, 5, 12, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC),  # 1 April in Berlin
    datetime.datetime(2025, 12, 31, 23, 59, tzinfo=datetime.UTC),  # a year later in Berlin
    datetime.date(2024, 2, 29),
]


def render(source: str, value) -> str:
    return engines["django"].from_string("{% load dates %}" + source).render({"value": value})


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("value", DAYS)
def test_day_is_the_date_filter(language, value):
    with translation.override(language):
        expected = render('{{ value|date:"DATE_FORMAT" }}', value)
        assert render("{{ value|day }}", value) == expected
        assert render("{{ value|day }}", value) == expected  # the remembered one too


def test_day_follows_the_current_time_zone():
    value = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        assert render("{{ value|day }}", value) == "March 31, 2026"
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert render("{{ value|day }}", value) == "April 1, 2026"


@pytest.mark.parametrize("value", [None, "", "2026-01-01", 3])
def test_day_of_something_else_is_empty(value):
    assert render("{{ value|day }}", value) == ""
