"""The demo decisions (seed_demo): the three items issue 8 asks for, and idempotent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from solidar.accounts import demo as account_demo
from solidar.accounts.models import User
from solidar.core.models import AuditEvent
from solidar.decisions import demo, demo_texts, voting
from solidar.decisions.models import (
    Amendment,
    Ballot,
    Comment,
    Delegate,
    Elector,
    Participation,
    Proposal,
    Resolution,
    ResolutionTranslation,
    Support,
    Vote,
)
from solidar.events import demo as events_demo
from solidar.network import demo as network_demo
from solidar.network.models import Membership
from solidar.publishing import demo as publishing_demo
from solidar.publishing.tests.test_demo import SEED_SHINGLES, shingles


def seed() -> None:
    # The demo modules decisions needs, in seed_demo's order.
    account_demo.seed()
    network_demo.seed()
    publishing_demo.seed()
    events_demo.seed()
    demo.seed()


def rows() -> dict[str, object]:
    return {
        "proposals": list(Proposal.objects.order_by("pk").values_list("pk", "status", "version")),
        "amendments": list(Amendment.objects.order_by("pk").values_list("pk", "status")),
        "votes": list(
            Vote.objects.order_by("pk").values_list("pk", "status", "ballot_count", "closes_at")
        ),
        "ballots": Ballot.objects.count(),
        "electors": Elector.objects.count(),
        "participations": Participation.objects.count(),
        "supports": Support.objects.count(),
        "comments": Comment.objects.count(),
        "delegates": list(Delegate.objects.order_by("pk").values_list("user_id", "weight")),
        "resolutions": list(
            Resolution.objects.values_list("pk", "number", "version", "published_page_id")
        ),
        "pages": Page.objects.count(),
        "translations": ResolutionTranslation.objects.count(),
        "joined": list(Membership.objects.order_by("pk").values_list("pk", "joined_at")),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the module, inside a transaction rolled back at its end; each test
    runs in a savepoint of it (``db``)."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_once, db):
    return None


def test_seeding_twice_changes_nothing(seeded):
    first = rows()

    seed()

    assert rows() == first
    assert len(first["proposals"]) == 2
    assert len(first["votes"]) == 3


def test_the_forum_adopted_its_resolution_by_secret_ballot(seeded):
    body = demo.forum_body()
    resolution = Resolution.objects.select_related("proposal", "vote").get(body=body)
    proposal = resolution.proposal

    assert resolution.number == "2024/1"
    assert resolution.adopted_on == date(2024, 11, 3)
    assert resolution.language == "en"
    assert len(resolution.decisions) == 3
    assert "democratic methods" in resolution.decisions[1]  # the adopted amendment
    assert proposal.status == Proposal.Status.ADOPTED
    assert proposal.version == 2
    assert proposal.comments.count() == len(demo.FORUM_COMMENTS)
    # Delegates with weights by cell size; only they were on the roll.
    assert body.delegates.count() == 7
    assert sum(body.delegates.values_list("weight", flat=True)) == 21
    (amendment,) = proposal.amendments.all()
    assert amendment.status == Amendment.Status.ADOPTED
    amendment_vote, main_vote = amendment.vote, resolution.vote
    for vote in (amendment_vote, main_vote):
        assert vote.status == Vote.Status.CLOSED and vote.secret
        assert vote.electorate_count == 7 and vote.electorate_weight == 21
        assert vote.ballot_count == 7 == vote.ballots.count()
        assert not vote.ballots.filter(voter__isnull=False).exists()
        assert vote.closed_at.date() == date(2024, 11, 3)
        assert voting.recount(vote)
    assert amendment_vote.result["totals"] == {"yes": 16, "no": 2, "abstain": 3}
    assert main_vote.result["totals"] == {"yes": 19, "no": 0, "abstain": 2}
    assert main_vote.result["passed"] and main_vote.threshold == Vote.Threshold.TWO_THIRDS
    assert amendment_vote.closes_at < main_vote.closes_at


def test_the_resolution_is_translated_into_german_russian_and_ukrainian(seeded):
    resolution = Resolution.objects.get(body=demo.forum_body())

    translations = {t.language: t for t in resolution.translations.all()}

    assert set(translations) == {"de", "ru", "uk"}
    for translation in translations.values():
        assert translation.version == resolution.version
        assert len(translation.decisions) == 3
        assert translation.title != resolution.title
    assert "Köln" in translations["de"].decisions[2]
    assert "Кёльне" in translations["ru"].decisions[2]
    assert "Кельні" in translations["uk"].decisions[2]


def test_the_resolution_is_not_published_twice(seeded):
    """The publishing demo has the forum's resolution as a statement page already."""
    assert Resolution.objects.get(body=demo.forum_body()).published_page_id is None


