"""Events for readers, members and guests. Thin: authorise (access, rules), call one
service, answer.

A refused action (EventError) re-renders the page with the message: 409 for a state
conflict (already registered, registration closed, offer expired), 400 for a form that
does not parse. Outsiders get 404 for events they may not see. Guests are never told
whether an address is registered already (THREATS: who goes to an event).
"""

from __future__ import annotations

import functools
from itertools import groupby

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidar.core import pagecache
from solidar.core.pagecache import cache_for_anonymous
from solidar.events import access, services
from solidar.events.forms import RegistrationForm
from solidar.events.models import Event, Registration
from solidar.events.services import EventError
from solidar.network.models import SPOKEN_LANGUAGES

PER_PAGE = 20
LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)
S = Registration.Status

# Guests register without an account: per (pseudonymous) client address, generous for
# people sharing a Tor exit; per e-mail address strict, so nobody's inbox is flooded.
GUEST_RATES = {
    "guest_register": "20/m/ip,200/h/ip",
    "guest_address": "3/10m/key",
}


def _language_names(codes) -> list[str]:
    return [str(LANGUAGE_NAMES.get(code, code)) for code in codes]


def _places(event: Event) -> str | None:
    """'open', 'waiting' (full, the queue takes more), 'full', or None (no limit)."""
    if event.capacity is None:
        return None
    if event.places_left and not event.waiting_count:
        return "open"
    if services.registration_refusal(event) is None:
        return "waiting"
    return "full"


def _decorate(event: Event) -> Event:
    event.language_names = _language_names(event.languages)
    event.interpretation_names = _language_names(event.interpretation)
    event.places_state = _places(event)
    return event


def _list_page(request, queryset, template: str, *, organiser_numbers: bool = False):
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    user = request.user
    for event in page.object_list:
        _decorate(event)
        event.show_numbers = organiser_numbers and user.has_perm("events.organise", event)
    context = {
        "page": page,
        "events": page.object_list,
        "can_create": user.has_perm("events.create_event"),
    }
    return render(request, template, context)


@require_GET
@cache_for_anonymous
def upcoming(request):
    events = access.upcoming(access.visible_events(request.user))
    return _list_page(request, events, "events/list.html")


@require_GET
@cache_for_anonymous
def past(request):
    events = access.past(access.visible_events(request.user))
    return _list_page(request, events, "events/past.html", organiser_numbers=True)


# -- one event ---------------------------------------------------------------------------------
def _programme(event: Event) -> list[tuple[object, list]]:
    sessions = list(event.sessions.all())
    for session in sessions:
        session.language_names = _language_names(session.languages)

    def day(session):
        return timezone.localtime(session.starts_at, event.zone).date()

    return [(key, list(group)) for key, group in groupby(sessions, key=day)]


def _detail_page(request, event: Event, *, status: int = 200, error: str | None = None):
    user = request.user
    registration = access.my_registration(user, event)
    if registration is not None:
        registration.event = event  # offer_deadline reads the event's zone
    organises = user.has_perm("events.organise", event)
    context = {
        "event": _decorate(event),
        "registration": registration,
        "organises": organises,
        "show_online_link": bool(event.online_url)
        and (organises or (registration is not None and registration.is_registered)),
        # Read (and rendered) only when the page's cached fragment is missing: the
        # programme is the same for everyone reading in a language, until the next change.
        "programme": functools.cache(lambda: _programme(event)),
        "fragment_version": pagecache.generation(),
        "refusal": services.registration_refusal(event),
        "can_register": user.has_perm("events.register", event),
        "can_register_as_guest": user.has_perm("events.register_as_guest", event),
        "has_questions": event.questions.exists(),
        "error": error,
    }
    return render(request, "events/detail.html", context, status=status)


@require_GET
@cache_for_anonymous
def detail(request, slug):
    return _detail_page(request, access.get_event_for_viewer(request.user, slug))


# -- registering -------------------------------------------------------------------------------
def _status_message(status: str) -> str:
    if status == S.REGISTERED:
        return _("You are registered.")
    if status == S.WAITING:
        return _("You are on the waiting list. We will write to you when a place frees up.")
    if status == S.PENDING:
        return _("Your request went to the organisers. We will write to you when they decide.")
    return _("Saved.")


def _refused(request, event: Event, message: str, *, status: int = 409):
    context = {"event": event, "message": message}
    return render(request, "events/public_refused.html", context, status=status)


def _rate_limited(request, action: str, key: str | None = None) -> bool:
    if not settings.ACCOUNT_RATE_LIMITS_ENABLED:
        return False
    usage = ratelimit.consume(
        request, app="solidar.events", action=action, config=GUEST_RATES, key=key
    )
    return usage is None


