"""Decisions: a resolution's page, its versions, corrections, translations and publishing.

The resolution page is for the body's members (a resolution may say more than its public
copy: the vote record, the corrections). Once published, the public copy is the statement
page on the public site: someone who may not see the body is sent there. Everyone else
gets 404, as for a hidden cell. The editing pages are the coordinators' (privileged: MFA).
"""

from __future__ import annotations

import rules
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidar.accounts.mfa import privileged_view
from solidar.core.markup import render_markdown
from solidar.decisions import publish as publishing
from solidar.decisions import resolutions
from solidar.decisions.forms_resolutions import ReviseForm, TranslateForm
from solidar.decisions.models import Resolution, ResolutionVersion
from solidar.decisions.services import DecisionError

LANGUAGE_NAMES = dict(settings.LANGUAGES)


# -- finding a resolution -----------------------------------------------------------------
def _resolution(pk: int) -> Resolution:
    return get_object_or_404(
        Resolution.objects.select_related("body__collective", "body__event", "vote"), pk=pk
    )


def get_resolution_for_member(user, pk: int) -> Resolution:
    """The resolution if ``user`` may see its body; 404 otherwise."""
    resolution = _resolution(pk)
    if not rules.has_perm("decisions.view_body", user, resolution):
        raise Http404
    return resolution


def get_resolution_for_editor(user, pk: int) -> Resolution:
    resolution = _resolution(pk)
    if not rules.has_perm("decisions.edit_resolution", user, resolution):
        raise Http404
    return resolution


def _maybe_reverse(name: str, *args) -> str | None:
    # The body's and the vote's pages are other modules': until they are routed, no link.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _body_url(resolution: Resolution) -> str | None:
    body = resolution.body
    if body.is_assembly:
        return _maybe_reverse("decisions:assembly", body.event.slug)
    return _maybe_reverse("decisions:body", body.collective.slug)


def _decisions_html(decisions: list[str]) -> list:
    return [render_markdown(decision) for decision in decisions]


def _vote_record(resolution: Resolution) -> dict | None:
    vote = resolution.vote
    if vote is None:
        return None
    result = vote.result or {}
    totals = result.get("totals") or {}
    return {
        "vote": vote,
        "url": _maybe_reverse("decisions:results", vote.pk),
        "totals": totals,
        "ballots": result.get("ballots"),
        "electorate": result.get("electorate"),
    }


def _languages(resolution: Resolution, texts: dict, can_edit: bool) -> list[dict]:
    """Every language of the site: the original, a translation (current or outdated) or
    none yet, with the links to read and (for coordinators) to translate."""
    rows = []
    page = reverse("decisions:resolution", args=[resolution.pk])
    for code, name in settings.LANGUAGES:
        text = texts.get(code)
        original = code == resolution.language
        rows.append(
            {
                "code": code,
                "name": name,
                "original": original,
                "exists": text is not None,
                "outdated": text is not None and not text["current"],
                "url": f"{page}?language={code}" if text is not None else None,
                "translate_url": (
                    reverse("decisions:translate", args=[resolution.pk, code])
                    if can_edit and not original
                    else None
                ),
            }
        )
    return rows


# -- the resolution -----------------------------------------------------------------------
def _page_context(request, resolution: Resolution) -> dict:
    texts = resolutions.texts(resolution)
    language = request.GET.get("language", "")
    if language not in texts:
        language = resolution.language
    text = texts[language]
    can_edit = rules.has_perm("decisions.edit_resolution", request.user, resolution)
    return {
        "resolution": resolution,
        "body": resolution.body,
        "body_url": _body_url(resolution),
        "language": language,
        "language_name": LANGUAGE_NAMES.get(language, language),
        "shown": text,
        "preamble_html": render_markdown(text["preamble"]) if text["preamble"] else "",
        "decisions_html": _decisions_html(text["decisions"]),
        "record": _vote_record(resolution),
        "versions": list(
            ResolutionVersion.objects.filter(resolution=resolution)
            .only("number", "note", "created_at", "resolution_id")
            .order_by("-number")
        ),
        "languages": _languages(resolution, texts, can_edit),
        "can_edit": can_edit,
        "public_url": publishing.public_url(resolution, request.LANGUAGE_CODE),
    }


@require_GET
def resolution_page(request, pk: int):
    resolution = _resolution(pk)
    if not rules.has_perm("decisions.view_body", request.user, resolution):
        # The public copy is the statement page; the rest stays with the body's members.
        public = (
            publishing.public_url(resolution, request.LANGUAGE_CODE)
            if rules.has_perm("decisions.view_resolution", request.user, resolution)
            else ""
        )
        if public:
            return redirect(public)
        raise Http404
    return render(request, "decisions/resolution/detail.html", _page_context(request, resolution))


