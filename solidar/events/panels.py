"""The events' panels on other apps' pages (registered in EventsConfig.ready; see
solidar.core.panels): the next public events on the home page, and a member's own
upcoming events on their dashboard. One query each.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone, translation

from solidar.core import pagecache, panels
from solidar.events import access
from solidar.events.models import Event, EventInvitation, Registration
from solidar.network import rules as network_rules
from solidar.network.models import Collective, Membership

HOME_EVENTS = 3
DASHBOARD_EVENTS = 5
# The audience kept per membership set: enough upcoming events to fill a dashboard after
# dropping cancelled ones; kept until any event changes, or five minutes.
AUDIENCE_KEPT = 50
AUDIENCE_SECONDS = 300
# The columns a panel shows (of some 50, with every language's): fewer to select and
# convert, a query Django builds several times faster.
SHOWN = [
    "slug",
    "kind",
    *(f"title_{code}" for code, _name in settings.LANGUAGES),
    "title",
    "status",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "address",
    "city",
    "online_url",
    "organiser__slug",
    *(f"organiser__name_{code}" for code, _name in settings.LANGUAGES),
    "organiser__name",
]


def home(request) -> dict[str, Any]:
    """The next public events. The same for everyone (the page is cached for anonymous
    readers), so it is asked as an anonymous reader would."""
    events = (
        access.upcoming(access.visible_events(AnonymousUser()))
        .filter(status=Event.Status.PUBLISHED)
        .only(*SHOWN)
    )
    return {"events": list(events[:HOME_EVENTS])}


def _audience(user, active: list[int], coordinated: list[int]) -> list[Event]:
    """The upcoming events of ``user``'s collectives and of the network that they may see
    (published or cancelled), by start. Built once per language, membership set and change
    to any event (the page cache's generation), then kept: the query is simple to run and
    costly to build (translated columns, subqueries)."""
    key = (
        "events:dashboard:"
        + hashlib.sha256(
            repr(
                (
                    pagecache.generation(),
                    translation.get_language(),
                    sorted(active),
                    sorted(coordinated),
                    user.pk if coordinated or active else 0,
                )
            ).encode()
        ).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    may_see = (
        Q(visibility=Event.Visibility.PUBLIC)
        & (Q(organiser__isnull=True) | Q(organiser__visibility=Collective.Visibility.PUBLIC))
        | Q(visibility=Event.Visibility.MEMBERS, organiser_id__in=active)
        | Q(
            visibility=Event.Visibility.INVITATION,
            pk__in=EventInvitation.objects.filter(user_id=user.pk).values("event_id"),
        )
        | Q(organiser_id__in=coordinated)
    )
    if active:
        may_see |= Q(visibility=Event.Visibility.MEMBERS, organiser__isnull=True)
    events = list(
        Event.objects.filter(ends_at__gt=timezone.now())
        .exclude(status=Event.Status.DRAFT)
        .filter(may_see & (Q(organiser_id__in=active) | Q(organiser__isnull=True)))
        .select_related("organiser")
        .only(*SHOWN)
        .order_by("starts_at", "pk")[:AUDIENCE_KEPT]
    )
    cache.set(key, events, AUDIENCE_SECONDS)
    return events


def dashboard_events(user, limit: int = DASHBOARD_EVENTS) -> list[Event]:
    """``user``'s next events: those of their cells and groups and of the network as a
    whole that they may see, and any other they registered for; each with ``my_status``
    (the status of their active registration, or None). A cancelled event stays only for
    the people registered for it.

    The same audience as ``access.visible_events`` (public, members of the organiser,
    invited, coordinators), but built from the request's memberships without asking
    whether the user is a network organiser: a network organiser's dashboard shows their
    own events too, not every event of the network. One small query for the person's own
    registrations (always current); the audience comes from the cache (``_audience``), and
    events of other collectives they registered for cost one query more.
    """
    memberships = network_rules.current_memberships(user)
    active = [cid for cid, m in memberships.items() if m.status == Membership.Status.ACTIVE]
    coordinated = [
        cid
        for cid, m in memberships.items()
        if m.is_coordinator and m.status == Membership.Status.ACTIVE
    ]
    mine = dict(
        Registration.objects.filter(user_id=user.pk, status__in=Registration.ACTIVE)
        .order_by()
        .values_list("event_id", "status")
    )
    now = timezone.now()
    events = {event.pk: event for event in _audience(user, active, coordinated)}
    elsewhere = [pk for pk in mine if pk not in events]
    if elsewhere:
        for event in (
            Event.objects.filter(pk__in=elsewhere, ends_at__gt=now)
            .exclude(status=Event.Status.DRAFT)
            .select_related("organiser")
            .only(*SHOWN, "visibility", "organiser__visibility")
        ):
            # Still theirs to see (a members' event of a cell they left is not).
            if user.has_perm("events.view_event", event):
                events[event.pk] = event
    found = []
    for event in sorted(events.values(), key=lambda e: (e.starts_at, str(e.pk))):
        if event.ends_at <= now:
            continue
        event.my_status = mine.get(event.pk)
        if event.is_cancelled and event.my_status is None:
            continue
        event.my_status_label = (
            Registration.Status(event.my_status).label if event.my_status else None
        )
        found.append(event)
        if len(found) == limit:
            break
    return found


def dashboard(request) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    return {"events": dashboard_events(user)}


def register() -> None:
    panels.register("home", "events/panel_home.html", home, order=10)
    panels.register("dashboard", "events/panel_dashboard.html", dashboard, order=10)
