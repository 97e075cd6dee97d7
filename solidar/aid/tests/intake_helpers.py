"""Shared steps of the intake tests: a filled form, the challenge solved as challenge.js
would, the codename read off the page."""

from __future__ import annotations

import re

from django.urls import reverse

from solidar.aid import challenge

FORM = {
    "kind": "departure",
    "country": "BY",
    "urgency": "days",
    "languages": ["ru", "en"],
    "situation": "They searched my flat yesterday and took my laptop.",
    "needs": "A safe way out within a week.",
    "contact_method": "signal",
    "contact": "@quiet-river.42",
}
_TOKEN = re.compile(r'name="token" value="([^"]+)"')
_CODENAME = re.compile(r'id="codename">(.*?)</p>', re.DOTALL)


def token_on(response) -> str:
    found = _TOKEN.search(response.content.decode())
    assert found, "no challenge token on the page"
    return found.group(1)


def solved(client, **overrides) -> dict:
    """The form's data with a fresh token from the help page and its nonce."""
    token = token_on(client.get(reverse("aid:help")))
    data = {**FORM, **overrides}
    data.setdefault("token", token)
    data.setdefault("nonce", challenge.solve(data["token"]))
    return data


def file_request(client, **overrides):
    return client.post(reverse("aid:help"), solved(client, **overrides))


def codename_on(response) -> str:
    found = _CODENAME.search(response.content.decode())
    assert found, "no codename on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())
