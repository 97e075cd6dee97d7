"""The public archive of sent mailings per language, with an RSS feed.

    /<lang>/newsletter/archive/            the language's sent mailings, newest first
    /<lang>/newsletter/archive/<slug>/     one of them: subject and text, no personal link
    /<lang>/newsletter/archive/feed.rss    the same as RSS

Only mailings that were sent and are marked for the archive, in the page's language.
Anonymous readers get the public page cache; sending a mailing (``mailings.mark_sent``)
or taking one out of the archive retires the cached pages.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from solidar.core.pagecache import cache_for_anonymous
from solidar.newsletter import compose
from solidar.newsletter.feeds import ArchiveFeed, archived_variants

PER_PAGE = 20


@require_GET
@cache_for_anonymous
def archive(request):
    page = Paginator(archived_variants(get_language()), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "variants": page.object_list,
        "can_manage": request.user.has_perm("newsletter.manage"),
    }
    return render(request, "newsletter/archive/list.html", context)


@require_GET
@cache_for_anonymous
def detail(request, slug):
    variant = archived_variants(get_language()).filter(archive_slug=slug).first()
    if variant is None:
        raise Http404
    context = {"variant": variant, "mailing": variant.mailing, "body": compose.body_html(variant)}
    return render(request, "newsletter/archive/detail.html", context)


@require_GET
@cache_for_anonymous
def feed(request):
    return ArchiveFeed(get_language())(request)


urlpatterns = [
    path("archive/", archive, name="archive"),
    path("archive/feed.rss", feed, name="archive_feed"),
    path("archive/<slug:slug>/", detail, name="archive_detail"),
]
