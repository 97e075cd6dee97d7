"""Helpers for the tests of offers, matching, statistics and retention (not fixtures:
plain functions, so each test module says what it builds)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from solidar.accounts.tests.factories import UserFactory
from solidar.aid import offers
from solidar.aid.models import Offer
from solidar.network.tests.factories import CollectiveFactory, MembershipFactory


def new_member(username: str, *, language: str = "en", display_name: str = ""):
    """An active member of a cell of their own (so they may offer help)."""
    user = UserFactory(
        username=username, display_name=display_name or username.title(), language=language
    )
    MembershipFactory(collective=CollectiveFactory(slug=f"cell-of-{username}"), user=user)
    return user


def offer_of(user, **fields) -> Offer:
    """An offer made through the service; fields as ``offers.OfferFields``."""
    values = {"kind": Offer.Kind.BED, "city": "Berlin", "country": "DE", "languages": ("ru",)}
    values.update(fields)
    values["languages"] = tuple(values["languages"])
    return offers.create_offer(user, offers.OfferFields(**values))


def raw_offer(user, **fields) -> Offer:
    """An offer row written directly (for states the service refuses: expired, past)."""
    today = timezone.localdate()
    values = {
        "user": user,
        "kind": Offer.Kind.BED,
        "city": "Berlin",
        "country": "DE",
        "languages": ["ru"],
        "expires_on": today + timedelta(days=30),
    }
    values.update(fields)
    return Offer.objects.create(**values)
