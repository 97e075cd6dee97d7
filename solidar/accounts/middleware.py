from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.utils.translation import gettext as _

from solidar.accounts.mfa import may_use_privileged_pages, mfa_setup_redirect
from solidar.accounts.rules import is_privileged

# How often the "last seen" stamp in the session is refreshed (a session write).
_REFRESH_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    """Ends sessions left idle: 12 h for members, 1 h for privileged roles (settings).

    The role is looked up when the stamp is refreshed, at most once a minute, so a
    signed-in page view usually costs no extra query and no session write.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_seen = session.get("last_seen")
            # A stamp without its timeout (older sessions) is judged by the role now.
            timeout = session.get("idle_timeout") or self.timeout_for(user)
            if last_seen is not None and now - last_seen > timeout:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
            elif last_seen is None or now - last_seen >= _REFRESH_SECONDS:
                timeout = self.timeout_for(user)
                session["last_seen"] = now
                session["idle_timeout"] = timeout
                session.set_expiry(timeout)
        return self.get_response(request)

    @staticmethod
    def timeout_for(user) -> int:
        if is_privileged(user):
            return settings.SOLIDAR_SESSION_IDLE_PRIVILEGED
        return settings.SOLIDAR_SESSION_IDLE_MEMBER


class PrivilegedAreaMFAMiddleware:
    """Wagtail's and Django's admins are privileged pages: no MFA, no entry."""

    PREFIXES = ("/cms/", "/django-admin/")

    @staticmethod
    def _may_enter(user, path: str) -> bool:
        if path.startswith("/cms/"):
            return user.has_perm("wagtailadmin.access_admin")
        return user.is_active and user.is_staff

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.PREFIXES):
            user = request.user
            if user.is_authenticated and is_privileged(user) and not may_use_privileged_pages(user):
                return mfa_setup_redirect(request)
            if user.is_authenticated and not self._may_enter(user, request.path):
                # Nothing there for them: a 404, not the admin's login page (which sends a
                # signed-in person straight back here, in a loop).
                raise Http404
        return self.get_response(request)
