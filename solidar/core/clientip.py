"""The client's address, turned into a pseudonym before anything can keep it.

Solidar never stores or logs an IP address. Rate limits still need to tell clients
apart, so :func:`pseudonymous_address` maps the address through a keyed hash that
changes every day to an address in the unique-local range ``fd00::/8``. Only the
cache holds it, and only for a rate-limit window; the key never leaves the process.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    """The connecting address, honouring SOLIDAR_PROXY_COUNT trusted proxies."""
    count = settings.SOLIDAR_PROXY_COUNT
    if count:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _daily_key() -> bytes:
    day = timezone.now().strftime("%Y-%m-%d")
    return hashlib.sha256(f"solidar-client-pseudonym:{settings.SECRET_KEY}:{day}".encode()).digest()


def pseudonymous_address(request: HttpRequest) -> str:
    """A stable-for-one-day IPv6 pseudonym of the client; never the address itself."""
    digest = hmac.new(_daily_key(), client_address(request).encode(), hashlib.sha256).digest()
    # The distinguishing bits sit in the first 64 bits: rate limiters group IPv6 by /64.
    return str(ipaddress.IPv6Address(b"\xfd" + digest[:15]))
