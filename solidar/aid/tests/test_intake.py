"""The intake services (intake.py): filing a request, finding it by codename, the
requester's messages and the requester's cookie."""

from __future__ import annotations

import base64
import time
from http.cookies import SimpleCookie

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from solidar.aid import casefile, codenames, intake
from solidar.aid.models import AidTeam, Case, Entry, TeamKey
from solidar.aid.tests.conftest import team_keys_of
from solidar.core.models import AuditEvent

REQUEST = {
    "kind": "legal",
    "country": "RU",
    "urgency": "immediate",
    "languages": ["ru"],
    "situation": "A summons for questioning arrived today.",
    "needs": "A lawyer who knows these cases.",
    "contact_method": "matrix",
    "contact": "@someone:example.org",
}


def purge(case: Case) -> None:
    """What retention leaves of a case: the statistics fields."""
    Case.objects.filter(pk=case.pk).update(
        purged_at=timezone.now(),
        status=Case.Status.CLOSED,
        sealed_request=None,
        requester_copy=None,
        codename_hash=None,
    )


def test_submit_seals_to_the_team_and_to_a_new_codename(aid_team, aid_coordinator):
    submitted = intake.submit(**REQUEST)
    case = Case.objects.get()
    assert submitted.case == case
    words = submitted.codename.split()
    assert len(words) >= 7 and set(words) <= set(codenames.words())
    # Only the codename's slow hash is stored; the key from it opens the requester's copy.
    derived = codenames.derive(submitted.codename)
    assert case.codename_hash == derived.lookup_hash
    assert submitted.codename not in case.codename_hash
    expected = {k: REQUEST[k] for k in ("situation", "needs", "contact_method", "contact")}
    assert casefile.request_for_requester(case, derived) == expected
    assert casefile.request_for_team(case, team_keys_of(aid_coordinator, aid_team)) == expected
    assert REQUEST["situation"].encode() not in bytes(case.sealed_request)
    assert (case.kind, case.country, case.urgency, case.languages) == (
        "legal",
        "RU",
        "immediate",
        ["ru"],
    )
    event = AuditEvent.objects.get(action="aid.case_filed")
    assert event.object_id == str(case.pk) and event.actor_id is None
    assert "summons" not in str(event.data)


def test_contact_through_the_site_keeps_no_handle(aid_team, aid_coordinator):
    submitted = intake.submit(**{**REQUEST, "contact_method": "site", "contact": "@leftover"})
    opened = intake.request_text(intake.Requester(submitted.case, submitted.requester))
    assert opened["contact"] == "" and opened["contact_method"] == "site"


def test_no_intake_team_or_no_key_refuses_kindly(db, aid_group):
    with pytest.raises(intake.IntakeUnavailableError) as refused:
        intake.submit(**REQUEST)
    assert refused.value.status == 503
    assert "not reachable" in str(refused.value.message)
    AidTeam.objects.create(collective=aid_group, receives_intake=True)  # no key yet
    with pytest.raises(intake.IntakeUnavailableError):
        intake.submit(**REQUEST)
    assert not Case.objects.exists()


def test_a_team_that_does_not_receive_the_intake_gets_nothing(aid_team, aid_coordinator):
    AidTeam.objects.filter(pk=aid_team.pk).update(receives_intake=False)
    with pytest.raises(intake.IntakeUnavailableError):
        intake.submit(**REQUEST)
    assert TeamKey.objects.filter(team=aid_team).exists()


def test_open_by_codename_forgives_case_spaces_and_dashes(make_case):
    case, codename = make_case()
    typed = "  " + "-".join(codename.upper().split()) + ". "
    found = intake.open_by_codename(typed)
    assert found is not None and found.case == case
    assert found.derived.lookup_hash == case.codename_hash


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.rsplit(" ", 1)[0],  # a word missing
        # a typo that is no listed word (changing one letter could make one: "pod" -> "pox")
        lambda c: c[:-1] + "qz",
        lambda c: "",
        lambda c: "a" * 1000,
    ],
)
def test_a_mistyped_codename_finds_nothing_without_the_slow_hash(make_case, monkeypatch, change):
    _case, codename = make_case()
    calls = []
    monkeypatch.setattr(codenames, "derive", lambda typed: calls.append(typed))
    assert intake.open_by_codename(change(codename)) is None
    assert calls == []


def test_an_unknown_or_purged_codename_finds_nothing(make_case):
    case, codename = make_case()
    assert intake.open_by_codename(codenames.generate()) is None
    purge(case)
    assert intake.open_by_codename(codename) is None


def test_requester_message_is_sealed_to_team_and_requester(make_case, aid_team, aid_coordinator):
    case, codename = make_case()
    requester = intake.open_by_codename(codename)
    entry = intake.add_requester_message(requester, "  I can travel on Friday.  ")
    assert entry.kind == Entry.Kind.FROM_REQUESTER
    assert b"Friday" not in bytes(entry.sealed) and b"Friday" not in bytes(entry.requester_copy)
    assert [m.text for m in intake.conversation(requester)] == ["I can travel on Friday."]
    team = casefile.timeline_for_team(case, team_keys_of(aid_coordinator, aid_team))
    assert [m.text for m in team] == ["I can travel on Friday."]
    case.refresh_from_db()
    assert case.requester_active_at == entry.created_at
    assert AuditEvent.objects.filter(
        action="aid.requester_message", object_id=str(case.pk)
    ).exists()


