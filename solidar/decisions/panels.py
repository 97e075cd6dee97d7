"""Decisions' panel on the member's dashboard (registered in DecisionsConfig.ready; see
solidar.core.panels): the open votes the member is on the roll of and has not voted in,
closing soonest first, and the proposals of their cells and groups seeking support that
they have neither written nor supported yet. Two queries; nothing when there is nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from solidar.core import panels
from solidar.decisions import voting
from solidar.decisions.models import Proposal
from solidar.network import rules as network_rules
from solidar.network.models import Membership

SHOWN = 5


def seeking_support(user, limit: int = SHOWN) -> list[Proposal]:
    """Proposals of ``user``'s collectives (and of assemblies their collectives organise)
    that seek support, not theirs and not yet supported by them, newest first."""
    active = [
        cid
        for cid, m in network_rules.current_memberships(user).items()
        if m.status == Membership.Status.ACTIVE
    ]
    if not active:
        return []
    return list(
        Proposal.objects.filter(status=Proposal.Status.SUPPORT)
        .filter(Q(body__collective_id__in=active) | Q(body__event__organiser_id__in=active))
        .exclude(supports__user_id=user.pk)
        .exclude(authors__user_id=user.pk)
        .select_related("body__collective", "body__event")
        .order_by("-submitted_at", "-pk")[:limit]
    )


def dashboard(request) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    votes = voting.open_votes_for(user)
    proposals = seeking_support(user)
    if not votes and not proposals:
        return None
    return {
        "votes": votes[:SHOWN],
        "more_votes": max(0, len(votes) - SHOWN),
        "proposals": proposals,
    }


def register() -> None:
    panels.register("dashboard", "decisions/panel_dashboard.html", dashboard, order=5)
