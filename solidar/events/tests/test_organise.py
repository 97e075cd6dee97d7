"""The organisers' pages: create and edit events in their own time zone, publish and call
them off, the programme, the registration questions and the invitations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.conf import settings
from django.urls import reverse

from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.conftest import client_for
from solidar.core.forms import to_utc
from solidar.events import services
from solidar.events.models import Event, EventInvitation, Question, Session
from solidar.events.tests.conftest import in_days
from solidar.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def event_data(organiser="", **overrides) -> dict:
    """What the create/edit form posts: a forum in Köln in June 2030."""
    data = {
        "organiser": str(organiser),
        "kind": "forum",
        "title_en": "Forum of the exiled left",
        "title_de": "Forum der exilierten Linken",
        "title_ru": "",
        "title_uk": "",
        "description_en": "Two days of talks.",
        "accessibility_en": "Step-free entrance.",
        "start_date": "2030-06-12",
        "start_time": "10:00",
        "end_date": "2030-06-14",
        "end_time": "18:00",
        "time_zone": "Europe/Berlin",
        "place": "Alte Feuerwache",
        "address": "Melchiorstraße 3",
        "city": "Köln",
        "country": "de",
        "online_url": "",
        "visibility": "public",
        "languages": ["ru", "uk", "de"],
        "interpretation": ["de"],
        "capacity": "120",
        "registration_open": "on",
        "closes_date": "2030-06-10",
        "closes_time": "23:59",
        "allow_guests": "on",
        "offer_hours": "48",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_data(event: Event, **overrides) -> dict:
    """The edit form as shown for ``event``, with ``overrides``."""
    local_start, local_end = event.local_start, event.local_end
    data = {
        "kind": event.kind,
        "title_en": event.title_en or "",
        "title_de": event.title_de or "",
        "start_date": local_start.date().isoformat(),
        "start_time": local_start.strftime("%H:%M"),
        "end_date": local_end.date().isoformat(),
        "end_time": local_end.strftime("%H:%M"),
        "time_zone": event.time_zone,
        "place": event.place,
        "city": event.city,
        "country": event.country,
        "visibility": event.visibility,
        "languages": event.languages,
        "capacity": "" if event.capacity is None else str(event.capacity),
        "registration_open": "on",
        "offer_hours": str(event.offer_hours),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def coordinator_client(coordinator):
    return client_for(coordinator)


@pytest.fixture
def paris_coordinator(paris):
    user = UserFactory(username="pariscoordinator", display_name="Coordinator Anne")
    user.totp_secret = add_totp(user)
    MembershipFactory(collective=paris, user=user, coordinator=True)
    return user


# -- creating ------------------------------------------------------------------------------------
def test_coordinator_creates_a_forum_in_berlin_stored_in_utc(koeln, coordinator_client):
    response = coordinator_client.post(reverse("events:create"), event_data(koeln.pk))

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:programme", args=[event.slug])
    # June in Berlin is UTC+2.
    assert event.starts_at == utc(2030, 6, 12, 8, 0)
    assert event.ends_at == utc(2030, 6, 14, 16, 0)
    assert event.registration_closes_at == utc(2030, 6, 10, 21, 59)
    assert event.time_zone == "Europe/Berlin"
    assert event.status == Event.Status.DRAFT  # a draft unless "publish now"
    assert event.organiser == koeln
    assert (event.title_en, event.title_de, event.title_ru) == (
        "Forum of the exiled left",
        "Forum der exilierten Linken",
        "",
    )
    assert event.country == "DE"
    assert event.capacity == 120
    assert event.languages == ["ru", "uk", "de"]


def test_an_event_in_buenos_aires(koeln, coordinator_client):
    data = event_data(
        koeln.pk,
        time_zone="America/Argentina/Buenos_Aires",
        start_date="2030-06-12",
        start_time="19:00",
        end_date="2030-06-12",
        end_time="22:30",
        closes_date="",
        closes_time="",
        kind="meeting",
        publish_now="on",
    )

    response = coordinator_client.post(reverse("events:create"), data)

    event = Event.objects.get()
    assert response["Location"] == reverse("events:detail", args=[event.slug])
    assert event.starts_at == utc(2030, 6, 12, 22, 0)  # UTC-3
    assert event.ends_at == utc(2030, 6, 13, 1, 30)
    assert event.registration_closes_at is None
    assert event.status == Event.Status.PUBLISHED
    # The edit form shows the local times again.
    page = coordinator_client.get(reverse("events:edit", args=[event.slug])).content.decode()
    assert 'value="19:00"' in page
    assert 'value="2030-06-12"' in page


def test_the_fallback_title_is_the_first_language_given(koeln, coordinator_client):
    data = event_data(koeln.pk, title_en="", title_de="", title_uk="Форум лівих")

    coordinator_client.post(reverse("events:create"), data)

    event = Event.objects.get()
    assert Event.objects.filter(pk=event.pk).values_list("title", flat=True)[0] == "Форум лівих"
    assert event.title_en == ""


def test_the_time_zone_select_lists_common_zones_first(koeln, coordinator_client):
    page = coordinator_client.get(reverse("events:create")).content.decode()

    assert page.count('value="Europe/Berlin"') == 1  # one option, one selected
    buenos_aires = page.index('value="America/Argentina/Buenos_Aires"')
    assert page.index('value="Asia/Tbilisi"') < buenos_aires < page.index('value="Africa/Abidjan"')
    assert 'value="Pacific/Auckland"' in page
    assert 'value="localtime"' not in page


def test_a_title_is_required_in_one_language(koeln, coordinator_client):
    data = event_data(koeln.pk, title_en="", title_de="  ")

    response = coordinator_client.post(reverse("events:create"), data)

    assert response.status_code == 400
    assert "Give a title in at least one language." in response.content.decode()
    assert not Event.objects.exists()


def test_a_time_in_the_spring_forward_gap_is_refused(koeln, coordinator_client):
    # 31 March 2030, Berlin: clocks jump from 02:00 to 03:00.
    data = event_data(koeln.pk, start_date="2030-03-31", start_time="02:30", closes_date="")
    data["closes_time"] = ""

    response = coordinator_client.post(reverse("events:create"), data)

    assert response.status_code == 400
    assert "This time does not exist in that time zone (clocks change)." in (
        response.content.decode()
    )
    assert not Event.objects.exists()


def test_a_repeated_autumn_time_is_the_first_of_the_two():
    # 27 October 2030, Berlin: 02:30 happens twice; the first is still summer time (UTC+2).
    assert to_utc(date(2030, 10, 27), time(2, 30), "Europe/Berlin") == utc(2030, 10, 27, 0, 30)
    assert to_utc(date(2030, 3, 31), time(3, 0), "Europe/Berlin") == utc(2030, 3, 31, 1, 0)


def test_end_before_start_is_refused_with_the_message(koeln, coordinator_client):
    data = event_data(koeln.pk, end_date="2030-06-11", closes_date="", closes_time="")

    response = coordinator_client.post(reverse("events:create"), data)

    assert response.status_code == 400
    assert "The end must be after the start." in response.content.decode()
    assert 'value="Forum der exilierten Linken"' in response.content.decode()  # nothing lost
    assert not Event.objects.exists()


def test_an_online_link_must_be_https(koeln, coordinator_client):
    data = event_data(koeln.pk, online_url="http://meet.example.org/x")

    response = coordinator_client.post(reverse("events:create"), data)

    assert response.status_code == 400
    assert "https://" in response.content.decode()
    assert not Event.objects.exists()


# -- who may ---------------------------------------------------------------------------------------
def test_coordinator_without_mfa_is_sent_to_set_it_up(coordinator_without_mfa, forum):
    client = client_for(coordinator_without_mfa)
    for url in (
        reverse("events:organise"),
        reverse("events:create"),
        reverse("events:edit", args=[forum.slug]),
        reverse("events:programme", args=[forum.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_index")


def test_plain_member_and_outsiders_get_404(member_client, other_member, hidden_member, forum):
    urls = [
        reverse("events:organise"),
        reverse("events:create"),
        reverse("events:edit", args=[forum.slug]),
        reverse("events:programme", args=[forum.slug]),
        reverse("events:questions", args=[forum.slug]),
        reverse("events:invitations", args=[forum.slug]),
        reverse("events:cancel_event", args=[forum.slug]),
    ]
    for client in (member_client, client_for(other_member), client_for(hidden_member)):
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("events:publish", args=[forum.slug])).status_code == 404


def test_anonymous_is_sent_to_log_in(outsider, forum):
    response = outsider.get(reverse("events:edit", args=[forum.slug]))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_coordinator_of_another_cell_gets_404(paris_coordinator, forum):
    client = client_for(paris_coordinator)
    before = Event.objects.get(pk=forum.pk).title

    for url in (
        reverse("events:edit", args=[forum.slug]),
        reverse("events:programme", args=[forum.slug]),
        reverse("events:questions", args=[forum.slug]),
        reverse("events:invitations", args=[forum.slug]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("events:edit", args=[forum.slug]), edit_data(forum, title_en="X")
    )
    assert response.status_code == 404
    assert client.post(reverse("events:cancel_event", args=[forum.slug])).status_code == 404
    forum.refresh_from_db()
    assert (forum.title, forum.status) == (before, Event.Status.PUBLISHED)
    # The overview lists paris's events only.
    assert forum.title not in client.get(reverse("events:organise")).content.decode()


def test_network_organiser_creates_a_network_wide_event(network_organiser, koeln):
    client = client_for(network_organiser)
    assert "The network as a whole" in client.get(reverse("events:create")).content.decode()

    response = client.post(reverse("events:create"), event_data("network"))

    assert response.status_code == 302
    assert Event.objects.get().organiser is None


def test_a_coordinator_cannot_create_a_network_wide_event(koeln, paris, coordinator_client):
    page = coordinator_client.get(reverse("events:create")).content.decode()
    assert "The network as a whole" not in page
    assert f'value="{koeln.pk}"' in page
    assert f'value="{paris.pk}"' not in page

    forged = coordinator_client.post(reverse("events:create"), event_data("network"))
    other_cell = coordinator_client.post(reverse("events:create"), event_data(paris.pk))

    assert forged.status_code == 400
    assert other_cell.status_code == 400
    assert not Event.objects.exists()


# -- editing ---------------------------------------------------------------------------------------
def test_edit_changes_the_event_and_keeps_the_organiser(forum, paris, coordinator_client):
    data = edit_data(forum, title_en="Forum 2", start_time="09:00", organiser=str(paris.pk))

    response = coordinator_client.post(reverse("events:edit", args=[forum.slug]), data)

    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.title_en == "Forum 2"
    assert forum.title_de == "Forum der exilierten Linken"
    assert forum.local_start.hour == 9
    assert forum.organiser.slug == "koeln"  # the organiser field is disabled


def test_capacity_below_the_places_taken_is_refused(forum, attendees, coordinator_client):
    attendees(forum, 3)

    response = coordinator_client.post(
        reverse("events:edit", args=[forum.slug]), edit_data(forum, capacity="2", title_en="New")
    )

    assert response.status_code == 400
    assert "3 places are already taken" in response.content.decode()
    forum.refresh_from_db()
    assert (forum.capacity, forum.title_en) == (10, "Forum of the exiled left")


def test_publish_a_draft(event_factory, coordinator_client):
    draft = event_factory(status=Event.Status.DRAFT)
    url = reverse("events:publish", args=[draft.slug])

    assert coordinator_client.get(url).status_code == 405
    response = coordinator_client.post(url)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED
    again = coordinator_client.post(url)
    assert again.status_code == 409
    assert "Only a draft can be published." in again.content.decode()


def test_cancel_tells_everyone_registered(
    forum, attendees, coordinator_client, mailoutbox, committed
):
    attendees(forum, 2)
    url = reverse("events:cancel_event", args=[forum.slug])
    page = coordinator_client.get(url)
    assert page.status_code == 200
    assert "2 people now" in page.content.decode()
    forum.refresh_from_db()
    assert forum.status == Event.Status.PUBLISHED  # GET changes nothing
    mailoutbox.clear()

    with committed():
        response = coordinator_client.post(url)

    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.status == Event.Status.CANCELLED
    assert len(mailoutbox) == 2
    followed = coordinator_client.get(response["Location"]).content.decode()
    assert "2 people were told by e-mail" in followed
    assert coordinator_client.post(url).status_code == 409


# -- the programme ---------------------------------------------------------------------------------
def session_data(day, **overrides) -> dict:
    data = {
        "title_en": "Opening",
        "title_ru": "Открытие",
        "description_en": "",
        "day": day.isoformat(),
        "start_time": "10:30",
        "end_time": "11:30",
        "room": "Hall A",
        "speakers": "Nadia, Pavel",
        "languages": ["ru", "de"],
    }
    data.update(overrides)
    return data


def test_programme_add_edit_delete(forum, coordinator_client):
    url = reverse("events:programme", args=[forum.slug])
    day = forum.local_start.date()

    response = coordinator_client.post(url, session_data(day))

    assert response.status_code == 302
    session = Session.objects.get(event=forum)
    assert session.title_ru == "Открытие"
    assert session.starts_at.astimezone(forum.zone).time() == time(10, 30)
    page = coordinator_client.get(url).content.decode()
    assert "Opening" in page
    assert "10:30" in page
    assert "(Russian, German)" in page

    edit_url = reverse("events:session_edit", args=[forum.slug, session.pk])
    assert 'value="10:30"' in coordinator_client.get(edit_url).content.decode()
    response = coordinator_client.post(edit_url, session_data(day, title_en="Welcome"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title_en == "Welcome"

    delete_url = reverse("events:session_delete", args=[forum.slug, session.pk])
    assert coordinator_client.get(delete_url).status_code == 405
    assert coordinator_client.post(delete_url).status_code == 302
    assert not Session.objects.filter(event=forum).exists()


def test_a_session_outside_the_event_is_refused(forum, coordinator_client):
    url = reverse("events:programme", args=[forum.slug])
    day = forum.local_start.date()

    before = coordinator_client.post(url, session_data(day, start_time="08:00", end_time="09:00"))
    after = coordinator_client.post(
        url, session_data(forum.local_end.date(), start_time="18:30", end_time="19:00")
    )

    for response in (before, after):
        assert response.status_code == 400
        assert "A session must take place during the event." in response.content.decode()
    assert not Session.objects.exists()


def test_a_session_of_another_event_is_404(forum, event_factory, coordinator_client):
    other = event_factory(title="Another")
    session = services.save_session(
        other, by=None, title="Elsewhere", starts_at=other.starts_at, ends_at=other.ends_at
    )

    url = reverse("events:session_edit", args=[forum.slug, session.pk])
    assert coordinator_client.get(url).status_code == 404
    delete = reverse("events:session_delete", args=[forum.slug, session.pk])
    assert coordinator_client.post(delete).status_code == 404
    assert Session.objects.filter(pk=session.pk).exists()


# -- questions -------------------------------------------------------------------------------------
def test_questions_add_standard_edit_delete(forum, coordinator_client):
    url = reverse("events:questions", args=[forum.slug])

    response = coordinator_client.post(
        url,
        {
            "kind": "choice",
            "purpose": "",
            "label_en": "Which workshop?",
            "choices_en": "Housing\r\nUnions\r\n\r\n",
            "label_de": "Welcher Workshop?",
            "choices_de": "Wohnen\nGewerkschaften",
            "required": "on",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(event=forum)
    assert question.choices_en == "Housing\nUnions"
    assert question.label_de == "Welcher Workshop?"
    assert question.required

    assert coordinator_client.post(url, {"standard": "1"}).status_code == 302
    purposes = set(forum.questions.values_list("purpose", flat=True))
    assert purposes == {"", "bed", "visa", "interpretation", "diet"}
    coordinator_client.post(url, {"standard": "1"})  # a second time adds nothing
    assert forum.questions.count() == 5

    edit_url = reverse("events:question_edit", args=[forum.slug, question.pk])
    response = coordinator_client.post(
        edit_url, {"kind": "text", "label_en": "Which workshop interests you?"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.label_en, question.label_de) == (
        "text",
        "Which workshop interests you?",
        "",
    )

    delete_url = reverse("events:question_delete", args=[forum.slug, question.pk])
    assert coordinator_client.post(delete_url).status_code == 302
    assert forum.questions.count() == 4


def test_a_choice_needs_two_options(forum, coordinator_client):
    response = coordinator_client.post(
        reverse("events:questions", args=[forum.slug]),
        {"kind": "choice", "label_en": "Which?", "choices_en": "Only one"},
    )

    assert response.status_code == 400
    assert "at least two options" in response.content.decode()
    assert not forum.questions.exists()


def test_editing_questions_after_registrations_warns(forum, attendees, coordinator_client):
    services.add_standard_questions(forum, by=None)
    question = forum.questions.first()
    warning = "their earlier answers stay as given"
    url = reverse("events:question_edit", args=[forum.slug, question.pk])
    assert warning not in coordinator_client.get(url).content.decode()

    attendees(forum, 1)

    assert warning in coordinator_client.get(url).content.decode()
    questions_page = reverse("events:questions", args=[forum.slug])
    assert warning in coordinator_client.get(questions_page).content.decode()


# -- invitations -----------------------------------------------------------------------------------
def test_invite_a_member_of_the_collective(invited_event, member, coordinator_client):
    url = reverse("events:invitations", args=[invited_event.slug])

    response = coordinator_client.post(url, {"who": "lena"})  # the pseudonym, any case

    assert response.status_code == 302
    assert EventInvitation.objects.filter(event=invited_event, user=member).exists()
    assert "Lena" in coordinator_client.get(url).content.decode()
    again = coordinator_client.post(url, {"who": "member"})  # the username
    assert again.status_code == 400
    assert "invited already" in again.content.decode()


def test_members_outside_the_organisers_collectives_are_unknown(
    invited_event, other_member, hidden_member, coordinator_client
):
    url = reverse("events:invitations", args=[invited_event.slug])
    responses = [
        coordinator_client.post(url, {"who": who})
        for who in ("Taras", "othermember", "Ales", "nobody at all")
    ]

    bodies = {r.content.decode().split("<main", 1)[1] for r in responses}
    assert {r.status_code for r in responses} == {400}
    assert all("No member of your collectives has this pseudonym" in body for body in bodies)
    assert not EventInvitation.objects.exists()


def test_invitations_only_for_invitation_only_events(forum, member, coordinator_client):
    url = reverse("events:invitations", args=[forum.slug])

    page = coordinator_client.get(url).content.decode()
    response = coordinator_client.post(url, {"who": "member"})

    assert "not invitation-only" in page
    assert response.status_code == 409
    assert not EventInvitation.objects.exists()


# -- the overview ----------------------------------------------------------------------------------
def test_overview_lists_upcoming_then_past_with_drafts_marked(
    event_factory, attendees, coordinator_client
):
    event_factory(title="Past meeting", starts_at=in_days(-5, 10), ends_at=in_days(-5, 12))
    draft = event_factory(title="Draft forum", status=Event.Status.DRAFT)
    soon = event_factory(
        title="Soon meeting",
        starts_at=in_days(2, 10),
        ends_at=in_days(2, 12),
        capacity=5,
        requires_approval=True,
    )
    attendees(soon, 2)

    page = coordinator_client.get(reverse("events:organise")).content.decode()

    assert page.index("Soon meeting") < page.index("Draft forum") < page.index("Past meeting")
    assert reverse("events:publish", args=[draft.slug]) in page
    assert reverse("events:publish", args=[soon.slug]) not in page
    assert page.count(">draft</span>") == 1
    assert '<span class="badge badge--accent">2</span>' in page  # two requests to answer
    assert "0 of 5" in page
    assert reverse("events:create") in page


@pytest.mark.parametrize("size", [1, 20])
def test_overview_queries_do_not_grow(event_factory, coordinator, size, django_assert_num_queries):
    """``size`` upcoming and ``size`` past events (both lists filled: an empty page of past
    events skips its query), each asking for approval."""
    for number in range(size):
        for days in (10, -10):
            event_factory(
                title=f"Event {number} {days}",
                starts_at=in_days(days, 10),
                ends_at=in_days(days, 12),
                requires_approval=True,
            )
    client = client_for(coordinator)
    url = reverse("events:organise")
    client.get(url)  # the first request of a session refreshes it

    # session, user, permissions (2: they also tell a network organiser), memberships, MFA,
    # count of the past, upcoming events, a page of past events.
    expected = 9
    if settings.SESSION_ENGINE.endswith("cached_db"):
        expected -= 1
    with django_assert_num_queries(expected):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 2 * size + 2  # rows and two headings
