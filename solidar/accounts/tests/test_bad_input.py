"""Bad input never gives a 500 and never loses what was saved (THREATS 25)."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import assume, given

from solidar.accounts.models import User
from solidar.core.testing import any_form_data, assert_handled, fuzz_settings, hostile_values

FUZZ = fuzz_settings()

values = hostile_values("ab", "de", "xx")


def form_data(fields: list[str]):
    return any_form_data(fields, values)


@pytest.fixture
def reauthenticated_client(member, password):
    client = Client()
    client.post("/en/accounts/login/", {"login": "member", "password": password})
    client.post("/en/accounts/reauthenticate/", {"password": password})
    assert "_auth_user_id" in client.session
    return client


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["email", "username", "password1", "password2", "display_name", "language"]))
def test_signup_survives_anything(client, data):
    assert_handled(client.post("/en/accounts/signup/", data))


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["login", "password", "remember"]))
def test_login_survives_anything(client, member, data):
    assert_handled(client.post("/en/accounts/login/", data))


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["email"]))
def test_password_reset_survives_anything(client, member, data):
    assert_handled(client.post("/en/accounts/password/reset/", data))


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["display_name", "language"]))
def test_profile_survives_anything(member, member_client, data):
    assert_handled(member_client.post("/en/account/", data))


@pytest.mark.django_db
@FUZZ
@given(display_name=values, language=values)
def test_invalid_profile_keeps_the_saved_name(member, member_client, display_name, language):
    assume(language not in {"en", "de", "ru", "uk"})

    response = member_client.post(
        "/en/account/", {"display_name": display_name, "language": language}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    member.refresh_from_db()
    assert member.display_name == "Lena"
    assert member.language == "en"


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["confirm"]))
def test_delete_confirmation_survives_anything(member, reauthenticated_client, data):
    assume(str(data.get("confirm", "")).strip().upper() != "DELETE")

    response = reauthenticated_client.post("/en/account/delete/", data)

    assert_handled(response)
    assert User.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["email", "action_add", "action_remove", "action_primary"]))
def test_email_add_survives_anything(member, reauthenticated_client, data):
    data.setdefault("action_add", "")

    assert_handled(reauthenticated_client.post("/en/accounts/email/", data))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/de/accounts/signup/", {"email": "nope", "username": "x"}),
        ("/de/accounts/login/", {"login": "", "password": ""}),
        ("/de/accounts/password/reset/", {"email": "not an address"}),
    ],
)
def test_errors_come_in_the_page_language(client, url, data):
    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'lang="de"' in response.content.decode()


@pytest.mark.django_db
def test_profile_errors_come_in_the_account_language(member, member_client):
    member.language = "de"
    member.save()

    response = member_client.post("/de/account/", {"display_name": "", "language": "de"})

    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]
    assert 'lang="de"' in response.content.decode()


@pytest.mark.django_db
def test_browser_language_is_used_without_a_prefix(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith("/de/")
    assert 'lang="de"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["login", "password"])
def test_huge_login_input_is_refused_not_a_500(client, member, field):
    """A 100,000-character login once reached SQLite's LIKE limit: a 500."""
    data = {"login": "member", "password": "x" * 20}
    data[field] = "x" * 100_000

    response = client.post("/en/accounts/login/", data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
