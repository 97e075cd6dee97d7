"""Password reset: mail in the account's language, same answer for unknown addresses."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.accounts.tests.helpers import normalised_body

NEW_PASSWORD = "another long passphrase here"


def reset_link(message) -> str:
    match = re.search(r"https?://testserver(/\S+/accounts/password/reset/key/\S+/)", message.body)
    assert match is not None, message.body
    return match.group(1)


@pytest.mark.django_db
def test_reset_mail_uses_the_account_language(client, django_capture_on_commit_callbacks):
    UserFactory(username="olena", email="olena@example.org", language="uk")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/password/reset/", {"email": "olena@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["olena@example.org"]
    assert reset_link(mail.outbox[0]).startswith("/uk/accounts/password/reset/key/")
    assert "/en/" not in mail.outbox[0].body


@pytest.mark.django_db
def test_unknown_and_known_address_answer_alike(client, django_capture_on_commit_callbacks):
    UserFactory(username="known", email="known@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/en/accounts/password/reset/", {"email": "known@example.org"})
        unknown = Client().post("/en/accounts/password/reset/", {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert normalised_body(known) == normalised_body(unknown)
    done_known = client.get(known["Location"])
    done_unknown = Client().get(unknown["Location"])
    assert normalised_body(done_known) == normalised_body(done_unknown)
    # Mail goes only to the address that was typed; the unknown one gets no reset link.
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "known@example.org" in recipients
    for message in mail.outbox:
        if message.to == ["nobody@example.org"]:
            assert "/password/reset/key/" not in message.body


@pytest.mark.django_db
def test_reset_link_sets_a_new_password_once(client, django_capture_on_commit_callbacks):
    user = UserFactory(username="known", email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/password/reset/", {"email": "known@example.org"})
    link = reset_link(mail.outbox[0])

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in client.session  # ACCOUNT_LOGIN_ON_PASSWORD_RESET is off

    again = Client().get(link, follow=True)
    assert again.status_code == 200
    assert again.context.get("token_fail") is True


@pytest.mark.django_db
def test_reset_never_bypasses_mfa(client, password, django_capture_on_commit_callbacks):
    user = UserFactory(username="guarded", email="guarded@example.org")
    add_totp(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/password/reset/", {"email": "guarded@example.org"})
    link = reset_link(mail.outbox[0])
    page = client.get(link, follow=True)
    set_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = client.post("/en/accounts/login/", {"login": "guarded", "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session
