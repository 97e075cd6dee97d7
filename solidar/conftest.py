"""Fixtures for every app's tests: role personas, clients, mail, the no-network rule."""

from __future__ import annotations

import pytest
from django.test import Client

from solidar.accounts.tests.factories import PASSWORD, UserFactory, add_totp

pytest_plugins = ["solidar.browser"]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    from django.core.cache import cache

    # django-redis' clear() would flush the whole Redis database, other workers' keys too.
    wipe = (lambda: cache.delete_pattern("*")) if hasattr(cache, "delete_pattern") else cache.clear
    wipe()
    yield
    wipe()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request in another language must not leak into
    the next test's reverse() or gettext()."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def outsider(db):
    """Somebody with no account: an anonymous client."""
    return Client()


@pytest.fixture
def member(db):
    return UserFactory(username="member", display_name="Lena")


@pytest.fixture
def other_member(db):
    return UserFactory(username="othermember", display_name="Taras")


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor", display_name="Editor Oksana", editor=True)
    user.totp_secret = add_totp(user)
    return user


@pytest.fixture
def editor_without_mfa(db):
    return UserFactory(username="editor2", display_name="Editor Pavel", editor=True)


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="admin", display_name="Admin", admin=True)
    user.totp_secret = add_totp(user)
    return user


@pytest.fixture
def admin_without_mfa(db):
    return UserFactory(username="admin2", display_name="Admin Two", admin=True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(member):
    return client_for(member)


@pytest.fixture
def other_member_client(other_member):
    return client_for(other_member)
