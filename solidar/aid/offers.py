"""Offers of help by members, and the handlers' questions about them.

Every change is one function here: it checks who may, runs in one transaction, writes the
audit log (kinds and ids only: never the details, a question or what was arranged) and
sends its e-mail after commit. A refused change raises ``OfferError`` with a message in
the active language and changes nothing.

What an offerer sees of a case is only the handler's short question (which the form asks
to keep free of names and case details); the e-mail about it has a neutral subject, is in
the offerer's own language and says no more than "sign in and read it".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import rules
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from solidar.aid import casefile
from solidar.aid.models import Case, Entry, Offer, OfferContact
from solidar.core import audit, emails
from solidar.network.models import SPOKEN_LANGUAGES

# An offer runs for at most this long; the offerer renews it afterwards (a year-old promise
# of a bed is rarely still true, and an expired offer is deleted).
MAX_OFFER_DAYS = 366
QUESTION_LIMIT = 300
ARRANGED_LIMIT = 2000
DETAILS_LIMIT = 2000
_LANGUAGE_KEYS = {key for key, _label in SPOKEN_LANGUAGES}


class OfferError(Exception):
    """A refused change. ``str(error)`` is a message in the active language."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field  # the form field it is about, if one

    def __str__(self) -> str:
        return str(self.message)


