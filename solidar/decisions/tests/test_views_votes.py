"""The pages of votes: creating, opening, the ballot for each method, the receipt, the
results with the full count, checking a receipt, the ballots as JSON, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from solidar.conftest import client_for
from solidar.core.models import AuditEvent
from solidar.decisions import voting
from solidar.decisions.models import Ballot, Participation, Vote

M = Vote.Method


def url(name: str, vote: Vote, **query) -> str:
    address = reverse(f"decisions:{name}", kwargs={"pk": vote.pk})
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return address


def close_now(vote: Vote) -> Vote:
    voting.close(vote, now=vote.closes_at + timedelta(seconds=1))
    vote.refresh_from_db()
    return vote


def option_ids(vote: Vote) -> dict[str, int]:
    return dict(vote.options.values_list("label", "pk"))


def text(response) -> str:
    return response.content.decode()


# -- creating and opening ----------------------------------------------------------------------
def test_coordinator_creates_an_election_with_candidates_and_opens_it(
    coordinator, member, other_member, voters, body
):
    client = client_for(coordinator)
    page = client.get(reverse("decisions:new_vote", kwargs={"slug": "koeln"}))
    assert page.status_code == 200
    assert 'name="candidates"' in text(page) and "Lena" in text(page)
    closes = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("decisions:new_vote", kwargs={"slug": "koeln"}),
        {
            "title": "Delegates to the network forum",
            "description": "Two **delegates**.",
            "method": "stv",
            "options": "",
            "candidates": [member.pk, other_member.pk, voters[0].pk],
            "seats": "2",
            "threshold": "simple",
            "quorum": "10",
            "secret": "on",
            "closes_at": closes,
        },
    )
    vote = Vote.objects.get(title="Delegates to the network forum")
    assert response.status_code == 302 and response["Location"] == url("vote", vote)
    assert vote.status == Vote.Status.DRAFT and vote.seats == 2 and vote.quorum == 10
    assert sorted(vote.options.values_list("candidate_id", flat=True)) == sorted(
        [member.pk, other_member.pk, voters[0].pk]
    )
    page = client.get(url("vote", vote))
    assert "Not yet open" in text(page) and url("open_vote", vote) in text(page)
    assert "<strong>delegates</strong>" in text(page)

    response = client.post(url("open_vote", vote))
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.status == Vote.Status.OPEN and vote.electorate_count == 8
    assert "8 people may vote" in text(client.get(url("vote", vote)))


def test_new_vote_bad_input_keeps_what_was_typed(coordinator, body):
    client = client_for(coordinator)
    closes = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "Which campaign?",
        "method": "schulze",
        "options": "Only one option",
        "seats": "1",
        "threshold": "simple",
        "quorum": "0",
        "closes_at": closes,
    }
    response = client.post(reverse("decisions:new_vote", kwargs={"slug": "koeln"}), data)
    assert response.status_code == 400
    assert "at least two options" in text(response)
    assert "Only one option" in text(response) and 'value="Which campaign?"' in text(response)
    data |= {"options": "A\nB", "closes_at": "yesterday", "quorum": "150"}
    response = client.post(reverse("decisions:new_vote", kwargs={"slug": "koeln"}), data)
    assert response.status_code == 400 and not Vote.objects.exists()


def test_opening_with_nobody_eligible_is_a_400_with_the_reason(coordinator, body, newcomer):
    body.cooling_off_days = 1000
    body.save()
    vote = voting.create_vote(
        body, by=coordinator, title="Too early", method=M.YES_NO,
        closes_at=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    response = client_for(coordinator).post(url("open_vote", vote))
    assert response.status_code == 400
    assert "No one may vote yet" in text(response)
    vote.refresh_from_db()
    assert vote.status == Vote.Status.DRAFT


def test_cancel_a_draft_only(coordinator, body, open_vote_factory):
    vote = voting.create_vote(
        body, by=coordinator, title="Maybe", method=M.YES_NO,
        closes_at=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    client = client_for(coordinator)
    assert client.post(url("cancel_vote", vote)).status_code == 302
    vote.refresh_from_db()
    assert vote.status == Vote.Status.CANCELLED
    opened = open_vote_factory()
    response = client.post(url("cancel_vote", opened))
    assert response.status_code == 400 and "has not opened" in text(response)


def test_close_now_only_when_everyone_voted(coordinator, member, open_vote_factory):
    vote = open_vote_factory()
    client = client_for(coordinator)
    assert url("close_vote", vote) not in text(client.get(url("vote", vote)))
    response = client.post(url("close_vote", vote))
    assert response.status_code == 400 and "only once everyone" in text(response)
    for person in voting.Elector.objects.filter(vote=vote).select_related("user"):
        voting.cast(vote, person.user, "yes")
    assert url("close_vote", vote) in text(client.get(url("vote", vote)))
    response = client.post(url("close_vote", vote))
    assert response.status_code == 302 and response["Location"] == url("results", vote)
    vote.refresh_from_db()
    assert vote.is_closed and vote.result["totals"]["yes"] == 3


# -- the ballot --------------------------------------------------------------------------------
def test_yes_no_ballot_and_receipt(member, open_vote_factory):
    vote = open_vote_factory(M.YES_NO, description="Strike *fund*")
    client = client_for(member)
    page = client.get(url("vote", vote))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    body = text(page)
    assert 'name="answer" value="yes"' in body and "secret ballot" in body
    assert "receipt" in body and "<em>fund</em>" in body
    response = client.post(url("cast", vote), {"answer": "no"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.choice == "no" and ballot.voter_id is None
    assert voting.format_receipt(ballot.receipt) in text(response)
    # The receipt is nowhere but in that answer: not in a message, not in the session.
    assert ballot.receipt not in str(dict(client.session))
    page = client.get(url("vote", vote))
    assert "You have voted" in text(page) and 'name="answer"' not in text(page)
    assert ballot.receipt not in text(page) and voting.format_receipt(ballot.receipt) not in text(
        page
    )


def test_voting_twice_is_a_400_and_changes_nothing(member, open_vote_factory):
    vote = open_vote_factory()
    client = client_for(member)
    assert client.post(url("cast", vote), {"answer": "yes"}).status_code == 200
    response = client.post(url("cast", vote), {"answer": "no"})
    assert response.status_code == 400
    assert "already voted" in text(response)
    assert Ballot.objects.filter(vote=vote).count() == 1


def test_consent_objection_needs_a_reason(member, open_vote_factory):
    vote = open_vote_factory(M.CONSENT)
    client = client_for(member)
    assert 'name="reason"' in text(client.get(url("vote", vote)))
    response = client.post(url("cast", vote), {"answer": "object", "reason": "  "})
    assert response.status_code == 400 and "needs a reason" in text(response)
    assert 'value="object" id="answer-object" checked' in text(response)
    response = client.post(
        url("cast", vote), {"answer": "object", "reason": "The fund has no treasurer."}
    )
    assert response.status_code == 200
    assert Ballot.objects.get(vote=vote).reason == "The fund has no treasurer."


def test_approval_ballot(member, open_vote_factory):
    vote = open_vote_factory(M.APPROVAL, seats=2)
    ids = option_ids(vote)
    client = client_for(member)
    assert text(client.get(url("vote", vote))).count('name="approve"') == 4
    response = client.post(url("cast", vote), {"approve": [ids["Riders"], 999999]})
    assert response.status_code == 400 and "not on it" in text(response)
    assert f'value="{ids["Riders"]}" id="approve-{ids["Riders"]}" checked' in text(response)
    response = client.post(url("cast", vote), {"approve": [ids["Riders"], ids["Visas"]]})
    assert response.status_code == 200
    assert Ballot.objects.get(vote=vote).choice == sorted([ids["Riders"], ids["Visas"]])


@pytest.mark.parametrize(
    ("ranks", "message"),
    [
        ({"Prisoners": "1", "Riders": "1"}, "same rank"),
        ({"Prisoners": "1", "Riders": "3"}, "gap"),
        ({"Prisoners": "2"}, "gap"),
        ({}, "Rank at least one"),
        ({"Prisoners": "first"}, "whole numbers"),
        ({"Prisoners": "0", "Riders": "1"}, "gap"),
    ],
)
def test_bad_rankings_are_refused_and_the_form_refilled(member, open_vote_factory, ranks, message):
    vote = open_vote_factory(M.SCHULZE)
    ids = option_ids(vote)
    data = {f"rank-{ids[label]}": rank for label, rank in ranks.items()}
    response = client_for(member).post(url("cast", vote), data)
    assert response.status_code == 400
    assert message in text(response)
    for label, rank in ranks.items():
        assert f'name="rank-{ids[label]}" id="rank-{ids[label]}"' in text(response)
        assert f'value="{rank}"' in text(response)
    assert not Ballot.objects.filter(vote=vote).exists()
    assert not Participation.objects.filter(vote=vote).exists()


def test_ranked_ballots_schulze_and_stv(member, other_member, open_vote_factory):
    schulze = open_vote_factory(M.SCHULZE)
    ids = option_ids(schulze)
    page = text(client_for(member).get(url("vote", schulze)))
    assert "without gaps" in page and page.count('type="number"') == 4
    response = client_for(member).post(
        url("cast", schulze), {f"rank-{ids['Riders']}": "1", f"rank-{ids['Visas']}": "2"}
    )
    assert response.status_code == 200
    assert Ballot.objects.get(vote=schulze).choice == [[ids["Riders"]], [ids["Visas"]]]
    stv = open_vote_factory(M.STV, seats=2)
    ids = option_ids(stv)
    response = client_for(other_member).post(
        url("cast", stv),
        {f"rank-{ids['Housing']}": "2", f"rank-{ids['Prisoners']}": "1", "rank-x": "5"},
    )
    assert response.status_code == 200
    assert Ballot.objects.get(vote=stv).choice == [ids["Prisoners"], ids["Housing"]]


def test_casting_after_the_close_is_refused(member, open_vote_factory):
    vote = close_now(open_vote_factory())
    response = client_for(member).post(url("cast", vote), {"answer": "yes"})
    assert response.status_code == 400 and "closed" in text(response)
    assert not Ballot.objects.filter(vote=vote).exists()


def test_casting_past_the_closing_time_before_the_count(member, open_vote_factory):
    vote = open_vote_factory()
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    client = client_for(member)
    page = text(client.get(url("vote", vote)))
    assert "Voting has ended" in page and 'name="answer"' not in page
    response = client.post(url("cast", vote), {"answer": "yes"})
    assert response.status_code == 400 and not Ballot.objects.filter(vote=vote).exists()


def test_newcomer_reads_but_cannot_vote(newcomer, open_vote_factory):
    vote = open_vote_factory()
    client = client_for(newcomer)
    page = client.get(url("vote", vote))
    assert page.status_code == 200
    assert "not on the roll" in text(page) and 'name="answer"' not in text(page)
    response = client.post(url("cast", vote), {"answer": "yes"})
    assert response.status_code == 400 and "not on the roll" in text(response)
    assert not Ballot.objects.filter(vote=vote).exists()


def test_draft_is_not_shown_to_members(member, coordinator, body):
    vote = voting.create_vote(
        body, by=coordinator, title="Draft", method=M.YES_NO,
        closes_at=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    assert client_for(member).get(url("vote", vote)).status_code == 404
    assert client_for(member).post(url("cast", vote), {"answer": "yes"}).status_code == 404


# -- results -----------------------------------------------------------------------------------
def test_results_are_invisible_before_the_close(member, voters, open_vote_factory):
    vote = open_vote_factory(M.APPROVAL)
    ids = option_ids(vote)
    for voter in voters:
        voting.cast(vote, voter, [ids["Riders"]])
    client = client_for(member)
    assert client.get(url("results", vote)).status_code == 404
    assert client.get(url("ballots_json", vote)).status_code == 404
    assert client.get(url("check_receipt", vote, code="ABCD")).status_code == 404
    page = text(client.get(url("vote", vote)))
    assert "Results are shown only after the vote closes" in page
    assert "Approvals" not in page and url("results", vote) not in page
    assert "<dd>5</dd>" in page  # the ballots cast so far, not how they were cast


def test_yes_no_results_with_threshold_quorum_and_every_ballot(
    member, other_member, voters, open_vote_factory
):
    vote = open_vote_factory(M.YES_NO, threshold="two_thirds", quorum=50)
    receipts = [voting.cast(vote, person, "yes") for person in [member, other_member, *voters]]
    vote = close_now(vote)
    page = client_for(member).get(url("results", vote))
    assert page.status_code == 200
    body = text(page)
    assert "Adopted" in body and "Two thirds" in body and "The quorum was reached" in body
    for receipt in receipts:
        assert voting.format_receipt(receipt) in body
    assert "Recount the ballots now" in body
    body = text(client_for(member).get(url("results", vote, recount=1)))
    assert "Recounted: the same result." in body


def test_a_tampered_ballot_shows_the_recount_warning(member, voters, open_vote_factory):
    vote = open_vote_factory(M.YES_NO)
    for voter in voters:
        voting.cast(vote, voter, "yes")
    vote = close_now(vote)
    Ballot.objects.filter(vote=vote).update(choice="no")
    body = text(client_for(member).get(url("results", vote, recount=1)))
    assert "does not give the announced result" in body


def test_consent_results_list_the_objections(member, voters, open_vote_factory):
    vote = open_vote_factory(M.CONSENT)
    voting.cast(vote, voters[0], "object", reason="No treasurer <b>yet</b>.")
    voting.cast(vote, voters[1], "consent")
    vote = close_now(vote)
    body = text(client_for(member).get(url("results", vote)))
    assert "Not adopted" in body and "No treasurer &lt;b&gt;yet&lt;/b&gt;." in body


def test_schulze_results_show_both_matrices_and_labels(member, voters, open_vote_factory):
    vote = open_vote_factory(M.SCHULZE)
    ids = option_ids(vote)
    for voter in voters[:3]:
        voting.cast(vote, voter, {ids["Visas"]: "1", ids["Housing"]: "2"})
    voting.cast(vote, voters[3], {ids["Housing"]: "1"})
    vote = close_now(vote)
    response = client_for(member).get(url("results", vote))
    body = text(response)
    assert "Pairwise preferences (d)" in body and "Strongest paths (p)" in body
    assert response.context["schulze"]["ranking"][:2] == ["Visas", "Housing"]
    d_rows = dict(response.context["schulze"]["d"])
    order = response.context["schulze"]["options"]
    assert d_rows["Visas"][order.index("Housing")] == 3
    assert d_rows["Visas"][order.index("Visas")] is None
    assert "1. Visas  2. Housing" in body
    assert "Tie order:" in body and vote.tie_seed in body


def test_stv_results_show_quota_stages_and_the_elected(member, voters, open_vote_factory):
    vote = open_vote_factory(M.STV, seats=2)
    ids = option_ids(vote)
    ballots = [
        {ids["Riders"]: "1", ids["Visas"]: "2"},
        {ids["Riders"]: "1", ids["Visas"]: "2"},
        {ids["Riders"]: "1", ids["Housing"]: "2"},
        {ids["Housing"]: "1"},
        {ids["Prisoners"]: "1", ids["Housing"]: "2"},
    ]
    for voter, ranks in zip(voters, ballots, strict=True):
        voting.cast(vote, voter, ranks)
    vote = close_now(vote)
    response = client_for(member).get(url("results", vote))
    body = text(response)
    stv = response.context["stv"]
    assert stv["quota"] == "2.00000" and stv["elected"][0] == "Riders"
    assert stv["stages"][0]["action"] == "First preferences"
    assert "3.00000" in stv["stages"][0]["values"]
    assert "Quota (Droop)" in body and "Non-transferable" in body
    assert f"Elected: <strong>{', '.join(stv['elected'])}</strong>" in body


def test_approval_results(member, voters, open_vote_factory):
    vote = open_vote_factory(M.APPROVAL, seats=1)
    ids = option_ids(vote)
    voting.cast(vote, voters[0], [ids["Riders"], ids["Visas"]])
    voting.cast(vote, voters[1], [ids["Riders"]])
    vote = close_now(vote)
    response = client_for(member).get(url("results", vote))
    assert response.context["approval"][0] == ("Riders", 2, True)
    assert "Riders, Visas" in text(response)


def test_check_receipt(member, voters, open_vote_factory):
    vote = open_vote_factory(M.YES_NO)
    receipt = voting.cast(vote, voters[0], "no")
    vote = close_now(vote)
    client = client_for(member)
    typed = voting.format_receipt(receipt).lower()
    response = client.get(url("check_receipt", vote, code=typed))
    assert response.status_code == 200
    assert "counted with these choices" in text(response) and ">No<" in text(response)
    response = client.get(url("check_receipt", vote, code="AAAA-BBBB-CCCC"))
    assert response.status_code == 200 and "No ballot with this receipt" in text(response)
    response = client.get(url("check_receipt", vote, code="x" * 5000))
    assert response.status_code == 200 and "No ballot with this receipt" in text(response)


def test_ballots_json_lets_anyone_recount(member, voters, open_vote_factory):
    vote = open_vote_factory(M.SCHULZE)
    ids = option_ids(vote)
    for voter in voters:
        voting.cast(vote, voter, {ids["Riders"]: "1"})
    vote = close_now(vote)
    data = client_for(member).get(url("ballots_json", vote)).json()
    assert data["vote"]["tie_seed"] == vote.tie_seed and len(data["ballots"]) == 5
    assert {o["label"] for o in data["options"]} == set(ids)
    assert all(b["choice"] == [[ids["Riders"]]] and b["weight"] == 1 for b in data["ballots"])
    assert data["result"]["winners"] == [ids["Riders"]]
    assert "voter" not in data["ballots"][0]


def test_the_ballot_list_is_paged(member, voters, open_vote_factory, monkeypatch):
    from solidar.decisions.views import votes

    monkeypatch.setattr(votes, "BALLOTS_PER_PAGE", 2)
    vote = open_vote_factory()
    receipts = sorted(voting.cast(vote, voter, "yes") for voter in voters)
    vote = close_now(vote)
    client = client_for(member)
    first = text(client.get(url("results", vote)))
    assert voting.format_receipt(receipts[0]) in first
    assert voting.format_receipt(receipts[2]) not in first and "Page 1 of 3" in first
    last = text(client.get(url("results", vote, page=3)))
    assert voting.format_receipt(receipts[4]) in last


def test_opening_and_closing_are_audited(coordinator, body):
    vote = voting.create_vote(
        body, by=coordinator, title="Audit", method=M.YES_NO,
        closes_at=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    client_for(coordinator).post(url("open_vote", vote))
    assert AuditEvent.objects.filter(action="decisions.vote_opened").exists()
