from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """Liveness check; also the "bare view" the benchmarks compare against."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /cms/", "Disallow: /django-admin/"]
    for code, _name in settings.LANGUAGES:
        lines.append(f"Disallow: /{code}/accounts/")
        lines.append(f"Disallow: /{code}/account/")
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def csrf_failure(request, reason=""):
    return render(
        request,
        "core/error.html",
        {
            "title": _("The form expired"),
            "message": _(
                "For your safety, forms work only for a while and only from this site. "
                "Go back, reload the page and send it again: nothing you saved earlier is lost."
            ),
        },
        status=403,
    )


def bad_request(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": _("That request could not be understood"),
            "message": _("Check the address or the form and try again."),
        },
        status=400,
    )


def permission_denied(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"title": _("Not allowed"), "message": _("You cannot do this here.")},
        status=403,
    )


def page_not_found(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": _("Page not found"),
            "message": _("There is nothing at this address, or you cannot see it."),
        },
        status=404,
    )


def server_error(request):
    return render(
        request,
        "core/error.html",
        {
            "title": _("Something went wrong on our side"),
            "message": _("Please try again in a moment. Nothing you saved earlier is lost."),
        },
        status=500,
    )
