"""The demo events (seed_demo): what the issue asks for, and idempotent."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone

from solidar.accounts import demo as account_demo
from solidar.accounts.models import User
from solidar.core.models import AuditEvent
from solidar.events import demo
from solidar.events.models import Event, Registration, Session
from solidar.events.rules import ORGANISERS_GROUP
from solidar.network import demo as network_demo
from solidar.network.models import Collective


def seed() -> None:
    # The demo modules in seed_demo's order (the public site's pages are not needed here).
    account_demo.seed()
    network_demo.seed()
    demo.seed()


def counts() -> dict[str, int]:
    return {
        "events": Event.objects.count(),
        "sessions": Session.objects.count(),
        "registrations": Registration.objects.count(),
        "active": Registration.objects.filter(status__in=Registration.ACTIVE).count(),
        "users": User.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the module, inside a transaction rolled back at its end; each test
    runs in a savepoint of it (``db``)."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_once, db):
    return None


def forum() -> Event:
    return Event.objects.get(title_en=demo.FORUM["en"]["title"])


def test_seeding_twice_changes_nothing(seeded):
    first = counts()
    first_counters = list(
        Event.objects.order_by("title_en").values_list(
            "registered_count", "waiting_count", "checked_in_count", "starts_at"
        )
    )

    seed()

    assert counts() == first
    assert first["events"] == 7
    assert (
        list(
            Event.objects.order_by("title_en").values_list(
                "registered_count", "waiting_count", "checked_in_count", "starts_at"
            )
        )
        == first_counters
    )


def test_the_forum_is_past_with_a_programme_and_only_counts_left(seeded):
    event = forum()
    berlin = ZoneInfo("Europe/Berlin")

    assert event.is_past
    assert event.kind == Event.Kind.FORUM
    assert event.time_zone == "Europe/Berlin"
    assert event.local_start.date().isoformat() == "2024-11-02"
    assert event.local_end.date().isoformat() == "2024-11-03"
    assert event.capacity == 80
    assert sorted(event.interpretation) == ["de", "ru", "uk"]
    assert event.title_de and event.title_ru and event.title_uk
    sessions = list(event.sessions.all())
    assert len(sessions) == 8
    assert {s.starts_at.astimezone(berlin).date().day for s in sessions} == {2, 3}
    assert all(s.room and s.speakers and s.languages for s in sessions)
    assert all(s.title_de and s.title_ru and s.title_uk for s in sessions)
    assert {q.purpose for q in event.questions.all()} == {"bed", "visa", "interpretation", "diet"}
    # Attendance: counts stay, guests' names and everyone's answers are gone.
    assert event.registered_count == 72
    assert event.checked_in_count == 70
    assert event.purged_at is not None
    guests = event.registrations.filter(is_guest=True)
    assert guests.count() == 72 - len(demo.FORUM_MEMBERS)
    assert set(guests.values_list("name", flat=True)) == {""}
    assert not any(r.email or r.answers for r in guests)
    assert all(r.created_at < event.starts_at for r in event.registrations.all())
    # The forum never shows up among the upcoming events.
    assert not Event.objects.filter(pk=event.pk, ends_at__gt=timezone.now()).exists()


def test_street_actions_in_four_cities_and_time_zones(seeded):
    actions = Event.objects.filter(kind=Event.Kind.ACTION).select_related("organiser")

    assert {(a.organiser.slug, a.city, a.time_zone) for a in actions} == {
        ("koeln", "Köln", "Europe/Berlin"),
        ("paris", "Paris", "Europe/Paris"),
        ("warszawa", "Warszawa", "Europe/Warsaw"),
        ("buenos-aires", "Buenos Aires", "America/Argentina/Buenos_Aires"),
    }
    for action in actions:
        assert action.is_public and action.is_published and not action.is_past
        assert action.capacity is None
        assert action.title_ru and action.description_uk
        assert action.registered_count >= 1
    # 15:00 in Köln is 15:00 on the Köln event's page, whatever the server's zone.
    koeln = actions.get(organiser__slug="koeln")
    assert koeln.local_start.hour == 15


def test_a_reading_circle_of_a_working_group_with_a_waiting_list(seeded):
    event = Event.objects.select_related("organiser").get(kind=Event.Kind.READING)

    assert event.organiser.kind == Collective.Kind.WORKING_GROUP
    assert event.visibility == Event.Visibility.MEMBERS
    assert event.capacity == 12
    assert event.registered_count == 12
    assert event.waiting_count == 1
    waiting = event.registrations.get(status=Registration.Status.WAITING)
    assert waiting.user.username == "lena"
    assert not event.registrations.filter(is_guest=True).exists()


def test_an_online_call_of_the_network(seeded):
    event = Event.objects.get(kind=Event.Kind.CALL)

    assert event.online_url == "https://meet.example.org/solidar-call"
    assert event.is_online and event.is_public
    assert event.capacity == 100
    assert event.organiser is None
    assert not event.is_past


def test_every_demo_member_has_upcoming_registrations_and_admin_organises(seeded):
    upcoming = Registration.objects.filter(
        status__in=Registration.ACTIVE, event__ends_at__gt=timezone.now()
    )
    for username in ("lena", "taras", "ivan", "pablo", "olga", "andrii", "mila", "sasha"):
        assert upcoming.filter(user__username=username).exists(), username
    admin = User.objects.get(username="admin")
    assert admin.groups.filter(name=ORGANISERS_GROUP).exists()
