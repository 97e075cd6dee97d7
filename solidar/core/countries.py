"""Country names the platform shows: where cells are, where members live, where people
asking for help are. An unknown code is shown as it is; ``ZZ`` (the code ISO 3166 and
CLDR leave for an unknown region) reads "another country or not said".
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

UNKNOWN = "ZZ"

COUNTRY_NAMES = {
    "AE": _("United Arab Emirates"),
    "AM": _("Armenia"),
    "AR": _("Argentina"),
    "AT": _("Austria"),
    "AZ": _("Azerbaijan"),
    "BE": _("Belgium"),
    "BY": _("Belarus"),
    "CH": _("Switzerland"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DE": _("Germany"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "ES": _("Spain"),
    "FI": _("Finland"),
    "FR": _("France"),
    "GB": _("United Kingdom"),
    "GE": _("Georgia"),
    "IL": _("Israel"),
    "IT": _("Italy"),
    "KG": _("Kyrgyzstan"),
    "KZ": _("Kazakhstan"),
    "LT": _("Lithuania"),
    "LV": _("Latvia"),
    "MD": _("Moldova"),
    "ME": _("Montenegro"),
    "MN": _("Mongolia"),
    "NL": _("Netherlands"),
    "NO": _("Norway"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RS": _("Serbia"),
    "RU": _("Russia"),
    "SE": _("Sweden"),
    "TJ": _("Tajikistan"),
    "TM": _("Turkmenistan"),
    "TR": _("Turkey"),
    "UA": _("Ukraine"),
    "US": _("United States"),
    "UZ": _("Uzbekistan"),
    UNKNOWN: pgettext_lazy("country", "Another country or not said"),
}


def country_name(code: str) -> str:
    return str(COUNTRY_NAMES.get(code, code))


def country_choices(blank_label: str, *, unknown: bool = False) -> list[tuple[str, str]]:
    """Every named country sorted by its name in the reader's language, after a blank
    choice; ``unknown``: "another country" last."""
    named = sorted(
        ((code, str(name)) for code, name in COUNTRY_NAMES.items() if code != UNKNOWN),
        key=lambda choice: choice[1],
    )
    return [("", blank_label), *named, *([(UNKNOWN, country_name(UNKNOWN))] if unknown else [])]
