"""The handlers' work on cases: the triage queue, claiming and assigning, the status of a
case, notes, replies and referrals, and the checklist.

Every change is one function here: it runs in a transaction, writes the audit log (never
any sealed content: the kind of entry, the status, who) and is what the views, the tests
and the demo data call. Who may do it is the view's question (``aid.work_cases``); what
makes sense for the case (a transition, an empty text) is answered here with a
``CaseworkError`` whose message is for the handler.

The queue reads only the clear metadata of a case, so it needs no unlocked keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from solidar.aid import casefile, checklists, rules
from solidar.aid import keys as aidkeys
from solidar.aid.models import AidTeam, Case, ChecklistItem, Entry, Urgency
from solidar.core import audit

S = Case.Status

# An urgent case is overdue when nobody has replied to the requester within this time.
FIRST_REPLY_WITHIN = {
    Urgency.IMMEDIATE: timedelta(hours=12),
    Urgency.DAYS: timedelta(hours=48),
}
URGENT = tuple(FIRST_REPLY_WITHIN)

TEXT_MAX = 10_000  # a note, a reply, what a referral is for
ORGANISATION_MAX = 200
LABEL_MAX = 200  # a handler's own checklist step

# Which status may follow which. Closing needs an outcome; reopening (closed ->
# in progress) is possible while the case is kept (SOLIDAR_AID_RETENTION_DAYS).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.NEW: (S.TRIAGED, S.IN_PROGRESS, S.CLOSED),
    S.TRIAGED: (S.IN_PROGRESS, S.WAITING, S.CLOSED),
    S.IN_PROGRESS: (S.WAITING, S.CLOSED),
    S.WAITING: (S.IN_PROGRESS, S.CLOSED),
    S.CLOSED: (S.IN_PROGRESS,),
}
OPEN_STATUSES = (S.NEW, S.TRIAGED, S.IN_PROGRESS, S.WAITING)

# The queue's filters.
STATUS_FILTERS = ("open", *S.values, "all")
WHO_FILTERS = ("", "mine", "unassigned")


class CaseworkError(Exception):
    """A change that cannot be made; ``message`` says why, in the handler's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# -- teams and access --------------------------------------------------------------------------
def handled_teams(user) -> list[AidTeam]:
    """The teams whose cases ``user`` may work on (handler with access, still a member),
    from the rows the rules keep on the user (no query of their own)."""
    teams = [
        row.team for row in rules.handler_rows(user).values() if rules.is_handler(user, row.team)
    ]
    return sorted(teams, key=lambda team: (team.collective.name, team.pk))


def waiting_teams(user) -> list[AidTeam]:
    """Aid teams ``user`` is a member of without access to the cases (yet)."""
    from solidar.network.rules import current_memberships

    collective_ids = list(current_memberships(user))
    if not collective_ids:
        return []
    handled = {team.pk for team in handled_teams(user)}
    return [
        team
        for team in AidTeam.objects.filter(collective_id__in=collective_ids).select_related(
            "collective"
        )
        if team.pk not in handled and rules.is_team_member(user, team)
    ]


def get_case_for_handler(user, case_id) -> Case:
    """The case, if ``user`` may work on its team's cases; 404 for everyone else."""
    case = Case.objects.select_related("team__collective", "assignee").filter(pk=case_id).first()
    if case is None or not rules.is_handler(user, case.team):
        raise Http404
    return case


def team_handlers(team: AidTeam) -> list:
    """The people who may work on the team's cases (a case can be assigned to them)."""
    from solidar.network.models import Membership

    return list(
        get_user_model()
        .objects.filter(
            aid_handlers__team=team,
            aid_handlers__grants__isnull=False,
            memberships__collective_id=team.collective_id,
            memberships__ended_at__isnull=True,
            memberships__status=Membership.Status.ACTIVE,
        )
        .distinct()
        .order_by("display_name", "pk")
    )


# -- the queue ---------------------------------------------------------------------------------
def queue(
    team: AidTeam,
    *,
    user=None,
    status: str = "open",
    kind: str = "",
    who: str = "",
) -> QuerySet[Case]:
    """The team's cases by urgency, then age (oldest first). Only clear metadata; no keys
    needed. ``mark`` adds the flags to the page shown. The open cases are read along the
    partial index ``aid_case_open_queue`` in its order (no sort of thousands of rows for a
    page of fifty): its condition is written exactly as the index's. Count them with
    ``queue_count`` (the other index counts faster)."""
    return _queue_filter(team, user=user, status=status, kind=kind, who=who, counting=False)


def queue_count(team: AidTeam, *, user=None, status: str = "open", kind: str = "", who: str = ""):
    """How many cases ``queue`` holds, counted along ``aid_case_queue``."""
    return _queue_filter(team, user=user, status=status, kind=kind, who=who, counting=True)


