"""Field encryption: AES-256-GCM under keys from the environment, never from SECRET_KEY.

``SOLIDAR_DATA_KEYS`` is a key ring, ``id:key,id:key,...`` with each key 32 random bytes
in URL-safe base64. The first key encrypts; every key in the ring can decrypt. To rotate:
put a new key first, run ``manage.py rotate_keys``, then drop the old key.

Each ciphertext names its key id and is bound (as AES-GCM associated data) to the table,
row and field it belongs to, so a value copied into another row or column fails to
decrypt instead of showing up where it does not belong.

Stored form: ``v1$<key id>$<base64url(nonce || ciphertext+tag)>``.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import os
import re
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class KeyRingError(ValueError):
    """The key ring in the environment is missing or malformed."""


class DecryptionError(ValueError):
    """A ciphertext is damaged, was moved, or its key is no longer in the ring."""


@dataclasses.dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes]
    # One cipher per key, built with the ring (which is itself cached per setting value).
    ciphers: dict[str, AESGCM] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ciphers = {key_id: AESGCM(key) for key_id, key in self.keys.items()}
        object.__setattr__(self, "ciphers", ciphers)


def parse_key_ring(text: str) -> KeyRing:
    entries = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not entries:
        raise KeyRingError("no key configured")
    keys: dict[str, bytes] = {}
    order = []
    for entry in entries:
        key_id, sep, encoded = entry.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise KeyRingError("each entry must look like id:base64key (id: letters, digits, _ -)")
        if key_id in keys:
            raise KeyRingError(f"key id {key_id!r} appears twice")
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError) as exc:
            raise KeyRingError(f"key {key_id!r} is not valid base64") from exc
        if len(raw) != 32:
            raise KeyRingError(f"key {key_id!r} must be 32 bytes, not {len(raw)}")
        keys[key_id] = raw
        order.append(key_id)
    return KeyRing(current_id=order[0], keys=keys)


@lru_cache(maxsize=4)
def _cached_ring(text: str) -> KeyRing:
    return parse_key_ring(text)


def key_ring() -> KeyRing:
    return _cached_ring(settings.SOLIDAR_DATA_KEYS)


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def associated_data(table: str, row: str, field: str) -> bytes:
    return f"solidar/{table}/{row}/{field}".encode()


def encrypt(plaintext: str, *, table: str, row: str, field: str) -> str:
    ring = key_ring()
    nonce = os.urandom(12)
    sealed = ring.ciphers[ring.current_id].encrypt(
        nonce, plaintext.encode("utf-8"), associated_data(table, row, field)
    )
    token = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{PREFIX}${ring.current_id}${token}"


def _parts(ciphertext: str) -> tuple[str, str]:
    """(key id, token) of a Solidar ciphertext."""
    parts = ciphertext.split("$")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DecryptionError("not a Solidar ciphertext")
    return parts[1], parts[2]


def key_id_of(ciphertext: str) -> str:
    return _parts(ciphertext)[0]


def decrypt(ciphertext: str, *, table: str, row: str, field: str) -> str:
    key_id, token = _parts(ciphertext)
    cipher = key_ring().ciphers.get(key_id)
    if cipher is None:
        raise DecryptionError(f"key {key_id!r} is not in SOLIDAR_DATA_KEYS")
    try:
        blob = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        plaintext = cipher.decrypt(blob[:12], blob[12:], associated_data(table, row, field))
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise DecryptionError("ciphertext does not belong here or was altered") from exc
    return plaintext.decode("utf-8")
