"""Decisions: votes and elections — creating, opening, the ballot, the receipt, the results.

Thin: find the vote (404 for whoever may not see it), call one function of ``voting``,
show the outcome. A refused action (``VotingError``) shows its message with a 400 and the
form as it was typed.

Secrecy: the receipt is rendered once, in the answer to the POST that cast the ballot
(``Cache-Control: no-store``); it is never put in the session, a message or a log, which
would link it to the person. Results are for closed votes only (``decisions.view_results``
is false before, so the pages answer 404).
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidar.accounts.mfa import privileged_view
from solidar.core.markup import render_markdown
from solidar.core.paging import page_of
from solidar.decisions import counting, services, voting
from solidar.decisions.forms_votes import VoteForm, read_ballot
from solidar.decisions.models import Body, Vote
from solidar.decisions.voting import VotingError

BALLOTS_PER_PAGE = 200
RECEIPT_INPUT_LIMIT = 64
M = Vote.Method

ANSWER_LABELS = {
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "abstain": gettext_lazy("Abstain"),
    "consent": gettext_lazy("Consent"),
    "object": gettext_lazy("Object"),
}
STAGE_ACTIONS = {
    counting.FIRST_PREFERENCES: gettext_lazy("First preferences"),
    counting.SURPLUS: gettext_lazy("Surplus transferred"),
    counting.EXCLUSION: gettext_lazy("Excluded"),
    counting.LAST_VACANCIES: gettext_lazy("Last vacancies filled"),
}
TIE_METHODS = {
    counting.TIE_ORDER: gettext_lazy("by the published tie order"),
    counting.HISTORY: gettext_lazy("by the values at an earlier stage"),
}


# -- finding things ----------------------------------------------------------------------------
def _get_vote(user, pk: int, permission: str = "decisions.view_vote", *, lean=False) -> Vote:
    """The vote, or 404 for anyone ``permission`` refuses (never a 403 that confirms it).
    ``lean``: only what casting needs (the body and its collective; an event's row of
    eighty columns, the proposal and the texts are read only if asked for)."""
    if lean:
        votes = Vote.objects.select_related("body__collective").defer("description", "result")
    else:
        votes = Vote.objects.select_related(
            "body__collective", "body__event__organiser", "proposal", "amendment"
        )
    vote = get_object_or_404(votes, pk=pk)
    if not rules.has_perm(permission, user, vote):
        raise Http404
    return vote


def _body_to_manage(user, *, collective_slug: str = "", event_slug: str = "") -> Body:
    """The body of a collective or an event's assembly, for its coordinators (else 404).
    Asked on an unsaved body first, so nobody else's request creates one."""
    if collective_slug:
        from solidar.network.models import Collective

        collective = get_object_or_404(Collective, slug=collective_slug)
        probe = Body(collective=collective)
    else:
        from solidar.events.models import Event

        event = get_object_or_404(Event.objects.select_related("organiser"), slug=event_slug)
        probe = Body(event=event)
    if not rules.has_perm("decisions.manage_body", user, probe):
        raise Http404
    if collective_slug:
        return services.body_for_collective(collective)
    return services.body_for_event(event)


def _members(body: Body):
    """Who may stand as a candidate: the body's current members (for an assembly: its
    delegates, registered participants and the organisers' members)."""
    from solidar.network.models import Membership

    active = Q(memberships__ended_at__isnull=True, memberships__status=Membership.Status.ACTIVE)
    users = get_user_model().objects.filter(is_active=True)
    if not body.is_assembly:
        users = users.filter(active, memberships__collective=body.collective)
    else:
        from solidar.decisions.models import Delegate
        from solidar.events.models import Registration

        delegates = Delegate.objects.filter(body=body).values("user_id")
        registered = Registration.objects.filter(
            event_id=body.event_id, status=Registration.Status.REGISTERED, user__isnull=False
        ).values("user_id")
        users = users.filter(
            Q(pk__in=delegates)
            | Q(pk__in=registered)
            | (active & Q(memberships__collective=body.event.organiser_id))
        )
    return users.distinct().order_by("display_name", "username")


def _body_url_name(body: Body) -> tuple[str, str]:
    if body.is_assembly:
        return "decisions:assembly", body.event.slug
    return "decisions:body", body.collective.slug


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


