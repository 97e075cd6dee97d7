"""THREATS 10 (and 12, 13): what a person at risk writes, and their codename, are nowhere
a seizure could find them.

A unique canary goes in through the real intake form (the challenge solved as the browser
would), into a requester's message through their page, and into a handler's note and reply.
Then neither the canary nor the codename may appear in any column of any table, in the raw
database (the SQLite file's bytes, or a pg_dump), in any log record at DEBUG, in the cache,
or in any file under the data directory and MEDIA_ROOT.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client

from solidar.aid import casefile
from solidar.aid.models import Case, Entry
from solidar.aid.tests.intake_helpers import codename_on, solved


def every_logger_at_debug(caplog) -> None:
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)


def rows_holding(needle: str) -> list[str]:
    """Every table.column whose value holds ``needle`` (text, bytes or anything else)."""
    raw = needle.encode()
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the schema
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, memoryview):
                        value = value.tobytes()
                    if isinstance(value, bytes | bytearray):
                        hit = raw in value
                    else:
                        hit = value is not None and needle in str(value)
                    if hit:
                        found.append(f"{table}.{column}")
    return found


def raw_database() -> bytes:
    """The whole database as an adversary holding the disk would read it."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.serialize()
    if connection.vendor == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            pytest.skip("pg_dump is not installed")
        params = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
        command = [pg_dump, "--no-owner", "-d", params["NAME"]]
        for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
            if params.get(key):
                command += [flag, str(params[key])]
        return subprocess.run(command, env=env, check=True, capture_output=True).stdout  # noqa: S603
    pytest.skip(f"no raw dump for {connection.vendor}")


def files_holding(needle: str) -> list[str]:
    raw = needle.encode()
    found = []
    for root in {Path(settings.DATA_DIR), Path(settings.MEDIA_ROOT)}:
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if path.is_file() and raw in path.read_bytes():
                found.append(str(path))
    return found


def cache_holding(needle: str) -> bool:
    store = getattr(cache, "_cache", None)  # the local-memory cache of the tests
    if isinstance(store, dict):
        return any(needle.encode() in bytes(value) for value in store.values())
    if hasattr(cache, "keys"):  # django-redis
        return any(needle in str(cache.get(key)) for key in cache.keys("*"))
    return False


def log_text(caplog) -> str:
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        parts.append(record.exc_text or "")
        parts.append(repr(record.__dict__))
    return "\n".join(parts)


@pytest.mark.django_db(transaction=True)
def test_the_canary_and_the_codename_are_nowhere(aid_team, aid_coordinator, handler, caplog):
    every_logger_at_debug(caplog)
    canary = f"canary-{uuid.uuid4().hex}"

    # 1. The intake form, as a person sends it.
    client = Client()
    data = solved(
        client,
        situation=f"What happened: {canary} (situation)",
        needs=f"What I need: {canary} (needs)",
        contact=f"@{canary}",
    )
    response = client.post("/en/help/", data)
    assert response.status_code == 200
    codename = codename_on(response)
    case = Case.objects.get()

    # 2. Their message through their page, after coming back with the codename.
    returning = Client()
    assert returning.post("/en/help/return/", {"codename": codename}).status_code == 303
    sent = returning.post("/en/help/my-request/", {"text": f"A message: {canary}"})
    assert sent.status_code == 303
    # A mistyped and an unknown codename on the way (the refusal echoes only to the page).
    assert Client().post("/en/help/return/", {"codename": codename + "x"}).status_code == 400

    # 3. The handlers' note and reply.
    casefile.add_entry(case, Entry.Kind.NOTE, {"text": f"note {canary}"}, author=handler)
    casefile.add_entry(case, Entry.Kind.TO_REQUESTER, {"text": f"reply {canary}"}, author=handler)

    # The person can read it all back: the canary went in, it is only sealed.
    page = returning.get("/en/help/my-request/").content.decode()
    assert page.count(canary) >= 4
    assert Entry.objects.filter(case=case).count() == 3

    hyphenated = codename.replace(" ", "-")
    for secret in (canary, codename, hyphenated):
        assert rows_holding(secret) == [], f"{secret[:12]}… found in the database"
        assert secret.encode() not in raw_database(), f"{secret[:12]}… in the raw database"
        assert secret not in log_text(caplog), f"{secret[:12]}… in the logs"
        assert files_holding(secret) == [], f"{secret[:12]}… in files"
        assert not cache_holding(secret), f"{secret[:12]}… in the cache"
    # The checks look where they should: the logs saw these requests.
    assert caplog.records, "nothing was logged at all: the log check proves nothing"
    assert rows_holding(case.codename_hash) == ["aid_case.codename_hash"]
    assert case.codename_hash.encode() in raw_database()
