# ruff: noqa: F811 - shared fixtures are imported, then asked for by name
"""Who gets what from every page of votes, in every state that matters.

anonymous: sent to log in; stranger (paris only): 404, as if nothing were there; newcomer
(3 days, the roll wants 14): reads an open vote, gets no ballot and a 400 on casting;
member: votes; coordinator with MFA: runs the vote; coordinator without MFA: sent to set it
up on the coordinators' pages, a member everywhere else. Results: 404 until the close."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from solidar.conftest import client_for
from solidar.decisions import voting
from solidar.decisions.models import Vote
from solidar.network.tests.conftest import coordinator_without_mfa  # noqa: F401

LOGIN = "login"
MFA = "mfa"
PERSONAS = ("anonymous", "stranger", "newcomer", "member", "coordinator", "no_mfa")


@pytest.fixture
def clients(outsider, stranger, newcomer, member, coordinator, coordinator_without_mfa):
    return {
        "anonymous": outsider,
        "stranger": client_for(stranger),
        "newcomer": client_for(newcomer),
        "member": client_for(member),
        "coordinator": client_for(coordinator),
        "no_mfa": client_for(coordinator_without_mfa),
    }


@pytest.fixture
def draft(body, coordinator):
    return voting.create_vote(
        body,
        by=coordinator,
        title="Draft vote",
        method=Vote.Method.YES_NO,
        closes_at=timezone.now() + timedelta(days=3),
    )


@pytest.fixture
def opened(open_vote_factory):
    return open_vote_factory()


@pytest.fixture
def closed(open_vote_factory, voters):
    vote = open_vote_factory()
    voting.cast(vote, voters[0], "yes")
    voting.close(vote, now=vote.closes_at + timedelta(seconds=1))
    vote.refresh_from_db()
    return vote


def outcome(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if "/login/" in location:
            return LOGIN
        if location == reverse("mfa_index"):
            return MFA
        return 302
    return response.status_code


# (route, state, method, data): expected outcome for each persona
MATRIX = [
    (
        ("new_vote", None, "get", None),
        {"anonymous": LOGIN, "stranger": 404, "newcomer": 404, "member": 404}
        | {"coordinator": 200, "no_mfa": MFA},
    ),
    (
        ("vote", "opened", "get", None),
        {"anonymous": LOGIN, "stranger": 404, "newcomer": 200, "member": 200}
        | {"coordinator": 200, "no_mfa": 200},
    ),
    (
        ("vote", "draft", "get", None),
        {"anonymous": LOGIN, "stranger": 404, "newcomer": 404, "member": 404}
        | {"coordinator": 200, "no_mfa": 404},
    ),
    (
        ("vote", "closed", "get", None),
        {"anonymous": LOGIN, "stranger": 404, "newcomer": 200, "member": 200}
        | {"coordinator": 200, "no_mfa": 200},
    ),
    (
        ("cast", "opened", "post", {"answer": "yes"}),
        {"anonymous": LOGIN, "stranger": 404, "newcomer": 400, "member": 200}
        | {"coordinator": 200, "no_mfa": 400},  # a member of 0 days: not on the roll
    ),
    (
        ("cast", "opened", "get", None),
        {"anonymous": LOGIN, "stranger": 405, "newcomer": 405, "member": 405}
        | {"coordinator": 405, "no_mfa": 405},
    ),
    (
        ("open_vote", "draft", "post", None),
        {"anonymous": LOGIN, "stranger": 404, "newcomer": 404, "member": 404}
        | {"coordinator": 302, "no_mfa": MFA},
    ),
    (
        ("open_vote", "opened", "post", None),
        {"anonymous": LOGIN, "stranger": 404, "newcomer": 404, "member": 404}
        | {"coordinator": 400, "no_mfa": MFA},
    ),
    (
        ("cancel_vote", "draft", "post", None),
        {"anonymous": LOGIN, "stranger": 404, "newcomer": 404, "member": 404}
        | {"coordinator": 302, "no_mfa": MFA},
    ),
    (
        ("close_vote", "opened", "post", None),
        {"anonymous": LOGIN, "stranger": 404, "newcomer": 404, "member": 404}
        | {"coordinator": 400, "no_mfa": MFA},  # not everyone has voted
    ),
    (
        ("close_vote", "closed", "post", None),
        {"anonymous": LOGIN, "stranger": 404, "newcomer": 404, "member": 404}
        | {"coordinator": 400, "no_mfa": MFA},
    ),
    *[
        (
            (name, "opened", "get", None),
            {"anonymous": LOGIN, "stranger": 404, "newcomer": 404, "member": 404}
            | {"coordinator": 404, "no_mfa": 404},
        )
        for name in ("results", "check_receipt", "ballots_json")
    ],
    *[
        (
            (name, "draft", "get", None),
            {"anonymous": LOGIN, "stranger": 404, "newcomer": 404, "member": 404}
            | {"coordinator": 404, "no_mfa": 404},
        )
        for name in ("results", "check_receipt", "ballots_json")
    ],
    *[
        (
            (name, "closed", "get", None),
            {"anonymous": LOGIN, "stranger": 404, "newcomer": 200, "member": 200}
            | {"coordinator": 200, "no_mfa": 200},
        )
        for name in ("results", "check_receipt", "ballots_json")
    ],
]
CASES = [
    pytest.param(
        route, persona, expected[persona], id=f"{route[0]}-{route[1]}-{route[2]}-{persona}"
    )
    for route, expected in MATRIX
    for persona in PERSONAS
]


@pytest.mark.parametrize(("route", "persona", "expected"), CASES)
def test_matrix(request, clients, route, persona, expected):
    name, state, method, data = route
    if state is None:
        address = reverse(f"decisions:{name}", kwargs={"slug": "koeln"})
    else:
        vote = request.getfixturevalue(state)
        address = reverse(f"decisions:{name}", kwargs={"pk": vote.pk})
    client = clients[persona]
    response = getattr(client, method)(address, data or {})
    assert outcome(response) == expected


def test_a_hidden_or_unknown_collective_is_404_for_a_coordinator_elsewhere(coordinator, paris):
    client = client_for(coordinator)
    assert client.get(reverse("decisions:new_vote", kwargs={"slug": "paris"})).status_code == 404
    assert client.get(reverse("decisions:new_vote", kwargs={"slug": "nowhere"})).status_code == 404
    from solidar.decisions.models import Body

    assert not Body.objects.filter(collective=paris).exists()  # asking created nothing


def test_an_unknown_vote_is_404(member):
    address = reverse("decisions:vote", kwargs={"pk": 987654})
    assert client_for(member).get(address).status_code == 404


def test_assembly_new_vote(committed, event_factory, coordinator, stranger, member):
    event = event_factory()
    address = reverse("decisions:assembly_new_vote", kwargs={"slug": event.slug})
    assert client_for(coordinator).get(address).status_code == 200
    assert client_for(stranger).get(address).status_code == 404
    assert client_for(member).get(address).status_code == 404
    closes = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(coordinator).post(
        address,
        {
            "title": "Adopt the forum's statement",
            "method": "yes_no",
            "seats": "1",
            "threshold": "absolute",
            "quorum": "0",
            "secret": "on",
            "closes_at": closes,
        },
    )
    assert response.status_code == 302
    vote = Vote.objects.get(title="Adopt the forum's statement")
    assert vote.body.event_id == event.pk and vote.threshold == "absolute" and vote.secret