# -- creating ----------------------------------------------------------------------------------
def _new_vote(request, body: Body):
    form = VoteForm(request.POST or None, body=body, members=_members(body))
    if request.method == "POST":
        if form.is_valid():
            try:
                vote = voting.create_vote(body, by=request.user, **form.service_arguments())
            except VotingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("The vote was created. Check it, then open it: nobody can vote before."),
                )
                return redirect("decisions:vote", pk=vote.pk)
        status = 400
    else:
        status = 200
    url_name, slug = _body_url_name(body)
    context = {"form": form, "body": body, "body_url_name": url_name, "body_slug": slug}
    return render(request, "decisions/votes/new.html", context, status=status)


@privileged_view
@require_http_methods(["GET", "POST"])
def new_vote(request, slug):
    return _new_vote(request, _body_to_manage(request.user, collective_slug=slug))


@privileged_view
@require_http_methods(["GET", "POST"])
def assembly_new_vote(request, slug):
    return _new_vote(request, _body_to_manage(request.user, event_slug=slug))


# -- the vote's page ---------------------------------------------------------------------------
def _vote_page(request, vote: Vote, *, error: str = "", typed=None, status: int = 200):
    user = request.user
    now = timezone.now()
    options = list(vote.options.all())
    on_roll = vote.status != Vote.Status.DRAFT and voting.is_elector(vote, user)
    voted = on_roll and voting.has_voted(vote, user)
    past_closing = vote.closes_at <= now
    may_vote = vote.is_open and not past_closing and on_roll and not voted
    can_manage = rules.has_perm("decisions.manage_vote", user, vote)
    typed = typed or {}
    ranks = typed.get("ranks", {})
    url_name, slug = _body_url_name(vote.body)
    context = {
        "vote": vote,
        "body": vote.body,
        "body_url_name": url_name,
        "body_slug": slug,
        "description": render_markdown(vote.description) if vote.description else "",
        "options": options,
        "ranked_options": [(option, ranks.get(option.pk, "")) for option in options],
        "typed": typed,
        "approved": {str(v) for v in typed.get("approve", ())},
        "error": error,
        "on_roll": on_roll,
        "voted": voted,
        "may_vote": may_vote,
        "past_closing": past_closing,
        "can_manage": can_manage,
        "can_open": rules.has_perm("decisions.open_vote", user, vote),
        "can_close": can_manage
        and vote.is_open
        and (past_closing or vote.ballot_count >= vote.electorate_count),
        "threshold_label": Vote.Threshold(vote.threshold).label,
        "cooling_off_days": vote.body.cooling_off_days,
    }
    return _no_store(render(request, "decisions/votes/vote.html", context, status=status))


@login_required
@require_GET
def vote_page(request, pk):
    return _vote_page(request, _get_vote(request.user, pk))


@login_required
@require_POST
def cast(request, pk):
    vote = _get_vote(request.user, pk, lean=True)
    options = list(vote.options.all()) if vote.method in (M.SCHULZE, M.STV) else []
    choice, reason, typed = read_ballot(vote, options, request.POST)
    try:
        receipt = voting.cast(vote, request.user, choice, reason=reason)
    except VotingError as error:
        return _vote_page(request, vote, error=str(error), typed=typed, status=400)
    context = {"vote": vote, "receipt": voting.format_receipt(receipt)}
    return _no_store(render(request, "decisions/votes/receipt.html", context))


# -- a coordinator's controls ------------------------------------------------------------------
@require_POST
@privileged_view
def open_vote(request, pk):
    vote = _get_vote(request.user, pk, "decisions.manage_vote")
    try:
        electors = voting.open_vote(vote, by=request.user)
    except VotingError as error:
        return _vote_page(request, vote, error=str(error), status=400)
    messages.success(
        request,
        ngettext(
            "The vote is open: %(count)d person may vote.",
            "The vote is open: %(count)d people may vote.",
            electors,
        )
        % {"count": electors},
    )
    return redirect("decisions:vote", pk=vote.pk)


@require_POST
@privileged_view
def cancel_vote(request, pk):
    vote = _get_vote(request.user, pk, "decisions.manage_vote")
    try:
        voting.cancel(vote, by=request.user)
    except VotingError as error:
        return _vote_page(request, vote, error=str(error), status=400)
    messages.success(request, _("The vote was cancelled."))
    return redirect("decisions:vote", pk=vote.pk)


