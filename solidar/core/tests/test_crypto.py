"""Field encryption (THREATS 11): AES-GCM under keys from the environment, bound to
table, row and field, with a rotation command."""

from __future__ import annotations

import base64
import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import override_settings
from django.test.utils import isolate_apps

from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.core import checks, crypto
from solidar.core.fields import EncryptedTextField
from solidar.core.models import AuditEvent
from solidar.core.testing import totp_now
from solidar.core.tests.crypto_app.models import Secret

PLAINTEXT = "Signal: @lena_warsaw, lives at Marszałkowska 12"


def fixed_key(fill: bytes) -> str:
    # Fixed, not random: parametrized test ids must be the same in every xdist worker.
    return base64.urlsafe_b64encode(fill * 32).decode().rstrip("=")


OLD = f"old:{fixed_key(b'o')}"
NEW = f"new:{fixed_key(b'n')}"


def raw_column(label: str, column: str = "note") -> str:
    table = Secret._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE label = %s",  # noqa: S608 - fixed names
            [label],
        )
        (value,) = cursor.fetchone()
    return value


def set_raw_column(label: str, value: str, column: str = "note") -> None:
    table = Secret._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s WHERE label = %s",  # noqa: S608 - fixed names
            [value, label],
        )


# --- the key ring ---------------------------------------------------------------------------


def test_key_ring_first_key_encrypts_and_all_decrypt():
    ring = crypto.parse_key_ring(f"{NEW}, {OLD}")
    assert ring.current_id == "new"
    assert set(ring.keys) == {"new", "old"}
    assert all(len(key) == 32 for key in ring.keys.values())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no key"),
        (" , ", "no key"),
        ("k1:***not-base64***", "base64"),
        ("k1:" + base64.urlsafe_b64encode(b"x" * 16).decode(), "32 bytes"),
        ("k1:" + base64.urlsafe_b64encode(b"x" * 33).decode(), "32 bytes"),
        (f"{NEW},{NEW}", "twice"),
        ("just-a-key-without-id", "id:base64key"),
        ("bad id!:" + base64.urlsafe_b64encode(b"x" * 32).decode(), "id:base64key"),
    ],
)
def test_key_ring_errors(text, message):
    with pytest.raises(crypto.KeyRingError, match=message):
        crypto.parse_key_ring(text)


def test_generated_key_is_accepted_by_the_ring():
    assert len(crypto.parse_key_ring(f"k:{crypto.generate_key()}").keys["k"]) == 32


def test_system_check_reports_a_bad_key_ring():
    with override_settings(SOLIDAR_DATA_KEYS="k1:tooshort"):
        errors = checks.data_keys_check(None)
    assert [error.id for error in errors] == ["solidar.E001"]
    assert "32 bytes" in errors[0].msg
    assert checks.data_keys_check(None) == []


