"""The audit log: append-only, names actor/action/object, never an IP address."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from solidar.accounts.tests.factories import UserFactory
from solidar.core import audit
from solidar.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_record_writes_actor_action_object_and_data():
    actor = UserFactory(display_name="Coordinator Ira")
    subject = UserFactory()
    event = audit.record(actor, "account.deactivated", subject, reason="spam")

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id == actor.pk
    assert stored.actor_label == "Coordinator Ira"
    assert stored.action == "account.deactivated"
    assert stored.object_type == "accounts.user"
    assert stored.object_id == str(subject.pk)
    assert stored.data == {"reason": "spam"}
    assert stored.created_at is not None


def test_record_without_actor_or_object():
    event = audit.record(None, "crypto.keys_rotated")
    assert (event.actor_id, event.actor_label, event.object_type, event.object_id) == (
        None,
        "",
        "",
        "",
    )


def test_no_field_can_hold_an_address():
    names = {field.name for field in AuditEvent._meta.get_fields()}
    assert names == {
        "id",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "data",
        "created_at",
    }
    assert not [name for name in names if "ip" in name.split("_") or "addr" in name]
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), AuditEvent._meta.db_table
        )
    }
    assert not [c for c in columns if "ip" in c.split("_") or "addr" in c or "agent" in c]


def test_orm_refuses_updates_and_deletes():
    event = audit.record(None, "something.happened")
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    event.action = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "something.happened"


def test_raw_sql_update_is_refused_by_the_database():
    event = audit.record(None, "something.happened")
    table = AuditEvent._meta.db_table
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"UPDATE {table} SET action = %s WHERE id = %s",  # noqa: S608 - fixed names
            ["rewritten", event.pk],
        )
    assert AuditEvent.objects.get(pk=event.pk).action == "something.happened"


def test_event_survives_deletion_of_the_actor():
    actor = UserFactory(display_name="Gone Soon")
    actor_pk = actor.pk
    event = audit.record(actor, "account.profile_changed", actor)
    actor.delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id == actor_pk
    assert stored.object_id == str(actor_pk)
