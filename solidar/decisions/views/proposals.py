"""Decisions: making a proposal, its page, and everything done on it.

The proposal page is one page for all: its state and next step, the numbered text, the
authors, support, comments, amendments, its votes and versions. Every action posts to its
own URL; a refused one (a ``DecisionError`` from the services) re-renders the page with
status 400, the message on top and next to the form, and what was typed in the form.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from solidar.accounts.mfa import privileged_view
from solidar.core.markup import render_markdown
from solidar.decisions import forms_proposals as forms
from solidar.decisions import services, voting
from solidar.decisions.models import (
    Amendment,
    Body,
    Comment,
    Delegate,
    Elector,
    Participation,
    Proposal,
    Vote,
)
from solidar.decisions.services import DecisionError
from solidar.decisions.views.bodies import body_urls, eligible_delegates, find_person, get_body
from solidar.network.models import Membership

S = Proposal.Status


# -- finding ----------------------------------------------------------------------------------
def get_proposal(user, pk: int, permission: str = "decisions.view_proposal") -> Proposal:
    """The proposal if ``user`` has ``permission`` on it; 404 otherwise (drafts exist only for
    their authors, a body's proposals only for those who see the body)."""
    try:
        proposal = Proposal.objects.select_related(
            "body__collective", "body__event__organiser"
        ).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    if not rules.has_perm(permission, user, proposal):
        raise Http404
    return proposal


def body_people(body: Body):
    """The people who are members of ``body`` (to find a co-author by name)."""
    if body.is_assembly:
        delegates = Delegate.objects.filter(body=body).values("user_id")
        return eligible_delegates(body) | get_user_model().objects.filter(
            pk__in=delegates, is_active=True
        )
    return get_user_model().objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(
            collective_id=body.collective_id,
            ended_at__isnull=True,
            status=Membership.Status.ACTIVE,
        ).values("user_id"),
    )


def _resolution_of(proposal: Proposal):
    try:
        return proposal.resolution
    except Proposal.resolution.RelatedObjectDoesNotExist:
        return None


# -- making a proposal ------------------------------------------------------------------------
def _propose(request, slug, *, assembly: bool):
    body = get_body(request.user, slug, assembly=assembly, permission="decisions.propose")
    form = forms.ProposalForm(
        request.POST or None, initial={"language": request.LANGUAGE_CODE or "en"}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                proposal = services.create_proposal(
                    body, by=request.user, **_proposal_fields(form.cleaned_data)
                )
            except DecisionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Your draft is saved. Only you and your co-authors see it until you "
                        "submit it."
                    ),
                )
                return redirect("decisions:proposal", pk=proposal.pk)
    context = {"body": body, "form": form, "proposal": None, "urls": body_urls(body)}
    return render(request, "decisions/proposal/form.html", context, status=status)


def _proposal_fields(data: dict) -> dict:
    return {key: data[key] for key in ("title", "text", "rationale", "language") if key in data}


@login_required
@require_http_methods(["GET", "POST"])
def propose(request, slug):
    return _propose(request, slug, assembly=False)


@login_required
@require_http_methods(["GET", "POST"])
def assembly_propose(request, slug):
    return _propose(request, slug, assembly=True)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    proposal = get_proposal(request.user, pk)
    if not rules.has_perm("decisions.edit_proposal", request.user, proposal):
        if not _is_author(request.user, proposal):
            raise Http404
        if request.method == "GET":
            messages.warning(request, _("A submitted proposal can only be changed by amendments."))
            return redirect("decisions:proposal", pk=proposal.pk)
    initial = {"title": proposal.title, "text": proposal.text, "rationale": proposal.rationale}
    form = forms.ProposalForm(request.POST or None, initial=initial, with_language=False)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.edit_proposal(
                    proposal, by=request.user, **_proposal_fields(form.cleaned_data)
                )
            except DecisionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("decisions:proposal", pk=proposal.pk)
    context = {
        "body": proposal.body,
        "form": form,
        "proposal": proposal,
        "urls": body_urls(proposal.body),
    }
    return render(request, "decisions/proposal/form.html", context, status=status)


