"""Search of the public site: the index (``SearchEntry``) and the queries over it.

One entry per live, public page with content in its own language: posts, content pages,
statements. Aliases are never indexed (their content is another language's); the
original is, in its own language. ``wagtail_hooks`` keeps the index current on publish,
unpublish, move and deletion; ``manage.py rebuild_search_index`` writes it anew.

PostgreSQL: the table has a generated ``tsvector`` column (title weight A, text weight B,
in the row's language's text search configuration, migration 0003) with a GIN index. A
query is parsed by ``websearch_to_tsquery`` in the same configuration; only the newest
``CANDIDATES`` matches are ranked (``ts_rank``), so a common word costs no more than a
rare one. Count, ranking and the page of results are one query.

Elsewhere (SQLite in development and tests): every word must occur in the title or the
text (``icontains``), newest first, at most ``CANDIDATES`` results.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import get_text_for_indexing

from solidar.publishing.models import ContentPage, PostPage, SearchEntry, StatementPage

MAX_QUERY = 200  # characters; a longer query is refused with a message (HTTP 400)
PER_PAGE = 20
CANDIDATES = 500  # the newest matches that are ranked; older ones are not shown
EXCERPT_CHARS = 240
MAX_TERMS = 8  # words of a query looked for by the fallback and the excerpt
TEXT_LIMIT = 100_000  # characters of a page's text that are indexed

# Must agree with migration 0003, which generates a vector column per language from them.
TS_CONFIGS = {"en": "english", "de": "german", "ru": "russian", "uk": "simple"}
LANGUAGE_NAMES = dict(settings.LANGUAGES)
INDEXED_TYPES = (PostPage, ContentPage, StatementPage)


# -- the query -----------------------------------------------------------------------------
def clean_query(text: str) -> str:
    """The query without control characters (a NUL would upset PostgreSQL) and with runs
    of whitespace made one space."""
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in text)
    return re.sub(r"\s+", " ", kept).strip()


def query_terms(query: str) -> list[str]:
    return re.findall(r"\w+", query.lower())[:MAX_TERMS]


class SearchForm(forms.Form):
    """The search box: the query and whether to look in every language."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={
            "max_length": _("Please search for at most %(limit_value)d characters."),
        },
    )
    all = forms.BooleanField(label=_("Search in all languages"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Control characters are dropped (clean_query), not refused.
        field = self.fields["q"]
        field.validators = [
            v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def clean_q(self) -> str:
        return clean_query(self.cleaned_data["q"])


# -- the index -----------------------------------------------------------------------------
def _stream_text(stream) -> list[str]:
    """The readable text of a StreamField: headings, paragraphs, quotes, captions,
    decisions (not the choice labels and image ids Wagtail's own indexing adds)."""
    parts = []
    for block in stream or []:
        value = block.value
        if block.block_type in ("paragraph", "decision"):
            parts.append(get_text_for_indexing(value.source))
        elif block.block_type == "heading":
            parts.append(f"{value['text']} ·")  # not run into the next paragraph
        elif block.block_type == "quote":
            parts.extend([value["quote"], value["attribution"]])
        elif block.block_type == "image":
            parts.append(value["caption"])
    return parts


def _plain(parts: Iterable[str]) -> str:
    text = re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()
    return text[:TEXT_LIMIT]


def entry_for(page: Page) -> SearchEntry | None:
    """The index entry ``page`` should have, or None when it should have none."""
    page = page.specific
    if (
        not isinstance(page, INDEXED_TYPES)
        or not page.live
        or page.alias_of_id is not None
        or page.get_view_restrictions().exists()
    ):
        return None
    url = _page_url(page)
    if not url:
        return None
    if isinstance(page, PostPage):
        kind, date = SearchEntry.Kind.POST, page.date
        text = _plain([page.teaser, *_stream_text(page.body)])
    elif isinstance(page, StatementPage):
        kind, date = SearchEntry.Kind.STATEMENT, page.adopted_on
        text = _plain(
            [
                page.number,
                page.adopted_by,
                get_text_for_indexing(page.preamble),
                *_stream_text(page.decisions),
            ]
        )
    else:
        kind = SearchEntry.Kind.PAGE
        published = page.last_published_at or page.first_published_at
        date = timezone.localdate(published) if published else timezone.localdate()
        text = _plain([page.intro, *_stream_text(page.body)])
    return SearchEntry(
        page_id=page.pk,
        language=page.locale.language_code,
        title=page.title[:255],
        text=text,
        url=url[:500],
        date=date,
        kind=kind,
    )


def index_page(page: Page) -> bool:
    """Bring the page's entry up to date (write it, or remove it when the page should not
    be found); True when it is in the index now. When the page's address changed, the
    entries of the pages below it get their new addresses too."""
    entry = entry_for(page)
    with transaction.atomic():
        if entry is None:
            remove_page(page)
        else:
            SearchEntry.objects.update_or_create(
                page_id=entry.page_id,
                defaults={
                    f.attname: getattr(entry, f.attname)
                    for f in SearchEntry._meta.concrete_fields
                    if not f.primary_key
                },
            )
        if page.numchild:
            url = entry.url if entry else _page_url(page)
            below = SearchEntry.objects.filter(
                page__path__startswith=page.path, page__depth__gt=page.depth
            )
            if url and below.exclude(url__startswith=url).exists():
                reindex_below(page)
    return entry is not None


def _page_url(page: Page) -> str:
    url_parts = page.get_url_parts()
    return (url_parts[2] or "") if url_parts else ""


def remove_page(page: Page) -> None:
    """Take the page out of the index (with what is under it, when it was unpublished
    Wagtail tells us about each page; a deleted page's entry goes with the row)."""
    SearchEntry.objects.filter(page_id=page.pk).delete()


def reindex_below(page: Page) -> int:
    """Index every page under ``page`` again (it moved, got a new address, or a view
    restriction was added or lifted)."""
    count = 0
    for child in page.get_descendants().specific().iterator(chunk_size=200):
        count += index_page_only(child)
    return count


def reindex_subtree(page: Page) -> int:
    return index_page_only(page) + reindex_below(page)


def index_page_only(page: Page) -> int:
    entry = entry_for(page)
    SearchEntry.objects.filter(page_id=page.pk).delete()
    if entry is None:
        return 0
    entry.save(force_insert=True)
    return 1


def rebuild() -> int:
    """Index every page again, in one transaction; the number of entries."""
    pages = (
        Page.objects.live()
        .public()
        .filter(alias_of__isnull=True)
        .type(*INDEXED_TYPES)
        .specific()
        .select_related("locale")
    )
    entries = [e for e in (entry_for(p) for p in pages.iterator(chunk_size=500)) if e]
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def restricted_subtree_changed(restriction: PageViewRestriction) -> None:
    """A view restriction was added, changed or lifted: what is under it is (not) public."""
    page = Page.objects.filter(pk=restriction.page_id).first()
    if page is not None:
        reindex_subtree(page)


# -- searching -----------------------------------------------------------------------------
def excerpt(text: str, terms: list[str], width: int = EXCERPT_CHARS) -> str:
    """A short piece of ``text`` around the first place one of ``terms`` occurs (or the
    start of a word that shares a stem with it: "Gefangenen" shows "Gefangene"), cut at
    spaces, with "…" where text was left out. Looks at the text once per term (Django's
    Truncator would walk every character of a long text)."""
    lowered = text.lower()
    found = None
    for term in terms:
        candidates = [term]
        if len(term) > 5:
            candidates.append(term[: max(4, len(term) - 3)])
        for candidate in candidates:
            match = re.search(r"(?<!\w)" + re.escape(candidate), lowered)
            if match and (found is None or match.start() < found):
                found = match.start()
                break
    start = 0
    if found is not None and found >= width // 3:
        start = text.rfind(" ", 0, found - width // 3) + 1
    end = start + width - 2  # room for the two ellipses
    if end >= len(text):
        piece = text[start:]
    else:
        cut = text.rfind(" ", start, end)
        piece = text[start : cut if cut > start else end].rstrip(" ,.;:") + "…"
    return ("…" if start else "") + piece


def _decorate(entries: list[SearchEntry], query: str) -> list[SearchEntry]:
    terms = query_terms(query)
    for entry in entries:
        entry.excerpt = excerpt(entry.text, terms)
        entry.language_name = LANGUAGE_NAMES.get(entry.language, entry.language)
    return entries


def _page_offset(number) -> int:
    """The offset Paginator.get_page will ask for, given the raw page number (guessed
    ahead so that count and rows come from one query; a wrong guess costs a query)."""
    try:
        value = int(number)
    except (TypeError, ValueError):
        value = 1
    last = max(1, -(-CANDIDATES // PER_PAGE))
    return (min(max(value, 1), last) - 1) * PER_PAGE


def _vector(code: str) -> str:
    """The column with the vectors of ``code``'s rows (a name from TS_CONFIGS only)."""
    if code not in TS_CONFIGS:
        raise ValueError(f"no search vector for language {code!r}")
    return f"vector_{code}"


def _tsquery(code: str) -> str:
    # The configuration is a constant from TS_CONFIGS; the query text is a parameter.
    return f"websearch_to_tsquery('{TS_CONFIGS[code]}'::regconfig, %s)"


class _RankedMatches:
    """The PostgreSQL matches as Paginator sees them: ``count()`` and one slice, answered
    by one query (the newest CANDIDATES matches, ranked, one page of them, their count)."""

    def __init__(self, query: str, languages: list[str], number):
        self.query = query
        self.languages = languages
        self.offset = _page_offset(number)
        self.rows: list[SearchEntry] | None = None
        self.total = 0

    def count(self) -> int:
        if self.rows is None:
            self._fetch(self.offset)
        return self.total

    def __getitem__(self, window: slice) -> list[SearchEntry]:
        start = window.start or 0
        if self.rows is None or start != self.offset:
            self._fetch(start)
        return self.rows

    def _candidates(self) -> tuple[str, list]:
        """The newest CANDIDATES matches: per language (each walks its (language, date)
        index or looks in its GIN index, whichever the statistics of its own column say
        is cheaper for the words), then together."""
        branches, params = [], []
        for code in self.languages:
            branches.append(
                f"(SELECT page_id, language, date, {_vector(code)} AS vector"  # noqa: S608
                " FROM publishing_searchentry"
                f" WHERE language = %s AND {_vector(code)} @@ {_tsquery(code)}"
                " ORDER BY date DESC, page_id DESC LIMIT %s)"
            )
            params += [code, self.query, CANDIDATES]
        sql = " UNION ALL ".join(branches)
        if len(branches) > 1:
            sql = f"SELECT * FROM ({sql}) u ORDER BY date DESC, page_id DESC LIMIT %s"  # noqa: S608
            params.append(CANDIDATES)
        return sql, params

    def _fetch(self, offset: int) -> None:
        self.offset = offset
        ranks, rank_params = [], []
        for code in self.languages:
            ranks.append(f"WHEN %s THEN ts_rank(c.vector, {_tsquery(code)})")
            rank_params += [code, self.query]
        candidates, candidate_params = self._candidates()
        sql = f"""
            SELECT e.page_id, e.language, e.title, e.text, e.url, e.date, e.kind, r.total
            FROM (
                SELECT c.page_id, c.date, count(*) OVER () AS total,
                       CASE c.language {" ".join(ranks)} END AS rank
                FROM ({candidates}) c
                ORDER BY rank DESC, c.date DESC, c.page_id DESC
                LIMIT %s OFFSET %s
            ) r
            JOIN publishing_searchentry e ON e.page_id = r.page_id
            ORDER BY r.rank DESC, r.date DESC, r.page_id DESC
        """  # noqa: S608 - only names from TS_CONFIGS are interpolated, values are parameters
        params = [*rank_params, *candidate_params, PER_PAGE, offset]
        # One short query on a small machine: parallel workers cost more to start than
        # they save, and take the cores other requests are waiting for.
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        self.rows = [
            SearchEntry(
                page_id=r[0], language=r[1], title=r[2], text=r[3], url=r[4], date=r[5], kind=r[6]
            )
            for r in rows
        ]
        if rows:
            self.total = rows[0][7]
        elif offset:  # past the last page: Paginator then asks for the last one
            candidates, params = self._candidates()
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM ({candidates}) c", params)  # noqa: S608
                self.total = cursor.fetchone()[0]


def _fallback(query: str, languages: list[str]):
    terms = query_terms(query)
    if not terms:
        return SearchEntry.objects.none()
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(text__icontains=term)
    entries = SearchEntry.objects.filter(condition)
    if len(languages) < len(LANGUAGE_NAMES):
        entries = entries.filter(language__in=languages)
    return entries.order_by("-date", "-page_id")[:CANDIDATES]


def search(query: str, *, language: str, all_languages: bool = False, page_number=1):
    """One page (``PER_PAGE``) of the entries matching ``query`` in ``language`` (or every
    language), best first; each with ``excerpt`` and ``language_name``. An empty query
    finds nothing."""
    query = clean_query(query)[:MAX_QUERY]
    languages = list(LANGUAGE_NAMES) if all_languages else [language]
    if not query:
        object_list = SearchEntry.objects.none()
    elif connection.vendor == "postgresql":
        languages = [code for code in languages if code in TS_CONFIGS]
        object_list = (
            _RankedMatches(query, languages, page_number)
            if languages
            else SearchEntry.objects.none()
        )
    else:
        object_list = _fallback(query, languages)
    page: PaginatorPage = Paginator(object_list, PER_PAGE).get_page(page_number)
    page.object_list = _decorate(list(page.object_list), query)
    return page
