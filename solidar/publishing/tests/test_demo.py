"""The demo site (``publishing.demo``): idempotent, real content in several languages,
every page reachable in every language, and written fresh rather than copied."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.utils.html import strip_tags
from wagtail.models import Page, Revision

from solidar.accounts import demo as accounts_demo
from solidar.network import demo as network_demo
from solidar.publishing import demo
from solidar.publishing.models import ContentPage, PostPage, StatementPage, Topic

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "de", "ru", "uk")
# Hashes of every run of eight words in the two documents the project started from
# (made with ``shingles`` below); the documents themselves are not in the repository.
SEED_SHINGLES = set((Path(__file__).parent / "seed_shingles.txt").read_text().split())


def shingles(text: str, size: int = 8) -> set[str]:
    words = re.sub(r"[\W_]+", " ", text.lower()).split()
    return {
        hashlib.sha256(" ".join(words[i : i + size]).encode()).hexdigest()[:16]
        for i in range(len(words) - size + 1)
    }


def _strings(value):
    if isinstance(value, str):
        yield strip_tags(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def page_text(page) -> str:
    parts = [page.title]
    for name in ("teaser", "intro", "preamble", "author_name", "adopted_by"):
        parts.append(getattr(page, name, "") or "")
    for name in ("body", "decisions"):
        stream = getattr(page, name, None)
        if stream is not None:
            parts.extend(_strings(list(stream.raw_data)))
    return " ".join(strip_tags(part) for part in parts)


def words(page) -> int:
    return len(page_text(page).split())


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (5 s), inside a transaction rolled back at its end; each
    test runs in a savepoint of it (``db``)."""
    with django_db_blocker.unblock(), transaction.atomic():
        accounts_demo.seed()
        network_demo.seed()
        demo.seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_site(_seeded, db):
    return None


def counts() -> tuple[int, ...]:
    return (
        Page.objects.count(),
        Revision.objects.count(),
        Topic.objects.count(),
        PostPage.objects.filter(alias_of__isnull=True).count(),
    )


def test_seeding_twice_changes_nothing(demo_site):
    first = counts()
    with_posts = {p.pk: p.latest_revision_id for p in PostPage.objects.all()}

    demo.seed()

    assert counts() == first
    assert {p.pk: p.latest_revision_id for p in PostPage.objects.all()} == with_posts


def test_posts_are_real_content_in_german_and_english_and_some_in_russian_and_ukrainian(
    demo_site,
):
    real = PostPage.objects.filter(alias_of__isnull=True)
    by_language = {code: list(real.filter(locale__language_code=code)) for code in LANGUAGES}

    assert len(by_language["de"]) >= 8
    assert len(by_language["en"]) >= 8
    assert len(by_language["ru"]) >= 3
    assert len(by_language["uk"]) >= 2
    # German and English versions are translations of each other (one translation key).
    assert {p.translation_key for p in by_language["de"]} == {
        p.translation_key for p in by_language["en"]
    }
    for post in real:
        assert 150 <= words(post) <= 400, (post.title, words(post))
        assert post.author_name or post.author_collective
        assert 1 <= post.topics.count() <= 3
        # The topics are the reader's language's.
        assert {t.locale_id for t in post.topics.all()} == {post.locale_id}
    dates = {p.date.year for p in by_language["en"]}
    assert dates == {2024, 2025}
    assert any(p.teaser for p in by_language["en"])
    assert any(not p.teaser for p in by_language["en"])
    kinds = {block.block_type for p in by_language["en"] for block in p.body}
    assert kinds == {"heading", "paragraph", "quote"}
    # One post (in German and English) is signed by the Köln cell of the network demo.
    assert real.filter(author_collective__slug="koeln").count() == 2


def test_the_programme_and_the_resolution(demo_site, client: Client):
    programmes = ContentPage.objects.filter(is_programme=True, alias_of__isnull=True)
    assert {p.locale.language_code for p in programmes} == set(LANGUAGES)
    english = programmes.get(locale__language_code="en")
    assert english.slug == "programme"
    for group in ("Migrant workers and unions", "Political prisoners and refugees"):
        assert group in page_text(english)

    resolution = StatementPage.objects.get(locale__language_code="en")
    assert resolution.kind == StatementPage.Kind.RESOLUTION
    assert resolution.number == "2024/1"
    assert str(resolution.adopted_on) == "2024-11-03"
    assert 5 <= len(resolution.decisions) <= 7
    assert StatementPage.objects.filter(locale__language_code="de", alias_of__isnull=True)

    body = client.get("/de/statements/resolution-cologne-forum/").content.decode()
    assert body.count("<li><p>") == len(resolution.decisions)
    assert "2024/1" in body


def test_every_demo_page_answers_in_every_language(demo_site):
    client = Client(HTTP_HOST="127.0.0.1:8000")  # how `make run` is reached
    originals = Page.objects.filter(depth__gt=2, alias_of__isnull=True)
    keys = set(originals.values_list("translation_key", flat=True))
    pages = Page.objects.filter(translation_key__in=keys).select_related("locale")

    assert pages.count() == len(keys) * len(LANGUAGES)  # nothing missing anywhere
    for page in pages:
        url = page.get_url()
        assert url.startswith(f"/{page.locale.language_code}/")
        assert client.get(url).status_code == 200, url
    for code in LANGUAGES:
        for path in ("", "posts/", "programme/", "statements/", "posts/topic/anti-war/"):
            assert client.get(f"/{code}/{path}").status_code == 200, (code, path)


def test_untranslated_posts_show_their_original(demo_site, client):
    body = client.get("/ru/posts/lohnraub-auf-der-baustelle/").content.decode()
    assert '<article class="post" lang="de">' in body
    assert "Lohnraub auf der Baustelle" in body
    for alias in Page.objects.filter(alias_of__isnull=False, depth__gt=2):
        original = alias.alias_of
        # Written in another language than its translations? Then aliases show that one.
        first = Page.objects.filter(translation_key=alias.translation_key).order_by("id")[0]
        assert original.pk == first.pk, alias


def test_home_page_lists_demo_posts_in_its_language(demo_site, client):
    body = client.get("/uk/").content.decode()
    assert "Свободи — не предмет торгу" in body  # translated
    assert "Wage theft on the building site" in body or "Lohnraub" in body  # an original


def test_no_run_of_eight_words_from_the_seed_documents(demo_site):
    assert len(SEED_SHINGLES) > 500  # the fingerprint file is really there
    for page in Page.objects.filter(depth__gt=2, alias_of__isnull=True).specific():
        copied = shingles(page_text(page)) & SEED_SHINGLES
        assert not copied, page.title


SEEDS = Path("/work/shared/seeds")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not on this machine")
def test_the_fingerprint_is_the_seed_documents_and_no_sentence_of_them_is_copied(demo_site):
    texts = [path.read_text() for path in sorted(SEEDS.glob("*.txt"))]
    assert set().union(*(shingles(text) for text in texts)) == SEED_SHINGLES

    def normalise(text):
        return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())

    sentences = {
        normalise(sentence)
        for text in texts
        for sentence in re.split(r"(?<=[.!?:;…])\s+|\n+", text)
        if len(normalise(sentence).split()) >= 8
    }
    assert len(sentences) > 20
    site = normalise(" ".join(page_text(p) for p in Page.objects.filter(depth__gt=2).specific()))
    assert not [s for s in sentences if s in site]
