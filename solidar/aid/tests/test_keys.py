"""The keys of mutual aid: who can open what (keys.py, team.py, codenames.py, casefile.py)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from nacl.exceptions import CryptoError

from solidar.aid import casefile, codenames, team
from solidar.aid import keys as aidkeys
from solidar.aid.models import Entry, Handler, KeyGrant, TeamKey
from solidar.aid.tests.conftest import PASSPHRASE, team_keys_of
from solidar.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_codenames_are_seven_words_from_a_list_of_over_seven_thousand():
    assert len(codenames.words()) >= 7000
    assert len(set(codenames.words())) == len(codenames.words())
    codename = codenames.generate()
    assert len(codename.split()) == 7
    assert codenames.looks_valid(codename)
    assert codenames.generate() != codename


def test_a_codename_is_forgiving_to_type_but_exact_in_its_words():
    codename = codenames.generate()
    sloppy = "  " + codename.upper().replace(" ", " - ") + ". "
    assert codenames.derive(sloppy) == codenames.derive(codename)
    words = codename.split()
    other = " ".join([*words[:-1], "zzzz" if words[-1] != "zzzz" else "abacus"])
    assert not codenames.looks_valid(other)
    assert not codenames.looks_valid(" ".join(words[:6]))


def test_the_lookup_hash_depends_on_the_environment_key(settings):
    codename = codenames.generate()
    first = codenames.derive(codename)
    settings.SOLIDAR_AID_CODENAME_KEY = "another-installation-key-" + "z" * 20
    second = codenames.derive(codename)
    assert first.lookup_hash != second.lookup_hash
    assert codename.replace(" ", "") not in first.lookup_hash


def test_the_first_coordinator_creates_the_key_and_a_new_handler_waits_for_access(
    aid_team, aid_coordinator, pending_handler
):
    assert TeamKey.objects.filter(team=aid_team).count() == 1
    assert team.pending(aid_team) == [Handler.objects.get(user=pending_handler)]
    row = Handler.objects.get(user=pending_handler)
    with pytest.raises(aidkeys.NoAccessError):
        team.unlock(row, PASSPHRASE)
    # No passphrase, no key anywhere in the row.
    assert PASSPHRASE.encode() not in bytes(row.wrapped_private_key)


def test_a_wrong_passphrase_opens_nothing(aid_team, handler):
    row = Handler.objects.get(user=handler)
    with pytest.raises(aidkeys.WrongPassphraseError):
        team.unlock(row, PASSPHRASE + "!")


def test_only_members_of_the_working_group_can_set_a_passphrase(aid_team, cell_member):
    with pytest.raises(team.TeamError):
        team.set_passphrase(aid_team, cell_member, PASSPHRASE)
    assert not Handler.objects.filter(user=cell_member).exists()


def test_a_short_passphrase_is_refused(aid_team, team_member):
    with pytest.raises(team.TeamError):
        team.set_passphrase(aid_team, team_member, "short")


def test_sealed_content_opens_for_every_handler_with_access_and_for_the_requester(
    aid_team, aid_coordinator, handler, make_case
):
    case, codename = make_case(situation="canary-7f3a: they came at night")
    for user in (aid_coordinator, handler):
        keys = team_keys_of(user, aid_team)
        assert casefile.request_for_team(case, keys)["situation"].startswith("canary-7f3a")
    derived = codenames.derive(codename)
    assert casefile.request_for_requester(case, derived)["situation"].startswith("canary-7f3a")
    assert b"canary-7f3a" not in bytes(case.sealed_request)
    assert b"canary-7f3a" not in bytes(case.requester_copy)
    # Another codename opens nothing.
    with pytest.raises(CryptoError):
        casefile.request_for_requester(case, codenames.derive(codenames.generate()))


def test_messages_are_sealed_both_ways_and_notes_only_to_the_team(
    aid_team, aid_coordinator, make_case
):
    case, codename = make_case()
    casefile.add_entry(case, Entry.Kind.FROM_REQUESTER, {"text": "are you there?"})
    casefile.add_entry(case, Entry.Kind.NOTE, {"text": "internal"}, author=aid_coordinator)
    casefile.add_entry(
        case, Entry.Kind.TO_REQUESTER, {"text": "yes, we are"}, author=aid_coordinator
    )
    case.refresh_from_db()
    assert case.first_reply_at is not None

    derived = codenames.derive(codename)
    conversation = [o.text for o in casefile.conversation_for_requester(case, derived)]
    assert conversation == ["are you there?", "yes, we are"]
    keys = team_keys_of(aid_coordinator, aid_team)
    assert [o.text for o in casefile.timeline_for_team(case, keys)] == [
        "are you there?",
        "internal",
        "yes, we are",
    ]


def test_after_rotation_old_and_new_cases_open_and_a_revoked_handler_gets_nothing_new(
    aid_team, aid_coordinator, handler, pending_handler, make_case
):
    old_case, _ = make_case(situation="before rotation")
    keys = team_keys_of(aid_coordinator, aid_team)
    team.revoke(aid_team, Handler.objects.get(user=handler), by=aid_coordinator)
    assert not Handler.objects.filter(user=handler).exists()

    new_key = team.rotate(aid_team, keys, by=aid_coordinator)
    assert new_key.version == 2
    new_case, _ = make_case(situation="after rotation")
    assert new_case.key_version == 2

    reopened = team_keys_of(aid_coordinator, aid_team)
    assert set(reopened.keys) == {1, 2}
    assert casefile.request_for_team(old_case, reopened)["situation"] == "before rotation"
    assert casefile.request_for_team(new_case, reopened)["situation"] == "after rotation"
    # The pending handler had no grant, so got none of the new key either.
    assert not KeyGrant.objects.filter(handler__user=pending_handler).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"aid.access_revoked", "aid.key_rotated", "aid.unlocked"} <= actions


def test_unlocked_keys_live_in_the_session_only_with_the_browser_cookie(
    aid_team, aid_coordinator, make_case, client
):
    case, _ = make_case(situation="session test")
    keys = team_keys_of(aid_coordinator, aid_team)
    session = client.session
    cookie = aidkeys.stash(session, keys)
    session.save()

    request = RequestFactory().get("/")
    request.session = client.session
    request.COOKIES = {aidkeys.COOKIE: cookie}
    held = aidkeys.held(request, aid_team)
    assert casefile.request_for_team(case, held)["situation"] == "session test"

    # The session store alone (no cookie, or a forged one) opens nothing.
    for cookie_value in ("", aidkeys._b64(b"\0" * 32)):
        request = RequestFactory().get("/")
        request.session = client.session
        request.COOKIES = {aidkeys.COOKIE: cookie_value}
        assert aidkeys.held(request, aid_team) is None
    stored = str(dict(client.session.items()))
    assert bytes(keys.private()).hex() not in stored


def test_unlocked_keys_expire(aid_team, aid_coordinator, client, settings):
    settings.SOLIDAR_AID_UNLOCK_MINUTES = 1
    session = client.session
    cookie = aidkeys.stash(session, team_keys_of(aid_coordinator, aid_team))
    session[aidkeys.SESSION_KEY]["until"] -= 120
    session.save()
    request = RequestFactory().get("/")
    request.session = client.session
    request.COOKIES = {aidkeys.COOKIE: cookie}
    assert aidkeys.held(request, aid_team) is None


def test_case_numbers_count_up_per_team(make_case):
    first, _ = make_case()
    second, _ = make_case()
    assert second.number == first.number + 1


def test_leaving_the_working_group_takes_the_key_grant_away(
    aid_team, aid_coordinator, handler, make_case
):
    from solidar.network import services as network_services
    from solidar.network.models import Membership

    membership = Membership.objects.get(collective=aid_team.collective, user=handler)
    network_services.remove_member(membership, by=aid_coordinator)

    assert not Handler.objects.filter(user=handler).exists()
    assert not KeyGrant.objects.filter(handler__user=handler).exists()
    assert AuditEvent.objects.filter(action="aid.access_revoked", data__of=handler.pk).exists()
    # The others keep theirs.
    case, _ = make_case(situation="still readable")
    keys = team_keys_of(aid_coordinator, aid_team)
    assert casefile.request_for_team(case, keys)["situation"] == "still readable"


def test_keys_unlocked_before_a_rotation_cannot_grant_the_old_version(
    aid_team, aid_coordinator, pending_handler
):
    stale = team_keys_of(aid_coordinator, aid_team)
    team.rotate(aid_team, team_keys_of(aid_coordinator, aid_team), by=aid_coordinator)

    with pytest.raises(team.TeamError):
        team.grant_access(
            aid_team, Handler.objects.get(user=pending_handler), stale, by=aid_coordinator
        )
    assert not KeyGrant.objects.filter(handler__user=pending_handler).exists()
