"""Reads that need authorisation: each returns the event or raises 404 for outsiders.

A 404, never a 403: a members' or invitation-only event does not exist for anyone who
may not see it, and a draft exists only for its organisers.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from solidar.events import rules as event_rules
from solidar.events.models import Event, EventInvitation, Registration
from solidar.network import rules as network_rules
from solidar.network.models import Collective, Membership


def _event(slug: str) -> Event:
    try:
        return Event.objects.select_related("organiser").get(slug=slug)
    except Event.DoesNotExist:
        raise Http404 from None


def get_event_for_viewer(user, slug: str) -> Event:
    event = _event(slug)
    if not user.has_perm("events.view_event", event):
        raise Http404
    return event


def get_event_for_organiser(user, slug: str) -> Event:
    event = _event(slug)
    if not user.has_perm("events.organise", event):
        raise Http404
    return event


def get_registration_in(event: Event, registration_id) -> Registration:
    try:
        return Registration.objects.select_related("user").get(pk=registration_id, event=event)
    except (Registration.DoesNotExist, ValueError):
        raise Http404 from None


def _member_collective_ids(user) -> list[int]:
    return [
        collective_id
        for collective_id, m in network_rules.current_memberships(user).items()
        if m.status == Membership.Status.ACTIVE
    ]


def visible_events(user) -> QuerySet[Event]:
    """Published (or cancelled) events ``user`` may see; organisers' drafts not included."""
    queryset = Event.objects.exclude(status=Event.Status.DRAFT).select_related("organiser")
    public = Q(visibility=Event.Visibility.PUBLIC) & (
        Q(organiser__isnull=True) | Q(organiser__visibility=Collective.Visibility.PUBLIC)
    )
    if not getattr(user, "is_authenticated", False):
        return queryset.filter(public)
    if event_rules.is_network_organiser(user):
        return queryset
    mine = _member_collective_ids(user)
    audience = Q(visibility=Event.Visibility.MEMBERS, organiser_id__in=mine)
    if mine:
        audience |= Q(visibility=Event.Visibility.MEMBERS, organiser__isnull=True)
    invited = Q(
        visibility=Event.Visibility.INVITATION,
        pk__in=EventInvitation.objects.filter(user_id=user.pk).values("event_id"),
    )
    coordinated = [
        collective_id
        for collective_id, m in network_rules.current_memberships(user).items()
        if m.is_coordinator and m.status == Membership.Status.ACTIVE
    ]
    return queryset.filter(public | audience | invited | Q(organiser_id__in=coordinated))


def upcoming(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.filter(ends_at__gt=timezone.now()).order_by("starts_at", "pk")


def past(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.filter(ends_at__lte=timezone.now()).order_by("-starts_at", "-pk")


def organised_events(user) -> QuerySet[Event]:
    """Every event ``user`` organises, drafts included."""
    queryset = Event.objects.select_related("organiser")
    if event_rules.is_network_organiser(user):
        return queryset
    coordinated = [
        collective_id
        for collective_id, m in network_rules.current_memberships(user).items()
        if m.is_coordinator and m.status == Membership.Status.ACTIVE
    ]
    return queryset.filter(organiser_id__in=coordinated)


def organiser_choices(user) -> list[Collective | None]:
    """Whom ``user`` may organise an event for: their coordinated collectives, and the
    network as a whole (None) for network organisers."""
    coordinated = [
        collective_id
        for collective_id, m in network_rules.current_memberships(user).items()
        if m.is_coordinator and m.status == Membership.Status.ACTIVE
    ]
    choices: list[Collective | None] = []
    if event_rules.is_network_organiser(user):
        choices.append(None)
        choices.extend(Collective.objects.filter(is_active=True).order_by("name"))
    else:
        choices.extend(Collective.objects.filter(pk__in=coordinated).order_by("name"))
    return choices


def my_registration(user, event: Event) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(event=event, user=user, status__in=Registration.ACTIVE)
        .order_by("-created_at")
        .first()
    )
