"""The organisers' view of who comes: counts, the roster's rows, the search by name, the
list for the door and the CSV export.

A page costs the same few queries for 1 or 2,000 people: the database sorts, filters and
pages (on ``name_key``, the casefolded name, indexed with the event), and sealed columns
(answers, letter name) are decrypted here, only for the rows shown.

The search compares casefolded names (``Registration.name_key``), not with ``icontains``:
SQLite's LIKE folds ASCII letters only, and most names here are Cyrillic ("олена" must find
"Олена").
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidar.events.models import Event, Question, Registration, fold_name

S = Registration.Status
P = Question.Purpose

# The answers an organiser acts on, in this order.
NEEDS = (P.BED, P.VISA, P.INTERPRETATION, P.DIET)
# On the day, at the door: what the printed list shows.
ON_THE_DAY = (P.DIET, P.INTERPRETATION, P.BED)
STATUS_FILTERS = ("", "all", *S.values)
SEARCH_MAX = 120
_SEALED = {name: Registration._meta.get_field(name) for name in ("answers", "email", "letter_name")}


fold = fold_name


def clean_query(q: object) -> str:
    """The search as typed, folded like the names; control characters (a NUL byte, which
    PostgreSQL refuses in a text parameter) dropped."""
    text = "".join(c for c in str(q or "") if unicodedata.category(c) != "Cc")
    return fold(text)[:SEARCH_MAX]


# -- counts -------------------------------------------------------------------------------
@dataclass
class Counts:
    registered: int
    places: int | None
    waiting: int
    offered: int
    pending: int
    unconfirmed: int
    checked_in: int

    @property
    def attendance(self) -> int | None:
        """Checked in, in per cent of the registered."""
        if not self.registered:
            return None
        return round(100 * self.checked_in / self.registered)

    def with_status(self, status: str) -> int | None:
        """How many have ``status`` ("": every active one), when the counters tell; None
        for the statuses they do not count (cancelled, declined, expired, "all")."""
        known = {
            S.REGISTERED: self.registered,
            S.WAITING: self.waiting,
            S.OFFERED: self.offered,
            S.PENDING: self.pending,
            S.UNCONFIRMED: self.unconfirmed,
        }
        if not status:
            return sum(known.values())
        return known.get(status)


def counts(event: Event) -> Counts:
    """From the event's counters; pending and unconfirmed in one small query."""
    waiting_for_someone = dict(
        Registration.objects.filter(event=event, status__in=[S.PENDING, S.UNCONFIRMED])
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counts(
        registered=event.registered_count,
        places=event.capacity,
        waiting=event.waiting_count,
        offered=event.offered_count,
        pending=waiting_for_someone.get(S.PENDING, 0),
        unconfirmed=waiting_for_someone.get(S.UNCONFIRMED, 0),
        checked_in=event.checked_in_count,
    )


# -- who, sorted and searched ---------------------------------------------------------------
ROW_FIELDS = (
    "pk",
    "name",
    "is_guest",
    "status",
    "created_at",
    "checked_in_at",
    "needs_letter",
    "letter_issued_at",
)


def matching(event: Event, *, status: str = "", q: str = "", answers: bool = True):
    """The row values of everyone with ``status`` ("": every active one, "all": everyone)
    whose name contains ``q`` (already folded with ``clean_query``), by name. A queryset:
    slice it (a page) or read it whole (the printed list)."""
    if status == "all":
        queryset = Registration.objects.filter(event=event)
    elif status in S.values:
        queryset = Registration.objects.filter(event=event, status=status)
    else:
        queryset = Registration.objects.filter(event=event, status__in=Registration.ACTIVE)
    if q:
        queryset = queryset.filter(name_key__contains=q)
    fields = (*ROW_FIELDS, "answers") if answers else ROW_FIELDS
    return queryset.order_by("name_key", "pk").values(*fields)


# -- rows ---------------------------------------------------------------------------------
@dataclass
class Answer:
    label: str
    text: str
    purpose: str
    need: bool  # a "yes" (or a given answer) to a question the organisers act on


@dataclass
class Row:
    pk: object
    name: str
    is_guest: bool
    status: str
    registered_at: datetime
    checked_in_at: datetime | None
    needs_letter: bool
    letter_issued_at: datetime | None
    answers: list[Answer] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)  # the answers a page shows as columns

    @property
    def registered_day(self):
        return self.registered_at.date()

    @property
    def registered_time(self) -> str:
        return self.registered_at.strftime("%H:%M")

    @property
    def checked_in_time(self) -> str:
        return self.checked_in_at.strftime("%H:%M") if self.checked_in_at else ""

    @property
    def status_label(self) -> str:
        return str(S(self.status).label)

    @property
    def is_registered(self) -> bool:
        return self.status == S.REGISTERED

    @property
    def is_pending(self) -> bool:
        return self.status == S.PENDING

    @property
    def may_get_letter(self) -> bool:
        return self.status == S.REGISTERED and self.needs_letter

    @property
    def need_labels(self) -> list[str]:
        return [str(NEED_LABELS[purpose]) for purpose in self.needs]

    def need(self, purpose: str) -> str:
        """The answer to the question for ``purpose``, when it states a need ("" for a no)."""
        return "; ".join(a.text for a in self.answers if a.purpose == purpose and a.need)


