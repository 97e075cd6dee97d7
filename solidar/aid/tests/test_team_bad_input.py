"""Bad input to the team and keys forms: a clear message and a 4xx, never a 500 (THREATS
25); a passphrase is never echoed back, and nothing already saved changes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import example, given

from solidar.aid.models import Handler, KeyGrant, TeamKey
from solidar.aid.tests import team_helpers
from solidar.aid.tests.conftest import PASSPHRASE
from solidar.aid.tests.team_helpers import handler_row, signed_in
from solidar.core.testing import any_form_data, assert_handled, fuzz_settings, hostile_values

pytestmark = pytest.mark.django_db

team_member_mfa = team_helpers.team_member_mfa  # a fixture

FUZZ = fuzz_settings()
LONG = "a sentence long enough to be a passphrase"
values = hostile_values(PASSPHRASE, LONG, "1", "0", "-1")


def form_data(fields):
    return any_form_data(fields, values)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False


def _refused_without_echo(response, data: dict) -> None:
    assert_handled(response)
    if response.status_code == 400:
        page = response.content.decode()
        assert 'role="alert"' in page or "errorlist" in page
        for name, value in data.items():
            secret = "passphrase" in name or name == "current"
            if secret and len(value) >= 8 and value not in {PASSPHRASE, LONG}:
                assert f'value="{value}"' not in page


@FUZZ
@given(data=form_data(["passphrase", "passphrase_again"]))
def test_setting_a_passphrase_survives_anything(aid_team, team_member_mfa, data):
    client = signed_in(team_member_mfa)
    response = client.post(reverse("aid:set_passphrase", args=[aid_team.pk]), data)
    _refused_without_echo(response, data)
    if response.status_code == 302:  # only a valid, repeated passphrase gets through
        assert data["passphrase"] == data["passphrase_again"]
        Handler.objects.filter(user=team_member_mfa).delete()


@FUZZ
@given(data=form_data(["current", "passphrase", "passphrase_again"]))
def test_changing_the_passphrase_survives_anything(aid_team, handler, data):
    row = handler_row(handler, aid_team)
    wrapped = bytes(row.wrapped_private_key)
    response = signed_in(handler).post(reverse("aid:change_passphrase", args=[aid_team.pk]), data)
    _refused_without_echo(response, data)
    if response.status_code != 302:
        row.refresh_from_db()
        assert bytes(row.wrapped_private_key) == wrapped  # nothing saved changed
    else:
        assert data["current"] == PASSPHRASE
        Handler.objects.filter(pk=row.pk).update(wrapped_private_key=wrapped, kdf_salt=row.kdf_salt)


@FUZZ
@given(data=form_data(["team", "passphrase", "next"]))
@example(data={"team": "\x00", "passphrase": "0"})  # a hidden field's error nobody saw (CI)
def test_unlocking_survives_anything(aid_team, handler, data):
    response = signed_in(handler).post(reverse("aid:unlock"), data)
    _refused_without_echo(response, data)
    if response.status_code == 302:
        assert data["passphrase"] == PASSPHRASE
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//")


@FUZZ
@given(data=form_data(["next"]))
@example(data={"next": "/en/\r\nSet-Cookie: x=1"})
@example(data={"next": "0"})
def test_lock_survives_anything(handler, data):
    response = signed_in(handler).post(reverse("aid:lock"), data)
    assert response.status_code == 302
    assert "\n" not in response["Location"] and "x=1" not in response.cookies
    assert response["Location"].startswith("/") and not response["Location"].startswith("//")


@pytest.mark.parametrize("handler_id", ["0", "99999999999999999999", "-1"])
def test_unknown_handlers_and_teams_are_404(aid_team, aid_coordinator, handler_id):
    client = signed_in(aid_coordinator)
    for url in (
        f"/en/aid/team/{aid_team.pk}/handlers/{handler_id}/give/",
        f"/en/aid/team/{aid_team.pk}/handlers/{handler_id}/remove/",
        f"/en/aid/team/{handler_id}/rotate/",
        f"/en/aid/team/{handler_id}/passphrase/",
    ):
        assert client.post(url).status_code == 404
    assert TeamKey.objects.count() == 1
    assert KeyGrant.objects.count() == 1
