"""The events' public and member pages: the list, past events, an event, registering as a
member or a guest, the links in the e-mails (confirm, personal link), my registrations."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from solidar.accounts.tests.factories import UserFactory
from solidar.conftest import client_for
from solidar.core.testing import assert_not_found_for
from solidar.events import services
from solidar.events.models import Event, Question, Registration
from solidar.events.tests.conftest import in_days
from solidar.network.tests.factories import MembershipFactory

S = Registration.Status
pytestmark = pytest.mark.django_db
GUEST_EMAIL = "guest.person@example.org"


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"events:{name}", args=args)


def body(response) -> str:
    return response.content.decode()


def link_in(mail, name: str) -> str:
    """The token of the first events:<name> link in an e-mail."""
    prefix = {"confirm": "/events/confirm/", "registration": "/events/r/"}[name]
    found = re.search(re.escape(prefix) + r"([^/\s]+)/", mail.body)
    assert found, mail.body
    return found.group(1)


def register_guest(client, event, *, email=GUEST_EMAIL, language="en", **data):
    return client.post(
        url("register", event.slug, language=language),
        {"name": "Guest Alina", "email": email, **data},
    )


# -- the lists ---------------------------------------------------------------------------------
def test_list_shows_what_each_person_may_see(
    forum, members_event, invited_event, outsider, member_client, hidden_member
):
    anonymous = body(outsider.get(url("list")))
    assert forum.title in anonymous
    assert members_event.title not in anonymous
    assert invited_event.title not in anonymous
    assert "Russian" in anonymous  # language chips
    assert "interpretation into German, Ukrainian" in anonymous
    assert "10 places left" in anonymous
    assert "Köln" in anonymous  # organiser
    assert url("feed_public") in anonymous
    assert "calendar app" in anonymous
    assert url("past") in anonymous
    assert url("create") not in anonymous

    as_member = body(member_client.get(url("list")))
    assert members_event.title in as_member
    assert invited_event.title not in as_member
    assert members_event.title not in body(client_for(hidden_member).get(url("list")))


def test_list_comes_in_pages_of_twenty(event_factory, outsider):
    for n in range(25):
        event_factory(title=f"Reading {n:02d}", kind=Event.Kind.READING)
    first = body(outsider.get(url("list")))
    second = body(outsider.get(url("list") + "?page=2"))
    assert first.count('class="card event-card"') == 20
    assert second.count('class="card event-card"') == 5
    assert "Page 1 of 2" in first
    assert outsider.get(url("list") + "?page=nonsense").status_code == 200


def test_full_events_say_waiting_list(event_factory, attendees, outsider):
    small = event_factory(title="Small circle", capacity=2)
    attendees(small, 2)
    assert "full: waiting list" in body(outsider.get(url("list")))


def test_organisers_see_links_to_create_and_organise(forum, coordinator, member_client):
    page = body(client_for(coordinator).get(url("list")))
    assert url("create") in page
    assert url("organise") in page
    assert url("create") not in body(member_client.get(url("list")))


def test_past_events_show_attendance_to_organisers_only(event_factory, coordinator, member):
    old = event_factory(title="Last year's forum", starts_at=in_days(-30, 10), ends_at=in_days(-29))
    Event.objects.filter(pk=old.pk).update(registered_count=7, checked_in_count=5)
    as_organiser = body(client_for(coordinator).get(url("past")))
    as_member = body(client_for(member).get(url("past")))
    assert "Last year&#x27;s forum" in as_member
    assert "7 registered, 5 checked in" in as_organiser
    assert "checked in" not in as_member
    assert "Last year" not in body(client_for(member).get(url("list")))


# -- one event ---------------------------------------------------------------------------------
def test_detail_shows_the_event(forum, coordinator, outsider):
    services.update_event(
        forum,
        by=coordinator,
        description="<script>alert(1)</script>\nSecond line",
        accessibility="Step-free entrance",
    )
    services.save_session(
        forum,
        by=coordinator,
        title="Opening plenary",
        starts_at=forum.starts_at,
        ends_at=forum.starts_at + timedelta(hours=2),
        room="Hall A",
        speakers="Nadia, Oleg",
        languages=["ru"],
    )
    page = body(outsider.get(url("detail", forum.slug)))
    assert forum.title in page
    assert "(Europe/Berlin)" in page  # times in the event's zone, named
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "<br>Second line" in page
    assert "Step-free entrance" in page
    assert "Opening plenary" in page and "Hall A" in page and "Nadia, Oleg" in page
    assert "10 a.m.–noon · Hall A" in page  # local times of the day
    assert url("ics", forum.slug) in page
    assert url("register", forum.slug) in page  # guests welcome
    assert url("edit", forum.slug) not in page


def test_detail_speaks_the_visitors_language(forum, outsider):
    assert "Forum der exilierten Linken" in body(
        outsider.get(url("detail", forum.slug, language="de"))
    )
    # No Russian title: modeltranslation falls back to the English one.
    assert forum.title_en in body(outsider.get(url("detail", forum.slug, language="ru")))


@pytest.mark.parametrize("name", ["detail", "register"])
def test_events_nobody_may_see_are_not_found(
    name, members_event, invited_event, event_factory, outsider, other_member, hidden_member, member
):
    draft = event_factory(title="Secret plan", status=Event.Status.DRAFT)
    strangers = {
        "outsider": outsider,
        "other_member": client_for(other_member),
        "hidden_member": client_for(hidden_member),
    }
    assert_not_found_for(strangers, [url(name, members_event.slug)])
    everyone = strangers | {"member": client_for(member)}
    assert_not_found_for(everyone, [url(name, invited_event.slug), url(name, draft.slug)])
    assert_not_found_for(everyone, [url(name, "no-such-event")])


def test_a_hidden_collectives_event_exists_for_its_members_only(
    event_factory, minsk, hidden_member, member, outsider, admin_user
):
    hidden = event_factory(
        title="Underground meeting", organiser=minsk, visibility=Event.Visibility.MEMBERS
    )
    others = {"outsider": outsider, "member": client_for(member)}
    assert_not_found_for(others, [url("detail", hidden.slug), url("register", hidden.slug)])
    for client in others.values():
        assert "Underground" not in body(client.get(url("list")))
    insider = client_for(hidden_member)
    assert "Underground meeting" in body(insider.get(url("list")))
    assert insider.get(url("detail", hidden.slug)).status_code == 200
    assert insider.post(url("register", hidden.slug)).status_code == 302


def test_members_and_invited_see_their_events(members_event, invited_event, member, coordinator):
    assert client_for(member).get(url("detail", members_event.slug)).status_code == 200
    services.invite_member(invited_event, member, by=coordinator)
    assert client_for(member).get(url("detail", invited_event.slug)).status_code == 200


def test_drafts_are_shown_to_organisers_with_a_banner(event_factory, coordinator):
    draft = event_factory(title="Secret plan", status=Event.Status.DRAFT)
    page = body(client_for(coordinator).get(url("detail", draft.slug)))
    assert "Draft" in page
    for name in ("edit", "programme", "questions", "participants", "checkin"):
        assert url(name, draft.slug) in page


def test_a_cancelled_event_says_so(forum, coordinator, outsider):
    services.cancel_event(forum, by=coordinator)
    page = body(outsider.get(url("detail", forum.slug)))
    assert "This event has been cancelled." in page
    assert 'href="' + url("register", forum.slug) not in page


def test_the_online_link_is_for_registered_people_and_organisers(
    event_factory, member, other_member, coordinator, outsider
):
    call = event_factory(
        title="Online call",
        kind=Event.Kind.CALL,
        place="",
        city="",
        online_url="https://meet.example.org/secret-room",
        organiser=None,
    )
    secret = "meet.example.org/secret-room"
    assert secret not in body(outsider.get(url("detail", call.slug)))
    assert secret not in body(client_for(member).get(url("detail", call.slug)))
    assert "Online" in body(outsider.get(url("detail", call.slug)))
    services.register_member(call, member)
    assert secret in body(client_for(member).get(url("detail", call.slug)))
    assert secret not in body(client_for(other_member).get(url("detail", call.slug)))


def test_the_online_link_is_hidden_from_the_waiting_list(event_factory, attendees, member):
    call = event_factory(
        title="Small call", capacity=1, online_url="https://meet.example.org/secret-room"
    )
    attendees(call, 1)
    registration, token = services.register_member(call, member)
    assert registration.status == S.WAITING
    assert "secret-room" not in body(client_for(member).get(url("detail", call.slug)))
    assert "secret-room" not in body(Client().get(url("registration", token)))


def test_organisers_see_the_online_link(event_factory, coordinator):
    call = event_factory(title="Call", online_url="https://meet.example.org/secret-room")
    assert "secret-room" in body(client_for(coordinator).get(url("detail", call.slug)))


# -- members register ----------------------------------------------------------------------------
def test_a_member_registers_in_one_click(forum, member_client, member, mailoutbox, committed):
    page = body(member_client.get(url("detail", forum.slug)))
    assert f'action="{url("register", forum.slug)}"' in page  # a form, not a link
    with committed():
        response = member_client.post(url("register", forum.slug))
    assert response.status_code == 302
    assert response["Location"] == url("detail", forum.slug)
    registration = Registration.objects.get(event=forum, user=member)
    assert registration.status == S.REGISTERED
    page = body(member_client.get(response["Location"]))
    assert "You are registered." in page
    assert "Cancel my registration" in page
    assert len(mailoutbox) == 1


def test_registering_twice_is_refused_with_a_message(forum, member_client, member):
    member_client.post(url("register", forum.slug))
    response = member_client.post(url("register", forum.slug))
    assert response.status_code == 409
    assert "already registered" in body(response)
    assert Registration.objects.filter(event=forum, user=member).count() == 1
    # The form page sends a registered member back to the event.
    assert member_client.get(url("register", forum.slug)).status_code == 302


def test_a_full_event_puts_the_member_on_the_waiting_list(
    event_factory, attendees, member_client, member
):
    small = event_factory(title="Small circle", capacity=1)
    attendees(small, 1)
    response = member_client.post(url("register", small.slug), follow=True)
    assert "You are on the waiting list." in body(response)
    assert Registration.objects.get(event=small, user=member).status == S.WAITING


def test_approval_events_send_the_request_to_the_organisers(event_factory, member_client, member):
    approved = event_factory(title="Vetted seminar", requires_approval=True)
    response = member_client.post(url("register", approved.slug), follow=True)
    assert "Your request went to the organisers." in body(response)
    assert Registration.objects.get(event=approved, user=member).status == S.PENDING


def questions_for(event, coordinator) -> dict[str, Question]:
    services.add_standard_questions(event, by=coordinator)
    services.save_question(
        event,
        by=coordinator,
        kind=Question.Kind.TEXT,
        label="What do you bring?",
        required=True,
    )
    return {q.purpose or "other": q for q in event.questions.all()}


def test_a_member_answers_the_questions(forum, coordinator, member_client, member):
    questions = questions_for(forum, coordinator)
    page = body(member_client.get(url("detail", forum.slug)))
    assert (
        f'href="{url("register", forum.slug)}"' in page
    )  # questions: the button leads to the form
    form = body(member_client.get(url("register", forum.slug)))
    assert "What do you bring?" in form
    assert "Your name as in your passport" in form
    # A required question left out: the form again, 400, nothing saved.
    response = member_client.post(url("register", forum.slug), {})
    assert response.status_code == 400
    assert not Registration.objects.filter(event=forum).exists()
    data = {
        f"question_{questions['visa'].pk}": "yes",
        f"question_{questions['bed'].pk}": "no",
        f"question_{questions['interpretation'].pk}": "Ukrainian",
        f"question_{questions['other'].pk}": "Tea",
        "letter_name": "Olena Petrenko",
    }
    response = member_client.post(url("register", forum.slug), data)
    assert response.status_code == 302
    registration = Registration.objects.get(event=forum, user=member)
    answers = json.loads(registration.answers)
    assert answers[str(questions["visa"].pk)] is True
    assert answers[str(questions["bed"].pk)] is False
    assert answers[str(questions["interpretation"].pk)] == "Ukrainian"
    assert answers[str(questions["other"].pk)] == "Tea"
    assert registration.needs_letter
    assert registration.letter_name == "Olena Petrenko"


def test_a_choice_not_on_the_list_is_refused(forum, coordinator, member_client):
    questions = questions_for(forum, coordinator)
    response = member_client.post(
        url("register", forum.slug),
        {
            f"question_{questions['interpretation'].pk}": "Klingon",
            f"question_{questions['other'].pk}": "x",
        },
    )
    assert response.status_code == 400
    assert not Registration.objects.filter(event=forum).exists()


def test_closed_registration_is_refused_with_its_reason(
    forum, coordinator, member_client, outsider
):
    services.update_event(forum, by=coordinator, registration_open=False)
    for client in (member_client, outsider):
        response = client.post(url("register", forum.slug))
        assert response.status_code == 409
        assert "Registration is closed." in body(response)
    assert "Registration is closed." in body(outsider.get(url("detail", forum.slug)))
    assert not Registration.objects.filter(event=forum).exists()


def test_guests_are_sent_to_sign_in_where_only_members_register(event_factory, outsider):
    members_only = event_factory(title="Members' forum", allow_guests=False)
    page = body(outsider.get(url("detail", members_only.slug)))
    assert "Sign in to register" in page
    response = outsider.get(url("register", members_only.slug))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert outsider.post(url("register", members_only.slug), {"name": "x"}).status_code == 302
    assert not Registration.objects.exists()


def test_a_member_cancels_and_the_next_in_line_gets_an_offer(
    event_factory, attendees, member, committed
):
    small = event_factory(title="Small circle", capacity=1)
    services.register_member(small, member)
    (waiting,) = attendees(small, 1)
    with committed():
        response = client_for(member).post(url("my_registration", small.slug), {"action": "cancel"})
    assert response.status_code == 302
    assert Registration.objects.get(event=small, user=member).status == S.CANCELLED
    assert Registration.objects.get(event=small, user=waiting).status == S.OFFERED
    page = body(client_for(waiting).get(url("detail", small.slug)))
    assert "Accept the place" in page
    assert "(Europe/Berlin)" in page  # the deadline, in the event's zone
    response = client_for(waiting).post(url("my_registration", small.slug), {"action": "accept"})
    assert response.status_code == 302
    assert Registration.objects.get(event=small, user=waiting).status == S.REGISTERED


def test_my_registration_refuses_what_cannot_be_done(forum, member, member_client):
    nothing = member_client.post(url("my_registration", forum.slug), {"action": "cancel"})
    assert nothing.status_code == 409
    assert "no active registration" in body(nothing)
    services.register_member(forum, member)
    assert (
        member_client.post(url("my_registration", forum.slug), {"action": "x"}).status_code == 400
    )
    no_offer = member_client.post(url("my_registration", forum.slug), {"action": "accept"})
    assert no_offer.status_code == 409
    assert "no open offer" in body(no_offer)
    assert Registration.objects.get(event=forum, user=member).status == S.REGISTERED
    assert member_client.get(url("my_registration", forum.slug)).status_code == 405
    anonymous = Client().post(url("my_registration", forum.slug), {"action": "cancel"})
    assert anonymous.status_code == 302


def test_my_registrations_lists_current_and_earlier(forum, event_factory, member, member_client):
    other = event_factory(title="Reading circle", kind=Event.Kind.READING)
    services.register_member(forum, member)
    registration, _token = services.register_member(other, member)
    services.cancel_registration(registration)
    page = body(member_client.get(url("mine")))
    assert forum.title in page and "Reading circle" in page
    current, earlier = page.split("Earlier and ended", 1)
    assert forum.title in current and "Reading circle" in earlier
    assert Client().get(url("mine")).status_code == 302


# -- guests -----------------------------------------------------------------------------------
def test_a_guest_registers_in_their_language(forum, outsider, mailoutbox, committed):
    with committed():
        response = register_guest(outsider, forum, language="de")
    assert response.status_code == 200
    with translation.override("de"):
        assert str(_("Check your inbox")) in body(response)
    registration = Registration.objects.get(event=forum, is_guest=True)
    assert registration.status == S.UNCONFIRMED
    assert registration.language == "de"
    assert registration.email == GUEST_EMAIL
    (mail,) = mailoutbox
    assert mail.to == [GUEST_EMAIL]
    with translation.override("de"):
        expected = render_to_string(
            "events/email/confirm_address_subject.txt", {"event": Event.objects.get(pk=forum.pk)}
        )
    assert mail.subject == " ".join(expected.split())
    assert "Forum der exilierten Linken" in mail.subject
    forum.refresh_from_db()
    assert forum.registered_count == 0  # nothing reserved before the confirmation


def test_a_second_guest_registration_looks_the_same(forum, outsider, mailoutbox, committed):
    with committed():
        first = register_guest(outsider, forum)
    services.confirm_guest(link_in(mailoutbox[0], "confirm"))
    with committed():
        again = register_guest(outsider, forum)
    assert again.status_code == first.status_code == 200
    assert body(again) == body(first)
    assert Registration.objects.filter(event=forum, is_guest=True).count() == 1
    # The address's owner got their link again, by e-mail only.
    assert mailoutbox[-1].to == [GUEST_EMAIL]
    assert "/events/r/" in mailoutbox[-1].body


def test_confirming_opens_a_page_and_only_the_button_confirms(
    forum, outsider, mailoutbox, committed
):
    with committed():
        register_guest(outsider, forum)
    token = link_in(mailoutbox[0], "confirm")
    for _visit in range(2):  # a mail scanner, then the person
        response = outsider.get(url("confirm", token))
        assert response.status_code == 200
        assert "Confirm my registration" in body(response)
    assert Registration.objects.get(event=forum).status == S.UNCONFIRMED
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    with committed():
        response = outsider.post(url("confirm", token))
    assert response.status_code == 200
    assert "you are registered" in body(response)
    assert Registration.objects.get(event=forum).status == S.REGISTERED
    # A new personal link, by e-mail.
    assert link_in(mailoutbox[-1], "registration")
    # The link works once.
    used = outsider.post(url("confirm", token))
    assert used.status_code == 410
    assert "may have been used already" in body(used)


def test_an_expired_confirmation_link_says_so_and_changes_nothing(
    forum, outsider, mailoutbox, committed
):
    with committed():
        register_guest(outsider, forum)
    token = link_in(mailoutbox[0], "confirm")
    Registration.objects.filter(event=forum).update(
        confirm_expires_at=timezone.now() - timedelta(minutes=1)
    )
    for method in (outsider.get, outsider.post):
        response = method(url("confirm", token))
        assert response.status_code == 410
        assert "This link has expired" in body(response)
    assert Registration.objects.get(event=forum).status == S.UNCONFIRMED
    forum.refresh_from_db()
    assert forum.registered_count == 0


def test_an_unknown_confirmation_link_is_refused(forum, outsider):
    response = outsider.get(url("confirm", "not-a-token"))
    assert response.status_code == 410
    assert "This link is not valid" in body(response)


def test_guests_are_rate_limited(forum, outsider):
    statuses = [outsider.post(url("register", forum.slug), {}).status_code for _ in range(21)]
    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429
    assert not Registration.objects.exists()


# -- the personal link --------------------------------------------------------------------------
def test_cancelling_by_the_personal_link_frees_the_place_for_the_next(
    event_factory, attendees, member, committed, mailoutbox
):
    small = event_factory(title="Small circle", capacity=1)
    _registration, token = services.register_member(small, member)
    (waiting,) = attendees(small, 1)
    page = Client().get(url("registration", token))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "same-origin"
    assert "Cancel my registration" in body(page)
    with committed():
        response = Client().post(url("registration", token), {"action": "cancel"})
    assert response.status_code == 200
    assert "Your registration is cancelled." in body(response)
    assert Registration.objects.get(event=small, user=member).status == S.CANCELLED
    offered = Registration.objects.get(event=small, user=waiting)
    assert offered.status == S.OFFERED
    assert mailoutbox[-1].to == [waiting.email]


def offered_guest(event_factory, outsider, attendees, mailoutbox, committed):
    """A guest on the waiting list of a small event who has just been offered a place;
    returns (registration, token of their personal link)."""
    small = event_factory(title="Small circle", capacity=1)
    (first,) = attendees(small, 1)
    with committed():
        register_guest(outsider, small)
    with committed():
        outsider.post(url("confirm", link_in(mailoutbox[-1], "confirm")))
    guest = Registration.objects.get(event=small, is_guest=True)
    assert guest.status == S.WAITING
    with committed():
        services.cancel_registration(Registration.objects.get(event=small, user=first))
    guest.refresh_from_db()
    assert guest.status == S.OFFERED
    return guest, link_in(mailoutbox[-1], "registration")


def test_a_guest_accepts_an_offer_by_the_personal_link(
    event_factory, outsider, attendees, mailoutbox, committed
):
    guest, token = offered_guest(event_factory, outsider, attendees, mailoutbox, committed)
    page = body(outsider.get(url("registration", token)))
    assert "Accept the place" in page and "(Europe/Berlin)" in page
    with committed():
        response = outsider.post(url("registration", token), {"action": "accept"})
    assert response.status_code == 200
    assert "The place is yours" in body(response)
    guest.refresh_from_db()
    assert guest.status == S.REGISTERED
    # One link for the whole registration: every e-mail carries the same, still working.
    assert link_in(mailoutbox[-1], "registration") == token
    assert outsider.get(url("registration", token)).status_code == 200


def test_an_offer_cannot_be_accepted_after_its_deadline(
    event_factory, outsider, attendees, mailoutbox, committed
):
    guest, token = offered_guest(event_factory, outsider, attendees, mailoutbox, committed)
    Registration.objects.filter(pk=guest.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = outsider.post(url("registration", token), {"action": "accept"})
    assert response.status_code == 409
    assert "The time to accept this place has passed" in body(response)
    guest.refresh_from_db()
    assert guest.status == S.OFFERED


def test_the_personal_link_page_refuses_nonsense(forum, member):
    _registration, token = services.register_member(forum, member)
    assert Client().get(url("registration", "not-a-token")).status_code == 404
    assert (
        Client().post(url("registration", "not-a-token"), {"action": "cancel"}).status_code == 404
    )
    response = Client().post(url("registration", token), {"action": "delete-everything"})
    assert response.status_code == 400
    assert Registration.objects.get(event=forum, user=member).status == S.REGISTERED


def test_the_guests_address_appears_on_no_page(forum, outsider, coordinator, mailoutbox, committed):
    with committed():
        response = register_guest(outsider, forum)
    pages = [response]
    with committed():
        pages.append(outsider.get(url("confirm", link_in(mailoutbox[0], "confirm"))))
        pages.append(outsider.post(url("confirm", link_in(mailoutbox[0], "confirm"))))
    pages.append(outsider.get(url("registration", link_in(mailoutbox[-1], "registration"))))
    organiser = client_for(coordinator)
    for client in (outsider, organiser):
        pages.append(client.get(url("detail", forum.slug)))
        pages.append(client.get(url("list")))
    for page in pages:
        assert page.status_code == 200
        assert GUEST_EMAIL not in body(page)
        assert "guest.person" not in body(page)


def test_a_guest_registration_with_a_members_address_stays_off_their_account(
    forum, outsider, member
):
    register_guest(outsider, forum, email=member.email)
    assert forum.title not in body(client_for(member).get(url("mine")))


def test_another_member_of_the_network_can_register_for_a_network_event(
    event_factory, other_member, koeln
):
    network_event = event_factory(title="Network assembly", organiser=None)
    user = UserFactory(username="newcomer")
    MembershipFactory(collective=koeln, user=user)
    for person in (other_member, user):
        assert client_for(person).post(url("register", network_event.slug)).status_code == 302
    assert network_event.registrations.count() == 2


# -- queries ----------------------------------------------------------------------------------
def queries_for(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["list", "past"])
def test_lists_ask_as_many_queries_for_twenty_events_as_for_one(
    page, event_factory, coordinator, member, settings
):
    settings.SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS = 0
    days = (20, 21) if page == "list" else (-30, -29)

    def make(n):
        for i in range(n):
            event_factory(
                title=f"Event {i}", starts_at=in_days(days[0], 10), ends_at=in_days(days[1])
            )

    make(1)
    clients = [Client(), client_for(member), client_for(coordinator)]
    for client in clients:  # warm: what is cached once per process or session
        client.get(url(page))
    one = [queries_for(client, url(page)) for client in clients]
    make(19)
    twenty = [queries_for(client, url(page)) for client in clients]
    assert twenty == one, (one, twenty)
    print(page, one)
