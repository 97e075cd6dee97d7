"""A page cache for anonymous readers: the public site survives a rush (or a DDoS).

Only anonymous GETs are cached, per language and path, and only responses that set no
cookie and carry no messages. Signed-in readers always get a fresh, private page.
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.utils.translation import get_language

_PREFIX = "solidar:page:"
_GENERATION = "solidar:page-generation"


def _key(request) -> str:
    # The generation is part of every key: invalidate() retires all cached pages at once,
    # on every server sharing the cache, without knowing which paths were cached.
    # Hashed: a long search URL would make a key over memcached's 250 characters.
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"{_PREFIX}{_generation()}:{get_language()}:{path}"


def _generation() -> int:
    generation = cache.get(_GENERATION)
    if generation is None:
        # Missing (first start, or evicted): a new value from the clock, so that pages
        # cached under any earlier generation can never be read again.
        cache.add(_GENERATION, time.time_ns(), timeout=None)
        generation = cache.get(_GENERATION)
    return generation


def generation() -> int:
    """The current generation: a key part for fragments that must be forgotten with the
    cached pages (``{% cache ... generation %}``)."""
    return _generation()


def invalidate() -> None:
    """Forget every cached public page (after a publish, an unpublish, a move, a deletion).

    Old entries are not deleted, only never read again; they expire on their own."""
    try:
        cache.incr(_GENERATION)
    except ValueError:  # not set (or evicted): a new value from the clock retires them too
        cache.set(_GENERATION, time.time_ns(), timeout=None)


def cache_for_anonymous(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS
        if request.user.is_authenticated or request.method != "GET" or not seconds:
            return view(request, *args, **kwargs)
        # Pending messages must be shown (and consumed), so such a request is not cached.
        if len(get_messages(request)) == 0:
            cached = cache.get(_key(request))
            if cached is not None:
                return cached
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        # A page that rendered a CSRF token belongs to one visitor: the cookie that goes
        # with it is only added later, by CsrfViewMiddleware, so check the request.
        used_csrf = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
        if (
            response.status_code == 200
            and not response.cookies
            and not request.session.modified
            and not used_csrf
        ):
            response["Cache-Control"] = f"public, max-age={min(seconds, 60)}"
            cache.set(_key(request), response, seconds)
        return response

    return wrapper
