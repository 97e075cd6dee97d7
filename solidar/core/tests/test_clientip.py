"""Rate-limit keys: a daily keyed pseudonym of the address, never the address (THREATS 13)."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.test import RequestFactory, override_settings

from solidar.core.clientip import client_address, pseudonymous_address

DAY_ONE = datetime(2026, 11, 20, 0, 0, 5, tzinfo=UTC)
DAY_ONE_LATER = datetime(2026, 11, 20, 23, 59, 50, tzinfo=UTC)
DAY_TWO = datetime(2026, 11, 21, 0, 0, 5, tzinfo=UTC)


def request_from(address: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def pseudonym(address: str, at: datetime, forwarded: str | None = None) -> str:
    with mock.patch("solidar.core.clientip.timezone.now", return_value=at):
        return pseudonymous_address(request_from(address, forwarded))


def test_stable_within_a_day():
    assert pseudonym("203.0.113.77", DAY_ONE) == pseudonym("203.0.113.77", DAY_ONE_LATER)


def test_differs_between_addresses():
    names = {pseudonym(f"203.0.113.{n}", DAY_ONE) for n in range(50)}
    names.add(pseudonym("2001:db8::1", DAY_ONE))
    assert len(names) == 51


def test_differs_across_days():
    assert pseudonym("203.0.113.77", DAY_ONE) != pseudonym("203.0.113.77", DAY_TWO)


def test_depends_on_the_secret_key():
    first = pseudonym("203.0.113.77", DAY_ONE)
    with override_settings(SECRET_KEY="another-secret-key-" + "y" * 50):
        assert pseudonym("203.0.113.77", DAY_ONE) != first


@pytest.mark.parametrize("address", ["203.0.113.77", "2001:db8:85a3::8a2e:370:7334", "::1"])
def test_is_a_unique_local_ipv6_address_without_the_original(address):
    name = pseudonym(address, DAY_ONE)
    parsed = ipaddress.IPv6Address(name)
    assert parsed in ipaddress.IPv6Network("fd00::/8")
    assert address not in name
    assert ipaddress.ip_address(address).packed not in parsed.packed


def test_proxy_count_zero_ignores_forwarded_for():
    request = request_from("10.0.0.1", forwarded="198.51.100.9")
    assert client_address(request) == "10.0.0.1"


@override_settings(SOLIDAR_PROXY_COUNT=1)
def test_proxy_count_one_takes_the_last_forwarded_address():
    # The client may put anything in front; our proxy appends the address it saw.
    request = request_from("10.0.0.1", forwarded="1.2.3.4, 198.51.100.9")
    assert client_address(request) == "198.51.100.9"
    assert pseudonym("10.0.0.1", DAY_ONE, forwarded="1.2.3.4, 198.51.100.9") == pseudonym(
        "10.0.0.2", DAY_ONE, forwarded="198.51.100.9"
    )


@override_settings(SOLIDAR_PROXY_COUNT=2)
def test_proxy_count_two_skips_our_own_proxy():
    request = request_from("10.0.0.1", forwarded="1.2.3.4, 198.51.100.9, 10.0.0.5")
    assert client_address(request) == "198.51.100.9"


@override_settings(SOLIDAR_PROXY_COUNT=2)
def test_too_few_forwarded_addresses_fall_back_to_the_peer():
    assert client_address(request_from("10.0.0.1", forwarded="198.51.100.9")) == "10.0.0.1"
    assert client_address(request_from("10.0.0.1")) == "10.0.0.1"


def test_no_address_at_all():
    request = RequestFactory().get("/", REMOTE_ADDR="")
    assert client_address(request) == "unknown"
    with mock.patch("solidar.core.clientip.timezone.now", return_value=DAY_ONE):
        assert ipaddress.IPv6Address(pseudonymous_address(request))
