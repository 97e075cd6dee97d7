"""Editors' pages: lists, mailings with language versions, preview, test, recipients,
schedule, progress.

Every page is privileged (MFA) and answers 404 to anyone who is not an editor
(``newsletter.manage``). Thin: parse the form, call one function of ``mailings`` (or
``services`` for imports), show the result. A refusal re-renders the page with the
message and a 4xx; nothing typed is lost.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidar.accounts.mfa import privileged_view
from solidar.newsletter import compose, mailings, recipients
from solidar.newsletter.forms import (
    ImportForm,
    ListForm,
    MailingForm,
    RecipientsForm,
    ScheduleForm,
    TestSendForm,
    VariantForm,
)
from solidar.newsletter.models import Delivery, Mailing, MailingList, MailingVariant, Subscription
from solidar.newsletter.services import NewsletterError

S = Mailing.Status
PER_PAGE = 25
PERMISSION = "newsletter.manage"


def editor_view(view):
    """MFA first (as every privileged page), then 404 for anyone who is not an editor."""

    @privileged_view
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise Http404
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _mailing(mailing_id) -> Mailing:
    return get_object_or_404(Mailing, pk=mailing_id)


def _language(code: str) -> str:
    if code not in mailings.language_codes():
        raise Http404
    return code


# -- the mailings ------------------------------------------------------------------------------
@editor_view
@require_GET
def overview(request):
    """Drafts and scheduled mailings, those being sent, and the sent ones (paged)."""
    base = Mailing.objects.select_related("created_by").annotate(
        variant_count=Count("variants", distinct=True)
    )
    open_states = (S.DRAFT, S.SCHEDULED, S.SENDING, S.PAUSED)
    current = list(base.filter(status__in=open_states).order_by("-updated_at"))
    done = base.exclude(status__in=open_states).order_by("-finished_at", "-created_at")
    page = Paginator(done, PER_PAGE).get_page(request.GET.get("page"))
    # The numbers of the sent ones: one grouped query for the page.
    ids = [m.pk for m in page.object_list]
    counts = {}
    for row in (
        Delivery.objects.filter(mailing_id__in=ids)
        .values("mailing_id")
        .annotate(
            sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
            failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        )
    ):
        counts[row["mailing_id"]] = row
    for mailing in page.object_list:
        row = counts.get(mailing.pk, {})
        mailing.sent_count = row.get("sent", 0)
        mailing.failed_count = row.get("failed", 0)
    context = {
        "drafts": [m for m in current if m.status == S.DRAFT],
        "scheduled": [m for m in current if m.status == S.SCHEDULED],
        "running": [m for m in current if m.status in (S.SENDING, S.PAUSED)],
        "done": page,
        "form": MailingForm(),
    }
    return render(request, "newsletter/manage/overview.html", context)


@editor_view
@require_POST
def create(request):
    form = MailingForm(request.POST)
    if form.is_valid():
        try:
            mailing = mailings.create(
                by=request.user,
                title=form.cleaned_data["title"],
                in_archive=form.cleaned_data["in_archive"],
            )
        except NewsletterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The mailing was created. Write it in each language."))
            return redirect("newsletter:mailing", mailing_id=mailing.pk)
    context = {"drafts": [], "scheduled": [], "running": [], "done": None, "form": form}
    return render(request, "newsletter/manage/overview.html", context, status=400)


# -- one mailing -------------------------------------------------------------------------------
def _mailing_page(
    request,
    mailing: Mailing,
    *,
    details_form=None,
    variant_forms=None,
    recipients_form=None,
    schedule_form=None,
    error: str | None = None,
    status: int = 200,
):
    variants = {v.language: v for v in mailing.variants.all()}
    bound = variant_forms or {}
    versions = []
    for code, name in settings.LANGUAGES:
        variant = variants.get(code)
        form = bound.get(code) or VariantForm(
            prefix=code,
            initial={"subject": variant.subject, "body": variant.body} if variant else None,
        )
        versions.append(
            {
                "code": code,
                "name": name,
                "variant": variant,
                "form": form,
                "chosen": code in (mailing.languages or []),
                "text": compose.render(variant).text if variant and variant.body else "",
            }
        )
    editable = mailing.status == S.DRAFT
    context = {
        "mailing": mailing,
        "editable": editable,
        "versions": versions,
        "details_form": details_form or MailingForm(mailing=mailing),
        "recipients_form": recipients_form or RecipientsForm(mailing=mailing),
        "schedule_form": schedule_form or ScheduleForm(),
        "recipient_count": recipients.count(mailing)
        if mailing.status in (S.DRAFT, S.SCHEDULED)
        else mailing.recipient_count,
        "error": error,
    }
    return render(request, "newsletter/manage/mailing.html", context, status=status)


@editor_view
@require_GET
def mailing(request, mailing_id):
    mailing = _mailing(mailing_id)
    if mailing.status in (S.SENDING, S.PAUSED):
        return redirect("newsletter:progress", mailing_id=mailing.pk)
    return _mailing_page(request, mailing)


@editor_view
@require_POST
def details(request, mailing_id):
    mailing = _mailing(mailing_id)
    form = MailingForm(request.POST, mailing=mailing)
    if form.is_valid():
        try:
            mailings.update_details(
                mailing,
                by=request.user,
                title=form.cleaned_data["title"],
                in_archive=form.cleaned_data["in_archive"],
            )
        except NewsletterError as error:
            return _mailing_page(
                request, mailing, details_form=form, error=error.message, status=409
            )
        messages.success(request, _("The changes were saved."))
        return redirect("newsletter:mailing", mailing_id=mailing.pk)
    return _mailing_page(request, mailing, details_form=form, status=400)


@editor_view
@require_POST
def variant(request, mailing_id, language):
    mailing = _mailing(mailing_id)
    language = _language(language)
    form = VariantForm(request.POST, prefix=language)
    if form.is_valid():
        try:
            mailings.save_variant(
                mailing,
                language=language,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
        except NewsletterError as error:
            return _mailing_page(
                request, mailing, variant_forms={language: form}, error=error.message, status=409
            )
        messages.success(
            request,
            _("The %(language)s version was saved.")
            % {"language": mailings.language_name(language)},
        )
        url = reverse("newsletter:mailing", kwargs={"mailing_id": mailing.pk})
        return redirect(f"{url}#version-{language}")
    return _mailing_page(request, mailing, variant_forms={language: form}, status=400)


@editor_view
@require_POST
def variant_delete(request, mailing_id, language):
    mailing = _mailing(mailing_id)
    language = _language(language)
    try:
        mailings.delete_variant(mailing, language=language, by=request.user)
    except NewsletterError as error:
        return _mailing_page(request, mailing, error=error.message, status=409)
    messages.success(
        request,
        _("The %(language)s version was removed.") % {"language": mailings.language_name(language)},
    )
    return redirect("newsletter:mailing", mailing_id=mailing.pk)


def _preview_policy() -> dict:
    site = urlsplit(settings.SOLIDAR_SITE_URL)
    images = ["'self'", "data:"]
    if site.scheme and site.netloc:
        images.append(f"{site.scheme}://{site.netloc}")
    return {
        "default-src": ["'none'"],
        "script-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": images,
        "font-src": ["'none'"],
        "connect-src": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'self'"],
        "frame-src": ["'none'"],
        "base-uri": ["'none'"],
        "sandbox": True,
    }


@editor_view
@require_GET
@xframe_options_sameorigin
def preview(request, mailing_id, language):
    """The e-mail's HTML part, as readers get it, for the page's sandboxed frame: no
    script can run in it, nothing from elsewhere loads, and its links lead nowhere
    personal."""
    mailing = _mailing(mailing_id)
    variant = get_object_or_404(MailingVariant, mailing=mailing, language=_language(language))
    response = HttpResponse(compose.render(variant).html, content_type="text/html; charset=utf-8")
    response._csp_replace = _preview_policy()
    response["Referrer-Policy"] = "no-referrer"
    return response


@editor_view
@require_POST
def send_test(request, mailing_id):
    mailing = _mailing(mailing_id)
    form = TestSendForm(request.POST)
    if not form.is_valid():
        return _mailing_page(
            request, mailing, error=_("Choose a language to send the test in."), status=400
        )
    try:
        address = mailings.send_test(
            mailing, language=form.cleaned_data["language"], by=request.user
        )
    except NewsletterError as error:
        return _mailing_page(request, mailing, error=error.message, status=409)
    messages.success(request, _("A test was sent to %(address)s.") % {"address": address})
    return redirect("newsletter:mailing", mailing_id=mailing.pk)


@editor_view
@require_POST
def set_recipients(request, mailing_id):
    mailing = _mailing(mailing_id)
    form = RecipientsForm(request.POST, mailing=mailing)
    if form.is_valid():
        try:
            mailings.set_recipients(
                mailing,
                lists=form.cleaned_data["lists"],
                languages=form.cleaned_data["languages"],
                collectives=form.cleaned_data["collectives"],
                by=request.user,
            )
        except NewsletterError as error:
            return _mailing_page(
                request, mailing, recipients_form=form, error=error.message, status=409
            )
        messages.success(request, _("The recipients were saved."))
        return redirect("newsletter:mailing", mailing_id=mailing.pk)
    return _mailing_page(request, mailing, recipients_form=form, status=400)


@editor_view
@require_POST
def schedule(request, mailing_id):
    mailing = _mailing(mailing_id)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            mailings.schedule(mailing, at=form.at, by=request.user)
        except NewsletterError as error:
            return _mailing_page(
                request, mailing, schedule_form=form, error=error.message, status=409
            )
        if form.at is None:
            messages.success(request, _("The mailing is on its way: sending starts shortly."))
            return redirect("newsletter:progress", mailing_id=mailing.pk)
        messages.success(request, _("The mailing is scheduled."))
        return redirect("newsletter:mailing", mailing_id=mailing.pk)
    return _mailing_page(request, mailing, schedule_form=form, status=400)


def _state_change(request, mailing_id, action, done_message, target="newsletter:progress"):
    mailing = _mailing(mailing_id)
    try:
        result = action(mailing, by=request.user)
    except NewsletterError as error:
        if mailing.status in (S.SENDING, S.PAUSED):
            return _progress_page(request, mailing, error=error.message, status=409)
        return _mailing_page(request, mailing, error=error.message, status=409)
    messages.success(request, done_message(result))
    return redirect(target, mailing_id=mailing.pk)


@editor_view
@require_POST
def unschedule(request, mailing_id):
    return _state_change(
        request,
        mailing_id,
        mailings.unschedule,
        lambda _r: _("The mailing is a draft again."),
        target="newsletter:mailing",
    )


@editor_view
@require_POST
def pause(request, mailing_id):
    return _state_change(request, mailing_id, mailings.pause, lambda _r: _("Sending is paused."))


@editor_view
@require_POST
def resume(request, mailing_id):
    return _state_change(request, mailing_id, mailings.resume, lambda _r: _("Sending goes on."))


@editor_view
@require_POST
def cancel(request, mailing_id):
    return _state_change(
        request,
        mailing_id,
        mailings.cancel,
        lambda count: (
            ngettext(
                "The mailing is cancelled; %(count)d message will not be sent.",
                "The mailing is cancelled; %(count)d messages will not be sent.",
                count,
            )
            % {"count": count}
        ),
        target="newsletter:mailing",
    )


@editor_view
@require_POST
def delete(request, mailing_id):
    mailing = _mailing(mailing_id)
    try:
        mailings.delete_draft(mailing, by=request.user)
    except NewsletterError as error:
        return _mailing_page(request, mailing, error=error.message, status=409)
    messages.success(request, _("The draft was deleted."))
    return redirect("newsletter:manage")


# -- progress ----------------------------------------------------------------------------------
def _progress_page(request, mailing: Mailing, *, error: str | None = None, status: int = 200):
    from solidar.newsletter import engine

    numbers = engine.progress(mailing)
    done = numbers.sent + numbers.failed + numbers.skipped + numbers.cancelled
    context = {
        "mailing": mailing,
        "numbers": numbers,
        "done": done,
        "remaining": numbers.queued,
        "percent": round(100 * done / numbers.total) if numbers.total else 0,
        "error": error,
    }
    return render(request, "newsletter/manage/progress.html", context, status=status)


@editor_view
@require_GET
def progress(request, mailing_id):
    return _progress_page(request, _mailing(mailing_id))


# -- lists -------------------------------------------------------------------------------------
def _lists_page(request, form, *, status=200):
    confirmed = Subscription.Status.CONFIRMED
    lists = MailingList.objects.annotate(
        confirmed_count=Count("subscriptions", filter=Q(subscriptions__status=confirmed)),
        pending_count=Count(
            "subscriptions", filter=Q(subscriptions__status=Subscription.Status.PENDING)
        ),
    )
    for mailing_list in lists:
        mailing_list.language_name = mailings.language_name(mailing_list.language)
    context = {"lists": lists, "form": form}
    return render(request, "newsletter/manage/lists.html", context, status=status)


@editor_view
@require_http_methods(["GET", "POST"])
def lists(request):
    form = ListForm(request.POST or None)
    if request.method == "GET":
        return _lists_page(request, form)
    if form.is_valid():
        try:
            mailings.save_list(by=request.user, **form.service_arguments())
        except NewsletterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The list was created."))
            return redirect("newsletter:lists")
    return _lists_page(request, form, status=400)


@editor_view
@require_http_methods(["GET", "POST"])
def list_edit(request, list_id):
    mailing_list = get_object_or_404(MailingList, pk=list_id)
    form = ListForm(request.POST or None, mailing_list=mailing_list)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                mailings.save_list(mailing_list, by=request.user, **form.service_arguments())
            except NewsletterError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The list was saved."))
                return redirect("newsletter:lists")
    context = {"mailing_list": mailing_list, "form": form}
    return render(request, "newsletter/manage/list_form.html", context, status=status)


def _result_labels() -> dict[str, str]:
    return {
        "added": _("Added"),
        "already": _("Already on the list"),
        "suppressed": _("Skipped: they unsubscribed or bounced before"),
        "invalid": _("Not an e-mail address"),
    }


def _result_counts(result) -> list[tuple[str, int]]:
    """The import's numbers as (label, count)."""
    if dataclasses.is_dataclass(result):
        items = dataclasses.asdict(result).items()
    else:
        items = dict(result).items()
    labels = _result_labels()
    return [
        (labels.get(name, name.replace("_", " ")), value)
        for name, value in items
        if isinstance(value, int) and not isinstance(value, bool)
    ]


