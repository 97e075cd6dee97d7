"""Matching offers to a case (matching.py): fit, ranking, determinism, queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from solidar.aid import matching
from solidar.aid.models import Kind, Offer, Urgency
from solidar.aid.tests.offers_helpers import new_member, offer_of, raw_offer
from solidar.core.testing import assert_max_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def offerer(db):
    return new_member("offerer")


def test_only_active_offers_of_a_fitting_kind(make_case, offerer):
    today = timezone.localdate()
    bed = offer_of(offerer, kind=Offer.Kind.BED)
    offer_of(offerer, kind=Offer.Kind.WORK)  # does not help a departure
    withdrawn = offer_of(offerer, kind=Offer.Kind.TRANSPORT)
    Offer.objects.filter(pk=withdrawn.pk).update(is_withdrawn=True)
    raw_offer(offerer, kind=Offer.Kind.MONEY, expires_on=today - timedelta(days=1))
    case, _ = make_case(kind=Kind.DEPARTURE)
    assert [m.offer for m in matching.suggest(case)] == [bed]


def test_other_takes_any_kind(make_case, offerer):
    for kind in Offer.Kind.values:
        offer_of(offerer, kind=kind)
    case, _ = make_case(kind=Kind.OTHER)
    assert len(matching.suggest(case)) == len(Offer.Kind.values)


def test_every_case_kind_has_a_fit():
    assert set(matching.KIND_FIT) == set(Kind.values)
    for fit in matching.KIND_FIT.values():
        assert fit is None or set(fit) <= set(Offer.Kind.values)


def test_kind_then_language_then_country_rank(make_case, offerer):
    case, _ = make_case(kind=Kind.LEGAL, country="DE", languages=("ru", "de"), urgency="weeks")
    interpreting = offer_of(offerer, kind=Offer.Kind.INTERPRETING, languages=("ru", "de"))
    lawyer_far = offer_of(offerer, kind=Offer.Kind.LEGAL, country="FR", languages=("fr",))
    lawyer_ru = offer_of(offerer, kind=Offer.Kind.LEGAL, country="FR", languages=("ru",))
    lawyer_here = offer_of(offerer, kind=Offer.Kind.LEGAL, country="DE", languages=("ru",))
    ranked = matching.suggest(case)
    assert [m.offer for m in ranked] == [lawyer_here, interpreting, lawyer_ru, lawyer_far]
    top = ranked[0]
    assert top.score == 40 + 20 + 25 + 15
    assert "Speaks Russian" in top.reasons and "In the same country" in top.reasons


def test_the_country_weighs_lightly_for_a_departure(make_case, offerer):
    case, _ = make_case(kind=Kind.DEPARTURE, country="BY", languages=("ru",))
    here = offer_of(offerer, kind=Offer.Kind.BED, country="BY", languages=())
    abroad = offer_of(offerer, kind=Offer.Kind.BED, country="DE", languages=("ru",))
    ranked = matching.suggest(case)
    assert [m.offer for m in ranked] == [abroad, here]
    assert (
        ranked[1].score - ranked[0].score == matching.COUNTRY_SAME_LIGHT - matching.LANGUAGE_FIRST
    )


def test_availability_now_beats_later_and_urgency_doubles_it(make_case, offerer):
    today = timezone.localdate()
    later = offer_of(offerer, available_from=today + timedelta(days=40))
    soon = offer_of(offerer, available_from=today + timedelta(days=7))
    now = offer_of(offerer)
    calm, _ = make_case(kind=Kind.HOUSING, urgency=Urgency.NOT_URGENT)
    urgent, _ = make_case(kind=Kind.HOUSING, urgency=Urgency.IMMEDIATE)
    assert [m.offer for m in matching.suggest(calm)] == [now, soon, later]
    calm_scores = [m.score for m in matching.suggest(calm)]
    urgent_scores = [m.score for m in matching.suggest(urgent)]
    assert urgent_scores[0] - calm_scores[0] == matching.AVAILABLE_NOW


def test_ties_are_ordered_the_same_every_time(make_case, offerer):
    made = [offer_of(offerer, city=f"Berlin {n}") for n in range(6)]
    now = timezone.now()
    Offer.objects.update(created_at=now)  # equal in everything but the id
    case, _ = make_case(kind=Kind.HOUSING)
    first = [m.offer.pk for m in matching.suggest(case)]
    assert first == sorted((o.pk for o in made), key=str)
    assert first == [m.offer.pk for m in matching.suggest(case)]


def test_the_limit_and_the_details_of_those_shown(make_case, offerer):
    for n in range(5):
        offer_of(offerer, details=f"details {n}")
    case, _ = make_case(kind=Kind.HOUSING)
    shown = matching.suggest(case, limit=3)
    assert len(shown) == 3
    assert all(m.offer.details.startswith("details ") for m in shown)


@pytest.mark.parametrize("count", [1, 50])
def test_two_queries_however_many_offers(make_case, offerer, count):
    for n in range(count):
        offer_of(offerer, city=f"City {n}", details=f"d{n}")
    case, _ = make_case(kind=Kind.HOUSING)
    with assert_max_queries(2, exact=True):
        shown = matching.suggest(case)
        texts = [m.offer.details for m in shown] + [m.offer.user.display_name for m in shown]
    assert len(shown) == min(count, 20)
    assert all(texts)