def test_the_texts_are_the_demos_own_not_the_seeds(seeded):
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from strings(item)

    texts = [
        text
        for name in dir(demo_texts)
        if name.isupper()
        for text in strings(getattr(demo_texts, name))
    ]

    assert len(texts) > 20
    for text in texts:
        assert not shingles(text) & SEED_SHINGLES, text


def test_an_open_koeln_proposal_in_discussion(seeded):
    proposal = Proposal.objects.get(body=demo.cell_body(), title=demo.CELL_TITLE)

    assert proposal.status == Proposal.Status.DISCUSSION
    assert proposal.language == "ru"
    assert proposal.discussion_ends_at > timezone.now()
    assert proposal.support_count == 2 == proposal.supporters_needed
    assert set(proposal.authors.values_list("user__username", flat=True)) == {"lena", "sasha"}
    assert proposal.created_at < proposal.submitted_at < timezone.now()
    comments = list(proposal.comments.all())
    assert len(comments) == 4
    assert all(c.created_at < timezone.now() for c in comments)
    texts = " ".join(c.text for c in comments)
    assert "Поддерживаю" in texts and "запропонував" in texts and "Einladung" in texts
    (amendment,) = proposal.amendments.all()
    assert amendment.status == Amendment.Status.PROPOSED
    assert amendment.author.username == "taras"
    assert not proposal.votes.exists()


def test_an_stv_election_in_progress_lena_may_still_vote(seeded):
    vote = Vote.objects.get(body=demo.election_body(), title=demo.ELECTION_TITLE)
    lena = User.objects.get(username="lena")

    assert vote.method == Vote.Method.STV and vote.seats == 2 and vote.secret
    assert vote.status == Vote.Status.OPEN
    assert vote.opens_at < timezone.now() < vote.closes_at
    assert vote.closes_at - timezone.now() < timedelta(days=4)
    assert vote.options.count() == 5
    assert all(option.candidate_id for option in vote.options.all())
    assert 0 < vote.ballot_count == vote.ballots.count() < vote.electorate_count
    assert vote.ballot_count == len(demo.ELECTION_BALLOTS)
    assert not vote.result  # nothing counted before it closes
    assert voting.may_vote(vote, lena)
    assert not voting.may_vote(vote, User.objects.get(username="olga"))  # has voted
    # Lena's ballot goes through the service like the form's.
    first = vote.options.first()
    assert voting.cast(vote, lena, {first.pk: "1"})
    assert voting.has_voted(vote, lena)


def test_demo_logins_are_past_the_cooling_off_period(seeded):
    cutoff = timezone.now() - timedelta(days=14)
    logins = [username for username, *_rest in account_demo.DEMO_USERS]

    recent = Membership.objects.filter(
        user__username__in=logins, ended_at__isnull=True, joined_at__gt=cutoff
    )

    assert not recent.exists()
    assert Membership.objects.filter(user__username="lena", ended_at__isnull=True).exists()


def test_the_summary_says_what_to_try(seeded):
    lines = demo.summary()

    assert any("2024/1" in line for line in lines)
    assert any("lena" in line and "STV" in line for line in lines)
