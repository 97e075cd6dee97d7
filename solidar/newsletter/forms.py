"""Forms of the editors' pages. They check the shape of input (and turn a local date and
time into UTC); ``mailings.py`` decides the rest."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidar.core.forms import TranslatedFieldsMixin, time_zone_choices, to_utc
from solidar.newsletter import mailings
from solidar.newsletter.models import Mailing, MailingList

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_LINES = 50_000


def _language_choices():
    return [(code, name) for code, name in settings.LANGUAGES]


class MailingForm(forms.Form):
    title = forms.CharField(
        label=_("Internal title"),
        max_length=mailings.TITLE_LIMIT,
        help_text=_("Only editors see it, e.g. “Monthly newsletter, March”."),
    )
    in_archive = forms.BooleanField(
        label=_("Show in the public archive once sent"), required=False, initial=True
    )

    def __init__(self, *args, mailing: Mailing | None = None, **kwargs):
        if mailing is not None:
            kwargs.setdefault("initial", {"title": mailing.title, "in_archive": mailing.in_archive})
        super().__init__(*args, **kwargs)


class VariantForm(forms.Form):
    """One language version; the form's prefix is the language."""

    subject = forms.CharField(label=_("Subject"), max_length=mailings.SUBJECT_LIMIT, required=False)
    body = forms.CharField(
        label=_("Text"),
        max_length=mailings.BODY_LIMIT,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown: ## for a heading, **bold**, [words](https://…) for a link, "
            "![description](/media/…) for an image from this site."
        ),
    )


class IdsField(forms.ModelMultipleChoiceField):
    """Choices by integer id: anything else (a number too large for the database too) is
    an invalid choice before any query."""

    def _check_values(self, value):
        for item in value:
            try:
                number = int(str(item))
            except ValueError:
                number = -1
            if not 0 < number < 2**31:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(item)[:20]},
                )
        return super()._check_values(value)


class RecipientsForm(forms.Form):
    lists = IdsField(
        label=_("Lists"),
        queryset=MailingList.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=_language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Readers of a list get the version in the list's language."),
    )
    collectives = IdsField(
        label=_("Only members of these cells or working groups (optional)"),
        queryset=MailingList.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every confirmed reader of the lists."),
    )

    def __init__(self, *args, mailing: Mailing | None = None, **kwargs):
        if mailing is not None:
            kwargs.setdefault(
                "initial",
                {
                    "lists": [m.pk for m in mailing.lists.all()],
                    "languages": list(mailing.languages or []),
                    "collectives": [c.pk for c in mailing.collectives.all()],
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = MailingList.objects.all()
        self.fields["lists"].label_from_instance = lambda m: (
            f"{m.name} ({mailings.language_name(m.language)})"
            + ("" if m.is_active else f" · {_('inactive')}")
        )
        self.fields["collectives"].queryset = mailings.collective_choices()


class ScheduleForm(forms.Form):
    NOW, LATER = "now", "later"
    when = forms.ChoiceField(
        label=_("When"),
        choices=[(NOW, _("Now")), (LATER, _("At a given time"))],
        initial=NOW,
        widget=forms.RadioSelect,
    )
    day = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        validators=[MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2100, 12, 31))],
    )
    clock = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("The date and time above are local times there."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"time_zone": settings.TIME_ZONE})
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()

    def clean(self):
        cleaned = super().clean()
        cleaned["at"] = None
        if cleaned.get("when") != self.LATER:
            return cleaned
        day, clock, zone = cleaned.get("day"), cleaned.get("clock"), cleaned.get("time_zone")
        if day is None and not self.has_error("day"):
            self.add_error("day", _("Give the date to send it on."))
        if clock is None and not self.has_error("clock"):
            self.add_error("clock", _("Give the time to send it at."))
        if day is None or clock is None or not zone:
            return cleaned
        try:
            cleaned["at"] = to_utc(day, clock, zone)
        except forms.ValidationError as error:
            self.add_error("clock", error)
            return cleaned
        if cleaned["at"] < timezone.now() - mailings.SCHEDULE_GRACE:
            self.add_error("day", _("That time is in the past. Choose a time to come."))
        return cleaned

    @property
    def at(self) -> datetime | None:
        return self.cleaned_data.get("at")


class TestSendForm(forms.Form):
    language = forms.ChoiceField(choices=_language_choices)


# -- lists -------------------------------------------------------------------------------------
def _name_field():
    return forms.CharField(max_length=120)


def _description_field():
    return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ListForm(TranslatedFieldsMixin, forms.Form):
    translated = (
        ("name", _("Name"), _name_field),
        ("description", _("Description"), _description_field),
    )
    required_message = _("Give the list a name in at least one language.")

    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Letters, digits and hyphens, e.g. monthly-de."),
    )
    language = forms.ChoiceField(label=_("Language of its mailings"), choices=_language_choices)
    is_public = forms.BooleanField(
        label=_("Offered on the public site"),
        required=False,
        initial=True,
        help_text=_("Lists that are not public are only for members, from their profile."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=10_000,
        initial=0,
        required=False,
        help_text=_("Lists with a smaller number come first."),
    )

    def __init__(self, *args, mailing_list: MailingList | None = None, **kwargs):
        if mailing_list is not None:
            initial = {
                "slug": mailing_list.slug,
                "language": mailing_list.language,
                "is_public": mailing_list.is_public,
                "is_active": mailing_list.is_active,
                "position": mailing_list.position,
            }
            for code in mailings.language_codes():
                for name in ("name", "description"):
                    initial[f"{name}_{code}"] = getattr(mailing_list, f"{name}_{code}") or ""
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.add_translated_fields()

    def clean(self):
        cleaned = super().clean()
        self.clean_translations(cleaned)
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "slug": data["slug"],
            "language": data["language"],
            "translations": self.translations(),
            "is_public": data["is_public"],
            "is_active": data["is_active"],
            "position": data["position"] or 0,
        }


class ImportForm(forms.Form):
    addresses = forms.CharField(
        label=_("Addresses"),
        required=False,
        max_length=IMPORT_MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One e-mail address per line."),
    )
    file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_("UTF-8 text, one address per row (a first column of addresses)."),
    )
    consent = forms.BooleanField(
        label=_("These people agreed to receive this list"),
        help_text=_(
            "Addresses that unsubscribed or bounced are skipped; nobody on them is written "
            "to without a new confirmation."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large: at most 5 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None

    def clean(self):
        cleaned = super().clean()
        lines = [
            row.strip()
            for source in (cleaned.get("addresses") or "", cleaned.get("file") or "")
            for row in source.splitlines()
            if row.strip()
        ]
        if len(lines) > IMPORT_MAX_LINES:
            raise forms.ValidationError(
                _("At most %(limit)d addresses at once.") % {"limit": IMPORT_MAX_LINES}
            )
        if not lines and not self.errors:
            raise forms.ValidationError(_("Give at least one e-mail address."))
        cleaned["lines"] = lines
        return cleaned