def _is_author(user, proposal) -> bool:
    from solidar.decisions.rules import is_author

    return is_author(user, proposal)


# -- the proposal page ------------------------------------------------------------------------
def _numbered(text: str) -> list[tuple[int, str]]:
    return [
        (number, render_markdown(paragraph))
        for number, paragraph in enumerate(services.paragraphs(text), start=1)
    ]


def _amendment_rows(proposal, amendments, versions, user, *, in_discussion: bool):
    """Each amendment with the paragraph it concerns quoted from the version it was written
    against, and whether ``user`` may withdraw it."""
    texts = {version.number: services.paragraphs(version.text) for version in versions}
    texts[proposal.version] = services.paragraphs(proposal.text)
    for amendment in amendments:
        amendment.proposal = proposal
        paragraphs = texts.get(amendment.version, [])
        number = amendment.paragraph
        amendment.quoted = paragraphs[number - 1] if 1 <= number <= len(paragraphs) else ""
        amendment.text_html = render_markdown(amendment.text)
        amendment.rationale_html = render_markdown(amendment.rationale)
        amendment.can_withdraw = (
            in_discussion
            and amendment.status == Amendment.Status.PROPOSED
            and amendment.author_id == user.pk
        )
    return amendments


def _votes(proposal, user, *, can_manage: bool):
    """The proposal's votes (not cancelled; those not yet open for coordinators only) and,
    for each open one, whether ``user`` still has a ballot to cast (two queries)."""
    votes = [
        vote
        for vote in proposal.votes.all()
        if vote.status in (Vote.Status.OPEN, Vote.Status.CLOSED)
        or (can_manage and vote.status == Vote.Status.DRAFT)
    ]
    open_ids = [vote.pk for vote in votes if vote.is_open]
    if open_ids:
        on_roll = set(
            Elector.objects.filter(vote_id__in=open_ids, user_id=user.pk).values_list(
                "vote_id", flat=True
            )
        )
        voted = set(
            Participation.objects.filter(vote_id__in=open_ids, user_id=user.pk).values_list(
                "vote_id", flat=True
            )
        )
    else:
        on_roll = voted = set()
    for vote in votes:
        vote.may_vote = vote.pk in on_roll and vote.pk not in voted
        vote.has_voted = vote.pk in voted
    return votes