@require_POST
@privileged_view
def close_vote(request, pk):
    vote = _get_vote(request.user, pk, "decisions.manage_vote")
    try:
        closed = voting.close(vote, by=request.user, early=True)
    except VotingError as error:
        return _vote_page(request, vote, error=str(error), status=400)
    if not closed:
        return _vote_page(request, vote, error=_("This vote is not open."), status=400)
    messages.success(request, _("The vote is closed and counted."))
    return redirect("decisions:results", pk=vote.pk)


# -- results -----------------------------------------------------------------------------------
def _labels(labels: dict[int, str], ids) -> list[str]:
    return [labels.get(oid, "?") for oid in ids]


def describe_choice(method: str, choice, labels: dict[int, str]) -> str:
    """A ballot's choice in words: the answer, the approved options, or the ranking."""
    if method in (M.YES_NO, M.CONSENT):
        return str(ANSWER_LABELS.get(choice, choice))
    if method == M.APPROVAL:
        return ", ".join(_labels(labels, choice)) or _("(none approved)")
    if method == M.SCHULZE:
        groups = [" = ".join(_labels(labels, group)) for group in choice]
    else:
        groups = _labels(labels, choice)
    return "  ".join(f"{place}. {names}" for place, names in enumerate(groups, start=1))


def _matrix(rows, option_ids, labels):
    return [
        (
            labels.get(oid, "?"),
            [None if i == j else value for j, value in enumerate(row)],
        )
        for i, (oid, row) in enumerate(zip(option_ids, rows, strict=True))
    ]


def _stv_context(detail: dict, labels: dict[int, str]) -> dict:
    candidates = detail["candidates"]
    fmt = counting.format_value
    stages = []
    for stage in detail["stages"]:
        values = dict(stage["values"])
        stages.append(
            {
                "number": stage["number"],
                "action": STAGE_ACTIONS.get(stage["action"], stage["action"]),
                "candidate": labels.get(stage["candidate"], "") if stage["candidate"] else "",
                "transferred": fmt(stage["transferred"]) if stage["transferred"] else "",
                "elected": _labels(labels, stage["elected"]),
                "excluded": _labels(labels, stage["excluded"]),
                "values": [fmt(values[c]) if c in values else "" for c in candidates],
                "non_transferable": fmt(stage["non_transferable"]),
            }
        )
    return {
        "candidates": _labels(labels, candidates),
        "quota": fmt(detail["quota"]),
        "total": fmt(detail["total"]),
        "stages": stages,
        "elected": _labels(labels, detail["elected"]),
    }


def _ties(detail: dict, labels: dict[int, str]) -> list[dict]:
    return [
        {
            "tied": _labels(labels, tie["tied"]),
            "chosen": _labels(labels, tie["chosen"]),
            "method": TIE_METHODS.get(tie["method"], tie["method"]),
            "stage": tie.get("stage", 0),
        }
        for tie in detail.get("tie_breaks", ())
    ]


def _result_context(vote: Vote, labels: dict[int, str]) -> dict:
    result = vote.result or {}
    detail = result.get("detail") or {}
    context = {
        "result": result,
        "detail": detail,
        "winners": _labels(labels, result.get("winners", ())),
        "tie_order": _labels(labels, result.get("tie_order", ())),
        "ties": _ties(detail, labels),
        "threshold_label": Vote.Threshold(vote.threshold).label,
    }
    if vote.method in (M.YES_NO, M.CONSENT):
        totals = result.get("totals", {})
        context["totals"] = [(ANSWER_LABELS[key], value) for key, value in totals.items()]
    elif vote.method == M.APPROVAL:
        totals = dict(detail["totals"])
        winners = set(detail["winners"])
        context["approval"] = [
            (labels.get(oid, "?"), totals.get(oid, 0), oid in winners) for oid in detail["ranking"]
        ]
    elif vote.method == M.SCHULZE:
        context["schulze"] = {
            "options": _labels(labels, detail["options"]),
            "d": _matrix(detail["d"], detail["options"], labels),
            "p": _matrix(detail["p"], detail["options"], labels),
            "ranking": _labels(labels, detail["ranking"]),
            "winners": _labels(labels, detail["winners"]),
        }
    elif vote.method == M.STV:
        context["stv"] = _stv_context(detail, labels)
    return context


