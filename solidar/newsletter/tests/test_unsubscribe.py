"""Unsubscribing from a mailing: the page with one button, and the RFC 8058 one-click POST
the mail program sends to the List-Unsubscribe address."""

from __future__ import annotations

import pytest
from django.test import Client

from solidar.core.models import AuditEvent
from solidar.newsletter import compose, links, services
from solidar.newsletter.models import Subscriber, Subscription, Suppression

ADDRESS = "reader@example.net"
ONE_CLICK = "List-Unsubscribe=One-Click"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def lists(make_list):
    return (
        make_list("monthly-de", "de", name_en="Monthly letter", name_de="Monatsbrief"),
        make_list("actions-de", "de", name_en="Calls to action", name_de="Aufrufe"),
    )


@pytest.fixture
def mailing(lists, make_mailing):
    return make_mailing(lists=[lists[0]])


@pytest.fixture
def reader(lists, make_subscriber):
    return make_subscriber(ADDRESS, [lists[0]])


def page_url(subscriber, mailing, language="de") -> str:
    return f"/{language}/newsletter/unsubscribe/{links.unsubscribe_token(subscriber, mailing)}/"


def one_click_path(subscriber, mailing) -> str:
    return f"/newsletter/one-click/{links.unsubscribe_token(subscriber, mailing)}"


# -- the page ----------------------------------------------------------------------------------
def test_opening_the_link_changes_nothing_the_button_unsubscribes(reader, mailing):
    client = Client()
    url = page_url(reader, mailing)
    response = client.get(url)
    assert response.status_code == 200
    assert "Monatsbrief" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert Subscription.objects.filter(subscriber=reader).exists()

    response = client.post(url)
    assert response.status_code == 200
    assert "deine Adresse ist gelöscht" in response.content.decode()  # the reader's language
    assert not Subscriber.objects.exists()
    assert Suppression.objects.get().email_digest == links.email_digest(ADDRESS)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="newsletter.left").exists()
    # Used up: the link now says it does not work.
    again = client.get(url)
    assert again.status_code == 404
    assert "ist deine Adresse gelöscht" in again.content.decode()


def test_other_lists_remain_with_a_link_to_the_preferences(reader, lists, mailing):
    monthly, actions = lists
    Subscription.objects.create(
        subscriber=reader,
        mailing_list=actions,
        status=Subscription.Status.CONFIRMED,
        consent_version="test",
        requested_at=reader.created_at,
        confirmed_at=reader.created_at,
    )
    response = Client().post(page_url(reader, mailing))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aufrufe" in page  # still on it
    assert f"/de/newsletter/preferences/{links.preference_token(reader)}/" in page
    assert list(reader.subscriptions.values_list("mailing_list__slug", flat=True)) == ["actions-de"]
    assert not Suppression.objects.exists()


def test_an_unsubscribe_link_opens_nothing_else(reader, mailing):
    token = links.unsubscribe_token(reader, mailing)
    assert Client().get(f"/de/newsletter/preferences/{token}/").status_code == 404
    assert Client().post(f"/de/newsletter/confirm/{token}/").status_code == 410
    assert Client().get(f"/de/newsletter/unsubscribe/{token}x/").status_code == 404
    assert Subscriber.objects.filter(pk=reader.pk).exists()


# -- RFC 8058 one-click ------------------------------------------------------------------------
def test_one_click_post_unsubscribes(reader, mailing):
    client = Client(enforce_csrf_checks=True)
    response = client.post(one_click_path(reader, mailing), ONE_CLICK, content_type=FORM)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert not response.cookies  # no session, no CSRF cookie
    assert not Subscriber.objects.exists()
    assert Suppression.objects.count() == 1


def test_one_click_accepts_multipart_as_rfc_8058_allows(reader, mailing):
    response = Client().post(one_click_path(reader, mailing), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_one_click_url_in_the_mailing_is_the_one_that_works(reader, mailing):
    variant = mailing.variants.get()
    message = compose.message(
        compose.render(variant), mailing=mailing, subscriber=reader, to=ADDRESS
    )
    header = message.extra_headers["List-Unsubscribe"]
    url = header.split("<", 1)[1].split(">", 1)[0]
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = Client().post("/" + path, ONE_CLICK, content_type=FORM)
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_get_does_not_unsubscribe(reader, mailing):
    response = Client().get(one_click_path(reader, mailing))
    assert response.status_code == 405
    assert Subscriber.objects.filter(pk=reader.pk).exists()


@pytest.mark.parametrize(
    "body", ["", "List-Unsubscribe=Yes", "one-click", "List-Unsubscribe=one-click", "x" * 5000]
)
def test_a_bad_body_is_400_and_changes_nothing(reader, mailing, body):
    response = Client().post(one_click_path(reader, mailing), body, content_type=FORM)
    assert response.status_code == 400
    assert Subscriber.objects.filter(pk=reader.pk).exists()


@pytest.mark.parametrize("token", ["x", "a" * 60, "..", "null"])
def test_a_bad_token_is_404(reader, mailing, token):
    response = Client().post(f"/newsletter/one-click/{token}", ONE_CLICK, content_type=FORM)
    assert response.status_code == 404
    assert Subscriber.objects.filter(pk=reader.pk).exists()


def test_one_click_twice_answers_404_the_second_time(reader, mailing):
    path = one_click_path(reader, mailing)
    assert Client().post(path, ONE_CLICK, content_type=FORM).status_code == 200
    assert Client().post(path, ONE_CLICK, content_type=FORM).status_code == 404
    assert Suppression.objects.count() == 1


def test_unsubscribe_from_mailing_keeps_lists_the_mailing_did_not_use(reader, lists, mailing):
    monthly, actions = lists
    services.update_lists(reader, [monthly, actions])
    assert services.unsubscribe_from_mailing(reader, mailing) == [actions]
    assert Subscriber.objects.filter(pk=reader.pk).exists()
    assert services.unsubscribe(reader, [actions]) == []
    assert not Subscriber.objects.exists()
