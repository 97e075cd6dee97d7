"""The e-mails of decisions, each in the recipient's language, queued after commit.

Neutral on purpose (THREATS): a mail server, or whoever holds a seized phone, must not
learn from them which cell or assembly someone belongs to, nor what it decides. So no
body, no vote title, no proposal text: that a vote is open for you and when it closes, and
a link (carrying only the vote's number) to sign in and read the rest. As the network's
mails do (``network.services._notify_coordinators``).

- ``vote_opened``: everyone on the roll. The votes of one proposal that open together
  (its amendments) make one mail, sent for the first of them, with a link to the proposal.
- ``send_reminders`` (every quarter of an hour): about a day before a vote closes, to
  those on the roll who have not voted; once per vote, whichever worker gets there first.
- ``vote_closed``: "the result is out", to everyone on the roll; not for an amendment's
  vote (the proposal's own vote follows it, with its own mail).

Templates: ``templates/decisions/email/<name>_{subject,message}.txt``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from solidar.core import emails
from solidar.decisions.models import Elector, Participation, Vote

# A reminder goes out once a vote closes within this window...
REMINDER_WINDOW = timedelta(hours=24)
# ...unless it opened less than this long ago (the opening mail is still fresh).
REMINDER_QUIET = timedelta(hours=12)


def _link(language: str, name: str, pk: int) -> str:
    with translation.override(language):
        return settings.SOLIDAR_SITE_URL + reverse(name, args=[pk])


def _recipients(vote: Vote, *, not_voted: bool = False):
    users = get_user_model().objects.filter(
        pk__in=Elector.objects.filter(vote=vote).values("user_id"), is_active=True
    )
    if not_voted:
        users = users.exclude(pk__in=Participation.objects.filter(vote=vote).values("user_id"))
    return users.exclude(email="").only("email", "language").order_by("pk")


def _send(template: str, users, link: tuple[str, int], **context) -> int:
    sent = 0
    for user in users.iterator(chunk_size=500):
        language = user.language or settings.LANGUAGE_CODE
        emails.send_templated(
            f"decisions/email/{template}",
            user.email,
            {"url": _link(language, *link), **context},
            language,
        )
        sent += 1
    return sent


def vote_opened(vote_id: int) -> int:
    """Tell everyone on the roll that a vote (or a proposal's votes) opened for them."""
    vote = Vote.objects.filter(pk=vote_id, status=Vote.Status.OPEN).first()
    if vote is None:
        return 0
    together = [vote]
    if vote.proposal_id:
        together = list(
            Vote.objects.filter(
                proposal_id=vote.proposal_id, status=Vote.Status.OPEN, opens_at=vote.opens_at
            ).order_by("pk")
        )
        if together and together[0].pk != vote.pk:
            return 0  # the first of them tells about all
    if len(together) > 1:
        link = ("decisions:proposal", vote.proposal_id)
    else:
        link = ("decisions:vote", vote.pk)
    return _send(
        "vote_opened",
        _recipients(vote),
        link,
        count=len(together),
        closes_at=min(v.closes_at for v in together),
    )


def send_reminders(now: datetime | None = None) -> int:
    """A reminder to those who have not voted, about a day before a vote closes. Each vote
    is claimed with a conditional update in the transaction that queues its mails, so two
    schedulers never both send. Returns the number of mails."""
    now = now or timezone.now()
    due = Vote.objects.filter(
        status=Vote.Status.OPEN,
        reminded_at__isnull=True,
        closes_at__gt=now,
        closes_at__lte=now + REMINDER_WINDOW,
        opens_at__lte=now - REMINDER_QUIET,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Vote.objects.filter(
                pk=pk, status=Vote.Status.OPEN, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue  # another worker was first, or the vote closed meanwhile
            vote = Vote.objects.get(pk=pk)
            sent += _send(
                "reminder",
                _recipients(vote, not_voted=True),
                ("decisions:vote", vote.pk),
                closes_at=vote.closes_at,
            )
    return sent


def vote_closed(vote_id: int) -> int:
    """Tell everyone on the roll that the result is out (not for an amendment's vote)."""
    vote = Vote.objects.filter(pk=vote_id, status=Vote.Status.CLOSED).first()
    if vote is None or vote.amendment_id:
        return 0
    return _send("results", _recipients(vote), ("decisions:results", vote.pk))
