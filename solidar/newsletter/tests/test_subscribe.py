"""Signing up (double opt-in) and confirming: the whole way of a reader's address, from
the form to the suppression list and back; the same answer for every address; bad input."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from solidar.core.models import AuditEvent
from solidar.newsletter import links, services
from solidar.newsletter.models import Subscriber, Subscription, Suppression
from solidar.newsletter.services import NewsletterError

S = Subscription.Status
ADDRESS = "reader@example.net"


@pytest.fixture
def lists(make_list):
    english = make_list(
        "monthly-en", "en", name_en="Monthly letter", description_en="News, once a month."
    )
    german = make_list(
        "monthly-de",
        "de",
        name_en="Monthly letter in German",
        name_de="Monatsbrief",
        description_de="Nachrichten, einmal im Monat.",
    )
    members = make_list("members-en", "en", name_en="Members' letter", is_public=False)
    old = make_list("old-en", "en", name_en="Old list", is_active=False)
    return english, german, members, old


def paths_in(message, part: str) -> list[str]:
    return [
        urlsplit(link).path
        for link in re.findall(r"https?://[^\s<>\"]+", message.body)
        if part in urlsplit(link).path
    ]


def confirm_token(message) -> str:
    (path,) = paths_in(message, "/newsletter/confirm/")
    return path.rstrip("/").rsplit("/", 1)[-1]


def sign_up(client, lists, email=ADDRESS, language="en", **extra):
    data = {"email": email, "lists": [m.pk for m in lists], "consent": "on", **extra}
    return client.post(f"/{language}/newsletter/", data)


@pytest.fixture
def no_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False


# -- the whole way -----------------------------------------------------------------------------
def test_sign_up_confirm_leave_suppressed_import_skips_new_confirmation_lifts(
    lists, django_capture_on_commit_callbacks, editor
):
    english, german, _members, _old = lists
    reader = Client()

    # 1. A reader of the German site signs up for the German letter.
    page = reader.get("/de/newsletter/")
    assert page.status_code == 200
    assert "Monatsbrief" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(reader, [german], language="de")
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.email == ADDRESS
    assert subscriber.email_digest == links.email_digest(ADDRESS)
    subscription = subscriber.subscriptions.get()
    assert (subscription.status, subscription.source) == (S.PENDING, "form")
    assert subscription.consent_version == services.CONSENT_VERSION
    assert subscription.requested_at is not None and subscription.confirmed_at is None

    # 2. The confirmation e-mail, in German; only the token's digest is stored.
    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    assert "Monatsbrief" in message.body
    assert message.body.startswith("Hallo,")  # the reader's language
    token = confirm_token(message)
    assert len(token) >= 43  # 256 bits, URL-safe
    assert subscriber.confirm_digest == links.digest(token, "confirm")
    assert token not in str(Subscriber.objects.values_list().get())

    # 3. Opening the link changes nothing (mail scanners do); the button confirms.
    confirm_path = paths_in(message, "/newsletter/confirm/")[0]
    assert confirm_path.startswith("/de/")
    page = reader.get(confirm_path)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]
    assert Subscription.objects.get().status == S.PENDING
    page = reader.post(confirm_path)
    assert page.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == S.CONFIRMED and subscription.confirmed_at is not None
    assert AuditEvent.objects.filter(action="newsletter.confirmed").count() == 1

    # 4. The preference page: leave all -> the address is gone, its digest suppressed.
    prefs = re.search(r'href="(/de/newsletter/preferences/[^"]+)"', page.content.decode())
    assert prefs, page.content.decode()
    page = reader.post(prefs.group(1), {"action": "leave"})
    assert page.status_code == 200
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()
    suppression = Suppression.objects.get()
    assert suppression.email_digest == links.email_digest(ADDRESS)
    assert suppression.reason == Suppression.Reason.UNSUBSCRIBED
    assert "reader@" not in str(list(Suppression.objects.values_list()))

    # 5. An import cannot put it back.
    result = services.import_addresses(german, [ADDRESS.upper(), "new@example.org"], by=editor)
    assert (result.added, result.already, result.suppressed, result.invalid) == (1, 0, 1, 0)
    assert services.subscriber_for_email(ADDRESS) is None

    # 6. The reader's own new sign-up, once confirmed, lifts the suppression.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(reader, [english])
    assert services.is_suppressed(ADDRESS)  # not before the confirmation
    services.confirm(confirm_token(mail.outbox[-1]))
    assert not services.is_suppressed(ADDRESS)
    assert services.subscriber_for_email(ADDRESS).subscriptions.get().mailing_list == english


def test_the_answer_is_the_same_for_new_waiting_and_subscribed_addresses(
    lists, make_subscriber, django_capture_on_commit_callbacks
):
    english, german, *_ = lists
    make_subscriber("known@example.net", [english])
    responses = {}
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("new@example.net", "known@example.net", "new@example.net"):
            response = sign_up(Client(), [english], email=email)
            body = response.content.decode()
            body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
            responses.setdefault((response.status_code, body), []).append(email)
    assert len(responses) == 1, list(responses)
    ((status, _body),) = responses
    assert status == 200

    # The known address was told by e-mail, with its preference link, and nothing changed.
    known = [m for m in mail.outbox if m.to == ["known@example.net"]]
    assert len(known) == 1
    assert paths_in(known[0], "/newsletter/preferences/")
    assert not paths_in(known[0], "/newsletter/confirm/")
    assert services.subscriber_for_email("known@example.net").subscriptions.get().status == (
        S.CONFIRMED
    )
    # The waiting address got its link again (a new one: the first stops working).
    new = [m for m in mail.outbox if m.to == ["new@example.net"]]
    assert len(new) == 2
    first, second = confirm_token(new[0]), confirm_token(new[1])
    assert first != second
    with pytest.raises(NewsletterError):
        services.confirm(first)
    assert services.confirm(second).lists == [english]
    assert Subscriber.objects.count() == 2


def test_a_confirmed_reader_asking_for_another_list_gets_a_link_for_it_only(
    lists, make_subscriber, django_capture_on_commit_callbacks
):
    english, german, *_ = lists
    make_subscriber(ADDRESS, [english])
    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe(ADDRESS, [english, german], language="en")
    (message,) = mail.outbox
    assert "Monthly letter in German" in message.body
    confirmation = services.confirm(confirm_token(message))
    assert confirmation.lists == [german]
    statuses = set(Subscription.objects.values_list("status", flat=True))
    assert statuses == {S.CONFIRMED}


# -- confirming --------------------------------------------------------------------------------
def test_confirming_twice_says_so_and_changes_nothing(lists, django_capture_on_commit_callbacks):
    english, *_ = lists
    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe(ADDRESS, [english], language="en")
    path = paths_in(mail.outbox[0], "/newsletter/confirm/")[0]
    assert Client().post(path).status_code == 200
    confirmed_at = Subscription.objects.get().confirmed_at

    for response in (Client().post(path), Client().get(path)):
        assert response.status_code == 200
        assert "confirmed already" in response.content.decode()
        assert "/preferences/" not in response.content.decode()
    assert services.confirm(confirm_token(mail.outbox[0])).already
    assert Subscription.objects.get().confirmed_at == confirmed_at


def test_an_expired_link_is_refused_and_changes_nothing(lists, django_capture_on_commit_callbacks):
    english, *_ = lists
    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe(ADDRESS, [english], language="en")
    Subscriber.objects.update(confirm_expires_at=timezone.now() - timedelta(seconds=1))
    path = paths_in(mail.outbox[0], "/newsletter/confirm/")[0]

    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
    with pytest.raises(NewsletterError, match="expired"):
        services.confirm(confirm_token(mail.outbox[0]))
    assert Subscription.objects.get().status == S.PENDING


@pytest.mark.parametrize("token", ["x", "a" * 43, "%00", "a" * 500])
def test_an_unknown_confirmation_link_is_refused(lists, token):
    response = Client().post(f"/en/newsletter/confirm/{token}/")
    assert response.status_code == 410
    assert "This link is not valid" in response.content.decode()
    assert "_auth_user_id" not in Client().session


def test_the_confirmation_link_is_the_one_purpose_it_was_made_for(
    lists, make_subscriber, make_mailing
):
    english, *_ = lists
    subscriber = make_subscriber(ADDRESS, [english])
    mailing = make_mailing(lists=[english])
    for other in (links.preference_token(subscriber), links.unsubscribe_token(subscriber, mailing)):
        response = Client().post(f"/en/newsletter/confirm/{other}/")
        assert response.status_code == 410


# -- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "email", ["", "   ", "reader", "reader@", "@example.net", "a b@example.net", "x@y@z"]
)
def test_an_invalid_address_gets_a_clear_message(lists, email):
    english, *_ = lists
    response = sign_up(Client(), [english], email=email)
    assert response.status_code == 400
    assert "Please give a valid e-mail address." in response.content.decode()
    assert not Subscriber.objects.exists()
    with pytest.raises(NewsletterError, match="valid e-mail"):
        services.subscribe(email, [english], language="en")


def test_an_address_too_long_is_refused(lists):
    english, *_ = lists
    with pytest.raises(NewsletterError):
        services.subscribe("a" * 250 + "@example.net", [english], language="en")
    assert not Subscriber.objects.exists()


def test_no_list_chosen(lists):
    response = sign_up(Client(), [])
    assert response.status_code == 400
    assert "Please choose at least one list." in response.content.decode()
    assert not Subscriber.objects.exists()


def test_only_active_public_lists_can_be_chosen(lists):
    english, german, members, old = lists
    page = Client().get("/en/newsletter/").content.decode()
    assert "Monthly letter" in page and "Members&#x27; letter" not in page
    assert "Old list" not in page
    for hidden in (members, old):
        response = sign_up(Client(), [hidden])
        assert response.status_code == 400
        with pytest.raises(NewsletterError, match="choose at least one"):
            services.subscribe(ADDRESS, [hidden], language="en")
    assert not Subscriber.objects.exists()


def test_consent_is_required_and_shown(lists):
    english, *_ = lists
    page = Client().get("/en/newsletter/").content.decode()
    assert "I agree that" in page
    response = Client().post("/en/newsletter/", {"email": ADDRESS, "lists": [english.pk]})
    assert response.status_code == 400
    assert "Please agree" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_lists_are_grouped_by_language_the_readers_first(lists):
    english, german = "News, once a month.", "Nachrichten, einmal im Monat."
    page = Client().get("/de/newsletter/").content.decode()
    assert page.index(german) < page.index(english)
    assert "Monatsbrief" in page
    page = Client().get("/en/newsletter/").content.decode()
    assert page.index(english) < page.index(german)
    assert "Monthly letter in German" in page


# -- rate limits -------------------------------------------------------------------------------
def test_one_address_gets_at_most_three_links_in_ten_minutes(
    lists, django_capture_on_commit_callbacks
):
    english, *_ = lists
    with django_capture_on_commit_callbacks(execute=True):
        responses = [sign_up(Client(), [english]) for _ in range(5)]
    assert {r.status_code for r in responses} == {200}
    assert len(mail.outbox) == 3


def test_one_client_is_slowed_down(lists):
    english, *_ = lists
    client = Client()
    codes = [sign_up(client, [english], email=f"r{n}@example.net").status_code for n in range(21)]
    assert codes[:20] == [200] * 20
    assert codes[20] == 429
    assert Subscriber.objects.count() == 20


# -- retention ---------------------------------------------------------------------------------
def test_unconfirmed_sign_ups_are_purged_after_seven_days(lists, make_subscriber, settings):
    english, german, *_ = lists
    assert settings.SOLIDAR_NEWSLETTER_CONFIRM_DAYS == 7
    now = timezone.now()
    services.subscribe("old@example.net", [english], language="en")
    services.subscribe("fresh@example.net", [english], language="en")
    make_subscriber("mixed@example.net", [english])  # confirmed on another list
    services.subscribe("mixed@example.net", [german], language="en")
    Subscription.objects.filter(
        subscriber__email_digest__in=[
            links.email_digest("old@example.net"),
            links.email_digest("mixed@example.net"),
        ],
        status=S.PENDING,
    ).update(requested_at=now - timedelta(days=7, minutes=1))
    Subscription.objects.filter(
        subscriber__email_digest=links.email_digest("fresh@example.net")
    ).update(requested_at=now - timedelta(days=6, hours=23))

    from solidar.newsletter import tasks

    result = tasks.purge_unconfirmed.enqueue()
    assert result.return_value == 2
    assert services.subscriber_for_email("old@example.net") is None
    assert services.subscriber_for_email("fresh@example.net") is not None
    mixed = services.subscriber_for_email("mixed@example.net")
    assert [s.status for s in mixed.subscriptions.all()] == [S.CONFIRMED]
    assert not Suppression.objects.exists()  # never confirmed: nothing to suppress
    assert services.purge_unconfirmed() == 0