# -- reading ------------------------------------------------------------------------------------
def is_active(offer: Offer, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return not offer.is_withdrawn and offer.expires_on >= today


def offers_of(user) -> list[Offer]:
    """The user's own offers, newest first, each with its questions (``contacts``, newest
    first): two queries."""
    contacts = OfferContact.objects.order_by("-asked_at", "-pk").only(
        "pk", "offer_id", "question", "answer", "asked_at", "answered_at"
    )
    return list(
        Offer.objects.filter(user_id=user.pk)
        .order_by("is_withdrawn", "-created_at", "pk")
        .prefetch_related(Prefetch("contacts", queryset=contacts))
    )


def get_offer_for_owner(user, offer_id) -> Offer:
    """The user's own offer, or 404 (someone else's offer does not exist for them)."""
    offer = Offer.objects.filter(pk=offer_id, user_id=getattr(user, "pk", None)).first()
    if offer is None or not rules.has_perm("aid.edit_offer", user, offer):
        raise Http404
    return offer


def contacts_for_case(case: Case) -> dict:
    """The case's questions to offerers, by offer id (one query)."""
    return {
        contact.offer_id: contact
        for contact in OfferContact.objects.filter(case=case).select_related("asked_by")
    }


# -- checks -------------------------------------------------------------------------------------
def expiry(available_until: date | None, today: date) -> date:
    return available_until or today + timedelta(days=settings.SOLIDAR_AID_OFFER_DAYS)


def check_offer(
    *,
    kind: str,
    country: str,
    languages: list[str],
    available_from: date | None,
    available_until: date | None,
    today: date,
    earlier_from: date | None = None,
) -> None:
    """The rules of an offer's fields. ``earlier_from``: the start the offer had before
    this change (an offer that started in the past may keep its start)."""
    if kind not in Offer.Kind.values:
        raise OfferError(_("Choose what kind of help you offer."), "kind")
    if country and (len(country) != 2 or not country.isalpha() or not country.isupper()):
        raise OfferError(_("Choose a country from the list."), "country")
    if any(code not in _LANGUAGE_KEYS for code in languages):
        raise OfferError(_("Choose languages from the list."), "languages")
    if available_from and available_from < today and available_from != earlier_from:
        raise OfferError(_("The first day cannot be in the past."), "available_from")
    if available_until and available_until < today:
        raise OfferError(_("The last day cannot be in the past."), "available_until")
    if available_from and available_until and available_until < available_from:
        raise OfferError(_("The last day cannot be before the first day."), "available_until")
    if available_until and available_until > today + timedelta(days=MAX_OFFER_DAYS):
        raise OfferError(
            _("An offer can run for a year at most. Renew it when the time comes closer."),
            "available_until",
        )


@dataclass(frozen=True)
class OfferFields:
    kind: str
    city: str = ""
    country: str = ""
    languages: tuple[str, ...] = ()
    capacity: str = ""
    details: str = ""
    available_from: date | None = None
    available_until: date | None = None


def _validate(fields: OfferFields, today: date, earlier_from: date | None = None) -> None:
    check_offer(
        kind=fields.kind,
        country=fields.country,
        languages=list(fields.languages),
        available_from=fields.available_from,
        available_until=fields.available_until,
        today=today,
        earlier_from=earlier_from,
    )
    if len(fields.city) > 80 or len(fields.capacity) > 120 or len(fields.details) > DETAILS_LIMIT:
        raise OfferError(_("A text is too long."))


# -- the offerer's changes ----------------------------------------------------------------------
def create_offer(user, fields: OfferFields) -> Offer:
    if not rules.has_perm("aid.offer_help", user):
        raise OfferError(_("Only active members of the network can offer help."))
    today = timezone.localdate()
    _validate(fields, today)
    now = timezone.now()
    with transaction.atomic():
        offer = Offer.objects.create(
            user=user,
            kind=fields.kind,
            city=fields.city,
            country=fields.country,
            languages=list(dict.fromkeys(fields.languages)),
            capacity=fields.capacity,
            details=fields.details,
            available_from=fields.available_from,
            available_until=fields.available_until,
            expires_on=expiry(fields.available_until, today),
            created_at=now,
            updated_at=now,
        )
        audit.record(user, "aid.offer_created", offer, kind=offer.kind)
    return offer


def update_offer(offer: Offer, fields: OfferFields, *, by) -> Offer:
    if not rules.has_perm("aid.edit_offer", by, offer):
        raise OfferError(_("Only the person who made an offer can change it."))
    today = timezone.localdate()
    _validate(fields, today, earlier_from=offer.available_from)
    with transaction.atomic():
        offer.kind = fields.kind
        offer.city = fields.city
        offer.country = fields.country
        offer.languages = list(dict.fromkeys(fields.languages))
        offer.capacity = fields.capacity
        offer.details = fields.details
        offer.available_from = fields.available_from
        offer.available_until = fields.available_until
        offer.expires_on = expiry(fields.available_until, today)
        offer.is_withdrawn = False  # saving an offer renews it
        offer.updated_at = timezone.now()
        offer.save()
        audit.record(by, "aid.offer_changed", offer, kind=offer.kind)
    return offer


def withdraw_offer(offer: Offer, *, by) -> Offer:
    if not rules.has_perm("aid.edit_offer", by, offer):
        raise OfferError(_("Only the person who made an offer can withdraw it."))
    with transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(is_withdrawn=True, updated_at=timezone.now())
        offer.is_withdrawn = True
        audit.record(by, "aid.offer_withdrawn", offer)
    return offer


def answer_question(offer: Offer, contact_id: int, answer: str, *, by) -> OfferContact:
    """The offerer answers a handler's question: yes or no (may change their mind)."""
    if not rules.has_perm("aid.edit_offer", by, offer):
        raise Http404
    if answer not in (OfferContact.Answer.YES, OfferContact.Answer.NO):
        raise OfferError(_("Answer yes or no."))
    with transaction.atomic():
        contact = (
            OfferContact.objects.select_for_update().filter(pk=contact_id, offer=offer).first()
        )
        if contact is None:
            raise Http404
        contact.answer = answer
        contact.answered_at = timezone.now()
        contact.save(update_fields=["answer", "answered_at"])
        audit.record(by, "aid.offer_answered", contact, answer=answer)
    return contact


# -- the handlers' actions ----------------------------------------------------------------------
def _check_handler(case: Case, by) -> None:
    if not rules.has_perm("aid.work_cases", by, case):
        raise Http404
    if case.is_purged or not case.is_open:
        raise OfferError(_("This request is closed."))


def ask_offerer(case: Case, offer: Offer, question: str, *, by) -> OfferContact:
    """Ask the offerer, through the site, whether their offer can help with ``case``.
    They get a neutral e-mail in their language and answer on their offers page."""
    _check_handler(case, by)
    question = (question or "").strip()
    if not question:
        raise OfferError(_("Write a short question."))
    if len(question) > QUESTION_LIMIT:
        raise OfferError(
            _("The question can have at most %(count)d characters.") % {"count": QUESTION_LIMIT}
        )
    if not is_active(offer):
        raise OfferError(_("This offer has been withdrawn or has expired."))
    try:
        with transaction.atomic():
            contact = OfferContact.objects.create(
                case=case, offer=offer, asked_by=by, question=question
            )
            audit.record(by, "aid.offerer_asked", contact, case=str(case.pk), offer=str(offer.pk))
            _notify_offerer(offer)
    except IntegrityError as error:
        raise OfferError(_("You have already asked about this offer for this request.")) from error
    return contact


def record_arranged(case: Case, offer: Offer, text: str, *, by) -> Entry:
    """What was arranged with an offer, sealed to the team in the case's history."""
    _check_handler(case, by)
    text = (text or "").strip()
    if not text:
        raise OfferError(_("Write what was arranged."))
    if len(text) > ARRANGED_LIMIT:
        raise OfferError(
            _("The text can have at most %(count)d characters.") % {"count": ARRANGED_LIMIT}
        )
    with transaction.atomic():
        entry = casefile.add_entry(
            case, Entry.Kind.ARRANGED, {"text": text, "offer": str(offer.pk)}, author=by
        )
        audit.record(by, "aid.arranged", case, offer=str(offer.pk), entry=entry.pk)
    return entry


def _notify_offerer(offer: Offer) -> None:
    user = offer.user
    if not user.email:
        return
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        url = settings.SOLIDAR_SITE_URL + reverse("aid:offers")
    emails.send_templated("aid/email/offer_question", user.email, {"url": url}, language)
