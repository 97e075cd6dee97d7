"""Handlers' pages: the triage queue and a case with everything a handler does on it.

The queue shows only what is stored in clear (kind, country, urgency, dates, status, who
works on it), so it needs no unlocked keys. The case page opens the sealed request and the
timeline: it needs the team's keys unlocked in this session, and every view of it is in
the audit log. Every page is privileged (MFA) and exists only for the team's handlers
with access (404 for everyone else); members of an aid team without access are pointed
to the team page.

Actions are POSTs under the case's address; each calls one function of ``casework``
and goes back to the case. Bad input re-renders the case with what was typed and a 4xx.
If the keys were locked meanwhile (the unlock period ran out), a text that was typed is
still sealed and saved (sealing needs only the team's public key), then the handler is
sent to unlock; nothing else changes without the keys.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from html import escape

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from solidar.accounts.mfa import privileged_view
from solidar.aid import casefile, casework
from solidar.aid import handler_forms as hf
from solidar.aid.models import Case, ContactMethod, Entry, Kind, Urgency
from solidar.aid.views.common import private_view, team_keys, unlock_redirect
from solidar.core.countries import country_name
from solidar.core.forms import language_name
from solidar.core.paging import page_of

PER_PAGE = 50


# -- the queue ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """A case of the queue and its table row, written (``_rows``)."""

    case: Case
    html: str


def column_labels() -> dict[str, str]:
    """The queue table's words, translated once per page."""
    return {
        "case": _("Case"),
        "kind": _("Kind of help"),
        "country": _("Country"),
        "urgency": _("Urgency"),
        "age": _("Age"),
        "status": _("Status"),
        "handler": _("Handler"),
        "overdue": _("overdue"),
        "news": _("news"),
        "nobody": _("nobody yet"),
    }


class _Words(dict):
    """Escaped words by value, each worded (``word(value)``) and escaped once per page."""

    def __init__(self, word):
        super().__init__()
        self.word = word

    def __missing__(self, value):
        self[value] = escaped = escape(str(self.word(value)))
        return escaped


class _Counted:
    """One of ``timesince``'s units worded once per number on a page (``timesince``
    formats its lazy plural, a translation lookup, for every row)."""

    def __init__(self, words):
        self.words = words
        self.worded: dict[int, str] = {}

    def __mod__(self, values):
        number = values["num"]
        worded = self.worded.get(number)
        if worded is None:
            self.worded[number] = worded = self.words % values
        return worded


def _rows(cases: list[Case], now: datetime, labels: dict[str, str]) -> list[Row]:
    """The table's rows, written here rather than in the template: fifty rows of a dozen
    variables each cost the template engine more than the page's SQL. Every value shown
    is escaped (``html.escape``, what Django's ``escape`` calls), each distinct one once
    per page: a page shows a handful of kinds, countries, statuses and handlers fifty
    times. ``labels``: ``column_labels()``."""
    kind_labels = dict(Kind.choices)
    urgency_labels = dict(Urgency.choices)
    status_labels = dict(Case.Status.choices)
    outcome_labels = dict(Case.Outcome.choices)
    kinds = _Words(lambda value: kind_labels.get(value, value))
    urgencies = _Words(lambda value: urgency_labels.get(value, value))
    countries = _Words(country_name)

    def status_word(pair):
        status, outcome = pair
        word = str(status_labels.get(status, status))
        return f"{word} ({outcome_labels.get(outcome, outcome)})" if outcome else word

    statuses = _Words(status_word)
    e = {key: escape(value) for key, value in labels.items()}
    nobody = f'<span class="muted">{e["nobody"]}</span>'
    handlers: dict[int | None, str] = {None: nobody}
    # Older than a day, the age in one unit depends only on the calendar day and whether
    # the hour came before now's.
    ages: dict = {}
    units = {name: _Counted(words) for name, words in TIME_STRINGS.items()}
    today = now.time()
    # One reverse() for the page, not one per row.
    blank = uuid.UUID(int=0)
    before, _blank, after = reverse("aid:case", args=[blank]).partition(str(blank))
    before, after = escape(before), escape(after)
    overdue = f' <span class="badge badge--warning">{e["overdue"]}</span>'
    news = f' <span class="badge badge--accent">{e["news"]}</span>'
    th = f'"><th scope="row" data-label="{e["case"]}"><a href="{before}'
    td_kind, td_country = f'<td data-label="{e["kind"]}">', f'<td data-label="{e["country"]}">'
    td_urgency, td_age = f'<td data-label="{e["urgency"]}">', f'<td data-label="{e["age"]}">'
    td_status, td_handler = f'<td data-label="{e["status"]}">', f'<td data-label="{e["handler"]}">'
    rows = []
    for case in cases:
        created = case.created_at
        day = (created.date(), created.time() <= today)
        age = ages.get(day)
        if age is None or (now - created).days < 1:
            ages[day] = age = escape(timesince(created, now, time_strings=units, depth=1))
        handler = handlers.get(case.assignee_id)
        if handler is None:
            handlers[case.assignee_id] = handler = escape(str(case.assignee))
        css = "case-row"
        badges = ""
        if case.overdue:
            css += " case-row--overdue"
            if case.urgency in casework.URGENT:
                css += " case-row--overdue-urgent"
            badges = overdue
        if case.has_news:
            badges += news
        html = (
            f'<tr class="{css}{th}{case.pk}{after}">#{case.number}</a>{badges}</th>'
            f"{td_kind}{kinds[case.kind]}</td>{td_country}{countries[case.country]}</td>"
            f"{td_urgency}{urgencies[case.urgency]}</td>"
            f'{td_age}<time datetime="{created.isoformat()}">{age}</time></td>'
            f"{td_status}{statuses[case.status, case.outcome]}</td>{td_handler}{handler}</td></tr>"
        )
        rows.append(Row(case=case, html=html))
    return rows