def test_system_check_runs_with_manage_py_check():
    from django.core.management.base import SystemCheckError

    with override_settings(SOLIDAR_DATA_KEYS=""), pytest.raises(SystemCheckError, match="E001"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


# --- encrypt / decrypt ----------------------------------------------------------------------

BINDING = {"table": "t", "row": "1", "field": "f"}


def test_encrypt_decrypt_round_trip_and_format():
    sealed = crypto.encrypt(PLAINTEXT, **BINDING)
    prefix, key_id, token = sealed.split("$")
    assert (prefix, key_id) == ("v1", crypto.key_ring().current_id)
    assert PLAINTEXT not in sealed
    assert crypto.decrypt(sealed, **BINDING) == PLAINTEXT
    # A fresh nonce each time: equal plaintexts do not give equal ciphertexts.
    assert crypto.encrypt(PLAINTEXT, **BINDING) != sealed


@pytest.mark.parametrize("other", [{"table": "u"}, {"row": "2"}, {"field": "g"}])
def test_ciphertext_is_bound_to_table_row_and_field(other):
    sealed = crypto.encrypt(PLAINTEXT, **BINDING)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(sealed, **{**BINDING, **other})


def test_tampered_ciphertext_fails():
    sealed = crypto.encrypt(PLAINTEXT, **BINDING)
    prefix, key_id, token = sealed.split("$")
    middle = len(token) // 2
    flipped = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    for broken in (f"{prefix}${key_id}${flipped}", sealed[:-4], f"{prefix}${key_id}$"):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(broken, **BINDING)
    with pytest.raises(crypto.DecryptionError, match="not a Solidar ciphertext"):
        crypto.decrypt(PLAINTEXT, **BINDING)


def test_unknown_key_id_fails():
    with override_settings(SOLIDAR_DATA_KEYS=OLD):
        sealed = crypto.encrypt(PLAINTEXT, **BINDING)
    with (
        override_settings(SOLIDAR_DATA_KEYS=NEW),
        pytest.raises(crypto.DecryptionError, match="old"),
    ):
        crypto.decrypt(sealed, **BINDING)


# --- the model field ------------------------------------------------------------------------


@pytest.mark.django_db
def test_field_round_trip_and_column_holds_only_ciphertext():
    secret = Secret.objects.create(label="a", note=PLAINTEXT, other="")
    stored = raw_column("a")
    assert stored.startswith(f"v1${crypto.key_ring().current_id}$")
    assert PLAINTEXT not in stored
    assert "lena" not in stored
    assert raw_column("a", "other") == ""
    assert secret.note == PLAINTEXT  # the instance keeps the plaintext
    fresh = Secret.objects.get(pk=secret.pk)
    assert fresh.note == PLAINTEXT
    assert fresh.other == ""

    fresh.note = "changed"
    fresh.save()
    assert Secret.objects.get(pk=secret.pk).note == "changed"
    assert "changed" not in raw_column("a")


@pytest.mark.django_db
def test_ciphertext_copied_to_another_row_fails():
    Secret.objects.create(label="a", note=PLAINTEXT)
    victim = Secret.objects.create(label="b", note="harmless")
    set_raw_column("b", raw_column("a"))
    with pytest.raises(crypto.DecryptionError):
        _ = Secret.objects.get(pk=victim.pk).note


@pytest.mark.django_db
def test_ciphertext_copied_to_another_field_fails():
    secret = Secret.objects.create(label="a", note=PLAINTEXT, other="x")
    set_raw_column("a", raw_column("a", "note"), column="other")
    loaded = Secret.objects.get(pk=secret.pk)
    assert loaded.note == PLAINTEXT
    with pytest.raises(crypto.DecryptionError):
        _ = loaded.other


@pytest.mark.django_db
def test_tampered_column_fails():
    secret = Secret.objects.create(label="a", note=PLAINTEXT)
    stored = raw_column("a")
    set_raw_column("a", stored[:-2] + ("AA" if not stored.endswith("AA") else "BB"))
    with pytest.raises(crypto.DecryptionError):
        _ = Secret.objects.get(pk=secret.pk).note


@pytest.mark.django_db
def test_querying_with_plaintext_raises():
    Secret.objects.create(label="a", note=PLAINTEXT)
    with pytest.raises(TypeError, match="encrypted"):
        list(Secret.objects.filter(note=PLAINTEXT))
    with pytest.raises(TypeError, match="encrypted"), transaction.atomic():
        Secret.objects.filter(label="a").update(note="overwritten")
    assert Secret.objects.get(label="a").note == PLAINTEXT


@isolate_apps("solidar.core.tests.crypto_app")
def test_models_with_encrypted_fields_need_a_pk_default():
    class NoDefaultPk(models.Model):
        note = EncryptedTextField()

        def __str__(self) -> str:
            return "x"

    errors = NoDefaultPk._meta.get_field("note").check()
    assert "solidar.E010" in [error.id for error in errors]
    assert Secret._meta.get_field("note").check() == []


# --- rotation -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rotate_keys_reencrypts_under_the_new_key_and_is_audited():
    with override_settings(SOLIDAR_DATA_KEYS=OLD):
        Secret.objects.create(label="a", note=PLAINTEXT, other="second")
        Secret.objects.create(label="b", note="another secret")
        Secret.objects.create(label="empty", note="")
    assert raw_column("a").startswith("v1$old$")

    out = io.StringIO()
    with override_settings(SOLIDAR_DATA_KEYS=f"{NEW},{OLD}"):
        call_command("rotate_keys", stdout=out)
        # A second run finds nothing left to do.
        again = io.StringIO()
        call_command("rotate_keys", stdout=again)
    assert "crypto_app.Secret.note: 2 re-encrypted" in out.getvalue()
    assert "crypto_app.Secret.other: 1 re-encrypted" in out.getvalue()
    assert "crypto_app.Secret.note: 0 re-encrypted" in again.getvalue()
    assert raw_column("a").startswith("v1$new$")
    assert raw_column("a", "other").startswith("v1$new$")
    assert raw_column("empty") == ""

    with override_settings(SOLIDAR_DATA_KEYS=NEW):
        assert Secret.objects.get(label="a").note == PLAINTEXT
        assert Secret.objects.get(label="a").other == "second"
        assert Secret.objects.get(label="b").note == "another secret"

    events = list(AuditEvent.objects.filter(action="crypto.keys_rotated").order_by("id"))
    assert len(events) == 2
    assert events[0].data["key_id"] == "new"
    assert events[0].data["counts"]["crypto_app.Secret.note"] == 2
    assert events[0].actor_id is None


def test_rotate_keys_new_key_prints_a_valid_key():
    out = io.StringIO()
    call_command("rotate_keys", "--new-key", stdout=out)
    key = out.getvalue().strip()
    ring = crypto.parse_key_ring(f"k9:{key}")
    assert len(ring.keys["k9"]) == 32
    call_command("rotate_keys", "--new-key", stdout=(second := io.StringIO()))
    assert second.getvalue().strip() != key


# --- allauth's MFA secrets ------------------------------------------------------------------


def raw_authenticator_rows(user) -> list[str]:
    table = Authenticator._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {table} WHERE user_id = %s",  # noqa: S608 - fixed names
            [user.pk],
        )
        return [" ".join(str(value) for value in row) for row in cursor.fetchall()]


