"""Places, the waiting list and offers, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from solidar.events import services
from solidar.events.models import Registration
from solidar.events.services import EventError

S = Registration.Status
pytestmark = pytest.mark.django_db


def test_places_fill_then_the_queue_then_offers_in_order(forum, attendees, mailoutbox, committed):
    people = attendees(forum, 12)
    statuses = [Registration.objects.get(event=forum, user=u).status for u in people]
    assert statuses == [S.REGISTERED] * 10 + [S.WAITING] * 2
    assert (forum.registered_count, forum.waiting_count) == (10, 2)

    first = Registration.objects.get(event=forum, user=people[0])
    with committed():
        services.cancel_registration(first)
    # The task ran (immediate backend): the first in the queue got the offer.
    offered = Registration.objects.get(event=forum, user=people[10])
    assert offered.status == S.OFFERED
    assert offered.offer_expires_at > timezone.now()
    assert Registration.objects.get(event=forum, user=people[11]).status == S.WAITING
    # Running the promotion again offers nothing more: it is idempotent.
    assert services.promote(forum.pk) == 0
    services.accept_offer(offered)
    forum.refresh_from_db()
    assert (forum.registered_count, forum.offered_count, forum.waiting_count) == (10, 0, 1)


def test_an_offer_past_its_deadline_cannot_be_accepted_and_goes_to_the_next(
    forum, attendees, committed
):
    people = attendees(forum, 12)
    with committed():
        services.cancel_registration(Registration.objects.get(event=forum, user=people[0]))
    offered = Registration.objects.get(event=forum, user=people[10])
    later = offered.offer_expires_at + timedelta(minutes=1)
    Registration.objects.filter(pk=offered.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(EventError):
        services.accept_offer(offered)
    offered.refresh_from_db()
    assert offered.status == S.OFFERED  # the refusal changed nothing
    with committed():
        assert services.expire_offers(later) == 1
    offered.refresh_from_db()
    assert offered.status == S.EXPIRED
    assert Registration.objects.get(event=forum, user=people[11]).status == S.OFFERED


def test_registering_twice_is_refused_and_changes_nothing(forum, member):
    services.register_member(forum, member)
    with pytest.raises(EventError, match="already registered"):
        services.register_member(forum, member)
    assert Registration.objects.filter(event=forum, user=member).count() == 1


def test_capacity_cannot_drop_below_the_places_taken(forum, attendees, coordinator):
    attendees(forum, 4)
    with pytest.raises(EventError):
        services.update_event(forum, by=coordinator, capacity=3)
    forum.refresh_from_db()
    assert forum.capacity == 10
    services.update_event(forum, by=coordinator, capacity=4)
    forum.refresh_from_db()
    assert forum.capacity == 4


def test_end_before_start_is_refused(event_factory, forum, coordinator):
    with pytest.raises(EventError):
        event_factory(starts_at=forum.ends_at, ends_at=forum.starts_at)
    with pytest.raises(EventError):
        services.update_event(forum, by=coordinator, ends_at=forum.starts_at)
    forum.refresh_from_db()
    assert forum.ends_at > forum.starts_at


def test_guest_confirms_then_gets_a_place(forum, mailoutbox, committed):
    with committed():
        registration = services.register_guest(
            forum, name="Guest Pavel", email="pavel@example.org", language="ru"
        )
    assert registration.status == S.UNCONFIRMED
    forum.refresh_from_db()
    assert forum.registered_count == 0
    confirm_mail = mailoutbox[-1]
    token = confirm_mail.body.split("/events/confirm/")[1].split("/")[0]
    with committed():
        services.confirm_guest(token)
    assert mailoutbox[-1].attachments[0][0] == "event.ics"
    registration.refresh_from_db()
    assert registration.status == S.REGISTERED
    with pytest.raises(EventError):
        services.confirm_guest(token)  # single use


def test_a_second_guest_registration_of_one_address_adds_nothing(forum, mailoutbox, committed):
    with committed():
        first = services.register_guest(forum, name="A", email="a@example.org", language="en")
    token = mailoutbox[-1].body.split("/events/confirm/")[1].split("/")[0]
    with committed():
        services.confirm_guest(token)
        again = services.register_guest(forum, name="B", email="A@example.org", language="en")
    assert again is None
    assert Registration.objects.filter(event=forum).count() == 1
    first.refresh_from_db()
    assert first.status == S.REGISTERED


def test_a_hidden_cell_cannot_hold_a_public_event(event_factory, minsk, hidden_member):
    with pytest.raises(EventError):
        event_factory(organiser=minsk, title="Secret")
    from solidar.events.models import Event

    assert not Event.objects.filter(title="Secret").exists()


def test_a_guest_cannot_confirm_once_the_event_is_for_members_only(
    forum, coordinator, mailoutbox, committed
):
    from solidar.events.models import Event

    with committed():
        registration = services.register_guest(
            forum, name="Guest", email="g@example.org", language="en"
        )
    assert "within 48 hours" in mailoutbox[-1].body
    token = mailoutbox[-1].body.split("/events/confirm/")[1].split("/")[0]
    services.update_event(forum, by=coordinator, visibility=Event.Visibility.MEMBERS)
    with pytest.raises(EventError):
        services.confirm_guest(token)
    registration.refresh_from_db()
    assert registration.status == S.UNCONFIRMED


def test_invitations_only_for_invitation_only_events_and_once(
    forum, invited_event, other_member, coordinator
):
    with pytest.raises(EventError):
        services.invite_member(forum, other_member, by=coordinator)
    services.invite_member(invited_event, other_member, by=coordinator)
    with pytest.raises(EventError):
        services.invite_member(invited_event, other_member, by=coordinator)
    assert invited_event.invitations.count() == 1
    assert not forum.invitations.exists()
