"""Statistics of a team's help requests for its coordinators: counts only, no person.

Requests by kind, by country and by month they came in; outcomes of closed requests;
the median and 90th percentile time to the first reply. Purged requests count too (they
keep exactly these fields). Every figure is an aggregate over the team's requests: no
row, number, date of a single request or anything sealed is read. Seven queries, however
many requests there are (the percentiles read one row each, by offset, in order of the
reply time).

Small numbers can point at a person ("the one request from Kazakhstan in March"): the
page shows exact counts to coordinators, who know the cases anyway, and says not to pass
small figures on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from solidar.aid.models import AidTeam, Case, Kind

MONTHS = 24  # the months shown, newest first


@dataclass
class Statistics:
    total: int = 0
    open: int = 0
    closed: int = 0
    purged: int = 0
    replied: int = 0
    by_kind: list[tuple[str, str, int]] = field(default_factory=list)  # key, label, count
    by_country: list[tuple[str, int]] = field(default_factory=list)
    by_month: list[tuple[date, int]] = field(default_factory=list)
    outcomes: list[tuple[str, str, int]] = field(default_factory=list)
    median_reply: timedelta | None = None
    p90_reply: timedelta | None = None


def _reply_time():
    return ExpressionWrapper(F("first_reply_at") - F("created_at"), output_field=DurationField())


def percentile(cases, count: int, fraction: float) -> timedelta | None:
    """The nearest-rank percentile of the reply time among ``count`` replied cases:
    one query reading one value."""
    if count == 0:
        return None
    index = max(0, math.ceil(fraction * count) - 1)
    value = (
        cases.filter(first_reply_at__isnull=False)
        .annotate(reply=_reply_time())
        .order_by("reply", "pk")
        .values_list("reply", flat=True)[index : index + 1]
    )
    found = list(value)
    return found[0] if found else None


def for_team(team: AidTeam) -> Statistics:
    cases = Case.objects.filter(team=team)
    stats = Statistics()
    totals = cases.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(status=Case.Status.CLOSED)),
        purged=Count("pk", filter=Q(purged_at__isnull=False)),
        replied=Count("pk", filter=Q(first_reply_at__isnull=False)),
    )
    stats.total = totals["total"]
    stats.closed = totals["closed"]
    stats.open = stats.total - stats.closed
    stats.purged = totals["purged"]
    stats.replied = totals["replied"]
    if not stats.total:
        return stats

    kinds = dict(Kind.choices)
    stats.by_kind = sorted(
        (
            (row["kind"], str(kinds.get(row["kind"], row["kind"])), row["n"])
            for row in cases.order_by().values("kind").annotate(n=Count("pk"))
        ),
        key=lambda item: (-item[2], item[0]),
    )
    stats.by_country = sorted(
        (
            (row["country"], row["n"])
            for row in cases.order_by().values("country").annotate(n=Count("pk"))
        ),
        key=lambda item: (-item[1], item[0]),
    )
    stats.by_month = [
        (row["month"].date() if hasattr(row["month"], "date") else row["month"], row["n"])
        for row in cases.order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("-month")[:MONTHS]
    ]
    outcomes = dict(Case.Outcome.choices)
    stats.outcomes = sorted(
        (
            (row["outcome"], str(outcomes.get(row["outcome"], row["outcome"])), row["n"])
            for row in cases.filter(status=Case.Status.CLOSED)
            .exclude(outcome="")
            .order_by()
            .values("outcome")
            .annotate(n=Count("pk"))
        ),
        key=lambda item: (-item[2], item[0]),
    )
    stats.median_reply = percentile(cases, stats.replied, 0.5)
    stats.p90_reply = percentile(cases, stats.replied, 0.9)
    return stats


def duration_text(value: timedelta | None) -> str:
    """A duration for the page, in the active language: '3 h 20 min', '2 d 4 h'."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}
