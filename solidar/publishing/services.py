"""Business rules of the public site: listings, teasers, languages and aliases, the cache.

Every language has its own page tree. A page written in one language is mirrored into the
others as an *alias* (Wagtail keeps its content in step with the original) until somebody
translates it with wagtail-localize; the alias shows the original with a notice, so a
reader never meets a 404 just because a translation is missing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from solidar.core import pagecache
from solidar.publishing import search
from solidar.publishing.models import (
    ContentPage,
    PostIndexPage,
    PostPage,
    StatementIndexPage,
    StatementPage,
    Topic,
)

POSTS_PER_PAGE = 12
TEASER_CHARS = 280
LANGUAGE_NAMES = dict(settings.LANGUAGES)


# -- teasers -------------------------------------------------------------------------------
def teaser_for(page) -> str:
    """The editor's teaser, or the start of the body's text (whole words, ~280 chars)."""
    if getattr(page, "teaser", ""):
        return page.teaser
    text = []
    for block in getattr(page, "body", None) or []:
        if block.block_type == "paragraph":
            text.append(strip_tags(block.value.source))
        elif block.block_type == "heading" and not text:
            continue
        if sum(len(t) for t in text) >= TEASER_CHARS:
            break
    return shorten(" ".join(text))


def shorten(text: str, limit: int = TEASER_CHARS) -> str:
    """Plain text in one line, at most ``limit`` characters, cut after a whole word."""
    plain = re.sub(r"\s+", " ", text).strip()
    if len(plain) <= limit:
        return plain
    cut = plain[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.-–—")
    return f"{cut}…"


# -- validation ----------------------------------------------------------------------------
def validate_post(post: PostPage) -> None:
    """A post is signed by a pseudonym or by a public collective, not both, not a hidden one."""
    collective = post.author_collective
    if post.author_name and collective is not None:
        raise ValidationError(
            {"author_name": _("Choose a pseudonym or a collective as the author, not both.")}
        )
    if collective is not None and (
        collective.visibility != collective.Visibility.PUBLIC or not collective.is_active
    ):
        raise ValidationError(
            {"author_collective": _("Only a public collective can sign a public post.")}
        )


# -- languages -----------------------------------------------------------------------------
@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str
    url: str
    translated: bool  # a real translation (or the original), not an alias
    current: bool
    full_url: str = ""  # absolute (canonical, hreflang, Open Graph)
    page_id: int = 0


# Open Graph wants a territory too (og:locale="de_DE").
OG_LOCALES = {"en": "en_GB", "de": "de_DE", "ru": "ru_RU", "uk": "uk_UA"}
DEFAULT_LANGUAGE = "en"  # hreflang="x-default" is the English version, or else the original
OG_IMAGE_FILTER = "fill-1200x630"


def _url_pair(page: Page, request, current_site_id) -> tuple[str, str]:
    """The page's URL for links (relative on the current site) and its absolute URL,
    from one ``get_url_parts`` (no query: the site root paths are cached)."""
    parts = page.get_url_parts(request)
    if parts is None or parts[2] is None:
        return "", ""
    site_id, root_url, path = parts
    full = root_url + path
    return (path if site_id == current_site_id else full), full


def stands_in(page: Page) -> bool:
    """An alias showing another language's content. Not a language's home page: its text
    is the site's interface, translated like the rest of it, so it counts as translated."""
    return page.alias_of_id is not None and page.depth > 2


def language_versions(page: Page, request=None) -> list[LanguageVersion]:
    """The page in every language of the site, in settings order (one query)."""
    versions = {
        p.locale.language_code: p
        for p in Page.objects.filter(translation_key=page.translation_key)
        .live()
        .select_related("locale")
        .only("id", "url_path", "depth", "alias_of_id", "locale__language_code", "translation_key")
    }
    site = Site.find_for_request(request) if request is not None else None
    result = []
    for code, name in settings.LANGUAGES:
        version = versions.get(code)
        if version is None:
            continue
        url, full_url = _url_pair(version, request, site.pk if site else None)
        result.append(
            LanguageVersion(
                code=code,
                name=name,
                url=url,
                translated=not stands_in(version),
                current=version.pk == page.pk,
                full_url=full_url,
                page_id=version.pk,
            )
        )
    return result


def hreflang_links(versions: list[LanguageVersion], suffix: str = "") -> list[dict]:
    """``<link rel="alternate" hreflang>`` targets: the real translations only (an alias
    is the original's content under another address) and ``x-default``."""
    translated = [v for v in versions if v.translated and v.full_url]
    if not translated:
        return []
    default = next((v for v in translated if v.code == DEFAULT_LANGUAGE), None) or min(
        translated,
        key=lambda v: v.page_id,  # the original was made first
    )
    links = [{"code": v.code, "url": v.full_url + suffix} for v in translated]
    links.append({"code": "x-default", "url": default.full_url + suffix})
    return links


