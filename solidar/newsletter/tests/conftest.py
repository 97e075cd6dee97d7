# ruff: noqa: F811 - the network's fixtures are imported, then asked for by name
"""Fixtures of the newsletter's tests (helpers append theirs below, one section each).

make_list(slug, language, **fields)      a MailingList
make_subscriber(email, lists, status)    a Subscriber with subscriptions (confirmed)
make_mailing(title, variants, lists, languages, status, by)   a Mailing with variants
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from solidar.network.tests.conftest import (  # noqa: F401 - personas shared with the network
    coordinator,
    coordinator_without_mfa,
    hidden_member,
    koeln,
    member,
    minsk,
    other_member,
    paris,
)
from solidar.newsletter import links
from solidar.newsletter.models import (
    Mailing,
    MailingList,
    MailingVariant,
    Subscriber,
    Subscription,
)


# -- shared (editor helper) ----------------------------------------------------------------
@pytest.fixture
def make_list(db):
    def make(slug: str = "monthly-de", language: str = "de", **fields) -> MailingList:
        fields.setdefault("name", f"List {slug}")
        return MailingList.objects.create(slug=slug, language=language, **fields)

    return make


@pytest.fixture
def make_subscriber(db):
    def make(
        email: str,
        lists=(),
        status: str = Subscription.Status.CONFIRMED,
        user=None,
    ) -> Subscriber:
        subscriber = Subscriber.objects.create(
            email=email, email_digest=links.email_digest(email), user=user
        )
        now = timezone.now()
        for mailing_list in lists:
            Subscription.objects.create(
                subscriber=subscriber,
                mailing_list=mailing_list,
                status=status,
                consent_version="test",
                requested_at=now,
                confirmed_at=now if status == Subscription.Status.CONFIRMED else None,
            )
        return subscriber

    return make


@pytest.fixture
def make_mailing(db):
    def make(
        title: str = "Monthly newsletter",
        variants: dict[str, tuple[str, str]] | None = None,
        lists=(),
        languages=None,
        status: str = Mailing.Status.DRAFT,
        by=None,
        **fields,
    ) -> Mailing:
        if variants is None:
            variants = {"de": ("Rundbrief", "Hallo aus **Köln**.")}
        mailing = Mailing.objects.create(title=title, status=status, created_by=by, **fields)
        for language, (subject, body) in variants.items():
            MailingVariant.objects.create(
                mailing=mailing,
                language=language,
                subject=subject,
                body=body,
                archive_slug=f"{language}-{str(mailing.pk)[:8]}",
            )
        mailing.lists.set(lists)
        mailing.languages = list(languages if languages is not None else variants)
        mailing.save(update_fields=["languages"])
        return mailing

    return make
