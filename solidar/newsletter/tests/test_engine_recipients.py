"""Who receives a mailing: the recipients' query and the snapshot of delivery rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from solidar.network.models import Membership
from solidar.newsletter import recipients, services
from solidar.newsletter.models import Delivery, Suppression

pytestmark = pytest.mark.django_db

VARIANTS = {
    "de": ("Rundbrief", "Hallo."),
    "en": ("Newsletter", "Hello."),
    "ru": ("Рассылка", "Привет."),
}


@pytest.fixture
def lists(make_list):
    return {
        "de": make_list("news-de", "de", position=2),
        "en": make_list("news-en", "en", position=1),
        "ru": make_list("news-ru", "ru", position=3),
        "uk": make_list("news-uk", "uk", position=4),
    }


def languages_by_subscriber(mailing) -> dict:
    return dict(
        Delivery.objects.filter(mailing=mailing).values_list("subscriber__email_digest", "language")
    )


def test_confirmed_subscribers_of_chosen_lists_and_languages(lists, make_subscriber, make_mailing):
    anna = make_subscriber("anna@example.org", [lists["de"]])
    boris = make_subscriber("boris@example.org", [lists["ru"]])
    make_subscriber("pending@example.org", [lists["de"]], status="pending")
    make_subscriber("uk@example.org", [lists["uk"]])  # list not chosen
    make_subscriber("en@example.org", [lists["en"]])  # language not chosen
    mailing = make_mailing(variants=VARIANTS, lists=list(lists.values()), languages=["de", "ru"])
    assert recipients.count(mailing) == 2
    assert recipients.snapshot(mailing) == 2
    assert languages_by_subscriber(mailing) == {anna.email_digest: "de", boris.email_digest: "ru"}
    mailing.refresh_from_db()
    assert mailing.recipient_count == 2


def test_a_chosen_language_without_a_version_sends_nothing_in_it(
    lists, make_subscriber, make_mailing
):
    make_subscriber("uk@example.org", [lists["uk"]])
    mailing = make_mailing(variants=VARIANTS, lists=[lists["uk"]], languages=["uk"])
    assert recipients.count(mailing) == 0
    assert recipients.snapshot(mailing) == 0


def test_one_message_per_reader_in_the_first_list_by_position(lists, make_subscriber, make_mailing):
    both = make_subscriber("both@example.org", [lists["de"], lists["en"], lists["ru"]])
    mailing = make_mailing(variants=VARIANTS, lists=list(lists.values()))
    assert recipients.count(mailing) == 1
    assert recipients.snapshot(mailing) == 1
    # en has position 1, de 2, ru 3.
    assert languages_by_subscriber(mailing) == {both.email_digest: "en"}


def test_suppressed_addresses_never(lists, make_subscriber, make_mailing):
    kept = make_subscriber("kept@example.org", [lists["de"]])
    gone = make_subscriber("gone@example.org", [lists["de"]])
    services.suppress(gone.email_digest, Suppression.Reason.HARD_BOUNCE)
    mailing = make_mailing(variants=VARIANTS, lists=[lists["de"]])
    assert recipients.snapshot(mailing) == 1
    assert set(languages_by_subscriber(mailing)) == {kept.email_digest}


def test_collectives_filter_active_members_only(
    lists, make_subscriber, make_mailing, member, other_member, koeln, paris
):
    in_koeln = make_subscriber("m@example.org", [lists["de"]], user=member)
    make_subscriber("o@example.org", [lists["de"]], user=other_member)  # paris only
    make_subscriber("anon@example.org", [lists["de"]])  # no account
    from solidar.accounts.tests.factories import UserFactory
    from solidar.network.tests.factories import MembershipFactory

    former = UserFactory(username="former")
    MembershipFactory(collective=koeln, user=former, ended_at=timezone.now() - timedelta(days=1))
    make_subscriber("former@example.org", [lists["de"]], user=former)
    suspended = UserFactory(username="suspended")
    MembershipFactory(collective=koeln, user=suspended, status=Membership.Status.SUSPENDED)
    make_subscriber("suspended@example.org", [lists["de"]], user=suspended)

    mailing = make_mailing(variants=VARIANTS, lists=[lists["de"]])
    assert recipients.count(mailing) == 5
    mailing.collectives.set([koeln])
    assert recipients.count(mailing) == 1
    assert recipients.snapshot(mailing) == 1
    assert set(languages_by_subscriber(mailing)) == {in_koeln.email_digest}


def test_snapshot_is_idempotent_and_adds_only_new_recipients(lists, make_subscriber, make_mailing):
    for i in range(5):
        make_subscriber(f"r{i}@example.org", [lists["de"]])
    mailing = make_mailing(variants=VARIANTS, lists=[lists["de"]])
    assert recipients.snapshot(mailing) == 5
    first = set(Delivery.objects.filter(mailing=mailing).values_list("pk", flat=True))
    assert recipients.snapshot(mailing) == 5
    assert set(Delivery.objects.filter(mailing=mailing).values_list("pk", flat=True)) == first
    make_subscriber("late@example.org", [lists["de"]])
    assert recipients.snapshot(mailing) == 6


def test_snapshot_queries_do_not_grow_with_recipients(lists, make_subscriber, make_mailing):
    from solidar.core.testing import assert_max_queries

    mailing = make_mailing(variants=VARIANTS, lists=[lists["de"], lists["en"]])
    make_subscriber("one@example.org", [lists["de"]])
    with assert_max_queries(12):
        assert recipients.snapshot(mailing) == 1
    for i in range(60):
        make_subscriber(f"r{i}@example.org", [lists["de"], lists["en"]])
    with assert_max_queries(12):
        assert recipients.snapshot(mailing) == 61
