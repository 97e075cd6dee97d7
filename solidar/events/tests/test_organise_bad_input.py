"""Bad input to the organisers' forms: never a 500 or a 403, and a refused form changes
nothing (the event, its programme and its questions stay as they were)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from solidar.conftest import client_for
from solidar.core.testing import any_form_data, assert_handled, fuzz_settings, hostile_values
from solidar.events.models import Event, EventInvitation, Question, Session
from solidar.events.tests.test_organise import edit_data, event_data, session_data

FUZZ = fuzz_settings()

values = hostile_values(
    "network",
    "1",
    "0",
    "forum",
    "call",
    "public",
    "invitation",
    "choice",
    "yes_no",
    "visa",
    "ru",
    "xx",
    "2030-06-12",
    "2030-06-13",
    "2030-02-30",
    "0001-01-01",
    "9999-12-31",
    "2030-03-31",
    "02:30",
    "10:00",
    "23:59",
    "24:00",
    "10:00:00.5",
    "Europe/Berlin",
    "Asia/Tbilisi",
    "Etc/GMT-14",
    "Mars/Olympus",
    "../../etc/passwd",
    "https://meet.example.org/r",
    "javascript:alert(1)",
    "DE",
    "de",
    "Lena",
    "member",
)

LANGUAGES = ("en", "de", "ru", "uk")
EVENT_FIELDS = sorted(
    {*event_data(), "publish_now", "requires_approval", "title_ru", "title_uk"}
    | {f"{n}_{c}" for n in ("title", "description", "accessibility") for c in LANGUAGES}
)
SESSION_FIELDS = [
    "title_en",
    "title_de",
    "title_ru",
    "title_uk",
    "description_en",
    "description_ru",
    "day",
    "start_time",
    "end_time",
    "room",
    "speakers",
    "languages",
]
QUESTION_FIELDS = [
    "kind",
    "purpose",
    "required",
    "label_en",
    "label_de",
    "label_ru",
    "label_uk",
    "choices_en",
    "choices_de",
    "choices_ru",
    "choices_uk",
    "standard",
]
SNAPSHOT = (
    "title",
    "title_en",
    "title_de",
    "description_en",
    "starts_at",
    "ends_at",
    "time_zone",
    "capacity",
    "visibility",
    "languages",
    "country",
    "online_url",
    "status",
    "organiser_id",
    "offer_hours",
    "registration_closes_at",
)


def form_data(fields: list[str]):
    return any_form_data(fields, values)


def snapshot(event: Event) -> dict:
    event = Event.objects.get(pk=event.pk)
    return {name: getattr(event, name) for name in SNAPSHOT}


@pytest.mark.django_db
@FUZZ
@given(data=form_data(EVENT_FIELDS))
def test_create_survives_anything(koeln, coordinator, data):
    before = Event.objects.count()

    response = client_for(coordinator).post(reverse("events:create"), data)

    assert_handled(response)
    if response.status_code != 302:
        assert Event.objects.count() == before
    else:
        event = Event.objects.latest("created_at")
        assert event.organiser_id == koeln.pk  # never another collective, never the network
        assert event.ends_at > event.starts_at


@pytest.mark.django_db
@FUZZ
@given(data=form_data(EVENT_FIELDS), partial=st.booleans())
def test_edit_survives_anything_and_a_refusal_changes_nothing(
    forum, attendees, coordinator, data, partial
):
    if not forum.registered_count:
        attendees(forum, 2)
    # Either the form as shown with a few fields changed, or whatever was drawn.
    posted = edit_data(forum) | data if partial else data
    before = snapshot(forum)

    response = client_for(coordinator).post(reverse("events:edit", args=[forum.slug]), posted)

    assert_handled(response)
    after = snapshot(forum)
    if response.status_code != 302:
        assert after == before
    assert after["organiser_id"] == before["organiser_id"]
    assert after["capacity"] is None or after["capacity"] >= 2


@pytest.mark.django_db
@FUZZ
@given(data=form_data(SESSION_FIELDS), partial=st.booleans())
def test_session_form_survives_anything(forum, coordinator, data, partial):
    posted = session_data(forum.local_start.date()) | data if partial else data
    client = client_for(coordinator)
    before = Session.objects.count()

    response = client.post(reverse("events:programme", args=[forum.slug]), posted)

    assert_handled(response)
    if response.status_code != 302:
        assert Session.objects.count() == before
    for session in Session.objects.filter(event=forum):
        assert forum.starts_at <= session.starts_at < session.ends_at <= forum.ends_at
        assert session.title.strip()


@pytest.mark.django_db
@FUZZ
@given(data=form_data(SESSION_FIELDS))
def test_session_edit_survives_anything(forum, coordinator, data):
    client = client_for(coordinator)
    client.post(
        reverse("events:programme", args=[forum.slug]), session_data(forum.local_start.date())
    )
    session = Session.objects.filter(event=forum).first()
    before = Session.objects.filter(pk=session.pk).values().get()

    response = client.post(reverse("events:session_edit", args=[forum.slug, session.pk]), data)

    assert_handled(response)
    if response.status_code != 302:
        assert Session.objects.filter(pk=session.pk).values().get() == before


@pytest.mark.django_db
@FUZZ
@given(data=form_data(QUESTION_FIELDS))
def test_question_form_survives_anything(forum, coordinator, data):
    client = client_for(coordinator)
    before = list(Question.objects.filter(event=forum).values())

    response = client.post(reverse("events:questions", args=[forum.slug]), data)

    assert_handled(response)
    if response.status_code != 302:
        assert list(Question.objects.filter(event=forum).values()) == before
    for question in Question.objects.filter(event=forum):
        assert question.label.strip()
        if question.kind == Question.Kind.CHOICE:
            assert len(question.choice_list) >= 2


@pytest.mark.django_db
@FUZZ
@given(data=form_data(QUESTION_FIELDS))
def test_question_edit_survives_anything(forum, coordinator, data):
    client = client_for(coordinator)
    client.post(reverse("events:questions", args=[forum.slug]), {"standard": "1"})
    question = Question.objects.filter(event=forum).first()
    before = Question.objects.filter(pk=question.pk).values().get()

    url = reverse("events:question_edit", args=[forum.slug, question.pk])
    response = client.post(url, data)

    assert_handled(response)
    if response.status_code != 302:
        assert Question.objects.filter(pk=question.pk).values().get() == before


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["who", "csrfmiddlewaretoken"]))
def test_invitations_survive_anything(invited_event, coordinator, other_member, data):
    response = client_for(coordinator).post(
        reverse("events:invitations", args=[invited_event.slug]), data
    )

    assert_handled(response)
    # Nobody from outside the coordinator's collective is ever invited.
    assert not EventInvitation.objects.filter(user=other_member).exists()