@require_GET
@private_view
def queue(request):
    user = request.user
    teams = casework.handled_teams(user) if user.is_authenticated else []
    if user.is_authenticated and not teams:
        waiting = casework.waiting_teams(user)
        if waiting:
            return render(request, "aid/handler/no_access.html", {"teams": waiting})
    return _queue(request, teams)


@privileged_view
def _queue(request, teams):
    if not teams:
        raise Http404
    team = teams[0]
    chosen = request.GET.get("team", "")
    for candidate in teams:
        if str(candidate.pk) == chosen:
            team = candidate
    filters = hf.QueueFilterForm(request.GET or None)
    status, kind, who = filters.value("status"), filters.value("kind"), filters.value("who")
    now = timezone.now()
    chosen_filters = {"user": request.user, "status": status, "kind": kind, "who": who}
    page = page_of(
        casework.queue(team, **chosen_filters),
        request.GET.get("page"),
        per_page=PER_PAGE,
        count=casework.queue_count(team, **chosen_filters),
    )
    shown = casework.queue_page(team, page.object_list, now)
    labels = column_labels()
    rows = _rows(shown, now, labels)
    query = {"status": status, "kind": kind, "who": who}
    if len(teams) > 1:
        query["team"] = team.pk
    context = {
        "aid_team": team,
        "teams": teams,
        "filters": filters,
        "status": status,
        "kind": kind,
        "who": who,
        "page": page,
        "rows": rows,
        # S308: every value in the rows is escaped (_rows), the rest is our own markup.
        "rows_html": mark_safe("\n".join(row.html for row in rows)),  # noqa: S308
        "labels": labels,
        "filtered": (status, kind, who) != ("open", "", ""),
        "query_suffix": "&" + urlencode(query),
    }
    return render(request, "aid/handler/queue.html", context)


# -- the case ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineItem:
    opened: casefile.Opened

    @property
    def entry(self) -> Entry:
        return self.opened.entry

    @property
    def who(self) -> str:
        if self.entry.kind == Entry.Kind.FROM_REQUESTER:
            return _("The requester")
        return str(self.entry.author) if self.entry.author_id else _("A former handler")

    @property
    def organisation(self) -> str:
        return str(self.opened.payload.get("organisation", ""))


def _forms(case, handlers, **bound):
    forms = {
        "note_form": hf.NoteForm(),
        "reply_form": hf.ReplyForm(),
        "referral_form": hf.ReferralForm(),
        "status_form": hf.StatusForm(case),
        "assign_form": hf.AssignForm([u for u in handlers if u.pk != case.assignee_id]),
        "step_form": hf.StepForm(),
    }
    forms.update(bound)
    return forms