@require_GET
def resolution_version(request, pk: int, number: int):
    resolution = get_resolution_for_member(request.user, pk)
    version = get_object_or_404(ResolutionVersion, resolution=resolution, number=number)
    return render(
        request,
        "decisions/resolution/version.html",
        {
            "resolution": resolution,
            "body": resolution.body,
            "body_url": _body_url(resolution),
            "version": version,
            "is_current": version.number == resolution.version,
            "preamble_html": render_markdown(version.preamble) if version.preamble else "",
            "decisions_html": _decisions_html(version.decisions),
        },
    )


# -- correcting, translating, publishing (coordinators) ----------------------------------
@privileged_view
@require_http_methods(["GET", "POST"])
def revise(request, pk: int):
    resolution = get_resolution_for_editor(request.user, pk)
    error = None
    if request.method == "POST":
        form = ReviseForm(request.POST)
        if form.is_valid():
            try:
                resolutions.revise(
                    resolution,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    preamble=form.cleaned_data["preamble"],
                    decisions=form.decision_list(),
                    note=form.cleaned_data["note"],
                )
            except DecisionError as exc:
                error = str(exc)
            else:
                messages.success(
                    request, _("The resolution is corrected: a new version is recorded.")
                )
                return redirect("decisions:resolution", pk=resolution.pk)
    else:
        form = ReviseForm(
            initial=ReviseForm.initial_from(resolutions.texts(resolution)[resolution.language])
        )
    return render(
        request,
        "decisions/resolution/revise.html",
        {"resolution": resolution, "body": resolution.body, "form": form, "error": error},
        status=400 if request.method == "POST" else 200,
    )


@privileged_view
@require_http_methods(["GET", "POST"])
def translate(request, pk: int, language: str):
    resolution = get_resolution_for_editor(request.user, pk)
    if language not in LANGUAGE_NAMES or language == resolution.language:
        raise Http404
    texts = resolutions.texts(resolution)
    original = texts[resolution.language]
    existing = texts.get(language)
    expected = len(original["decisions"])
    error = None
    if request.method == "POST":
        form = TranslateForm(request.POST, expected=expected)
        if form.is_valid():
            try:
                resolutions.translate(
                    resolution,
                    language,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    preamble=form.cleaned_data["preamble"],
                    decisions=form.decision_list(),
                )
            except DecisionError as exc:
                error = str(exc)
            else:
                messages.success(
                    request,
                    _("The translation into %(language)s is saved.")
                    % {"language": LANGUAGE_NAMES[language]},
                )
                return redirect("decisions:resolution", pk=resolution.pk)
    else:
        form = TranslateForm(
            initial=TranslateForm.initial_from(existing) if existing else None, expected=expected
        )
    return render(
        request,
        "decisions/resolution/translate.html",
        {
            "resolution": resolution,
            "body": resolution.body,
            "form": form,
            "error": error,
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "original_language": resolution.language,
            "original_language_name": LANGUAGE_NAMES.get(resolution.language, resolution.language),
            "original": original,
            "original_preamble_html": (
                render_markdown(original["preamble"]) if original["preamble"] else ""
            ),
            "original_decisions_html": _decisions_html(original["decisions"]),
            "outdated": existing is not None and not existing["current"],
        },
        status=400 if request.method == "POST" else 200,
    )


@privileged_view
@require_POST
def publish(request, pk: int):
    resolution = get_resolution_for_editor(request.user, pk)
    try:
        publishing.publish(resolution, by=request.user)
    except DecisionError as exc:
        context = _page_context(request, resolution)
        context["error"] = str(exc)
        return render(request, "decisions/resolution/detail.html", context, status=400)
    messages.success(
        request, _("The resolution is published on the public site in every language it has.")
    )
    return redirect("decisions:resolution", pk=resolution.pk)


urlpatterns = [
    path("decisions/resolutions/<int:pk>/", resolution_page, name="resolution"),
    path("decisions/resolutions/<int:pk>/revise/", revise, name="revise"),
    path(
        "decisions/resolutions/<int:pk>/translate/<str:language>/",
        translate,
        name="translate",
    ),
    path(
        "decisions/resolutions/<int:pk>/versions/<int:number>/",
        resolution_version,
        name="resolution_version",
    ),
    path("decisions/resolutions/<int:pk>/publish/", publish, name="publish"),
]
