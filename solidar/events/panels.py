"""The events' panels on other apps' pages (registered in EventsConfig.ready; see
solidar.core.panels): the next public events on the home page, and a member's own
upcoming events on their dashboard. One query each.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from solidar.core import panels
from solidar.events import access
from solidar.events.models import Event, EventInvitation, Registration
from solidar.network import rules as network_rules
from solidar.network.models import Collective, Membership

HOME_EVENTS = 3
DASHBOARD_EVENTS = 5
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


def dashboard_events(user, limit: int = DASHBOARD_EVENTS) -> list[Event]:
    """``user``'s next events: those of their cells and groups and of the network as a
    whole that they may see, and any other they registered for; each with ``my_status``
    (the status of their active registration, or None).

    The same audience as ``access.visible_events`` (public, members of the organiser,
    invited, coordinators), but built from the request's memberships without asking
    whether the user is a network organiser: a network organiser's dashboard shows their
    own events too, not every event of the network. One query.
    """
    memberships = network_rules.current_memberships(user)
    active = [cid for cid, m in memberships.items() if m.status == Membership.Status.ACTIVE]
    coordinated = [
        cid
        for cid, m in memberships.items()
        if m.is_coordinator and m.status == Membership.Status.ACTIVE
    ]
    mine = Registration.objects.filter(
        user_id=user.pk, status__in=Registration.ACTIVE, event_id=OuterRef("pk")
    )
    registered = Registration.objects.filter(
        user_id=user.pk, status__in=Registration.ACTIVE
    ).values("event_id")

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
    concerns_me = Q(organiser_id__in=active) | Q(organiser__isnull=True) | Q(pk__in=registered)

    events = (
        Event.objects.filter(ends_at__gt=timezone.now())
        .filter(may_see & concerns_me)
        .annotate(my_status=Subquery(mine.values("status")[:1]))
        # A cancelled event stays on the dashboards of the people registered for it.
        .filter(
            Q(status=Event.Status.PUBLISHED)
            | Q(status=Event.Status.CANCELLED, my_status__isnull=False)
        )
        .select_related("organiser")
        .only(*SHOWN)
        .order_by("starts_at", "pk")
    )
    found = list(events[:limit])
    for event in found:
        event.my_status_label = (
            Registration.Status(event.my_status).label if event.my_status else None
        )
    return found


def dashboard(request) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    return {"events": dashboard_events(user)}


def register() -> None:
    panels.register("home", "events/panel_home.html", home, order=10)
    panels.register("dashboard", "events/panel_dashboard.html", dashboard, order=10)
