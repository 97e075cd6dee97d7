"""Suggested offers of help for a case, best first.

Only what the case keeps in clear is used (kind, country, languages, urgency): matching
needs no unlocked keys. An offer counts when it is not withdrawn and not expired, and its
kind can help with the case's kind (``KIND_FIT``). Its score is the sum of:

==========================  =====================================================
kind                        40 for the first kind listed for the case's kind,
                            30 for the others; 10 for any kind when the case's
                            kind is "other"
languages                   20 for the first language shared with the case,
                            +5 for each further one (at most 30)
country                     25 when the offer is in the case's country; 5 for
                            departure and housing, whose helpers are mostly
                            elsewhere (the person is on the way out)
availability                15 when available today (no dates, or today within
                            them), 10 when it starts within 14 days, 5 within
                            60 days; an urgent case (immediately, days) doubles it
==========================  =====================================================

Ties go to the newer offer, then the offer id: the order is the same every time.
Two queries: the candidates without their (encrypted) details, then the details of the
ones shown.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from solidar.aid.models import Case, Kind, Offer, Urgency
from solidar.network.models import SPOKEN_LANGUAGES

OfferKind = Offer.Kind
# The offer kinds that help with each case kind, the best fit first. None: any kind.
KIND_FIT: dict[str, tuple[str, ...] | None] = {
    Kind.DEPARTURE: (OfferKind.BED, OfferKind.TRANSPORT, OfferKind.MONEY, OfferKind.DOCUMENTS),
    Kind.LEGAL: (OfferKind.LEGAL, OfferKind.INTERPRETING),
    Kind.DOCUMENTS: (OfferKind.DOCUMENTS, OfferKind.LEGAL, OfferKind.INTERPRETING),
    Kind.HOUSING: (OfferKind.BED,),
    Kind.MONEY: (OfferKind.MONEY,),
    Kind.WORK: (OfferKind.WORK,),
    Kind.HEALTH: (OfferKind.HEALTH, OfferKind.INTERPRETING),
    Kind.PRISONER: (OfferKind.LEGAL, OfferKind.MONEY, OfferKind.OTHER),
    Kind.OTHER: None,
}

KIND_BEST = 40
KIND_GOOD = 30
KIND_ANY = 10
LANGUAGE_FIRST = 20
LANGUAGE_MORE = 5
LANGUAGE_MAX = 30
COUNTRY_SAME = 25
COUNTRY_SAME_LIGHT = 5
LIGHT_COUNTRY_KINDS = {Kind.DEPARTURE, Kind.HOUSING}
AVAILABLE_NOW = 15
AVAILABLE_SOON = 10  # starts within SOON_DAYS
AVAILABLE_LATER = 5  # starts within LATER_DAYS
SOON_DAYS = 14
LATER_DAYS = 60
URGENT = {Urgency.IMMEDIATE, Urgency.DAYS}


class Match(NamedTuple):
    offer: Offer
    score: int
    reasons: list[str]


def fitting_kinds(case_kind: str) -> tuple[str, ...] | None:
    return KIND_FIT.get(case_kind)


def score(case: Case, offer: Offer, today: date) -> tuple[int, list[str]]:
    """The offer's score for the case and the reasons, in the active language."""
    total = 0
    reasons: list[str] = []
    fit = fitting_kinds(case.kind)
    if fit is None:
        total += KIND_ANY
    elif offer.kind == fit[0]:
        total += KIND_BEST
        reasons.append(_("The kind of help fits best"))
    elif offer.kind in fit:
        total += KIND_GOOD
        reasons.append(_("The kind of help fits"))

    names = dict(SPOKEN_LANGUAGES)
    shared = [code for code in offer.languages or () if code in set(case.languages or ())]
    if shared:
        total += min(LANGUAGE_MAX, LANGUAGE_FIRST + LANGUAGE_MORE * (len(shared) - 1))
        reasons.append(
            _("Speaks %(languages)s")
            % {"languages": ", ".join(str(names.get(code, code)) for code in shared)}
        )

    if offer.country and offer.country == case.country:
        total += COUNTRY_SAME_LIGHT if case.kind in LIGHT_COUNTRY_KINDS else COUNTRY_SAME
        reasons.append(_("In the same country"))

    factor = 2 if case.urgency in URGENT else 1
    starts = offer.available_from
    if starts is None or starts <= today:
        total += AVAILABLE_NOW * factor
        reasons.append(_("Available now"))
    elif (starts - today).days <= SOON_DAYS:
        total += AVAILABLE_SOON * factor
        reasons.append(_("Available soon"))
    elif (starts - today).days <= LATER_DAYS:
        total += AVAILABLE_LATER * factor
    return total, reasons


def candidates(case: Case, today: date):
    """Offers that may help: active, of a fitting kind. Without their details."""
    offers = Offer.objects.filter(is_withdrawn=False, expires_on__gte=today).exclude(
        available_until__lt=today
    )
    fit = fitting_kinds(case.kind)
    if fit is not None:
        offers = offers.filter(kind__in=fit)
    return offers.select_related("user").only(
        "id",
        "kind",
        "city",
        "country",
        "languages",
        "capacity",
        "available_from",
        "available_until",
        "expires_on",
        "is_withdrawn",
        "created_at",
        "user__id",
        "user__username",
        "user__display_name",
        "user__language",
    )


def suggest(case: Case, limit: int = 20, *, today: date | None = None) -> list[Match]:
    """The ``limit`` best offers for the case, best first, with their details (two queries)."""
    today = today or timezone.localdate()
    scored = []
    for offer in candidates(case, today):
        points, reasons = score(case, offer, today)
        scored.append(Match(offer, points, reasons))
    scored.sort(key=lambda m: (-m.score, -m.offer.created_at.timestamp(), str(m.offer.pk)))
    best = scored[:limit]
    if best:
        details = {
            row.pk: row.details
            for row in Offer.objects.filter(pk__in=[m.offer.pk for m in best]).only("id", "details")
        }
        for match in best:
            match.offer.details = details.get(match.offer.pk, "")
    return best