def meta_description(page: Page) -> str:
    """The editor's search description, else the teaser, the introduction or the start
    of the text; on a home page without one, what the network is."""
    text = (
        page.search_description
        or getattr(page, "teaser", "")
        or getattr(page, "intro", "")
        or teaser_for(page)
    )
    if not text and getattr(page, "preamble", ""):
        text = shorten(strip_tags(page.preamble))
    if not text and isinstance(page, StatementPage):
        text = _("%(kind)s %(number)s, adopted by %(body)s on %(day)s.") % {
            "kind": page.get_kind_display(),
            "number": page.number,
            "body": page.adopted_by,
            "day": date_format(page.adopted_on),
        }
    if not text and isinstance(page, PostIndexPage):
        text = _("Posts of %(site)s") % {"site": settings.SOLIDAR_SITE_NAME}
    if not text and isinstance(page, StatementIndexPage):
        text = _("Statements and resolutions of %(site)s") % {"site": settings.SOLIDAR_SITE_NAME}
    if not text and page.depth == 2:  # a language's home page
        text = _(
            "%(site_name)s brings together people from Russia, Ukraine, Belarus, Central "
            "Asia and the South Caucasus who now live abroad: local cells, working groups, "
            "mutual aid and campaigns, decided together."
        ) % {"site_name": settings.SOLIDAR_SITE_NAME}
    return text or page.title


def og_locale(code: str) -> str:
    return OG_LOCALES.get(code, f"{code}_{code.upper()}")


def _route_suffix(page_url: str, request) -> str:
    """What a routable page's own route adds to its URL ("topic/x/", "2024/10/"), the same
    in every language; and a page number past the first."""
    if request is None or not page_url:
        return ""
    path = request.path
    suffix = path[len(page_url) :] if path.startswith(page_url) else ""
    number = request.GET.get("page", "")
    if number.isdigit() and int(number) > 1:
        suffix += f"?page={int(number)}"
    return suffix


def cover_image_url(page: Page, root_url: str) -> str:
    """The cover's Open Graph rendition (1200 x 630), absolute; "" without a cover."""
    cover = getattr(page, "cover", None)
    if cover is None:
        return ""
    url = cover.get_rendition(OG_IMAGE_FILTER).url
    return url if url.startswith(("http://", "https://")) else root_url + url


def page_context(page: Page, context: dict) -> dict:
    """What every public page adds to its context: the original (for an alias), the
    language of its content, its versions in other languages (for the switcher and the
    hreflang links), its canonical URL and the meta and Open Graph tags."""
    request = context.get("request")
    # An alias has its original's type: one query, not two (``alias_of.specific``).
    original = type(page).objects.filter(pk=page.alias_of_id).first() if stands_in(page) else None
    versions = language_versions(page, request)
    source = original or page
    content_language = (
        next((v.code for v in versions if v.page_id == source.pk), None)
        or source.locale.language_code
    )  # the versions know the language: no query
    own = next((v for v in versions if v.current), None)
    suffix = _route_suffix(own.url if own else "", request)
    source_version = next((v for v in versions if v.page_id == source.pk), None)
    canonical = source_version.full_url if source_version else source.get_full_url(request)
    canonical = (canonical or "") + suffix
    root_url = canonical.split("/", 3)[:3]
    description = meta_description(source)
    context.update(
        {
            "original": original,
            "original_language_name": LANGUAGE_NAMES.get(content_language, content_language),
            "content_language": content_language,
            "language_versions": versions,
            "other_translations": [v for v in versions if v.translated and not v.current],
            # The switcher goes to the same page in each language, translated or not.
            "language_links": [
                {"code": v.code, "name": v.name, "url": v.url, "current": v.current}
                for v in versions
            ],
            "canonical_url": canonical,
            "hreflang_links": hreflang_links(versions, suffix),
            "meta_description": description,
            "og_type": "article" if isinstance(page, PostPage) else "website",
            "og_title": source.seo_title or source.title,
            "og_locale": og_locale(content_language),
            "og_locale_alternates": [
                og_locale(v.code) for v in versions if v.translated and v.code != content_language
            ],
            "og_image_url": cover_image_url(source, "/".join(root_url)),
            "og_image_alt": getattr(getattr(source, "cover", None), "description", ""),
        }
    )
    if isinstance(page, PostPage):
        context.update(_post_context(page, request))
    return context


@dataclass(frozen=True)
class TopicLink:
    name: str
    slug: str
    url: str


def author_of(post: PostPage) -> str:
    """The pseudonym, or the signing collective while it is public (never a hidden one)."""
    collective = post.author_collective
    if collective is not None and collective.visibility == collective.Visibility.PUBLIC:
        return collective.name
    return post.author_name


def _post_context(post: PostPage, request) -> dict:
    # The parent, as its own type in one query (``get_parent().specific`` takes two).
    index = PostIndexPage.objects.filter(path=post.path[: -post.steplen]).first()
    topics = with_local_topics([post], post.locale_id)[0].local_topics
    index_url = index.get_url(request) if index is not None else ""
    return {
        "author": author_of(post),
        "topics": [
            TopicLink(t.name, t.slug, f"{index_url}topic/{t.slug}/" if index_url else "")
            for t in topics
        ],
    }


