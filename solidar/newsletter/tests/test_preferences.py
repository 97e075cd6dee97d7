"""The reader's preference page (a signed link, good for nothing else) and the members'
choice of lists on their profile."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from solidar.accounts.services import delete_account
from solidar.conftest import client_for
from solidar.core.testing import assert_max_queries
from solidar.newsletter import links, receivers, services
from solidar.newsletter.models import Subscriber, Subscription, Suppression
from solidar.newsletter.services import NewsletterError

S = Subscription.Status
ADDRESS = "reader@example.net"


@pytest.fixture
def lists(make_list):
    return (
        make_list("monthly-en", "en", name_en="Monthly letter", position=1),
        make_list("monthly-de", "de", name_en="German letter", position=2),
        make_list("members-en", "en", name_en="Members letter", is_public=False, position=3),
    )


@pytest.fixture
def reader(lists, make_subscriber):
    english, _german, _members = lists
    return make_subscriber(ADDRESS, [english])


def prefs_url(subscriber, language="en") -> str:
    return f"/{language}/newsletter/preferences/{links.preference_token(subscriber)}/"


def lists_of(subscriber) -> set[str]:
    return set(
        Subscription.objects.filter(subscriber=subscriber).values_list(
            "mailing_list__slug", flat=True
        )
    )


# -- the page ----------------------------------------------------------------------------------
def test_the_page_shows_the_readers_lists_ticked(reader, lists):
    client = Client()
    response = client.get(prefs_url(reader))
    assert response.status_code == 200
    page = response.content.decode()
    english, german, members = lists
    assert f'value="{english.pk}" id="list-{english.pk}" checked' in page
    assert f'value="{german.pk}" id="list-{german.pk}">' in page
    assert "Members letter" not in page  # only for members
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "_auth_user_id" not in client.session  # the link signs nobody in


def test_changing_lists_adds_confirmed_and_removes(reader, lists, make_subscriber):
    english, german, members = lists
    response = Client().post(prefs_url(reader), {"action": "save", "lists": [german.pk]})
    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    assert lists_of(reader) == {"monthly-de"}
    added = Subscription.objects.get(subscriber=reader)
    assert added.status == S.CONFIRMED and added.confirmed_at is not None
    assert added.consent_version == services.CONSENT_VERSION
    # A list not offered to this reader is not added by a forged form.
    Client().post(prefs_url(reader), {"action": "save", "lists": [german.pk, members.pk]})
    assert lists_of(reader) == {"monthly-de"}


def test_unticking_everything_forgets_the_address(reader, lists):
    response = Client().post(prefs_url(reader), {"action": "save"})
    assert response.status_code == 200
    assert "your address is deleted" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert Suppression.objects.get().email_digest == links.email_digest(ADDRESS)


def test_leave_all(reader, lists):
    url = prefs_url(reader)
    response = Client().post(url, {"action": "leave", "lists": [lists[0].pk]})
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert services.is_suppressed(ADDRESS)
    # The link is dead now, and says so.
    again = Client().get(url)
    assert again.status_code == 404
    assert "This link does not work" in again.content.decode()


def test_a_bad_action_changes_nothing(reader, lists):
    for data in ({}, {"action": "delete"}, {"action": "save", "lists": ["x"]}):
        response = Client().post(prefs_url(reader), data)
        assert response.status_code == 400
    assert lists_of(reader) == {"monthly-en"}


def test_pending_lists_are_marked_waiting(reader, lists):
    services.subscribe(ADDRESS, [lists[1]], language="en")
    page = Client().get(prefs_url(reader)).content.decode()
    assert "waiting for your confirmation" in page


# -- tokens: one purpose each ------------------------------------------------------------------
def test_forged_and_other_purpose_tokens_answer_404(reader, lists, make_mailing):
    mailing = make_mailing(lists=[lists[0]])
    unsubscribe = links.unsubscribe_token(reader, mailing)
    preferences = links.preference_token(reader)
    stale = links.preference_token(reader)
    Subscriber.objects.filter(pk=reader.pk).update(link_version=reader.link_version + 1)
    client = Client()
    cases = [
        f"/en/newsletter/preferences/{unsubscribe}/",
        f"/en/newsletter/unsubscribe/{preferences}/",
        f"/en/newsletter/preferences/{stale}/",
        f"/en/newsletter/preferences/{quote(preferences[:-2] + 'xx', safe='')}/",
        "/en/newsletter/preferences/x/",
        f"/newsletter/one-click/{preferences}",
    ]
    for url in cases:
        for method in ("get", "post"):
            if url.startswith("/newsletter/one-click/") and method == "get":
                continue
            response = getattr(client, method)(url, {"action": "leave"})
            assert response.status_code == 404, (method, url)
    assert "_auth_user_id" not in client.session
    assert Subscriber.objects.filter(pk=reader.pk).exists()
    assert lists_of(reader) == {"monthly-en"}


def test_a_preference_link_does_not_sign_in_a_members_address(lists, member, make_subscriber):
    subscriber = make_subscriber(member.email, [lists[0]], user=member)
    client = Client()
    assert client.get(prefs_url(subscriber)).status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/en/account/").status_code == 302  # still signed out


def test_the_page_costs_the_same_with_one_list_and_fifty(reader, make_list):
    def measure() -> int:
        with assert_max_queries(20) as ctx:
            assert Client().get(prefs_url(reader)).status_code == 200
        return len(ctx.captured_queries)

    few = measure()
    for n in range(50):
        make_list(f"extra-{n}", "uk", name_en=f"Extra {n}")
    assert measure() == few


# -- members -----------------------------------------------------------------------------------
def test_a_member_subscribes_from_the_profile(member, lists, django_capture_on_commit_callbacks):
    english, german, members = lists
    client = client_for(member)
    page = client.get("/en/account/").content.decode()
    assert "Members letter" in page  # members' lists are offered here
    assert member.email in page

    response = client.post("/en/newsletter/my-lists/", {"lists": [english.pk, members.pk]})
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(user=member)
    assert subscriber.email == member.email
    assert lists_of(subscriber) == {"monthly-en", "members-en"}
    assert set(subscriber.subscriptions.values_list("status", "source")) == {
        (S.CONFIRMED, "profile")
    }
    assert services.member_lists(member) == [english, members]
    page = client.get("/en/account/").content.decode()
    assert f'id="member-list-{members.pk}" checked' in page
    assert "Your newsletters are saved." in page

    client.post("/en/newsletter/my-lists/", {"lists": [german.pk]})
    assert lists_of(subscriber) == {"monthly-de"}
    client.post("/en/newsletter/my-lists/", {})
    assert not Subscriber.objects.exists()
    assert services.is_suppressed(member.email)
    # Subscribing again from the profile is the member's own confirmed wish: lifted.
    client.post("/en/newsletter/my-lists/", {"lists": [english.pk]})
    assert not services.is_suppressed(member.email)
    assert lists_of(Subscriber.objects.get(user=member)) == {"monthly-en"}


def test_a_form_sign_up_of_the_same_address_joins_the_members_lists(member, lists):
    english, german, members = lists
    services.subscribe(member.email, [german], language="en")
    services.subscribe_member(member, [english, german])
    subscriber = Subscriber.objects.get()
    assert subscriber.user == member
    assert set(subscriber.subscriptions.values_list("status", flat=True)) == {S.CONFIRMED}


def test_without_a_verified_address_nothing_is_subscribed(member, lists):
    EmailAddress.objects.filter(user=member).update(verified=False)
    client = client_for(member)
    assert "Confirm your account" in client.get("/en/account/").content.decode()
    response = client.post("/en/newsletter/my-lists/", {"lists": [lists[0].pk]})
    assert response.status_code == 409
    assert "confirm your account" in response.content.decode()
    with pytest.raises(NewsletterError):
        services.subscribe_member(member, [lists[0]])
    assert not Subscriber.objects.exists()


def test_member_lists_needs_a_signed_in_post(member, lists):
    response = Client().post("/en/newsletter/my-lists/", {"lists": [lists[0].pk]})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client_for(member).get("/en/newsletter/my-lists/").status_code == 405
    response = client_for(member).post("/en/newsletter/my-lists/", {"lists": ["nope"]})
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_the_address_follows_the_accounts_primary_address(member, lists):
    english, *_ = lists
    subscriber = services.subscribe_member(member, [english])
    old_link = prefs_url(subscriber)
    EmailAddress.objects.filter(user=member).update(primary=False)
    EmailAddress.objects.create(user=member, email="new@example.net", primary=True, verified=True)

    receivers.member_address_changed(sender=None, request=None, user=member)

    subscriber.refresh_from_db()
    assert subscriber.email == "new@example.net"
    assert subscriber.email_digest == links.email_digest("new@example.net")
    assert Client().get(old_link).status_code == 404  # links to the old address are void
    assert lists_of(subscriber) == {"monthly-en"}


def test_a_deleted_account_takes_its_newsletter_address_with_it(member, lists):
    receivers.connect()
    services.subscribe_member(member, [lists[0]])
    email = member.email
    delete_account(member)
    assert not Subscriber.objects.exists()
    assert services.is_suppressed(email)
