"""The events' background jobs: reminders, the retention purge, lapsed offers.

Each is run the way the scheduler runs it (the task, through the immediate backend) and
run twice: a job that fires again, or on two workers, must change nothing more."""

from __future__ import annotations

import json
import re
from datetime import UTC, timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar

from solidar.accounts.tests.factories import UserFactory
from solidar.core.models import AuditEvent
from solidar.events import services, tasks
from solidar.events.models import Event, Question, Registration
from solidar.network.tests.factories import MembershipFactory

S = Registration.Status
pytestmark = pytest.mark.django_db
ONLINE = "https://meet.example.org/room-77c3"


def run(task, *args):
    """Enqueue a job as the scheduler does; the test backend runs it at once."""
    result = task.enqueue(*args)
    return result.return_value


def register_guest(
    event, committed, mailoutbox, *, name, email, language, answers=None, letter_name=""
):
    """A guest registers and confirms from the link in their e-mail."""
    with committed():
        registration = services.register_guest(
            event,
            name=name,
            email=email,
            language=language,
            answers=answers or {},
            letter_name=letter_name,
        )
    link = re.search(r"/events/confirm/([^/\s]+)/", mailoutbox[-1].body).group(1)
    with committed():
        services.confirm_guest(link)
    registration.refresh_from_db()
    return registration


def cell_member(koeln, username: str, language: str = "en"):
    user = UserFactory(username=username, display_name=username.title(), language=language)
    MembershipFactory(collective=koeln, user=user)
    return user


# -- reminders -----------------------------------------------------------------------------------
@pytest.fixture
def tomorrow(event_factory):
    """A public meeting starting in 20 hours, 3 places, with an online link and titles in
    German and Russian."""
    starts = (timezone.now() + timedelta(hours=20)).replace(microsecond=0)
    return event_factory(
        title="Solidarity evening",
        translations={
            "de": {"title": "Solidaritätsabend"},
            "ru": {"title": "Вечер солидарности"},
        },
        kind=Event.Kind.MEETING,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=3,
        online_url=ONLINE,
    )


def test_one_reminder_per_registered_person_in_their_language(
    tomorrow, forum, koeln, member, committed, mailoutbox
):
    services.register_member(tomorrow, member)
    russian = cell_member(koeln, "olga", language="ru")
    services.register_member(tomorrow, russian)
    guest = register_guest(
        tomorrow, committed, mailoutbox, name="Jonas", email="jonas@example.net", language="de"
    )
    assert guest.status == S.REGISTERED
    waiting = cell_member(koeln, "waiting")
    assert services.register_member(tomorrow, waiting)[0].status == S.WAITING
    gone = cell_member(koeln, "gone")
    services.register_member(forum, gone)  # another event, weeks away
    mailoutbox.clear()

    with committed():
        assert run(tasks.send_reminders) == 3
    by_address = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_address) == sorted(
        [member.email, russian.email, "jonas@example.net"]
    )  # not the waiting person, not the one registered for the later forum
    assert by_address[member.email].subject == "Reminder: Solidarity evening"
    assert "Вечер солидарности" in by_address[russian.email].subject
    assert "Solidaritätsabend" in by_address["jonas@example.net"].subject

    for address, message in by_address.items():
        (attachment,) = message.attachments
        name, content, mimetype = attachment
        assert (name, mimetype) == ("event.ics", "text/calendar")
        calendar = Calendar.from_ical(content)
        (item,) = calendar.walk("VEVENT")
        assert item["DTSTART"].dt.astimezone(UTC) == tomorrow.starts_at
        assert ONLINE in str(item["DESCRIPTION"])  # they have a place
        expected = {
            member.email: "Solidarity evening",
            russian.email: "Вечер солидарности",
            "jonas@example.net": "Solidaritätsabend",
        }[address]
        assert str(item["SUMMARY"]) == expected
        # The personal link in the reminder works.
        token = re.search(r"/events/r/([^/\s]+)/", message.body).group(1)
        assert services.registration_by_token(token).event_id == tomorrow.pk

    # The hourly job runs again: nobody gets a second one.
    mailoutbox.clear()
    with committed():
        assert run(tasks.send_reminders) == 0
    assert mailoutbox == []
    assert Registration.objects.filter(event=tomorrow, reminded_at__isnull=False).count() == 3
    assert not Registration.objects.get(event=tomorrow, user=waiting).reminded_at


