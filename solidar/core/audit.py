"""The audit log: who did what to which object, and when. Never an IP address."""

from __future__ import annotations

from typing import Any

from django.db import models

from solidar.core.models import AuditEvent


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    **data: Any,
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it records."""
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_label = str(getattr(actor, "display_name", "") or actor.get_username())[:150]
    object_type = object_id = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    return AuditEvent.objects.create(
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=data,
    )
