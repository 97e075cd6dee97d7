"""Browser tests: Debian's Chromium driven by Playwright's sync API (a pytest plugin).

Registered in solidar/conftest.py. Mark every browser test ``@pytest.mark.browser`` and ask
for ``page`` (JavaScript on), ``page_nojs`` (off), or ``js`` together with ``page`` to run a
flow both ways. Every page fixture also checks, for every test:

- no console error, no uncaught exception, no CSP violation ("Refused to ..."),
- no request to anything but the loopback live server (THREATS 19 and 21),
- no JavaScript dialog (alert/confirm/prompt) ever opened (THREATS 18).

Chromium missing: the tests are skipped, unless SOLIDAR_REQUIRE_BROWSER=1 (CI), when they
fail. A failing test leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls tests make between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("SOLIDAR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Belt and braces: no name but the loopback ones resolves, so nothing can leave.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
# Schemes that never reach the network.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error"}
TIMEOUT_MS = 10_000
# How Chromium words a blocked resource or script, old style and new.
CSP_VIOLATION = re.compile(r"^Refused to |violates the following Content Security Policy")


def browser_required() -> bool:
    return os.environ.get("SOLIDAR_REQUIRE_BROWSER", "") == "1"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists() or browser_required():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # The page fixtures read this at teardown to decide whether to take a screenshot.
    setattr(item, f"solidar_report_{report.when}", report)
    return report


@dataclass
class Problems:
    """What a page did that no Solidar page may do; checked when the test ends."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clear(self) -> None:
        """Forget what was seen (for tests that provoke a problem on purpose)."""
        for entries in (self.console_errors, self.page_errors, self.foreign_requests, self.dialogs):
            entries.clear()

    def report(self) -> str:
        lines = []
        for title, entries in (
            ("console errors and CSP violations", self.console_errors),
            ("uncaught JavaScript exceptions", self.page_errors),
            ("requests to other origins than the loopback server", self.foreign_requests),
            ("JavaScript dialogs", self.dialogs),
        ):
            if entries:
                lines.append(f"{title}:")
                lines.extend(f"  {entry}" for entry in entries)
        return "\n".join(lines)


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOOPBACK_HOSTS


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is not installed and SOLIDAR_REQUIRE_BROWSER=1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live_url(live_server) -> str:
    """The live server as http://localhost:<port>: a secure context, so WebAuthn works."""
    port = urlsplit(live_server.url).port
    return f"http://localhost:{port}"


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def js(request) -> bool:
    """Ask for this with ``page`` to run a test with JavaScript on and off."""
    return request.param


def _test_slug(node) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", node.nodeid)[-150:]


def _open_page(request, browser, live_url, *, javascript: bool, **options):
    context = browser.new_context(
        base_url=live_url,
        java_script_enabled=javascript,
        locale="en-GB",
        timezone_id="Europe/Berlin",
        service_workers="block",
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    problems = Problems()

    def on_request(req):
        if not is_loopback(req.url):
            problems.foreign_requests.append(f"{req.method} {req.url}")

    def on_console(msg):
        source = msg.location.get("url", "")
        if urlsplit(source).path == "/favicon.ico":
            return  # asked for by the browser itself, not by any page
        if msg.type == "error" or CSP_VIOLATION.search(msg.text):
            problems.console_errors.append(f"{msg.text} ({source})")

    def on_dialog(dialog):
        problems.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.on("request", on_request)
    context.on("console", on_console)
    context.on("dialog", on_dialog)
    context.on("weberror", lambda error: problems.page_errors.append(str(error.error)))
    page = context.new_page()
    page.problems = problems
    yield page

    from playwright.sync_api import Error as PlaywrightError

    report = getattr(request.node, "solidar_report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, open_page in enumerate(context.pages):
            suffix = f"-{number}" if number else ""
            path = ARTIFACTS / f"{_test_slug(request.node)}{suffix}.png"
            # A screenshot that cannot be taken must not hide the failure itself.
            with contextlib.suppress(PlaywrightError):
                open_page.screenshot(path=str(path), full_page=True)
    context.close()
    if found := problems.report():
        pytest.fail(f"the browser saw what no page may do:\n{found}", pytrace=False)


@pytest.fixture
def page(request, browser, live_url):
    """A fresh browser context and page; JavaScript on, or as the ``js`` parameter says."""
    javascript = request.getfixturevalue("js") if "js" in request.fixturenames else True
    yield from _open_page(request, browser, live_url, javascript=javascript)


@pytest.fixture
def page_nojs(request, browser, live_url):
    """A fresh browser context and page with JavaScript off (Tor Browser's safest mode)."""
    yield from _open_page(request, browser, live_url, javascript=False)


@pytest.fixture
def page_without_csp(request, browser, live_url):
    """JavaScript on and the site's CSP ignored: proves escaping alone stops XSS (THREATS 18)."""
    yield from _open_page(request, browser, live_url, javascript=True, bypass_csp=True)


# --- Steps many browser tests share ---------------------------------------------------------


def sign_in(page, login: str, password: str, *, language: str = "en") -> None:
    """Fill allauth's login form and submit it (a second step may follow)."""
    page.goto(f"/{language}/accounts/login/")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=login])").get_by_role(
        "button", name=re.compile("sign in|log in", re.IGNORECASE)
    ).click()


def sign_out(page) -> None:
    """Sign out through the header's form (a POST, as allauth requires)."""
    page.get_by_role("button", name=re.compile("sign out|log out", re.IGNORECASE)).first.click()
    page.wait_for_load_state()


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang") or ""
