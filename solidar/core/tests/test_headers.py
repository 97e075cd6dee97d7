"""Security headers, private caching and session cookies (THREATS 4, 19, 22)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory, override_settings

from solidar.conftest import client_for
from solidar.core.pagecache import cache_for_anonymous
from solidar.core.testing import assert_max_queries

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/en/", "/de/", "/en/accounts/login/", "/en/accounts/signup/"]
ANONYMOUS_PRIVATE_PAGES = [
    "/en/accounts/login/",
    "/en/accounts/signup/",
    "/en/accounts/password/reset/",
]
SIGNED_IN_PAGES = [
    "/en/",
    "/de/",
    "/en/account/",
    "/en/account/export/",
    "/en/accounts/email/",
    "/en/accounts/password/change/",
    "/en/accounts/2fa/",
    "/en/accounts/sessions/",
    "/en/no-such-page/",
]
# Neither sends anything to another origin. "no-referrer" would be stricter, but under it
# browsers send "Origin: null" with form POSTs, which Django's CSRF check refuses.
REFERRER_POLICIES = {"no-referrer", "same-origin"}


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response):
    url = response.wsgi_request.get_full_path()
    csp = csp_directives(response)
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src, url
    assert "'unsafe-inline'" not in script_src, url
    assert "'unsafe-eval'" not in script_src, url
    assert not [source for source in script_src if source.startswith(("http", "*", "data:"))]
    assert csp["frame-ancestors"] == ["'none'"], url
    assert csp["object-src"] == ["'none'"], url
    assert csp["base-uri"] == ["'none'"], url
    assert csp["default-src"] == ["'self'"], url
    assert response.headers["Referrer-Policy"] in REFERRER_POLICIES, url
    assert response.headers["X-Content-Type-Options"] == "nosniff", url
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert "camera=()" in response.headers["Permissions-Policy"], url
    assert "geolocation=()" in response.headers["Permissions-Policy"], url
    assert response.headers["X-Frame-Options"] == "DENY", url


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_send_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("url", ["/healthz", "/robots.txt", "/en/no-such-page/"])
def test_other_responses_send_security_headers(client, url):
    assert_security_headers(client.get(url))


def test_signed_in_pages_send_security_headers_and_no_store(member):
    client = client_for(member)
    for url in SIGNED_IN_PAGES:
        response = client.get(url)
        assert response.status_code in {200, 302, 404}, url
        assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store", url
        assert "Cookie" in response.headers["Vary"], url


@pytest.mark.parametrize("url", ANONYMOUS_PRIVATE_PAGES)
def test_account_forms_are_never_cached(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_in_production_profile():
    with override_settings(SECURE_HSTS_SECONDS=63072000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True):
        response = Client().get("/en/", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"


# --- login and logout -----------------------------------------------------------------------


def test_login_rotates_the_session_and_sets_safe_cookies(client, member, password):
    anonymous = SessionStore()
    anonymous["seen"] = True
    anonymous.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = anonymous.session_key

    response = client.post("/en/accounts/login/", {"login": member.username, "password": password})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie.value != anonymous.session_key
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not Session.objects.filter(session_key=anonymous.session_key).exists()
    assert client.get("/en/account/").status_code == 200


def test_logout_post_clears_site_data(member):
    client = client_for(member)
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/en/account/").status_code == 302  # signed out for real


def test_only_logout_clears_site_data(client, member):
    assert "Clear-Site-Data" not in client.get("/en/").headers
    assert "Clear-Site-Data" not in client_for(member).get("/en/account/").headers


# --- the anonymous page cache ---------------------------------------------------------------


SIGN_OUT = 'action="/en/accounts/logout/"'


def test_anonymous_home_is_served_from_the_page_cache(client):
    first = client.get("/en/")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert not first.cookies
    # Measured: a cached page costs no query at all.
    with assert_max_queries(0):
        second = client.get("/en/")
    assert second.status_code == 200
    assert second.content == first.content
    assert_security_headers(second)


def test_signed_in_reader_never_gets_the_cached_page(client, member):
    client.get("/en/")  # primes the cache
    signed_in = client_for(member)
    response = signed_in.get("/en/")
    assert response.status_code == 200
    assert SIGN_OUT in response.content.decode()
    assert response.headers["Cache-Control"] == "no-store"
    # ... and their page did not replace the anonymous one.
    anonymous = client.get("/en/")
    assert SIGN_OUT not in anonymous.content.decode()
    assert "public" in anonymous.headers["Cache-Control"]


def test_cached_page_is_per_language(client):
    english = client.get("/en/")
    german = client.get("/de/")
    assert english.content != german.content
    assert client.get("/de/").content == german.content


def test_page_with_a_csrf_token_is_not_shared():
    """A token rendered for one visitor must never be served to another."""
    calls = []

    @cache_for_anonymous
    def form_view(request):
        calls.append(1)
        return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")

    def anonymous_get():
        request = RequestFactory().get("/en/form/")
        request.user = AnonymousUser()
        request.session = SessionStore()
        return form_view(request)

    first = anonymous_get()
    second = anonymous_get()
    assert len(calls) == 2
    assert first.content != second.content
    assert "public" not in first.headers.get("Cache-Control", "")
    assert cache.get("solidar:page:en:/en/form/") is None
