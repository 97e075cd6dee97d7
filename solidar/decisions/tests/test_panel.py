"""Decisions' panel on the member's dashboard: open votes not yet cast, proposals seeking
support. Two queries; none of it for someone with nothing to do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from solidar.conftest import client_for
from solidar.decisions import panels, voting

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("network:dashboard")


def panel(response) -> str:
    body = response.content.decode()
    start = body.find('id="decisions-panel-title"')
    return body[start : body.find("</section>", start)] if start >= 0 else ""


def test_a_member_sees_the_votes_waiting_for_their_ballot(open_vote_factory, member):
    soon = open_vote_factory(
        title="Who speaks at the rally?", closes_at=timezone.now() + timedelta(days=1)
    )
    later = open_vote_factory(title="Which campaign next?")

    shown = panel(client_for(member).get(DASHBOARD))

    assert reverse("decisions:vote", args=[soon.pk]) in shown
    assert reverse("decisions:vote", args=[later.pk]) in shown
    assert shown.index("Who speaks at the rally?") < shown.index("Which campaign next?")
    assert "Köln" in shown
    assert "closes " in shown


def test_a_cast_vote_leaves_the_panel(open_vote_factory, member):
    vote = open_vote_factory(title="Which campaign next?")
    voting.cast(vote, member, "yes")
    assert panel(client_for(member).get(DASHBOARD)) == ""


def test_proposals_seeking_support_other_than_ones_own(proposal_factory, member, other_member):
    proposal = proposal_factory("support", title="A library in the office")

    mine = panel(client_for(member).get(DASHBOARD))
    theirs = panel(client_for(other_member).get(DASHBOARD))

    assert "A library in the office" not in mine  # the author's own
    assert "A library in the office" in theirs
    assert reverse("decisions:proposal", args=[proposal.pk]) in theirs
    assert "0 of 2 supporters" in theirs


def test_a_supported_proposal_leaves_the_panel(proposal_factory, other_member):
    from solidar.decisions import services

    proposal = proposal_factory("support")
    services.support(proposal, other_member)
    assert panel(client_for(other_member).get(DASHBOARD)) == ""


def test_someone_too_new_to_vote_sees_proposals_but_no_vote(
    open_vote_factory, proposal_factory, newcomer
):
    open_vote_factory(title="Which campaign next?")
    proposal_factory("support", title="A library in the office")

    shown = panel(client_for(newcomer).get(DASHBOARD))

    assert "Which campaign next?" not in shown  # not on the roll
    assert "A library in the office" in shown


def test_a_stranger_sees_nothing_of_koeln(open_vote_factory, proposal_factory, stranger):
    open_vote_factory(title="Which campaign next?")
    proposal_factory("support")
    assert panel(client_for(stranger).get(DASHBOARD)) == ""


def test_two_queries_however_many_votes_and_proposals(
    open_vote_factory, proposal_factory, other_member, django_assert_num_queries
):
    def ask():
        request = RequestFactory().get(DASHBOARD)
        request.user = type(other_member).objects.get(pk=other_member.pk)
        from solidar.network import rules as network_rules

        network_rules.current_memberships(request.user)  # the dashboard has them already
        with django_assert_num_queries(2):
            context = panels.dashboard(request)
            titles = [str(v.body) for v in context["votes"]]
            titles += [str(p.body) for p in context["proposals"]]
        return context, titles

    open_vote_factory()
    proposal_factory("support")
    context, _ = ask()
    assert (len(context["votes"]), len(context["proposals"])) == (1, 1)
    for n in range(7):
        open_vote_factory(title=f"Vote {n}")
        proposal_factory("support", title=f"Proposal {n}")
    context, _ = ask()
    assert (len(context["votes"]), len(context["proposals"])) == (5, 5)
    assert context["more_votes"] == 3
