"""Decisions: the member's overview, a body's page, its rules and an assembly's delegates.

A body is found by its collective's slug ("in") or its event's slug ("at"). Anyone who may
not see it gets 404, as for a hidden cell: nobody learns by probing that it exists.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from solidar.accounts.mfa import privileged_view
from solidar.decisions import forms_proposals as forms
from solidar.decisions import services, voting
from solidar.decisions.models import (
    Author,
    Body,
    Delegate,
    Proposal,
    Resolution,
    Support,
    Vote,
)
from solidar.decisions.services import DecisionError
from solidar.network import rules as network_rules
from solidar.network.models import Collective, Membership

S = Proposal.Status
RECENT = 20  # decided proposals, closed votes and resolutions shown on a body's page


# -- finding a body ---------------------------------------------------------------------------
def _collective_body(user, slug: str, permission: str) -> Body:
    try:
        collective = Collective.objects.select_related("parent").get(slug=slug, is_active=True)
    except Collective.DoesNotExist:
        raise Http404 from None
    # The question needs only the collective: no row is written for someone refused.
    if not rules.has_perm(permission, user, Body(collective=collective)):
        raise Http404
    return services.body_for_collective(collective)


def _event_body(user, slug: str, permission: str) -> Body:
    from solidar.events import access as event_access

    event = event_access.get_event_for_viewer(user, slug)
    body = services.body_for_event(event)
    if not rules.has_perm(permission, user, body):
        raise Http404
    return body


def get_body(user, slug: str, *, assembly: bool, permission: str = "decisions.view_body") -> Body:
    """The body of the collective (or with ``assembly`` the event) ``slug`` if ``user`` has
    ``permission`` on it; 404 otherwise."""
    return (_event_body if assembly else _collective_body)(user, slug, permission)


def body_url_args(body: Body) -> tuple[str, str]:
    """(URL name prefix, slug): "" and the collective's slug, or "assembly_" and the event's."""
    if body.is_assembly:
        return "assembly_", body.event.slug
    return "", body.collective.slug


def body_page(body: Body) -> str:
    if body.is_assembly:
        return reverse("decisions:assembly", args=[body.event.slug])
    return reverse("decisions:body", args=[body.collective.slug])


def body_urls(body: Body) -> dict[str, str | None]:
    """The links of a body's pages by purpose (None: a page not (yet) routed)."""
    prefix, slug = body_url_args(body)
    names = {
        "page": "assembly" if body.is_assembly else "body",
        "propose": f"{prefix}propose",
        "rules": f"{prefix}rules",
        "new_vote": f"{prefix}new_vote",
    }
    urls = {key: _maybe_reverse(f"decisions:{name}", slug) for key, name in names.items()}
    urls["delegates"] = _maybe_reverse("decisions:delegates", slug) if body.is_assembly else None
    return urls


def _maybe_reverse(name: str, *args) -> str | None:
    # The vote pages are another module's: until they are routed, no link.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# -- the overview -----------------------------------------------------------------------------
def _assemblies_of(user) -> list[Body]:
    """Existing assemblies where ``user`` is a delegate, registered, or a member of the
    organisers (of events not yet long past)."""
    from solidar.events.models import Registration

    collective_ids = [
        cid
        for cid, m in network_rules.current_memberships(user).items()
        if m.status == Membership.Status.ACTIVE
    ]
    registered = Registration.objects.filter(
        event_id=OuterRef("event_id"), user_id=user.pk, status=Registration.Status.REGISTERED
    )
    delegate = Delegate.objects.filter(body_id=OuterRef("pk"), user_id=user.pk)
    return list(
        Body.objects.filter(event__isnull=False)
        .filter(Q(event__organiser_id__in=collective_ids) | Exists(registered) | Exists(delegate))
        .select_related("event__organiser")
        .order_by("-event__starts_at", "pk")[:RECENT]
    )


