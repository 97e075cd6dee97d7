"""The intake's anti-spam challenge: no third party, and it works with JavaScript off.

Every intake form carries a **token** signed with the site's secret (its own salt): a
random 128-bit id, the time it was issued and the difficulty in bits
(``SOLIDAR_AID_CHALLENGE_BITS``). The form is accepted when either

- **with JavaScript**, ``static/aid/challenge.js`` found a ``nonce`` such that
  SHA-256(token + ":" + nonce) starts with at least that many zero bits (about
  2**bits hashes in the browser, none on the server but one), or
- **without**, the token is at least ``SOLIDAR_AID_CHALLENGE_WAIT_SECONDS`` old: a person
  writing about what happened to them takes longer than that anyway.

Each token is good for one accepted form (its id is remembered in the cache until the
token expires, ``MAX_AGE``) and for ``MAX_AGE`` at most. ``check`` is one HMAC and one
SHA-256 (microseconds); ``spend`` is one cache write. Nothing here knows who the client is.
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

SALT = "solidar.aid.challenge"
MAX_AGE = 2 * 60 * 60  # seconds a token is good for
_USED = "solidar:aid:challenge-used:"
_NONCE = re.compile(r"[0-9]{1,20}")
_TOKEN_MAX = 200


class Outcome(enum.Enum):
    PASSED = "passed"
    TOO_EARLY = "too_early"  # no (good) nonce, and the wait is not over yet
    INVALID = "invalid"  # forged, damaged, expired or missing: a new token is needed
    USED = "used"  # accepted once already: a new token is needed


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    challenge_id: str = ""
    wait_seconds: int = 0  # left to wait, for TOO_EARLY
    solved: bool = False  # passed by proof of work (not by waiting)

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED

    @property
    def needs_new_token(self) -> bool:
        return self.outcome in (Outcome.INVALID, Outcome.USED)


def _now(now: float | None) -> int:
    return int(time.time() if now is None else now)


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def issue(*, now: float | None = None, bits: int | None = None) -> str:
    """A new token: ``<id>.<issued>.<bits>:<signature>`` (ASCII, about 90 characters)."""
    bits = settings.SOLIDAR_AID_CHALLENGE_BITS if bits is None else bits
    return _signer().sign(f"{secrets.token_hex(16)}.{_now(now)}.{int(bits)}")


def leading_zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def solves(token: str, nonce: str, bits: int) -> bool:
    digest = hashlib.sha256(f"{token}:{nonce}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def solve(token: str, *, bits: int | None = None) -> str:
    """The first nonce that solves ``token`` (for tests and the benchmark; the browser
    does this in ``challenge.js``)."""
    if bits is None:
        bits = _parse(token)[2]
    nonce = 0
    while not solves(token, str(nonce), bits):
        nonce += 1
    return str(nonce)


def _parse(token: str) -> tuple[str, int, int]:
    """(id, issued, bits) of a genuine token; ``signing.BadSignature`` or ``ValueError``
    for anything else."""
    if not token or len(token) > _TOKEN_MAX or not token.isascii():
        raise ValueError("no token")
    value = _signer().unsign(token)
    challenge_id, issued, bits = value.split(".")
    return challenge_id, int(issued), int(bits)


def check(token: str, nonce: str = "", *, now: float | None = None) -> Result:
    """Whether the form may pass, without spending the token (see ``spend``)."""
    try:
        challenge_id, issued, bits = _parse(token or "")
    except (signing.BadSignature, ValueError):
        return Result(Outcome.INVALID)
    current = _now(now)
    if current - issued > MAX_AGE or issued - current > 60:  # expired, or from the future
        return Result(Outcome.INVALID)
    if cache.get(_USED + challenge_id) is not None:
        return Result(Outcome.USED, challenge_id)
    nonce = (nonce or "").strip()
    if nonce and _NONCE.fullmatch(nonce) and solves(token, nonce, bits):
        return Result(Outcome.PASSED, challenge_id, solved=True)
    left = issued + settings.SOLIDAR_AID_CHALLENGE_WAIT_SECONDS - current
    if left > 0:
        return Result(Outcome.TOO_EARLY, challenge_id, wait_seconds=left)
    return Result(Outcome.PASSED, challenge_id)


def spend(result: Result) -> bool:
    """Mark the challenge used. False when another request spent it first (the same
    form sent twice at once): that one counts, this one does not."""
    if not result.passed:
        return False
    return cache.add(_USED + result.challenge_id, 1, timeout=MAX_AGE + 60)
