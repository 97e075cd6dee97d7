"""Pages of long lists."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def page_of(records, number, *, per_page: int, count: int | None = None) -> Page:
    """One page of ``records``; a missing or bad ``number`` gets a valid page. Two queries:
    the count and the page's rows; one when the ``count`` is known (from counters, or
    counted by a cheaper query than the page's own)."""
    paginator = Paginator(records, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not asked of the database
    return paginator.get_page(number)