def _proposal_page(request, proposal: Proposal, *, status: int = 200, error=None, **forms_given):
    user = request.user
    body = proposal.body
    proposal = (
        Proposal.objects.select_related("body__collective", "body__event__organiser", "resolution")
        .prefetch_related(
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
            Prefetch("amendments", queryset=Amendment.objects.select_related("author", "vote")),
            Prefetch("votes", queryset=Vote.objects.order_by("created_at", "pk")),
            "versions",
        )
        .get(pk=proposal.pk)
    )
    proposal.body = body  # keeps the rules' per-request caches keyed on the same object
    in_discussion = proposal.status == S.DISCUSSION
    can_manage = rules.has_perm("decisions.manage_body", user, body)
    can = {
        "edit": rules.has_perm("decisions.edit_proposal", user, proposal),
        "support": rules.has_perm("decisions.support", user, proposal),
        "comment": rules.has_perm("decisions.comment", user, proposal),
        "amend": rules.has_perm("decisions.amend", user, proposal),
        "withdraw": rules.has_perm("decisions.withdraw_proposal", user, proposal),
        "start_voting": can_manage and in_discussion,
        "manage": can_manage,
    }
    supported = can["support"] and services.has_supported(proposal, user)
    versions = list(proposal.versions.all())
    amendments = _amendment_rows(
        proposal, list(proposal.amendments.all()), versions, user, in_discussion=in_discussion
    )
    proposed = [a for a in amendments if a.status == Amendment.Status.PROPOSED]
    comments = list(proposal.comments.all())
    for comment in comments:
        comment.html = render_markdown(comment.text)
    paragraph_count = len(services.paragraphs(proposal.text))
    context = {
        "proposal": proposal,
        "body": body,
        "urls": body_urls(body),
        "paragraphs": _numbered(proposal.text),
        "rationale_html": render_markdown(proposal.rationale),
        "authors": services.authors(proposal),
        "can": can,
        "supported": supported,
        "comments": comments,
        "amendments": amendments,
        "votes": _votes(proposal, user, can_manage=can_manage),
        "versions": versions,
        "resolution": _resolution_of(proposal),
        "paragraph_count": paragraph_count,
        "error": error,
        "comment_form": forms_given.get("comment_form") or forms.CommentForm(),
        "amendment_form": forms_given.get("amendment_form") or forms.AmendmentForm(),
        "coauthor_form": forms_given.get("coauthor_form") or forms.CoauthorForm(),
    }
    # A form sent back with an error stays on the page even when its action is no longer
    # possible (the proposal moved on meanwhile): what was typed is not lost.
    if can["start_voting"] or "start_form" in forms_given:
        context["start_form"] = forms_given.get("start_form") or forms.StartVotingForm(
            voting_days=body.voting_days, has_amendments=bool(proposed)
        )
    return render(request, "decisions/proposal/detail.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def proposal_detail(request, pk):
    return _proposal_page(request, get_proposal(request.user, pk))


# -- actions ----------------------------------------------------------------------------------
def _refused(request, proposal, error, **forms_given):
    return _proposal_page(request, proposal, status=400, error=str(error), **forms_given)


def _done(request, proposal, message):
    messages.success(request, message)
    return redirect("decisions:proposal", pk=proposal.pk)


@login_required
@require_POST
def coauthors(request, pk):
    proposal = get_proposal(request.user, pk)
    if not _is_author(request.user, proposal):
        raise Http404
    form = forms.CoauthorForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, proposal, _("Give the username of a member here."), coauthor_form=form
        )
    try:
        person = find_person(
            body_people(proposal.body),
            form.cleaned_data["person"],
            not_found=_("Nobody here has this name: co-authors must be members here."),
        )
        services.add_coauthor(proposal, person, by=request.user)
    except DecisionError as error:
        form.add_error("person", str(error))
        return _refused(request, proposal, error, coauthor_form=form)
    return _done(request, proposal, _("%(name)s is now a co-author.") % {"name": person})


@login_required
@require_POST
def submit(request, pk):
    proposal = get_proposal(request.user, pk)
    if not _is_author(request.user, proposal):
        raise Http404
    try:
        services.submit(proposal, by=request.user)
    except DecisionError as error:
        return _refused(request, proposal, error)
    proposal.refresh_from_db(fields=["status"])
    if proposal.status == S.DISCUSSION:
        return _done(request, proposal, _("Submitted. The discussion has started."))
    return _done(
        request,
        proposal,
        _("Submitted. The members here can now see it and support it."),
    )


@login_required
@require_POST
def support(request, pk):
    proposal = get_proposal(request.user, pk)
    try:
        started = services.support(proposal, request.user)
    except DecisionError as error:
        return _refused(request, proposal, error)
    if started:
        return _done(
            request, proposal, _("Thank you for your support. The discussion has started.")
        )
    return _done(request, proposal, _("Thank you for your support."))


@login_required
@require_POST
def withdraw(request, pk):
    proposal = get_proposal(request.user, pk)
    try:
        services.withdraw(proposal, by=request.user)
    except DecisionError as error:
        return _refused(request, proposal, error)
    return _done(request, proposal, _("The proposal was withdrawn."))


