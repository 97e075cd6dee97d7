"""Bad input to the editors' pages: a clear message and a 4xx, never a 500, and a refused
form changes nothing (the issue names: no version for a chosen language, an empty
mailing, editing a sent mailing, a bad schedule date)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solidar.conftest import client_for
from solidar.core.testing import any_form_data
from solidar.newsletter.models import Mailing, MailingList, MailingVariant

pytestmark = pytest.mark.django_db
S = Mailing.Status

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
values = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from("\x00\x01\x0b\x1b\x7f\u2028\u2063\r\n\t <>\"'"), max_size=40),
    st.sampled_from(
        [
            "x" * 100_001,
            "<script>alert(1)</script>",
            "![x](https://tracker.example.com/p.gif)",
            "![x](//evil.example/p.gif)",
            "",
            "on",
            "now",
            "later",
            "de",
            "xx",
            "1",
            "-1",
            "99999999999999999999",
            "2020-01-01",
            "2030-02-30",
            "9999-12-31",
            "2026-03-29",
            "02:30",
            "25:00",
            "Europe/Berlin",
            "Mars/Olympus",
            "00000000-0000-0000-0000-000000000000",
        ]
    ),
)


def form_data(fields):
    return any_form_data(fields, values)


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def monthly(make_list, make_subscriber):
    mailing_list = make_list("monthly-de", "de")
    make_subscriber("leser@example.org", [mailing_list])
    return mailing_list


def state(mailing: Mailing) -> dict:
    mailing = Mailing.objects.get(pk=mailing.pk)
    return {
        "status": mailing.status,
        "title": mailing.title,
        "scheduled_at": mailing.scheduled_at,
        "languages": mailing.languages,
        "lists": sorted(mailing.lists.values_list("pk", flat=True)),
        "variants": sorted(mailing.variants.values_list("language", "subject", "body")),
    }


def refused(response, status: int, message: str) -> str:
    html = response.content.decode()
    assert response.status_code == status, html[-2000:]
    assert message in html
    return html


# -- the cases -------------------------------------------------------------------------
def test_no_version_for_a_chosen_language(editor_client, make_mailing, monthly, make_list):
    english = make_list("monthly-en", "en")
    mailing = make_mailing(lists=[monthly, english], languages=["de", "en"])
    before = state(mailing)
    response = editor_client.post(
        reverse("newsletter:schedule", args=[mailing.pk]), {"when": "now", "time_zone": "UTC"}
    )
    refused(response, 409, "English is chosen, but the mailing has no English version.")
    assert state(mailing) == before


@pytest.mark.parametrize("subject,body", [("", "Text"), ("Betreff", ""), ("  ", "  \n ")])
def test_an_empty_mailing_is_not_sent(editor_client, make_mailing, monthly, subject, body):
    mailing = make_mailing(variants={"de": (subject, body)}, lists=[monthly])
    before = state(mailing)
    response = editor_client.post(
        reverse("newsletter:schedule", args=[mailing.pk]), {"when": "now", "time_zone": "UTC"}
    )
    refused(response, 409, "an empty mailing cannot be sent")
    assert state(mailing) == before


def test_no_list_no_language_no_reader(editor_client, make_mailing, make_list, monthly):
    cases = [
        (make_mailing(lists=[]), "Choose at least one list"),
        (make_mailing(lists=[monthly], languages=[]), "Choose at least one language"),
        (make_mailing(lists=[make_list("empty-de", "de")]), "Nobody would receive this mailing"),
    ]
    for mailing, message in cases:
        before = state(mailing)
        response = editor_client.post(
            reverse("newsletter:schedule", args=[mailing.pk]), {"when": "now", "time_zone": "UTC"}
        )
        refused(response, 409, message)
        assert state(mailing) == before


@pytest.mark.parametrize("status", [S.SENT, S.SENDING, S.PAUSED, S.CANCELLED, S.SCHEDULED])
def test_editing_a_mailing_that_went_out_is_refused(
    editor_client, make_mailing, monthly, make_list, status
):
    mailing = make_mailing(lists=[monthly], status=status)
    before = state(mailing)
    message = "it can no longer be changed" if status != S.SCHEDULED else "back to draft"
    attempts = [
        ("newsletter:variant", ["de"], {"de-subject": "Neu", "de-body": "Neu"}),
        ("newsletter:variant", ["en"], {"en-subject": "New", "en-body": "New"}),
        ("newsletter:variant_delete", ["de"], {}),
        ("newsletter:recipients", [], {"lists": [make_list(f"x-{status}", "en").pk]}),
        ("newsletter:mailing_details", [], {"title": "Another title"}),
        ("newsletter:mailing_delete", [], {}),
    ]
    for name, args, data in attempts:
        response = editor_client.post(reverse(name, args=[mailing.pk, *args]), data)
        refused(response, 409, message)
    assert state(mailing) == before


def test_the_archive_flag_of_a_sent_mailing_can_still_change(editor_client, make_mailing):
    mailing = make_mailing(status=S.SENT)
    response = editor_client.post(
        reverse("newsletter:mailing_details", args=[mailing.pk]), {"title": mailing.title}
    )
    assert response.status_code == 302
    mailing.refresh_from_db()
    assert mailing.in_archive is False


@pytest.mark.parametrize(
    "data,message",
    [
        ({"when": "later", "day": "2020-01-01", "clock": "10:00"}, "That time is in the past"),
        ({"when": "later", "day": "2030-02-30", "clock": "10:00"}, "Enter a valid date."),
        ({"when": "later", "day": "2030-06-01", "clock": "25:00"}, "Enter a valid time."),
        ({"when": "later", "clock": "10:00"}, "Give the date to send it on."),
        ({"when": "later", "day": "2030-06-01"}, "Give the time to send it at."),
        # The hour skipped when clocks go forward in Berlin.
        ({"when": "later", "day": "2030-03-31", "clock": "02:30"}, "does not exist"),
        ({"when": "later", "day": "2099-01-01", "clock": "10:00"}, "at most a year ahead"),
        ({"when": "sometime"}, "Select a valid choice."),
    ],
)
def test_bad_schedule_dates(editor_client, make_mailing, monthly, data, message):
    mailing = make_mailing(lists=[monthly])
    before = state(mailing)
    response = editor_client.post(
        reverse("newsletter:schedule", args=[mailing.pk]), {"time_zone": "Europe/Berlin"} | data
    )
    assert response.status_code in (400, 409)
    assert message in response.content.decode()
    assert state(mailing) == before


def test_images_from_elsewhere_are_refused(editor_client, make_mailing):
    mailing = make_mailing()
    before = state(mailing)
    for body in ("![p](https://tracker.example.com/p.gif)", "![p](//evil.example/p.gif)"):
        response = editor_client.post(
            reverse("newsletter:variant", args=[mailing.pk, "de"]),
            {"de-subject": "Neu", "de-body": body},
        )
        html = refused(response, 409, "Images must come from this site")
        assert body in html  # what was typed is shown again, not lost
    assert state(mailing) == before


def test_a_subject_cannot_carry_a_header(editor_client, make_mailing):
    mailing = make_mailing()
    editor_client.post(
        reverse("newsletter:variant", args=[mailing.pk, "de"]),
        {"de-subject": "Hallo\r\nBcc: all@example.org", "de-body": "Text"},
    )
    assert MailingVariant.objects.get(mailing=mailing).subject == "Hallo Bcc: all@example.org"


def test_hidden_cells_cannot_be_chosen(editor_client, make_mailing, monthly, minsk, koeln):
    mailing = make_mailing(lists=[monthly])
    before = state(mailing)
    response = editor_client.post(
        reverse("newsletter:recipients", args=[mailing.pk]),
        {"lists": [monthly.pk], "languages": ["de"], "collectives": [minsk.pk]},
    )
    assert response.status_code == 400
    assert minsk.name not in response.content.decode()
    assert koeln.name in response.content.decode()
    assert state(mailing) == before


def test_list_with_a_taken_short_name(editor_client, make_list):
    make_list("monthly-de", "de")
    response = editor_client.post(
        reverse("newsletter:lists"), {"slug": "monthly-de", "language": "de", "name_de": "X"}
    )
    refused(response, 400, "Another list has this short name already.")
    assert MailingList.objects.count() == 1


def test_import_needs_consent_and_addresses(editor_client, make_list):
    mailing_list = make_list()
    url = reverse("newsletter:list_import", args=[mailing_list.pk])
    refused(editor_client.post(url, {"addresses": "a@example.org"}), 400, "This field is required")
    refused(editor_client.post(url, {"consent": "on"}), 400, "Give at least one e-mail address.")
    assert mailing_list.subscriptions.count() == 0


# -- anything at all ---------------------------------------------------------------------------
def assert_handled(response):
    assert response.status_code in (200, 302, 400, 404, 409), response.status_code


@FUZZ
@given(data=form_data(["de-subject", "de-body", "title", "in_archive"]))
def test_variant_and_details_survive_anything(editor_client, make_mailing, data):
    mailing = make_mailing(title="Fuzz")
    for name in ("newsletter:variant", "newsletter:mailing_details"):
        args = [mailing.pk, "de"] if name == "newsletter:variant" else [mailing.pk]
        response = editor_client.post(reverse(name, args=args), data)
        assert_handled(response)
    variant = MailingVariant.objects.get(mailing=mailing)
    assert "\n" not in variant.subject and "\x00" not in variant.body


@FUZZ
@given(data=form_data(["lists", "languages", "collectives", "when", "day", "clock", "time_zone"]))
def test_recipients_and_schedule_survive_anything(editor_client, make_mailing, data):
    mailing = make_mailing(title="Fuzz")
    for name in ("newsletter:recipients", "newsletter:schedule"):
        response = editor_client.post(reverse(name, args=[mailing.pk]), data)
        assert_handled(response)
    # Nobody reads it: it can never have been scheduled.
    assert Mailing.objects.get(pk=mailing.pk).status == S.DRAFT


@FUZZ
@given(
    data=form_data(
        [
            "slug",
            "language",
            "is_public",
            "is_active",
            "position",
            "name_en",
            "name_de",
            "addresses",
            "consent",
            "description_ru",
        ]
    )
)
def test_list_forms_survive_anything(editor_client, make_list, data):
    mailing_list = MailingList.objects.first() or make_list()
    for url in (
        reverse("newsletter:lists"),
        reverse("newsletter:list_edit", args=[mailing_list.pk]),
        reverse("newsletter:list_import", args=[mailing_list.pk]),
    ):
        assert_handled(editor_client.post(url, data))