class _Written(Value):
    """A constant written into the SQL, not sent as a parameter. SQLite knows a row in a
    partial index meets the index's condition only when the query's condition is the
    same text: with ``status = ?`` it read each case the open queue skipped from the
    table to check its status (page 40 of 6,600 open cases: 5.3 ms; written: 0.3 ms)."""

    def as_sql(self, compiler, connection):
        if not re.fullmatch(r"[a-z_]+", self.value):
            raise ValueError(f"not a status: {self.value!r}")
        return f"'{self.value}'", []


def _queue_filter(team, *, user, status, kind, who, counting: bool):
    cases = Case.objects.filter(team=team)
    if status == "open" and counting:
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status == "open":
        cases = cases.exclude(status=_Written(S.CLOSED))
    elif status in S.values:
        cases = cases.filter(status=status)
    if kind:
        cases = cases.filter(kind=kind)
    if who == "mine" and user is not None:
        cases = cases.filter(assignee_id=user.pk)
    elif who == "unassigned":
        cases = cases.filter(assignee__isnull=True)
    if counting:
        return cases.count()
    return _shown(cases)


# The queue's order: the partial index's columns (``number`` is unique within a team).
QUEUE_ORDER = ("urgency_rank", "created_at", "number")


def _shown(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` with the columns the queue shows, in the queue's order."""
    return (
        cases.select_related("assignee")
        .only(
            "id",
            "number",
            "kind",
            "country",
            "urgency",
            "status",
            "outcome",
            "created_at",
            "first_reply_at",
            "requester_active_at",
            "handler_seen_at",
            "assignee__id",
            "assignee__username",
            "assignee__display_name",
        )
        .order_by(*QUEUE_ORDER)
    )


def queue_page(team: AidTeam, page: QuerySet[Case], now: datetime | None = None) -> list[Case]:
    """The cases of ``page`` (a slice of ``queue``) marked (``mark``), in one query, each
    with whether a step of its checklist is past its due date (``late_steps``).

    Later pages are read with a deferred join: the page's numbers found along the index
    (``number`` is in it), then only those fifty cases read from the table with their
    handlers. Read directly, a deep page joined each case it skipped to its handler: page
    40 of 6,600 open cases took 6 ms of SQLite for 1,950 rows thrown away, 0.7 ms this
    way. The first page skips nothing and is read directly (0.35 ms; 0.5 ms the other
    way)."""
    now = now or timezone.now()
    if page.query.low_mark:
        page = _shown(Case.objects.filter(team=team, number__in=page.values("number")))
    late = ChecklistItem.objects.filter(
        case=OuterRef("pk"), done_at__isnull=True, due_on__lt=timezone.localdate(now)
    )
    return mark(list(page.annotate(late_steps=Exists(late))), now)


def mark(cases: list[Case], now: datetime | None = None) -> list[Case]:
    """Set ``overdue`` and ``has_news`` on each case of a page. The steps past their due
    date come with the cases read by ``queue_page``; for others, one query, only for the
    cases shown: a sort of the whole queue never waits for it."""
    now = now or timezone.now()
    late_steps = {case.pk for case in cases if getattr(case, "late_steps", False)}
    open_ids = [case.pk for case in cases if case.is_open and not hasattr(case, "late_steps")]
    if open_ids:
        late_steps |= set(
            ChecklistItem.objects.filter(
                case_id__in=open_ids, done_at__isnull=True, due_on__lt=timezone.localdate(now)
            ).values_list("case_id", flat=True)
        )
    for case in cases:
        case.overdue = case.is_open and (_late_reply(case, now) or case.pk in late_steps)
        case.has_news = case.requester_active_at is not None and (
            case.handler_seen_at is None or case.requester_active_at > case.handler_seen_at
        )
    return cases


def _late_reply(case: Case, now: datetime) -> bool:
    due = reply_due_at(case)
    return due is not None and case.first_reply_at is None and due < now


def reply_due_at(case: Case) -> datetime | None:
    within = FIRST_REPLY_WITHIN.get(case.urgency)
    return case.created_at + within if within else None


def is_overdue(case: Case, items: list[ChecklistItem], now: datetime | None = None) -> bool:
    """The queue's ``overdue`` for one case whose checklist is loaded already."""
    now = now or timezone.now()
    if not case.is_open:
        return False
    if _late_reply(case, now):
        return True
    today = timezone.localdate(now)
    return any(item.done_at is None and item.due_on and item.due_on < today for item in items)


# -- viewing a case ----------------------------------------------------------------------------
def record_view(case: Case, user) -> None:
    """Every view of a case is in the audit log (THREATS 17); the handler has seen what
    the requester wrote until now."""
    now = timezone.now()
    with transaction.atomic():
        audit.record(user, "aid.case_viewed", case, team=case.team_id)
        Case.objects.filter(pk=case.pk).update(handler_seen_at=now)
    case.handler_seen_at = now


def ensure_checklist(case: Case) -> list[ChecklistItem]:
    """The case's checklist, with the steps of its kind added the first time."""
    items = list(ChecklistItem.objects.filter(case=case).select_related("done_by"))
    if any(item.key for item in items) or case.is_purged:
        return items
    ChecklistItem.objects.bulk_create(
        ChecklistItem(case=case, key=key, position=position)
        for position, (key, _label) in enumerate(checklists.template_for(case.kind), start=1)
    )
    return list(ChecklistItem.objects.filter(case=case).select_related("done_by"))


@dataclass(frozen=True)
class Step:
    item: ChecklistItem
    label: str
    custom: bool
    overdue: bool


def steps(case: Case, items: list[ChecklistItem], team_keys: aidkeys.TeamKeys) -> list[Step]:
    """The checklist with every label readable: translated, or opened with the keys."""
    today = timezone.localdate()
    result = []
    for item in items:
        if item.key:
            label = str(checklists.label_for(case.kind, item.key))
        elif item.sealed_label:
            label = str(team_keys.open(item.key_version, item.sealed_label).get("text", ""))
        else:
            label = ""
        late = item.done_at is None and item.due_on is not None and item.due_on < today
        result.append(Step(item, label, not item.key, late))
    return result


# -- who works on it ---------------------------------------------------------------------------
def claim(case: Case, user) -> None:
    """Take an unassigned case. Two handlers claiming at once: the database gives it to
    one of them (the UPDATE only matches while nobody has it); the other is told."""
    with transaction.atomic():
        won = Case.objects.filter(
            pk=case.pk, assignee__isnull=True, status__in=OPEN_STATUSES
        ).update(assignee=user, updated_at=timezone.now())
        if not won:
            current = Case.objects.select_related("assignee").get(pk=case.pk)
            if not current.is_open:
                raise CaseworkError(_("This case is closed. Reopen it first."))
            if current.assignee_id == user.pk:
                raise CaseworkError(_("You already work on this case."))
            raise CaseworkError(
                _("%(name)s took this case a moment before you.") % {"name": current.assignee}
            )
        audit.record(user, "aid.case_claimed", case, team=case.team_id)
    case.assignee = user


def assign(case: Case, to, *, by) -> None:
    """Give the case to another handler of the team."""
    if to is None or not rules.is_handler(to, case.team):
        raise CaseworkError(_("Choose a handler of this team."))
    if not case.is_open:
        raise CaseworkError(_("This case is closed. Reopen it first."))
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(assignee=to, updated_at=timezone.now())
        audit.record(by, "aid.case_assigned", case, team=case.team_id, to=to.pk)
    case.assignee = to


def release(case: Case, *, by) -> None:
    """Give one's case back to the queue."""
    with transaction.atomic():
        released = Case.objects.filter(pk=case.pk, assignee_id=by.pk).update(
            assignee=None, updated_at=timezone.now()
        )
        if not released:
            raise CaseworkError(_("This case is not assigned to you."))
        audit.record(by, "aid.case_released", case, team=case.team_id)
    case.assignee = None


# -- status ------------------------------------------------------------------------------------
def may_reopen(case: Case, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if case.is_purged or case.closed_at is None:
        return False
    return case.closed_at + timedelta(days=settings.SOLIDAR_AID_RETENTION_DAYS) > now


def next_statuses(case: Case) -> list[str]:
    """The statuses this case may move to now."""
    allowed = list(TRANSITIONS.get(case.status, ()))
    if case.status == S.CLOSED and not may_reopen(case):
        return []
    return allowed


def set_status(case: Case, status: str, *, by, outcome: str = "") -> None:
    """Move the case on. Closing needs an outcome and sets ``closed_at``; reopening
    clears both."""
    if status not in S.values:
        raise CaseworkError(_("Choose a status."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.is_purged:
            raise CaseworkError(_("This case was deleted after the retention period."))
        if status == locked.status:
            raise CaseworkError(_("The case has this status already."))
        if status not in next_statuses(locked):
            if locked.status == S.CLOSED:
                raise CaseworkError(
                    _("This case was closed too long ago to reopen. File a new one.")
                )
            raise CaseworkError(
                _("A case that is %(current)s cannot become %(status)s.")
                % {"current": locked.get_status_display(), "status": S(status).label}
            )
        now = timezone.now()
        changes: dict = {"status": status, "updated_at": now}
        if status == S.CLOSED:
            if outcome not in Case.Outcome.values:
                raise CaseworkError(_("Choose the outcome to close the case."))
            changes |= {"outcome": outcome, "closed_at": now}
        elif locked.status == S.CLOSED:
            changes |= {"outcome": "", "closed_at": None}
        Case.objects.filter(pk=case.pk).update(**changes)
        audit.record(
            by,
            "aid.case_status",
            case,
            team=case.team_id,
            old=locked.status,
            new=status,
            outcome=changes.get("outcome", ""),
        )
    for name, value in changes.items():
        setattr(case, name, value)
    if status == S.TRIAGED:
        ensure_checklist(case)


# -- notes, replies, referrals -----------------------------------------------------------------
def _text(value: str, *, limit: int, empty) -> str:
    text = (value or "").strip()
    if not text:
        raise CaseworkError(str(empty))
    if len(text) > limit:
        raise CaseworkError(
            _("This is too long: at most %(limit)d characters, please.") % {"limit": limit}
        )
    return text


def _writable(case: Case) -> None:
    if case.is_purged:
        raise CaseworkError(_("This case was deleted after the retention period."))


def _entry(case: Case, kind: str, payload: dict, by) -> Entry:
    _writable(case)
    with transaction.atomic():
        entry = casefile.add_entry(case, kind, payload, author=by)
        audit.record(by, "aid.entry_added", case, team=case.team_id, kind=kind, entry=entry.pk)
    return entry


def add_note(case: Case, text: str, *, by) -> Entry:
    """An internal note: the team reads it, the requester never does."""
    text = _text(text, limit=TEXT_MAX, empty=_("Write the note first."))
    return _entry(case, Entry.Kind.NOTE, {"text": text}, by)


def reply(case: Case, text: str, *, by) -> Entry:
    """A message to the requester (they read it with their codename)."""
    text = _text(text, limit=TEXT_MAX, empty=_("Write the reply first."))
    return _entry(case, Entry.Kind.TO_REQUESTER, {"text": text}, by)


def refer(case: Case, organisation: str, text: str, *, by) -> Entry:
    """A referral to a partner organisation: to whom and what for."""
    organisation = _text(
        organisation, limit=ORGANISATION_MAX, empty=_("Name the organisation first.")
    )
    text = _text(text, limit=TEXT_MAX, empty=_("Say what the referral is for."))
    return _entry(case, Entry.Kind.REFERRAL, {"text": text, "organisation": organisation}, by)


# -- the checklist -----------------------------------------------------------------------------
def get_item(case: Case, item_id: int) -> ChecklistItem:
    if not 0 < item_id < 2**63:  # the URL takes any digits; the database a bigint
        raise Http404
    item = ChecklistItem.objects.filter(case=case, pk=item_id).first()
    if item is None:
        raise Http404
    return item


def toggle_item(item: ChecklistItem, *, by) -> None:
    """Done, or not done after all."""
    done = item.done_at is None
    now = timezone.now()
    with transaction.atomic():
        ChecklistItem.objects.filter(pk=item.pk).update(
            done_at=now if done else None, done_by=by if done else None
        )
        Case.objects.filter(pk=item.case_id).update(updated_at=now)
        audit.record(
            by, "aid.step_done" if done else "aid.step_undone", item, case=str(item.case_id)
        )
    item.done_at, item.done_by = (now, by) if done else (None, None)


def set_due(item: ChecklistItem, due_on: date | None, *, by) -> None:
    with transaction.atomic():
        ChecklistItem.objects.filter(pk=item.pk).update(due_on=due_on)
        audit.record(
            by,
            "aid.step_due",
            item,
            case=str(item.case_id),
            due_on=due_on.isoformat() if due_on else None,
        )
    item.due_on = due_on


def add_item(case: Case, text: str, *, by, due_on: date | None = None) -> ChecklistItem:
    """A step of the handler's own; its label is sealed to the team."""
    _writable(case)
    text = _text(text, limit=LABEL_MAX, empty=_("Write the step first."))
    version, sealed = aidkeys.seal_for_team(case.team, {"text": text})
    with transaction.atomic():
        last = ChecklistItem.objects.filter(case=case).order_by("-position").first()
        item = ChecklistItem.objects.create(
            case=case,
            sealed_label=sealed,
            key_version=version,
            position=(last.position + 1) if last else 1,
            due_on=due_on,
        )
        audit.record(by, "aid.step_added", item, case=str(case.pk))
    return item


def remove_item(item: ChecklistItem, *, by) -> None:
    """Only a handler's own steps can go; the usual steps of the kind stay."""
    if item.key:
        raise CaseworkError(_("The usual steps of this kind of help cannot be removed."))
    with transaction.atomic():
        audit.record(by, "aid.step_removed", item, case=str(item.case_id))
        item.delete()