@pytest.mark.django_db
def test_totp_secret_is_stored_encrypted():
    user = UserFactory()
    secret = add_totp(user)
    rows = raw_authenticator_rows(user)
    assert len(rows) == 1
    assert secret not in rows[0]
    assert secret.lower() not in rows[0].lower()
    stored = Authenticator.objects.get(user=user).data["secret"]
    assert stored.startswith("v1$")
    # ... and allauth still checks codes against it.
    assert TOTP(Authenticator.objects.get(user=user)).validate_code(totp_now(secret))


@pytest.mark.django_db
def test_recovery_code_seed_is_stored_encrypted():
    user = UserFactory()
    add_totp(user)
    codes = RecoveryCodes.activate(user)
    seed = codes.instance.data["seed"]
    assert seed.startswith("v1$")
    plain_seed = crypto.decrypt(seed, table="mfa_authenticator", row="-", field="secret")
    assert all(plain_seed not in row for row in raw_authenticator_rows(user))


@pytest.mark.django_db
def test_rotate_keys_reencrypts_mfa_secrets():
    user = UserFactory()
    with override_settings(SOLIDAR_DATA_KEYS=OLD):
        secret = add_totp(user)
        codes = RecoveryCodes.activate(user).generate_codes()
    assert Authenticator.objects.get(user=user, type="totp").data["secret"].startswith("v1$old$")

    with override_settings(SOLIDAR_DATA_KEYS=f"{NEW},{OLD}"):
        out = io.StringIO()
        call_command("rotate_keys", stdout=out)
    assert "mfa.Authenticator.data: 2 re-encrypted" in out.getvalue()

    with override_settings(SOLIDAR_DATA_KEYS=NEW):
        totp = Authenticator.objects.get(user=user, type="totp")
        assert totp.data["secret"].startswith("v1$new$")
        assert TOTP(totp).validate_code(totp_now(secret))
        recovery = Authenticator.objects.get(user=user, type="recovery_codes")
        assert recovery.data["seed"].startswith("v1$new$")
        assert RecoveryCodes(recovery).generate_codes() == codes


@pytest.mark.django_db
def test_rotate_keys_seals_mfa_secrets_stored_in_plaintext():
    user = UserFactory()
    Authenticator.objects.create(user=user, type="totp", data={"secret": "JBSWY3DPEHPK3PXP"})
    call_command("rotate_keys", stdout=io.StringIO())
    stored = Authenticator.objects.get(user=user).data["secret"]
    assert stored.startswith(f"v1${crypto.key_ring().current_id}$")
    assert all("JBSWY3DPEHPK3PXP" not in row for row in raw_authenticator_rows(user))
