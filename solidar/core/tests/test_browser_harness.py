"""The browser harness itself: what it must notice, so every browser test can rely on it."""

from __future__ import annotations

import pytest

from solidar.browser import is_loopback


def test_loopback_addresses_are_the_only_allowed_origins():
    assert is_loopback("http://localhost:8000/en/")
    assert is_loopback("http://127.0.0.1:8000/static/solidar/solidar.css")
    assert is_loopback("data:image/svg+xml;base64,AAAA")
    assert not is_loopback("https://cdn.example.net/htmx.js")
    assert not is_loopback("http://localhost.example.net/")
    assert not is_loopback("wss://203.0.113.5/socket")


@pytest.mark.browser
def test_page_notices_foreign_requests_csp_violations_and_dialogs(migrated_data, page):
    page.goto("/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.problems.report() == ""

    page.evaluate(
        """() => {
            const image = document.createElement("img");
            image.src = "http://tracker.example.net/pixel.png";
            document.body.append(image);
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.problems.foreign_requests == ["GET http://tracker.example.net/pixel.png"]
    assert any("Content Security Policy" in e for e in page.problems.console_errors)
    assert page.evaluate("() => window.injected === undefined")

    page.evaluate("() => setTimeout(() => alert('hello'), 0)")
    page.wait_for_timeout(200)
    assert page.problems.dialogs == ["alert: hello"]
    page.problems.clear()  # provoked on purpose: the teardown check must not fail this test
