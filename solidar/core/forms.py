"""Form pieces every app's forms share: texts in each interface language (a fieldset per
language), time zones for a select, local dates and times to UTC (refusing a time the
change of clocks skips), control characters out of texts."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

COMMON_ZONES = (
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Warsaw",
    "Europe/Vilnius",
    "Europe/Riga",
    "Europe/Kyiv",
    "Asia/Tbilisi",
    "Asia/Yerevan",
    "America/Argentina/Buenos_Aires",
    "UTC",
)


# Names the system knows that are no place: the server's own zone and tzdata's helpers.
NOT_A_PLACE = {"localtime", "posixrules", "Factory"}


@cache
def all_zones() -> tuple[str, ...]:
    """Every other zone, sorted (each zone once in the select: one selected option)."""
    return tuple(sorted(available_timezones() - NOT_A_PLACE - set(COMMON_ZONES)))


def time_zone_choices() -> list:
    """The common zones first, then every zone the system knows (grouped for the select)."""

    def label(name: str) -> str:
        return name.replace("_", " ")

    return [
        (_("Common time zones"), [(name, label(name)) for name in COMMON_ZONES]),
        (_("All time zones"), [(name, label(name)) for name in all_zones()]),
    ]


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES)[code]


def to_utc(day: date, clock: time, zone_name: str) -> datetime:
    """The moment ``day`` at ``clock`` in the zone, in UTC. Raises ValidationError for a
    time skipped by the change of clocks."""
    zone = ZoneInfo(zone_name)
    naive = datetime.combine(day, clock.replace(tzinfo=None, fold=0))
    local = naive.replace(tzinfo=zone)
    # A time in the spring-forward gap does not survive the round trip through UTC.
    back = local.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        raise forms.ValidationError(
            _("This time does not exist in that time zone (clocks change)."), code="dst_gap"
        )
    return local.astimezone(ZoneInfo("UTC"))


def from_utc(value: datetime | None, zone_name: str) -> tuple[date | None, time | None]:
    if value is None:
        return None, None
    local = timezone.localtime(value, ZoneInfo(zone_name))
    return local.date(), local.time().replace(second=0, microsecond=0)


def clean_text(value: str) -> str:
    """No control characters (they break e-mails and calendar files); trimmed."""
    return "".join(ch for ch in value if ch in "\n\t" or ch.isprintable()).strip()


class TranslatedFieldsMixin:
    """Fields ``<name>_<language>`` for each interface language, a fieldset per language.

    ``translated`` lists (name, label, form field factory); the first name is the one
    that must be given in at least one language."""

    translated: tuple = ()
    required_message = _("Give a text in at least one language.")

    def add_translated_fields(self) -> None:
        for code in language_codes():
            language = language_name(code)
            for name, label, make in self.translated:
                field = make()
                field.label = _("%(what)s (%(language)s)") % {"what": label, "language": language}
                field.required = False
                self.fields[f"{name}_{code}"] = field

    def translated_names(self) -> set[str]:
        return {f"{name}_{code}" for name, _l, _m in self.translated for code in language_codes()}

    def language_fields(self):
        """[(language name, code, [bound fields])] for the template's fieldsets."""
        return [
            (
                language_name(code),
                code,
                [self[f"{name}_{code}"] for name, _label, _make in self.translated],
            )
            for code in language_codes()
        ]

    def main_fields(self):
        skip = self.translated_names()
        return [field for field in self if field.name not in skip]

    def clean_translations(self, cleaned: dict) -> None:
        for name in self.translated_names():
            if name in cleaned and isinstance(cleaned[name], str):
                cleaned[name] = clean_text(cleaned[name])
        required = self.translated[0][0]
        if not any(cleaned.get(f"{required}_{code}") for code in language_codes()):
            self.add_error(
                f"{required}_{language_codes()[0]}",
                forms.ValidationError(self.required_message, code="required"),
            )

    def translations(self) -> dict[str, dict[str, str]]:
        """Every language, empty texts included: a text cleared in the form is removed."""
        data = self.cleaned_data
        return {
            code: {name: data.get(f"{name}_{code}") or "" for name, _l, _m in self.translated}
            for code in language_codes()
        }

    def fallback(self, name: str) -> str:
        """The text in the active language, or the first language that has one."""
        data = self.cleaned_data
        active = translation.get_language() or language_codes()[0]
        order = [active] + [code for code in language_codes() if code != active]
        for code in order:
            value = data.get(f"{name}_{code}")
            if value:
                return value
        return ""
