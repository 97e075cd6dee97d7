"""What every aid page shares: private answers, the handler's team, the unlocked keys."""

from __future__ import annotations

from functools import wraps

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from solidar.aid import keys as aidkeys


def private(response, request=None):
    """Never cached anywhere, and no Referer to any link: intake and case pages."""
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    response["Referrer-Policy"] = "no-referrer"
    if request is not None:
        request.solidar_private = True  # PrivateCacheMiddleware agrees
    return response


def private_view(view):
    """``private`` on every answer of the view (also its error pages)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.solidar_private = True
        return private(view(request, *args, **kwargs), request)

    return wrapper


def unlock_redirect(request, next_url: str | None = None):
    """To the unlock page, and back to ``next_url`` (by default this page) afterwards."""
    back = next_url or request.get_full_path()
    return redirect(f"{reverse('aid:unlock')}?{urlencode({'next': back})}")


def team_keys(request, team) -> aidkeys.TeamKeys | None:
    """The team's keys unlocked in this session, or None."""
    return aidkeys.held(request, team)
