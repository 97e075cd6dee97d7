"""Statistics for aid coordinators (stats.py): aggregates only, purged cases counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from solidar.aid import retention, stats
from solidar.aid.models import Case, Kind
from solidar.core.testing import assert_max_queries

pytestmark = pytest.mark.django_db


def _set(case, **fields):
    Case.objects.filter(pk=case.pk).update(**fields)


def test_counts_by_kind_country_month_and_outcome(make_case, aid_team):
    march = datetime(2025, 3, 10, 12, tzinfo=UTC)
    april = datetime(2025, 4, 2, 12, tzinfo=UTC)
    made = [
        make_case(kind=Kind.DEPARTURE, country="BY")[0],
        make_case(kind=Kind.DEPARTURE, country="RU")[0],
        make_case(kind=Kind.LEGAL, country="BY")[0],
    ]
    _set(made[0], created_at=march)
    _set(made[1], created_at=march + timedelta(days=5))
    _set(made[2], created_at=april, status=Case.Status.CLOSED, outcome=Case.Outcome.HELPED)
    figures = stats.for_team(aid_team)
    assert (figures.total, figures.open, figures.closed) == (3, 2, 1)
    assert [(key, count) for key, _label, count in figures.by_kind] == [
        ("departure", 2),
        ("legal", 1),
    ]
    assert figures.by_country == [("BY", 2), ("RU", 1)]
    assert [(month.month, count) for month, count in figures.by_month] == [(4, 1), (3, 2)]
    assert [(key, count) for key, _label, count in figures.outcomes] == [("helped", 1)]


def test_median_and_90th_percentile_of_the_first_reply(make_case, aid_team):
    start = datetime(2025, 5, 1, 8, tzinfo=UTC)
    hours = [1, 2, 3, 4, 5, 6, 7, 8, 9, 50]
    for n in hours:
        case, _ = make_case()
        _set(case, created_at=start, first_reply_at=start + timedelta(hours=n))
    make_case()  # no reply yet: not in the reply times
    figures = stats.for_team(aid_team)
    assert figures.replied == 10
    assert figures.median_reply == timedelta(hours=5)
    assert figures.p90_reply == timedelta(hours=9)
    assert stats.duration_text(figures.median_reply) == "5 h 0 min"
    assert stats.duration_text(timedelta(days=2, hours=3)) == "2 d 3 h"


def test_purged_cases_still_count(make_case, aid_team, settings):
    settings.SOLIDAR_AID_RETENTION_DAYS = 10
    long_ago = datetime(2024, 1, 5, tzinfo=UTC)
    case, _ = make_case(kind=Kind.HEALTH, country="GE")
    _set(
        case,
        created_at=long_ago,
        first_reply_at=long_ago + timedelta(hours=2),
        status=Case.Status.CLOSED,
        outcome=Case.Outcome.REFERRED,
        closed_at=long_ago + timedelta(days=3),
    )
    assert retention.purge()["cases"] == 1
    figures = stats.for_team(aid_team)
    assert figures.purged == 1 and figures.total == 1
    assert figures.by_country == [("GE", 1)]
    assert figures.outcomes[0][0] == "referred"
    assert figures.median_reply == timedelta(hours=2)


def test_an_empty_team(aid_team):
    figures = stats.for_team(aid_team)
    assert figures.total == 0 and figures.median_reply is None and figures.by_kind == []


@pytest.mark.parametrize("count", [1, 60])
def test_seven_queries_however_many_requests(make_case, aid_team, count):
    cases = [make_case(country=("BY", "RU", "KZ")[n % 3])[0] for n in range(count)]
    now = datetime(2025, 6, 1, tzinfo=UTC)
    for n, case in enumerate(cases):
        _set(case, created_at=now - timedelta(days=n), first_reply_at=now + timedelta(minutes=n))
    with assert_max_queries(7, exact=True):
        figures = stats.for_team(aid_team)
    assert figures.total == count and figures.median_reply is not None
