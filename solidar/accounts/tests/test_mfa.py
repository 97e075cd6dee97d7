"""MFA: the privileged-page mechanism, the admins, and two-step login."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from solidar.accounts import rules as account_rules
from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.accounts.tests.helpers import login_with_totp
from solidar.conftest import client_for
from solidar.core.testing import totp_now

PRIVILEGED_VIEWS = ["/test-privileged/function/", "/test-privileged/class/"]
ADMIN_URLS = [
    "/cms/",
    "/cms/pages/",
    "/cms/users/",
    "/django-admin/",
    "/django-admin/accounts/user/",
]

pytestmark = pytest.mark.urls("solidar.accounts.tests.privileged_urls")


@pytest.fixture
def staff_without_mfa(db):
    return UserFactory(username="staff", staff=True)


@pytest.fixture
def registered_role():
    """A privileged role declared the way later apps declare theirs."""

    @account_rules.rules.predicate
    def is_coordinator(user):
        return getattr(user, "username", "").startswith("coord")

    account_rules.register_privileged_role(is_coordinator)
    yield
    account_rules.unregister_privileged_role(is_coordinator)


def assert_sent_to_mfa_setup(response):
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["staff_without_mfa", "admin_without_mfa", "editor_without_mfa"]
)
@pytest.mark.parametrize("url", ADMIN_URLS + PRIVILEGED_VIEWS)
def test_privileged_without_mfa_is_sent_to_setup(request, persona, url):
    client = client_for(request.getfixturevalue(persona))

    assert_sent_to_mfa_setup(client.get(url))
    assert_sent_to_mfa_setup(client.post(url, {"anything": "x"}))


@pytest.mark.django_db
def test_setup_page_itself_is_reachable_without_mfa(editor_without_mfa):
    response = client_for(editor_without_mfa).get(reverse("mfa_index"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_recovery_codes_alone_are_not_mfa(editor_without_mfa):
    RecoveryCodes.activate(editor_without_mfa)

    assert_sent_to_mfa_setup(client_for(editor_without_mfa).get("/cms/"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/cms/", "/django-admin/"])
def test_admin_with_totp_reaches_the_admins(admin_user, url):
    response = client_for(admin_user).get(url)

    assert response.status_code == 200


@pytest.mark.django_db
def test_editor_with_totp_reaches_the_wagtail_dashboard(editor):
    response = client_for(editor).get("/cms/")

    assert response.status_code == 200
    assert b"wagtail" in response.content.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("url", PRIVILEGED_VIEWS)
def test_privileged_view_answers_with_mfa(editor, url):
    response = client_for(editor).get(url)

    assert response.status_code == 200
    assert b"privileged" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("url", PRIVILEGED_VIEWS)
def test_member_gets_404_at_a_privileged_view(member_client, member, url):
    add_totp(member)  # MFA alone does not make anybody privileged

    # (a 404 outside the language prefixes is retried under /en/ first, where the page tree
    # answers 404 too)
    assert member_client.get(url, follow=True).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", PRIVILEGED_VIEWS)
def test_anonymous_is_asked_to_log_in(url):
    response = Client().get(url)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_member_at_the_admins_is_not_let_in(member_client):
    for url in ("/cms/", "/django-admin/"):
        response = member_client.get(url)
        assert response.status_code in (302, 403)
        assert response.get("Location") != reverse("mfa_index")


@pytest.mark.django_db
@pytest.mark.usefixtures("registered_role")
@pytest.mark.parametrize("url", PRIVILEGED_VIEWS)
def test_registered_role_needs_mfa_too(url):
    coordinator = UserFactory(username="coordinator")
    client = client_for(coordinator)

    assert_sent_to_mfa_setup(client.get(url))
    add_totp(coordinator)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_mechanism_asks_the_permission_rule(editor, monkeypatch):
    """refusal() and the middleware ask accounts.use_privileged_pages, nothing copied."""
    import rules

    client = client_for(editor)
    assert client.get("/test-privileged/function/").status_code == 200
    monkeypatch.setitem(
        rules.permissions.permissions, "accounts.use_privileged_pages", rules.always_deny
    )

    assert_sent_to_mfa_setup(client.get("/test-privileged/function/"))
    assert_sent_to_mfa_setup(client.get("/cms/"))


@pytest.mark.django_db
def test_superuser_shortcut_does_not_skip_mfa(admin_without_mfa):
    # Django's user.has_perm() is True for any superuser; the rule itself is not.
    assert admin_without_mfa.has_perm("accounts.use_privileged_pages")

    assert_sent_to_mfa_setup(client_for(admin_without_mfa).get("/test-privileged/class/"))


@pytest.mark.django_db
def test_login_with_totp_needs_the_code(editor, password):
    client = Client()
    first = client.post("/en/accounts/login/", {"login": "editor", "password": password})

    assert first.status_code == 302
    assert "/accounts/2fa/authenticate/" in first["Location"]
    assert "_auth_user_id" not in client.session
    wrong = client.post(first["Location"], {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/cms/").status_code == 302

    response = client.post(
        first["Location"],
        {"code": totp_now(editor.totp_secret)},
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)
    assert client.get("/cms/").status_code == 200


@pytest.mark.django_db
def test_login_helper_completes_both_steps(editor, password):
    client = Client()

    response = login_with_totp(client, editor, password, editor.totp_secret)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


@pytest.mark.django_db
def test_recovery_code_works_once(editor, password):
    codes = RecoveryCodes.activate(editor).get_unused_codes()
    code = codes[0]

    first = Client()
    step = first.post("/en/accounts/login/", {"login": "editor", "password": password})
    first.post(step["Location"], {"code": code})
    assert first.session["_auth_user_id"] == str(editor.pk)

    second = Client()
    step = second.post("/en/accounts/login/", {"login": "editor", "password": password})
    reused = second.post(step["Location"], {"code": code})

    assert reused.status_code == 200
    assert "_auth_user_id" not in second.session
    remaining = RecoveryCodes(
        Authenticator.objects.get(user=editor, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert code not in remaining
    assert len(remaining) == len(codes) - 1


@pytest.mark.django_db
def test_totp_secret_is_not_stored_in_the_clear(editor):
    stored = Authenticator.objects.get(user=editor, type=Authenticator.Type.TOTP).data

    assert editor.totp_secret not in str(stored)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/cms/", "/cms/pages/", "/django-admin/"])
def test_a_signed_in_member_finds_no_admin_and_no_redirect_loop(member_client, url):
    # (a redirect loop would raise RedirectCycleError here)
    assert member_client.get(url, follow=True).status_code == 404