@require_http_methods(["GET", "POST"])
def register(request, slug):
    event = access.get_event_for_viewer(request.user, slug)
    user = request.user
    guest = not user.is_authenticated
    if not user.has_perm("events.register_as_guest" if guest else "events.register", event):
        refusal = services.registration_refusal(event)
        if refusal is None and guest:
            # Open, but to members only: sign in first.
            return redirect_to_login(reverse("events:register", args=[event.slug]))
        return _refused(request, event, refusal or _("Registration is closed."))
    registered = not guest and access.my_registration(user, event) is not None
    if registered and request.method == "GET":
        return redirect("events:detail", slug=event.slug)
    questions = list(event.questions.all())
    data = request.POST if request.method == "POST" else None
    form = RegistrationForm(questions, data, guest=guest)
    context = {
        "event": event,
        "form": form,
        "guest": guest,
        "retention_days": settings.SOLIDAR_EVENT_RETENTION_DAYS,
    }
    if request.method == "GET":
        return render(request, "events/register.html", context)
    if guest and _rate_limited(request, "guest_register"):
        message = _("Too many registrations from your connection. Please try again in a while.")
        return _refused(request, event, message, status=429)
    if not form.is_valid():
        return render(request, "events/register.html", context, status=400)
    letter_name = form.cleaned_data.get("letter_name") or ""
    try:
        if guest:
            email = form.cleaned_data["email"]
            if not _rate_limited(request, "guest_address", services.email_digest(email)):
                services.register_guest(
                    event,
                    name=form.cleaned_data["name"],
                    email=email,
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                    answers=form.answers(),
                    letter_name=letter_name,
                )
        else:
            registration, _token = services.register_member(
                event, user, answers=form.answers(), letter_name=letter_name
            )
    except EventError as error:
        form.add_error(None, error.message)
        return render(request, "events/register.html", context, status=409)
    if guest:
        # The same page whether the address was new, registered already, or held back
        # by the rate limit: the page must not tell who goes to the event.
        context = {"event": event, "confirm_hours": services.CONFIRM_HOURS}
        return render(request, "events/public_check_inbox.html", context)
    messages.success(request, _status_message(registration.status))
    return redirect("events:detail", slug=event.slug)


@require_POST
def my_registration(request, slug):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("events:detail", args=[slug]))
    event = access.get_event_for_viewer(request.user, slug)
    registration = access.my_registration(request.user, event)
    action = request.POST.get("action")
    if action not in ("cancel", "accept"):
        return _detail_page(request, event, status=400, error=_("Choose an action."))
    if registration is None:
        message = _("You have no active registration for this event.")
        return _detail_page(request, event, status=409, error=message)
    try:
        if action == "cancel":
            services.cancel_registration(registration, by=request.user)
        else:
            services.accept_offer(registration)
    except EventError as error:
        return _detail_page(request, event, status=409, error=error.message)
    if action == "cancel":
        messages.success(request, _("Your registration is cancelled."))
    else:
        messages.success(request, _("The place is yours. You are registered."))
    return redirect("events:detail", slug=event.slug)


# -- links from e-mails ------------------------------------------------------------------------
def _token_page(request, template: str, context: dict, *, status: int = 200):
    response = render(request, template, context, status=status)
    # The address is a secret: not sent on to the online meeting's site, not cached.
    # "same-origin", not "no-referrer": under that, browsers send "Origin: null" with the
    # page's own POST (confirm, cancel, accept) and the CSRF check refuses it.
    response["Referrer-Policy"] = "same-origin"
    return response


def _unconfirmed(token: str) -> tuple[Registration | None, str | None]:
    """The registration a confirmation link is for, or the reason it cannot be used.
    Reads only: opening the link (mail scanners do) changes nothing."""
    found = (
        Registration.objects.select_related("event", "event__organiser")
        .filter(confirm_digest=services.digest(token, "confirm"))
        .first()
    )
    if found is None or found.status != S.UNCONFIRMED:
        return None, _("This link is not valid. It may have been used already.")
    if found.confirm_expires_at and found.confirm_expires_at <= timezone.now():
        return None, _("This link has expired. Please register again to get a new one.")
    return found, None


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    found, problem = _unconfirmed(token)
    if found is None:
        return _token_page(request, "events/confirm.html", {"error": problem}, status=410)
    event = _decorate(found.event)
    context = {"event": event}
    if request.method == "GET":
        return _token_page(request, "events/confirm.html", context)
    try:
        registration = services.confirm_guest(token)
    except EventError as error:
        context["error"] = error.message
        return _token_page(request, "events/confirm.html", context, status=409)
    context.update(confirmed=True, status=registration.status)
    return _token_page(request, "events/confirm.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def registration(request, token):
    try:
        registration = services.registration_by_token(token)
    except EventError:
        raise Http404 from None
    event = _decorate(registration.event)
    context = {"registration": registration, "event": event, "token": token}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("cancel", "accept"):
            context["error"] = _("Choose an action.")
            return _registration_page(request, context, status=400)
        try:
            if action == "cancel":
                services.cancel_registration(registration)
            else:
                services.accept_offer(registration)
        except EventError as error:
            registration.refresh_from_db()
            context["error"] = error.message
            return _registration_page(request, context, status=409)
        if action == "cancel":
            context["done"] = _("Your registration is cancelled.")
        else:
            context["done"] = _(
                "The place is yours. We sent you an e-mail with the details and a calendar file."
            )
    return _registration_page(request, context)


def _registration_page(request, context: dict, *, status: int = 200):
    registration = context["registration"]
    context["show_online_link"] = bool(registration.event.online_url) and (
        registration.status == S.REGISTERED
    )
    return _token_page(request, "events/registration.html", context, status=status)


# -- the member's own list ---------------------------------------------------------------------
PAST_REGISTRATIONS = 50


@login_required
@require_GET
def mine(request):
    registrations = Registration.objects.filter(user=request.user).select_related(
        "event", "event__organiser"
    )
    now = timezone.now()
    current = list(
        registrations.filter(status__in=Registration.ACTIVE, event__ends_at__gt=now).order_by(
            "event__starts_at", "pk"
        )
    )
    earlier = list(
        registrations.exclude(pk__in=[r.pk for r in current]).order_by(
            "-event__starts_at", "-created_at"
        )[:PAST_REGISTRATIONS]
    )
    for registration in current + earlier:
        _decorate(registration.event)
    context = {"current": current, "earlier": earlier}
    return render(request, "events/mine.html", context)
