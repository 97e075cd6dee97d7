"""Profile, data export and account deletion: re-authentication, audit, no secrets."""

from __future__ import annotations

import json

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from solidar.accounts.models import User
from solidar.accounts.tests.factories import add_totp
from solidar.accounts.tests.helpers import login_with_totp
from solidar.core.models import AuditEvent

EXPORT = "/en/account/export/"
DELETE = "/en/account/delete/"
PROFILE = "/en/account/"


def password_login(client: Client, username: str, password: str) -> None:
    response = client.post("/en/accounts/login/", {"login": username, "password": password})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def reauthenticate(client: Client, password: str) -> None:
    response = client.post("/en/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.status_code


def age_authentication(client: Client, seconds: int = 3600) -> None:
    """Pretend the session logged in ``seconds`` ago."""
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    for record in records:
        record["at"] -= seconds
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()


@pytest.fixture
def fresh_client(member, password):
    """A member who confirmed their password a moment ago."""
    client = Client()
    password_login(client, "member", password)
    reauthenticate(client, password)
    return client


def audit_actions(user_id: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user_id))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", [EXPORT, DELETE])
def test_anonymous_is_sent_to_login(url):
    response = Client().get(url)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [EXPORT, DELETE])
def test_old_authentication_must_be_confirmed_again(member, password, url):
    client = Client()
    password_login(client, "member", password)
    reauthenticate(client, password)
    assert client.get(url).status_code == 200
    age_authentication(client)

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/reauthenticate/?next=")
    client.post(response["Location"], {"password": password})

    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", [EXPORT, DELETE])
def test_a_new_login_alone_is_not_enough(password, member, url):
    """allauth counts only an explicit confirmation, not the login itself."""
    client = Client()
    password_login(client, "member", password)

    response = client.get(url)

    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]


@pytest.mark.django_db
def test_export_request_is_carried_out_after_reauthentication(member, password):
    client = Client()
    password_login(client, "member", password)
    suspended = client.post(EXPORT)
    assert "/accounts/reauthenticate/" in suspended["Location"]

    response = client.post(suspended["Location"], {"password": password})

    assert response.status_code == 200
    assert json.loads(response.content)["account"]["username"] == "member"
    assert "account.exported" in audit_actions(member.pk)


@pytest.mark.django_db
def test_delete_request_waits_for_reauthentication(member, password):
    client = Client()
    password_login(client, "member", password)
    suspended = client.post(DELETE, {"confirm": "DELETE"})
    assert "/accounts/reauthenticate/" in suspended["Location"]
    assert User.objects.filter(pk=member.pk).exists()

    client.post(suspended["Location"], {"password": "a wrong guess here"})
    assert User.objects.filter(pk=member.pk).exists()
    client.post(suspended["Location"], {"password": password})

    assert not User.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_reauthentication_with_a_wrong_password_fails(member, password):
    client = Client()
    password_login(client, "member", password)
    location = client.get(EXPORT)["Location"]

    client.post(location, {"password": "not the password"})

    assert client.get(EXPORT).status_code == 302


@pytest.mark.django_db
def test_forced_session_without_authentication_record_must_reauthenticate(member_client):
    response = member_client.get(EXPORT)

    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]


@pytest.mark.django_db
def test_export_downloads_json_without_secrets(member, fresh_client):
    secret = add_totp(member)
    member.refresh_from_db()

    response = fresh_client.post(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    data = json.loads(body)
    assert data["account"]["username"] == "member"
    assert data["account"]["display_name"] == "Lena"
    assert data["email_addresses"] == [
        {"email": "member@example.org", "primary": True, "verified": True}
    ]
    assert [m["type"] for m in data["two_factor_methods"]] == ["totp"]
    assert len(data["sessions"]) == 1
    assert isinstance(data["activity"], list)
    assert secret not in body
    assert member.password not in body
    assert fresh_client.session.session_key not in body
    assert "account.exported" in audit_actions(member.pk)


@pytest.mark.django_db
def test_export_page_get_changes_nothing(member, fresh_client):
    response = fresh_client.get(EXPORT)

    assert response.status_code == 200
    assert "account.exported" not in audit_actions(member.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["", "delete me", "DELET", "yes", "DROP TABLE"])
def test_delete_with_the_wrong_word_deletes_nothing(member, fresh_client, word):
    response = fresh_client.post(DELETE, {"confirm": word})

    assert response.status_code == 200
    assert response.context["form"].errors["confirm"]
    assert User.objects.filter(pk=member.pk).exists()
    assert fresh_client.get(PROFILE).status_code == 200
    assert "account.deleted" not in audit_actions(member.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["DELETE", " delete "])
def test_delete_with_the_right_word(member, fresh_client, password, word):
    other_device = Client()
    password_login(other_device, "member", password)
    keys = list(UserSession.objects.filter(user=member).values_list("session_key", flat=True))
    assert len(keys) == 2
    member_id = member.pk

    response = fresh_client.post(DELETE, {"confirm": word})

    assert response.status_code == 302
    assert not User.objects.filter(pk=member_id).exists()
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert other_device.get(PROFILE).status_code == 302
    assert fresh_client.get(PROFILE).status_code == 302
    assert "account.deleted" in audit_actions(member_id)
    # The audit row keeps the number, not the name.
    event = AuditEvent.objects.get(action="account.deleted", object_id=str(member_id))
    assert "Lena" not in json.dumps(event.data) + event.actor_label


@pytest.mark.django_db
def test_delete_in_german_accepts_the_english_word(member, password):
    client = Client()
    password_login(client, "member", password)
    reauthenticate(client, password)

    response = client.post("/de/account/delete/", {"confirm": "DELETE"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_delete_for_a_user_with_totp_after_mfa_login(editor, password):
    client = Client()
    login_with_totp(client, editor, password, editor.totp_secret)
    reauthenticate(client, password)

    response = client.post(DELETE, {"confirm": "DELETE"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=editor.pk).exists()


@pytest.mark.django_db
def test_profile_update_audits_field_names_only(member, member_client):
    response = member_client.post(PROFILE, {"display_name": "Nadia K", "language": "uk"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.language) == ("Nadia K", "uk")
    event = AuditEvent.objects.get(action="account.profile_changed")
    assert sorted(event.data["fields"]) == ["display_name", "language"]
    assert event.actor_id == member.pk
    serialised = json.dumps(event.data) + event.object_type + event.object_id
    for value in ("Nadia", "Lena", '"uk"', '"en"'):
        assert value not in serialised


@pytest.mark.django_db
def test_profile_without_changes_writes_no_audit_event(member_client):
    member_client.post(PROFILE, {"display_name": "Lena", "language": "en"})

    assert not AuditEvent.objects.filter(action="account.profile_changed").exists()


@pytest.mark.django_db
def test_profile_answers_in_the_language_just_chosen(member_client):
    response = member_client.post(PROFILE, {"display_name": "Lena", "language": "de"})

    assert response.status_code == 302
    assert response["Location"].startswith("/de/")


@pytest.mark.django_db
def test_invalid_profile_changes_nothing(member, member_client):
    response = member_client.post(PROFILE, {"display_name": " ", "language": "de"})

    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]
    member.refresh_from_db()
    assert (member.display_name, member.language) == ("Lena", "en")
    # The page does not show unsaved values as if they were saved.
    assert response.wsgi_request.user.language == "en"


@pytest.mark.django_db
def test_account_pages_are_not_cached(member_client):
    for url in (PROFILE, reverse("usersessions_list")):
        assert member_client.get(url)["Cache-Control"] == "no-store"