@login_required
@require_GET
def index(request):
    user = request.user
    bodies = services.bodies_of(user) + _assemblies_of(user)
    by_id = {body.pk: body for body in bodies}
    for body in bodies:
        body.page_url = body_page(body)
    open_votes = voting.open_votes_for(user)
    proposals = list(
        Proposal.objects.filter(body_id__in=by_id, status__in=[S.SUPPORT, S.DISCUSSION])
        .annotate(
            mine=Exists(Author.objects.filter(proposal_id=OuterRef("pk"), user_id=user.pk)),
            supported=Exists(Support.objects.filter(proposal_id=OuterRef("pk"), user_id=user.pk)),
        )
        .order_by("discussion_ends_at", "-submitted_at", "-pk")
    )
    for proposal in proposals:
        proposal.body = by_id[proposal.body_id]
    resolutions = list(
        Resolution.objects.filter(body_id__in=by_id).order_by("-adopted_on", "-pk")[:10]
    )
    for resolution in resolutions:
        resolution.body = by_id[resolution.body_id]
    context = {
        "bodies": bodies,
        "open_votes": open_votes,
        "seeking_support": [
            p for p in proposals if p.status == S.SUPPORT and not p.mine and not p.supported
        ],
        "in_discussion": [p for p in proposals if p.status == S.DISCUSSION],
        "resolutions": resolutions,
    }
    return render(request, "decisions/body/index.html", context)


# -- a body's page ----------------------------------------------------------------------------
STATUS_ORDER = [S.DRAFT, S.SUPPORT, S.DISCUSSION, S.VOTING, S.ADOPTED, S.REJECTED, S.WITHDRAWN]


def _body_page(request, body: Body):
    user = request.user
    can_manage = rules.has_perm("decisions.manage_body", user, body)
    proposals = services.proposals_for(body, user, decided=RECENT)
    groups = []
    for status in STATUS_ORDER:
        items = [p for p in proposals if p.status == status]
        if items:
            groups.append((status, S(status).label, items))
    votes = Vote.objects.filter(body=body).order_by("closes_at", "pk")
    open_votes = list(votes.filter(status=Vote.Status.OPEN))
    upcoming = list(votes.filter(status=Vote.Status.DRAFT)) if can_manage else []
    closed = list(
        Vote.objects.filter(body=body, status=Vote.Status.CLOSED).order_by("-closed_at", "-pk")[
            :RECENT
        ]
    )
    resolutions = list(Resolution.objects.filter(body=body).order_by("-adopted_on", "-pk")[:RECENT])
    context = {
        "body": body,
        "urls": body_urls(body),
        "groups": groups,
        "open_votes": open_votes,
        "upcoming_votes": upcoming,
        "closed_votes": closed,
        "resolutions": resolutions,
        "can_manage": can_manage,
        "can_propose": rules.has_perm("decisions.propose", user, body),
    }
    return render(request, "decisions/body/detail.html", context)


@login_required
@require_GET
def body_detail(request, slug):
    return _body_page(request, get_body(request.user, slug, assembly=False))


@login_required
@require_GET
def assembly(request, slug):
    return _body_page(request, get_body(request.user, slug, assembly=True))


# -- rules ------------------------------------------------------------------------------------
def _rules(request, slug, *, assembly: bool):
    body = get_body(request.user, slug, assembly=assembly, permission="decisions.manage_body")
    initial = {
        "supporters_needed": body.supporters_needed,
        "cooling_off_days": body.cooling_off_days,
        "discussion_days": body.discussion_days,
        "voting_days": body.voting_days,
    }
    form = forms.RulesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_rules(body, by=request.user, **form.cleaned_data)
            except DecisionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The rules were saved."))
                return redirect(body_page(body))
    context = {"body": body, "form": form, "urls": body_urls(body)}
    return render(request, "decisions/body/rules.html", context, status=status)


