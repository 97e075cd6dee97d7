"""The public side of mutual aid: ask for help, receive a codename, come back with it.

Thin: a form, a rate limit, one call into ``intake``/``challenge``, an answer. Every
answer is private (no-store, no Referer). Secrets only ever travel in POST bodies, never
in a URL (Django's request logger would print the path). Bad input re-renders the form
with everything the person typed and a 4xx.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from solidar.aid import challenge, intake
from solidar.aid.intake_forms import CodenameForm, IntakeForm, MessageForm
from solidar.aid.models import Case, ContactMethod
from solidar.aid.views.common import private_view
from solidar.core.ratelimit import exceeded

# Rate limits (per pseudonymous client address unless "site-wide"). Tor users share exit
# addresses, so the per-client limits leave room for a few people behind one.
INTAKE_POSTS = (30, 10 * 60)  # any POST of the form, valid or not
INTAKE_FILED = (5, 60 * 60)  # requests filed
INTAKE_FILED_SITE = (300, 60 * 60)  # requests filed, site-wide
RETURN_TRIES = (10, 10 * 60)  # codenames tried (each costs a slow hash)
RETURN_TRIES_SITE = (600, 10 * 60)  # codenames tried, site-wide
MESSAGES_SENT = (30, 60 * 60)  # messages from requesters


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _too_many() -> str:
    return _(
        "Too many attempts from your connection. Please wait a few minutes and send again; "
        "what you wrote is still here."
    )


def _help_page(request, form, *, status: int = 200, refusal: str = ""):
    return render(
        request,
        "aid/public/help.html",
        {
            "form": form,
            "refusal": refusal,
            "wait_seconds": settings.SOLIDAR_AID_CHALLENGE_WAIT_SECONDS,
        },
        status=status,
    )


def _with_new_token(form) -> IntakeForm:
    """The same form, bound to what was typed, with a fresh challenge and no nonce."""
    data = form.data.copy()
    data["token"] = challenge.issue()
    data["nonce"] = ""
    fresh = IntakeForm(data)
    fresh.is_valid()
    return fresh


@private_view
@require_http_methods(["GET", "POST"])
def help_page(request):
    if request.method == "GET":
        return _help_page(request, IntakeForm(initial={"token": challenge.issue()}))
    form = IntakeForm(request.POST)
    if exceeded(request, "aid-intake-post", limit=INTAKE_POSTS[0], seconds=INTAKE_POSTS[1]):
        form.is_valid()
        return _help_page(request, form, status=429, refusal=_too_many())
    if not form.is_valid():
        if challenge.check(form.data.get("token", "")).needs_new_token:
            form = _with_new_token(form)
        return _help_page(request, form, status=400)

    result = challenge.check(form.cleaned_data["token"], form.cleaned_data["nonce"])
    if result.outcome is challenge.Outcome.TOO_EARLY:
        return _help_page(request, form, status=429, refusal=_wait_message(result.wait_seconds))
    if not result.passed or not challenge.spend(result):
        refusal = _(
            "This form had expired or was already sent. We have renewed it: check what you "
            "wrote and send it again."
        )
        return _help_page(request, _with_new_token(form), status=400, refusal=refusal)
    if exceeded(request, "aid-intake", limit=INTAKE_FILED[0], seconds=INTAKE_FILED[1]) or exceeded(
        request,
        "aid-intake",
        limit=INTAKE_FILED_SITE[0],
        seconds=INTAKE_FILED_SITE[1],
        key="site",
    ):
        return _help_page(request, _with_new_token(form), status=429, refusal=_too_many())

    data = form.cleaned_data
    try:
        submitted = intake.submit(
            kind=data["kind"],
            country=data["country"],
            urgency=data["urgency"],
            languages=data["languages"],
            situation=data["situation"],
            needs=data["needs"],
            contact_method=data["contact_method"],
            contact=data["contact"],
        )
    except intake.IntakeError as error:
        return _help_page(
            request, _with_new_token(form), status=error.status, refusal=str(error.message)
        )
    requester = intake.Requester(case=submitted.case, derived=submitted.requester)
    response = render(
        request,
        "aid/public/codename.html",
        {"words": submitted.codename.split(), "case": submitted.case},
    )
    intake.remember(response, requester)
    return response


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Our check against automated spam needs a little more time. Please wait %(seconds)d "
        "more second and send again; what you wrote is still here.",
        "Our check against automated spam needs a little more time. Please wait %(seconds)d "
        "more seconds and send again; what you wrote is still here.",
        seconds,
    ) % {"seconds": seconds}


@private_view
@require_http_methods(["GET", "POST"])
def return_page(request):
    if request.method == "GET":
        return _return_page(request, CodenameForm())
    form = CodenameForm(request.POST)
    if not form.is_valid():
        return _return_page(request, form, status=400)
    # The limits come before the slow hash, so that guessing costs the server little.
    if exceeded(request, "aid-return", limit=RETURN_TRIES[0], seconds=RETURN_TRIES[1]) or exceeded(
        request, "aid-return", limit=RETURN_TRIES_SITE[0], seconds=RETURN_TRIES_SITE[1], key="site"
    ):
        return _return_page(request, form, status=429, refusal=_too_many())
    requester = intake.open_by_codename(form.cleaned_data["codename"])
    if requester is None:
        refusal = _(
            "We could not open a request with this codename. Check each word against what you "
            "wrote down, and their order."
        )
        return _return_page(request, form, status=400, refusal=refusal)
    response = _see_other(reverse("aid:my_request"))
    intake.remember(response, requester)
    return response


def _return_page(request, form, *, status: int = 200, refusal: str = "", unsent: str = ""):
    return render(
        request,
        "aid/public/return.html",
        {"form": form, "refusal": refusal, "unsent": unsent},
        status=status,
    )


def _status_words(case: Case) -> str:
    if case.status == Case.Status.NEW:
        return _("Your request has arrived. The aid team will read it soon.")
    if case.status == Case.Status.TRIAGED:
        return _("The aid team has read your request and will work on it.")
    if case.status == Case.Status.IN_PROGRESS:
        return _("Someone from the aid team is working on your request.")
    if case.status == Case.Status.WAITING:
        return _(
            "The aid team is waiting for an answer, perhaps from you: read the messages below."
        )
    return _("This request is closed. If you need help again, you can make a new request.")


@private_view
@require_http_methods(["GET", "POST"])
def my_request(request):
    requester = intake.recall(request)
    if requester is None:
        if request.method == "POST":
            # Their message stays on the page for them to copy; it was not sent.
            refusal = _(
                "Your time on this page ran out, so your message was not sent. Copy it, type "
                "your codename again, and send it from your request's page."
            )
            return _return_page(
                request,
                CodenameForm(),
                status=400,
                refusal=refusal,
                unsent=str(request.POST.get("text", "")),
            )
        return redirect("aid:return")
    form = MessageForm()
    status = 200
    refusal = ""
    if request.method == "POST":
        form = MessageForm(request.POST)
        if exceeded(request, "aid-message", limit=MESSAGES_SENT[0], seconds=MESSAGES_SENT[1]):
            form.is_valid()
            status, refusal = 429, _too_many()
        elif form.is_valid():
            try:
                intake.add_requester_message(requester, form.cleaned_data["text"])
            except intake.IntakeError as error:
                status, refusal = error.status, str(error.message)
            else:
                messages.success(request, _("Your message was sent to the aid team."))
                response = _see_other(reverse("aid:my_request"))
                intake.remember(response, requester)
                return response
        else:
            status = 400
    case = requester.case
    request_text = intake.request_text(requester)
    methods = dict(ContactMethod.choices)
    response = render(
        request,
        "aid/public/my_request.html",
        {
            "case": case,
            "request_text": request_text,
            "contact_method": methods.get(request_text.get("contact_method"), ""),
            "conversation": intake.conversation(requester),
            "status_words": _status_words(case),
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )
    intake.remember(response, requester)  # another REQUESTER_MINUTES from now
    return response


@private_view
@require_POST
def leave(request):
    response = render(request, "aid/public/left.html")
    intake.forget(response)
    return response


urlpatterns = [
    path("help/", help_page, name="help"),
    path("help/return/", return_page, name="return"),
    path("help/my-request/", my_request, name="my_request"),
    path("help/leave/", leave, name="leave"),
]
