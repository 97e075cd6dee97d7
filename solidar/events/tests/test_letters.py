"""Visa invitation letters: the PDF, who gets one, the organisers' text and its placeholders."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from solidar.accounts.tests.factories import UserFactory
from solidar.conftest import client_for
from solidar.core.models import AuditEvent
from solidar.events import letters, services
from solidar.events.models import Event, Question, Registration
from solidar.events.tests.participants_helpers import pdf_text
from solidar.network.tests.factories import MembershipFactory

S = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def visa(forum, coordinator):
    services.add_standard_questions(forum, by=coordinator)
    return forum.questions.get(purpose=Question.Purpose.VISA)


def register(event, koeln, name, visa=None, **fields) -> Registration:
    person = UserFactory(display_name=name)
    MembershipFactory(collective=koeln, user=person)
    answers = {str(visa.pk): "yes"} if visa else {}
    registration, _token = services.register_member(event, person, answers=answers, **fields)
    return registration


def letter_url(event, registration, **params):
    base = reverse("events:letter", args=[event.slug, registration.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_letter_is_a_pdf_with_the_cyrillic_name(forum, koeln, visa, coordinator):
    registration = register(forum, koeln, "Олена Коваль", visa)
    client = client_for(coordinator)
    html = client.get(reverse("events:participants", args=[forum.slug])).content.decode()
    assert "Letter (PDF)" in html and letter_url(forum, registration) in html

    response = client.get(letter_url(forum, registration))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Олена Коваль" in text
    assert "Invitation letter" in text
    assert "Forum of the exiled left" in text
    assert "Bürgerzentrum Alte Feuerwache, Köln" in text
    # The dates where the event takes place (Berlin), in the letter's language.
    assert letters.dates(forum) in text
    registration.refresh_from_db()
    assert registration.letter_issued_at is not None
    logged = AuditEvent.objects.get(action="events.letter_issued")
    assert logged.object_id == str(registration.pk) and logged.actor_id == coordinator.pk
    # Nothing in the file names the software beyond "Solidar".
    for telltale in (b"fpdf", b"FPDF", b"Python", b"Linux", b"/work/"):
        assert telltale not in response.content


def test_ukrainian_and_belarusian_letters_print_and_the_letter_name_goes_first(
    forum, koeln, visa, coordinator
):
    registration = register(forum, koeln, "Hanna", visa, letter_name="Ґанна Їжачок-Ўладзімірава")
    response = client_for(coordinator).get(letter_url(forum, registration))
    text = pdf_text(response.content)
    assert "Ґанна Їжачок-Ўладзімірава" in text
    assert "Hanna" not in text.replace("Ґанна", "")


def test_a_character_the_font_lacks_is_printed_as_a_question_mark(forum, koeln, visa, coordinator):
    registration = register(forum, koeln, "李 Olena 😀", visa)
    response = client_for(coordinator).get(letter_url(forum, registration))
    assert response.status_code == 200
    assert "? Olena ?" in pdf_text(response.content)


def test_the_language_of_the_letter_is_chosen_on_the_list(forum, koeln, visa, coordinator):
    registration = register(forum, koeln, "Olena", visa)
    client = client_for(coordinator)
    html = client.get(reverse("events:participants", args=[forum.slug])).content.decode()
    for code in ("en", "de", "ru", "uk"):
        assert f'<option value="{code}" lang="{code}"' in html
    with translation.override("de"):
        german_dates = letters.dates(forum)
    text = pdf_text(client.get(letter_url(forum, registration, lang="de")).content)
    assert german_dates in text and german_dates != letters.dates(forum)
    # An unknown language: the page's own.
    response = client.get(letter_url(forum, registration, lang="xx"))
    assert response.status_code == 200
    assert letters.dates(forum) in pdf_text(response.content)


def test_no_letter_for_someone_waiting(forum, koeln, visa, coordinator, attendees):
    attendees(forum, 10)
    waiting = register(forum, koeln, "Taras Waiting", visa)
    assert waiting.status == S.WAITING
    response = client_for(coordinator).get(letter_url(forum, waiting))
    assert response.status_code == 409
    assert "registered participants only" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.letter_issued_at is None
    assert not AuditEvent.objects.filter(action="events.letter_issued").exists()


# -- the text and its placeholders ------------------------------------------------------------
def test_placeholders_are_filled_from_a_fixed_list_only():
    values = {
        "name": "Олена",
        "event": "Forum",
        "dates": "1 May",
        "place": "Hall",
        "city": "Köln",
        "organiser": "Köln",
    }
    assert letters.fill("Dear {name}, see you at {event} in {city}.", values) == (
        "Dear Олена, see you at Forum in Köln."
    )
    for literal in (
        "{name.__class__}",
        "{name.__class__.__mro__}",
        "{0}",
        "{}",
        "{unknown}",
        "{NAME}",
        "{ name }",
        "{name!r}",
        "{name:>10}",
        "{event.organiser.__dict__}",
        "%(name)s",
        "{",
    ):
        assert letters.fill(literal, values) == literal, literal
    assert letters.fill("{{name}}", values) == "{Олена}"


def test_the_text_is_prefilled_and_saved_through_the_service(forum, koeln, visa, coordinator):
    registration = register(forum, koeln, "Олена Коваль", visa)
    client = client_for(coordinator)
    page = reverse("events:letter_template", args=[forum.slug])
    html = client.get(page).content.decode()
    assert "To whom it may concern" in html  # the default, to start from
    for placeholder in ("{name}", "{event}", "{dates}", "{place}", "{city}", "{organiser}"):
        assert f"<code>{placeholder}</code>" in html
    assert "1 registered participant asked for a letter." in html

    response = client.post(
        page,
        {
            "template": "Sehr geehrte Damen und Herren,\r\n\r\n"
            "wir laden {name} ein. {name.__class__}",
            "signature": "Vera, for {organiser}",
        },
    )
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.letter_template.startswith("Sehr geehrte Damen und Herren,\n\nwir laden")
    assert AuditEvent.objects.filter(action="events.letter_template_changed").count() == 1
    text = pdf_text(client.get(letter_url(forum, registration)).content)
    assert "wir laden Олена Коваль ein. {name.__class__}" in text
    assert "Vera, for Köln" in text
    assert "To whom it may concern" not in text


def test_saving_the_default_unchanged_keeps_it_translatable(forum, coordinator):
    client = client_for(coordinator)
    page = reverse("events:letter_template", args=[forum.slug])
    response = client.post(
        page,
        {
            "template": letters.default_template().replace("\n", "\r\n"),
            "signature": letters.default_signature(),
        },
    )
    assert response.status_code == 302
    forum.refresh_from_db()
    assert (forum.letter_template, forum.letter_signature) == ("", "")


def test_a_text_too_long_is_refused_and_nothing_changes(forum, coordinator):
    services.update_letter_template(forum, by=coordinator, template="Kept {name}", signature="")
    response = client_for(coordinator).post(
        reverse("events:letter_template", args=[forum.slug]),
        {"template": "x" * 10_001, "signature": "s"},
    )
    assert response.status_code == 400
    assert "x" * 100 in response.content.decode()  # what was typed is not lost
    assert Event.objects.get(pk=forum.pk).letter_template == "Kept {name}"
