"""Long lists of the participant pages, built in Python (like ``network_lists``).

``{% participant_rows rows event here letter_language %}`` (the participant list's table
body) and ``{% print_rows rows %}`` (the list for the door, everyone registered at once).
Through the template language a row of the participant list resolves some forty variables
and translates a dozen strings; for the 2,000 rows of a printed forum list that is most of
a second. Here each label is translated once per page and every value is escaped.
"""

from __future__ import annotations

import uuid
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from solidar.core.templatetags.dates import day
from solidar.events.models import Registration
from solidar.events.participants import NEED_LABELS

register = template.Library()
_PLACEHOLDER = str(uuid.UUID(int=0))
_NO = '<span class="muted">—</span>'
_NEED = ' class="answer--need"'


def _answers(row) -> str:
    if not row.answers:
        return _NO
    items = "".join(
        f"<li{_NEED if a.need else ''}>"
        f'<span class="muted">{escape(a.label)}</span> {escape(a.text)}</li>'
        for a in row.answers
    )
    return f'<ul class="answers">{items}</ul>'


@register.simple_tag(takes_context=True)
def participant_rows(context, rows, event, here: str, letter_language: str) -> SafeString:
    # Every string as a literal in its own _() call: xgettext finds no others (not those
    # inside f-strings, nor a variable passed to _()).
    label = {
        "name": escape(_("Name")),
        "status": escape(_("Status")),
        "registered": escape(_("Registered")),
        "answers": escape(_("Answers")),
        "letter": escape(_("Letter")),
        "actions": escape(_("Actions")),
    }
    guest_text, member_text = escape(_("guest")), escape(_("member"))
    guest = f'<span class="badge">{guest_text}</span>'
    member = f'<span class="badge">{member_text}</span>'
    statuses = {value: escape(str(text)) for value, text in Registration.Status.choices}
    checked_in = _("checked in %(time)s")
    issued = _("issued %(day)s")
    asked = escape(_("asked for"))
    approve, decline = escape(_("Approve")), escape(_("Decline"))
    undo, check = escape(_("Undo check-in")), escape(_("Check in"))
    buttons = {
        "pending": (
            '<button type="submit" name="action" value="approve" '
            f'class="btn btn--small btn--primary">{approve}</button>'
            '<button type="submit" name="action" value="decline" '
            f'class="btn btn--small btn--danger">{decline}</button>'
        ),
        "in": (
            '<button type="submit" name="action" value="undo_check_in" '
            f'class="btn btn--small">{undo}</button>'
        ),
        "out": (
            '<button type="submit" name="action" value="check_in" '
            f'class="btn btn--small">{check}</button>'
        ),
    }
    hidden = (
        '<input type="hidden" name="csrfmiddlewaretoken" '
        f'value="{escape(str(context.get("csrf_token", "")))}">'
        f'<input type="hidden" name="next" value="{escape(here)}">'
    )
    action = reverse("events:participant_action", args=[event.slug, _PLACEHOLDER])
    letter = reverse("events:letter", args=[event.slug, _PLACEHOLDER])
    letter_text = escape(_("Letter (PDF)"))
    need_badges = {
        purpose: f' <span class="badge badge--warning">{escape(str(text))}</span>'
        for purpose, text in NEED_LABELS.items()
    }
    out = []
    for row in rows:
        pk = str(row.pk)
        needs = "".join(need_badges[purpose] for purpose in row.needs)
        status = statuses.get(row.status, escape(row.status))
        if row.checked_in_at:
            time = escape(checked_in % {"time": row.checked_in_time})
            status += f'<br><span class="badge badge--success">{time}</span>'
        if row.letter_issued_at:
            letter_state = escape(issued % {"day": day(row.letter_issued_at)})
        else:
            letter_state = asked if row.needs_letter else _NO
        actions = ""
        if row.is_pending or row.is_registered:
            if row.is_pending:
                chosen = buttons["pending"]
            else:
                chosen = buttons["in" if row.checked_in_at else "out"]
            actions += (
                f'<form method="post" action="{escape(action.replace(_PLACEHOLDER, pk))}" '
                f'class="action-row">{hidden}{chosen}</form>'
            )
        if row.may_get_letter:
            href = escape(f"{letter.replace(_PLACEHOLDER, pk)}?lang={letter_language}")
            actions += (
                f'<p class="letter-link"><a class="btn btn--small" href="{href}" '
                f'hreflang="{escape(letter_language)}" download>{letter_text}</a></p>'
            )
        out.append(
            f'<tr><td data-label="{label["name"]}"><strong>{escape(row.name)}</strong> '
            f"{guest if row.is_guest else member}{needs}</td>"
            f'<td data-label="{label["status"]}">{status}</td>'
            f'<td data-label="{label["registered"]}">'
            f"{escape(day(row.registered_day))} {row.registered_time}</td>"
            f'<td data-label="{label["answers"]}">{_answers(row)}</td>'
            f'<td data-label="{label["letter"]}">{letter_state}</td>'
            f'<td data-label="{label["actions"]}">{actions}</td></tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def print_rows(rows) -> SafeString:
    guest = escape(_("guest"))
    out = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(f"<td>{escape(cell)}</td>" for cell in row.cells)
        mark = "✓" if row.checked_in_at else ""
        out.append(
            f'<tr><td class="print-box">{mark}</td><td>{number}</td>'
            f"<td>{escape(row.name)}</td><td>{guest if row.is_guest else ''}</td>{cells}</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped
