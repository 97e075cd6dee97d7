"""Bad input to the organisers' participant pages: never a 500, never a 403, nothing lost."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solidar.conftest import client_for
from solidar.core.testing import any_form_data
from solidar.events import services
from solidar.events.models import Event, Registration

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
    st.text(
        alphabet=st.sampled_from("\x00\x01\x08\x0b\x1b\x7f\u200b\u202e\ufeff\r\n\t {}%"),
        max_size=40,
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        [
            "x" * 100_000,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "%00",
            "approve",
            "decline",
            "check_in",
            "undo_check_in",
            "registered",
            "waiting",
            "all",
            "de",
            "{name.__class__}",
            "{name.__init__.__globals__}",
            "{name}{event}{dates}{place}{city}{organiser}",
            "%(name)s",
            "//evil.example/",
            "https://evil.example/",
            "/en/events/",
            "javascript:alert(1)",
            "\\\\evil.example",
            "Олена",
            "ҐЇЎ",
            "1e309",
            "NaN",
            "-1",
            "",
        ]
    ),
)


def form_data(fields: list[str]):
    return any_form_data(fields, values)


def assert_handled(response) -> None:
    assert response.status_code < 500, response.status_code
    assert response.status_code != 403


@pytest.fixture
def people(forum, attendees):
    attendees(forum, 11)  # ten registered, one waiting
    return list(forum.registrations.order_by("created_at"))


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["action", "next"]))
def test_actions_survive_anything(forum, coordinator, people, data):
    client = client_for(coordinator)
    for registration in (people[0], people[-1]):
        url = reverse("events:participant_action", args=[forum.slug, registration.pk])
        response = client.post(url, data)
        assert_handled(response)
        if response.status_code == 302:
            assert response["Location"].startswith(f"/en/events/{forum.slug}/")
    forum.refresh_from_db()
    registrations = forum.registrations.all()
    assert forum.checked_in_count == registrations.filter(checked_in_at__isnull=False).count()
    waiting = registrations.get(pk=people[-1].pk)
    assert waiting.status == Registration.Status.WAITING and waiting.checked_in_at is None


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["q", "status", "page"]))
def test_list_and_checkin_searches_survive_anything(forum, coordinator, people, data):
    client = client_for(coordinator)
    query = urlencode(data)
    for name in ("participants", "checkin", "print_list"):
        response = client.get(reverse(f"events:{name}", args=[forum.slug]) + "?" + query)
        assert_handled(response)
        assert response.status_code == 200


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["template", "signature"]))
def test_the_letter_text_survives_anything(forum, coordinator, people, data):
    services.update_letter_template(forum, by=coordinator, template="Kept {name}", signature="Vera")
    client = client_for(coordinator)

    response = client.post(reverse("events:letter_template", args=[forum.slug]), data)

    assert_handled(response)
    event = Event.objects.get(pk=forum.pk)
    if response.status_code != 302:  # refused: the saved text is still there
        assert event.letter_template == "Kept {name}"
    # Whatever was saved prints.
    registration = people[0]
    url = reverse("events:letter", args=[forum.slug, registration.pk])
    letter = client.get(url)
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")


@pytest.mark.django_db
@FUZZ
@given(lang=values)
def test_the_letter_language_survives_anything(forum, coordinator, people, lang):
    url = reverse("events:letter", args=[forum.slug, people[0].pk])
    response = client_for(coordinator).get(url + "?" + urlencode({"lang": lang}))
    assert response.status_code == 200
