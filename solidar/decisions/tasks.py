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
