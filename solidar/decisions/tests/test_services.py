"""The life of a proposal and of a vote, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from solidar.core.models import AuditEvent
from solidar.decisions import resolutions, services, voting
from solidar.decisions.models import (
    Amendment,
    Ballot,
    Elector,
    Participation,
    Proposal,
    Resolution,
    Vote,
)
from solidar.decisions.services import DecisionError
from solidar.decisions.tests.conftest import age_membership

S = Proposal.Status


def test_draft_submit_support_discussion(proposal_factory, other_member, coordinator, member):
    proposal = proposal_factory("draft")
    assert proposal.status == S.DRAFT
    services.submit(proposal, by=member)
    proposal.refresh_from_db()
    assert proposal.status == S.SUPPORT and proposal.supporters_needed == 2
    assert proposal.versions.get().number == 1
    assert services.support(proposal, other_member) is False
    with pytest.raises(DecisionError, match="already support"):
        services.support(proposal, other_member)
    with pytest.raises(DecisionError, match="own proposal"):
        services.support(proposal, member)
    assert services.support(proposal, coordinator) is True
    proposal.refresh_from_db()
    assert proposal.status == S.DISCUSSION
    assert proposal.support_count == 2
    assert proposal.discussion_ends_at > timezone.now() + timedelta(days=13)


def test_no_supporters_needed_goes_straight_to_discussion(body, member, proposal_factory):
    body.supporters_needed = 0
    body.save()
    proposal = proposal_factory("support")
    proposal.refresh_from_db()
    assert proposal.status == S.DISCUSSION


def test_strangers_cannot_propose_or_support(body, stranger, proposal_factory):
    with pytest.raises(DecisionError):
        services.create_proposal(body, by=stranger, title="T", text="x")
    proposal = proposal_factory("support")
    with pytest.raises(DecisionError):
        services.support(proposal, stranger)
    assert proposal.supports.count() == 0


@pytest.mark.parametrize(
    ("title", "text", "message"),
    [
        ("", "Some text", "title"),
        ("Title", "   ", "text of the proposal"),
        ("x" * 201, "Some text", "too long"),
        ("Title", "x" * 40_001, "too long"),
    ],
)
def test_bad_proposals_are_refused(body, member, title, text, message):
    with pytest.raises(DecisionError, match=message):
        services.create_proposal(body, by=member, title=title, text=text)
    assert not Proposal.objects.exists()


def test_paragraphs_and_amended_text():
    assert services.paragraphs("a\r\n\r\n\r\nb\n  \nc") == ["a", "b", "c"]
    amendments = [
        Amendment(number=1, kind="replace", paragraph=2, text="B2"),
        Amendment(number=2, kind="add", paragraph=0, text="first"),
        Amendment(number=3, kind="add", paragraph=3, text="last"),
        Amendment(number=4, kind="add", paragraph=1, text="after a"),
    ]
    assert services.amended_text("a\n\nb\n\nc", amendments) == [
        "first",
        "a",
        "after a",
        "B2",
        "c",
        "last",
    ]


def test_amendment_rules(proposal_factory, other_member, member):
    draft = proposal_factory("draft")
    with pytest.raises(DecisionError, match="during the discussion"):
        services.propose_amendment(draft, other_member, kind="replace", paragraph=1, text="x")
    proposal = proposal_factory("discussion")
    with pytest.raises(DecisionError, match="between 1 and 3"):
        services.propose_amendment(proposal, other_member, kind="replace", paragraph=4, text="x")
    with pytest.raises(DecisionError, match="one paragraph"):
        services.propose_amendment(proposal, other_member, kind="add", paragraph=3, text="x\n\ny")
    one = services.propose_amendment(
        proposal, other_member, kind="replace", paragraph=2, text="Donations go to the fund."
    )
    two = services.propose_amendment(proposal, member, kind="add", paragraph=3, text="Thanks.")
    assert (one.number, two.number) == (1, 2)
    with pytest.raises(DecisionError, match="Only its author"):
        services.withdraw_amendment(one, by=member)
    services.withdraw_amendment(two, by=member)
    two.refresh_from_db()
    assert two.status == Amendment.Status.WITHDRAWN


def test_withdraw_only_before_voting(proposal_factory, member, other_member, coordinator):
    proposal = proposal_factory("discussion")
    with pytest.raises(DecisionError, match="authors"):
        services.withdraw(proposal, by=other_member)
    voting.start_voting(proposal, by=coordinator, closes_at=timezone.now() + timedelta(days=2))
    with pytest.raises(DecisionError, match="voting has started"):
        services.withdraw(proposal, by=member)


# -- the roll ---------------------------------------------------------------------------------
def test_roll_fixed_at_opening_with_cooling_off(
    open_vote_factory, member, other_member, coordinator, voters, newcomer, stranger
):
    vote = open_vote_factory()
    roll = set(Elector.objects.filter(vote=vote).values_list("user_id", flat=True))
    assert roll == {member.pk, other_member.pk, coordinator.pk} | {v.pk for v in voters}
    assert newcomer.pk not in roll and stranger.pk not in roll
    assert vote.electorate_count == 8 and len(vote.tie_seed) == 64
    with pytest.raises(voting.VotingError, match="not on the roll"):
        voting.cast(vote, newcomer, "yes")
    # joining the roll later is impossible: it was fixed when the vote opened
    age_membership(newcomer, vote.body.collective, 30)
    with pytest.raises(voting.VotingError, match="not on the roll"):
        voting.cast(vote, newcomer, "yes")


def test_opening_with_nobody_eligible_changes_nothing(body, coordinator, koeln):
    from solidar.network.models import Membership

    Membership.objects.filter(collective=koeln).update(joined_at=timezone.now())
    vote = voting.create_vote(
        body,
        by=coordinator,
        title="Too soon",
        method="yes_no",
        closes_at=timezone.now() + timedelta(days=1),
    )
    with pytest.raises(voting.VotingError, match="No one may vote yet"):
        voting.open_vote(vote, by=coordinator)
    vote.refresh_from_db()
    assert vote.status == Vote.Status.DRAFT and not vote.electors.exists()


# -- casting ----------------------------------------------------------------------------------
def test_secret_ballot_has_no_voter_and_one_per_person(open_vote_factory, member):
    vote = open_vote_factory()
    receipt = voting.cast(vote, member, "yes")
    assert len(receipt) == 12
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.voter_id is None and ballot.receipt == receipt
    assert {f.name for f in Ballot._meta.concrete_fields} == {
        "id",
        "vote",
        "receipt",
        "choice",
        "reason",
        "weight",
        "voter",
    }
    with pytest.raises(voting.VotingError, match="already voted"):
        voting.cast(vote, member, "no")
    assert Ballot.objects.filter(vote=vote).count() == 1
    vote.refresh_from_db()
    assert vote.ballot_count == 1


def test_the_database_allows_one_participation(open_vote_factory, member):
    vote = open_vote_factory()
    voting.cast(vote, member, "yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(vote=vote, user=member)


def test_open_ballot_names_the_voter(open_vote_factory, member):
    vote = open_vote_factory(secret=False)
    voting.cast(vote, member, "no")
    assert Ballot.objects.get(vote=vote).voter == member


@pytest.mark.parametrize(
    ("ranks", "message"),
    [
        ({}, "at least one"),
        ({0: "1", 1: "1"}, "same rank"),
        ({0: "1", 1: "3"}, "gap"),
        ({0: "2"}, "gap"),
        ({0: "one"}, "whole numbers"),
        ({0: "-1", 1: "1"}, "gap"),
    ],
)
def test_bad_rankings_are_refused(open_vote_factory, member, ranks, message):
    vote = open_vote_factory("schulze")
    ids = list(vote.options.values_list("pk", flat=True))
    with pytest.raises(voting.VotingError, match=message):
        voting.cast(vote, member, {ids[i]: rank for i, rank in ranks.items()})
    assert not Ballot.objects.exists() and not Participation.objects.exists()


def test_bad_answers_are_refused(open_vote_factory, member):
    vote = open_vote_factory("consent")
    with pytest.raises(voting.VotingError, match="reason"):
        voting.cast(vote, member, "object", reason="  ")
    with pytest.raises(voting.VotingError, match="one of the answers"):
        voting.cast(vote, member, "maybe")
    approval = open_vote_factory("approval")
    with pytest.raises(voting.VotingError, match="not on it"):
        voting.cast(approval, member, [999999])
    assert not Ballot.objects.exists()


def test_voting_after_the_close_is_refused(open_vote_factory, member, other_member):
    vote = open_vote_factory()
    voting.cast(vote, member, "yes")
    later = vote.closes_at + timedelta(seconds=1)
    with pytest.raises(voting.VotingError, match="closed"):
        voting.cast(vote, other_member, "yes", now=later)
    assert voting.close_due(now=later) == 1
    vote.refresh_from_db()
    with pytest.raises(voting.VotingError, match="closed"):
        voting.cast(vote, other_member, "yes")
    assert vote.result["ballots"] == 1


# -- closing ----------------------------------------------------------------------------------
def test_early_close_only_when_everyone_voted(open_vote_factory, coordinator, voters):
    vote = open_vote_factory()
    with pytest.raises(voting.VotingError, match="everyone"):
        voting.close(vote, by=coordinator, early=True)
    for person in Elector.objects.filter(vote=vote).select_related("user"):
        voting.cast(vote, person.user, "yes")
    assert voting.close(vote, by=coordinator, early=True)
    vote.refresh_from_db()
    assert vote.result["passed"] is True and vote.result["totals"]["yes"] == 8


def test_results_receipts_and_recount(open_vote_factory, member, other_member, coordinator):
    vote = open_vote_factory("schulze")
    a, b, c, d = vote.options.values_list("pk", flat=True)
    receipt = voting.cast(vote, member, {a: 1, b: 2})
    voting.cast(vote, other_member, {b: 1, a: 2, c: 3})
    voting.cast(vote, coordinator, {b: 1})
    assert voting.find_receipt(vote, receipt) is None  # not before the close
    voting.close(vote, now=vote.closes_at)
    vote.refresh_from_db()
    assert vote.result["winners"] == [b]
    found = voting.find_receipt(vote, voting.format_receipt(receipt).lower())
    assert found is not None and found.choice == [[a], [b]]
    assert voting.recount(vote) is True
    Ballot.objects.filter(receipt=receipt).update(choice=[[c]])
    assert voting.recount(vote) is False


def test_quorum_not_met_decides_nothing(open_vote_factory, member, voters):
    vote = open_vote_factory(quorum=50)
    voting.cast(vote, member, "yes")
    voting.close(vote, now=vote.closes_at)
    vote.refresh_from_db()
    assert vote.result["quorum_met"] is False and vote.result["passed"] is False


def test_stv_election(open_vote_factory, member, other_member, coordinator, voters):
    vote = open_vote_factory("stv", seats=2, options=["Ana", "Boris", "Chen", "Dana"])
    a, b, c, d = vote.options.values_list("pk", flat=True)
    people = [member, other_member, coordinator, *voters]
    rankings = [
        {a: 1, b: 2},
        {a: 1, c: 2},
        {a: 1, b: 2},
        {b: 1},
        {c: 1, b: 2},
        {d: 1, c: 2},
        {c: 1},
        {a: 1, d: 2},
    ]
    for person, ranks in zip(people, rankings, strict=True):
        voting.cast(vote, person, ranks)
    voting.close(vote, now=vote.closes_at)
    vote.refresh_from_db()
    assert set(vote.result["winners"]) == {a, c}
    assert vote.result["detail"]["stages"]


# -- from proposal to resolution ----------------------------------------------------------------
def test_amendments_first_then_text_then_resolution(
    proposal_factory, member, other_member, coordinator, voters
):
    proposal = proposal_factory("discussion")
    keep = services.propose_amendment(
        proposal, other_member, kind="replace", paragraph=2, text="Donations go to the fund."
    )
    drop = services.propose_amendment(proposal, member, kind="add", paragraph=3, text="Thanks.")
    now = timezone.now()
    with pytest.raises(voting.VotingError, match="amendments are voted first"):
        voting.start_voting(proposal, by=coordinator, closes_at=now + timedelta(days=1))
    opened = voting.start_voting(
        proposal,
        by=coordinator,
        amendments_close_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=3),
    )
    assert [v.amendment_id for v in opened] == [keep.pk, drop.pk]
    main = Vote.objects.get(proposal=proposal, amendment__isnull=True)
    assert main.status == Vote.Status.DRAFT
    people = [member, other_member, coordinator, *voters]
    for person in people:
        voting.cast(opened[0], person, "yes")
        voting.cast(opened[1], person, "no")
    voting.close_due(now=now + timedelta(days=1))
    keep.refresh_from_db()
    drop.refresh_from_db()
    main.refresh_from_db()
    proposal.refresh_from_db()
    assert (keep.status, drop.status) == ("adopted", "rejected")
    assert proposal.version == 2
    assert services.paragraphs(proposal.text)[1] == "Donations go to the fund."
    assert main.status == Vote.Status.OPEN and main.description == proposal.text
    for person in people[:5]:
        voting.cast(main, person, "yes")
    voting.cast(main, people[5], "no")
    voting.close_due(now=now + timedelta(days=3))
    proposal.refresh_from_db()
    assert proposal.status == S.ADOPTED
    resolution = Resolution.objects.get(proposal=proposal)
    assert resolution.decisions == services.paragraphs(proposal.text)
    assert resolution.number == f"{timezone.localdate().year}/1"
    assert resolution.versions.count() == 1
    assert AuditEvent.objects.filter(action="decisions.vote_closed").count() == 3


def test_resolution_revise_and_translate(proposal_factory, coordinator, member, voters):
    proposal = proposal_factory("discussion")
    vote = voting.start_voting(
        proposal, by=coordinator, closes_at=timezone.now() + timedelta(days=1)
    )[0]
    voting.cast(vote, member, "yes")
    voting.close(vote, now=vote.closes_at)
    resolution = Resolution.objects.get()
    with pytest.raises(DecisionError, match="3 decisions"):
        resolutions.translate(
            resolution, "de", by=coordinator, title="Fonds", preamble="", decisions=["eins"]
        )
    resolutions.translate(
        resolution,
        "de",
        by=coordinator,
        title="Solidaritätsfonds",
        preamble="",
        decisions=["eins", "zwei", "drei"],
    )
    with pytest.raises(DecisionError, match="what was corrected"):
        resolutions.revise(
            resolution, by=coordinator, title="T", preamble="", decisions=["a"], note=""
        )
    resolutions.revise(
        resolution,
        by=coordinator,
        title=resolution.title,
        preamble="",
        decisions=[*resolution.decisions[:2], "The cell reports every month."],
        note="Monthly reports, as agreed at the meeting.",
    )
    resolution.refresh_from_db()
    assert resolution.version == 2 and resolution.versions.count() == 2
    texts = resolutions.texts(resolution)
    assert texts["de"]["current"] is False and texts["en"]["current"] is True


def test_secret_ballots_are_stored_again_in_random_order(open_vote_factory, voters, member):
    """After the close the rows' stored order (SQLite's rowid) is not the order of casting."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's rowid")
    vote = open_vote_factory()
    people = [member, *voters]
    receipts = [voting.cast(vote, person, "yes") for person in people]

    def stored_order():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT receipt FROM decisions_ballot WHERE vote_id = %s ORDER BY rowid",
                [vote.pk],
            )
            return [row[0] for row in cursor.fetchall()]

    assert stored_order() == receipts
    orders = set()
    voting.close(vote, now=vote.closes_at)
    orders.add(tuple(stored_order()))
    assert sorted(stored_order()) == sorted(receipts)
    for _ in range(5):  # the shuffle itself: different orders, the same ballots
        voting._shuffle_ballots(vote)
        orders.add(tuple(stored_order()))
    assert len(orders) > 1
    assert vote.ballots.count() == len(people)


