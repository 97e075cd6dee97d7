# ruff: noqa: F811 - shared fixtures are imported, then asked for by name
"""Personas of decisions (issue 8), around the network's koeln cell.

koeln, paris     public cells (solidar/network/tests/conftest.py)
coordinator      coordinator of koeln, TOTP, member for 400 days
member           member of koeln for 60 days ("Lena")
other_member     member of koeln for 60 days ("Taras")
voters           five more koeln members of 30 days (voter0..voter4)
newcomer         member of koeln since 3 days: reads, may not vote (cooling-off 14 days)
stranger         member of paris only: sees nothing of koeln's decisions
body             koeln's deciding body (supporters needed: 2, the default)
proposal_factory a proposal by ``member`` through the services, up to a given stage
open_vote_factory a vote of koeln, opened
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from solidar.accounts.tests.factories import UserFactory
from solidar.decisions import services, voting
from solidar.decisions.models import Proposal, Vote
from solidar.events.tests.conftest import committed, event_factory  # noqa: F401
from solidar.network.models import Membership
from solidar.network.tests.conftest import (  # noqa: F401 - fixtures shared with the network
    coordinator,
    koeln,
    member,
    paris,
)
from solidar.network.tests.factories import MembershipFactory


def age_membership(user, collective, days: int) -> None:
    """Make ``user``'s current membership of ``collective`` ``days`` old."""
    Membership.objects.filter(user=user, collective=collective, ended_at__isnull=True).update(
        joined_at=timezone.now() - timedelta(days=days)
    )


@pytest.fixture
def other_member(other_member, koeln):
    MembershipFactory(collective=koeln, user=other_member)
    return other_member


@pytest.fixture(autouse=True)
def _seasoned(koeln, coordinator, member, other_member):
    age_membership(coordinator, koeln, 400)
    age_membership(member, koeln, 60)
    age_membership(other_member, koeln, 60)


@pytest.fixture
def voters(koeln):
    people = []
    for i in range(5):
        user = UserFactory(username=f"voter{i}", display_name=f"Voter {i}")
        MembershipFactory(collective=koeln, user=user)
        age_membership(user, koeln, 30)
        people.append(user)
    return people


@pytest.fixture
def newcomer(koeln):
    user = UserFactory(username="newcomer", display_name="Newcomer Ira")
    MembershipFactory(collective=koeln, user=user)
    age_membership(user, koeln, 3)
    return user


@pytest.fixture
def stranger(paris):
    user = UserFactory(username="stranger", display_name="Stranger Pierre")
    MembershipFactory(collective=paris, user=user)
    age_membership(user, paris, 100)
    return user


@pytest.fixture
def body(koeln):
    return services.body_for_collective(koeln)


TEXT = (
    "The cell supports the strike of the delivery riders with a solidarity fund.\n\n"
    "Members collect donations at every meeting until the end of the strike.\n\n"
    "The cell reports to the network on the money collected."
)


@pytest.fixture
def proposal_factory(body, member, other_member, coordinator):
    """``make(stage)``: a proposal by ``member`` in "draft", "support" or "discussion"."""

    def make(stage: str = "discussion", **fields) -> Proposal:
        fields.setdefault("title", "Solidarity fund for the riders' strike")
        fields.setdefault("text", TEXT)
        fields.setdefault("rationale", "The riders asked the cell for help.")
        proposal = services.create_proposal(body, by=member, **fields)
        if stage == "draft":
            return proposal
        services.submit(proposal, by=member)
        if stage == "support":
            return proposal
        services.support(proposal, other_member)
        services.support(proposal, coordinator)
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.DISCUSSION
        return proposal

    return make


@pytest.fixture
def open_vote_factory(body, coordinator):
    def make(method: str = Vote.Method.YES_NO, **fields) -> Vote:
        fields.setdefault("title", "Which campaign next?")
        fields.setdefault("closes_at", timezone.now() + timedelta(days=3))
        if method in Vote.OPTION_METHODS:
            fields.setdefault("options", ["Prisoners", "Riders", "Housing", "Visas"])
        vote = voting.create_vote(body, by=coordinator, method=method, **fields)
        voting.open_vote(vote, by=coordinator)
        vote.refresh_from_db()
        return vote

    return make
