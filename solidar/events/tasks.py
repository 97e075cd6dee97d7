"""Background tasks of events: the waiting list, reminders and retention."""

from __future__ import annotations

from django_tasks import task

from solidar.events import services


@task()
def promote_waiting(event_id: str) -> int:
    """Offer freed places to the queue. Idempotent (see services.promote)."""
    return services.promote(event_id)


@task()
def expire_offers() -> int:
    """Every few minutes: lapsed offers go to the next person in line."""
    return services.expire_offers()


@task()
def send_reminders() -> int:
    """Every hour: a reminder with the calendar file about a day before each event."""
    return services.send_reminders()


@task()
def purge_personal_data() -> int:
    """Daily: guests' data N days after the event (THREATS 15)."""
    return services.purge_personal_data()
