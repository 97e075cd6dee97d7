"""No IP address in the database, the logs or the access log (THREATS 13)."""

from __future__ import annotations

import ipaddress
import logging
import logging.config
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client

from solidar.accounts.models import User
from solidar.core.logging import ScrubAddressesFilter, scrub
from solidar.core.tests.conftest import ROOT, clean_environ, run_python

ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.23"
PASSPHRASE = "a long lowercase passphrase"
NEW_PASSPHRASE = "another long lowercase passphrase"


def address_forms(address: str) -> list[str]:
    """The ways an address can be written down without being hashed first."""
    parsed = ipaddress.ip_address(address)
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    return [
        address,
        str(int(parsed)),
        parsed.packed.hex(),
        str(mapped),
        mapped.exploded,
        ".".join(reversed(address.split("."))),  # as in in-addr.arpa
    ]


def dump_database() -> dict[str, list[str]]:
    """Every value of every table, as text."""
    quote = connection.ops.quote_name
    dump: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - introspected names
            values = []
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        raw = bytes(value)
                        values.extend([raw.hex(), raw.decode("latin-1")])
                    else:
                        values.append(str(value))
            dump[table] = values
    return dump


def find(dump: dict[str, list[str]], needles: list[str]) -> list[str]:
    return [
        f"{table}: {value[:200]!r}"
        for table, values in dump.items()
        for value in values
        for needle in needles
        if needle in value
    ]


def link_in_last_mail(path_part: str) -> str:
    body = mail.outbox[-1].body
    match = re.search(r"https?://[^/\s]+(/\S*" + re.escape(path_part) + r"\S*)", body)
    assert match, body
    return match.group(1)


@pytest.mark.django_db
def test_account_flows_store_no_address(django_capture_on_commit_callbacks):
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR=FORWARDED)

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    # Sign up and confirm the address.
    response = post(
        "/en/accounts/signup/",
        {
            "email": "anna@example.org",
            "username": "anna",
            "password1": PASSPHRASE,
            "password2": PASSPHRASE,
            "display_name": "Anna",
            "language": "en",
        },
    )
    assert response.status_code == 302
    confirm = link_in_last_mail("/accounts/confirm-email/")
    assert client.get(confirm).status_code == 200
    assert post(confirm, {}).status_code == 302
    assert User.objects.get(username="anna").emailaddress_set.get().verified

    # Log in, look around, log out.
    response = post("/en/accounts/login/", {"login": "anna", "password": PASSPHRASE})
    assert response.status_code == 302
    assert client.get("/en/account/").status_code == 200
    assert client.get("/en/accounts/sessions/").status_code == 200
    assert post("/en/accounts/logout/", {}).status_code == 302

    # A failed login.
    response = post("/en/accounts/login/", {"login": "anna", "password": "wrong password!"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    # Reset the password through the e-mailed link, and log in with the new one.
    sent = len(mail.outbox)
    assert post("/en/accounts/password/reset/", {"email": "anna@example.org"}).status_code == 302
    assert len(mail.outbox) == sent + 1
    reset = link_in_last_mail("/accounts/password/reset/key/")
    response = client.get(reset)
    assert response.status_code == 302
    set_password_url = response["Location"]
    response = post(set_password_url, {"password1": NEW_PASSPHRASE, "password2": NEW_PASSPHRASE})
    assert response.status_code == 302
    response = post("/en/accounts/login/", {"login": "anna", "password": NEW_PASSPHRASE})
    assert response.status_code == 302
    assert client.get("/en/account/").status_code == 200

    dump = dump_database()
    assert "anna@example.org" in " ".join(dump[User._meta.db_table])  # the dump sees data
    needles = address_forms(ADDRESS) + address_forms(FORWARDED)
    assert find(dump, needles) == []
    for message in mail.outbox:
        assert not [n for n in needles if n in message.body], message.body


# --- logging --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("login from 203.0.113.77 failed", "login from [address] failed"),
        ("peer=203.0.113.77:51234", "peer=[address]:51234"),
        ("2001:db8::8a2e:370:7334 said hi", "[address] said hi"),
        ("fe80::1%eth0 and ::1", "[address] and [address]"),
        ("::ffff:203.0.113.77 mapped", "[address] mapped"),
        ("[2001:db8::1]:443", "[[address]]:443"),
        ("FE80::ABCD:1", "[address]"),
        ("from 2001:db8::1.", "from [address]."),
        ("::ffff:c0a8:1 hex", "[address] hex"),
    ],
)
def test_scrub_removes_addresses(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "version 1.2.3 released",
        "took 12:30:45 minutes",
        "999.1.1.1 is no address",
        "sha 1a2b:3c4d",
        "2026-11-20 12:00:00",
        "ratio 1.2.3.4.5",
    ],
)
def test_scrub_keeps_what_is_not_an_address(text):
    assert scrub(text) == text


