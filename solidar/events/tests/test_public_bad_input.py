"""Bad input to the events' public forms and links: never a 500, never a 403, and what
was registered stays as it was unless the input was a valid registration."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from solidar.accounts.tests.factories import UserFactory
from solidar.conftest import client_for
from solidar.core.testing import any_form_data, assert_handled, fuzz_settings, hostile_values
from solidar.events import services
from solidar.events.models import Question, Registration
from solidar.network.tests.factories import MembershipFactory

FUZZ = fuzz_settings()
S = Registration.Status

values = hostile_values("guest@example.org", "yes", "no", "German", "Ukrainian", "cancel", "accept")
tokens = st.one_of(
    st.text(min_size=1, max_size=120),
    st.sampled_from(["x" * 5000, "..", "%2F", "\x00", "null", "undefined", "a" * 43]),
)


@pytest.fixture
def roomy(forum, coordinator):
    """The forum without a limit of places: every example may register someone."""
    services.update_event(forum, by=coordinator, capacity=None)
    return forum


@pytest.fixture
def asking(roomy, coordinator):
    """The forum with every kind of question (the standard four and a required text)."""
    forum = roomy
    services.add_standard_questions(forum, by=coordinator)
    services.save_question(
        forum, by=coordinator, kind=Question.Kind.TEXT, label="Anything else?", required=True
    )
    return forum


def register_fields(event) -> list[str]:
    questions = [f"question_{pk}" for pk in event.questions.values_list("pk", flat=True)]
    return ["name", "email", "letter_name", *questions, "question_0", "question_x"]


def path_token(token: str) -> str:
    return quote(token, safe="")


@pytest.fixture
def no_rate_limits(settings):
    # The limit answers 429 after 20 tries, which is fine, but would hide the form.
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_member_registration_survives_anything(asking, koeln, data):
    person = UserFactory()
    MembershipFactory(collective=koeln, user=person)
    form = data.draw(any_form_data(register_fields(asking), values))

    response = client_for(person).post(f"/en/events/{asking.slug}/register/", form)

    assert_handled(response)
    registrations = list(Registration.objects.filter(event=asking, user=person))
    assert len(registrations) == (1 if response.status_code == 302 else 0)
    for registration in registrations:
        assert registration.status == S.REGISTERED


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_guest_registration_survives_anything(asking, no_rate_limits, data):
    form = data.draw(any_form_data(register_fields(asking), values))

    response = Client().post(f"/en/events/{asking.slug}/register/", form)

    assert_handled(response)
    for registration in Registration.objects.filter(event=asking):
        assert registration.status == S.UNCONFIRMED  # nothing placed before the confirmation
        assert registration.name.strip()
        assert "@" in registration.email
    asking.refresh_from_db()
    assert asking.registered_count == 0


@pytest.mark.django_db
@FUZZ
@given(token=tokens, form=any_form_data(["action"], values))
def test_confirmation_links_survive_anything(forum, token, form):
    for response in (
        Client().get(f"/en/events/confirm/{path_token(token)}/"),
        Client().post(f"/en/events/confirm/{path_token(token)}/", form),
    ):
        assert_handled(response)
    assert not Registration.objects.filter(event=forum).exists()


@pytest.mark.django_db
@FUZZ
@given(token=tokens, form=any_form_data(["action"], values))
def test_personal_links_survive_anything(roomy, token, form):
    registration, good = services.register_member(roomy, UserFactory())
    for url in (f"/en/events/r/{path_token(token)}/", f"/en/events/r/{good}/"):
        assert_handled(Client().get(url))
        response = Client().post(url, form)
        assert_handled(response)
    registration.refresh_from_db()
    if form.get("action") != "cancel":
        assert registration.status == S.REGISTERED


@pytest.mark.django_db
@FUZZ
@given(form=any_form_data(["action"], values))
def test_my_registration_survives_anything(roomy, form):
    person = UserFactory()
    services.register_member(roomy, person)

    response = client_for(person).post(f"/en/events/{roomy.slug}/my-registration/", form)

    assert_handled(response)
    status = Registration.objects.get(event=roomy, user=person).status
    assert status == (S.CANCELLED if form.get("action") == "cancel" else S.REGISTERED)
