"""The demo newsletters (seed_demo): what the issue asks for, fast, and idempotent."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from solidar.accounts import demo as account_demo
from solidar.core.models import AuditEvent
from solidar.newsletter import demo, recipients
from solidar.newsletter.models import (
    Delivery,
    Mailing,
    MailingList,
    MailingVariant,
    Subscriber,
    Subscription,
)

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "lists": MailingList.objects.count(),
        "subscribers": Subscriber.objects.count(),
        "subscriptions": Subscription.objects.count(),
        "mailings": Mailing.objects.count(),
        "variants": MailingVariant.objects.count(),
        "deliveries": Delivery.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
def seeded():
    account_demo.seed()
    started = time.monotonic()
    demo.seed()
    return time.monotonic() - started


def test_seeding_twice_changes_nothing_and_is_fast(seeded):
    first = counts()
    started = time.monotonic()
    demo.seed()
    again = time.monotonic() - started
    assert counts() == first
    assert first["lists"] == 8 and first["subscribers"] == demo.READERS
    assert first["mailings"] == 2 and first["variants"] == 8
    assert seeded < 10 and again < 2, (seeded, again)


def test_lists_in_four_languages_named_in_each(seeded):
    lists = MailingList.objects.all()
    assert sorted({m.language for m in lists}) == ["de", "en", "ru", "uk"]
    for mailing_list in lists:
        assert all(getattr(mailing_list, f"name_{code}") for code in ("en", "de", "ru", "uk"))
    assert MailingList.objects.get(slug="prisoners-uk").name_uk.startswith("Солідарність")


def test_readers_are_confirmed_on_a_reserved_domain(seeded):
    assert all(s.email.endswith("@example.org") for s in Subscriber.objects.all())
    assert set(Subscription.objects.values_list("status", "consent_version").distinct()) == {
        (Subscription.Status.CONFIRMED, "demo")
    }


def test_two_sent_mailings_in_the_archive_in_four_languages(seeded):
    mailings = Mailing.objects.all()
    assert {m.status for m in mailings} == {Mailing.Status.SENT}
    for mailing in mailings:
        assert sorted(mailing.variants.values_list("language", flat=True)) == [
            "de",
            "en",
            "ru",
            "uk",
        ]
        assert mailing.finished_at is not None and mailing.in_archive
        deliveries = Delivery.objects.filter(mailing=mailing)
        assert deliveries.count() == mailing.recipient_count > 0
        assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
        assert recipients.count(mailing) == mailing.recipient_count
    client = Client()
    for language, subject in (("de", "Was wir in Köln beschlossen haben"), ("uk", "Немає миру")):
        with translation.override(language):
            html = client.get(reverse("newsletter:archive")).content.decode()
        assert subject in html
