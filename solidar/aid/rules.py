"""Who may see and do what in mutual aid. One predicate per question.

- A **handler** of a team is an active member of the team's working group who has set a
  case passphrase (a ``Handler`` row) and been given access to the team key (a
  ``KeyGrant``). Only handlers see the team's cases, and reading one's content also needs
  the keys unlocked in the session (``keys.held``): the rules say who may, the keys say
  who can. Handlers are a privileged role: MFA is required.
- An **aid coordinator** is a coordinator of the team's working group: they give and take
  away access, rotate the key and see the statistics.
- Any active member of the network may offer help and sees only their own offers.

The user's handler rows are read once per request and kept on the user object, and only
for members of an aid team's working group (``in_an_aid_team``); leaving the working group
takes the handler's key grant away (``receivers``).
"""

from __future__ import annotations

import rules
from django.core.cache import cache

from solidar.accounts.rules import register_privileged_role
from solidar.network import rules as network_rules

AID_TEAMS_KEY = "solidar:aid:team-collectives"


def aid_team_collectives() -> frozenset:
    """Ids of the collectives that are aid teams, kept in the cache (a team is made
    rarely; ``receivers`` forget the set when one is made or removed)."""
    ids = cache.get(AID_TEAMS_KEY)
    if ids is None:
        from solidar.aid.models import AidTeam

        ids = frozenset(AidTeam.objects.values_list("collective_id", flat=True))
        cache.set(AID_TEAMS_KEY, ids, 600)
    return ids


def forget_aid_teams() -> None:
    cache.delete(AID_TEAMS_KEY)


def in_an_aid_team(user) -> bool:
    """Is the user a current member of any aid team's working group? Answered from the
    memberships the request loads anyway and the cached set of teams: the question every
    page asks (must this person use MFA?) costs no query for everyone else."""
    memberships = network_rules.current_memberships(user)
    return bool(memberships) and not aid_team_collectives().isdisjoint(memberships)


def handler_rows(user) -> dict[int, object]:
    """The user's Handler rows by team id, each with ``has_grant``; cached on the user."""
    if not getattr(user, "is_authenticated", False) or not in_an_aid_team(user):
        return {}
    cached = getattr(user, "_aid_handlers", None)
    if cached is None:
        from django.db.models import Exists, OuterRef

        from solidar.aid.models import Handler, KeyGrant

        rows = Handler.objects.filter(user_id=user.pk).annotate(
            has_grant=Exists(KeyGrant.objects.filter(handler=OuterRef("pk")))
        )
        cached = {row.team_id: row for row in rows.select_related("team__collective")}
        user._aid_handlers = cached
    return cached


def forget_handler_rows(user) -> None:
    if hasattr(user, "_aid_handlers"):
        del user._aid_handlers


def _team(obj):
    """The team of a team, a case or anything else with ``team``."""
    from solidar.aid.models import AidTeam

    return obj if isinstance(obj, AidTeam) else getattr(obj, "team", None)


@rules.predicate
def is_team_member(user, team) -> bool:
    team = _team(team)
    return team is not None and network_rules.is_member(user, team.collective)


@rules.predicate
def is_handler(user, team) -> bool:
    """A handler with access: team member, passphrase set, key granted."""
    team = _team(team)
    if team is None or not network_rules.is_member(user, team.collective):
        return False
    row = handler_rows(user).get(team.pk)
    return row is not None and row.has_grant


@rules.predicate
def is_aid_coordinator(user, team) -> bool:
    team = _team(team)
    return team is not None and network_rules.is_coordinator(user, team.collective)


@rules.predicate
def handles_any_team(user) -> bool:
    return any(
        row.has_grant and network_rules.is_member(user, row.team.collective)
        for row in handler_rows(user).values()
    )


@rules.predicate
def is_network_member(user) -> bool:
    from solidar.network.models import Membership

    return any(
        m.status == Membership.Status.ACTIVE
        for m in network_rules.current_memberships(user).values()
    )


@rules.predicate
def owns_offer(user, offer) -> bool:
    return offer is not None and getattr(user, "pk", None) == offer.user_id


# Handlers and anyone who has set a case passphrase must use MFA for their pages.
register_privileged_role(lambda user: bool(handler_rows(user)), cheap=True)

rules.add_perm("aid.become_handler", is_team_member)
rules.add_perm("aid.work_cases", is_handler)  # (user, team or case)
rules.add_perm("aid.manage_team", is_aid_coordinator)
rules.add_perm("aid.view_statistics", is_aid_coordinator)
rules.add_perm("aid.see_offers", handles_any_team)
rules.add_perm("aid.offer_help", is_network_member)
rules.add_perm("aid.edit_offer", owns_offer)
