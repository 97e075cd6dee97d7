"""The event page asks the same number of queries whatever the event holds: measured with a
programme of 1 and 12 sessions and with 0 and 50 registrations, for each kind of viewer.

The numbers are pinned: a change that adds a query to the page shows up here too. On
failure the helper lists every query, so an N+1 shows itself.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from solidar.conftest import client_for
from solidar.core.testing import assert_max_queries
from solidar.events import services

# (sessions in the programme, registrations): the smallest forum and a full one.
SIZES = [(1, 0), (12, 50)]

# Queries of events:detail (anonymous: the first, uncached request; the next is cached).
ANONYMOUS = 3
MEMBER = 9
REGISTERED = 9
ORGANISER = 7


def get(client: Client, url: str, expected: int):
    # Pinned with database sessions; with Redis (cached_db) the session comes from the cache.
    signed_in = settings.SESSION_COOKIE_NAME in client.cookies
    if signed_in and settings.SESSION_ENGINE.endswith("cached_db"):
        expected -= 1
    with assert_max_queries(expected, exact=True):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.fixture(params=SIZES, ids=lambda size: f"{size[0]}-sessions-{size[1]}-registered")
def full_forum(request, forum, coordinator, attendees):
    sessions, registrations = request.param
    services.add_standard_questions(forum, by=coordinator)
    for n in range(sessions):
        start = forum.starts_at + timedelta(hours=n)
        services.save_session(
            forum,
            by=coordinator,
            title=f"Panel {n}",
            translations={"ru": {"title": f"Панель {n}"}},
            starts_at=start,
            ends_at=start + timedelta(minutes=50),
            room=f"Room {n % 3}",
            speakers="Olga, Jonas",
            languages=["ru", "de"],
        )
    services.update_event(forum, by=coordinator, capacity=100)
    attendees(forum, registrations)
    forum.refresh_from_db()
    forum.test_sessions = sessions
    return forum


def url_of(event) -> str:
    return reverse("events:detail", args=[event.slug])


def test_anonymous(full_forum):
    client = Client()
    response = get(client, url_of(full_forum), ANONYMOUS)
    assert response.content.decode().count("Panel ") >= full_forum.test_sessions
    # The next anonymous reader gets the cached page.
    with assert_max_queries(0, exact=True):
        assert client.get(url_of(full_forum)).status_code == 200


def test_member(full_forum, member):
    client = client_for(member)
    client.get(reverse("events:list"))  # the session's first view (its stamp is written)
    response = get(client, url_of(full_forum), MEMBER)
    assert reverse("events:register", args=[full_forum.slug]) in response.content.decode()


def test_registered_member(full_forum, member):
    services.register_member(full_forum, member)
    client = client_for(member)
    client.get(reverse("events:list"))
    response = get(client, url_of(full_forum), REGISTERED)
    assert reverse("events:my_registration", args=[full_forum.slug]) in response.content.decode()


def test_organiser(full_forum, coordinator):
    client = client_for(coordinator)
    client.get(reverse("events:list"))
    response = get(client, url_of(full_forum), ORGANISER)
    assert reverse("events:participants", args=[full_forum.slug]) in response.content.decode()
