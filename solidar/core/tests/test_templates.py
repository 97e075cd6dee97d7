"""The look of every page: one <h1>, a <main>, labelled inputs, nothing inline (CSP).

Covers our own pages and the allauth pages rendered through our layouts and elements.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from solidar.accounts.tests.factories import PASSWORD, add_totp
from solidar.core.testing import totp_now

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


class PageAudit(HTMLParser):
    """Collects what the accessibility and CSP checks need from one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.h1_count = 0
        self.main_count = 0
        self.label_targets: set[str] = set()
        self.inputs: list[dict[str, str | None]] = []
        self.inputs_in_label: set[int] = set()
        self.styled: list[str] = []
        self.inline_scripts: list[dict[str, str | None]] = []
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.styled.append(tag)
        if tag == "h1":
            self.h1_count += 1
        elif tag == "main":
            self.main_count += 1
        elif tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.label_targets.add(attributes["for"])
        elif tag in {"input", "select", "textarea"}:
            if (attributes.get("type") or "text") not in UNLABELLED_INPUT_TYPES:
                if self._label_depth:
                    self.inputs_in_label.add(len(self.inputs))
                self.inputs.append({"tag": tag, **attributes})
        elif (
            tag == "script"
            and not attributes.get("src")
            and attributes.get("type") != "application/json"
        ):
            self.inline_scripts.append(attributes)

    def handle_endtag(self, tag):
        if tag == "label" and self._label_depth:
            self._label_depth -= 1

    def unlabelled_inputs(self) -> list[dict[str, str | None]]:
        return [
            field
            for index, field in enumerate(self.inputs)
            if index not in self.inputs_in_label
            and field.get("id") not in self.label_targets
            and not field.get("aria-label")
            and not field.get("aria-labelledby")
        ]


def audit(response) -> PageAudit:
    assert response.status_code == 200, response
    page = PageAudit()
    page.feed(response.content.decode())
    assert page.h1_count == 1, f"{page.h1_count} <h1> elements"
    assert page.main_count == 1, "no single <main> landmark"
    assert page.unlabelled_inputs() == []
    assert page.styled == [], "style= attributes are blocked by the CSP"
    assert page.inline_scripts == [], "inline scripts are blocked by the CSP"
    return page


def signed_in_client(user) -> Client:
    """A client that signed in and then re-authenticated, as export and MFA pages ask."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    audit(client.get(reverse("account_reauthenticate")))
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "home",
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_public_pages_are_accessible_and_csp_clean(client, name):
    page = audit(client.get(reverse(name)))
    if name in {"account_login", "account_signup"}:
        assert page.inputs, "the form fields are rendered"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/en/accounts/password/reset/key/0-not-a-key/",
        "/en/accounts/confirm-email/not-a-key/",
    ],
)
def test_pages_for_bad_links_use_the_site_layout(client, url):
    response = client.get(url, follow=True)
    page = audit(response)
    assert "site-header" in response.content.decode()
    assert page.styled == []


@pytest.mark.django_db
def test_home_shows_the_placeholders_for_later_sections(client):
    html = client.get(reverse("home")).content.decode()
    for anchor in ('id="posts-title"', 'id="events-title"', 'id="campaigns-title"'):
        assert anchor in html
    assert 'id="join"' in html
    assert 'id="get-help"' in html
    assert 'id="newsletter-title"' in html


@pytest.mark.django_db
def test_language_switcher_is_plain_links(client):
    html = client.get("/de/").content.decode()
    assert 'hreflang="uk"' in html
    assert 'href="/uk/"' in html
    assert 'aria-current="true"' in html
    # the public page is cached: no form (and so no CSRF token) in the switcher
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "accounts:profile",
        "accounts:export",
        "accounts:delete",
        "usersessions_list",
        "account_email",
        "account_change_password",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_list_webauthn",
        "mfa_generate_recovery_codes",
        "account_logout",
    ],
)
def test_account_pages_are_accessible_and_csp_clean(member, name):
    client = signed_in_client(member)
    page = audit(client.get(reverse(name)))
    no_fields = {
        "accounts:export",
        "usersessions_list",
        "mfa_index",
        "mfa_list_webauthn",
        "mfa_generate_recovery_codes",
        "account_logout",
    }
    assert page.label_targets or name in no_fields


@pytest.mark.django_db
def test_profile_links_to_every_security_page(member):
    html = signed_in_client(member).get(reverse("accounts:profile")).content.decode()
    for name in (
        "account_email",
        "account_change_password",
        "mfa_index",
        "usersessions_list",
        "accounts:export",
        "accounts:delete",
    ):
        assert f'href="{reverse(name)}"' in html


@pytest.mark.django_db
def test_sessions_list_shows_no_address(member):
    client = signed_in_client(member)
    signed_in_client(member)  # a second session, so "sign out the others" is offered
    html = client.get(reverse("usersessions_list")).content.decode()
    assert "::" not in html
    assert "IP Address" not in html
    assert "This device" in html
    assert f'action="{reverse("usersessions_list")}"' in html
    assert f'action="{reverse("account_logout")}"' in html


@pytest.mark.django_db
def test_totp_activation_shows_the_secret_as_text(member):
    client = signed_in_client(member)
    response = client.get(reverse("mfa_activate_totp"))
    page = audit(response)
    secret = response.context["form"].secret
    assert f'<code class="secret" aria-labelledby="totp-secret-label">{secret}</code>' in (
        response.content.decode()
    )
    assert page.inputs[0]["name"] == "code"


@pytest.mark.django_db
def test_mfa_pages_with_authenticators(member):
    secret = add_totp(member)
    recovery_codes = RecoveryCodes.activate(member)
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    audit(client.get(reverse("mfa_authenticate")))
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert response.status_code == 302
    audit(client.get(reverse("mfa_reauthenticate")))
    code = recovery_codes.get_unused_codes()[0]
    response = client.post(reverse("mfa_reauthenticate"), {"code": code})
    assert response.status_code == 302
    for name in ("mfa_index", "mfa_deactivate_totp", "mfa_view_recovery_codes"):
        response = client.get(reverse(name))
        if response.status_code == 302 and "reauthenticate" in response["Location"]:
            pytest.fail(f"{name} asked to re-authenticate")
        audit(response)


@pytest.mark.django_db
def test_form_errors_are_tied_to_their_field(member):
    client = signed_in_client(member)
    response = client.post(reverse("accounts:delete"), {"confirm": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_confirm_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_confirm_helptext id_confirm_error"' in html


@pytest.mark.django_db
def test_not_found_page_uses_the_site_layout(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    page = PageAudit()
    page.feed(response.content.decode())
    assert page.h1_count == 1
    assert page.main_count == 1
    assert page.styled == []


@pytest.mark.django_db
def test_language_links_lead_to_the_same_page(client):
    html = client.get("/ru/accounts/login/?next=/ru/account/").content.decode()
    for code in ("en", "de", "uk"):
        assert f'href="/{code}/accounts/login/?next=/ru/account/"' in html
