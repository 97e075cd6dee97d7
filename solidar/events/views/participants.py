"""The organisers' pages about the people who come: the participant list, approving and
checking in, the CSV export, the check-in page for a phone at the door, the printed list,
and visa invitation letters.

Every page is privileged (MFA) and exists for the event's organisers only (404 for
everyone else). Changes are POSTs to ``action``, which calls one service and goes back to
the page it came from (``next``, checked to be one of this event's organiser pages).
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidar.accounts.mfa import privileged_view
from solidar.core.paging import page_of
from solidar.events import access, letters, participants, services
from solidar.events.models import Event, Registration
from solidar.events.services import EventError

PER_PAGE = 50
CHECKIN_RESULTS = 30
S = Registration.Status
# The pages an action may return to (with the event's own slug).
RETURN_PAGES = {"participants", "checkin", "print_list", "letter_template"}


def _event(request, slug) -> Event:
    return access.get_event_for_organiser(request.user, slug)


def _letter_languages():
    return [(code, name) for code, name in settings.LANGUAGES]


def _status_choices():
    return [
        ("", _("Everyone active")),
        *[(value, label) for value, label in S.choices],
        ("all", _("Everyone, with cancelled and ended")),
    ]


# -- the participant list ---------------------------------------------------------------------
@require_GET
@privileged_view
def roster(request, slug):
    event = _event(request, slug)
    status = request.GET.get("status", "")
    status = status if status in participants.STATUS_FILTERS else ""
    q = participants.clean_query(request.GET.get("q"))
    letter_language = request.GET.get("letters")
    if letter_language not in dict(settings.LANGUAGES):
        letter_language = get_language()
    counts = participants.counts(event)
    context = {
        "event": event,
        "counts": counts,
        "status": status,
        "q": request.GET.get("q", "")[: participants.SEARCH_MAX] if q else "",
        "status_choices": _status_choices(),
        "letter_languages": _letter_languages(),
        "letter_language": letter_language,
    }
    if not event.purged_at:
        records = participants.matching(event, status=status, q=q)
        page = page_of(
            records,
            request.GET.get("page"),
            per_page=PER_PAGE,
            count=None if q else counts.with_status(status),
        )
        questions = participants.questions_of(event)
        context |= {
            "page": page,
            "rows": participants.rows(event, page.object_list, questions),
            "questions": questions,
            "filtered": bool(status or q),
            "query_suffix": "&"
            + urlencode({"status": status, "q": context["q"], "letters": letter_language}),
            "here": request.get_full_path(),
        }
    return render(request, "events/participants_list.html", context)


# -- actions ----------------------------------------------------------------------------------
DONE = {
    "approve": gettext_lazy("Approved: %(name)s."),
    "decline": gettext_lazy("Declined: %(name)s."),
    "check_in": gettext_lazy("Checked in: %(name)s."),
    "undo_check_in": gettext_lazy("Check-in undone: %(name)s."),
}


def _back(request, event: Event) -> str:
    """Where to go after an action: ``next`` when it is one of this event's organiser
    pages on this site, else the participant list."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(target)
        try:
            match = resolve(parts.path)
        except (Resolver404, ValueError):
            match = None
        if (
            match is not None
            and match.namespace == "events"
            and match.url_name in RETURN_PAGES
            and match.kwargs.get("slug") == event.slug
        ):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("events:participants", args=[event.slug])


def _refused(request, event: Event, message, *, back: str, status: int):
    context = {"event": event, "message": message, "back": back}
    return render(request, "events/participants_refused.html", context, status=status)


@require_POST
@privileged_view
def action(request, slug, registration_id):
    event = _event(request, slug)
    registration = access.get_registration_in(event, registration_id)
    registration.event = event
    back = _back(request, event)
    what = request.POST.get("action")
    if what not in DONE:
        return _refused(request, event, _("Choose an action."), back=back, status=400)
    try:
        if what in ("approve", "decline"):
            services.decide(registration, by=request.user, approve=what == "approve")
        else:
            services.check_in(registration, by=request.user, undo=what == "undo_check_in")
    except EventError as error:
        return _refused(request, event, error.message, back=back, status=409)
    messages.success(request, DONE[what] % {"name": registration.name})
    return redirect(back)


