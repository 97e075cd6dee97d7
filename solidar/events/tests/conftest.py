# ruff: noqa: F811 - the network's fixtures are imported, then asked for by name
"""Fixtures of the events' tests, around the network's personas (koeln, paris, minsk,
member, coordinator, ...: see solidar/network/tests/conftest.py).

    forum           a published public forum of koeln in Cologne, 10 places, two days
    members_event   a published meeting for koeln's members only
    invited_event   an invitation-only event of koeln
    network_organiser  a member of the "Network organisers" group, with TOTP
    event_factory   makes more events through services.create_event
    attendees(n)    n members registered for an event (through services.register_member)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.events import services
from solidar.events.models import Event
from solidar.events.rules import ORGANISERS_GROUP
from solidar.network.tests.conftest import (  # noqa: F401 - fixtures shared with the network
    applicant,
    application,
    coordinator,
    coordinator_without_mfa,
    hidden_member,
    koeln,
    member,
    minsk,
    other_member,
    paris,
)
from solidar.network.tests.factories import MembershipFactory

BERLIN = ZoneInfo("Europe/Berlin")


def in_days(days: int, hour: int = 18, zone=BERLIN) -> datetime:
    """A local time ``days`` from now at ``hour`` o'clock in ``zone``."""
    day = (timezone.now().astimezone(zone) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)


@pytest.fixture
def event_factory(koeln, coordinator):
    def make(**fields) -> Event:
        fields.setdefault("organiser", koeln)
        fields.setdefault("by", coordinator)
        fields.setdefault("title", "Forum of the exiled left")
        fields.setdefault("kind", Event.Kind.FORUM)
        fields.setdefault("starts_at", in_days(20, 10))
        fields.setdefault("ends_at", in_days(21, 18))
        fields.setdefault("time_zone", "Europe/Berlin")
        fields.setdefault("place", "Bürgerzentrum Alte Feuerwache")
        fields.setdefault("city", "Köln")
        fields.setdefault("country", "DE")
        fields.setdefault("languages", ["ru", "uk", "de"])
        return services.create_event(**fields)

    return make


@pytest.fixture
def forum(event_factory):
    return event_factory(
        capacity=10,
        interpretation=["de", "uk"],
        translations={"de": {"title": "Forum der exilierten Linken"}},
    )


@pytest.fixture
def members_event(event_factory):
    return event_factory(
        title="Cell meeting", kind=Event.Kind.MEETING, visibility=Event.Visibility.MEMBERS
    )


@pytest.fixture
def invited_event(event_factory):
    return event_factory(
        title="Closed strategy meeting",
        kind=Event.Kind.MEETING,
        visibility=Event.Visibility.INVITATION,
    )


@pytest.fixture
def network_organiser(db):
    user = UserFactory(username="organiser", display_name="Organiser Nadia")
    user.totp_secret = add_totp(user)
    user.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    return user


@pytest.fixture
def attendees(koeln):
    def make(event: Event, n: int, prefix: str = "att") -> list:
        people = []
        for i in range(n):
            user = UserFactory(username=f"{prefix}{i}", display_name=f"{prefix.title()} {i}")
            MembershipFactory(collective=koeln, user=user)
            services.register_member(event, user)
            people.append(user)
        event.refresh_from_db()
        return people

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the services do after commit (tasks, e-mails) at
    the end of the block, as a real commit would."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block