def test_filter_scrubs_arguments_too():
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "failed login from %s (%d)", ("203.0.113.77", 3), None
    )
    assert ScrubAddressesFilter().filter(record) is True
    assert record.getMessage() == "failed login from [address] (3)"


def test_configured_logging_writes_no_address(tmp_path):
    """Through the real LOGGING configuration (its handler and filter), into a file."""
    log_file = tmp_path / "solidar.log"
    config = {
        **settings.LOGGING,
        "handlers": {
            **settings.LOGGING["handlers"],
            "console": {
                **settings.LOGGING["handlers"]["console"],
                "class": "logging.FileHandler",
                "filename": str(log_file),
            },
        },
    }
    config["handlers"]["console"].pop("stream", None)
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        logging.config.dictConfig(config)
        logging.getLogger("solidar.somewhere").warning(
            "request from %s via %s", ADDRESS, "2001:db8::77"
        )
        logging.getLogger("django.security.csrf").error("Forbidden (%s): /en/", ADDRESS)
        for handler in logging.getLogger().handlers:
            handler.flush()
    finally:
        for handler in root.handlers:
            if handler not in saved[0]:
                handler.close()
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    text = log_file.read_text(encoding="utf-8")
    assert "request from [address] via [address]" in text
    assert "Forbidden ([address])" in text
    assert ADDRESS not in text
    assert "2001:db8" not in text


# --- gunicorn's access log ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer")


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="session")
def migrated_sqlite_file(django_db_setup, django_db_blocker, tmp_path_factory):
    """The migrated test database copied to a file, taken outside any test's transaction
    (running every migration in a subprocess takes half a minute). None on PostgreSQL."""
    with django_db_blocker.unblock():
        if connection.vendor != "sqlite":
            return None
        path = tmp_path_factory.mktemp("gunicorn") / "db.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(path)])
    return path


PATH_SECRET = "Zq3vR8pLx0AbCdEfGhIjKlMnOpQrStUvWxYz01_-abc"


@pytest.mark.slow
def test_gunicorn_access_log_has_no_address_and_no_query_string(tmp_path, migrated_sqlite_file):
    access_log = tmp_path / "access.log"
    port = free_port()
    env = clean_environ(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SOLIDAR_DATA_DIR=str(tmp_path / "data"),
        SOLIDAR_ACCESS_LOG=str(access_log),
        SOLIDAR_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        SOLIDAR_DATA_KEYS=settings.SOLIDAR_DATA_KEYS,
        SECRET_KEY=settings.SECRET_KEY,
    )
    if migrated_sqlite_file is not None:
        shutil.copyfile(migrated_sqlite_file, tmp_path / "db.sqlite3")
    else:
        migrated = run_python(["manage.py", "migrate", "--no-input", "-v", "0"], env, timeout=300)
        assert migrated.returncode == 0, migrated.stderr

    process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(Path(ROOT) / "solidar" / "gunicorn_conf.py"),
            "solidar.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz", process)
        assert fetch(f"{base}/en/?token=secret") == 200
        assert fetch(f"{base}/en/accounts/login/?next=/en/account/&token=secret") == 200
        assert fetch(f"{base}/en/no-such-page/?token=secret") == 404
        # Secrets in paths: a personal registration link and a calendar feed.
        assert fetch(f"{base}/en/events/r/{PATH_SECRET}/") == 404
        assert fetch(f"{base}/en/events/feed/{PATH_SECRET}.ics") == 404
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    log = access_log.read_text(encoding="utf-8")
    lines = log.splitlines()
    assert any('"GET /en/" 200' in line for line in lines), log
    assert any('"GET /en/accounts/login/" 200' in line for line in lines), log
    assert any('"GET /en/no-such-page/" 404' in line for line in lines), log
    assert "127.0.0.1" not in log
    assert "secret" not in log.replace("<secret>", "")
    assert "token" not in log
    assert PATH_SECRET not in log
    assert '"GET /en/events/r/<secret>/" 404' in log, log
    # gunicorn's own error log (stdout here) must not name the client either.
    assert "secret" not in output.decode(errors="replace")
