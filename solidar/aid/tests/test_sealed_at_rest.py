"""Issue 7: "with the database and the server's settings but no unlocked handler session,
no request can be read". Cases with canary text are filed and worked on; then, with only
what a seizure of the database and the settings gives (every row, the session store, the
codename key; no passphrase, no browser cookie), nothing opens."""

from __future__ import annotations

import base64
import itertools

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey

from solidar.aid import casefile, codenames, team
from solidar.aid import keys as aidkeys
from solidar.aid.models import Case, Entry, Handler, KeyGrant, TeamKey
from solidar.aid.tests.conftest import PASSPHRASE, team_keys_of
from solidar.aid.tests.team_helpers import handler_row, signed_in

pytestmark = pytest.mark.django_db

CANARIES = {
    "situation": "CANARY-situation-7f3a searched flat on Lesnaya street",
    "needs": "CANARY-needs-19bd a safe route to Vilnius",
    "contact": "@canary_handle_5520",
    "note": "CANARY-note-c0ffee the lawyer is Ivanova",
    "reply": "CANARY-reply-beef meet at the usual place",
    "message": "CANARY-message-d00d I am at my aunt's now",
}


@pytest.fixture
def worked_cases(aid_team, aid_coordinator, handler, make_case):
    """Two cases in the forms they take: the intake's request, a note, a reply and a
    message from the requester, one case sealed before a rotation and one after."""
    first, codename = make_case(
        situation=CANARIES["situation"], needs=CANARIES["needs"], contact=CANARIES["contact"]
    )
    casefile.add_entry(first, Entry.Kind.NOTE, {"text": CANARIES["note"]}, author=handler)
    casefile.add_entry(first, Entry.Kind.TO_REQUESTER, {"text": CANARIES["reply"]}, author=handler)
    casefile.add_entry(first, Entry.Kind.FROM_REQUESTER, {"text": CANARIES["message"]})
    team.rotate(aid_team, team_keys_of(aid_coordinator, aid_team), by=aid_coordinator)
    second, _ = make_case(situation=CANARIES["situation"] + " (second)")
    casefile.add_entry(second, Entry.Kind.NOTE, {"text": CANARIES["note"]}, author=handler)
    return first, second, codename


