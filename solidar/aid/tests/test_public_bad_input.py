"""Bad input to the public side of mutual aid: never a 500 (nor a 403), and what the person
typed comes back on the page when it is refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from solidar.aid import challenge, intake
from solidar.aid.models import Case, Entry
from solidar.aid.tests.intake_helpers import FORM
from solidar.core.testing import any_form_data, assert_handled, fuzz_settings, hostile_values

FUZZ = fuzz_settings()
TEXTS = ("situation", "needs", "contact")

values = hostile_values(
    "departure", "BY", "ZZ", "days", "ru", "signal", "site", "0", "1", "immediate", "other"
)
list_values = st.one_of(values, st.lists(values, max_size=4))


@pytest.fixture
def no_rate_limits(settings):
    # A limit answers 429 with the form, which is fine, but would hide the rest.
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False


def kept(response, value) -> bool:
    """The value is on the page (printable text; control characters may be cleaned)."""
    if not isinstance(value, str) or not value.isprintable() or not value.strip():
        return True
    return escape(value) in response.content.decode()


@pytest.mark.django_db
@FUZZ
@given(
    form=any_form_data(
        [
            "kind",
            "country",
            "urgency",
            "languages",
            "situation",
            "needs",
            "contact_method",
            "contact",
            "token",
            "nonce",
        ],
        list_values,
    ),
    genuine_token=st.booleans(),
)
def test_the_intake_form_survives_anything(aid_coordinator, no_rate_limits, form, genuine_token):
    if genuine_token:
        token = challenge.issue()
        form = {**form, "token": token, "nonce": challenge.solve(token)}
    before = Case.objects.count()

    response = Client().post("/en/help/", form)

    assert_handled(response)
    assert response.status_code in (200, 400, 429)
    if response.status_code == 200:
        assert Case.objects.count() == before + 1
        assert 'id="codename"' in response.content.decode()
    else:
        assert Case.objects.count() == before
        for name in TEXTS:
            assert kept(response, form.get(name)), f"{name} was lost"


@pytest.mark.django_db
@FUZZ
@given(field=st.sampled_from(TEXTS), value=values)
def test_one_bad_field_in_a_good_form_loses_nothing(aid_coordinator, no_rate_limits, field, value):
    token = challenge.issue()
    form = {**FORM, field: value, "token": token, "nonce": challenge.solve(token)}

    response = Client().post("/en/help/", form)

    assert_handled(response)
    if response.status_code != 200:
        assert response.status_code == 400
        for name in TEXTS:
            assert kept(response, form[name]), f"{name} was lost"


@pytest.mark.django_db
@FUZZ
@given(form=any_form_data(["codename"], list_values))
def test_the_return_form_survives_anything(make_case, no_rate_limits, form):
    response = Client().post("/en/help/return/", form)

    assert_handled(response)
    assert response.status_code == 400
    assert intake.COOKIE not in response.cookies
    value = form.get("codename")
    if isinstance(value, list):
        value = value[-1] if value else None
    if isinstance(value, str) and len(value) <= 400:
        assert kept(response, value)


@pytest.mark.django_db
@FUZZ
@given(form=any_form_data(["text"], list_values))
def test_the_message_form_survives_anything(make_case, no_rate_limits, form):
    case, codename = make_case()
    client = Client()
    assert client.post("/en/help/return/", {"codename": codename}).status_code == 303

    response = client.post("/en/help/my-request/", form)

    assert_handled(response)
    assert response.status_code in (303, 400)
    sent = Entry.objects.filter(case=case).count()
    assert sent == (1 if response.status_code == 303 else 0)
    if response.status_code == 400:
        value = form.get("text")
        if isinstance(value, list):
            value = value[-1] if value else None
        assert kept(response, value)


@pytest.mark.django_db
@FUZZ
@given(
    # A header is Latin-1 by the time a WSGI server hands it over.
    cookie=st.one_of(
        values.filter(lambda v: v.isascii()),
        st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=300),
        st.just("v1$test1$" + "A" * 80),
    )
)
def test_any_cookie_is_nobody(make_case, cookie):
    client = Client()
    client.cookies[intake.COOKIE] = cookie
    response = client.get("/en/help/my-request/")
    assert response.status_code == 302
    response = client.post("/en/help/my-request/", {"text": "hello"})
    assert response.status_code == 400
    assert "hello" in response.content.decode()
    assert not Entry.objects.exists()
