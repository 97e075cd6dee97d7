"""Helpers for tests of every app: query counts, need-to-know 404s, TOTP codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


class QueryCountError(AssertionError):
    pass


@contextmanager
def assert_max_queries(expected: int, *, exact: bool = False):
    """Fail when the block runs more (or, with exact, other) than ``expected`` queries.

    On failure the message lists every query, numbered, so an N+1 shows itself.
    """
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    count = len(ctx.captured_queries)
    if count > expected or (exact and count != expected):
        listing = "\n".join(f"{n}. {q['sql']}" for n, q in enumerate(ctx.captured_queries, start=1))
        raise QueryCountError(
            f"{count} queries ran, expected {'exactly' if exact else 'at most'} {expected}:\n"
            + listing
        )


def assert_not_found_for(clients: dict[str, Client], urls: Iterable[str], method: str = "get"):
    """Every named client must get 404 (never 403, never 200) for every URL."""
    failures = []
    for name, client in clients.items():
        for url in urls:
            response = getattr(client, method)(url)
            if response.status_code != 404:
                failures.append(f"{name} {method.upper()} {url}: {response.status_code}")
    if failures:
        raise AssertionError("expected 404 for:\n" + "\n".join(failures))


def totp_now(secret_b32: str, *, at: float | None = None, digits: int = 6, period: int = 30) -> str:
    """The RFC 6238 code an authenticator app would show for ``secret_b32``.

    Without ``at``, a code about to expire is not handed out: the helper waits for the
    next window, so a slow browser round trip cannot carry it past its 30 seconds (the
    server allows no drift)."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    if at is None:
        left = period - time.time() % period
        if left < 8:
            time.sleep(left + 0.05)
        at = time.time()
    counter = int(at // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % (10**digits)
    return str(code).zfill(digits)


def any_form_data(fields: list[str], values):
    """A hypothesis strategy: any subset of ``fields`` (missing ones included), each with
    a value drawn from ``values``. For bad-input tests of every form."""
    from hypothesis import strategies as st

    return st.dictionaries(st.sampled_from(fields), values, max_size=len(fields))


# -- bad input (hypothesis) ---------------------------------------------------------------------
# Characters that break naive code: NUL and other controls, zero-width and bidi marks, the
# byte-order mark, line breaks, the invisible separator.
CONTROL_CHARACTERS = "\x00\x01\x08\x0b\x1b\x7f\u200b\u2028\u202e\u2063\ufeff\r\n\t <>\"'"
HOSTILE_SAMPLES = (
    "x" * 100_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "a@b",
    "@",
    "user@" + "x" * 300 + ".org",
    "99999999999999999999",
    "-1",
    "1e309",
    "NaN",
    "on",
    "true",
    "",
)


def fuzz_settings():
    """The hypothesis settings of the bad-input tests: enough examples to find a 500,
    few enough for `make test`."""
    from hypothesis import HealthCheck, settings

    return settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def hostile_values(*samples: str):
    """A hypothesis strategy of form values: any text, control characters, huge numbers,
    the usual attack strings (``HOSTILE_SAMPLES``) and the form's own words (``samples``:
    its choices, known addresses), which reach deeper than random text."""
    from hypothesis import strategies as st

    return st.one_of(
        st.text(max_size=300),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
        st.text(alphabet=st.sampled_from(CONTROL_CHARACTERS), max_size=40),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.sampled_from([*HOSTILE_SAMPLES, *samples]),
    )


def assert_handled(response) -> None:
    """Bad input is answered, not crashed on: never a 500, and never a 403 (a refusal
    has a message of its own)."""
    if response.status_code >= 500 or response.status_code == 403:
        raise AssertionError(f"bad input answered with {response.status_code}")


def path_in_last_mail(to: str, path_part: str) -> str:
    """The path of the one link in the newest mail to ``to`` whose path has ``path_part``
    (the links name the public site's address, not the test server's)."""
    import re
    from urllib.parse import urlsplit

    from django.core import mail

    messages = [m for m in mail.outbox if to in m.to]
    if not messages:
        raise AssertionError(f"no mail to {to}")
    body = messages[-1].body
    paths = [
        urlsplit(link).path
        for link in re.findall(r"https?://[^\s<>\"]+", body)
        if path_part in urlsplit(link).path
    ]
    if len(paths) != 1:
        raise AssertionError(f"expected one link with {path_part!r} in:\n{body}")
    return paths[0]