def questions_of(event: Event) -> list[Question]:
    return list(event.questions.all())


def answer_text(question: Question, value: object) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "" if value is None else str(value)


def _is_need(question: Question, value: object) -> bool:
    if question.purpose not in NEEDS:
        return False
    if isinstance(value, bool):
        return value
    return bool(str(value or "").strip())


def decode_answers(pk, sealed: str) -> dict:
    if not sealed:
        return {}
    try:
        decoded = json.loads(_SEALED["answers"].decrypt_row(pk, sealed))
    except ValueError:
        return {}
    return decoded if isinstance(decoded, dict) else {}


def rows(event: Event, records: Iterable[dict], questions: Sequence[Question]) -> list[Row]:
    """Rows from ``records`` (from ``matching``), in that order, answers decrypted."""
    zone = event.zone
    labels = {question.pk: question.label for question in questions}  # (translated fields)
    yes_no = {True: _("Yes"), False: _("No")}  # translated once, not once per answer
    result = []
    for values in records:
        pk = values["pk"]
        answers = decode_answers(pk, values["answers"]) if questions else {}
        row = Row(
            pk=pk,
            name=values["name"],
            is_guest=values["is_guest"],
            status=values["status"],
            registered_at=timezone.localtime(values["created_at"], zone),
            checked_in_at=(
                timezone.localtime(values["checked_in_at"], zone)
                if values["checked_in_at"]
                else None
            ),
            needs_letter=values["needs_letter"],
            letter_issued_at=(
                timezone.localtime(values["letter_issued_at"], zone)
                if values["letter_issued_at"]
                else None
            ),
        )
        for question in questions:
            value = answers.get(str(question.pk))
            if value is None or value == "":
                continue
            need = _is_need(question, value)
            text = yes_no[value] if isinstance(value, bool) else str(value)
            row.answers.append(Answer(labels[question.pk], text, question.purpose, need))
            if need and question.purpose not in row.needs:
                row.needs.append(question.purpose)
        result.append(row)
    return result


NEED_LABELS = {
    P.BED: gettext_lazy("bed"),
    P.VISA: gettext_lazy("visa letter"),
    P.INTERPRETATION: gettext_lazy("interpretation"),
    P.DIET: gettext_lazy("diet"),
}


# -- the CSV export -----------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): a leading
    = + - @ (or tab, carriage return) gets a single quote in front."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _moment(value: datetime | None, event: Event) -> str:
    if value is None:
        return ""
    return timezone.localtime(value, event.zone).strftime("%Y-%m-%d %H:%M")


def export_rows(event: Event) -> list[list[str]]:
    """Everyone who registered, with every answer: a header row, then one row each, by
    name. E-mail addresses are given for guests only (members are reached in the app).
    Cells are made safe for spreadsheets (``csv_safe``). Call it through
    ``services.export_rows``, which writes the audit-log entry."""
    questions = questions_of(event)
    header = [
        _("Name"),
        _("Member or guest"),
        _("E-mail"),
        _("Language"),
        _("Status"),
        _("Registered at (%(zone)s)") % {"zone": event.time_zone},
        _("Checked in at (%(zone)s)") % {"zone": event.time_zone},
        _("Name for the letter"),
        *[question.label for question in questions],
    ]
    records = (
        Registration.objects.filter(event=event)
        .order_by("name_key", "pk")
        .values(
            "pk",
            "name",
            "is_guest",
            "email",
            "language",
            "status",
            "created_at",
            "checked_in_at",
            "letter_name",
            "answers",
        )
    )
    result = [[csv_safe(cell) for cell in header]]
    for values in records:
        pk = values["pk"]
        answers = decode_answers(pk, values["answers"])
        guest = values["is_guest"]
        row = [
            values["name"],
            _("guest") if guest else _("member"),
            _SEALED["email"].decrypt_row(pk, values["email"]) if guest else "",
            values["language"],
            str(S(values["status"]).label) if values["status"] in S.values else values["status"],
            _moment(values["created_at"], event),
            _moment(values["checked_in_at"], event),
            _SEALED["letter_name"].decrypt_row(pk, values["letter_name"]) or "",
            *[answer_text(q, answers.get(str(q.pk))) for q in questions],
        ]
        result.append([csv_safe(cell) for cell in row])
    return result
