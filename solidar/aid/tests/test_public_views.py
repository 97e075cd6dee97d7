"""The public pages of mutual aid: ask for help, the codename shown once, come back with
it, read replies and write messages, forget this browser."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from solidar.aid import casefile, challenge, codenames, intake
from solidar.aid.models import AidTeam, Case, Entry
from solidar.aid.tests.intake_helpers import FORM, codename_on, file_request, solved, token_on
from solidar.core.testing import assert_max_queries

HELP = "/en/help/"
RETURN = "/en/help/return/"
MINE = "/en/help/my-request/"
LEAVE = "/en/help/leave/"


def assert_private(response):
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def assert_kept(response, data: dict):
    """Everything the person typed is on the page again."""
    html = response.content.decode()
    for name in ("situation", "needs", "contact"):
        if data.get(name):
            assert data[name] in html, f"{name} was lost"
    assert f'value="{data["country"]}" selected' in html
    for code in data["languages"]:
        assert re.search(rf'value="{code}"[^>]*checked', html)


def test_urls_keep_their_names():
    assert [reverse(f"aid:{name}") for name in ("help", "return", "my_request", "leave")] == [
        HELP,
        RETURN,
        MINE,
        LEAVE,
    ]


# -- help: the advice and the form ---------------------------------------------------------------
def test_help_page_advises_and_asks(client, aid_coordinator):
    response = client.get(HELP)
    assert response.status_code == 200
    assert_private(response)
    html = response.content.decode()
    assert "Do not write real names of other people" in html
    assert "Tor Browser is fine" in html
    assert "Write it down on paper" in html or "on paper" in html
    for name in ("kind", "country", "urgency", "languages", "situation", "needs"):
        assert f'name="{name}"' in html
    assert 'name="contact_method"' in html and 'name="contact"' in html
    assert token_on(response) and 'name="nonce"' in html
    assert re.search(r'<script src="/static/aid/challenge\.js[^"]*" defer></script>', html)
    assert "<noscript>" in html
    # Belarus, Russia and Ukraine are there, and "another country" last.
    for code in ("BY", "RU", "UA", "DE"):
        assert f'<option value="{code}"' in html
    assert html.index('value="ZZ"') > html.index('value="UA"')


def test_help_page_in_the_readers_language(client, aid_coordinator):
    response = client.get("/de/help/")
    assert response.status_code == 200
    assert '<html lang="de"' in response.content.decode()


def test_each_visit_gets_its_own_challenge(client, aid_coordinator):
    assert token_on(client.get(HELP)) != token_on(client.get(HELP))


def test_help_page_is_never_cached(client, aid_coordinator, settings):
    settings.SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS = 60
    first = token_on(client.get(HELP))
    assert token_on(Client().get(HELP)) != first


def test_filing_a_request_shows_the_codename_once(client, aid_coordinator):
    response = file_request(client)
    assert response.status_code == 200
    assert_private(response)
    codename = codename_on(response)
    words = codename.split()
    assert len(words) == 7 and set(words) <= set(codenames.words())
    html = response.content.decode()
    assert "on paper" in html and "only this once" in html
    assert reverse("aid:my_request") in html
    case = Case.objects.get()
    assert case.codename_hash == codenames.derive(codename).lookup_hash
    assert (case.kind, case.country, case.languages) == ("departure", "BY", ["ru", "en"])
    # The cookie carries the requester to their page, without the codename anywhere.
    morsel = response.cookies[intake.COOKIE]
    assert morsel["httponly"] and morsel["samesite"] == "Strict"
    assert codename not in morsel.value
    mine = client.get(MINE)
    assert mine.status_code == 200
    assert FORM["situation"] in mine.content.decode()
    assert codename not in mine.content.decode()
    # Shown once: nothing brings it back.
    assert codename not in client.get(HELP).content.decode()


def test_a_contact_handle_is_needed_unless_through_the_site(client, aid_coordinator):
    response = file_request(client, contact="")
    assert response.status_code == 400
    assert "Tell us your handle there" in response.content.decode()
    assert_kept(response, {**FORM, "contact": ""})
    assert not Case.objects.exists()
    assert file_request(client, contact="", contact_method="site").status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"situation": ""}, "Please write something here."),
        ({"situation": " \u200b\u2028 "}, "Please write something here."),
        ({"situation": "nul \x00 byte"}, "Null characters are not allowed."),
        ({"needs": "n" * 5001}, "at most 5000 characters"),
        ({"languages": []}, "Choose at least one language."),
        ({"country": "XX"}, "Select a valid choice"),
        ({"kind": "weapons"}, "Select a valid choice"),
    ],
)
def test_bad_input_keeps_every_word(client, aid_coordinator, change, message):
    data = solved(client, **change)
    response = client.post(HELP, data)
    assert response.status_code == 400
    assert_private(response)
    html = response.content.decode()
    assert message in html
    for name in ("situation", "needs", "contact"):
        if data[name].isprintable() and data[name].strip():
            assert data[name] in html
    # The same challenge is kept (its time still counts), with its nonce to be found again.
    assert token_on(response) == data["token"]
    assert not Case.objects.exists()


def test_without_a_team_the_text_stays_and_the_answer_is_503(client, db):
    data = solved(client)
    response = client.post(HELP, data)
    assert response.status_code == 503
    assert "not reachable through this site right now" in response.content.decode()
    assert_kept(response, FORM)
    assert intake.COOKIE not in response.cookies
    assert not Case.objects.exists()


def test_a_team_without_a_key_is_not_reachable_either(client, aid_group):
    AidTeam.objects.create(collective=aid_group, receives_intake=True)
    response = file_request(client)
    assert response.status_code == 503
    assert_kept(response, FORM)


# -- the challenge through the form ---------------------------------------------------------------
@pytest.fixture
def slow_challenge(settings):
    settings.SOLIDAR_AID_CHALLENGE_BITS = 12
    settings.SOLIDAR_AID_CHALLENGE_WAIT_SECONDS = 30
    return settings


def test_without_javascript_too_early_asks_to_wait_and_keeps_the_text(
    client, aid_coordinator, slow_challenge
):
    data = solved(client, nonce="")
    response = client.post(HELP, data)
    assert response.status_code == 429
    html = response.content.decode()
    assert re.search(r"Please wait (29|30) more seconds and send again", html)
    assert_kept(response, FORM)
    assert token_on(response) == data["token"]
    assert not Case.objects.exists()


def test_without_javascript_after_the_wait_it_is_accepted(client, aid_coordinator, slow_challenge):
    issued = time.time() - 31
    data = {**FORM, "token": challenge.issue(now=issued), "nonce": ""}
    response = client.post(HELP, data)
    assert response.status_code == 200
    assert codename_on(response)
    assert Case.objects.count() == 1


def test_with_javascript_the_solved_nonce_passes_at_once(client, aid_coordinator, slow_challenge):
    data = solved(client)
    assert challenge.solves(data["token"], data["nonce"], 12)
    assert client.post(HELP, data).status_code == 200


def test_a_wrong_nonce_is_like_no_nonce(client, aid_coordinator, slow_challenge):
    data = solved(client)
    data["nonce"] = next(
        str(n) for n in range(10**6) if not challenge.solves(data["token"], str(n), 12)
    )
    response = client.post(HELP, data)
    assert response.status_code == 429
    assert_kept(response, FORM)


def test_a_form_sent_twice_files_once(client, aid_coordinator):
    data = solved(client)
    assert client.post(HELP, data).status_code == 200
    again = client.post(HELP, data)
    assert again.status_code == 400
    assert "already sent" in again.content.decode()
    assert_kept(again, FORM)
    assert token_on(again) != data["token"]  # a new challenge to send it with
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "",
        "0" * 32 + ".1800000000.0:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_a_forged_or_missing_token_gets_a_new_one(client, aid_coordinator, token):
    response = client.post(HELP, {**FORM, "token": token, "nonce": "1"})
    assert response.status_code == 400
    assert "renewed it" in response.content.decode()
    assert_kept(response, FORM)
    fresh = token_on(response)
    assert fresh != token and challenge.check(fresh, challenge.solve(fresh)).passed
    assert not Case.objects.exists()


def test_an_expired_token_gets_a_new_one(client, aid_coordinator):
    old = challenge.issue(now=time.time() - challenge.MAX_AGE - 10)
    response = client.post(HELP, {**FORM, "token": old, "nonce": challenge.solve(old)})
    assert response.status_code == 400
    assert token_on(response) != old
    assert_kept(response, FORM)


# -- rate limits -------------------------------------------------------------------------------
@pytest.fixture
def rate_limited(settings):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = True
    return settings


def test_five_requests_an_hour_from_one_connection(client, aid_coordinator, rate_limited):
    for _ in range(5):
        assert file_request(client).status_code == 200
    refused = file_request(client)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert_kept(refused, FORM)
    assert Case.objects.count() == 5
    # Another connection is not held back.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert file_request(other).status_code == 200


def test_a_flood_of_bad_posts_is_held_back(client, aid_coordinator, rate_limited):
    for _ in range(30):
        client.post(HELP, {"situation": "x"})
    response = client.post(HELP, {**FORM, "token": "x"})
    assert response.status_code == 429
    assert_kept(response, FORM)


# -- coming back -----------------------------------------------------------------------------------
def _refusal_body(response, typed: str) -> str:
    """The page without what differs by itself: the echoed input and the CSRF token."""
    html = response.content.decode()
    html = html.replace(typed, "TYPED")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_return_page_asks_for_the_codename(client, db):
    response = client.get(RETURN)
    assert response.status_code == 200
    assert_private(response)
    assert 'name="codename"' in response.content.decode()
    assert 'autocomplete="off"' in response.content.decode()


def test_coming_back_with_the_codename(make_case, aid_team):
    case, codename = make_case()
    client = Client()
    response = client.post(RETURN, {"codename": codename.upper().replace(" ", "-")})
    assert response.status_code == 303
    assert response["Location"] == MINE
    assert codename not in response["Location"]
    assert_private(response)
    morsel = response.cookies[intake.COOKIE]
    assert morsel["httponly"] and morsel["samesite"] == "Strict"
    page = client.get(MINE)
    assert page.status_code == 200
    assert "They searched my flat yesterday." in page.content.decode()


def test_unknown_mistyped_and_purged_codenames_get_one_answer(make_case):
    case, codename = make_case()
    purged_case, purged_codename = make_case()
    Case.objects.filter(pk=purged_case.pk).update(
        purged_at=timezone.now(), codename_hash=None, requester_copy=None, sealed_request=None
    )
    tries = {
        "unknown": codenames.generate(),
        "mistyped": codename[:-1] + ("q" if codename[-1] != "q" else "z"),
        "too short": " ".join(codename.split()[:5]),
        "purged": purged_codename,
        "nonsense": "hello",
    }
    answers = {}
    for name, typed in tries.items():
        response = Client().post(RETURN, {"codename": typed})
        assert intake.COOKIE not in response.cookies, name
        html = response.content.decode()
        assert f'value="{typed}"' in html, f"{name}: the typed codename was not kept"
        answers[name] = (response.status_code, _refusal_body(response, typed))
    assert {status for status, _body in answers.values()} == {400}
    assert len({body for _status, body in answers.values()}) == 1
    assert "We could not open a request with this codename" in answers["unknown"][1]


def test_an_empty_codename_is_asked_for(client, db):
    response = client.post(RETURN, {"codename": "  "})
    assert response.status_code == 400
    assert "Type your codename." in response.content.decode()


def test_guessing_is_limited_before_the_slow_hash(make_case, rate_limited, monkeypatch):
    _case, codename = make_case()
    derived = []
    real = codenames.derive
    monkeypatch.setattr(codenames, "derive", lambda typed: derived.append(1) or real(typed))
    client = Client()
    for _ in range(10):
        assert client.post(RETURN, {"codename": codenames.generate()}).status_code == 400
    assert len(derived) == 10
    refused = client.post(RETURN, {"codename": codename})
    assert refused.status_code == 429
    assert len(derived) == 10  # no hash for a refused try
    assert f'value="{codename}"' in refused.content.decode()
    assert intake.COOKIE not in refused.cookies


# -- the requester's page --------------------------------------------------------------------------
@pytest.fixture
def requester_client(make_case):
    """(client with the requester's cookie, case, codename)."""
    case, codename = make_case()
    client = Client()
    assert client.post(RETURN, {"codename": codename}).status_code == 303
    return client, case, codename


def test_without_the_cookie_my_request_sends_to_return(client, db):
    response = client.get(MINE)
    assert response.status_code == 302 and response["Location"] == RETURN
    assert_private(response)


def test_my_request_shows_status_and_conversation_newest_last(requester_client, handler):
    client, case, _codename = requester_client
    intake.add_requester_message(_requester(client), "Hello?")
    casefile.add_entry(
        case, Entry.Kind.NOTE, {"text": "Internal: check the route."}, author=handler
    )
    casefile.add_entry(
        case, Entry.Kind.TO_REQUESTER, {"text": "We read you. Call us."}, author=handler
    )
    Case.objects.filter(pk=case.pk).update(status=Case.Status.IN_PROGRESS)
    with assert_max_queries(8):
        response = client.get(MINE)
    assert response.status_code == 200
    assert_private(response)
    html = response.content.decode()
    assert "Someone from the aid team is working on your request." in html
    assert html.index("Hello?") < html.index("We read you. Call us.")
    assert "Internal: check the route." not in html
    assert "Signal: @safe-handle" in html
    assert "Handler" not in html and handler.display_name not in html


def _requester(client) -> intake.Requester:
    from django.test import RequestFactory

    request = RequestFactory().get(MINE)
    request.COOKIES[intake.COOKIE] = client.cookies[intake.COOKIE].value
    return intake.recall(request)


def test_the_conversation_stays_one_query_for_many_messages(requester_client, handler):
    client, case, _codename = requester_client
    for number in range(30):
        casefile.add_entry(case, Entry.Kind.TO_REQUESTER, {"text": f"reply {number}"})
    with assert_max_queries(8):
        response = client.get(MINE)
    assert "reply 29" in response.content.decode()


def test_writing_a_message(requester_client):
    client, case, _codename = requester_client
    response = client.post(MINE, {"text": "I can travel on Friday."})
    assert response.status_code == 303 and response["Location"] == MINE
    assert intake.COOKIE in response.cookies  # renewed
    entry = Entry.objects.get(case=case)
    assert entry.kind == Entry.Kind.FROM_REQUESTER
    page = client.get(MINE).content.decode()
    assert "Your message was sent to the aid team." in page
    assert "I can travel on Friday." in page


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write a message first."), ("m" * 5001, "at most 5000 characters")],
)
def test_a_bad_message_is_refused_and_kept(requester_client, text, message):
    client, case, _codename = requester_client
    response = client.post(MINE, {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert text in html
    assert not Entry.objects.filter(case=case).exists()


def test_a_closed_request_shows_its_state_and_takes_no_message(requester_client):
    client, case, _codename = requester_client
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED, outcome=Case.Outcome.HELPED, closed_at=timezone.now()
    )
    page = client.get(MINE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "This request is closed." in html
    assert 'name="text"' not in html
    refused = client.post(MINE, {"text": "One more thing"})
    assert refused.status_code == 409
    assert "no longer reads messages" in refused.content.decode()
    assert not Entry.objects.filter(case=case).exists()


def test_a_purged_request_is_like_an_unknown_one(requester_client):
    client, case, _codename = requester_client
    Case.objects.filter(pk=case.pk).update(purged_at=timezone.now(), codename_hash=None)
    response = client.get(MINE)
    assert response.status_code == 302 and response["Location"] == RETURN


def test_a_message_after_the_cookie_ran_out_is_kept_to_copy(make_case):
    response = Client().post(MINE, {"text": "Are you <still> there?"})
    assert response.status_code == 400
    assert_private(response)
    html = response.content.decode()
    assert "your message was not sent" in html
    assert "Are you &lt;still&gt; there?" in html
    assert 'name="codename"' in html
    assert not Entry.objects.exists()


# -- leaving -----------------------------------------------------------------------------------
def test_leaving_forgets_this_browser(requester_client):
    client, _case, _codename = requester_client
    response = client.post(LEAVE)
    assert response.status_code == 200
    assert_private(response)
    assert response.cookies[intake.COOKIE].value == ""
    assert "close this tab" in response.content.decode()
    assert client.get(MINE).status_code == 302


def test_leaving_is_a_post(client, db):
    assert client.get(LEAVE).status_code == 405


# -- CSRF and the path -----------------------------------------------------------------------
def test_every_post_needs_the_csrf_token(make_case, aid_coordinator):
    _case, codename = make_case()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(HELP, {**FORM}).status_code == 403
    assert strict.post(RETURN, {"codename": codename}).status_code == 403
    assert strict.post(MINE, {"text": "x"}).status_code == 403
    assert strict.post(LEAVE).status_code == 403


def test_secrets_never_travel_in_a_url(client, aid_coordinator):
    response = file_request(client)
    codename = codename_on(response)
    html = response.content.decode()
    for link in re.findall(r'(?:href|action|src)="([^"]+)"', html):
        assert codename.split()[0] not in link or codename not in link
        assert "?" not in link or "codename" not in link
    for form in re.findall(r"<form[^>]*>", html):
        assert 'method="post"' in form


def test_intake_post_time_with_the_real_costs(client, aid_coordinator, settings):
    """Not a limit: the number for the report (argon2id at the production costs, the
    challenge checked, the request sealed twice, the case written)."""
    from solidar import settings as real

    settings.SOLIDAR_AID_CODENAME_OPSLIMIT = real.SOLIDAR_AID_CODENAME_OPSLIMIT
    settings.SOLIDAR_AID_CODENAME_MEMLIMIT = real.SOLIDAR_AID_CODENAME_MEMLIMIT
    timings = []
    for _ in range(3):
        data = solved(client)
        began = time.perf_counter()
        assert client.post(HELP, data).status_code == 200
        timings.append(time.perf_counter() - began)
    print(f"intake POST with the real argon2id costs: {min(timings) * 1000:.0f} ms (best of 3)")
    assert min(timings) < 3
