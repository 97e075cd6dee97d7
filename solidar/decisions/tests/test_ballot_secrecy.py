"""Secret ballots stay secret through the pages: no voter on a ballot row, no voter's name in
the results (HTML or JSON) or the receipt check, the receipt in no log, message or session.
Open ballots show the names. And the results page costs the same queries for 3 ballots or
600 (three pages of them)."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from solidar.conftest import client_for
from solidar.core.models import AuditEvent
from solidar.decisions import voting
from solidar.decisions.models import Ballot, Participation, Vote

M = Vote.Method


def url(name: str, vote: Vote, query: str = "") -> str:
    return reverse(f"decisions:{name}", kwargs={"pk": vote.pk}) + query


def close_now(vote: Vote) -> Vote:
    voting.close(vote, now=vote.closes_at + timedelta(seconds=1))
    vote.refresh_from_db()
    return vote


def test_secret_ballot_leaves_no_name_anywhere(
    caplog, member, other_member, voters, newcomer, open_vote_factory
):
    vote = open_vote_factory(M.SCHULZE)
    ids = dict(vote.options.values_list("label", "pk"))
    people = [member, other_member, *voters]
    receipts = []
    caplog.set_level(logging.DEBUG)
    for i, person in enumerate(people):
        client = client_for(person)
        response = client.post(url("cast", vote), {f"rank-{ids['Riders']}": "1"} if i % 2 else {
            f"rank-{ids['Visas']}": "1", f"rank-{ids['Riders']}": "2"
        })  # fmt: skip
        assert response.status_code == 200
        receipt = response.context["receipt"]
        receipts.append(voting.normalise_receipt(receipt))
        assert receipt not in str(dict(client.session))
        assert not list(response.context["messages"])
    # The database: ballots carry no voter; nothing ties a participation to a ballot.
    assert Ballot.objects.filter(vote=vote).count() == len(people)
    assert not Ballot.objects.filter(vote=vote, voter__isnull=False).exists()
    assert Participation.objects.filter(vote=vote).count() == len(people)
    assert not [f.name for f in Ballot._meta.fields if f.get_internal_type() == "DateTimeField"]
    # No log line and no audit row carries a receipt.
    audit = str(list(AuditEvent.objects.values_list("data", flat=True)))
    for receipt in receipts:
        assert receipt not in caplog.text and voting.format_receipt(receipt) not in caplog.text
        assert receipt not in audit
    vote = close_now(vote)

    names = [str(person) for person in people] + [p.username for p in people]
    reader = client_for(newcomer)  # on no roll: the page's own header names nobody who voted
    pages = [
        reader.get(url("results", vote)).content.decode(),
        reader.get(url("results", vote, "?recount=1")).content.decode(),
        reader.get(url("ballots_json", vote)).content.decode(),
        reader.get(
            url("check_receipt", vote, f"?code={voting.format_receipt(receipts[0])}")
        ).content.decode(),
    ]
    assert voting.format_receipt(receipts[0]) in pages[0]
    assert "counted with these choices" in pages[3]
    for page in pages:
        for name in names:
            assert name not in page, name
    data = reader.get(url("ballots_json", vote)).json()
    assert all(
        set(ballot) == {"receipt", "choice", "weight", "reason"} for ballot in data["ballots"]
    )


def test_open_ballot_shows_the_names(member, other_member, newcomer, open_vote_factory):
    vote = open_vote_factory(M.YES_NO, secret=False)
    page = client_for(member).get(url("vote", vote)).content.decode()
    assert "open ballot" in page
    client_for(member).post(url("cast", vote), {"answer": "yes"})
    client_for(other_member).post(url("cast", vote), {"answer": "no"})
    assert Ballot.objects.get(vote=vote, choice="yes").voter == member
    vote = close_now(vote)
    reader = client_for(newcomer)
    results = reader.get(url("results", vote)).content.decode()
    assert "Lena" in results and "Taras" in results
    data = reader.get(url("ballots_json", vote)).json()
    assert {(b["voter"], b["choice"]) for b in data["ballots"]} == {
        ("Lena", "yes"),
        ("Taras", "no"),
    }


def _close_with_ballots(vote: Vote, count: int) -> Vote:
    """``count`` ballots written straight into the table (thousands of voters would take
    minutes to make), then the vote closed and counted as the services do."""
    ids = list(vote.options.values_list("pk", flat=True))
    Ballot.objects.bulk_create(
        (
            Ballot(
                vote=vote,
                receipt=voting.new_receipt(),
                choice=[
                    [ids[(i + k) % len(ids)]]
                    if vote.method == M.SCHULZE
                    else ids[(i + k) % len(ids)]
                    for k in range(3)
                ],
                weight=1,
            )
            for i in range(count)
        ),
        batch_size=1000,
    )
    Vote.objects.filter(pk=vote.pk).update(ballot_count=count)
    return close_now(vote)


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_results_cost_the_same_queries_for_few_and_many_ballots(member, open_vote_factory):
    few = _close_with_ballots(open_vote_factory(M.SCHULZE, title="Few"), 3)
    many = _close_with_ballots(open_vote_factory(M.SCHULZE, title="Many"), 600)
    client = client_for(member)
    client.get(url("results", few))  # the session and caches warmed once
    cost = _queries(client, url("results", few))
    assert cost <= 8
    assert _queries(client, url("results", many)) == cost
    assert _queries(client, url("results", many, "?page=3")) == cost
    page = client.get(url("results", many, "?page=3")).content.decode()
    assert "Page 3 of 3" in page and page.count("<td><code>") == 200
    json_cost = _queries(client, url("ballots_json", few))
    assert _queries(client, url("ballots_json", many)) == json_cost
    check = url("check_receipt", many, f"?code={secrets.token_hex(6)}")
    assert _queries(client, check) <= cost