def _render_case(request, case, keys, *, status=200, error=None, due_error=None, **bound):
    """The case page (also with a bound form and its errors). Showing it is a view of the
    case: audited, and the requester's news is seen."""
    casework.record_view(case, request.user)
    items = casework.ensure_checklist(case)
    handlers = casework.team_handlers(case.team)
    request_data = casefile.request_for_team(case, keys)
    method = request_data.get("contact_method", "")
    context = {
        "aid_team": case.team,
        "case": case,
        "request_data": request_data,
        "contact_method": ContactMethod(method).label if method in ContactMethod.values else method,
        "languages": [language_name(code) for code in case.languages],
        "timeline": [TimelineItem(o) for o in casefile.timeline_for_team(case, keys)],
        "steps": casework.steps(case, items, keys),
        "overdue": casework.is_overdue(case, items),
        "reply_due_at": casework.reply_due_at(case),
        "may_release": case.assignee_id == request.user.pk,
        "error": error,
        "due_error": due_error or {},
        **_forms(case, handlers, **bound),
    }
    return render(request, "aid/handler/case.html", context, status=status)


@require_GET
@private_view
@privileged_view
def case_detail(request, case_id):
    case = casework.get_case_for_handler(request.user, case_id)
    keys = team_keys(request, case.team)
    if keys is None:
        return unlock_redirect(request)
    return _render_case(request, case, keys)


# -- actions -----------------------------------------------------------------------------------
def _to_unlock(request, case):
    return unlock_redirect(request, reverse("aid:case", args=[case.pk]))


def case_action(view):
    """A POST on a case: privileged, the team's handlers only, private; the view gets the
    case and the unlocked keys (or None)."""

    @require_POST
    @private_view
    @privileged_view
    @wraps(view)
    def wrapper(request, case_id, **kwargs):
        case = casework.get_case_for_handler(request.user, case_id)
        return view(request, case, team_keys(request, case.team), **kwargs)

    return wrapper


def _done(request, case, message, anchor=""):
    messages.success(request, message)
    return redirect(reverse("aid:case", args=[case.pk]) + anchor)


def _refused(request, case, keys, error: casework.CaseworkError, *, status=409, **bound):
    if keys is None:
        return _locked(request, case, error.message, status=status, **bound)
    return _render_case(request, case, keys, status=status, error=error.message, **bound)


def _locked(request, case, error=None, *, status=400, **bound):
    """Bad input while the keys are locked: the form again, with what was typed, and the
    way to unlock (the case itself cannot be shown)."""
    context = {
        "case": case,
        "error": error,
        "forms": [form for form in bound.values() if form is not None],
        "unlock_url": f"{reverse('aid:unlock')}?"
        + urlencode({"next": reverse("aid:case", args=[case.pk])}),
    }
    return render(request, "aid/handler/locked.html", context, status=status)


@case_action
def claim(request, case, keys):
    if keys is None:
        return _to_unlock(request, case)
    try:
        casework.claim(case, request.user)
    except casework.CaseworkError as error:
        return _refused(request, case, keys, error)
    return _done(request, case, _("You work on this case now."))


@case_action
def assign(request, case, keys):
    if keys is None:
        return _to_unlock(request, case)
    handlers = [u for u in casework.team_handlers(case.team) if u.pk != case.assignee_id]
    form = hf.AssignForm(handlers, request.POST)
    if not form.is_valid():
        return _render_case(request, case, keys, status=400, assign_form=form)
    try:
        casework.assign(case, form.assignee, by=request.user)
    except casework.CaseworkError as error:
        return _refused(request, case, keys, error, assign_form=form)
    return _done(request, case, _("The case is assigned to %(name)s.") % {"name": form.assignee})


@case_action
def release(request, case, keys):
    if keys is None:
        return _to_unlock(request, case)
    try:
        casework.release(case, by=request.user)
    except casework.CaseworkError as error:
        return _refused(request, case, keys, error)
    return _done(request, case, _("The case is back in the queue."))


@case_action
def set_status(request, case, keys):
    if keys is None:
        return _to_unlock(request, case)
    form = hf.StatusForm(case, request.POST)
    if not form.is_valid():
        return _render_case(request, case, keys, status=400, status_form=form)
    try:
        casework.set_status(
            case, form.cleaned_data["status"], by=request.user, outcome=form.cleaned_data["outcome"]
        )
    except casework.CaseworkError as error:
        return _refused(request, case, keys, error, status_form=form)
    return _done(
        request, case, _("New status: %(status)s.") % {"status": case.get_status_display()}
    )