def _every_value_in_the_database():
    """Every value of every row of every table, as bytes (what a dump holds)."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, memoryview | bytes | bytearray):
                        yield table, bytes(value)
                    else:
                        yield table, str(value).encode()


def _forms(secret: bytes) -> list[bytes]:
    """How a secret could appear in a dump: raw, hex, base64 (both alphabets)."""
    return [
        secret,
        secret.hex().encode(),
        base64.b64encode(secret).rstrip(b"="),
        base64.urlsafe_b64encode(secret).rstrip(b"="),
    ]


def test_no_table_holds_any_canary(worked_cases):
    values = list(_every_value_in_the_database())
    assert len(values) > 100  # the scan reads the real tables
    assert any(table == "aid_case" for table, _ in values)
    assert any(b"Andrii" in value for _, value in values)  # it would find clear text
    for (table, value), canary in itertools.product(values, CANARIES.values()):
        assert canary.encode() not in value, f"{canary!r} in {table}"
        assert canary.encode("utf-16-le") not in value, f"{canary!r} in {table}"


def test_the_database_and_settings_without_a_passphrase_open_nothing(
    aid_team, aid_coordinator, handler, worked_cases
):
    first, second, codename = worked_cases
    # What the server has: public keys, wrapped keys, grants, sealed rows, the codename key.
    for case in (first, second):
        for private in (PrivateKey.generate(), PrivateKey(bytes(32))):
            with pytest.raises(CryptoError):
                aidkeys.open_sealed(private, case.sealed_request)
    # A wrong passphrase does not unwrap a handler's key.
    for row in Handler.objects.all():
        with pytest.raises(aidkeys.WrongPassphraseError):
            team.unlock(row, PASSPHRASE + " ")
        with pytest.raises(aidkeys.WrongPassphraseError):
            team.unlock(row, settings.SECRET_KEY)
    # The codename key alone does not open the requester's copy: a guessed codename is
    # another key (and another lookup hash).
    guess = codenames.derive(codenames.generate())
    assert guess.lookup_hash != first.codename_hash
    with pytest.raises(CryptoError):
        casefile.request_for_requester(first, guess)
    # (Sanity: the right passphrase and codename open them, so the refusals mean something.)
    keys = team.unlock(handler_row(handler, aid_team), PASSPHRASE)
    assert casefile.request_for_team(first, keys)["situation"] == CANARIES["situation"]
    assert (
        casefile.request_for_requester(first, codenames.derive(codename))["contact"]
        == CANARIES["contact"]
    )


def _unlocked_client(user):
    client = signed_in(user)
    response = client.post(reverse("aid:unlock"), {"passphrase": PASSPHRASE})
    assert response.status_code == 302
    return client, response.cookies[aidkeys.COOKIE].value


def _request(session_key: str, cookie: str | None):
    """A request as the server would see it: the session from the store, maybe a cookie."""
    request = RequestFactory().get("/")
    request.session = Session.objects.get(session_key=session_key).get_decoded()
    if cookie is not None:
        request.COOKIES[aidkeys.COOKIE] = cookie
    return request


def test_the_stored_session_holds_no_key_and_opens_nothing_without_the_cookie(
    aid_team, aid_coordinator, handler, worked_cases
):
    first, second, _codename = worked_cases
    client, cookie = _unlocked_client(handler)
    session_key = client.session.session_key
    row = Session.objects.get(session_key=session_key)
    stored = row.session_data.encode() + str(row.get_decoded()).encode()
    team_keys = team_keys_of(aid_coordinator, aid_team)
    assert set(team_keys.keys) == {1, 2}
    personal = aidkeys.unwrap(handler_row(handler, aid_team), PASSPHRASE)
    secrets = [bytes(key) for key in team_keys.keys.values()] + [bytes(personal)]
    for secret, form in itertools.product(secrets, range(4)):
        assert _forms(secret)[form] not in stored
    assert PASSPHRASE.encode() not in stored

    # The session without the cookie, or with another cookie: nothing.
    assert aidkeys.held(_request(session_key, None), aid_team) is None
    assert aidkeys.held(_request(session_key, aidkeys._b64(bytes(32))), aid_team) is None
    # (With the browser's cookie it opens: the cookie is the missing half.)
    keys = aidkeys.held(_request(session_key, cookie), aid_team)
    assert casefile.request_for_team(second, keys)["situation"].startswith(CANARIES["situation"])


def test_after_locking_the_same_cookie_opens_nothing(aid_team, handler, worked_cases):
    client, cookie = _unlocked_client(handler)
    session_key = client.session.session_key
    assert client.post(reverse("aid:lock")).status_code == 302
    assert aidkeys.SESSION_KEY not in Session.objects.get(session_key=session_key).get_decoded()
    assert aidkeys.held(_request(session_key, cookie), aid_team) is None


def test_after_taking_access_away_the_old_passphrase_opens_nothing_new(
    aid_team, aid_coordinator, handler, make_case
):
    row = handler_row(handler, aid_team)
    # What the handler could have kept: a copy of their row (and so of their wrapped key)
    # and the team key they could open while they had access.
    kept = Handler(
        team=aid_team,
        user=handler,
        public_key=bytes(row.public_key),
        wrapped_private_key=bytes(row.wrapped_private_key),
        kdf_salt=bytes(row.kdf_salt),
        kdf_opslimit=row.kdf_opslimit,
        kdf_memlimit=row.kdf_memlimit,
    )
    copied = team.unlock(row, PASSPHRASE)
    team.revoke(aid_team, row, by=aid_coordinator)

    assert not Handler.objects.filter(user=handler).exists()
    assert not KeyGrant.objects.filter(handler_id=row.pk).exists()
    team.rotate(aid_team, team_keys_of(aid_coordinator, aid_team), by=aid_coordinator)
    after, _ = make_case(situation=CANARIES["situation"])
    assert after.key_version == 2

    personal = aidkeys.unwrap(kept, PASSPHRASE)  # their own key, from the copy
    for grant in KeyGrant.objects.all():  # no grant in the database is theirs
        with pytest.raises(CryptoError):
            aidkeys.open_sealed(personal, grant.sealed_private_key)
    with pytest.raises(aidkeys.LockedError):  # the copied key is the old version only
        casefile.request_for_team(after, copied)
    with pytest.raises(CryptoError):
        aidkeys.open_sealed(copied.private(1), after.sealed_request)
    # The newest version's chain opens the old one, never the other way round.
    newest = TeamKey.objects.get(team=aid_team, version=2)
    assert newest.sealed_by_next is None
    assert Case.objects.filter(key_version=2).exists()
