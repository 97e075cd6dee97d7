"""Visa invitation letters as PDF files, for registered participants.

The text is the event's ``letter_template`` (or the default below, in the active
language) with placeholders filled in. Placeholders are a fixed set of names in braces,
replaced by a regular expression: never ``str.format``, whose ``{name.__class__}`` would
reach into Python objects. An unknown placeholder stays as it is written.

The PDF is drawn with fpdf2 in DejaVu Sans, vendored in ``fonts/`` (subset to Latin and
Cyrillic, see fonts/LICENSE) so that "Олена Коваль" and Ukrainian "Ґ", "Ї" print. A
character the font lacks is printed as "?" rather than left out silently. The file's
metadata names the letter and "Solidar", nothing about the server.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from solidar.events.models import Event, Registration

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"

# fontTools logs each subset's glyph names at INFO: the letters of a participant's name.
logging.getLogger("fontTools").setLevel(logging.WARNING)

PLACEHOLDERS = ("name", "event", "dates", "place", "city", "organiser")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each known ``{placeholder}`` replaced; anything else is kept."""
    return _PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), template)


def default_template() -> str:
    return _(
        "To whom it may concern,\n"
        "\n"
        "We hereby invite {name} to take part in {event}, which takes place on {dates} "
        "at {place}, {city}.\n"
        "\n"
        "{name} is registered as a participant of this event, which is organised by "
        "{organiser}.\n"
        "\n"
        "We kindly ask you to issue {name} the visa needed to attend. Please do not "
        "hesitate to contact us if you need further information."
    )


def default_signature() -> str:
    return _("Yours faithfully,\n\nfor {organiser}")


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def dates(event: Event) -> str:
    """The days of the event where it takes place: '2 November 2025' or a span."""
    start, end = event.local_start.date(), event.local_end.date()
    if start == end:
        return _day(start)
    return _("%(start)s – %(end)s") % {"start": _day(start), "end": _day(end)}


def values_for(registration: Registration) -> dict[str, str]:
    event = registration.event
    organiser = event.organiser.name if event.organiser_id else settings.SOLIDAR_SITE_NAME
    return {
        "name": (registration.letter_name or "").strip() or registration.name,
        "event": event.title,
        "dates": dates(event),
        "place": ", ".join(part for part in (event.place, event.address) if part),
        "city": event.city,
        "organiser": organiser,
    }


@cache
def _covered() -> frozenset[int]:
    """The code points the vendored fonts can draw (both have the same subset)."""
    from fontTools.ttLib import TTFont

    with TTFont(REGULAR, lazy=True) as font:
        return frozenset(font.getBestCmap())


def printable(text: str) -> str:
    """``text`` with characters the font cannot draw replaced by "?"."""
    covered = _covered()
    return "".join(
        char if char == "\n" or ord(char) in covered else "?"
        for char in text.replace("\r\n", "\n").replace("\r", "\n")
    )


def render_letter(registration: Registration) -> bytes:
    """The letter for ``registration`` as PDF bytes, in the active language."""
    event = registration.event
    values = values_for(registration)
    body = fill(event.letter_template.strip() or default_template(), values)
    signature = fill(event.letter_signature.strip() or default_signature(), values)
    site = settings.SOLIDAR_SITE_NAME
    heading = _("Invitation letter")
    today = timezone.localtime(timezone.now(), event.zone).date()

    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font(FAMILY, "", str(REGULAR))
    pdf.add_font(FAMILY, "B", str(BOLD))
    # Metadata: what the file is, and nothing about the software that made it.
    pdf.set_title(printable(f"{heading} – {event.title}"))
    pdf.set_author(printable(values["organiser"]))
    pdf.set_creator("Solidar")
    pdf.set_producer("Solidar")
    pdf.set_creation_date(timezone.now())
    pdf.add_page()

    # Letterhead: the network (and the organising collective), a rule under them.
    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(0, 8, printable(site), new_x="LMARGIN", new_y="NEXT")
    if event.organiser_id and values["organiser"] != site:
        pdf.set_font(FAMILY, "", 11)
        pdf.multi_cell(0, 6, printable(values["organiser"]), new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 2
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_y(y + 8)

    pdf.set_font(FAMILY, "", 11)
    place_and_date = ", ".join(part for part in (event.city, _day(today)) if part)
    pdf.multi_cell(0, 6, printable(place_and_date), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)

    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 8, printable(heading), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 11)
    pdf.multi_cell(
        0,
        6,
        printable(_("Re: %(event)s, %(dates)s") % values),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)

    pdf.multi_cell(0, 6, printable(body), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.multi_cell(0, 6, printable(signature), align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
