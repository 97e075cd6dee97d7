from __future__ import annotations

import re

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

_LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class SecurityHeadersMiddleware:
    """Headers Django does not set itself; the admins get a CSP that allows their styles."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.SOLIDAR_PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.setdefault("X-Permitted-Cross-Domain-Policies", "none")
        return response


class AdminCSPMiddleware:
    """Wagtail's and Django's admins still use inline styles: allow those, and only there.

    Scripts stay 'self' only everywhere. Must sit after csp.middleware.CSPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.SOLIDAR_ADMIN_CSP_PREFIXES):
            response._csp_update = {"style-src": ["'unsafe-inline'"], "img-src": ["blob:"]}
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Language from the URL prefix, then the account's setting, then the browser.

    Sits after AuthenticationMiddleware so the account's choice is known.
    """

    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        if not language:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.language in _LANGUAGE_CODES:
                language = user.language
        if not language:
            language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if response.status_code == 404 and request.method not in ("GET", "HEAD"):
            # Django would answer a 404 outside the language prefix with a redirect into it
            # when that path resolves (the page tree takes every path). For a POST (a mail
            # program's one-click unsubscribe, an e-mail service's webhook) a redirect is
            # wrong: it turns into a GET. The 404 stays a 404.
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


class PrivateCacheMiddleware:
    """Nothing personal in any cache: no-store for signed-in pages and account forms.

    Logging out also asks the browser to clear what it holds for this site.
    """

    # Account pages, and the admins: forms with tokens, never to be cached anywhere.
    PRIVATE_PATHS = re.compile(r"^/(?:[a-z]{2}/)?(?:accounts?|cms|django-admin)/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        private = (
            request.user.is_authenticated
            or getattr(request, "solidar_logged_out", False)
            or getattr(request, "solidar_private", False)
            or self.PRIVATE_PATHS.match(request.path) is not None
            or settings.SESSION_COOKIE_NAME in response.cookies
        )
        if private:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
            patch_vary_headers(response, ["Cookie"])
        if getattr(request, "solidar_logged_out", False):
            response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