@editor_view
@require_http_methods(["GET", "POST"])
def list_import(request, list_id):
    from solidar.newsletter import services

    mailing_list = get_object_or_404(MailingList, pk=list_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    result = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                outcome = services.import_addresses(
                    mailing_list, form.cleaned_data["lines"], by=request.user
                )
            except NewsletterError as error:
                form.add_error(None, error.message)
                status = 409
            else:
                result = _result_counts(outcome)
                form = ImportForm()
                status = 200
    context = {"mailing_list": mailing_list, "form": form, "result": result}
    return render(request, "newsletter/manage/list_import.html", context, status=status)


urlpatterns = [
    path("manage/", overview, name="manage"),
    path("manage/new/", create, name="mailing_create"),
    path("manage/lists/", lists, name="lists"),
    path("manage/lists/<int:list_id>/", list_edit, name="list_edit"),
    path("manage/lists/<int:list_id>/import/", list_import, name="list_import"),
    path("manage/<uuid:mailing_id>/", mailing, name="mailing"),
    path("manage/<uuid:mailing_id>/details/", details, name="mailing_details"),
    path("manage/<uuid:mailing_id>/recipients/", set_recipients, name="recipients"),
    path("manage/<uuid:mailing_id>/schedule/", schedule, name="schedule"),
    path("manage/<uuid:mailing_id>/unschedule/", unschedule, name="unschedule"),
    path("manage/<uuid:mailing_id>/test/", send_test, name="send_test"),
    path("manage/<uuid:mailing_id>/delete/", delete, name="mailing_delete"),
    path("manage/<uuid:mailing_id>/progress/", progress, name="progress"),
    path("manage/<uuid:mailing_id>/pause/", pause, name="pause"),
    path("manage/<uuid:mailing_id>/resume/", resume, name="resume"),
    path("manage/<uuid:mailing_id>/cancel/", cancel, name="cancel"),
    path("manage/<uuid:mailing_id>/<str:language>/", variant, name="variant"),
    path("manage/<uuid:mailing_id>/<str:language>/delete/", variant_delete, name="variant_delete"),
    path("manage/<uuid:mailing_id>/<str:language>/preview/", preview, name="preview"),
]
