"""Background tasks of the public site."""

from __future__ import annotations

import io

from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled() -> None:
    """Publish what editors scheduled (``go_live_at``) and unpublish what expired
    (``expire_at``): Wagtail's ``publish_scheduled`` command, every minute
    (``SOLIDAR_PERIODIC_JOBS``). Publishing forgets the cached pages (wagtail_hooks)."""
    call_command("publish_scheduled", stdout=io.StringIO())
