"""Background tasks of the core: e-mail delivery and housekeeping."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskContext, task

logger = logging.getLogger(__name__)

EMAIL_MAX_ATTEMPTS = 6


def is_temporary_failure(error: OSError) -> bool:
    """Whether an SMTP delivery error is worth another try later.

    smtplib's errors are OSErrors too, so they are told apart by their reply codes:
    4xx is temporary, 5xx is final. A lost or refused connection is temporary.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    return not isinstance(error, smtplib.SMTPException)


@task(queue_name="email", takes_context=True)
def deliver_email(context: TaskContext, payload: dict[str, Any], attempt: int = 1) -> int:
    """Send one rendered message. Temporary SMTP failures are retried with backoff."""
    from solidar.core.emails import payload_to_message

    msg = payload_to_message(payload)
    try:
        return msg.send()
    except OSError as exc:  # includes every smtplib error
        error = exc
    if not is_temporary_failure(error) or attempt >= EMAIL_MAX_ATTEMPTS:
        logger.error(
            "e-mail delivery failed for good after %d attempts: %s", attempt, type(error).__name__
        )
        raise error
    delay = timedelta(minutes=2 ** (attempt - 1))
    logger.warning("e-mail delivery failed (%s); retrying in %s", type(error).__name__, delay)
    retry = deliver_email
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + delay)
    # (A backend that cannot defer, like the immediate one, retries at once.)
    retry.enqueue(payload, attempt + 1)
    return 0


@task()
def clear_expired_sessions() -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(expire_date__lt=timezone.now()).delete()


@task()
def prune_task_results() -> int:
    """Finished task results hold e-mail payloads: keep them only briefly."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=settings.SOLIDAR_TASK_RESULT_RETENTION_DAYS)
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    return deleted
