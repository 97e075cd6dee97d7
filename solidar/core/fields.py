"""EncryptedTextField: a text column that only ever holds AES-GCM ciphertext.

The plaintext lives on the model instance; the database sees ``v1$<key id>$...``
bound to the table, the row's primary key and the field name. The primary key must
therefore be known before the first save: models with encrypted fields use a UUID
primary key with a default (a system check enforces it), which also keeps their URLs
unguessable.
"""

from __future__ import annotations

from django.apps import apps
from django.core import checks
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from solidar.core import crypto


class Sealed(str):
    """A ciphertext as read from or written to the database."""


class _EncryptedAttribute(DeferredAttribute):
    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if instance is None or not isinstance(value, Sealed):
            return value
        plaintext = self.field.decrypt_for(instance, value)
        instance.__dict__[self.field.attname] = plaintext
        return plaintext

    def __set__(self, instance, value):
        # A data descriptor: without __set__ the value in instance.__dict__ would shadow
        # __get__, and loaded rows would show their ciphertext instead of decrypting.
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    descriptor_class = _EncryptedAttribute

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def _binding(self, instance) -> dict[str, str]:
        return {"table": self.model._meta.db_table, "row": str(instance.pk), "field": self.name}

    def decrypt_for(self, instance, value: str) -> str:
        return self.decrypt_row(instance.pk, value)

    def decrypt_row(self, pk, value: str) -> str:
        """The plaintext of ``value`` read with ``values()``/``values_list()`` (which give
        the ciphertext): it needs the row's primary key, which the caller selected too."""
        if value is None or value == "":
            return value
        return crypto.decrypt(value, table=self.model._meta.db_table, row=str(pk), field=self.name)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return Sealed(value)

    def pre_save(self, model_instance, add):
        plaintext = getattr(model_instance, self.attname)
        if plaintext is None or plaintext == "":
            return plaintext
        if isinstance(plaintext, Sealed):
            return plaintext
        return Sealed(crypto.encrypt(str(plaintext), **self._binding(model_instance)))

    def get_prep_value(self, value):
        if value is None or value == "" or isinstance(value, Sealed):
            return value
        raise TypeError(
            f"{self.model.__name__}.{self.name} is encrypted: it cannot be compared with "
            "plaintext in a query or written with update()."
        )

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        pk = self.model._meta.pk
        if pk is not None and not pk.has_default():
            errors.append(
                checks.Error(
                    "Models with encrypted fields need a primary key with a default "
                    "(a UUIDField(default=uuid.uuid4)), so a row's binding is known "
                    "before it is saved.",
                    obj=self,
                    id="solidar.E010",
                )
            )
        return errors


def encrypted_fields() -> list[EncryptedTextField]:
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]


def rotate(*, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every value not under the current key. Returns counts per field."""
    current = crypto.key_ring().current_id
    counts: dict[str, int] = {}
    for field in encrypted_fields():
        model = field.model
        label = f"{model._meta.label}.{field.name}"
        counts[label] = 0
        rows = (
            model._base_manager.exclude(**{field.attname: ""})
            .exclude(**{f"{field.attname}__isnull": True})
            .values_list("pk", field.attname)
            .iterator(chunk_size=batch_size)
        )
        for pk, sealed in rows:
            if crypto.key_id_of(sealed) == current:
                continue
            binding = {"table": model._meta.db_table, "row": str(pk), "field": field.name}
            fresh = crypto.encrypt(crypto.decrypt(sealed, **binding), **binding)
            model._base_manager.filter(pk=pk).update(**{field.attname: Sealed(fresh)})
            counts[label] += 1
    if apps.is_installed("allauth.mfa"):
        counts["mfa.Authenticator.data"] = _rotate_mfa_secrets(current, batch_size)
    return counts


# Where allauth keeps what its MFA adapter encrypts (solidar.accounts.adapter.MFAAdapter):
# the TOTP secret, the recovery-code seed, and recovery codes migrated from older versions.
_MFA_SECRET_KEYS = ("secret", "seed")
_MFA_SECRET_LISTS = ("migrated_codes",)


def _rotate_mfa_secrets(current: str, batch_size: int) -> int:
    """Re-encrypt allauth's MFA secrets under the current key (sealing any plaintext ones).

    The MFA adapter owns their binding, so it decrypts and encrypts them here too.
    """
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    adapter = get_adapter()

    def stale(value) -> bool:
        if not isinstance(value, str) or not value:
            return False
        try:
            return crypto.key_id_of(value) != current
        except crypto.DecryptionError:
            return True  # stored before encryption was switched on: seal it now

    count = 0
    rows = Authenticator.objects.values_list("pk", "data").iterator(chunk_size=batch_size)
    for pk, data in rows:
        if not isinstance(data, dict):
            continue
        changed = False
        for key in _MFA_SECRET_KEYS:
            if stale(data.get(key)):
                data[key] = adapter.encrypt(adapter.decrypt(data[key]))
                changed = True
        for key in _MFA_SECRET_LISTS:
            values = data.get(key)
            if isinstance(values, list) and any(stale(v) for v in values):
                data[key] = [adapter.encrypt(adapter.decrypt(v)) for v in values]
                changed = True
        if changed:
            Authenticator.objects.filter(pk=pk).update(data=data)
            count += 1
    return count
