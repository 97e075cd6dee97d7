"""Sessions: the list, ending one or all others, deactivation, idle timeouts."""

from __future__ import annotations

import time

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from solidar.accounts import services
from solidar.accounts.tests.factories import UserFactory
from solidar.conftest import client_for
from solidar.core.testing import assert_max_queries

PROFILE = "/en/account/"


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def set_idle(client: Client, seconds: int) -> None:
    session = client.session
    session["last_seen"] = int(time.time()) - seconds
    session.save()


@pytest.mark.django_db
def test_session_list_shows_each_device(member, member_client, password):
    phone = Client(HTTP_USER_AGENT="Phone browser 1.0", REMOTE_ADDR="203.0.113.5")
    phone.post("/en/accounts/login/", {"login": "member", "password": password})

    response = member_client.get(reverse("usersessions_list"))

    assert response.status_code == 200
    assert response.context["session_count"] == 2
    assert b"Phone browser 1.0" in response.content
    assert b"203.0.113.5" not in response.content


@pytest.mark.django_db
def test_session_list_shows_only_own_sessions(member, member_client, other_member_client):
    response = member_client.get(reverse("usersessions_list"))

    assert {s.user_id for s in response.context["sessions"]} == {member.pk}


@pytest.mark.django_db
def test_ending_other_sessions_keeps_this_one(member, member_client):
    phone = client_for(member)
    laptop = client_for(member)
    assert phone.get(PROFILE).status_code == 200

    response = member_client.post(reverse("usersessions_list"))

    assert response.status_code == 302
    assert is_logged_in(member_client)
    assert member_client.get(PROFILE).status_code == 200
    for other in (phone, laptop):
        answer = other.get(PROFILE)
        assert answer.status_code == 302
        assert "/accounts/login/" in answer["Location"]
    assert UserSession.objects.filter(user=member).count() == 1


@pytest.mark.django_db
def test_ending_one_session(member, member_client):
    phone = client_for(member)
    laptop = client_for(member)
    phone_session = UserSession.objects.get(session_key=phone.session.session_key)

    response = member_client.post(reverse("accounts:end_session", args=[phone_session.pk]))

    assert response.status_code == 302
    assert phone.get(PROFILE).status_code == 302
    assert laptop.get(PROFILE).status_code == 200
    assert member_client.get(PROFILE).status_code == 200


@pytest.mark.django_db
def test_ending_the_current_session_logs_out(member, member_client):
    current = UserSession.objects.get(session_key=member_client.session.session_key)

    member_client.post(reverse("accounts:end_session", args=[current.pk]))

    assert member_client.get(PROFILE).status_code == 302


@pytest.mark.django_db
def test_cannot_end_someone_elses_session(member_client, other_member):
    victim = client_for(other_member)
    victim_session = UserSession.objects.get(session_key=victim.session.session_key)

    response = member_client.post(reverse("accounts:end_session", args=[victim_session.pk]))

    assert response.status_code == 404
    assert victim.get(PROFILE).status_code == 200


@pytest.mark.django_db
def test_end_session_needs_post(member, member_client):
    current = UserSession.objects.get(session_key=member_client.session.session_key)

    response = member_client.get(reverse("accounts:end_session", args=[current.pk]))

    assert response.status_code == 405
    assert is_logged_in(member_client)


@pytest.mark.django_db
def test_deactivation_ends_every_session_at_once(member, admin_user):
    devices = [client_for(member) for _ in range(3)]
    keys = [device.session.session_key for device in devices]
    assert all(device.get(PROFILE).status_code == 200 for device in devices)

    services.deactivate_account(member, by=admin_user)

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=member).exists()
    for device in devices:
        assert device.get(PROFILE).status_code == 302
        assert not is_logged_in(device)


@pytest.mark.django_db
def test_stale_rows_are_dropped_from_the_list(member, member_client):
    gone = client_for(member)
    Session.objects.filter(session_key=gone.session.session_key).delete()

    response = member_client.get(reverse("usersessions_list"))

    assert response.context["session_count"] == 1
    assert UserSession.objects.filter(user=member).count() == 1


@pytest.mark.django_db
def test_member_idle_too_long_is_logged_out(member_client, settings):
    member_client.get(PROFILE)
    set_idle(member_client, settings.SOLIDAR_SESSION_IDLE_MEMBER + 1)

    response = member_client.get(PROFILE)

    assert response.status_code == 302
    assert not is_logged_in(member_client)


@pytest.mark.django_db
def test_member_idle_two_hours_stays_logged_in(member_client):
    member_client.get(PROFILE)
    set_idle(member_client, 2 * 3600)

    response = member_client.get(PROFILE)

    assert response.status_code == 200
    assert is_logged_in(member_client)
    assert member_client.session["last_seen"] >= int(time.time()) - 5


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "admin_user"])
@pytest.mark.parametrize("visit_first", [True, False])
def test_privileged_idle_one_hour_is_logged_out(request, settings, persona, visit_first):
    assert settings.SOLIDAR_SESSION_IDLE_PRIVILEGED == 3600
    client = client_for(request.getfixturevalue(persona))
    if visit_first:
        client.get(PROFILE)
    set_idle(client, settings.SOLIDAR_SESSION_IDLE_PRIVILEGED + 1)

    response = client.get(PROFILE)

    assert response.status_code == 302
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_privileged_session_cookie_expires_sooner(editor, member, settings):
    editor_client, member_client = client_for(editor), client_for(member)
    editor_client.get(PROFILE)
    member_client.get(PROFILE)

    assert editor_client.session.get_expiry_age() <= settings.SOLIDAR_SESSION_IDLE_PRIVILEGED
    assert member_client.session.get_expiry_age() > settings.SOLIDAR_SESSION_IDLE_PRIVILEGED


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # the first view refreshes the idle stamp; measure the steady state
    with assert_max_queries(1000) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_session_list_queries_do_not_grow_with_sessions():
    one = UserFactory(username="one")
    many = UserFactory(username="many")
    for _ in range(19):
        client_for(many)
    baseline = count_queries(client_for(one), reverse("usersessions_list"))
    many_client = client_for(many)

    many_client.get(reverse("usersessions_list"))
    with assert_max_queries(baseline, exact=True):
        response = many_client.get(reverse("usersessions_list"))

    assert response.context["session_count"] == 20


@pytest.mark.django_db
def test_profile_queries_do_not_grow_with_sessions():
    one = UserFactory(username="one")
    many = UserFactory(username="many")
    for _ in range(19):
        client_for(many)
    baseline = count_queries(client_for(one), PROFILE)
    many_client = client_for(many)
    many_client.get(PROFILE)

    with assert_max_queries(baseline, exact=True):
        assert many_client.get(PROFILE).status_code == 200
    assert baseline <= 8


@pytest.mark.django_db
def test_session_list_offers_to_end_each_other_session(member, member_client):
    phone = client_for(member)
    phone_session = UserSession.objects.get(session_key=phone.session.session_key)
    current = UserSession.objects.get(session_key=member_client.session.session_key)

    html = member_client.get(reverse("usersessions_list")).content.decode()

    assert reverse("accounts:end_session", args=[phone_session.pk]) in html
    assert reverse("accounts:end_session", args=[current.pk]) not in html
