"""Pages of the network. Thin: authorise (access helpers, rules), call one service, answer.

A refused action (NetworkError) re-renders the page with the message and a 4xx; nothing
typed is lost. Outsiders get 404 for anything they may not know exists.
"""

from __future__ import annotations

import uuid
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidar.accounts.mfa import privileged_view
from solidar.core import countries
from solidar.core.pagecache import cache_for_anonymous
from solidar.network import access, forms, services
from solidar.network import rules as network_rules
from solidar.network.models import SPOKEN_LANGUAGES, Application, Collective, Invitation
from solidar.network.services import NetworkError
from solidar.network.worldmap import cached_map, render_map

LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)


def country_name(code: str) -> str:
    return countries.country_name(code) if code else _("Other places")


def _with_language_names(collectives):
    for collective in collectives:
        collective.language_names = [
            str(LANGUAGE_NAMES[code]) for code in collective.languages if code in LANGUAGE_NAMES
        ]
    return collectives


def _network(user) -> Collective | None:
    return access.visible_collectives(user, kind=Collective.Kind.NETWORK).first()


# -- public pages ----------------------------------------------------------------------------
@require_GET
@cache_for_anonymous
def directory(request):
    visible = _with_language_names(list(access.visible_collectives(request.user)))
    cells = [c for c in visible if c.kind == Collective.Kind.CELL]
    cells.sort(key=lambda c: (country_name(c.country), c.city, c.name))
    countries = [
        (name, list(group)) for name, group in groupby(cells, key=lambda c: country_name(c.country))
    ]
    context = {
        "countries": countries,
        "groups": [
            c for c in visible if c.kind == Collective.Kind.WORKING_GROUP and c.parent_id is None
        ],
        "network": next((c for c in visible if c.kind == Collective.Kind.NETWORK), None),
    }
    return render(request, "network/directory.html", context)


@require_GET
@cache_control(public=True, max_age=3600)
def map_svg(request):
    # Everyone gets the same picture: public cells only, whoever asks.
    def render():
        cells = access.visible_collectives(AnonymousUser(), kind=Collective.Kind.CELL)
        return render_map(list(cells), label=_("Map of the cities of the network"))

    svg = cached_map(get_language(), render)
    return HttpResponse(svg, content_type="image/svg+xml")


def _collective_page(request, collective, *, status=200, **extra):
    user = request.user
    children = access.visible_collectives(user, kind=Collective.Kind.WORKING_GROUP)
    if collective.kind == Collective.Kind.NETWORK:
        children = children.filter(parent__isnull=True)
    else:
        children = children.filter(parent=collective)
    pending = None
    if user.is_authenticated:
        pending = access.my_applications(user).filter(
            collective=collective, status=Application.Status.PENDING
        )
        pending = pending.first()
    context = {
        "collective": _with_language_names([collective])[0],
        "country": country_name(collective.country) if collective.country else "",
        "children": _with_language_names(list(children)),
        "membership": access.my_membership(user, collective),
        "pending_application": pending,
        "leave_form": forms.ConfirmForm(
            label=_("Yes, I want to leave. My shared contact handles here are deleted.")
        ),
    }
    context.update(extra)
    return render(request, "network/collective.html", context, status=status)


@require_GET
def collective(request, slug):
    return _collective_page(request, access.get_collective_for_viewer(request.user, slug))


# -- members ---------------------------------------------------------------------------------
MEMBERS_PER_PAGE = 50  # a cell of 5,000 on one page: 1.5 MB of HTML and 0.7 s of CPU


@require_GET
def members(request, slug):
    collective = access.get_collective_for_member(request.user, slug)
    page = access.members_page(collective, request.GET.get("page"), per_page=MEMBERS_PER_PAGE)
    context = {
        "collective": collective,
        "memberships": access.with_shared_contacts(page.object_list),
        "page": page,
        "membership": access.my_membership(request.user, collective),
    }
    return render(request, "network/members.html", context)


