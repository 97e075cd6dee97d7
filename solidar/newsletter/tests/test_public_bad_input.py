"""Bad input to the newsletter's public forms and links: never a 500, never a 403, and
what a reader has saved stays as it was unless the input was a valid change."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from solidar.conftest import client_for
from solidar.core.testing import any_form_data, assert_handled, fuzz_settings, hostile_values
from solidar.newsletter import links
from solidar.newsletter.models import Subscriber, Subscription

FUZZ = fuzz_settings()
S = Subscription.Status
ADDRESS = "reader@example.net"

values = hostile_values("reader@example.net", "other@example.org", "save", "leave", "1", "2", "3")
list_values = st.one_of(values, st.lists(values, max_size=5))
tokens = st.one_of(
    st.text(min_size=1, max_size=120),
    st.sampled_from(["x" * 5000, "..", "%2F", "\x00", "null", "undefined", "a" * 43, "a:b:c"]),
)


def path_token(token: str) -> str:
    return quote(token, safe="") or "x"


@pytest.fixture
def no_rate_limits(settings):
    # The limit answers 429 after 20 tries, which is fine, but would hide the form.
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False


@pytest.fixture
def lists(make_list):
    return (
        make_list("monthly-en", "en", name_en="Monthly letter"),
        make_list("monthly-de", "de", name_en="German letter"),
        make_list("members-en", "en", name_en="Members letter", is_public=False),
    )


@pytest.fixture
def reader(lists, make_subscriber):
    return make_subscriber(ADDRESS, [lists[0]])


def fresh_reader(make_subscriber, lists):
    """A new confirmed reader for each example (the examples share one transaction)."""
    return make_subscriber(f"reader-{uuid.uuid4().hex[:12]}@example.net", [lists[0]])


def state(subscriber_pk) -> set[tuple[str, str]]:
    return set(
        Subscription.objects.filter(subscriber_id=subscriber_pk).values_list(
            "mailing_list__slug", "status"
        )
    )


@pytest.mark.django_db
@FUZZ
@given(form=any_form_data(["email", "lists", "consent"], list_values))
def test_sign_up_survives_anything(lists, reader, no_rate_limits, form):
    before = state(reader.pk)

    response = Client().post("/en/newsletter/", form)

    assert_handled(response)
    assert response.status_code in (200, 400)
    # What the reader confirmed stays confirmed; the form adds only pending sign-ups.
    assert before <= state(reader.pk)
    for subscription in Subscription.objects.all():
        confirmed = (subscription.subscriber_id, subscription.mailing_list.slug) == (
            reader.pk,
            "monthly-en",
        )
        assert subscription.status == (S.CONFIRMED if confirmed else S.PENDING)
        assert subscription.mailing_list.is_public
    for subscriber in Subscriber.objects.all():
        assert "@" in subscriber.email


@pytest.mark.django_db
@FUZZ
@given(token=tokens, form=any_form_data(["action", "lists"], list_values))
def test_links_survive_anything(lists, make_subscriber, token, form):
    reader = fresh_reader(make_subscriber, lists)
    before = state(reader.pk)
    for url in (
        f"/en/newsletter/confirm/{path_token(token)}/",
        f"/en/newsletter/preferences/{path_token(token)}/",
        f"/en/newsletter/unsubscribe/{path_token(token)}/",
    ):
        assert_handled(Client().get(url))
        assert_handled(Client().post(url, form))
    response = Client().post(f"/newsletter/one-click/{path_token(token)}", form)
    assert response.status_code in (404, 405)  # never a redirect, never a 500
    assert state(reader.pk) == before


@pytest.mark.django_db
@FUZZ
@given(form=any_form_data(["action", "lists"], list_values))
def test_the_preference_page_survives_anything(lists, make_subscriber, form):
    reader = fresh_reader(make_subscriber, lists)
    url = f"/en/newsletter/preferences/{links.preference_token(reader)}/"

    response = Client().post(url, form)

    assert_handled(response)
    assert response.status_code in (200, 400)
    now = state(reader.pk)
    if response.status_code == 400:
        assert now == {("monthly-en", S.CONFIRMED)}
    # Never a list the reader was not offered; nothing waiting.
    assert {slug for slug, _status in now} <= {"monthly-en", "monthly-de"}
    assert {status for _slug, status in now} <= {S.CONFIRMED}


@pytest.mark.django_db
@FUZZ
@given(body=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_one_click_survives_any_body(lists, make_subscriber, make_mailing, body):
    reader = fresh_reader(make_subscriber, lists)
    mailing = make_mailing(lists=[lists[0]])
    url = f"/newsletter/one-click/{links.unsubscribe_token(reader, mailing)}"
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        existed = Subscriber.objects.filter(pk=reader.pk).exists()
        response = Client().generic("POST", url, body, content_type=content_type)
        assert response.status_code in (200, 400, 404), response.status_code
        exists = Subscriber.objects.filter(pk=reader.pk).exists()
        if response.status_code == 200:
            assert existed and not exists
        else:
            assert exists == existed


@pytest.mark.django_db
@FUZZ
@given(form=any_form_data(["lists"], list_values))
def test_member_lists_survive_anything(lists, member, form):
    before = state(Subscriber.objects.filter(user=member).values("pk")[:1])

    response = client_for(member).post("/en/newsletter/my-lists/", form)

    assert_handled(response)
    assert response.status_code in (302, 400)
    subscriber = Subscriber.objects.filter(user=member).first()
    if response.status_code == 400:
        assert state(subscriber.pk if subscriber else None) == before
    if subscriber is not None:
        assert subscriber.email == member.email
        assert {s.status for s in subscriber.subscriptions.all()} <= {S.CONFIRMED}


@pytest.mark.parametrize("value", ["99999999999999999999", "²", "١", "-1", "1.0", "\x00"])
def test_a_list_id_the_database_cannot_hold_is_a_400(lists, make_subscriber, member, value):
    """Found by the fuzzing above: an id past 64 bits was an OverflowError (500) on SQLite."""
    reader = fresh_reader(make_subscriber, lists)
    form = {"email": ADDRESS, "consent": "on", "lists": [value]}
    assert Client().post("/en/newsletter/", form).status_code == 400
    url = f"/en/newsletter/preferences/{links.preference_token(reader)}/"
    assert Client().post(url, {"action": "save", "lists": [value]}).status_code == 400
    response = client_for(member).post("/en/newsletter/my-lists/", {"lists": [value]})
    assert response.status_code == 400
    assert state(reader.pk) == {("monthly-en", S.CONFIRMED)}
    assert not Subscriber.objects.filter(user=member).exists()