@login_required
@require_POST
def comment(request, pk):
    proposal = get_proposal(request.user, pk)
    form = forms.CommentForm(request.POST)
    form.is_valid()
    try:
        services.add_comment(proposal, request.user, form.cleaned_data.get("text", ""))
    except DecisionError as error:
        form.add_error("text", str(error))
        return _refused(request, proposal, error, comment_form=form)
    return _done(request, proposal, _("Your comment was added."))


@login_required
@require_POST
def amend(request, pk):
    proposal = get_proposal(request.user, pk)
    form = forms.AmendmentForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            proposal,
            _("The amendment could not be proposed: see the form below."),
            amendment_form=form,
        )
    try:
        amendment = services.propose_amendment(
            proposal,
            request.user,
            kind=form.cleaned_data["kind"],
            paragraph=form.cleaned_data["paragraph"],
            text=form.cleaned_data["text"],
            rationale=form.cleaned_data["rationale"],
        )
    except DecisionError as error:
        form.add_error(None, str(error))
        return _refused(request, proposal, error, amendment_form=form)
    return _done(
        request,
        proposal,
        _("Amendment %(number)d was proposed.") % {"number": amendment.number},
    )


@privileged_view
@require_POST
def start_voting(request, pk):
    proposal = get_proposal(request.user, pk)
    if not rules.has_perm("decisions.manage_body", request.user, proposal.body):
        raise Http404
    has_amendments = proposal.amendments.filter(status=Amendment.Status.PROPOSED).exists()
    form = forms.StartVotingForm(
        request.POST, voting_days=proposal.body.voting_days, has_amendments=has_amendments
    )
    if not form.is_valid():
        return _refused(
            request,
            proposal,
            _("Voting could not start: see the form below."),
            start_form=form,
        )
    data = form.cleaned_data
    try:
        opened = voting.start_voting(
            proposal,
            by=request.user,
            method=data["method"],
            threshold=data["threshold"],
            quorum=data["quorum"],
            secret=data["secret"],
            closes_at=data["closes_at"],
            amendments_close_at=data.get("amendments_close_at"),
        )
    except DecisionError as error:
        form.add_error(None, str(error))
        return _refused(request, proposal, error, start_form=form)
    if has_amendments:
        message = ngettext(
            "Voting has started: first on the amendment.",
            "Voting has started: first on the %(count)d amendments.",
            len(opened),
        ) % {"count": len(opened)}
    else:
        message = _("Voting has started.")
    return _done(request, proposal, message)


@login_required
@require_POST
def withdraw_amendment(request, pk):
    try:
        amendment = Amendment.objects.select_related("proposal").get(pk=pk)
    except Amendment.DoesNotExist:
        raise Http404 from None
    proposal = get_proposal(request.user, amendment.proposal_id)
    amendment.proposal = proposal
    try:
        services.withdraw_amendment(amendment, by=request.user)
    except DecisionError as error:
        return _refused(request, proposal, error)
    return _done(
        request,
        proposal,
        _("Amendment %(number)d was withdrawn.") % {"number": amendment.number},
    )


urlpatterns = [
    path("decisions/in/<slug:slug>/propose/", propose, name="propose"),
    path("decisions/at/<slug:slug>/propose/", assembly_propose, name="assembly_propose"),
    path("decisions/proposals/<int:pk>/", proposal_detail, name="proposal"),
    path("decisions/proposals/<int:pk>/edit/", edit, name="edit"),
    path("decisions/proposals/<int:pk>/coauthors/", coauthors, name="coauthors"),
    path("decisions/proposals/<int:pk>/submit/", submit, name="submit"),
    path("decisions/proposals/<int:pk>/support/", support, name="support"),
    path("decisions/proposals/<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("decisions/proposals/<int:pk>/comment/", comment, name="comment"),
    path("decisions/proposals/<int:pk>/amend/", amend, name="amend"),
    path("decisions/proposals/<int:pk>/start-voting/", start_voting, name="start_voting"),
    path(
        "decisions/amendments/<int:pk>/withdraw/",
        withdraw_amendment,
        name="withdraw_amendment",
    ),
]
