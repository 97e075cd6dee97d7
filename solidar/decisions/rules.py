"""Who may see and do what with decisions. One predicate per question.

A body's decisions are for its members: the members of the cell, working group or network,
and for an event's assembly its delegates, its registered participants with an account and
the members of the organising collective. Everyone else gets 404, as for a hidden cell.
The coordinators of the collective in charge run the body (MFA required: the coordinator
role is privileged). Being allowed to vote is not a permission: it is the ``Elector`` roll
fixed when a vote opens (``voting.may_vote``).
"""

from __future__ import annotations

import rules

from solidar.accounts.rules import has_mfa
from solidar.network import rules as network_rules


def body_of(obj):
    """The body an object belongs to (a Body, a Proposal, a Vote, a Resolution, an
    Amendment)."""
    from solidar.decisions.models import Amendment, Body

    if obj is None or isinstance(obj, Body):
        return obj
    if isinstance(obj, Amendment):
        return obj.proposal.body
    return obj.body


def _assembly_member(user, body) -> bool:
    """Delegate, registered participant with an account, or member of the organiser. Kept
    on the user for the request (templates ask many times)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cache = user.__dict__.setdefault("_decisions_assemblies", {})
    if body.pk not in cache:
        from solidar.decisions.models import Delegate
        from solidar.events.models import Registration

        cache[body.pk] = (
            network_rules.is_member(user, body.collective_in_charge)
            or Delegate.objects.filter(body=body, user_id=user.pk).exists()
            or Registration.objects.filter(
                event_id=body.event_id,
                user_id=user.pk,
                status=Registration.Status.REGISTERED,
            ).exists()
        )
    return cache[body.pk]


@rules.predicate
def is_body_member(user, obj) -> bool:
    body = body_of(obj)
    if body is None:
        return False
    if body.is_assembly:
        return _assembly_member(user, body)
    return network_rules.is_member(user, body.collective)


@rules.predicate
def coordinates_body(user, obj) -> bool:
    body = body_of(obj)
    return body is not None and network_rules.is_coordinator(user, body.collective_in_charge)


@rules.predicate
def is_author(user, obj) -> bool:
    """An author of the proposal (or of the proposal an amendment or vote belongs to)."""
    from solidar.decisions.models import Amendment, Proposal, Vote

    if isinstance(obj, Amendment | Vote):
        obj = obj.proposal
    if not isinstance(obj, Proposal) or not getattr(user, "is_authenticated", False):
        return False
    cache = user.__dict__.setdefault("_decisions_authorship", {})
    if obj.pk not in cache:
        cache[obj.pk] = obj.authors.filter(user_id=user.pk).exists()
    return cache[obj.pk]


@rules.predicate
def is_amendment_author(user, amendment) -> bool:
    return amendment is not None and amendment.author_id == getattr(user, "pk", None)


def _status_in(*statuses):
    @rules.predicate(name=f"proposal_in_{'_'.join(statuses)}")
    def predicate(user, obj) -> bool:
        from solidar.decisions.models import Amendment

        proposal = obj.proposal if isinstance(obj, Amendment) else obj
        return proposal is not None and proposal.status in statuses

    return predicate


is_draft = _status_in("draft")
seeks_support = _status_in("support")
in_discussion = _status_in("discussion")
may_be_talked_about = _status_in("support", "discussion")
not_yet_voting = _status_in("draft", "support", "discussion")
not_a_draft = _status_in("support", "discussion", "voting", "adopted", "rejected", "withdrawn")


@rules.predicate
def amendment_is_proposed(user, amendment) -> bool:
    return amendment is not None and amendment.status == "proposed"


@rules.predicate
def vote_is_visible(user, vote) -> bool:
    return vote is not None and vote.status in ("open", "closed")


@rules.predicate
def vote_is_closed(user, vote) -> bool:
    return vote is not None and vote.status == "closed"


@rules.predicate
def vote_is_draft(user, vote) -> bool:
    return vote is not None and vote.status == "draft"


@rules.predicate
def is_published(user, resolution) -> bool:
    return resolution is not None and resolution.published_at is not None


can_see_body = is_body_member | coordinates_body
runs_body = coordinates_body & has_mfa

rules.add_perm("decisions.view_body", can_see_body)
rules.add_perm("decisions.propose", is_body_member)
rules.add_perm("decisions.manage_body", runs_body)

rules.add_perm("decisions.view_proposal", can_see_body & (not_a_draft | is_author))
rules.add_perm("decisions.edit_proposal", is_author & is_draft)
rules.add_perm("decisions.support", is_body_member & seeks_support & ~is_author)
rules.add_perm("decisions.comment", can_see_body & may_be_talked_about)
rules.add_perm("decisions.amend", is_body_member & in_discussion)
rules.add_perm(
    "decisions.withdraw_amendment", is_amendment_author & amendment_is_proposed & in_discussion
)
rules.add_perm("decisions.withdraw_proposal", is_author & not_yet_voting)
rules.add_perm("decisions.start_voting", runs_body & in_discussion)

rules.add_perm("decisions.view_vote", (can_see_body & vote_is_visible) | runs_body)
rules.add_perm("decisions.view_results", can_see_body & vote_is_closed)
rules.add_perm("decisions.manage_vote", runs_body)
rules.add_perm("decisions.open_vote", runs_body & vote_is_draft)

rules.add_perm("decisions.view_resolution", can_see_body | is_published)
rules.add_perm("decisions.edit_resolution", runs_body)
