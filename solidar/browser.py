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
import time
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


# The database as the migrations left it (locales, the page tree's root and home pages, the
# default site), serialized by pytest-django for ``serialized_rollback`` tests.
_migrated_data: dict[str, str] = {}


def remember_migrated_data() -> None:
    """Called right after the test database is made (solidar/conftest.py): Django keeps the
    serialized data on the connection object, and once Playwright runs its event loop in this
    thread, asgiref gives the thread another connection object, without it."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is None:  # no serialized_rollback test in this session
            contents = connection.creation.serialize_db_to_string()
        _migrated_data[alias] = contents


@pytest.fixture
def migrated_data(request, transactional_db) -> None:
    """For browser tests that need what the data migrations made (the page tree, so any
    public page): an earlier transactional test's flush removed it, and Django restores it
    only for tests marked ``serialized_rollback`` and only on the connection object it was
    kept on (see ``remember_migrated_data``). Ask for it before any fixture that makes data:
    it flushes the database first."""
    marker = request.node.get_closest_marker("django_db")
    serialized = bool(marker and marker.kwargs.get("serialized_rollback"))
    restore_migrated_data(skip_serialized=serialized)


def restore_migrated_data(*, skip_serialized: bool = False) -> None:
    """Empty the database and put back what the migrations made (see above)."""
    from django.core.management import call_command
    from django.db import connections

    for alias, contents in _migrated_data.items():
        connection = connections[alias]
        if not (skip_serialized and hasattr(connection, "_test_serialized_contents")):
            # Without it Django's flush also re-created content types and permissions.
            call_command("flush", database=alias, interactive=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(contents)
            _reset_sequences(connection)


def _reset_sequences(connection) -> None:
    """The restored rows keep their ids; on PostgreSQL the flush set every sequence back to
    1, so the next insert would collide with them."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(
        no_style(), apps.get_models(include_auto_created=True)
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


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
def second_page_nojs(request, browser, live_url):
    """Another person's browser with JavaScript off, beside ``page_nojs`` (e.g. a
    coordinator who stays signed in while members come and go)."""
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


# TOTP codes used per secret in this process: the server refuses a code twice within its
# 30 seconds (replay protection), so a second sign-in waits for the next code.
_used_codes: dict[str, str] = {}


def fresh_code(secret: str) -> str:
    """A code with time left (totp_now waits), and not the one used last."""
    from solidar.core.testing import totp_now

    code = totp_now(secret)
    while code == _used_codes.get(secret):
        time.sleep(30 - time.time() % 30 + 0.05)
        code = totp_now(secret)
    _used_codes[secret] = code
    return code


def sign_in_with_totp(page, user, password) -> None:
    """Sign in through the login form and allauth's code step (``user.totp_secret``)."""
    sign_in(page, user.username, password)
    page.wait_for_url(re.compile(r"/en/accounts/2fa/authenticate/"))
    code = page.locator("[name=code]")
    code.fill(fresh_code(user.totp_secret))
    code.press("Enter")
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)


def sign_out(page) -> None:
    """Sign out through the header's form (a POST, as allauth requires)."""
    page.get_by_role("button", name=re.compile("sign out|log out", re.IGNORECASE)).first.click()
    page.wait_for_load_state()


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang") or ""


# --- Accessibility: axe-core from the npm registry (package-lock.json, `npm ci`) ------------

AXE_SCRIPT = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
# What fails a test; "minor" and "moderate" findings are left to review.
AXE_FAILING_IMPACTS = ("serious", "critical")


def axe_script() -> str:
    """axe-core's source; skips the test without it, fails it in CI."""
    if not AXE_SCRIPT.exists():
        why = f"{AXE_SCRIPT} is missing: run `npm ci` (`make test` does when npm is installed)"
        if browser_required():
            pytest.fail(f"{why}; SOLIDAR_REQUIRE_BROWSER=1 forbids skipping", pytrace=False)
        pytest.skip(why)
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page, *, impacts=AXE_FAILING_IMPACTS) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations of those impacts.

    The script goes in through Playwright's evaluate (the DevTools protocol), which the
    page's CSP does not govern: no inline <script>, so no violation report either. The page
    needs JavaScript on (with it off, evaluate waits for ever).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_script())
    results = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations'], reporter: 'v2'})"
    )
    return [v for v in results["violations"] if v["impact"] in impacts]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"  - {' '.join(node['target'])}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation, listing each with its elements."""
    if found := axe_violations(page):
        pytest.fail(
            f"axe-core found {len(found)} serious or critical violations on {page.url}:\n"
            + describe_violations(found),
            pytrace=False,
        )
