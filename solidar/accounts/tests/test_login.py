"""Login by e-mail or username, no account enumeration, per-account rate limits."""

from __future__ import annotations

import pytest
from django.test import Client

from solidar.accounts.models import User
from solidar.accounts.tests.factories import UserFactory
from solidar.accounts.tests.helpers import normalised_body


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["member@example.org", "member", "MEMBER@Example.org"])
def test_login_by_email_or_username(client, member, password, login):
    response = client.post("/en/accounts/login/", {"login": login, "password": password})

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)


@pytest.mark.django_db
def test_login_rotates_the_session_key(client, member, password):
    client.get("/en/accounts/login/")
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key

    client.post("/en/accounts/login/", {"login": "member", "password": password})

    assert client.session.session_key != before
    assert logged_in_user_id(client) == str(member.pk)


@pytest.mark.django_db
def test_inactive_account_cannot_log_in(client, member, password):
    member.is_active = False
    member.save()

    client.post("/en/accounts/login/", {"login": "member", "password": password})

    assert logged_in_user_id(client) is None


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["ghost@example.org", "ghost"])
def test_unknown_account_and_wrong_password_answer_alike(client, login):
    """The same login string, once with no account and once with a wrong password."""
    unknown = client.post("/en/accounts/login/", {"login": login, "password": "wrong password 1"})
    UserFactory(username="ghost", email="ghost@example.org")
    wrong = Client().post("/en/accounts/login/", {"login": login, "password": "wrong password 1"})

    assert unknown.status_code == wrong.status_code == 200
    assert normalised_body(unknown) == normalised_body(wrong)


@pytest.mark.django_db
def test_six_failures_lock_one_account_not_the_whole_exit_node(client, password):
    """Everybody behind one Tor exit shares an address: the limit is per account."""
    UserFactory(username="alice", email="alice@example.org")
    bob = UserFactory(username="bob", email="bob@example.org")
    same_exit = {"REMOTE_ADDR": "203.0.113.7"}

    for _ in range(6):
        response = client.post(
            "/en/accounts/login/", {"login": "alice", "password": "not her password"}, **same_exit
        )
        assert response.status_code == 200
    locked = client.post(
        "/en/accounts/login/", {"login": "alice", "password": password}, **same_exit
    )
    assert locked.status_code in (200, 429)
    assert logged_in_user_id(client) is None

    other = Client()
    response = other.post(
        "/en/accounts/login/", {"login": "bob", "password": password}, **same_exit
    )

    assert response.status_code == 302
    assert logged_in_user_id(other) == str(bob.pk)


@pytest.mark.django_db
def test_failed_logins_from_many_addresses_still_lock_the_account(password):
    UserFactory(username="alice", email="alice@example.org")
    for n in range(6):
        Client().post(
            "/en/accounts/login/",
            {"login": "alice", "password": "guess"},
            REMOTE_ADDR=f"198.51.100.{n}",
        )

    client = Client()
    client.post(
        "/en/accounts/login/", {"login": "alice", "password": password}, REMOTE_ADDR="192.0.2.1"
    )

    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_login_page_keeps_no_address(client, member, password):
    from allauth.usersessions.models import UserSession

    client.post(
        "/en/accounts/login/",
        {"login": "member", "password": password},
        REMOTE_ADDR="203.0.113.99",
    )

    ips = set(UserSession.objects.filter(user=member).values_list("ip", flat=True))
    assert ips
    assert "203.0.113.99" not in ips


@pytest.mark.django_db
def test_login_language_follows_the_account(client, password):
    UserFactory(username="olena", email="olena@example.org", language="uk")
    client.post("/en/accounts/login/", {"login": "olena", "password": password})

    response = client.get("/account/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/uk/")
    assert User.objects.get(username="olena").language == "uk"
