"""sitemap.xml: every live, public page that has content in its own language.

Aliases (a page shown in another language's tree until it is translated) are left out:
their content is the original's, which is listed under its own address. Each language's
home page is listed, alias or not: its text is the translated interface. Each page names
its real translations as hreflang alternates, and an ``x-default``: the English version,
or the original when there is no English one. Two queries, however many pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.db.models import Q
from wagtail.models import Page

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Entry:
    url: str
    lastmod: str  # W3C datetime
    alternates: tuple[tuple[str, str], ...]  # (hreflang, url), x-default last


def entries(request) -> list[Entry]:
    """The sitemap's entries, grouped by translation (each group in settings order)."""
    pages = (
        Page.objects.live()
        .public()
        # Not the stand-ins (services.stands_in): aliases below a language's home page.
        .filter(Q(alias_of__isnull=True) | Q(depth=2), depth__gt=1)
        .select_related("locale")
        .only(
            "id",
            "depth",
            "url_path",
            "translation_key",
            "last_published_at",
            "latest_revision_created_at",
            "locale__language_code",
        )
        .order_by("path")
    )
    order = {code: n for n, (code, _name) in enumerate(settings.LANGUAGES)}
    groups: dict = defaultdict(list)
    for page in pages:
        url = page.get_full_url(request)
        if url:  # outside every site: not reachable, not listed
            groups[page.translation_key].append((page, url))
    result = []
    for versions in groups.values():
        versions.sort(key=lambda v: order.get(v[0].locale.language_code, len(order)))
        codes = {v[0].locale.language_code: v[1] for v in versions}
        # The original is the version created first.
        default = codes.get(DEFAULT_LANGUAGE) or min(versions, key=lambda v: v[0].pk)[1]
        alternates = tuple(codes.items()) + (("x-default", default),)
        for page, url in versions:
            changed = page.last_published_at or page.latest_revision_created_at
            result.append(
                Entry(
                    url=url, lastmod=changed.isoformat() if changed else "", alternates=alternates
                )
            )
    return result


def render(items: list[Entry]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
    ]
    for entry in items:
        lines.append(f"<url><loc>{escape(entry.url)}</loc>")
        if entry.lastmod:
            lines.append(f"<lastmod>{entry.lastmod}</lastmod>")
        for code, url in entry.alternates:
            lines.append(f'<xhtml:link rel="alternate" hreflang="{code}" href={quoteattr(url)}/>')
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