def _ballot_rows(vote: Vote, ballots, labels: dict[int, str]) -> list[dict]:
    return [
        {
            "receipt": voting.format_receipt(ballot.receipt),
            "choice": describe_choice(vote.method, ballot.choice, labels),
            "reason": ballot.reason,
            "weight": ballot.weight,
            "voter": str(ballot.voter) if ballot.voter_id else "",
        }
        for ballot in ballots
    ]


@login_required
@require_GET
def results(request, pk):
    vote = _get_vote(request.user, pk, "decisions.view_results")
    labels = dict(vote.options.values_list("pk", "label"))
    ballots = vote.ballots.order_by("receipt").only(
        "receipt", "choice", "reason", "weight", "voter", "vote_id"
    )
    if not vote.secret:
        ballots = ballots.select_related("voter")
    page = page_of(
        ballots,
        request.GET.get("page"),
        per_page=BALLOTS_PER_PAGE,
        count=(vote.result or {}).get("ballots", vote.ballot_count),
    )
    recounted = None
    if request.GET.get("recount"):
        recounted = voting.recount(vote)
    url_name, slug = _body_url_name(vote.body)
    context = {
        "vote": vote,
        "body": vote.body,
        "body_url_name": url_name,
        "body_slug": slug,
        "page": page,
        "ballots": _ballot_rows(vote, page.object_list, labels),
        "recounted": recounted,
        **_result_context(vote, labels),
    }
    return render(request, "decisions/votes/results.html", context)


@login_required
@require_GET
def check_receipt(request, pk):
    vote = _get_vote(request.user, pk, "decisions.view_results")
    code = request.GET.get("code", "")[:RECEIPT_INPUT_LIMIT]
    ballot = voting.find_receipt(vote, code) if code.strip() else None
    row = None
    if ballot is not None:
        labels = dict(vote.options.values_list("pk", "label"))
        row = _ballot_rows(vote, [ballot], labels)[0]
    context = {"vote": vote, "code": code, "searched": bool(code.strip()), "ballot": row}
    return render(request, "decisions/votes/check_receipt.html", context)


@login_required
@require_GET
def ballots_json(request, pk):
    """Everything needed to count again independently: the options, every ballot's receipt,
    choice and weight, the tie seed and order, and the announced result."""
    vote = _get_vote(request.user, pk, "decisions.view_results")
    options = list(vote.options.values("id", "position", "label"))
    rows = vote.ballots.order_by("receipt")
    if vote.secret:
        ballots = [
            {"receipt": receipt, "choice": choice, "weight": weight, "reason": reason}
            for receipt, choice, weight, reason in rows.values_list(
                "receipt", "choice", "weight", "reason"
            )
        ]
    else:
        ballots = [
            {"receipt": r, "choice": c, "weight": w, "reason": why, "voter": str(voter)}
            for r, c, w, why, voter in (
                (b.receipt, b.choice, b.weight, b.reason, b.voter or "")
                for b in rows.select_related("voter")
            )
        ]
    data = {
        "vote": {
            "id": vote.pk,
            "title": vote.title,
            "method": vote.method,
            "seats": vote.seats,
            "threshold": vote.threshold,
            "quorum": vote.quorum,
            "secret": vote.secret,
            "electorate": vote.electorate_count,
            "electorate_weight": vote.electorate_weight,
            "opened_at": vote.opens_at,
            "closed_at": vote.closed_at,
            "tie_seed": vote.tie_seed,
            "tie_order": (vote.result or {}).get("tie_order", []),
        },
        "options": options,
        "ballots": ballots,
        "result": vote.result,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="vote-{vote.pk}-ballots.json"'
    return response


urlpatterns = [
    path("decisions/in/<slug:slug>/votes/new/", new_vote, name="new_vote"),
    path("decisions/at/<slug:slug>/votes/new/", assembly_new_vote, name="assembly_new_vote"),
    path("decisions/votes/<int:pk>/", vote_page, name="vote"),
    path("decisions/votes/<int:pk>/open/", open_vote, name="open_vote"),
    path("decisions/votes/<int:pk>/cancel/", cancel_vote, name="cancel_vote"),
    path("decisions/votes/<int:pk>/close/", close_vote, name="close_vote"),
    path("decisions/votes/<int:pk>/cast/", cast, name="cast"),
    path("decisions/votes/<int:pk>/results/", results, name="results"),
    path("decisions/votes/<int:pk>/receipt/", check_receipt, name="check_receipt"),
    path("decisions/votes/<int:pk>/ballots.json", ballots_json, name="ballots_json"),
]