@require_http_methods(["GET", "POST"])
def contacts(request, slug):
    collective = access.get_collective_for_member(request.user, slug)
    membership = access.my_membership(request.user, collective)
    if membership is None or not request.user.has_perm("network.share_contacts", collective):
        raise Http404  # an instance admin who is not a member has nothing to share here
    initial = forms.ContactsForm.initial_for(membership)
    form = forms.ContactsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.set_contacts(membership, form.handles(), by=request.user)
            messages.success(request, _("Your contact handles for this group were saved."))
            return redirect("network:members", slug=collective.slug)
        status = 400
    context = {"collective": collective, "form": form}
    return render(request, "network/contacts.html", context, status=status)


# -- applying, joining, leaving ----------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    collective = access.get_collective_for_viewer(request.user, slug)
    pending = (
        access.my_applications(request.user)
        .filter(collective=collective, status=Application.Status.PENDING)
        .first()
    )
    if pending is not None or not request.user.has_perm("network.apply", collective):
        context = {"collective": collective, "pending_application": pending}
        status = 409 if request.method == "POST" else 200
        return render(request, "network/apply_closed.html", context, status=status)
    form = forms.ApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                application = services.submit_application(
                    collective, request.user, **form.cleaned_data
                )
            except NetworkError as error:
                form.add_error(None, error.message)
                status = 409
            else:
                messages.success(request, _("Thank you. Your application was sent."))
                return redirect("network:application", application_id=application.pk)
    context = {"collective": collective, "form": form}
    return render(request, "network/apply.html", context, status=status)


@require_POST
def join(request, slug):
    collective = access.get_collective_for_viewer(request.user, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("network:collective", args=[slug]))
    try:
        services.join(collective, request.user)
    except NetworkError as error:
        return _collective_page(request, collective, status=409, error=error.message)
    messages.success(request, _("You joined %(name)s.") % {"name": collective.name})
    return redirect("network:collective", slug=collective.slug)