def test_an_event_without_organiser_is_run_by_the_network(db, event_factory, coordinator):
    from solidar.decisions.rules import coordinates_body
    from solidar.network.rules import forget_memberships
    from solidar.network.tests.factories import CollectiveFactory, MembershipFactory

    network = CollectiveFactory(network=True)
    event = event_factory(organiser=None)
    body = services.body_for_event(event)
    assert body.collective_in_charge == network
    assert not coordinates_body(coordinator, body)
    MembershipFactory(collective=network, user=coordinator, coordinator=True)
    forget_memberships(coordinator)
    assert coordinates_body(coordinator, body)


def test_adopted_by_is_said_in_each_language(db, event_factory, coordinator):
    from django.utils import translation

    event = event_factory(title="Forum of the exiled left")
    body = services.body_for_event(event)
    resolution = Resolution.objects.create(
        body=body,
        number="2026/1",
        title="T",
        decisions=["a"],
        adopted_by=resolutions._label_in(body, "en"),
        adopted_on=timezone.localdate(),
    )
    assert resolution.adopted_by.startswith("Assembly of")
    with translation.override("de"):
        expected = str(body)
    assert expected.startswith("Versammlung")
    assert resolutions.adopted_by_in(resolution, "de") == expected


def test_proposals_for_keeps_every_open_one_and_the_latest_decided(
    proposal_factory, member, other_member
):
    open_one = proposal_factory("discussion")
    draft = proposal_factory("draft")
    decided = []
    for _ in range(3):
        proposal = proposal_factory("support")
        services.withdraw(proposal, by=member)
        decided.append(proposal)
    shown = services.proposals_for(open_one.body, member, decided=2)
    assert [p.pk for p in shown] == [draft.pk, open_one.pk, decided[2].pk, decided[1].pk]
    # Someone else's draft is nobody's business.
    assert draft.pk not in {p.pk for p in services.proposals_for(open_one.body, other_member)}
