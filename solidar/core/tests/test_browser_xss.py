"""THREATS 18: user text is escaped everywhere it is shown; a payload never runs.

The page ignores the site's CSP (``page_without_csp``), so only escaping stands between a
payload and a dialog: the CSP is the second wall, not the first.
"""

from __future__ import annotations

import re

import pytest

from solidar.accounts.models import User
from solidar.browser import sign_in
from solidar.core.testing import totp_now

pytestmark = pytest.mark.browser

# Each fits a display name (at most 60 printable characters).
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "javascript:alert(4)",
    "{{ 7|add:7 }}{% debug %}",
    "</textarea><script>alert(6)</script>",
    "<iframe src=javascript:alert(7)></iframe>",
    '<a href="javascript:alert(8)">click</a>',
    "<details open ontoggle=alert(9)>",
    '" autofocus onfocus="alert(10)" x="',
    "<body onload=alert(11)>",
    "${alert(12)}`;alert(13)//",
    '<math><a xlink:href="javascript:alert(14)">m',
    "<style>*{background:url(//evil.example/x)}</style>",
]

# Pages a member sees while signed in; the header may show the name on any of them.
MEMBER_PAGES = ["/en/", "/en/accounts/sessions/", "/en/accounts/2fa/", "/en/accounts/email/"]


def assert_escaped(page, url: str, payload: str) -> None:
    """The HTML served at ``url`` holds ``payload`` only escaped (a fetch, no rendering)."""
    response = page.request.get(url)
    assert response.ok, f"{url} answered {response.status}"
    if any(ch in payload for ch in '<>"'):
        assert payload not in response.text(), f"{url} shows {payload!r} unescaped"


def visit(page, url: str, payload: str) -> None:
    """Open ``url``; the served HTML may hold ``payload`` only escaped, and nothing ran."""
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    if any(ch in payload for ch in '<>"'):
        assert payload not in response.text(), f"{url} shows {payload!r} unescaped"
    assert page.problems.dialogs == [], f"{url} ran {payload!r}"


def test_display_name_payloads_never_run(page_without_csp, member, password):
    page = page_without_csp
    sign_in(page, member.username, password)
    page.wait_for_url(re.compile(r"/en/account/$"))
    for payload in PAYLOADS:
        page.get_by_label("Display name").fill(payload)
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r"/en/account/$"))
        member.refresh_from_db()
        assert member.display_name == payload
        for url in MEMBER_PAGES:
            assert_escaped(page, url, payload)
        visit(page, "/en/account/", payload)
        # Shown back as the very text typed, not as markup.
        assert page.get_by_label("Display name").input_value() == payload
    assert page.locator("main iframe, main img[src=x], main script").count() == 0
    for url in MEMBER_PAGES:  # rendered once too, with the last payload in place
        visit(page, url, PAYLOADS[-1])


def test_editor_display_name_is_escaped_in_the_cms(page_without_csp, editor, password):
    page = page_without_csp
    sign_in(page, editor.username, password)
    page.wait_for_url(re.compile(r"/en/accounts/2fa/authenticate/"))
    page.locator("[name=code]").fill(totp_now(editor.totp_secret))
    page.locator("[name=code]").press("Enter")
    page.wait_for_url(re.compile(r"/en/account/$"))
    for payload in PAYLOADS:
        User.objects.filter(pk=editor.pk).update(display_name=payload)
        visit(page, "/cms/", payload)
        # Wagtail's dashboard greets the editor by name: the payload appears as text.
        assert page.get_by_text(payload, exact=True).first.is_visible()