def test_a_reminder_is_not_sent_too_early_nor_for_a_cancelled_event(
    tomorrow, member, other_member, coordinator, committed, mailoutbox
):
    services.register_member(tomorrow, member)
    mailoutbox.clear()
    two_days_before = tomorrow.starts_at - timedelta(hours=48)
    with committed():
        assert services.send_reminders(now=two_days_before) == 0
    assert mailoutbox == []
    with committed():
        services.cancel_event(tomorrow, by=coordinator)
    mailoutbox.clear()
    with committed():
        assert run(tasks.send_reminders) == 0
    assert mailoutbox == []


def test_someone_who_gets_a_place_later_is_reminded_then(tomorrow, koeln, committed, mailoutbox):
    people = [cell_member(koeln, f"p{i}") for i in range(4)]
    for person in people:
        services.register_member(tomorrow, person)
    with committed():
        assert services.send_reminders() == 3
    first = Registration.objects.get(event=tomorrow, user=people[0])
    with committed():
        services.cancel_registration(first)
    offered = Registration.objects.get(event=tomorrow, user=people[3])
    assert offered.status == S.OFFERED
    services.accept_offer(offered)
    mailoutbox.clear()
    with committed():
        assert services.send_reminders() == 1
    assert [m.to for m in mailoutbox] == [[people[3].email]]


# -- the retention purge -------------------------------------------------------------------------
@pytest.fixture
def finished(event_factory, coordinator, koeln, member, committed, mailoutbox):
    """A forum with answers from a guest and two members; one of them checked in; one
    guest never confirmed; then the forum took place."""
    forum = event_factory(title="Forum with answers", capacity=10)
    services.add_standard_questions(forum, by=coordinator)
    diet = str(forum.questions.get(purpose=Question.Purpose.DIET).pk)
    visa = str(forum.questions.get(purpose=Question.Purpose.VISA).pk)
    guest = register_guest(
        forum,
        committed,
        mailoutbox,
        name="Guest Anna",
        email="anna@example.net",
        language="ru",
        answers={diet: "vegan", visa: "yes"},
        letter_name="Anna Petrova",
    )
    with committed():
        unconfirmed = services.register_guest(
            forum, name="Never confirmed", email="late@example.net", language="en"
        )
    registration, _token = services.register_member(
        forum, member, answers={diet: "no nuts", visa: True}, letter_name="Lena K."
    )
    other = cell_member(koeln, "second")
    services.register_member(forum, other, answers={diet: "halal"})
    services.check_in(registration, by=coordinator)
    # (As issue_letter records it; the PDF itself is the letters' tests' business.)
    Registration.objects.filter(pk=guest.pk).update(letter_issued_at=timezone.now())
    forum.refresh_from_db()
    return {
        "event": forum,
        "guest": guest,
        "unconfirmed": unconfirmed,
        "member": registration,
    }


def raw(registration_id) -> dict:
    """The columns as stored (ciphertext or empty), not through the model's decryption."""
    return Registration.objects.filter(pk=registration_id).values(
        "name",
        "email",
        "email_digest",
        "answers",
        "letter_name",
        "needs_letter",
        "letter_issued_at",
        "purged",
        "status",
    )[0]


def test_nothing_is_purged_before_the_retention_period(finished):
    event = finished["event"]
    guest = raw(finished["guest"].pk)
    just_before = event.ends_at + timedelta(days=settings.SOLIDAR_EVENT_RETENTION_DAYS - 1)
    assert services.purge_personal_data(now=just_before) == 0
    assert raw(finished["guest"].pk) == guest
    assert guest["email"] and guest["answers"] and guest["name"] == "Guest Anna"


