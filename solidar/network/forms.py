"""Forms of the network pages. They check the shape of input; services.py decides."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from solidar.accounts.models import User
from solidar.network.models import (
    PROGRAMME_POINTS,
    SPOKEN_LANGUAGES,
    Collective,
    Membership,
    SharedContact,
    Vouch,
)
from solidar.network.services import INVITATION_DAYS

TEXT_LIMIT = 5000


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        max_length=TEXT_LIMIT,
        widget=_textarea(6),
        help_text=_("A few sentences are enough. Leave out anything that could identify you."),
        error_messages={"required": _("Tell us in a few words why you want to join.")},
    )
    programme_points = forms.MultipleChoiceField(
        label=_("Which parts of our programme do you share?"),
        choices=PROGRAMME_POINTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Which languages do you speak?"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    referral = forms.CharField(
        label=_("How do you know us?"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=_textarea(3),
        help_text=_("For example a member who knows you, an event or a post. Optional."),
    )

    def clean_motivation(self) -> str:
        value = self.cleaned_data["motivation"].strip()
        if not value:
            raise forms.ValidationError(_("Tell us in a few words why you want to join."))
        return value


class ConfirmForm(forms.Form):
    """A checkbox that must be ticked before something that cannot be undone."""

    confirm = forms.BooleanField(
        label=_("Yes, I understand"),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["confirm"].label = label


class ContactsForm(forms.Form):
    signal = forms.CharField(
        label="Signal",
        max_length=200,
        required=False,
        help_text=_("A Signal username is safer than a phone number."),
    )
    matrix = forms.CharField(
        label="Matrix", max_length=200, required=False, help_text=_("For example @name:server.org")
    )
    telegram = forms.CharField(
        label="Telegram", max_length=200, required=False, help_text=_("For example @name")
    )
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)

    @classmethod
    def initial_for(cls, membership: Membership) -> dict[str, str]:
        return {contact.kind: contact.handle for contact in membership.contacts.all()}

    def handles(self) -> dict[str, str]:
        return {kind: self.cleaned_data.get(kind) or "" for kind in SharedContact.Kind.values}


class VouchForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Vouch.Kind.VOUCH, _("I vouch for this person")),
            (Vouch.Kind.CONCERN, _("I have a concern (only coordinators read it)")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=_textarea(3),
        help_text=_("Required for a concern. Only coordinators read notes on concerns."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Vouch.Kind.CONCERN and not (cleaned.get("note") or "").strip():
            self.add_error(
                "note", _("Say briefly what concerns you; only coordinators will read it.")
            )
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        error_messages={"required": _("Give a reason: the applicant will read it.")},
        max_length=TEXT_LIMIT,
        widget=_textarea(3),
        help_text=_("The applicant will read it. Be kind and brief."),
    )

    def clean_reason(self) -> str:
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(_("Give a reason: the applicant will read it."))
        return value


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person you invite"),
        max_length=254,
        help_text=ngettext_lazy(
            "The link works once, for %(days)s day, and only for an account with this address.",
            "The link works once, for %(days)s days, and only for an account with this address.",
            "days",
        )
        % {"days": INVITATION_DAYS},
    )


class MemberActionForm(forms.Form):
    ACTIONS = [
        ("make_coordinator", _("Make coordinator")),
        ("make_member", _("Make member")),
        ("suspend", _("Suspend")),
        ("reinstate", _("Reinstate")),
        ("remove", _("Remove")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)


class SettingsForm(forms.Form):
    vouches_required = forms.IntegerField(
        label=_("Vouches required"),
        min_value=0,
        max_value=20,
        help_text=_("How many members must vouch before a coordinator can admit someone."),
    )
    join_policy = forms.ChoiceField(
        label=_("Joining"), choices=Collective.JoinPolicy.choices, required=False
    )

    def __init__(self, *args, collective: Collective, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "vouches_required": collective.vouches_required,
                "join_policy": collective.join_policy,
            },
        )
        super().__init__(*args, **kwargs)
        if collective.kind != Collective.Kind.WORKING_GROUP:
            del self.fields["join_policy"]


class AppointForm(forms.Form):
    who = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        help_text=_("The person needs an account. If they are not a member yet, they become one."),
    )
    role = forms.ChoiceField(
        label=_("As"),
        choices=[
            ("coordinator", _("coordinator")),
            ("member", _("member (someone you know in person)")),
        ],
        initial="coordinator",
        widget=forms.RadioSelect,
    )

    def clean_who(self) -> User:
        value = self.cleaned_data["who"].strip()
        user = (
            User.objects.filter(is_active=True)
            .filter(Q(username__iexact=value) | Q(email__iexact=value))
            .order_by("pk")
            .first()
        )
        if user is None:
            raise forms.ValidationError(_("No account with this username or e-mail address."))
        return user


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _language_name(code: str) -> str:
    return dict(settings.LANGUAGES)[code]


class CollectiveForm(forms.Form):
    """A new cell, working group or the network itself (instance admins)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Collective.Kind.choices)
    slug = forms.SlugField(
        label=_("Address name"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens, used in the address: e.g. koeln."),
    )
    city = forms.CharField(label=_("City"), max_length=80, required=False)
    country = forms.CharField(
        label=_("Country code"),
        max_length=2,
        min_length=2,
        required=False,
        help_text=_("Two letters, e.g. DE, FR, PL, AR."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=7,
        decimal_places=4,
        help_text=_("Of the city centre, never of a meeting place. For the map."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=7,
        decimal_places=4,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Collective.Visibility.choices,
        initial=Collective.Visibility.PUBLIC,
    )
    join_policy = forms.ChoiceField(
        label=_("Joining"),
        choices=[("", _("The usual: applications for cells, open for working groups"))]
        + list(Collective.JoinPolicy.choices),
        required=False,
    )
    parent = forms.ModelChoiceField(
        label=_("Belongs to the cell"),
        queryset=Collective.objects.none(),
        required=False,
        help_text=_("Only for a working group of one cell. A hidden cell hides its groups too."),
    )
    vouches_required = forms.IntegerField(
        label=_("Vouches required"), min_value=0, max_value=20, initial=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Collective.objects.filter(
            kind=Collective.Kind.CELL, is_active=True
        ).order_by("name")
        for code in _language_codes():
            required = code == settings.MODELTRANSLATION_DEFAULT_LANGUAGE
            language = _language_name(code)
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": language},
                max_length=120,
                required=required,
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": language},
                max_length=TEXT_LIMIT,
                required=False,
                widget=_textarea(3),
            )
            self.fields[f"meeting_note_{code}"] = forms.CharField(
                label=_("When it meets (%(language)s)") % {"language": language},
                max_length=200,
                required=False,
                help_text=_("In general terms only, e.g. 'every second Sunday'. Never an address."),
            )

    def clean_country(self) -> str:
        value = self.cleaned_data["country"].strip().upper()
        if value and not (value.isascii() and value.isalpha()):
            raise forms.ValidationError(_("Two letters, e.g. DE, FR, PL, AR."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("parent") is not None and cleaned.get("kind") != (
            Collective.Kind.WORKING_GROUP
        ):
            self.add_error("parent", _("Only a working group can belong to a cell."))
        return cleaned

    def language_fields(self):
        """Per-language fields, grouped for the template: [(code, [fields])]."""
        return [
            (
                _language_name(code),
                [self[f"{name}_{code}"] for name in ("name", "description", "meeting_note")],
            )
            for code in _language_codes()
        ]

    def main_fields(self):
        skip = {
            f"{n}_{c}" for n in ("name", "description", "meeting_note") for c in _language_codes()
        }
        return [field for field in self if field.name not in skip]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        translations = {}
        for code in _language_codes():
            values = {
                name: data.get(f"{name}_{code}", "")
                for name in ("name", "description", "meeting_note")
            }
            values = {name: value for name, value in values.items() if value}
            if values:
                translations[code] = values
        return {
            "kind": data["kind"],
            "slug": data["slug"],
            "name": data[f"name_{default}"],
            "description": data.get(f"description_{default}", ""),
            "meeting_note": data.get(f"meeting_note_{default}", ""),
            "city": data["city"],
            "country": data["country"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "languages": data["languages"],
            "visibility": data["visibility"],
            "join_policy": data["join_policy"] or None,
            "parent": data["parent"],
            "vouches_required": data["vouches_required"],
            "translations": translations,
        }
