"""Wagtail admin views of the editorial side: the translation status report.

Mounted under /cms/ by ``wagtail_hooks`` (``register_admin_urls``), so Wagtail's admin
access check and the MFA middleware come first; the report's own rule is
``publishing.view_translation_status`` (editors and superusers).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from solidar.publishing import editorial

ROWS_PER_PAGE = 50


class TranslationStatusFilter(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *settings.LANGUAGES],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *((s.value, s.label) for s in editorial.FILTER_STATUSES)],
    )


def translation_status(request):
    if not request.user.has_perm("publishing.view_translation_status"):
        raise PermissionDenied
    form = TranslationStatusFilter(request.GET if request.GET else None)
    language = status = None
    http_status = 200
    if form.is_bound:
        if form.is_valid():
            language = form.cleaned_data["language"] or None
            status = (
                editorial.Status(form.cleaned_data["status"])
                if form.cleaned_data["status"]
                else None
            )
        else:
            http_status = 400
    sources = editorial.translation_status(language=language, status=status)
    page = Paginator(sources, ROWS_PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "publishing/admin/translation_status.html",
        {
            "form": form,
            "sources": page.object_list,
            "sources_page": page,
            "query": query.urlencode(),
            "languages": [
                (code, name)
                for code, name in settings.LANGUAGES
                if not language or code == language
            ],
            "total": len(sources),
        },
        status=http_status,
    )


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("publishing.view_translation_status")