# -- the CSV export ---------------------------------------------------------------------------
@require_GET
@privileged_view
def export(request, slug):
    event = _event(request, slug)
    rows = services.export_rows(event, by=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{event.slug}-participants.csv"
    )
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # the byte order mark: spreadsheets then read UTF-8 (Cyrillic)
    csv.writer(response).writerows(rows)
    return response


# -- at the door ------------------------------------------------------------------------------
@require_GET
@privileged_view
def checkin(request, slug):
    event = _event(request, slug)
    raw = request.GET.get("q", "")[: participants.SEARCH_MAX]
    q = participants.clean_query(raw)
    context = {"event": event, "q": raw.strip() if q else "", "searched": bool(q)}
    if q and not event.purged_at:
        matching = participants.matching(event, q=q, answers=False)
        context["more"] = max(matching.count() - CHECKIN_RESULTS, 0)
        context["results"] = participants.rows(event, matching[:CHECKIN_RESULTS], ())
        context["here"] = request.get_full_path()
    return render(request, "events/checkin.html", context)


@require_GET
@privileged_view
def print_list(request, slug):
    event = _event(request, slug)
    context = {"event": event}
    if not event.purged_at:
        questions = [
            q for q in participants.questions_of(event) if q.purpose in participants.ON_THE_DAY
        ]
        columns = [
            purpose
            for purpose in participants.ON_THE_DAY
            if any(q.purpose == purpose for q in questions)
        ]
        rows = participants.rows(
            event,
            participants.matching(event, status=S.REGISTERED, answers=bool(questions)),
            questions,
        )
        for row in rows:
            row.cells = [row.need(purpose) for purpose in columns]
        context["rows"] = rows
        context["columns"] = [participants.NEED_LABELS[purpose] for purpose in columns]
    return render(request, "events/print.html", context)


# -- invitation letters -----------------------------------------------------------------------
class LetterTemplateForm(forms.Form):
    template = forms.CharField(
        label=gettext_lazy("Text of the letter"),
        required=False,
        max_length=services.LETTER_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
    )
    signature = forms.CharField(
        label=gettext_lazy("Signature block"),
        required=False,
        max_length=services.SIGNATURE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _unless_default(text: str, default: str) -> str:
    """Saved unchanged, the default text stays the default: printed in the language of
    each letter, not in the language of the page it was saved from."""
    normalized = text.replace("\r\n", "\n").strip()
    return "" if normalized == default.strip() else normalized


@require_http_methods(["GET", "POST"])
@privileged_view
def letter_template(request, slug):
    event = _event(request, slug)
    initial = {
        "template": event.letter_template or letters.default_template(),
        "signature": event.letter_signature or letters.default_signature(),
    }
    form = LetterTemplateForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_letter_template(
                    event,
                    by=request.user,
                    template=_unless_default(
                        form.cleaned_data["template"], letters.default_template()
                    ),
                    signature=_unless_default(
                        form.cleaned_data["signature"], letters.default_signature()
                    ),
                )
            except EventError as error:
                form.add_error(None, error.message)
                status = 409
            else:
                messages.success(request, _("The letter was saved."))
                return redirect("events:letter_template", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "placeholders": [
            ("{name}", _("the participant's name (as given for the letter, else their name)")),
            ("{event}", _("the event's title")),
            ("{dates}", _("the days of the event, where it takes place")),
            ("{place}", _("the place and address")),
            ("{city}", _("the city")),
            ("{organiser}", _("the organising group")),
        ],
        "letter_count": Registration.objects.filter(
            event=event, status=S.REGISTERED, needs_letter=True
        ).count(),
    }
    return render(request, "events/letter_template.html", context, status=status)


@require_GET
@privileged_view
def letter(request, slug, registration_id):
    event = _event(request, slug)
    registration = access.get_registration_in(event, registration_id)
    registration.event = event
    language = request.GET.get("lang")
    if language not in dict(settings.LANGUAGES):
        language = get_language()
    try:
        with override(language):
            pdf = services.issue_letter(registration, by=request.user)
    except EventError as error:
        back = reverse("events:participants", args=[event.slug])
        return _refused(request, event, error.message, back=back, status=409)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"invitation-{event.slug}-{registration.pk.hex[:8]}.pdf"
    )
    response["Cache-Control"] = "no-store"
    return response