@privileged_view
@require_http_methods(["GET", "POST"])
def body_rules(request, slug):
    return _rules(request, slug, assembly=False)


@privileged_view
@require_http_methods(["GET", "POST"])
def assembly_rules(request, slug):
    return _rules(request, slug, assembly=True)


# -- delegates --------------------------------------------------------------------------------
def eligible_delegates(body: Body):
    """Who may be made a delegate: registered for the event with an account, or a current
    active member of the organising collective."""
    from solidar.events.models import Registration

    registered = Registration.objects.filter(
        event_id=body.event_id, status=Registration.Status.REGISTERED
    ).values("user_id")
    scope = Q(pk__in=registered)
    if body.event.organiser_id:
        scope |= Q(
            pk__in=Membership.objects.filter(
                collective_id=body.event.organiser_id,
                ended_at__isnull=True,
                status=Membership.Status.ACTIVE,
            ).values("user_id")
        )
    return get_user_model().objects.filter(scope, is_active=True)


def find_person(people, text: str, *, not_found):
    """The one person in ``people`` with this username or display name (case ignored)."""
    text = " ".join((text or "").split())
    if not text:
        raise DecisionError(not_found)
    found = list(people.filter(username__iexact=text)[:1])
    if not found:
        found = list(people.filter(display_name__iexact=text)[:2])
    if not found:
        raise DecisionError(not_found)
    if len(found) > 1:
        raise DecisionError(_("Several people have this name: give the username instead."))
    return found[0]


def _delegates_page(request, body, *, form=None, status=200):
    delegates = list(
        Delegate.objects.filter(body=body)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )
    context = {
        "body": body,
        "delegates": delegates,
        "total_weight": sum(d.weight for d in delegates),
        "urls": body_urls(body),
        "form": form or forms.DelegateForm(),
    }
    return render(request, "decisions/body/delegates.html", context, status=status)


@privileged_view
@require_http_methods(["GET", "POST"])
def delegates(request, slug):
    body = get_body(request.user, slug, assembly=True, permission="decisions.manage_body")
    if request.method == "GET":
        return _delegates_page(request, body)
    if "remove" in request.POST:
        remove = forms.RemoveDelegateForm({"user": request.POST.get("remove")})
        delegate = None
        if remove.is_valid():
            delegate = (
                Delegate.objects.filter(body=body, user_id=remove.cleaned_data["user"])
                .select_related("user")
                .first()
            )
        if delegate is None:
            messages.error(request, _("This person is not a delegate."))
            return _delegates_page(request, body, status=400)
        services.set_delegate(body, delegate.user, weight=0, by=request.user)
        messages.success(request, _("%(name)s is no longer a delegate.") % {"name": delegate.user})
        return redirect("decisions:delegates", slug=slug)
    form = forms.DelegateForm(request.POST)
    if form.is_valid():
        try:
            person = find_person(
                eligible_delegates(body),
                form.cleaned_data["person"],
                not_found=_(
                    "Nobody registered for the event or in the organising group has this name."
                ),
            )
            services.set_delegate(
                body,
                person,
                weight=form.cleaned_data["weight"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except DecisionError as error:
            form.add_error("person", str(error))
        else:
            messages.success(
                request,
                _("%(name)s is a delegate with a weight of %(weight)d.")
                % {"name": person, "weight": form.cleaned_data["weight"]},
            )
            return redirect("decisions:delegates", slug=slug)
    return _delegates_page(request, body, form=form, status=400)


urlpatterns = [
    path("decisions/", index, name="index"),
    path("decisions/in/<slug:slug>/", body_detail, name="body"),
    path("decisions/at/<slug:slug>/", assembly, name="assembly"),
    path("decisions/in/<slug:slug>/rules/", body_rules, name="rules"),
    path("decisions/at/<slug:slug>/rules/", assembly_rules, name="assembly_rules"),
    path("decisions/at/<slug:slug>/delegates/", delegates, name="delegates"),
]
