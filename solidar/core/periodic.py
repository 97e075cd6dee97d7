"""Periodic jobs: a tiny scheduler that enqueues tasks on the regular task queue.

Jobs are declared in ``settings.SOLIDAR_PERIODIC_JOBS`` as ``name: (task path, interval)``.
Each tick claims due jobs under a row lock, so several schedulers (one per machine) never
enqueue the same run twice.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from solidar.core.models import PeriodicJob

logger = logging.getLogger(__name__)


def jobs() -> dict[str, tuple[str, timedelta]]:
    return dict(settings.SOLIDAR_PERIODIC_JOBS)


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every job that is due; return the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for name, (task_path, interval) in jobs().items():
        with contextlib.suppress(IntegrityError):  # another scheduler created it first
            PeriodicJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
        with transaction.atomic():
            job = PeriodicJob.objects.select_for_update().get(name=name)
            if job.next_run_at > now:
                continue
            import_string(task_path).enqueue()
            job.last_enqueued_at = now
            job.next_run_at = now + interval
            job.save(update_fields=["last_enqueued_at", "next_run_at"])
        enqueued.append(name)
        logger.info("periodic job %s enqueued", name)
    return enqueued
