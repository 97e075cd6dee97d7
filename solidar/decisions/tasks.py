"""Background tasks of decisions."""

from __future__ import annotations

from django_tasks import task


@task()
def close_due_votes() -> int:
    """Every minute: close and count the votes past their closing time."""
    from solidar.decisions import voting

    return voting.close_due()


@task()
def remind_voters() -> int:
    """Every quarter of an hour: a reminder to those who have not voted, about a day
    before a vote closes."""
    from solidar.decisions import notify

    return notify.send_reminders()


@task()
def tell_vote_opened(vote_id: int) -> int:
    """The e-mails for a vote that opened, from the worker (a roll of thousands would
    keep the coordinator's request waiting)."""
    from solidar.decisions import notify

    return notify.vote_opened(vote_id)


@task()
def tell_vote_closed(vote_id: int) -> int:
    """The e-mails for a vote that closed, from the worker."""
    from solidar.decisions import notify

    return notify.vote_closed(vote_id)
