"""The organisers' pages: create and edit an event, its programme, its registration
questions and its invitations; publish it or call it off.

Every page is privileged (MFA) and answers 404 to anyone who does not organise the event.
Thin: parse the form, call one service, show the result. A refused action (EventError)
re-renders the page with the message and a 4xx; nothing typed is lost.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidar.accounts.mfa import privileged_view
from solidar.events import access, services
from solidar.events import rules as event_rules
from solidar.events.models import Event, Question, Registration, Session
from solidar.events.organise_forms import EventForm, InviteForm, QuestionForm, SessionForm
from solidar.events.services import EventError
from solidar.network import rules as network_rules
from solidar.network.models import SPOKEN_LANGUAGES, Membership

PAST_PER_PAGE = 50
LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)
S = Registration.Status
# The people told when an event is called off (as services.cancel_event counts them).
TOLD_ON_CANCEL = (S.PENDING, S.REGISTERED, S.WAITING, S.OFFERED)


# -- the overview ------------------------------------------------------------------------------
@privileged_view
@require_GET
def overview(request):
    if not request.user.has_perm("events.create_event"):
        raise Http404
    events = access.organised_events(request.user).annotate(
        pending_count=Count("registrations", filter=Q(registrations__status=S.PENDING))
    )
    past = Paginator(access.past(events), PAST_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "upcoming": list(access.upcoming(events)),
        "past": past,
    }
    return render(request, "events/organise_overview.html", context)


# -- the event ---------------------------------------------------------------------------------
def _event_form_page(request, form, *, event=None, status=200, error=None):
    context = {"form": form, "event": event, "error": error}
    return render(request, "events/organise_event_form.html", context, status=status)


@privileged_view
@require_http_methods(["GET", "POST"])
def create(request):
    if not request.user.has_perm("events.create_event"):
        raise Http404
    organisers = access.organiser_choices(request.user)
    if not organisers:
        raise Http404
    form = EventForm(request.POST or None, organisers=organisers)
    if request.method == "GET":
        return _event_form_page(request, form)
    if form.is_valid():
        publish = form.cleaned_data.get("publish_now")
        try:
            event = services.create_event(
                by=request.user,
                organiser=form.chosen_organiser(),
                status=Event.Status.PUBLISHED if publish else Event.Status.DRAFT,
                **form.service_arguments(),
            )
        except EventError as error:
            form.add_error(None, error.message)
        else:
            if publish:
                messages.success(request, _("The event was created and published."))
            else:
                messages.success(
                    request,
                    _("The event was saved as a draft. Only organisers see it until you publish."),
                )
            if event.kind == Event.Kind.FORUM:
                return redirect("events:programme", slug=event.slug)
            return redirect("events:detail", slug=event.slug)
    return _event_form_page(request, form, status=400)


@privileged_view
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    event = access.get_event_for_organiser(request.user, slug)
    form = EventForm(request.POST or None, organisers=[event.organiser], event=event)
    if request.method == "GET":
        return _event_form_page(request, form, event=event)
    if form.is_valid():
        try:
            services.update_event(event, by=request.user, **form.service_arguments())
        except EventError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("events:detail", slug=event.slug)
    return _event_form_page(request, form, event=event, status=400)


@require_POST
@privileged_view
def publish(request, slug):
    event = access.get_event_for_organiser(request.user, slug)
    try:
        services.publish_event(event, by=request.user)
    except EventError as error:
        form = EventForm(organisers=[event.organiser], event=event)
        return _event_form_page(request, form, event=event, status=409, error=error.message)
    messages.success(request, _("The event is published."))
    return redirect("events:detail", slug=event.slug)


@privileged_view
@require_http_methods(["GET", "POST"])
def cancel(request, slug):
    event = access.get_event_for_organiser(request.user, slug)
    error = None
    if request.method == "POST":
        try:
            told = services.cancel_event(event, by=request.user)
        except EventError as refused:
            error = refused.message
        else:
            messages.success(
                request,
                ngettext(
                    "The event is cancelled. %(count)d person was told by e-mail.",
                    "The event is cancelled. %(count)d people were told by e-mail.",
                    told,
                )
                % {"count": told},
            )
            return redirect("events:organise")
    context = {
        "event": event,
        "error": error,
        "to_tell": event.registrations.filter(status__in=TOLD_ON_CANCEL).count(),
    }
    return render(request, "events/organise_cancel.html", context, status=409 if error else 200)


# -- the programme -----------------------------------------------------------------------------
def _programme_page(request, event, form, *, status=200):
    sessions = list(event.sessions.all())
    for session in sessions:
        session.language_names = [str(LANGUAGE_NAMES.get(c, c)) for c in session.languages]
    days = [
        (day, list(group))
        for day, group in groupby(sessions, key=lambda s: s.starts_at.astimezone(event.zone).date())
    ]
    context = {"event": event, "days": days, "form": form, "count": len(sessions)}
    return render(request, "events/organise_programme.html", context, status=status)


def _save_session(request, event, form, session=None) -> bool:
    """Save a valid form through the service; False (with the message on the form) if not."""
    if not form.is_valid():
        return False
    try:
        services.save_session(event, by=request.user, session=session, **form.service_arguments())
    except EventError as error:
        form.add_error(None, error.message)
        return False
    return True


@privileged_view
@require_http_methods(["GET", "POST"])
def programme(request, slug):
    event = access.get_event_for_organiser(request.user, slug)
    form = SessionForm(request.POST or None, event=event)
    if request.method == "GET":
        return _programme_page(request, event, form)
    if _save_session(request, event, form):
        messages.success(request, _("The session was added to the programme."))
        return redirect("events:programme", slug=event.slug)
    return _programme_page(request, event, form, status=400)


def _session_in(event, session_id) -> Session:
    return get_object_or_404(Session, pk=session_id, event=event)


@privileged_view
@require_http_methods(["GET", "POST"])
def session_edit(request, slug, session_id):
    event = access.get_event_for_organiser(request.user, slug)
    session = _session_in(event, session_id)
    form = SessionForm(request.POST or None, event=event, session=session)
    if request.method == "POST":
        if _save_session(request, event, form, session):
            messages.success(request, _("The session was saved."))
            return redirect("events:programme", slug=event.slug)
        status = 400
    else:
        status = 200
    context = {"event": event, "session": session, "form": form}
    return render(request, "events/organise_session_form.html", context, status=status)


@require_POST
@privileged_view
def session_delete(request, slug, session_id):
    event = access.get_event_for_organiser(request.user, slug)
    session = _session_in(event, session_id)
    services.delete_session(session, by=request.user)
    messages.success(request, _("The session was removed from the programme."))
    return redirect("events:programme", slug=event.slug)


# -- registration questions --------------------------------------------------------------------
def _questions_page(request, event, form, *, status=200):
    context = {
        "event": event,
        "questions": list(event.questions.all()),
        "form": form,
        "answered": event.registrations.exists(),
    }
    return render(request, "events/organise_questions.html", context, status=status)


def _save_question(request, event, form, question=None) -> bool:
    if not form.is_valid():
        return False
    try:
        services.save_question(
            event, by=request.user, question=question, **form.service_arguments()
        )
    except EventError as error:
        form.add_error(None, error.message)
        return False
    return True


@privileged_view
@require_http_methods(["GET", "POST"])
def questions(request, slug):
    event = access.get_event_for_organiser(request.user, slug)
    if request.method == "POST" and "standard" in request.POST:
        made = services.add_standard_questions(event, by=request.user)
        if made:
            messages.success(
                request,
                ngettext(
                    "%(count)d standard question was added.",
                    "%(count)d standard questions were added.",
                    len(made),
                )
                % {"count": len(made)},
            )
        else:
            messages.info(request, _("The standard questions are there already."))
        return redirect("events:questions", slug=event.slug)
    form = QuestionForm(request.POST or None)
    if request.method == "GET":
        return _questions_page(request, event, form)
    if _save_question(request, event, form):
        messages.success(request, _("The question was added."))
        return redirect("events:questions", slug=event.slug)
    return _questions_page(request, event, form, status=400)


def _question_in(event, question_id) -> Question:
    return get_object_or_404(Question, pk=question_id, event=event)


@privileged_view
@require_http_methods(["GET", "POST"])
def question_edit(request, slug, question_id):
    event = access.get_event_for_organiser(request.user, slug)
    question = _question_in(event, question_id)
    form = QuestionForm(request.POST or None, question=question)
    status = 200
    if request.method == "POST":
        if _save_question(request, event, form, question):
            messages.success(request, _("The question was saved."))
            return redirect("events:questions", slug=event.slug)
        status = 400
    context = {
        "event": event,
        "question": question,
        "form": form,
        "answered": event.registrations.exists(),
    }
    return render(request, "events/organise_question_form.html", context, status=status)


@require_POST
@privileged_view
def question_delete(request, slug, question_id):
    event = access.get_event_for_organiser(request.user, slug)
    question = _question_in(event, question_id)
    services.delete_question(question, by=request.user)
    messages.success(request, _("The question was removed."))
    return redirect("events:questions", slug=event.slug)


# -- invitations -------------------------------------------------------------------------------
def _invitable_collectives(user) -> list[int] | None:
    """Whose members the user may invite: anyone's for a network organiser (None), else the
    members of the collectives they coordinate."""
    if event_rules.is_network_organiser(user):
        return None
    return [
        collective_id
        for collective_id, m in network_rules.current_memberships(user).items()
        if m.is_coordinator and m.status == Membership.Status.ACTIVE
    ]


@privileged_view
@require_http_methods(["GET", "POST"])
def invitations(request, slug):
    event = access.get_event_for_organiser(request.user, slug)
    invitation_only = event.visibility == Event.Visibility.INVITATION
    form = InviteForm(request.POST or None, collective_ids=_invitable_collectives(request.user))
    status = 200
    error = None
    if request.method == "POST":
        status = 400
        if not invitation_only:
            error = _("Only an invitation-only event takes invitations.")
            status = 409
        elif form.is_valid():
            person = form.cleaned_data["who"]
            try:
                services.invite_member(event, person, by=request.user)
            except EventError as refusal:
                form.add_error("who", refusal.message)
            else:
                messages.success(request, _("%(name)s is invited.") % {"name": person})
                return redirect("events:invitations", slug=event.slug)
    context = {
        "event": event,
        "invitation_only": invitation_only,
        "invited": event.invitations.select_related("user", "created_by").order_by(
            "created_at", "pk"
        ),
        "form": form,
        "error": error,
    }
    return render(request, "events/organise_invitations.html", context, status=status)
