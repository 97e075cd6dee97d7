"""Rate limits without keeping anybody's address: fixed windows counted in the cache,
keyed by a keyed hash (``clientip.pseudonymous_address``, or any digest the caller
gives, such as a keyed hash of an e-mail address). Nothing is written to the database.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from solidar.core.clientip import pseudonymous_address


def exceeded(request, action: str, *, limit: int, seconds: int, key: str | None = None) -> bool:
    """Count one attempt at ``action`` by this client (or by ``key``); True once more than
    ``limit`` attempts fell into the current window of ``seconds``. Off with
    ``SOLIDAR_RATE_LIMITS=0`` (``ACCOUNT_RATE_LIMITS_ENABLED``)."""
    if not settings.ACCOUNT_RATE_LIMITS_ENABLED:
        return False
    who = key if key is not None else pseudonymous_address(request)
    window = int(timezone.now().timestamp()) // seconds
    digest = hashlib.sha256(f"{action}:{who}".encode()).hexdigest()[:32]
    cache_key = f"solidar:rate:{action}:{window}:{digest}"
    cache.add(cache_key, 0, timeout=seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=seconds + 5)
        count = 1
    return count > limit
