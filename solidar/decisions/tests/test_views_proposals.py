"""Making a proposal and everything done on its page: bad input answers 400 with the
service's message and keeps what was typed; the page costs the same number of queries with
one comment or twenty (issue 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from solidar.conftest import client_for
from solidar.decisions import services, voting
from solidar.decisions.models import Amendment, Author, Comment, Proposal, Vote
from solidar.decisions.tests.conftest import TEXT


def page(response) -> str:
    return response.content.decode()


def proposal_url(proposal, name="proposal"):
    return reverse(f"decisions:{name}", args=[proposal.pk])


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


# -- proposing and drafts ---------------------------------------------------------------------
@pytest.mark.django_db
def test_propose_makes_a_draft_only_its_author_sees(member, other_member, body):
    client = client_for(member)
    url = reverse("decisions:propose", args=["koeln"])
    form = page(client.get(url))
    assert "each paragraph" in form.lower() or "Each paragraph" in form
    assert 'name="language"' in form
    response = client.post(
        url, {"title": "Night shelter", "text": "One.\n\nTwo.", "rationale": "", "language": "uk"}
    )
    proposal = Proposal.objects.get(title="Night shelter")
    assert response.status_code == 302
    assert response["Location"] == proposal_url(proposal)
    assert (proposal.status, proposal.language) == ("draft", "uk")
    shown = page(client.get(proposal_url(proposal)))
    assert "Only its authors see this draft" in shown
    assert 'id="paragraph-2"' in shown
    assert client_for(other_member).get(proposal_url(proposal)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "text", "message", "kept"),
    [
        (
            "",
            "A text nobody should lose.",
            "Give the proposal a title.",
            "A text nobody should lose.",
        ),
        ("Kept title", "", "Write the text of the proposal.", "Kept title"),
        (
            "Kept title",
            "x" * 40_001,
            "The text is too long: at most 40000 characters.",
            "Kept title",
        ),
        ("t" * 201, "Kept text", "The title is too long: at most 200 characters.", "Kept text"),
    ],
)
def test_propose_bad_input_keeps_what_was_typed(member, body, title, text, message, kept):
    response = client_for(member).post(
        reverse("decisions:propose", args=["koeln"]),
        {"title": title, "text": text, "language": "en"},
    )
    assert response.status_code == 400
    assert message in page(response)
    assert kept in page(response)
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_edit_a_draft(member, proposal_factory):
    proposal = proposal_factory("draft")
    client = client_for(member)
    url = proposal_url(proposal, "edit")
    assert TEXT.split("\n")[0] in page(client.get(url))
    refused = client.post(url, {"title": "New title", "text": "  ", "rationale": "Why"})
    assert refused.status_code == 400
    assert "Write the text of the proposal." in page(refused)
    assert "New title" in page(refused)
    assert client.post(url, {"title": "New title", "text": "Only one."}).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.text) == ("New title", "Only one.")


@pytest.mark.django_db
def test_coauthors_are_found_by_username_among_the_members(
    member, voters, stranger, proposal_factory
):
    proposal = proposal_factory("draft")
    client = client_for(member)
    url = proposal_url(proposal, "coauthors")
    assert client.post(url, {"person": "voter0"}).status_code == 302
    assert client.post(url, {"person": "Voter 1"}).status_code == 302
    assert set(
        Author.objects.filter(proposal=proposal).values_list("user__username", flat=True)
    ) == {
        "member",
        "voter0",
        "voter1",
    }
    twice = client.post(url, {"person": "voter0"})
    assert twice.status_code == 400
    assert "is already an author" in page(twice)
    outside = client.post(url, {"person": "stranger"})
    assert outside.status_code == 400
    assert "Nobody here has this name" in page(outside)
    assert 'value="stranger"' in page(outside)
    # The co-author sees the draft now.
    assert client_for(voters[0]).get(proposal_url(proposal)).status_code == 200


@pytest.mark.django_db
def test_submit_support_and_discussion(member, other_member, coordinator, proposal_factory):
    proposal = proposal_factory("draft")
    client = client_for(member)
    assert client.post(proposal_url(proposal, "submit")).status_code == 302
    again = client.post(proposal_url(proposal, "submit"))
    assert again.status_code == 400
    assert "already been submitted" in page(again)
    other = client_for(other_member)
    shown = page(other.get(proposal_url(proposal)))
    assert "0 of 2 supporters" in shown
    assert "Support this proposal" in shown
    assert other.post(proposal_url(proposal, "support")).status_code == 302
    assert "You support this proposal" in page(other.get(proposal_url(proposal)))
    twice = other.post(proposal_url(proposal, "support"))
    assert twice.status_code == 400
    assert "You already support this proposal." in page(twice)
    own = client.post(proposal_url(proposal, "support"))
    assert own.status_code == 400
    assert "Authors cannot support their own proposal." in page(own)
    client_for(coordinator).post(proposal_url(proposal, "support"))
    proposal.refresh_from_db()
    assert proposal.status == "discussion"
    assert "The discussion ends on" in page(other.get(proposal_url(proposal)))


# -- comments ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_comments_bad_input_and_markdown(newcomer, proposal_factory):
    proposal = proposal_factory("discussion")
    client = client_for(newcomer)
    url = proposal_url(proposal, "comment")
    empty = client.post(url, {"text": "   "})
    assert empty.status_code == 400
    assert "Write something before sending." in page(empty)
    long_text = "Words I typed for an hour. " + "y" * 10_000
    oversize = client.post(url, {"text": long_text})
    assert oversize.status_code == 400
    assert "The text is too long: at most 10000 characters." in page(oversize)
    assert "Words I typed for an hour." in page(oversize)
    assert not Comment.objects.exists()
    ok = client.post(url, {"text": "I **agree**.\n\n<script>alert(1)</script>"})
    assert ok.status_code == 302
    shown = page(client.get(proposal_url(proposal)))
    assert "<strong>agree</strong>" in shown
    assert "<script>alert(1)" not in shown


@pytest.mark.django_db
def test_comments_oldest_first(member, other_member, proposal_factory):
    proposal = proposal_factory("discussion")
    services.add_comment(proposal, member, "First words", now=timezone.now() - timedelta(hours=2))
    services.add_comment(proposal, other_member, "Second words")
    shown = page(client_for(member).get(proposal_url(proposal)))
    assert shown.index("First words") < shown.index("Second words")


# -- amendments -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_amendment_bad_input_keeps_the_text(other_member, proposal_factory):
    proposal = proposal_factory("discussion")
    client = client_for(other_member)
    url = proposal_url(proposal, "amend")
    typed = "My carefully written paragraph."
    out_of_range = client.post(url, {"kind": "replace", "paragraph": "7", "text": typed})
    assert out_of_range.status_code == 400
    assert "Choose a paragraph between 1 and 3." in page(out_of_range)
    assert typed in page(out_of_range)
    not_a_number = client.post(url, {"kind": "replace", "paragraph": "two", "text": typed})
    assert not_a_number.status_code == 400
    assert typed in page(not_a_number)
    two = client.post(url, {"kind": "add", "paragraph": "1", "text": "One.\n\nTwo."})
    assert two.status_code == 400
    assert "An amendment is one paragraph" in page(two)
    assert not Amendment.objects.exists()


@pytest.mark.django_db
def test_no_amendment_to_a_closed_proposal(member, other_member, proposal_factory):
    proposal = proposal_factory("discussion")
    services.withdraw(proposal, by=member)
    typed = "Too late, but kept."
    response = client_for(other_member).post(
        proposal_url(proposal, "amend"), {"kind": "replace", "paragraph": "1", "text": typed}
    )
    assert response.status_code == 400
    assert "Amendments can only be proposed during the discussion." in page(response)
    assert typed in page(response)


@pytest.mark.django_db
def test_amendments_are_shown_with_the_paragraph_they_change(
    member, other_member, proposal_factory
):
    proposal = proposal_factory("discussion")
    client = client_for(other_member)
    response = client.post(
        proposal_url(proposal, "amend"),
        {"kind": "replace", "paragraph": "2", "text": "Members collect *online* too."},
    )
    assert response.status_code == 302
    shown = page(client.get(proposal_url(proposal)))
    assert "Amendment 1" in shown
    assert "Members collect donations at every meeting" in shown.split("Amendment 1")[1]
    assert "<em>online</em>" in shown
    amendment = Amendment.objects.get()
    assert "Withdraw amendment 1" in shown
    assert "Withdraw amendment 1" not in page(client_for(member).get(proposal_url(proposal)))
    other = client_for(member).post(proposal_url(amendment, "withdraw_amendment"))
    assert other.status_code == 400
    assert "Only its author can withdraw an amendment." in page(other)
    assert client.post(proposal_url(amendment, "withdraw_amendment")).status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == "withdrawn"
    again = client.post(proposal_url(amendment, "withdraw_amendment"))
    assert again.status_code == 400
    assert "can no longer be withdrawn" in page(again)


# -- voting -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_start_voting_validates_the_dates(coordinator, other_member, proposal_factory):
    proposal = proposal_factory("discussion")
    services.propose_amendment(proposal, other_member, kind="add", paragraph=3, text="Report.")
    client = client_for(coordinator)
    shown = page(client.get(proposal_url(proposal)))
    assert 'name="amendments_close_at"' in shown
    assert (
        'name="secret" checked' in shown
        or 'checked id="id_secret"' in shown
        or ('id="id_secret" checked' in shown)
    )
    now = timezone.now()
    url = proposal_url(proposal, "start_voting")
    base = {"method": "yes_no", "threshold": "simple", "quorum": "0", "secret": "on"}
    past = client.post(
        url,
        base
        | {
            "amendments_close_at": local(now - timedelta(days=1)),
            "closes_at": local(now + timedelta(days=3)),
        },
    )
    assert past.status_code == 400
    assert "The closing time must be in the future." in page(past)
    swapped = client.post(
        url,
        base
        | {
            "amendments_close_at": local(now + timedelta(days=4)),
            "closes_at": local(now + timedelta(days=3)),
        },
    )
    assert swapped.status_code == 400
    assert "The amendment votes must close before the vote on the text." in page(swapped)
    missing = client.post(url, base | {"closes_at": local(now + timedelta(days=3))})
    assert missing.status_code == 400
    assert "Say when the amendment votes close." in page(missing)
    assert Vote.objects.count() == 0
    ok = client.post(
        url,
        base
        | {
            "amendments_close_at": local(now + timedelta(days=2)),
            "closes_at": local(now + timedelta(days=5)),
        },
    )
    assert ok.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "voting"
    votes = {v.amendment_id is not None: v for v in Vote.objects.filter(proposal=proposal)}
    assert votes[True].status == "open" and votes[True].secret
    assert votes[False].status == "draft"


@pytest.mark.django_db
def test_withdrawing_after_voting_started_is_refused(member, coordinator, proposal_factory):
    proposal = proposal_factory("discussion")
    voting.start_voting(proposal, by=coordinator, closes_at=timezone.now() + timedelta(days=3))
    response = client_for(member).post(proposal_url(proposal, "withdraw"))
    assert response.status_code == 400
    assert "Once voting has started a proposal cannot be withdrawn." in page(response)
    proposal.refresh_from_db()
    assert proposal.status == "voting"


@pytest.mark.django_db
def test_an_adopted_proposal_shows_its_versions(
    member, other_member, voters, coordinator, proposal_factory
):
    proposal = proposal_factory("discussion")
    services.propose_amendment(
        proposal, other_member, kind="add", paragraph=3, text="Report monthly."
    )
    now = timezone.now()
    voting.start_voting(
        proposal,
        by=coordinator,
        amendments_close_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=3),
    )
    amendment_vote = Vote.objects.get(proposal=proposal, amendment__isnull=False)
    for person in [member, other_member, coordinator, *voters]:
        voting.cast(amendment_vote, person, "yes")
    voting.close(amendment_vote, now=now + timedelta(days=1, minutes=1))
    main = Vote.objects.get(proposal=proposal, amendment__isnull=True)
    assert main.status == "open"
    for person in [member, other_member, coordinator, *voters]:
        voting.cast(main, person, "yes", now=now + timedelta(days=1, minutes=2))
    voting.close(main, now=now + timedelta(days=3, minutes=1))
    shown = page(client_for(other_member).get(proposal_url(proposal)))
    assert "Adopted on" in shown
    assert "v2" in shown and "with amendments 1 merged" in shown
    assert 'id="paragraph-4"' in shown
    assert "passed" in shown


# -- queries ----------------------------------------------------------------------------------
def _count(client, url) -> int:
    client.get(url)  # the first request of a session fills per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_proposal_page_costs_the_same_with_many_comments_and_amendments(
    member, other_member, voters, coordinator, proposal_factory
):
    proposal = proposal_factory("discussion")
    services.add_comment(proposal, other_member, "One comment")
    services.propose_amendment(proposal, other_member, kind="replace", paragraph=1, text="A.")
    member_client, coordinator_client = client_for(member), client_for(coordinator)
    url = proposal_url(proposal)
    small = (_count(member_client, url), _count(coordinator_client, url))
    for i in range(20):
        author = voters[i % len(voters)]
        services.add_comment(proposal, author, f"Comment {i}")
        services.propose_amendment(proposal, author, kind="add", paragraph=i % 3, text=f"Add {i}.")
    large = (_count(member_client, url), _count(coordinator_client, url))
    assert large == small
    assert small[0] <= 12, small


@pytest.mark.django_db
def test_the_proposal_page_in_voting_costs_the_same_with_many_votes(
    member, other_member, voters, coordinator, proposal_factory
):
    def voting_proposal(amendments: int) -> Proposal:
        proposal = proposal_factory("discussion")
        for i in range(amendments):
            services.propose_amendment(
                proposal, voters[i % 5], kind="add", paragraph=0, text=f"{i}."
            )
        now = timezone.now()
        voting.start_voting(
            proposal,
            by=coordinator,
            amendments_close_at=now + timedelta(days=1),
            closes_at=now + timedelta(days=3),
        )
        return proposal

    client = client_for(member)
    one, ten = voting_proposal(1), voting_proposal(10)
    assert _count(client, proposal_url(one)) == _count(client, proposal_url(ten))
    assert page(client.get(proposal_url(ten))).count("Cast your ballot") == 10
