"""Who may see and do what in the network. Need-to-know, one predicate per question.

A member sees the members of their own collectives only. A hidden collective does not
exist for anyone who is not its member: every lookup answers 404 (see access.py).
Coordinators are a privileged role: MFA is required (registered below).

Memberships are read once per request and kept on the user object, so templates can ask
these predicates as often as they like. A removal therefore counts from the next request.
"""

from __future__ import annotations

import rules

from solidar.accounts.rules import has_mfa, register_privileged_role


def current_memberships(user) -> dict[int, object]:
    """The user's current (not ended) memberships by collective id, cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_network_memberships", None)
    if cached is None:
        from solidar.network.models import Membership

        cached = {
            m.collective_id: m
            for m in Membership.objects.filter(user_id=user.pk, ended_at__isnull=True)
        }
        user._network_memberships = cached
    return cached


def forget_memberships(user) -> None:
    """Drop the per-request cache after this request changed the user's memberships."""
    if hasattr(user, "_network_memberships"):
        del user._network_memberships


def _active(user, collective):
    from solidar.network.models import Membership

    membership = current_memberships(user).get(getattr(collective, "pk", None))
    if membership is not None and membership.status == Membership.Status.ACTIVE:
        return membership
    return None


@rules.predicate
def is_instance_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


@rules.predicate
def is_member(user, collective) -> bool:
    return collective is not None and _active(user, collective) is not None


@rules.predicate
def is_coordinator(user, collective) -> bool:
    membership = collective is not None and _active(user, collective)
    return bool(membership) and membership.is_coordinator


@rules.predicate
def is_public(user, collective) -> bool:
    return collective is not None and collective.is_active and not collective.is_hidden


@rules.predicate
def coordinates_anything(user) -> bool:
    from solidar.network.models import Membership

    return any(
        m.is_coordinator and m.status == Membership.Status.ACTIVE
        for m in current_memberships(user).values()
    )


@rules.predicate
def has_current_membership(user, collective) -> bool:
    """Member now (active or suspended): cannot apply again."""
    return collective is not None and collective.pk in current_memberships(user)


@rules.predicate
def accepts_requests(user, collective) -> bool:
    from solidar.network.models import Collective

    return (
        collective is not None
        and collective.is_active
        and collective.join_policy
        in (
            Collective.JoinPolicy.APPLICATION,
            Collective.JoinPolicy.APPROVAL,
        )
    )


@rules.predicate
def is_open_to_members(user, collective) -> bool:
    from solidar.network.models import Collective

    return collective is not None and collective.join_policy == Collective.JoinPolicy.OPEN


@rules.predicate
def is_working_group(user, collective) -> bool:
    from solidar.network.models import Collective

    return collective is not None and collective.kind == Collective.Kind.WORKING_GROUP


@rules.predicate
def is_network_member(user) -> bool:
    return any(True for _ in _active_collectives(user))


def _active_collectives(user):
    from solidar.network.models import Membership

    return (m for m in current_memberships(user).values() if m.status == Membership.Status.ACTIVE)


# -- applications: the object is an Application ------------------------------------------------
@rules.predicate
def is_applicant(user, application) -> bool:
    return application is not None and application.applicant_id == getattr(user, "pk", None)


@rules.predicate
def is_member_of_application_collective(user, application) -> bool:
    return application is not None and is_member(user, application.collective)


@rules.predicate
def coordinates_application_collective(user, application) -> bool:
    return application is not None and is_coordinator(user, application.collective)


@rules.predicate
def is_pending(user, application) -> bool:
    return application is not None and application.is_pending


can_see_collective = is_public | is_member | is_instance_admin

rules.add_perm("network.view_collective", can_see_collective)
rules.add_perm("network.view_members", is_member)
rules.add_perm("network.share_contacts", is_member)
# Sympathisers apply to cells and to the network; working groups are for members.
rules.add_perm(
    "network.apply",
    rules.is_authenticated
    & is_public
    & accepts_requests
    & ~has_current_membership
    & (~is_working_group | is_network_member),
)
rules.add_perm(
    "network.join",
    rules.is_authenticated
    & can_see_collective
    & is_open_to_members
    & is_network_member
    & ~has_current_membership,
)
rules.add_perm("network.leave", has_current_membership)
rules.add_perm("network.manage_collective", is_coordinator)
rules.add_perm("network.appoint_coordinator", is_coordinator | is_instance_admin)
rules.add_perm("network.create_collective", is_instance_admin)

rules.add_perm("network.view_application", is_applicant | is_member_of_application_collective)
rules.add_perm("network.vouch", is_member_of_application_collective & is_pending & ~is_applicant)
# Deciding and reading concerns are coordinator privileges: MFA first (THREATS 1). The
# application page is not a privileged view, so the rule itself asks.
rules.add_perm("network.see_concerns", coordinates_application_collective & has_mfa)
rules.add_perm(
    "network.decide_application", coordinates_application_collective & has_mfa & is_pending
)
rules.add_perm("network.withdraw_application", is_applicant & is_pending)

register_privileged_role(coordinates_anything, cheap=True)
