"""Small helpers shared by the accounts tests."""

from __future__ import annotations

import re

from django.test import Client

from solidar.core.testing import totp_now

_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def normalised_body(response) -> str:
    """The response body with the CSRF token masked, and nothing else changed."""
    return _CSRF.sub(r"\1CSRF\2", response.content.decode())


def login_with_totp(client: Client, user, password: str, secret: str, language: str = "en"):
    """Log in through allauth's two steps; returns the answer to the code step."""
    first = client.post(
        f"/{language}/accounts/login/", {"login": user.username, "password": password}
    )
    assert first.status_code == 302, first.status_code
    assert "/accounts/2fa/authenticate/" in first["Location"]
    return client.post(first["Location"], {"code": totp_now(secret)})