@pytest.mark.parametrize("text", ["", "   \n ", "x" * (intake.MESSAGE_LIMIT + 1)])
def test_empty_or_oversize_messages_are_refused(make_case, text):
    case, codename = make_case()
    with pytest.raises(intake.IntakeError) as refused:
        intake.add_requester_message(intake.open_by_codename(codename), text)
    assert refused.value.status == 400
    assert not Entry.objects.filter(case=case).exists()


def test_a_closed_case_takes_no_more_messages(make_case):
    case, codename = make_case()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=timezone.now())
    with pytest.raises(intake.IntakeError) as refused:
        intake.add_requester_message(intake.open_by_codename(codename), "Still there?")
    assert refused.value.status == 409
    assert not Entry.objects.exists()


# -- the cookie --------------------------------------------------------------------------------
def _request_with(cookie_value: str | None):
    request = RequestFactory().get("/en/help/my-request/")
    if cookie_value is not None:
        request.COOKIES[intake.COOKIE] = cookie_value
    return request


def _set_cookie(requester) -> SimpleCookie:
    response = HttpResponse()
    intake.remember(response, requester)
    return response.cookies


def test_the_cookie_brings_the_requester_back(make_case, settings):
    case, codename = make_case()
    requester = intake.open_by_codename(codename)
    cookies = _set_cookie(requester)
    morsel = cookies[intake.COOKIE]
    assert morsel["httponly"] and morsel["samesite"] == "Strict"
    assert not morsel["max-age"] and not morsel["expires"]  # a session cookie
    assert not morsel["secure"]
    # The cookie alone is ciphertext: no key, no case id.
    key = bytes(requester.derived.private_key)
    assert base64.b64encode(key).decode() not in morsel.value
    assert str(case.pk) not in morsel.value and codename not in morsel.value
    back = intake.recall(_request_with(morsel.value))
    assert back is not None and back.case == case
    assert bytes(back.derived.private_key) == key
    settings.SESSION_COOKIE_SECURE = True
    assert _set_cookie(requester)[intake.COOKIE]["secure"]


def test_the_cookie_expires_after_thirty_minutes(make_case):
    _case, codename = make_case()
    requester = intake.open_by_codename(codename)
    now = time.time()
    value = intake.cookie_value(requester, now=now)
    assert intake.recall(_request_with(value), now=now + 29 * 60) is not None
    assert intake.recall(_request_with(value), now=now + 30 * 60 + 1) is None


@pytest.mark.parametrize(
    "spoil",
    [
        lambda v: None,
        lambda v: "",
        lambda v: v[:-2] + ("AA" if not v.endswith("AA") else "BB"),
        lambda v: "v1$test1$" + "A" * 60,
        lambda v: "garbage",
        lambda v: v * 20,
    ],
)
def test_a_missing_or_altered_cookie_is_nobody(make_case, spoil):
    _case, codename = make_case()
    value = intake.cookie_value(intake.open_by_codename(codename))
    assert intake.recall(_request_with(spoil(value))) is None


def test_a_cookie_of_a_purged_case_is_nobody(make_case):
    case, codename = make_case()
    value = intake.cookie_value(intake.open_by_codename(codename))
    purge(case)
    assert intake.recall(_request_with(value)) is None


def test_a_cookie_with_another_key_is_nobody(make_case):
    from solidar.core import crypto

    case, _codename = make_case()
    other = codenames.derive(codenames.generate())
    forged = intake.cookie_value(intake.Requester(case=case, derived=other))
    assert crypto.decrypt(forged, table="aid_requester_cookie", row="cookie", field="v1")
    assert intake.recall(_request_with(forged)) is None


def test_forget_deletes_the_cookie():
    response = HttpResponse()
    intake.forget(response)
    morsel = response.cookies[intake.COOKIE]
    assert morsel.value == "" and morsel["max-age"] == 0


def test_derive_time_with_the_real_costs(settings):
    """Not a limit: the number for the report (argon2id at the production costs)."""
    from solidar import settings as real

    settings.SOLIDAR_AID_CODENAME_OPSLIMIT = real.SOLIDAR_AID_CODENAME_OPSLIMIT
    settings.SOLIDAR_AID_CODENAME_MEMLIMIT = real.SOLIDAR_AID_CODENAME_MEMLIMIT
    codename = codenames.generate()
    began = time.perf_counter()
    derived = codenames.derive(codename)
    took = time.perf_counter() - began
    print(
        f"codenames.derive at opslimit={real.SOLIDAR_AID_CODENAME_OPSLIMIT}, "
        f"memlimit={real.SOLIDAR_AID_CODENAME_MEMLIMIT >> 20} MiB: {took * 1000:.0f} ms"
    )
    assert len(derived.lookup_hash) == 64
    assert took < 5