def test_the_purge_deletes_personal_data_and_keeps_the_counts(finished):
    event = finished["event"]
    before = raw(finished["guest"].pk)
    assert before["email"].startswith("v1$")  # sealed, and there
    assert before["needs_letter"] and before["letter_issued_at"]
    assert raw(finished["member"].pk)["needs_letter"]
    assert json.loads(Registration.objects.get(pk=finished["member"].pk).answers)
    counts = (event.registered_count, event.checked_in_count)
    assert counts == (3, 1)

    after_retention = event.ends_at + timedelta(days=settings.SOLIDAR_EVENT_RETENTION_DAYS)
    assert services.purge_personal_data(now=after_retention) == 1

    guest = raw(finished["guest"].pk)
    assert guest == {
        "name": "",
        "email": "",
        "email_digest": "",
        "answers": "",
        "letter_name": "",
        "needs_letter": False,  # a visa answer by another name
        "letter_issued_at": None,
        "purged": True,
        "status": S.REGISTERED,
    }
    for registration in Registration.objects.filter(event=event, is_guest=False):
        row = raw(registration.pk)
        assert (row["answers"], row["letter_name"], row["purged"]) == ("", "", True)
        assert not row["needs_letter"]
        assert row["name"]  # a member's pseudonym stays: the account still exists
    assert not Registration.objects.filter(pk=finished["unconfirmed"].pk).exists()
    event.refresh_from_db()
    assert (event.registered_count, event.checked_in_count) == counts
    assert event.purged_at == after_retention
    assert AuditEvent.objects.filter(
        action="events.personal_data_purged", object_id=str(event.pk)
    ).exists()

    # The daily job again (and the next day): nothing more changes.
    rows = list(Registration.objects.filter(event=event).order_by("pk").values())
    assert run(tasks.purge_personal_data) == 0
    assert services.purge_personal_data(now=after_retention + timedelta(days=1)) == 0
    assert list(Registration.objects.filter(event=event).order_by("pk").values()) == rows
    event.refresh_from_db()
    assert (event.registered_count, event.checked_in_count, event.purged_at) == (
        *counts,
        after_retention,
    )


def test_the_purge_of_a_purged_registration_cannot_reach_the_guest(finished, mailoutbox):
    event = finished["event"]
    services.purge_personal_data(
        now=event.ends_at + timedelta(days=settings.SOLIDAR_EVENT_RETENTION_DAYS)
    )
    guest = Registration.objects.get(pk=finished["guest"].pk)
    assert (guest.name, guest.email, guest.answers) == ("", "", "")
    with pytest.raises(services.EventError):
        services.issue_letter(guest, by=None)


def test_unconfirmed_guests_are_deleted_once_their_link_expired(forum, committed, mailoutbox):
    with committed():
        old = services.register_guest(forum, name="Old", email="old@example.net", language="en")
    later = old.confirm_expires_at + timedelta(minutes=1)
    with committed():
        fresh = services.register_guest(
            forum, name="Fresh", email="fresh@example.net", language="en"
        )
    Registration.objects.filter(pk=fresh.pk).update(confirm_expires_at=later + timedelta(hours=1))
    assert services.purge_personal_data(now=later) == 0  # no event is old enough
    assert not Registration.objects.filter(pk=old.pk).exists()
    assert Registration.objects.filter(pk=fresh.pk).exists()
    forum.refresh_from_db()
    assert forum.registered_count == 0 and forum.purged_at is None


# -- offers that lapse ---------------------------------------------------------------------------
def subjects(mailoutbox, start: str) -> list[list[str]]:
    return [m.to for m in mailoutbox if m.subject.startswith(start)]


def test_expiring_offers_and_promoting_are_idempotent(forum, attendees, committed, mailoutbox):
    people = attendees(forum, 12)  # 10 places, 2 waiting
    mailoutbox.clear()
    with committed():
        services.cancel_registration(Registration.objects.get(event=forum, user=people[0]))
    first = Registration.objects.get(event=forum, user=people[10])
    assert first.status == S.OFFERED
    assert subjects(mailoutbox, "A place is free") == [[people[10].email]]
    with committed():
        assert run(tasks.promote_waiting, str(forum.pk)) == 0  # the place is offered already

    deadline = first.offer_expires_at
    with committed():
        assert services.expire_offers(now=deadline - timedelta(minutes=1)) == 0
    assert Registration.objects.get(pk=first.pk).status == S.OFFERED

    later = deadline + timedelta(minutes=1)
    with committed():
        assert services.expire_offers(now=later) == 1
    state = dict(Registration.objects.filter(event=forum).values_list("user_id", "status"))
    assert state[people[10].pk] == S.EXPIRED
    assert state[people[11].pk] == S.OFFERED
    forum.refresh_from_db()
    counters = (forum.registered_count, forum.offered_count, forum.waiting_count)
    assert counters == (9, 1, 0)

    with committed():
        assert services.expire_offers(now=later) == 0
        assert services.promote(forum.pk, now=later) == 0
        assert run(tasks.expire_offers) == 0
        assert run(tasks.promote_waiting, str(forum.pk)) == 0
    assert dict(Registration.objects.filter(event=forum).values_list("user_id", "status")) == state
    forum.refresh_from_db()
    assert (forum.registered_count, forum.offered_count, forum.waiting_count) == counters
    # One e-mail per offer, one per lapsed offer: none twice.
    assert subjects(mailoutbox, "A place is free") == [[people[10].email], [people[11].email]]
    assert subjects(mailoutbox, "The offered place has gone") == [[people[10].email]]
