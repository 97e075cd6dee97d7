"""Codenames: how a person without an account comes back to their help request.

A codename is ``SOLIDAR_AID_CODENAME_WORDS`` (at least 7) words drawn with ``secrets``
from the EFF's large word list (7,776 words, four with a hyphen left out: 7,772), so at
least 7 x 12.9 = 90 bits. It is shown once and never stored: the database keeps only a
slow salted hash of it, and it cannot be reset.

``derive(codename)`` stretches the normalised codename with argon2id (salt and key from
``SOLIDAR_AID_CODENAME_KEY``, which lives in the environment, not the database) into 64
bytes: the first half, keyed once more with HMAC, is the lookup hash stored with the case;
the second half is the requester's private key (X25519), whose public half seals their
copy of the conversation. Typing is forgiving: case, extra spaces, dashes or dots between
the words do not matter.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from nacl import pwhash
from nacl.public import PrivateKey

WORDLIST = Path(__file__).parent / "wordlist" / "eff_large_wordlist.txt"
_WORD = re.compile(r"[a-z]+")


@cache
def words() -> tuple[str, ...]:
    listed = WORDLIST.read_text(encoding="utf-8").split()
    return tuple(word for word in listed if _WORD.fullmatch(word))


def generate() -> str:
    pool = words()
    return " ".join(secrets.choice(pool) for _ in range(settings.SOLIDAR_AID_CODENAME_WORDS))


def normalise(text: str) -> str:
    """The words of a typed codename, lower case, one space apart."""
    return " ".join(_WORD.findall((text or "").lower()))


def looks_valid(text: str) -> bool:
    """Enough words, every one from the list (a typo is caught before the slow hash)."""
    typed = normalise(text).split()
    known = set(words())
    return len(typed) >= settings.SOLIDAR_AID_CODENAME_WORDS and all(w in known for w in typed)


@dataclass(frozen=True)
class Derived:
    lookup_hash: str
    private_key: PrivateKey

    @property
    def public_key(self) -> bytes:
        return bytes(self.private_key.public_key)


def _key() -> bytes:
    return settings.SOLIDAR_AID_CODENAME_KEY.encode()


def derive(codename: str) -> Derived:
    salt = hashlib.sha256(b"solidar.aid.codename.salt:" + _key()).digest()[
        : pwhash.argon2id.SALTBYTES
    ]
    stretched = pwhash.argon2id.kdf(
        64,
        normalise(codename).encode(),
        salt,
        opslimit=settings.SOLIDAR_AID_CODENAME_OPSLIMIT,
        memlimit=settings.SOLIDAR_AID_CODENAME_MEMLIMIT,
    )
    lookup = hmac.new(_key(), b"lookup:" + stretched[:32], hashlib.sha256).hexdigest()
    return Derived(lookup, PrivateKey(stretched[32:]))
