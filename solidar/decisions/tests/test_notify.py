"""The e-mails of decisions: a vote opened, a reminder before it closes, the result out.

Each in the recipient's language (the link's language prefix says which), neutral: no body,
no vote title, nothing of the proposal. Delivered through the task queue to Django's
test outbox, as every other app's mails.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from solidar.decisions import notify, voting
from solidar.decisions.models import Vote

pytestmark = pytest.mark.django_db

# What would tell a mail server, or whoever reads the phone, where someone organises.
TELLTALE = re.compile(
    r"cell|network|k[öo]ln|paris|campaign|strike|rider|solidarity|fund|proposal|amendment",
    re.IGNORECASE,
)


def links(message) -> list[str]:
    return re.findall(r"https?://[^\s<>\"]+", message.body)


def assert_neutral(message) -> None:
    assert not TELLTALE.search(message.subject), message.subject
    text = re.sub(r"https?://[^\s<>\"]+", "", message.body)  # the link names only a number
    assert not TELLTALE.search(text), message.body


def by_address() -> dict:
    return {m.to[0]: m for m in mail.outbox}


def in_language(language: str, text: str) -> str:
    """``text`` as the catalogue of ``language`` has it (a subject as its reader sees it)."""
    with translation.override(language):
        return gettext(text)


@pytest.fixture
def roll(coordinator, member, other_member, voters, newcomer):
    """Everyone on koeln's roll; the member reads Russian, a voter German, one has no
    address; the newcomer is too new to be on it."""
    member.language = "ru"
    member.save(update_fields=["language"])
    voters[0].language = "de"
    voters[0].save(update_fields=["language"])
    voters[4].email = ""
    voters[4].save(update_fields=["email"])
    return [coordinator, member, other_member, *voters]


def test_everyone_on_the_roll_hears_that_a_vote_opened_in_their_language(
    roll, open_vote_factory, member, voters, newcomer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vote = open_vote_factory(title="Support the riders' strike in Köln?")

    mails = by_address()
    assert set(mails) == {u.email for u in roll if u.email}  # not the newcomer, nor no address
    assert newcomer.email not in mails
    for message in mail.outbox:
        assert_neutral(message)
    assert mails[voters[1].email].subject == "A vote has opened for you"
    russian = in_language("ru", "A vote has opened for you")
    assert mails[member.email].subject == russian != "A vote has opened for you"
    assert urlsplit(links(mails[member.email])[0]).path == f"/ru/decisions/votes/{vote.pk}/"
    assert urlsplit(links(mails[voters[0].email])[0]).path == f"/de/decisions/votes/{vote.pk}/"
    assert urlsplit(links(mails[voters[1].email])[0]).path == f"/en/decisions/votes/{vote.pk}/"
    closes = date_format(timezone.localtime(vote.closes_at), "DATETIME_FORMAT")
    assert f"It closes on {closes}" in mails[voters[1].email].body


def test_notify_vote_opened_returns_the_number_sent(roll, open_vote_factory):
    vote = open_vote_factory()
    assert notify.vote_opened(vote.pk) == len(roll) - 1  # one has no address
    assert notify.vote_opened(vote.pk + 1000) == 0


def test_a_proposals_votes_opening_together_make_one_mail(
    roll, proposal_factory, member, coordinator, django_capture_on_commit_callbacks
):
    from solidar.decisions import services

    proposal = proposal_factory("discussion")
    services.propose_amendment(
        proposal, member, kind="replace", paragraph=1, text="A new first decision."
    )
    services.propose_amendment(proposal, member, kind="add", paragraph=3, text="One more.")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        opened = voting.start_voting(
            proposal,
            by=coordinator,
            closes_at=now + timedelta(days=5),
            amendments_close_at=now + timedelta(days=2),
        )

    assert len(opened) == 2
    mails = by_address()
    assert len(mail.outbox) == len(mails) == len(roll) - 1  # one each, not one per vote
    message = mails[member.email]
    english = "Votes have opened for you"
    assert message.subject == in_language("ru", english) != english
    assert urlsplit(links(message)[0]).path == f"/ru/decisions/proposals/{proposal.pk}/"
    assert_neutral(message)


def test_a_reminder_goes_to_those_who_have_not_voted(
    roll, open_vote_factory, member, other_member, voters, django_capture_on_commit_callbacks
):
    vote = open_vote_factory()
    voting.cast(vote, other_member, "yes")
    voting.cast(vote, voters[1], "no")
    later = vote.closes_at - timedelta(hours=3)

    with django_capture_on_commit_callbacks(execute=True):
        sent = notify.send_reminders(now=later)

    mails = by_address()
    assert sent == len(mails) == len(roll) - 3  # two voted, one has no address
    assert other_member.email not in mails
    assert voters[1].email not in mails
    message = mails[member.email]
    english = "A vote closes soon"
    assert message.subject == in_language("ru", english) != english
    assert urlsplit(links(message)[0]).path == f"/ru/decisions/votes/{vote.pk}/"
    assert_neutral(message)
    vote.refresh_from_db()
    assert vote.reminded_at == later


def test_a_reminder_is_sent_once(roll, open_vote_factory, django_capture_on_commit_callbacks):
    vote = open_vote_factory()
    later = vote.closes_at - timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify.send_reminders(now=later)
        second = notify.send_reminders(now=later + timedelta(minutes=15))
    assert first > 0
    assert second == 0
    assert len(mail.outbox) == first


def test_no_reminder_too_early_after_closing_or_just_after_opening(roll, open_vote_factory):
    vote = open_vote_factory()
    assert notify.send_reminders(now=vote.closes_at - timedelta(hours=30)) == 0  # too early
    assert notify.send_reminders(now=vote.closes_at + timedelta(minutes=1)) == 0  # too late
    short = open_vote_factory(title="Short", closes_at=timezone.now() + timedelta(hours=20))
    assert notify.send_reminders() == 0  # it opened a moment ago: the opening mail is fresh
    short.refresh_from_db()
    assert short.reminded_at is None
    assert mail.outbox == []


def test_results_are_announced_to_the_roll(
    roll, open_vote_factory, member, django_capture_on_commit_callbacks
):
    vote = open_vote_factory()
    voting.cast(vote, member, "yes")
    with django_capture_on_commit_callbacks(execute=True):
        voting.close(vote, now=vote.closes_at + timedelta(seconds=1))

    mails = by_address()
    assert len(mails) == len(roll) - 1
    message = mails[member.email]
    english = "The result of a vote is out"
    assert message.subject == in_language("ru", english) != english
    assert urlsplit(links(message)[0]).path == f"/ru/decisions/votes/{vote.pk}/results/"
    assert_neutral(message)


def test_an_amendments_result_is_not_announced(roll, proposal_factory, member, coordinator):
    from solidar.decisions import services

    proposal = proposal_factory("discussion")
    services.propose_amendment(proposal, member, kind="add", paragraph=3, text="One more.")
    now = timezone.now()
    [amendment_vote] = voting.start_voting(
        proposal,
        by=coordinator,
        closes_at=now + timedelta(days=5),
        amendments_close_at=now + timedelta(days=2),
    )
    voting.close(amendment_vote, now=amendment_vote.closes_at + timedelta(seconds=1))
    assert notify.vote_closed(amendment_vote.pk) == 0
    assert notify.vote_closed(amendment_vote.pk + 1000) == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite locks the whole file: no real overlap"
)
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_send_each_reminder_once(roll, open_vote_factory):
    """Two workers run the reminders at the same moment: one sends, the other finds the
    vote claimed."""
    vote = open_vote_factory()
    later = vote.closes_at - timedelta(hours=3)
    mail.outbox.clear()  # the opening mails (the commits here are real)
    results = []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(notify.send_reminders(now=later))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results)[0] == 0
    assert sum(results) == len(mail.outbox) == len(roll) - 1
    assert Vote.objects.get(pk=vote.pk).reminded_at == later
    assert reverse("decisions:vote", args=[vote.pk]) in mail.outbox[0].body
