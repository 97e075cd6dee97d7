# ruff: noqa: F811 - shared fixtures are imported, then asked for by name
"""The overview, a body's page, its rules and an assembly's delegates (issue 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from solidar.conftest import client_for
from solidar.decisions import services, voting
from solidar.decisions.models import Body, Delegate
from solidar.network.tests.conftest import coordinator_without_mfa  # noqa: F401


def page(response) -> str:
    return response.content.decode()


def _count(client, url) -> int:
    client.get(url)  # the first request fills per-process caches (and makes the bodies)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# -- the overview -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_index_lists_what_waits_for_the_member(
    member, other_member, coordinator, proposal_factory, open_vote_factory
):
    seeking = proposal_factory("support", title="Needs your support")
    discussed = proposal_factory("discussion", title="Being discussed")
    vote = open_vote_factory(title="Choose the next campaign")
    shown = page(client_for(other_member).get(reverse("decisions:index")))
    assert "Choose the next campaign" in shown
    assert seeking.title in shown and discussed.title in shown
    assert "Köln" in shown
    # The author is not asked to support their own proposal; who voted is not asked again.
    voting.cast(vote, member, "yes")
    mine = page(client_for(member).get(reverse("decisions:index")))
    assert "Choose the next campaign" not in mine
    assert (
        mine.split("Proposals seeking support")[1]
        .split("In discussion")[0]
        .count("Needs your support")
        == 0
    )


@pytest.mark.django_db
def test_index_of_someone_in_no_group(stranger, koeln, proposal_factory):
    proposal_factory("discussion")
    shown = page(client_for(stranger).get(reverse("decisions:index")))
    assert "Solidarity fund" not in shown
    assert "Paris" in shown


@pytest.mark.django_db
def test_index_costs_the_same_with_many_proposals_and_votes(
    member, other_member, coordinator, proposal_factory, open_vote_factory
):
    client = client_for(other_member)
    url = reverse("decisions:index")
    proposal_factory("support")
    open_vote_factory()
    small = _count(client, url)
    for i in range(10):
        proposal_factory("support", title=f"Support {i}")
        proposal_factory("discussion", title=f"Discuss {i}")
        open_vote_factory(title=f"Vote {i}")
    assert _count(client, url) == small
    assert small <= 12, small


# -- a body's page ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_body_page_shows_rules_proposals_and_votes(
    member, other_member, coordinator, proposal_factory, open_vote_factory
):
    proposal_factory("draft", title="Secret draft")
    proposal_factory("support", title="Seeking")
    open_vote_factory(title="An open question")
    url = reverse("decisions:body", args=["koeln"])
    shown = page(client_for(member).get(url))
    assert "Secret draft" in shown  # the author sees their draft
    assert "2 members besides its authors" in shown
    assert "14 days before the vote opens" in shown
    assert "An open question" in shown
    assert reverse("decisions:propose", args=["koeln"]) in shown
    assert reverse("decisions:rules", args=["koeln"]) not in shown
    other = page(client_for(other_member).get(url))
    assert "Secret draft" not in other and "Seeking" in other
    assert reverse("decisions:rules", args=["koeln"]) in page(client_for(coordinator).get(url))


@pytest.mark.django_db
def test_body_page_costs_the_same_with_many_proposals(
    member, coordinator, proposal_factory, open_vote_factory
):
    url = reverse("decisions:body", args=["koeln"])
    clients = client_for(member), client_for(coordinator)
    proposal_factory("discussion")
    open_vote_factory()
    small = [_count(client, url) for client in clients]
    for i in range(8):
        proposal_factory("draft", title=f"Draft {i}")
        proposal_factory("support", title=f"Support {i}")
        proposal_factory("discussion", title=f"Discuss {i}")
        open_vote_factory(title=f"Vote {i}")
    assert [_count(client, url) for client in clients] == small
    assert small[0] <= 12, small


# -- rules ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_rules_are_bounded_and_saved(coordinator, body):
    client = client_for(coordinator)
    url = reverse("decisions:rules", args=["koeln"])
    assert 'name="supporters_needed"' in page(client.get(url))
    data = {
        "supporters_needed": "51",
        "cooling_off_days": "400",
        "discussion_days": "0",
        "voting_days": "5",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Please correct the following" in page(refused)
    assert 'value="51"' in page(refused)
    body.refresh_from_db()
    assert body.supporters_needed == 2
    ok = client.post(
        url, data | {"supporters_needed": "0", "cooling_off_days": "30", "discussion_days": "10"}
    )
    assert ok.status_code == 302
    body.refresh_from_db()
    assert (
        body.supporters_needed,
        body.cooling_off_days,
        body.discussion_days,
        body.voting_days,
    ) == (0, 30, 10, 5)


@pytest.mark.django_db
def test_rules_without_mfa_send_to_its_setup(coordinator_without_mfa, body):
    response = client_for(coordinator_without_mfa).post(
        reverse("decisions:rules", args=["koeln"]),
        {
            "supporters_needed": "0",
            "cooling_off_days": "0",
            "discussion_days": "1",
            "voting_days": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    body.refresh_from_db()
    assert body.supporters_needed == 2


# -- an assembly ------------------------------------------------------------------------------
@pytest.fixture
def forum(event_factory):
    return event_factory()


@pytest.mark.django_db
def test_assembly_page_is_made_when_first_seen(member, stranger, forum):
    assert not Body.objects.filter(event=forum).exists()
    assert (
        client_for(stranger).get(reverse("decisions:assembly", args=[forum.slug])).status_code
        == 404
    )
    shown = page(client_for(member).get(reverse("decisions:assembly", args=[forum.slug])))
    assert "Assembly of Forum of the exiled left" in shown
    assert Body.objects.filter(event=forum).count() == 1


@pytest.mark.django_db
def test_delegates_added_by_name_weighted_and_removed(
    coordinator, member, other_member, stranger, forum
):
    client = client_for(coordinator)
    url = reverse("decisions:delegates", args=[forum.slug])
    assert (
        client.post(url, {"person": "Lena", "weight": "12", "note": "Köln cell"}).status_code == 302
    )
    body = Body.objects.get(event=forum)
    assert Delegate.objects.get(body=body, user=member).weight == 12
    shown = page(client.get(url))
    assert "Lena" in shown and "Köln cell" in shown
    outside = client.post(url, {"person": "stranger", "weight": "3", "note": ""})
    assert outside.status_code == 400
    assert "Nobody registered for the event or in the organising group has this name." in page(
        outside
    )
    assert 'value="stranger"' in page(outside)
    heavy = client.post(url, {"person": "othermember", "weight": "1001", "note": ""})
    assert heavy.status_code == 400
    assert 'value="othermember"' in page(heavy)
    assert client.post(url, {"remove": str(member.pk)}).status_code == 302
    assert not Delegate.objects.filter(body=body).exists()
    assert client.post(url, {"remove": "nobody"}).status_code == 400


@pytest.mark.django_db
def test_a_collective_has_no_delegates_page(coordinator):
    assert (
        client_for(coordinator).get(reverse("decisions:delegates", args=["koeln"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_propose_in_an_assembly(member, forum):
    url = reverse("decisions:assembly_propose", args=[forum.slug])
    response = client_for(member).post(
        url, {"title": "Forum statement", "text": "We demand.", "language": "de"}
    )
    assert response.status_code == 302
    body = Body.objects.get(event=forum)
    assert body.proposals.get().title == "Forum statement"
    assert services.proposals_for(body, member)[0].language == "de"


@pytest.mark.django_db
def test_closed_votes_link_their_results(member, coordinator, open_vote_factory):
    vote = open_vote_factory(title="Past question")
    voting.cast(vote, member, "yes")
    voting.close(vote, now=timezone.now() + timedelta(days=4))
    shown = page(client_for(member).get(reverse("decisions:body", args=["koeln"])))
    assert "Past question" in shown.split("Closed")[1]
