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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then the migrated data kept for browser tests (solidar.browser)."""
    from solidar.browser import remember_migrated_data

    with django_db_blocker.unblock():
        remember_migrated_data()


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live server, browser) ends with Django flushing the database,
    which takes what the data migrations made with it (languages, every language's home
    page, the editorial roles): put it back for the tests that follow."""
    result = yield
    # (After the last test the session's teardown has already dropped the test database.)
    if nextitem is not None and _flushes_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        from solidar.browser import restore_migrated_data

        with item.config.stash[blocking_manager_key].unblock():
            restore_migrated_data()
    return result


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
