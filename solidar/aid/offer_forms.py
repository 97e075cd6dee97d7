"""Forms of offers of help and of the matches page. They check the shape of input; the
rules are in ``offers.py`` (``check_offer``), which the offer form asks as well."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solidar.aid import offers
from solidar.aid.models import Offer, OfferContact
from solidar.core import countries
from solidar.core.forms import clean_text as strip_controls
from solidar.network.models import SPOKEN_LANGUAGES


def country_choices():
    return countries.country_choices(_("Choose a country"))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class OfferForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What can you offer?"),
        choices=Offer.Kind.choices,
        error_messages={
            "required": _("Choose what kind of help you offer."),
            "invalid_choice": _("Choose what kind of help you offer."),
        },
    )
    city = forms.CharField(
        label=_("City"),
        max_length=80,
        required=False,
        help_text=_("Where the help is, if it is in one place (a bed, a car). Optional."),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        required=False,
        error_messages={"invalid_choice": _("Choose a country from the list.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose languages from the list.")},
    )
    capacity = forms.CharField(
        label=_("How much"),
        max_length=120,
        required=False,
        help_text=_("For example “2 people”, “one evening a week”, “up to 200 euros”."),
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=offers.DETAILS_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For example “a bed in Berlin for two weeks in March”, “legal advice on German "
            "asylum law”, “interpreting Russian–German”, money, a car, job leads. Only aid "
            "handlers read this, and it is stored encrypted. Do not write your address: "
            "a handler asks you first."
        ),
    )
    available_from = forms.DateField(
        label=_("Available from"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date such as 2025-03-01.")},
    )
    available_until = forms.DateField(
        label=_("Available until"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date such as 2025-03-14.")},
    )

    def __init__(self, *args, offer: Offer | None = None, **kwargs):
        from django.conf import settings

        self.offer = offer
        if offer is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": offer.kind,
                "city": offer.city,
                "country": offer.country,
                "languages": offer.languages,
                "capacity": offer.capacity,
                "details": offer.details,
                "available_from": offer.available_from,
                "available_until": offer.available_until,
            }
        super().__init__(*args, **kwargs)
        days = settings.SOLIDAR_AID_OFFER_DAYS
        self.fields["available_until"].help_text = ngettext(
            "Without a last day, the offer expires after %(days)d day.",
            "Without a last day, the offer expires after %(days)d days.",
            days,
        ) % {"days": days}

    def _clean_text(self, name: str) -> str:
        return strip_controls(self.cleaned_data.get(name) or "")

    def clean_city(self) -> str:
        return self._clean_text("city")

    def clean_capacity(self) -> str:
        return self._clean_text("capacity")

    def clean_details(self) -> str:
        return self._clean_text("details")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            offers.check_offer(
                kind=data["kind"],
                country=data.get("country") or "",
                languages=data.get("languages") or [],
                available_from=data.get("available_from"),
                available_until=data.get("available_until"),
                today=timezone.localdate(),
                earlier_from=self.offer.available_from if self.offer else None,
            )
        except offers.OfferError as error:
            self.add_error(error.field, str(error))
        return data

    def fields_value(self) -> offers.OfferFields:
        data = self.cleaned_data
        return offers.OfferFields(
            kind=data["kind"],
            city=data["city"],
            country=data.get("country") or "",
            languages=tuple(data.get("languages") or ()),
            capacity=data["capacity"],
            details=data["details"],
            available_from=data.get("available_from"),
            available_until=data.get("available_until"),
        )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[
            (OfferContact.Answer.YES, OfferContact.Answer.YES.label),
            (OfferContact.Answer.NO, OfferContact.Answer.NO.label),
        ],
        error_messages={
            "required": _("Answer yes or no."),
            "invalid_choice": _("Answer yes or no."),
        },
    )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Your question to the person who offered"),
        max_length=offers.QUESTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Say only what is needed, for example dates and how many people. No names, and "
            "nothing about the person or what happened to them."
        ),
        error_messages={"required": _("Write a short question.")},
    )

    def clean_question(self) -> str:
        value = strip_controls(self.cleaned_data["question"])
        if not value:
            raise forms.ValidationError(_("Write a short question."))
        return value


class ArrangedForm(forms.Form):
    text = forms.CharField(
        label=_("What was arranged"),
        max_length=offers.ARRANGED_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sealed to the team with the request's history."),
        error_messages={"required": _("Write what was arranged.")},
    )

    def clean_text(self) -> str:
        value = strip_controls(self.cleaned_data["text"])
        if not value:
            raise forms.ValidationError(_("Write what was arranged."))
        return value
