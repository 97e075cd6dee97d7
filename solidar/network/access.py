"""Reads that need authorisation: each returns the object or raises 404 for outsiders.

A 404, never a 403: nobody may learn that a hidden collective, an application or a
membership exists by probing URLs. Each helper also loads what its callers need, so a
view cannot forget a select_related.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404

from solidar.network import rules as network_rules
from solidar.network.models import Application, Collective, Membership, SharedContact, Vouch


def visible_collectives(user, *, kind: str | None = None) -> QuerySet[Collective]:
    """Public collectives plus the hidden ones ``user`` belongs to (admins: all)."""
    queryset = Collective.objects.filter(is_active=True)
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    if network_rules.is_instance_admin(user):
        return queryset
    mine = [
        collective_id
        for collective_id, m in network_rules.current_memberships(user).items()
        if m.status == Membership.Status.ACTIVE
    ]
    return queryset.filter(Q(visibility=Collective.Visibility.PUBLIC) | Q(pk__in=mine))


def _get(user, slug: str, permission: str) -> Collective:
    try:  # get(), not first(): no ORDER BY to build for a unique slug
        collective = Collective.objects.select_related("parent").get(slug=slug)
    except Collective.DoesNotExist:
        raise Http404 from None
    if not user.has_perm(permission, collective):
        raise Http404
    return collective


def get_collective_for_viewer(user, slug: str) -> Collective:
    return _get(user, slug, "network.view_collective")


def get_collective_for_member(user, slug: str) -> Collective:
    return _get(user, slug, "network.view_members")


def get_collective_for_coordinator(user, slug: str) -> Collective:
    return _get(user, slug, "network.manage_collective")


def get_collective_for_appointer(user, slug: str) -> Collective:
    return _get(user, slug, "network.appoint_coordinator")


MEMBER_ORDER = ("role", "user__display_name", "pk")  # "coordinator" < "member"


def _current_members(collective: Collective) -> QuerySet[Membership]:
    return Membership.objects.filter(collective=collective, ended_at__isnull=True)


def _member_rows(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    return (
        memberships.select_related("user")
        # A row shows the pseudonym only: the user's other twenty columns stay in the table.
        .only("collective", "role", "status", "joined_at", "ended_at", "user__display_name")
        .order_by(*MEMBER_ORDER)
    )


def with_shared_contacts(memberships: list[Membership]) -> list[Membership]:
    """Give each membership ``shared_contacts``: its (kind, handle) pairs, in one query.

    Plain pairs, not a prefetch: the prefetch machinery and a model per handle cost more
    than the rows they describe on a page of 50.
    """
    handles: dict[int, list] = {}
    pairs = (
        SharedContact.objects.filter(membership__in=[m.pk for m in memberships])
        .order_by("kind")
        .values_list("pk", "membership_id", "kind", "handle")
    )
    decrypt = SharedContact._meta.get_field("handle").decrypt_row
    for pk, membership_id, kind, handle in pairs:
        handles.setdefault(membership_id, []).append((kind, decrypt(pk, handle)))
    for membership in memberships:
        membership.shared_contacts = handles.get(membership.pk, [])
    return memberships


def members_of(collective: Collective) -> list[Membership]:
    """Current members with their pseudonyms and the handles they share here."""
    return with_shared_contacts(list(_member_rows(_current_members(collective))))


ROSTER_SECONDS = 300


def _roster_key(collective_id: int) -> str:
    return f"network:roster:{collective_id}"


def forget_roster(collective_id: int) -> None:
    """Called by the services (on commit) whenever a membership of the collective changes."""
    cache.delete(_roster_key(collective_id))


def _roster(collective: Collective) -> list[int]:
    """The ids of all current members in list order, from the cache.

    Sorting 5,000 members by role and pseudonym is a join and a sort on every page view
    (about a third of the page's database time); the order changes only when a membership
    does (the services forget it then) or someone renames themselves (seen at the latest
    after ``ROSTER_SECONDS``). Whatever the cache holds, a page shows current memberships
    only: its rows are read again with ``ended_at IS NULL``.
    """
    key = _roster_key(collective.pk)
    ids = cache.get(key)
    if ids is None:
        ids = list(
            _current_members(collective).order_by(*MEMBER_ORDER).values_list("pk", flat=True)
        )
        cache.set(key, ids, ROSTER_SECONDS)
    return ids


def members_page(collective: Collective, number, *, per_page: int) -> Page:
    """One page of ``members_of(collective)``; a missing or bad ``number`` gets a valid page.

    Cheap for a collective of thousands: the sorted ids come from the cache (``_roster``),
    and only this page's rows are loaded in full.
    """
    page = Paginator(_roster(collective), per_page).get_page(number)
    position = {pk: i for i, pk in enumerate(page.object_list)}
    rows = _member_rows(_current_members(collective).filter(pk__in=page.object_list))
    page.object_list = sorted(rows.order_by(), key=lambda m: position[m.pk])
    return page


def get_membership_in(collective: Collective, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "collective")
        .filter(collective=collective, pk=membership_id, ended_at__isnull=True)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def my_membership(user, collective: Collective) -> Membership | None:
    return network_rules.current_memberships(user).get(collective.pk)


def get_application_for_viewer(user, application_id) -> Application:
    application = (
        Application.objects.select_related("collective", "applicant", "decided_by")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not user.has_perm("network.view_application", application):
        raise Http404
    return application


def vouches_for(application: Application, user) -> QuerySet[Vouch]:
    """Vouches visible to ``user``: concerns only to coordinators."""
    queryset = application.vouches.select_related("voucher")
    if not user.has_perm("network.see_concerns", application):
        queryset = queryset.filter(kind=Vouch.Kind.VOUCH)
    return queryset


def pending_applications_for_coordinator(user) -> QuerySet[Application]:
    coordinated = [
        collective_id
        for collective_id, m in network_rules.current_memberships(user).items()
        if m.is_coordinator and m.status == Membership.Status.ACTIVE
    ]
    if not coordinated:  # most people: no query to build
        return Application.objects.none()
    return (
        Application.objects.filter(collective_id__in=coordinated, status=Application.Status.PENDING)
        .select_related("collective", "applicant")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class ApplicationToAnswer:
    """A dashboard line: enough to name and link an application, nothing more."""

    pk: uuid.UUID
    created_at: datetime
    applicant_name: str
    collective: Collective


def applications_to_answer(user, collectives: dict[int, Collective]) -> list[ApplicationToAnswer]:
    """Pending applications to the member's collectives they have not answered yet
    (coordinators find those of their own collectives among their to-dos instead).

    ``collectives`` are the user's own, already loaded (``my_collectives``): the rows take
    theirs instead of loading each application's collective again.
    """
    mine = [
        collective_id
        for collective_id, m in network_rules.current_memberships(user).items()
        if m.status == Membership.Status.ACTIVE and not m.is_coordinator
    ]
    if not mine:
        return []
    rows = (
        Application.objects.filter(collective_id__in=mine, status=Application.Status.PENDING)
        .exclude(applicant=user)
        .exclude(pk__in=Vouch.objects.filter(voucher=user).values("application_id"))
        .order_by("created_at")
        .values_list("pk", "created_at", "applicant__display_name", "collective_id")
    )
    return [
        ApplicationToAnswer(pk, created_at, name, collectives[collective_id])
        for pk, created_at, name, collective_id in rows
    ]


def my_applications(user) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("collective")


def my_collectives(user) -> list[Membership]:
    """The user's current memberships with their collectives, for the dashboard.

    The memberships are the request's own (``current_memberships``, loaded once for the
    permission checks); only their collectives are read here.
    """
    memberships = network_rules.current_memberships(user)
    collectives = (
        Collective.objects.filter(pk__in=list(memberships))
        .select_related("parent")
        # What the dashboard shows of them: half of the query's cost is the other columns.
        .only("slug", "kind", "name", "city", "parent__slug", "parent__name")
    )
    for collective in collectives:
        memberships[collective.pk].collective = collective
    # Sorted here: a few rows, and an ORDER BY across the join costs more to build than this.
    return sorted(memberships.values(), key=lambda m: (m.collective.kind, m.collective.name))