def _text_action(request, case, keys, form, save, message, name):
    if not form.is_valid():
        if keys is None:
            return _locked(request, case, **{name: form})
        return _render_case(request, case, keys, status=400, **{name: form})
    try:
        save(form.cleaned_data)
    except casework.CaseworkError as error:
        return _refused(request, case, keys, error, status=400, **{name: form})
    if keys is None:
        messages.success(request, message)
        messages.warning(request, _("Your case keys were locked meanwhile. Unlock to go on."))
        return _to_unlock(request, case)
    return _done(request, case, message, "#timeline")


@case_action
def note(request, case, keys):
    return _text_action(
        request,
        case,
        keys,
        hf.NoteForm(request.POST),
        lambda data: casework.add_note(case, data["text"], by=request.user),
        _("The note is saved."),
        "note_form",
    )


@case_action
def reply(request, case, keys):
    return _text_action(
        request,
        case,
        keys,
        hf.ReplyForm(request.POST),
        lambda data: casework.reply(case, data["text"], by=request.user),
        _("The reply is sent. The requester reads it with their codename."),
        "reply_form",
    )


@case_action
def referral(request, case, keys):
    return _text_action(
        request,
        case,
        keys,
        hf.ReferralForm(request.POST),
        lambda data: casework.refer(case, data["organisation"], data["text"], by=request.user),
        _("The referral is recorded."),
        "referral_form",
    )


@case_action
def step_add(request, case, keys):
    form = hf.StepForm(request.POST)
    if not form.is_valid():
        if keys is None:
            return _locked(request, case, step_form=form)
        return _render_case(request, case, keys, status=400, step_form=form)
    try:
        casework.add_item(
            case, form.cleaned_data["label"], by=request.user, due_on=form.cleaned_data["due_on"]
        )
    except casework.CaseworkError as error:
        return _refused(request, case, keys, error, status=400, step_form=form)
    if keys is None:
        messages.success(request, _("The step is added."))
        return _to_unlock(request, case)
    return _done(request, case, _("The step is added."), "#checklist")


@case_action
def step_done(request, case, keys, item_id):
    item = casework.get_item(case, item_id)
    if keys is None:
        return _to_unlock(request, case)
    casework.toggle_item(item, by=request.user)
    message = _("Step done.") if item.done_at else _("Step open again.")
    return _done(request, case, message, "#checklist")


@case_action
def step_due(request, case, keys, item_id):
    item = casework.get_item(case, item_id)
    if keys is None:
        return _to_unlock(request, case)
    form = hf.DueForm(request.POST)
    if not form.is_valid():
        due_error = {
            "item": item.pk,
            "value": request.POST.get("due_on", "")[:40],
            "errors": form.errors.get("due_on"),
        }
        return _render_case(request, case, keys, status=400, due_error=due_error)
    casework.set_due(item, form.cleaned_data["due_on"], by=request.user)
    if form.cleaned_data["due_on"]:
        return _done(request, case, _("Due date set."), "#checklist")
    return _done(request, case, _("Due date removed."), "#checklist")


@case_action
def step_remove(request, case, keys, item_id):
    item = casework.get_item(case, item_id)
    if keys is None:
        return _to_unlock(request, case)
    try:
        casework.remove_item(item, by=request.user)
    except casework.CaseworkError as error:
        return _refused(request, case, keys, error)
    return _done(request, case, _("The step is removed."), "#checklist")


_case = "aid/cases/<uuid:case_id>/"
urlpatterns = [
    path("aid/", queue, name="queue"),
    path(_case, case_detail, name="case"),
    path(f"{_case}claim/", claim, name="case_claim"),
    path(f"{_case}assign/", assign, name="case_assign"),
    path(f"{_case}release/", release, name="case_release"),
    path(f"{_case}status/", set_status, name="case_status"),
    path(f"{_case}note/", note, name="case_note"),
    path(f"{_case}reply/", reply, name="case_reply"),
    path(f"{_case}referral/", referral, name="case_referral"),
    path(f"{_case}checklist/", step_add, name="step_add"),
    path(f"{_case}checklist/<int:item_id>/done/", step_done, name="step_done"),
    path(f"{_case}checklist/<int:item_id>/due/", step_due, name="step_due"),
    path(f"{_case}checklist/<int:item_id>/remove/", step_remove, name="step_remove"),
]
