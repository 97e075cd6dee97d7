"""Forms of the team and keys pages: setting and changing a case passphrase, unlocking.

Passphrases are never stripped or normalised (what the handler typed is what derives the
key) and never re-rendered into a page: a form that fails shows its message and empty
passphrase fields (every other field keeps its value).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from solidar.aid.team import TeamError, check_passphrase

# Long enough for any sentence a person can remember; short enough that nobody feeds the
# slow key derivation a megabyte.
MAX_LENGTH = 1024


def passphrase_field(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        strip=False,
        max_length=MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "spellcheck": "false"}),
        error_messages={"required": _("Type your case passphrase.")},
    )


def _checked(passphrase: str) -> str:
    try:
        check_passphrase(passphrase)
    except TeamError as error:
        raise forms.ValidationError(str(error)) from None
    return passphrase


class SetPassphraseForm(forms.Form):
    passphrase = passphrase_field(_("Your case passphrase"))
    passphrase_again = passphrase_field(_("The same passphrase again"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passphrase"].help_text = _(
            "At least %(count)d characters: a sentence only you know works well. "
            "Not your account password."
        ) % {"count": settings.SOLIDAR_AID_PASSPHRASE_MIN_LENGTH}

    def clean_passphrase(self) -> str:
        return _checked(self.cleaned_data["passphrase"])

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("passphrase"), cleaned.get("passphrase_again")
        if first and second is not None and first != second:
            self.add_error("passphrase_again", _("The two passphrases are not the same."))
        return cleaned


class ChangePassphraseForm(forms.Form):
    current = passphrase_field(_("Your current case passphrase"))
    passphrase = passphrase_field(_("New case passphrase"))
    passphrase_again = passphrase_field(_("The new passphrase again"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current"].widget.attrs["autocomplete"] = "current-password"
        self.fields["passphrase"].help_text = _("At least %(count)d characters.") % {
            "count": settings.SOLIDAR_AID_PASSPHRASE_MIN_LENGTH
        }

    def clean_passphrase(self) -> str:
        return _checked(self.cleaned_data["passphrase"])

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("passphrase"), cleaned.get("passphrase_again")
        if first and second is not None and first != second:
            self.add_error("passphrase_again", _("The two new passphrases are not the same."))
        return cleaned


class UnlockForm(forms.Form):
    """The team (a choice only for someone who handles cases of several teams) and the
    passphrase."""

    team = forms.TypedChoiceField(label=_("Team"), coerce=int)
    passphrase = passphrase_field(_("Case passphrase"))

    def __init__(self, teams, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(team.pk, str(team)) for team in teams]
        self.fields["team"].error_messages["invalid_choice"] = _("Choose one of your teams.")
        self.fields["passphrase"].widget.attrs["autocomplete"] = "current-password"
        self.only_team = teams[0].pk if len(teams) == 1 else None
        if self.only_team is not None:  # nothing to choose: whatever is sent is ignored
            del self.fields["team"]

    def clean(self):
        cleaned = super().clean()
        if self.only_team is not None:
            cleaned["team"] = self.only_team
        return cleaned