@require_POST
def leave(request, slug):
    collective = access.get_collective_for_viewer(request.user, slug)
    membership = access.my_membership(request.user, collective)
    if membership is None:
        return _collective_page(
            request, collective, status=409, error=_("You are not a member here.")
        )
    form = forms.ConfirmForm(request.POST)
    if not form.is_valid():
        return _collective_page(request, collective, status=400, leave_form=form)
    try:
        services.leave(membership, by=request.user)
    except NetworkError as error:
        return _collective_page(request, collective, status=409, error=error.message)
    messages.success(request, _("You left %(name)s.") % {"name": collective.name})
    return redirect("network:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def leave_network(request):
    form = forms.ConfirmForm(
        request.POST or None,
        label=_("Yes, end all my memberships and delete the handles I shared."),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            count = services.leave_network(request.user)
            network_rules.forget_memberships(request.user)
            messages.success(
                request,
                ngettext(
                    "You left the network. %(count)d membership ended.",
                    "You left the network. %(count)d memberships ended.",
                    count,
                )
                % {"count": count},
            )
            return redirect("network:dashboard")
        status = 400
    memberships = access.my_collectives(request.user)
    context = {"form": form, "memberships": memberships}
    return render(request, "network/leave_network.html", context, status=status)


# -- coordinators ------------------------------------------------------------------------------
def _open_invitations(collective):
    return Invitation.objects.filter(
        collective=collective,
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("created_by")


def _manage_page(request, collective, *, status=200, **extra):
    pending = list(
        access.pending_applications_for_coordinator(request.user).filter(collective=collective)
    )
    for application in pending:
        application.needed = services.vouches_needed(application)
    context = {
        "collective": collective,
        "pending": pending,
        "page": access.members_page(collective, request.GET.get("page"), per_page=MEMBERS_PER_PAGE),
        "invitations": _open_invitations(collective),
        "invitation_form": forms.InvitationForm(),
        "settings_form": forms.SettingsForm(collective=collective),
        "actions": forms.MemberActionForm.ACTIONS,
    }
    context.update(extra)
    return render(request, "network/manage.html", context, status=status)


@privileged_view
@require_GET
def manage(request, slug):
    return _manage_page(request, access.get_collective_for_coordinator(request.user, slug))


@require_POST
@privileged_view
def manage_settings(request, slug):
    collective = access.get_collective_for_coordinator(request.user, slug)
    form = forms.SettingsForm(request.POST, collective=collective)
    if not form.is_valid():
        return _manage_page(request, collective, status=400, settings_form=form)
    try:
        services.update_collective_settings(
            collective,
            by=request.user,
            vouches_required=form.cleaned_data["vouches_required"],
            join_policy=form.cleaned_data.get("join_policy") or None,
        )
    except NetworkError as error:
        form.add_error(None, error.message)
        return _manage_page(request, collective, status=400, settings_form=form)
    messages.success(request, _("The settings were saved."))
    return redirect("network:manage", slug=collective.slug)


MEMBER_ACTIONS = {
    "make_coordinator": lambda m, by: services.set_role(m, "coordinator", by=by),
    "make_member": lambda m, by: services.set_role(m, "member", by=by),
    "suspend": lambda m, by: services.suspend_member(m, by=by),
    "reinstate": lambda m, by: services.reinstate_member(m, by=by),
    "remove": lambda m, by: services.remove_member(m, by=by),
}


@require_POST
@privileged_view
def manage_member(request, slug, membership_id):
    collective = access.get_collective_for_coordinator(request.user, slug)
    membership = access.get_membership_in(collective, membership_id)
    form = forms.MemberActionForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, collective, status=400, error=_("Choose an action."))
    try:
        MEMBER_ACTIONS[form.cleaned_data["action"]](membership, request.user)
    except NetworkError as error:
        return _manage_page(request, collective, status=409, error=error.message)
    messages.success(request, _("Done: %(name)s.") % {"name": membership.user.display_name})
    network_rules.forget_memberships(request.user)  # they may have changed their own role
    if not request.user.has_perm("network.manage_collective", collective):
        return redirect("network:collective", slug=collective.slug)
    return redirect("network:manage", slug=collective.slug)


@require_http_methods(["GET", "POST"])
@privileged_view
def invite(request, slug):
    collective = access.get_collective_for_coordinator(request.user, slug)
    if request.method == "GET":
        return redirect("network:manage", slug=collective.slug)
    if "revoke" in request.POST:
        try:
            invitation_id = uuid.UUID(request.POST["revoke"])
        except ValueError:
            invitation_id = None
        invitation = _open_invitations(collective).filter(pk=invitation_id).first()
        if invitation is None:
            return _manage_page(
                request, collective, status=409, error=_("This invitation is no longer open.")
            )
        services.revoke_invitation(invitation, by=request.user)
        messages.success(request, _("The invitation was revoked."))
        return redirect("network:manage", slug=collective.slug)
    form = forms.InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation, token = services.create_invitation(
                collective, form.cleaned_data["email"], by=request.user
            )
        except NetworkError as error:
            form.add_error("email", error.message)
        else:
            url = settings.SOLIDAR_SITE_URL + reverse("network:accept_invitation", args=[token])
            context = {"collective": collective, "invitation": invitation, "url": url}
            return render(request, "network/invitation_created.html", context)
    return _manage_page(request, collective, status=400, invitation_form=form)


@require_http_methods(["GET", "POST"])
@privileged_view
def appoint(request, slug):
    collective = access.get_collective_for_appointer(request.user, slug)
    form = forms.AppointForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            person = form.cleaned_data["who"]
            coordinator = form.cleaned_data["role"] == "coordinator"
            change = services.appoint_coordinator if coordinator else services.add_member
            try:
                change(collective, person, by=request.user)
            except NetworkError as error:
                form.add_error("who", error.message)
                status = 409
            else:
                done = (
                    _("%(name)s is now a coordinator.")
                    if coordinator
                    else _("%(name)s is now a member.")
                )
                messages.success(request, done % {"name": person.display_name})
                return redirect("network:collective", slug=collective.slug)
    context = {"collective": collective, "form": form}
    return render(request, "network/appoint.html", context, status=status)


@require_http_methods(["GET", "POST"])
@privileged_view
def create_collective(request):
    if not request.user.has_perm("network.create_collective"):
        raise Http404
    form = forms.CollectiveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                collective = services.create_collective(by=request.user, **form.service_arguments())
            except NetworkError as error:
                form.add_error("slug", error.message)
                status = 409
            else:
                messages.success(request, _("Created. Now appoint its first coordinator."))
                return redirect("network:appoint", slug=collective.slug)
    return render(request, "network/create_collective.html", {"form": form}, status=status)


# -- member's own pages ------------------------------------------------------------------------
@login_required
@require_GET
def dashboard(request):
    user = request.user
    todos = list(access.pending_applications_for_coordinator(user))
    for application in todos:
        application.needed = services.vouches_needed(application)
    memberships = access.my_collectives(user)
    collectives = {m.collective_id: m.collective for m in memberships}
    cells = [m for m in memberships if m.collective.kind != Collective.Kind.WORKING_GROUP]
    context = {
        "cells": cells,
        "groups": [m for m in memberships if m.collective.kind == Collective.Kind.WORKING_GROUP],
        "todos": todos,
        "to_answer": access.applications_to_answer(user, collectives),
        "applications": access.my_applications(user)[:10],
        "network": None if cells else _network(user),  # offered to people in no cell only
    }
    return render(request, "network/dashboard.html", context)


@login_required
@require_GET
def my_applications(request):
    context = {"applications": access.my_applications(request.user)}
    return render(request, "network/my_applications.html", context)


def _application_page(request, application, *, status=200, **extra):
    user = request.user
    context = {
        "application": application,
        "collective": application.collective,
        "vouches": access.vouches_for(application, user),
        "my_answer": application.vouches.filter(voucher=user).first(),
        "needed": services.vouches_needed(application),
        "vouch_form": forms.VouchForm(),
        "decline_form": forms.DeclineForm(),
        "language_names": [str(LANGUAGE_NAMES.get(c, c)) for c in application.languages],
        "programme_points": [
            label for key, label in forms.PROGRAMME_POINTS if key in application.programme_points
        ],
    }
    context.update(extra)
    return render(request, "network/application.html", context, status=status)


def _decide(request, application):
    """One POSTed action on an application: (service call, form to re-show on error)."""
    action = request.POST.get("action")
    user = request.user
    if action == "withdraw":
        return lambda: services.withdraw(application, by=user), {}
    if action == "admit":
        return lambda: services.admit(application, by=user), {}
    if action == "vouch":
        form = forms.VouchForm(request.POST)
        if not form.is_valid():
            return None, {"vouch_form": form}
        data = form.cleaned_data
        return (
            lambda: services.add_vouch(application, user, kind=data["kind"], note=data["note"]),
            {"vouch_form": form},
        )
    if action == "decline":
        form = forms.DeclineForm(request.POST)
        if not form.is_valid():
            return None, {"decline_form": form}
        reason = form.cleaned_data["reason"]
        return lambda: services.decline(application, by=user, reason=reason), {"decline_form": form}
    return None, {"error": _("Choose an action.")}


@login_required
@require_http_methods(["GET", "POST"])
def application(request, application_id):
    application = access.get_application_for_viewer(request.user, application_id)
    if request.method == "GET":
        return _application_page(request, application)
    change, extra = _decide(request, application)
    if change is None:
        return _application_page(request, application, status=400, **extra)
    try:
        change()
    except NetworkError as error:
        application.refresh_from_db()
        return _application_page(request, application, status=409, error=error.message, **extra)
    messages.success(request, _("Saved."))
    if not request.user.has_perm("network.view_application", application):
        return redirect("network:dashboard")
    return redirect("network:application", application_id=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    try:
        invitation = services.find_invitation(token)
    except NetworkError as error:
        return render(request, "network/invitation.html", {"error": error.message}, status=410)
    context = {"invitation": invitation, "collective": invitation.collective}
    if request.method == "POST":
        try:
            membership = services.accept_invitation(token, request.user)
        except NetworkError as error:
            context["error"] = error.message
            return render(request, "network/invitation.html", context, status=400)
        network_rules.forget_memberships(request.user)
        messages.success(request, _("Welcome! You are now a member."))
        return redirect("network:collective", slug=membership.collective.slug)
    return render(request, "network/invitation.html", context)
