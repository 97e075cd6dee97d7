"""Bad input on every handler form: a clear answer and a 4xx, never a 500 or a 403, and
the text kept (hypothesis over each form's fields)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given

from solidar.aid.models import Case, Entry
from solidar.core.testing import any_form_data, assert_handled, fuzz_settings, hostile_values

pytestmark = pytest.mark.django_db

FORMS = {
    "note": ["note-text"],
    "reply": ["reply-text"],
    "referral": ["referral-organisation", "referral-text"],
    "status": ["status-status", "status-outcome"],
    "assign": ["assign-assignee"],
    "claim": [],
    "release": [],
    "checklist": ["step-label", "step-due_on"],
}
WORDS = ("closed", "triaged", "in_progress", "helped", "spam", "2031-01-01", "0000-00-00")


@pytest.fixture
def setup(aid_team, handler, unlocked_client, make_case):
    case, _ = make_case()
    return case, unlocked_client(handler)


@pytest.mark.parametrize("action", sorted(FORMS))
def test_hostile_input_is_answered(setup, action):
    case, client = setup
    url = reverse("aid:case", args=[case.pk]) + f"{action}/"

    @fuzz_settings()
    @given(data=any_form_data(FORMS[action] or ["x"], hostile_values(*WORDS)))
    def run(data):
        response = client.post(url, data)
        assert_handled(response)
        assert response.status_code in (302, 400, 409)

    run()


def test_hostile_checklist_item_input(setup, handler):
    from solidar.aid import casework

    case, client = setup
    item = casework.ensure_checklist(case)[0]
    base = reverse("aid:case", args=[case.pk]) + f"checklist/{item.pk}/"

    @fuzz_settings()
    @given(data=any_form_data(["due_on"], hostile_values(*WORDS)))
    def run(data):
        for action in ("due", "done", "remove"):
            response = client.post(base + action + "/", data)
            assert_handled(response)

    run()


def test_the_queue_takes_any_filter(setup):
    case, client = setup

    @fuzz_settings()
    @given(data=any_form_data(["status", "kind", "who", "team", "page"], hostile_values()))
    def run(data):
        response = client.get(reverse("aid:queue"), data)
        assert response.status_code == 200

    run()


def test_an_oversize_referral_keeps_both_fields(setup):
    case, client = setup
    text = "what for " * 2000
    response = client.post(
        reverse("aid:case_referral", args=[case.pk]),
        {"referral-organisation": "Partner", "referral-text": text},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Partner"' in html
    assert "what for what for" in html
    assert not Entry.objects.filter(case=case).exists()


def test_control_characters_are_taken_out(setup):
    case, client = setup
    response = client.post(
        reverse("aid:case_note", args=[case.pk]), {"note-text": "\x00\x1b\u200b"}
    )
    assert response.status_code == 400
    assert not Entry.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).status == Case.Status.NEW


def test_unknown_case_and_item_ids_are_404(setup):
    import uuid

    case, client = setup
    assert client.get(reverse("aid:case", args=[uuid.uuid4()])).status_code == 404
    assert client.post(reverse("aid:case_claim", args=[uuid.uuid4()])).status_code == 404
    assert client.get(
        f"/en/aid/cases/{case.pk}/checklist/99999999999999999999/done/"
    ).status_code in (
        404,
        405,
    )
    assert client.post(reverse("aid:step_done", args=[case.pk, 987654])).status_code == 404
    # A GET on an action is refused plainly.
    assert client.get(reverse("aid:case_claim", args=[case.pk])).status_code == 405