def sync_aliases(page: Page) -> list[Page]:
    """Mirror ``page`` (and, where missing, its parents) into every other language as an
    alias, unless the language already has it (translated or aliased)."""
    have = set(
        Page.objects.filter(translation_key=page.translation_key).values_list(
            "locale_id", flat=True
        )
    )
    created = []
    for locale in Locale.objects.exclude(pk__in=have):
        created.append(page.copy_for_translation(locale, copy_parents=True, alias=True))
    return created


def sync_all_aliases() -> int:
    """Every page in every language (demo data, repairs): parents before children.

    Each group of translations is mirrored from its original (the first page written), so
    that an alias always shows the original, not another translation of it."""
    count = 0
    done = set()
    for page in Page.objects.filter(depth__gt=1, alias_of__isnull=True).order_by("path"):
        if page.translation_key in done:
            continue
        done.add(page.translation_key)
        original = (
            Page.objects.filter(translation_key=page.translation_key, alias_of__isnull=True)
            .order_by("pk")
            .first()
        )
        count += len(sync_aliases(original))
    return count


# -- what follows a change to the site (wagtail_hooks maps Wagtail's events here) ----------
def page_published(page: Page) -> None:
    search.index_page(page)
    pagecache.invalidate()


def page_withdrawn(page: Page) -> None:
    """Unpublished or deleted."""
    search.remove_page(page)
    pagecache.invalidate()


def page_moved(page: Page) -> None:
    search.reindex_subtree(page)
    pagecache.invalidate()


def view_restriction_changed(restriction) -> None:
    """A page became private or public again: the index and every cached copy follow."""
    search.restricted_subtree_changed(restriction)
    pagecache.invalidate()


def topic_saved(topic: Topic, *, created: bool) -> None:
    if created:
        sync_topic(topic)
    pagecache.invalidate()


# -- listings ------------------------------------------------------------------------------
def _posts(locale):
    return (
        PostPage.objects.live()
        .public()
        .filter(locale=locale)
        .select_related("alias_of__locale", "author_collective", "locale")
        .prefetch_related("topics")
        .order_by("-date", "-first_published_at")
    )


def _topics_by_key(locale) -> dict:
    return {t.translation_key: t for t in Topic.objects.filter(locale=locale)}


def with_local_topics(posts, locale) -> list[PostPage]:
    """Give each post ``local_topics``: its topics in the reader's language.

    An alias carries the original's topics; topics are matched across languages by their
    translation key (one query for the whole list)."""
    posts = list(posts)
    local = _topics_by_key(locale)
    for post in posts:
        post.local_topics = [local.get(t.translation_key, t) for t in post.topics.all()]
        post.teaser_text = teaser_for(post)
    return posts


def latest_posts(locale, *, limit: int) -> list[PostPage]:
    return with_local_topics(_posts(locale)[:limit], locale)


def post_index(locale) -> PostIndexPage | None:
    return PostIndexPage.objects.live().filter(locale=locale).first()


def programme_page(locale) -> ContentPage | None:
    return ContentPage.objects.live().filter(locale=locale, is_programme=True).first()


def get_topic(locale, slug: str) -> Topic:
    topic = Topic.objects.filter(locale=locale, slug=slug).first()
    if topic is None:
        raise Http404
    return topic


def parse_month(year: str, month: str) -> datetime.date:
    try:
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        raise Http404 from None


def post_listing(index: PostIndexPage, number, *, topic=None, month=None) -> dict:
    in_index = _posts(index.locale).child_of(index)
    posts = in_index
    if topic is not None:
        posts = posts.filter(topics__translation_key=topic.translation_key)
    if month is not None:
        posts = posts.filter(date__year=month.year, date__month=month.month)
    page: PaginatorPage = Paginator(posts, POSTS_PER_PAGE).get_page(number)
    used = Topic.objects.filter(posts__in=in_index.values("pk")).values("translation_key")
    return {
        "posts": with_local_topics(page.object_list, index.locale),
        "posts_page": page,  # not "page": that is the Wagtail page being shown
        "topic": topic,
        "month": month,
        "topics": Topic.objects.filter(locale=index.locale, translation_key__in=used),
        "months": in_index.dates("date", "month", order="DESC"),
    }


def sync_topic(topic: Topic) -> int:
    """The topic in every language: a copy under the same slug until it is translated.
    (bulk_create: no post_save, so the hook that calls this does not run again.)"""
    have = Topic.objects.filter(translation_key=topic.translation_key).values("locale_id")
    copies = [topic.copy_for_translation(locale) for locale in Locale.objects.exclude(pk__in=have)]
    Topic.objects.bulk_create(copies)
    return len(copies)


def sync_topics() -> int:
    return sum(sync_topic(topic) for topic in Topic.objects.order_by("pk"))


def statements(index) -> list[StatementPage]:
    return list(
        StatementPage.objects.live()
        .public()
        .child_of(index)
        .select_related("alias_of__locale")
        .order_by("-adopted_on", "-number")
    )
