"""Reads that need authorisation: each returns the object or raises 404 for outsiders.

A 404, never a 403: nobody may learn that a hidden collective, an application or a
membership exists by probing URLs. Each helper also loads what its callers need, so a
view cannot forget a select_related.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
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


def _with_member_details(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    # The handles as a plain list, ``membership.shared_contacts``: a prefetch into the
    # related manager would build a queryset per row (a third of a 100-row page's cost).
    contacts = SharedContact.objects.order_by("kind")
    return (
        memberships.select_related("user")
        .prefetch_related(Prefetch("contacts", queryset=contacts, to_attr="shared_contacts"))
        .order_by(*MEMBER_ORDER)
    )


def members_of(collective: Collective) -> QuerySet[Membership]:
    """Current members with their pseudonyms and the handles they share here."""
    return _with_member_details(_current_members(collective))


def members_page(collective: Collective, number, *, per_page: int) -> Page:
    """One page of ``members_of(collective)``; a missing or bad ``number`` gets a valid page.

    Cheap for a collective of thousands: the count is the collective's counter (kept by the
    services, no COUNT(*)), and only the ids of all members are sorted, in one subquery,
    before this page's rows are loaded in full (SQLite sorts narrow rows in half the time).
    """
    paginator = Paginator(
        _current_members(collective).order_by(*MEMBER_ORDER).values("pk"), per_page
    )
    paginator.count = collective.member_count
    page = paginator.get_page(number)
    page.object_list = _with_member_details(Membership.objects.filter(pk__in=page.object_list))
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


def pending_applications_for_member(user) -> QuerySet[Application]:
    """Applications to the member's collectives they have not answered yet (coordinators
    find those of their own collectives among their to-dos instead)."""
    mine = [
        collective_id
        for collective_id, m in network_rules.current_memberships(user).items()
        if m.status == Membership.Status.ACTIVE and not m.is_coordinator
    ]
    if not mine:
        return Application.objects.none()
    return (
        Application.objects.filter(collective_id__in=mine, status=Application.Status.PENDING)
        .exclude(applicant=user)
        .exclude(pk__in=Vouch.objects.filter(voucher=user).values("application_id"))
        .select_related("collective", "applicant")
        .order_by("created_at")
    )


def my_applications(user) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("collective")


def my_collectives(user) -> list[Membership]:
    """The user's current memberships with their collectives, for the dashboard."""
    memberships = Membership.objects.filter(user=user, ended_at__isnull=True).select_related(
        "collective", "collective__parent"
    )
    # Sorted here: a few rows, and an ORDER BY across the join costs more to build than this.
    return sorted(memberships, key=lambda m: (m.collective.kind, m.collective.name))
