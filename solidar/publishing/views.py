"""Public views outside the page tree; the page tree itself is served by Wagtail, through
the anonymous page cache."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views
from wagtail.models import Locale

from solidar.core.pagecache import cache_for_anonymous
from solidar.publishing import search as site_search
from solidar.publishing import services, sitemap

serve_page = cache_for_anonymous(wagtail_views.serve)


@cache_for_anonymous
def search(request):
    """GET /<lang>/search/?q=...&all=1&page=N: the site's pages in this language (or all)."""
    form = site_search.SearchForm(request.GET)
    results, query, all_languages = None, "", False
    if form.is_valid():
        query, all_languages = form.cleaned_data["q"], form.cleaned_data["all"]
        if query:
            results = site_search.search(
                query,
                language=get_language(),
                all_languages=all_languages,
                page_number=request.GET.get("page"),
            )
    # The page links keep the query (pagination.html appends this after the number).
    keep = urlencode({"q": query, **({"all": "1"} if all_languages else {})})
    context = {
        "form": form,
        "query": query,
        "results": results,
        "page_query": f"&{keep}#results",
        "limit": site_search.CANDIDATES,
    }
    status = 400 if form.errors else 200
    return TemplateResponse(request, "publishing/search.html", context, status=status)


def _redirect_to(page):
    if page is None:
        raise Http404
    return redirect(page.get_url(request=None))


@require_GET
def posts(request):
    """The menu's "Posts": the post index of the reader's language, wherever editors put it."""
    return _redirect_to(services.post_index(Locale.get_active()))


@require_GET
def programme(request):
    """The menu's "Programme": the content page marked as the programme, in this language."""
    return _redirect_to(services.programme_page(Locale.get_active()))


@require_GET
@cache_for_anonymous
def sitemap_xml(request):
    """/sitemap.xml (outside the language prefixes): every page with its translations."""
    body = sitemap.render(sitemap.entries(request))
    return HttpResponse(body, content_type="application/xml; charset=utf-8")
