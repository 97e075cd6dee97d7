"""Sign-up: the least data that works, confirmation in the chosen language, no enumeration."""

from __future__ import annotations

import re

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import translation

from solidar.accounts.models import User
from solidar.accounts.tests.factories import UserFactory
from solidar.accounts.tests.helpers import normalised_body

PASSPHRASE = "a long lowercase passphrase"


def signup_data(**overrides) -> dict[str, str]:
    data = {
        "email": "anna@example.org",
        "username": "anna",
        "password1": PASSPHRASE,
        "password2": PASSPHRASE,
        "display_name": "Anna",
        "language": "de",
    }
    data.update(overrides)
    return data


@pytest.fixture
def rendered_languages(monkeypatch):
    """The active language each time allauth renders a mail."""
    seen: list[str] = []
    original = DefaultAccountAdapter.render_mail

    def spy(self, template_prefix, email, context, headers=None):
        seen.append(translation.get_language())
        return original(self, template_prefix, email, context, headers=headers)

    monkeypatch.setattr(DefaultAccountAdapter, "render_mail", spy)
    return seen


@pytest.mark.django_db
def test_signup_form_asks_only_the_least_data(client):
    response = client.get("/en/accounts/signup/")

    assert response.status_code == 200
    html = response.content.decode()
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))
    assert {"email", "username", "password1", "password2", "display_name", "language"} <= names
    for forbidden in ("first_name", "last_name", "phone", "phone_number", "name"):
        assert forbidden not in names
    assert "tel" not in re.findall(r'<input[^>]*\btype="([^"]+)"', html)


@pytest.mark.django_db
def test_signup_sends_confirmation_in_the_chosen_language(
    client, django_capture_on_commit_callbacks, rendered_languages
):
    # Signing up from an English page, choosing German.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/signup/", signup_data(language="de"))

    assert response.status_code == 302
    user = User.objects.get(username="anna")
    assert user.display_name == "Anna"
    assert user.language == "de"
    assert user.first_name == user.last_name == ""
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    links = re.findall(r"https?://\S+", message.body)
    confirm_links = [link for link in links if "/accounts/confirm-email/" in link]
    assert confirm_links
    assert all("/de/accounts/confirm-email/" in link for link in confirm_links)
    assert rendered_languages == ["de"]


@pytest.mark.django_db
def test_confirmation_link_verifies_the_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/signup/", signup_data(language="uk"))
    link = re.search(r"https?://testserver(/\S+/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert link is not None
    path = link.group(1)
    assert path.startswith("/uk/")

    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="anna@example.org").verified


@pytest.mark.django_db
def test_unconfirmed_account_cannot_log_in(client):
    client.post("/en/accounts/signup/", signup_data())
    client.logout()

    response = client.post(
        "/en/accounts/login/", {"login": "anna@example.org", "password": PASSPHRASE}
    )

    assert response.status_code == 302
    assert "/accounts/confirm-email/" in response["Location"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signup_with_registered_email_answers_like_a_new_signup(
    client, django_capture_on_commit_callbacks
):
    UserFactory(username="existing", email="taken@example.org")

    fresh = client.post(
        "/en/accounts/signup/", signup_data(email="new@example.org", username="newcomer")
    )
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(
            "/en/accounts/signup/", signup_data(email="taken@example.org", username="intruder")
        )

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert normalised_body(taken) == normalised_body(fresh)
    # The owner of the address is told by mail; no second account holds it.
    assert EmailAddress.objects.filter(email__iexact="taken@example.org").count() == 1
    assert [m.to for m in mail.outbox] == [["taken@example.org"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("short pass", False),  # 10 characters
        ("elevenchars", False),
        ("ilovemyfamily", False),  # in the bundled list of common passwords
        ("123456789012345", False),  # entirely numeric
        ("a long lowercase passphrase", True),  # no composition rules
        ("zwölf zeichen", True),
    ],
)
def test_password_rules(client, password, accepted):
    response = client.post(
        "/en/accounts/signup/", signup_data(password1=password, password2=password)
    )

    assert User.objects.filter(username="anna").exists() is accepted
    if not accepted:
        assert response.status_code == 200
        assert response.context["form"].errors["password1"]


@pytest.mark.django_db
def test_signup_passwords_must_match(client):
    response = client.post("/en/accounts/signup/", signup_data(password2=PASSPHRASE + "x"))

    assert response.status_code == 200
    assert not User.objects.filter(username="anna").exists()


@pytest.mark.django_db
def test_signup_can_be_closed(client, settings):
    settings.SOLIDAR_SIGNUP_OPEN = False

    response = client.post("/en/accounts/signup/", signup_data())

    assert not User.objects.filter(username="anna").exists()
    assert response.status_code == 200
