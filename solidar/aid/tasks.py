"""Background tasks of mutual aid."""

from __future__ import annotations

from django_tasks import task


@task()
def purge() -> dict:
    """Every six hours: closed cases past SOLIDAR_AID_RETENTION_DAYS keep only their
    statistics fields; expired offers are deleted (THREATS 15)."""
    from solidar.aid import retention

    return retention.purge()
