"""Check-in at the door: search by name, check in or undo, back to the same search."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from solidar.accounts.tests.factories import UserFactory
from solidar.conftest import client_for
from solidar.events import services
from solidar.events.models import Registration
from solidar.network.tests.factories import MembershipFactory

S = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(forum, koeln):
    person = UserFactory(username="olena", display_name="Олена Коваль")
    MembershipFactory(collective=koeln, user=person)
    registration, _token = services.register_member(forum, person)
    forum.refresh_from_db()
    return registration


def checkin_url(event, q=None):
    base = reverse("events:checkin", args=[event.slug])
    return f"{base}?{urlencode({'q': q})}" if q is not None else base


def action_url(event, registration):
    return reverse("events:participant_action", args=[event.slug, registration.pk])


def test_check_in_and_undo_from_the_search(forum, coordinator, attendees, olena):
    attendees(forum, 3)
    client = client_for(coordinator)
    page = checkin_url(forum, "олена")
    html = client.get(page).content.decode()
    assert "Checked in: <strong>0</strong> of 4" in html
    assert "Олена Коваль" in html and "Att 0" not in html
    assert f'name="next" value="{page}"' in html

    response = client.post(action_url(forum, olena), {"action": "check_in", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page  # back to the same search (post/redirect/get)
    html = client.get(response["Location"]).content.decode()
    assert "Checked in: Олена Коваль." in html  # the message
    assert "Checked in: <strong>1</strong> of 4" in html
    assert 'value="undo_check_in"' in html
    olena.refresh_from_db()
    assert olena.checked_in_at is not None and olena.checked_in_by == coordinator

    # Twice: refused, nothing changes.
    response = client.post(action_url(forum, olena), {"action": "check_in", "next": page})
    assert response.status_code == 409
    assert "already checked in" in response.content.decode()

    response = client.post(action_url(forum, olena), {"action": "undo_check_in", "next": page})
    assert response["Location"] == page
    forum.refresh_from_db()
    olena.refresh_from_db()
    assert forum.checked_in_count == 0 and olena.checked_in_at is None
    assert "Checked in: <strong>0</strong> of 4" in client.get(page).content.decode()


def test_someone_waiting_cannot_be_checked_in(forum, coordinator, attendees):
    people = attendees(forum, 11)  # 10 places: the last is waiting
    waiting = Registration.objects.get(event=forum, user=people[-1])
    assert waiting.status == S.WAITING
    client = client_for(coordinator)

    html = client.get(checkin_url(forum, "att 10")).content.decode()
    assert "On the waiting list" in html
    assert "cannot be checked in" in html
    assert 'value="check_in"' not in html

    response = client.post(action_url(forum, waiting), {"action": "check_in"})
    assert response.status_code == 409
    assert "Only registered people can be checked in." in response.content.decode()
    waiting.refresh_from_db()
    forum.refresh_from_db()
    assert waiting.checked_in_at is None and waiting.status == S.WAITING
    assert forum.checked_in_count == 0


def test_the_search_is_case_insensitive_for_any_alphabet(forum, coordinator, koeln):
    for name in ("Ґанна Їжак", "Aliaksandr Łukašenka", "Straße Müller"):
        person = UserFactory(display_name=name)
        MembershipFactory(collective=koeln, user=person)
        services.register_member(forum, person)
    client = client_for(coordinator)
    for q, found in [
        ("ґанна", "Ґанна Їжак"),
        ("ЇЖАК", "Ґанна Їжак"),
        ("łukaš", "Aliaksandr Łukašenka"),
        ("STRASSE", "Straße Müller"),  # casefolded: ß is ss
        ("müller", "Straße Müller"),
    ]:
        html = client.get(checkin_url(forum, q)).content.decode()
        assert found in html, q
    assert "Nobody by that name" in client.get(checkin_url(forum, "zzz")).content.decode()


def test_without_a_search_nobody_is_listed(forum, coordinator, attendees):
    attendees(forum, 2)
    html = client_for(coordinator).get(checkin_url(forum)).content.decode()
    assert "Att 0" not in html
    assert 'type="search"' in html
    assert '<form method="get"' in html  # a plain form: works without JavaScript


def test_many_matches_are_cut_short(event_factory, coordinator, attendees):
    event = event_factory(capacity=None)
    attendees(event, 33)
    html = client_for(coordinator).get(checkin_url(event, "att")).content.decode()
    assert html.count('value="check_in"') == 30
    assert "And 3 more" in html
