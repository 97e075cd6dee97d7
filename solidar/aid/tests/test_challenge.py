"""The intake's anti-spam challenge (challenge.py): proof of work with JavaScript, a wait
without it; one use per token; forged and expired tokens refused; fast to check."""

from __future__ import annotations

import hashlib
import time

import pytest
from django.core import signing

from solidar.aid import challenge
from solidar.aid.challenge import Outcome

NOW = 1_800_000_000


@pytest.fixture
def hard(settings):
    """A wait that matters and enough bits that a guess does not solve it by chance."""
    settings.SOLIDAR_AID_CHALLENGE_BITS = 12
    settings.SOLIDAR_AID_CHALLENGE_WAIT_SECONDS = 30
    return settings


def test_token_is_signed_random_and_names_its_bits(hard):
    first, second = challenge.issue(now=NOW), challenge.issue(now=NOW)
    assert first != second
    assert first.isascii() and len(first) < 120
    body = signing.Signer(salt=challenge.SALT).unsign(first)
    challenge_id, issued, bits = body.split(".")
    assert len(bytes.fromhex(challenge_id)) == 16
    assert (int(issued), int(bits)) == (NOW, 12)


def test_a_solved_token_passes_at_once(hard):
    token = challenge.issue(now=NOW)
    nonce = challenge.solve(token)
    digest = hashlib.sha256(f"{token}:{nonce}".encode()).digest()
    assert challenge.leading_zero_bits(digest) >= 12
    result = challenge.check(token, nonce, now=NOW + 1)
    assert result.passed and result.solved


def test_a_wrong_nonce_falls_back_to_the_wait(hard):
    token = challenge.issue(now=NOW)
    nonce = challenge.solve(token)
    wrong = next(str(n) for n in range(10**6) if not challenge.solves(token, str(n), 12))
    early = challenge.check(token, wrong, now=NOW + 5)
    assert early.outcome is Outcome.TOO_EARLY and early.wait_seconds == 25
    assert challenge.check(token, nonce + "x", now=NOW + 5).outcome is Outcome.TOO_EARLY
    late = challenge.check(token, wrong, now=NOW + 30)
    assert late.passed and not late.solved


def test_without_javascript_the_wait_decides(hard):
    token = challenge.issue(now=NOW)
    assert challenge.check(token, "", now=NOW + 29).wait_seconds == 1
    assert challenge.check(token, "", now=NOW + 30).passed


def test_each_token_is_good_for_one_form(hard):
    token = challenge.issue(now=NOW)
    result = challenge.check(token, challenge.solve(token), now=NOW)
    assert challenge.spend(result) is True
    again = challenge.check(token, challenge.solve(token), now=NOW + 1)
    assert again.outcome is Outcome.USED and again.needs_new_token
    assert challenge.spend(result) is False  # the same form sent twice at once


def test_a_refused_check_spends_nothing(hard):
    token = challenge.issue(now=NOW)
    early = challenge.check(token, "", now=NOW)
    assert challenge.spend(early) is False
    assert challenge.check(token, "", now=NOW + 30).passed


def test_expired_and_future_tokens_are_invalid(hard):
    token = challenge.issue(now=NOW)
    nonce = challenge.solve(token)
    assert challenge.check(token, nonce, now=NOW + challenge.MAX_AGE).passed
    expired = challenge.check(token, nonce, now=NOW + challenge.MAX_AGE + 1)
    assert expired.outcome is Outcome.INVALID and expired.needs_new_token
    assert challenge.check(token, nonce, now=NOW - 3600).outcome is Outcome.INVALID


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: "",
        lambda t: "nonsense",
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature altered
        lambda t: t.replace(".12:", ".0:"),  # fewer bits, same signature
        lambda t: signing.Signer(salt="another.salt").sign(t.split(":")[0]),
        lambda t: t + "é",
        lambda t: t * 5,
    ],
)
def test_forged_tokens_are_invalid(hard, forge):
    token = forge(challenge.issue(now=NOW))
    assert challenge.check(token, "0", now=NOW + 3600).outcome is Outcome.INVALID


def test_no_bits_and_no_wait_pass_anything_genuine(settings):
    settings.SOLIDAR_AID_CHALLENGE_BITS = 0
    settings.SOLIDAR_AID_CHALLENGE_WAIT_SECONDS = 0
    token = challenge.issue()
    assert challenge.check(token, "").passed
    assert challenge.check("forged", "").outcome is Outcome.INVALID


def test_checking_takes_well_under_a_millisecond(settings):
    settings.SOLIDAR_AID_CHALLENGE_BITS = 18
    token = challenge.issue()
    nonce = challenge.solve(token)
    rounds = 2000
    began = time.perf_counter()
    for _ in range(rounds):
        assert challenge.check(token, nonce).passed
    each = (time.perf_counter() - began) / rounds
    print(f"challenge.check: {each * 1e6:.1f} µs")
    assert each < 0.001
