from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from solidar.accounts.models import User

DISPLAY_NAME_HELP = _("The name other members see. A pseudonym is fine, and safer.")


def clean_display_name(value: str) -> str:
    value = " ".join(value.split())
    if len(value) < 2:
        raise forms.ValidationError(_("Choose a display name of at least 2 characters."))
    if any(not ch.isprintable() for ch in value):
        raise forms.ValidationError(_("The display name contains characters that cannot be shown."))
    return value


class SignupProfileForm(forms.Form):
    """Extra sign-up fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS). No real name, no phone."""

    display_name = forms.CharField(
        label=_("Display name"), max_length=60, help_text=DISPLAY_NAME_HELP
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])

    def signup(self, request, user) -> None:
        """allauth's hook; the adapter's save_user already stored these fields."""


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language"]
        labels = {"display_name": _("Display name"), "language": _("Preferred language")}

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        max_length=20,
        help_text=_("This cannot be undone."),
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        # Accept the word in the page's language as well as the English one.
        if value.upper() not in {"DELETE", str(_("DELETE")).upper()}:
            raise forms.ValidationError(_("Type the word exactly as shown to confirm."))
        return value
