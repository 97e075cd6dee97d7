"""The organisers' participant list, its actions and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.conftest import client_for
from solidar.core.models import AuditEvent
from solidar.core.testing import assert_max_queries, assert_not_found_for
from solidar.events import services
from solidar.events.models import Event, Question, Registration
from solidar.events.tests.participants_helpers import add_guest
from solidar.network.tests.factories import MembershipFactory

S = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def paris_coordinator(paris):
    user = UserFactory(username="pariscoord", display_name="Coordinator Jeanne")
    user.totp_secret = add_totp(user)
    MembershipFactory(collective=paris, user=user, coordinator=True)
    return user


@pytest.fixture
def questions(forum, coordinator):
    services.add_standard_questions(forum, by=coordinator)
    return {q.purpose: q for q in forum.questions.all()}


def url(name, event, *args):
    return reverse(f"events:{name}", args=[event.slug, *args])


def organiser_urls(event, registration):
    return [
        url("participants", event),
        url("export", event),
        url("checkin", event) + "?q=a",
        url("print_list", event),
        url("letter_template", event),
        url("letter", event, registration.pk),
    ]


# -- who may see it ---------------------------------------------------------------------------
def test_only_organisers_see_the_participants(
    forum,
    attendees,
    outsider,
    member,
    other_member,
    hidden_member,
    paris_coordinator,
    coordinator,
    coordinator_without_mfa,
    network_organiser,
):
    attendees(forum, 1)
    registration = forum.registrations.get()
    urls = organiser_urls(forum, registration)
    others = {
        "member": client_for(member),
        "other cell's member": client_for(other_member),
        "hidden cell's member": client_for(hidden_member),
        "other cell's coordinator": client_for(paris_coordinator),
    }
    assert_not_found_for(others, urls)
    action = url("participant_action", forum, registration.pk)
    for client in others.values():
        assert client.post(action, {"action": "check_in"}).status_code == 404
    # Anonymous (a guest has no account): sign in first, and nothing is shown.
    response = outsider.get(url("participants", forum))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert outsider.post(action, {"action": "check_in"}).status_code == 302
    # A coordinator without a second factor is sent to set it up.
    response = client_for(coordinator_without_mfa).get(url("participants", forum))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    for user in (coordinator, network_organiser):
        for page in urls[:-1]:
            assert client_for(user).get(page).status_code == 200, page
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_network_event_is_for_the_network_organisers(
    event_factory, attendees, coordinator, network_organiser
):
    event = event_factory(organiser=None, by=network_organiser, title="Network assembly")
    attendees(event, 1)
    assert client_for(coordinator).get(url("participants", event)).status_code == 404
    assert client_for(network_organiser).get(url("participants", event)).status_code == 200


# -- the list -----------------------------------------------------------------------------------
def test_a_guests_address_is_in_the_export_only(forum, coordinator, attendees, committed):
    attendees(forum, 2)
    add_guest(forum, "Guest Mira", "mira.secret@example.org", committed)
    client = client_for(coordinator)

    for page in ("participants", "print_list"):
        html = client.get(url(page, forum)).content.decode()
        assert "Guest Mira" in html
        assert "mira.secret" not in html
    html = client.get(url("checkin", forum) + "?q=mira").content.decode()
    assert "Guest Mira" in html and "mira.secret" not in html

    response = client.get(url("export", forum))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Guest Mira"][2] == "mira.secret@example.org"
    assert by_name["Att 0"][2] == ""  # members' addresses are not exported


def test_counts_answers_and_needs(forum, coordinator, questions, koeln):
    person = UserFactory(display_name="Olena Koval")
    MembershipFactory(collective=koeln, user=person)
    answers = {
        str(questions["bed"].pk): "yes",
        str(questions["visa"].pk): "no",
        str(questions["interpretation"].pk): questions["interpretation"].choice_list[1],
        str(questions["diet"].pk): "Vegan, no nuts",
    }
    services.register_member(forum, person, answers=answers)
    html = client_for(coordinator).get(url("participants", forum)).content.decode()

    assert "Olena Koval" in html
    assert "Do you need a bed in a solidarity flat?" in html  # the question's label
    assert "Yes" in html and "No" in html  # yes/no read as words
    assert "Vegan, no nuts" in html
    assert 'class="answer--need"' in html  # bed, interpretation, diet highlighted
    assert html.count('class="answer--need"') == 3
    for need in ("bed", "interpretation", "diet"):
        assert f'<span class="badge badge--warning">{need}</span>' in html
    assert '<span class="badge badge--warning">visa letter</span>' not in html


def test_the_counts_at_the_top(forum, coordinator, attendees, committed):
    attendees(forum, 12)  # 10 places: 2 waiting
    registration = forum.registrations.filter(status=S.REGISTERED).first()
    services.check_in(registration, by=coordinator)
    forum.refresh_from_db()
    html = client_for(coordinator).get(url("participants", forum)).content.decode()

    assert "<dt>Registered</dt><dd>10</dd>" in html
    assert "<dt>Places</dt><dd>10</dd>" in html
    assert "<dt>Waiting</dt><dd>2</dd>" in html
    assert "<dt>Checked in</dt><dd>1</dd>" in html
    assert "Attendance" not in html  # not before the event is over


def test_pending_requests_are_approved_or_declined(
    event_factory, coordinator, attendees, mailoutbox
):
    event = event_factory(requires_approval=True, capacity=5)
    attendees(event, 2)
    first, second = event.registrations.order_by("created_at")
    client = client_for(coordinator)
    html = client.get(url("participants", event)).content.decode()
    assert "<dt>Waiting for approval</dt><dd>2</dd>" in html
    assert html.count('value="approve"') == 2

    response = client.post(url("participant_action", event, first.pk), {"action": "approve"})
    assert response.status_code == 302
    assert response["Location"] == url("participants", event)
    client.post(url("participant_action", event, second.pk), {"action": "decline"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.REGISTERED, S.DECLINED)

    # Answered already: refused with the reason, nothing changes.
    response = client.post(url("participant_action", event, second.pk), {"action": "approve"})
    assert response.status_code == 409
    assert "answered already" in response.content.decode()
    second.refresh_from_db()
    assert second.status == S.DECLINED


def test_filter_by_status_and_search_by_name(forum, coordinator, attendees, koeln):
    attendees(forum, 11)  # the 11th is waiting
    for name in ("Олена Коваль", "Ґанна Їжак"):
        person = UserFactory(display_name=name)
        MembershipFactory(collective=koeln, user=person)
        services.register_member(forum, person)
    client = client_for(coordinator)
    page = url("participants", forum)

    waiting = client.get(page, {"status": "waiting"}).content.decode()
    assert "Att 10" in waiting and "Att 1<" not in waiting and "Олена" in waiting
    # Search is case-insensitive for Cyrillic too (not SQLite's ASCII-only LIKE).
    for q in ("олена", "КОВАЛЬ", "  оЛЕна   коваль "):
        html = client.get(page, {"q": q}).content.decode()
        assert "Олена Коваль" in html, q
        assert "Att 0" not in html
    assert "Ґанна Їжак" in client.get(page, {"q": "ґанна ї"}).content.decode()
    assert "Nobody matches" in client.get(page, {"q": "nobody-here"}).content.decode()
    # An unknown status is ignored (everyone active), not an error.
    assert client.get(page, {"status": "nonsense"}).status_code == 200


def test_pages_of_fifty_keep_the_filter(event_factory, coordinator, attendees):
    event = event_factory(capacity=None)
    attendees(event, 52)
    client = client_for(coordinator)
    html = client.get(
        url("participants", event), {"q": "att", "status": "registered"}
    ).content.decode()
    assert html.count("<tr>") == 51  # the header and 50 rows
    assert "?page=2&amp;status=registered&amp;q=att" in html
    second = client.get(url("participants", event), {"page": 2, "q": "att", "status": "registered"})
    assert second.content.decode().count("<tr>") == 3


@pytest.mark.parametrize(
    ("status", "people"),
    [("", 53), ("registered", 50), ("waiting", 3), ("cancelled", 1), ("all", 54)],
)
def test_the_number_of_people_and_pages_match_the_filter(
    event_factory, coordinator, attendees, status, people
):
    """Without a search the number of people comes from the event's counters (no count
    query), with the statuses they do not count from the database: both must be right."""
    event = event_factory(capacity=50)
    attendees(event, 54)  # 50 registered, 4 waiting
    services.cancel_registration(event.registrations.get(name="Att 53"))
    html = client_for(coordinator).get(url("participants", event), {"status": status})
    html = html.content.decode()
    assert (f"{people} people" if people > 1 else "1 person") in html
    assert ("Page 1 of 2" in html) is (people > 50)


def test_after_the_event_the_attendance(event_factory, coordinator, attendees):
    event = event_factory(
        starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=3)
    )
    attendees(event, 4)
    for registration in event.registrations.all()[:3]:
        services.check_in(registration, by=coordinator)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() - timedelta(hours=20)
    )
    html = client_for(coordinator).get(url("participants", event)).content.decode()
    assert "<dt>Attendance</dt><dd>75 %</dd>" in html


def test_after_the_purge_the_counts_only(event_factory, coordinator, attendees, committed):
    event = event_factory(
        starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=3)
    )
    attendees(event, 3)
    add_guest(event, "Guest Mira", "mira@example.org", committed)
    services.check_in(event.registrations.first(), by=coordinator)
    later = timezone.now() + timedelta(days=settings.SOLIDAR_EVENT_RETENTION_DAYS + 1)
    services.purge_personal_data(later)
    event.refresh_from_db()
    html = client_for(coordinator).get(url("participants", event)).content.decode()

    assert "was deleted on" in html
    assert "<dt>Registered</dt><dd>4</dd>" in html
    assert "<dt>Checked in</dt><dd>1</dd>" in html
    assert "Att 0" not in html and "Guest Mira" not in html
    assert "<table" not in html


# -- where an action goes back to ------------------------------------------------------------
@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("{checkin}?q=att", "{checkin}?q=att"),
        ("{print}", "{print}"),
        ("https://evil.example/{participants}", "{participants}"),
        ("//evil.example/", "{participants}"),
        ("{other}", "{participants}"),  # another event's page
        ("/en/events/", "{participants}"),  # not an organiser page of this event
        ("javascript:alert(1)", "{participants}"),
        ("", "{participants}"),
    ],
)
def test_actions_go_back_only_to_this_events_pages(
    forum, event_factory, coordinator, attendees, next_url, expected
):
    other = event_factory(title="Another event")
    attendees(forum, 1)
    registration = forum.registrations.get()
    names = {
        "checkin": url("checkin", forum),
        "print": url("print_list", forum),
        "participants": url("participants", forum),
        "other": url("checkin", other),
    }
    response = client_for(coordinator).post(
        url("participant_action", forum, registration.pk),
        {"action": "check_in", "next": next_url.format(**names)},
    )
    assert response.status_code == 302
    assert response["Location"] == expected.format(**names)


def test_an_unknown_action_is_refused(forum, coordinator, attendees):
    attendees(forum, 1)
    registration = forum.registrations.get()
    response = client_for(coordinator).post(
        url("participant_action", forum, registration.pk), {"action": "delete"}
    )
    assert response.status_code == 400
    assert (
        client_for(coordinator).get(url("participant_action", forum, registration.pk)).status_code
        == 405
    )


def test_a_registration_of_another_event_is_not_found(forum, event_factory, coordinator, attendees):
    other = event_factory(title="Another event")
    attendees(other, 1)
    registration = other.registrations.get()
    response = client_for(coordinator).post(
        url("participant_action", forum, registration.pk), {"action": "check_in"}
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


# -- the export -------------------------------------------------------------------------------
def test_the_export_is_logged_and_safe_for_spreadsheets(forum, coordinator, questions, committed):
    diet = questions[Question.Purpose.DIET]
    add_guest(
        forum,
        '=HYPERLINK("http://evil.example","click")',
        "guest@example.org",
        committed,
        answers={str(diet.pk): "+cmd|' /C calc'!A0"},
        letter_name="@SUM(A1)",
    )
    add_guest(forum, "-2+3", "minus@example.org", committed)
    before = AuditEvent.objects.filter(action="events.participants_exported").count()

    response = client_for(coordinator).get(url("export", forum))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"] == f'attachment; filename="{forum.slug}-participants.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    logged = AuditEvent.objects.filter(action="events.participants_exported")
    assert logged.count() == before + 1
    assert logged.first().object_id == str(forum.pk)
    assert logged.first().actor_id == coordinator.pk
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *body = rows
    assert header[:8] == [
        "Name",
        "Member or guest",
        "E-mail",
        "Language",
        "Status",
        "Registered at (Europe/Berlin)",
        "Checked in at (Europe/Berlin)",
        "Name for the letter",
    ]
    assert diet.label in header
    cells = [cell for row in body for cell in row]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'+cmd|' /C calc'!A0" in cells
    assert "'@SUM(A1)" in cells
    assert "'-2+3" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)


# -- query counts -----------------------------------------------------------------------------
def _get(client, page, expected):
    signed_in = settings.SESSION_COOKIE_NAME in client.cookies
    if signed_in and settings.SESSION_ENGINE.endswith("cached_db"):
        expected -= 1
    with assert_max_queries(expected, exact=True):
        response = client.get(page)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", [1, 50])
def test_query_counts_do_not_grow_with_the_list(event_factory, coordinator, koeln, size):
    event = event_factory(capacity=None)
    services.add_standard_questions(event, by=coordinator)
    visa = event.questions.get(purpose=Question.Purpose.VISA)
    diet = event.questions.get(purpose=Question.Purpose.DIET)
    for number in range(size):
        person = UserFactory(username=f"p{number}", display_name=f"Person {number}")
        MembershipFactory(collective=koeln, user=person)
        services.register_member(
            event, person, answers={str(visa.pk): "yes", str(diet.pk): "vegan"}
        )
    client = client_for(coordinator)
    client.get(url("participants", event))  # the session's first use

    # Session, user, memberships, MFA, event; then the page's own: the pending and
    # unconfirmed counts, the questions and the rows of the page (the number of people
    # comes from the counters).
    html = _get(client, url("participants", event), 8).content.decode()
    assert html.count("vegan") == size and html.count("Letter (PDF)") == size
    # The printed list: questions and all rows (no count); check-in: the count and 30 rows.
    _get(client, url("print_list", event), 7)
    html = _get(client, url("checkin", event) + "?q=person", 7).content.decode()
    assert html.count('value="check_in"') == min(size, 30)


# -- the list for the door --------------------------------------------------------------------
def test_the_printed_list_is_alphabetical_with_the_needs_of_the_day(
    forum, coordinator, questions, koeln, attendees
):
    bed, diet = questions["bed"], questions["diet"]
    for name, answers in [
        ("Zoya", {str(bed.pk): "yes"}),
        ("андрій", {str(diet.pk): "no gluten"}),
        ("Boris", {str(bed.pk): "no"}),
    ]:
        person = UserFactory(display_name=name)
        MembershipFactory(collective=koeln, user=person)
        services.register_member(forum, person, answers=answers)
    attendees(forum, 8)  # 10 places: the last one waits
    html = client_for(coordinator).get(url("print_list", forum)).content.decode()

    body = html.split("<tbody>", 1)[1]
    assert body.index("Boris") < body.index("Zoya") < body.index("андрій")
    assert "Att 7" not in body  # waiting, not registered
    assert body.count("<tr>") == 10
    assert "no gluten" in body and "<td>Yes</td>" in body
    assert "<td>No</td>" not in body  # only the needs
    assert "print-box" in body
    assert "10 people registered" in html
