"""Every team and keys URL x every persona -> the expected answer. Never a 403 or a 500:
outsiders are asked to sign in, everybody without business here gets a 404, a team
member without MFA is sent to set it up."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from solidar.aid.tests import team_helpers
from solidar.aid.tests.team_helpers import handler_row, signed_in

pytestmark = pytest.mark.django_db

team_member_mfa = team_helpers.team_member_mfa  # a fixture

PERSONAS = [
    "outsider",
    "cell_member",
    "cell_coordinator",
    "team_member",  # no MFA, no passphrase
    "team_member_mfa",  # MFA, no passphrase
    "pending_handler",
    "handler",
    "aid_coordinator",
]

LOGIN, MFA, UNLOCK, REAUTH = "login", "mfa", "unlock", "reauth"

# url key -> (method, {persona: expected}); a string is a redirect to that kind of page.
EXPECTED = {
    "team": (
        "get",
        {
            "outsider": LOGIN,
            "cell_member": 404,
            "cell_coordinator": 404,
            "team_member": MFA,
            "team_member_mfa": 200,
            "pending_handler": 200,
            "handler": 200,
            "aid_coordinator": 200,
        },
    ),
    "unlock": (
        "get",
        {
            "outsider": LOGIN,
            "cell_member": 404,
            "cell_coordinator": 404,
            "team_member": 404,
            "team_member_mfa": 404,
            "pending_handler": 200,
            "handler": 200,
            "aid_coordinator": 200,
        },
    ),
    "unlock_not_reauthenticated": (
        "get",
        {
            "outsider": LOGIN,
            "cell_member": 404,
            "cell_coordinator": 404,
            "team_member": 404,
            "team_member_mfa": 404,
            "pending_handler": REAUTH,
            "handler": REAUTH,
            "aid_coordinator": REAUTH,
        },
    ),
    "lock": (
        "post",
        {
            "outsider": LOGIN,
            "cell_member": 302,
            "cell_coordinator": 302,
            "team_member": 302,
            "team_member_mfa": 302,
            "pending_handler": 302,
            "handler": 302,
            "aid_coordinator": 302,
        },
    ),
    "set_passphrase": (  # posted empty: the form's 400
        "post",
        {
            "outsider": LOGIN,
            "cell_member": 404,
            "cell_coordinator": 404,
            "team_member": MFA,
            "team_member_mfa": 400,
            "pending_handler": 400,
            "handler": 400,
            "aid_coordinator": 400,
        },
    ),
    "change_passphrase": (  # posted empty
        "post",
        {
            "outsider": LOGIN,
            "cell_member": 404,
            "cell_coordinator": 404,
            "team_member": MFA,
            "team_member_mfa": 404,
            "pending_handler": 400,
            "handler": 400,
            "aid_coordinator": 400,
        },
    ),
    "give_access": (  # the pending handler's row; the coordinator has not unlocked
        "post",
        {
            "outsider": LOGIN,
            "cell_member": 404,
            "cell_coordinator": 404,
            "team_member": MFA,
            "team_member_mfa": 404,
            "pending_handler": 404,
            "handler": 404,
            "aid_coordinator": UNLOCK,
        },
    ),
    "remove_access": (  # the handler's row: their own, or the coordinator's to remove
        "get",
        {
            "outsider": LOGIN,
            "cell_member": 404,
            "cell_coordinator": 404,
            "team_member": MFA,
            "team_member_mfa": 404,
            "pending_handler": 404,
            "handler": 200,
            "aid_coordinator": 200,
        },
    ),
    "rotate": (
        "get",
        {
            "outsider": LOGIN,
            "cell_member": 404,
            "cell_coordinator": 404,
            "team_member": MFA,
            "team_member_mfa": 404,
            "pending_handler": 404,
            "handler": 404,
            "aid_coordinator": UNLOCK,
        },
    ),
}


@pytest.fixture
def everyone(
    aid_team,
    aid_coordinator,
    handler,
    pending_handler,
    team_member,
    team_member_mfa,
    cell_member,
    cell_coordinator,
):
    return {
        "cell_member": cell_member,
        "cell_coordinator": cell_coordinator,
        "team_member": team_member,
        "team_member_mfa": team_member_mfa,
        "pending_handler": pending_handler,
        "handler": handler,
        "aid_coordinator": aid_coordinator,
    }


def _url(key: str, aid_team, users) -> str:
    team_id = aid_team.pk
    return {
        "team": reverse("aid:team"),
        "unlock": reverse("aid:unlock"),
        "unlock_not_reauthenticated": reverse("aid:unlock"),
        "lock": reverse("aid:lock"),
        "set_passphrase": reverse("aid:set_passphrase", args=[team_id]),
        "change_passphrase": reverse("aid:change_passphrase", args=[team_id]),
        "give_access": reverse(
            "aid:give_access",
            args=[team_id, handler_row(users["pending_handler"], aid_team).pk],
        ),
        "remove_access": reverse(
            "aid:remove_access", args=[team_id, handler_row(users["handler"], aid_team).pk]
        ),
        "rotate": reverse("aid:rotate", args=[team_id]),
    }[key]


def _matches(response, expected) -> bool:
    if isinstance(expected, int):
        return response.status_code == expected
    if response.status_code != 302:
        return False
    target = {
        LOGIN: reverse("account_login"),
        MFA: reverse("mfa_index"),
        UNLOCK: reverse("aid:unlock"),
        REAUTH: reverse("account_reauthenticate"),
    }[expected]
    return response.url.startswith(target)


@pytest.mark.parametrize("key", list(EXPECTED))
def test_every_team_url_for_every_persona(key, aid_team, everyone):
    method, expected_by_persona = EXPECTED[key]
    url = _url(key, aid_team, everyone)
    wrong = []
    for persona in PERSONAS:
        if persona == "outsider":
            client = Client()
        else:
            client = signed_in(everyone[persona], reauth=key != "unlock_not_reauthenticated")
        response = getattr(client, method)(url)
        assert response.status_code not in (403, 500), (persona, response.status_code)
        expected = expected_by_persona[persona]
        if not _matches(response, expected):
            wrong.append((persona, expected, response.status_code, response.get("Location")))
    assert not wrong, f"{key} {url}: {wrong}"
