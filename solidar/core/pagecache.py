"""A page cache for anonymous readers: the public site survives a rush (or a DDoS).

Only anonymous GETs are cached, per language and path, and only responses that set no
cookie and carry no messages. Signed-in readers always get a fresh, private page.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.utils.translation import get_language

_PREFIX = "solidar:page:"


def _key(request) -> str:
    return f"{_PREFIX}{get_language()}:{request.get_full_path()}"


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
