"""Forms of the public side of mutual aid: the request, the codename, a message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from solidar.aid.intake import MESSAGE_LIMIT
from solidar.aid.models import ContactMethod, Kind, Urgency
from solidar.core import countries
from solidar.core.forms import clean_text
from solidar.network.models import SPOKEN_LANGUAGES

TEXT_LIMIT = 5000
CONTACT_LIMIT = 200
UNKNOWN_COUNTRY = countries.UNKNOWN


def country_choices() -> list[tuple[str, str]]:
    """Every country by its name in the reader's language, then "another country"."""
    return countries.country_choices(_("Choose a country"), unknown=True)


def _text(label, help_text, *, limit: int = TEXT_LIMIT, rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": _("Please write something here."),
            "max_length": _(
                "This is too long: at most %(limit_value)d characters (you wrote %(show_value)d)."
            ),
        },
    )


def _no_browser_limit(form, *names: str) -> None:
    """No ``maxlength`` on long texts: a browser silently cuts what is pasted beyond it,
    while the server's message keeps the whole text for the person to shorten."""
    for name in names:
        form.fields[name].widget.attrs.pop("maxlength", None)


class IntakeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of help do you need?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
    )
    country = forms.ChoiceField(
        label=_("Which country are you in now?"),
        choices=country_choices,
        help_text=_("Only the country, never a town or an address."),
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can write in"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    situation = _text(
        _("What happened?"),
        _("In general terms: what happened and what you fear. No names of other people."),
    )
    needs = _text(
        _("What do you need?"),
        _("For example: to leave within a week, a lawyer, a place to stay, money for a ticket."),
        rows=4,
    )
    contact_method = forms.ChoiceField(
        label=_("How can the aid team reach you safely?"),
        choices=ContactMethod.choices,
        initial=ContactMethod.SITE,
        widget=forms.RadioSelect,
    )
    contact = forms.CharField(
        label=pgettext_lazy("aid intake", "Your handle or address there"),
        help_text=_(
            "For example a Signal username or a Matrix ID. Leave empty if you chose this site."
        ),
        max_length=CONTACT_LIMIT,
        required=False,
    )
    # The anti-spam challenge (challenge.py); filled by the server and challenge.js.
    # (No length limits here: a hidden field's error would show nowhere; challenge.check
    # refuses anything odd.)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    nonce = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_browser_limit(self, "situation", "needs")

    def clean_situation(self) -> str:
        return self._required_text("situation")

    def clean_needs(self) -> str:
        return self._required_text("needs")

    def clean_contact(self) -> str:
        return clean_text(self.cleaned_data.get("contact", ""))

    def _required_text(self, name: str) -> str:
        value = clean_text(self.cleaned_data.get(name, ""))
        if not value:
            raise forms.ValidationError(_("Please write something here."), code="required")
        return value

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("contact_method")
        if method and method != ContactMethod.SITE and not cleaned.get("contact"):
            self.add_error(
                "contact",
                _("Tell us your handle there, or choose to be reached only through this site."),
            )
        return cleaned

    def visible_fields_in_order(self):
        return [self[name] for name in self.fields if name not in ("token", "nonce")]


class CodenameForm(forms.Form):
    codename = forms.CharField(
        label=_("Your codename"),
        help_text=_("The words you wrote down, in order. Spaces or dashes between them are fine."),
        max_length=400,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autocorrect": "off",
            }
        ),
        error_messages={"required": _("Type your codename.")},
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message to the aid team"),
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write a message first."),
            "max_length": _(
                "Your message is too long: at most %(limit_value)d characters "
                "(you wrote %(show_value)d). Please shorten it."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_browser_limit(self, "text")

    def clean_text(self) -> str:
        value = clean_text(self.cleaned_data.get("text", ""))
        if not value:
            raise forms.ValidationError(_("Write a message first."), code="required")
        return value
