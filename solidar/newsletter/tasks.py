"""Background tasks of the newsletter's readers' side."""

from __future__ import annotations

from django_tasks import task

from solidar.newsletter import services


@task()
def purge_unconfirmed() -> int:
    """Hourly: sign-ups not confirmed within SOLIDAR_NEWSLETTER_CONFIRM_DAYS are deleted
    (THREATS 15)."""
    return services.purge_unconfirmed()
