"""The public site's search: the index follows publishing, the view never fails on junk.

Runs on SQLite (the icontains fallback) and, with DATABASE_URL pointing at PostgreSQL, on
the full-text search; the tests marked ``postgresql_only`` need the latter."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solidar.core.testing import assert_max_queries
from solidar.publishing import search
from solidar.publishing.models import SearchEntry
from solidar.publishing.testing import paragraphs, post, publish

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)


def found_nothing(body: str) -> bool:
    return 'id="results-title"' in body and 'class="post-card"' not in body


def results_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_index_has_the_pages_with_their_own_content_and_no_aliases(site_tree):
    entries = {(e.language, e.url): e for e in SearchEntry.objects.all()}
    assert set(entries) == {
        ("en", "/en/posts/letters-to-prisoners/"),
        ("de", "/de/posts/letters-to-prisoners/"),
        ("de", "/de/posts/kundgebung-koeln/"),
        ("en", "/en/programme/"),
        ("en", "/en/statements/cologne-forum-resolution/"),
    }
    post_en = entries["en", "/en/posts/letters-to-prisoners/"]
    assert post_en.kind == SearchEntry.Kind.POST
    assert post_en.text == "We write letters every month. Join us at the next evening."
    resolution = entries["en", "/en/statements/cologne-forum-resolution/"]
    assert resolution.kind == SearchEntry.Kind.STATEMENT
    assert resolution.date == datetime.date(2024, 11, 3)
    assert "Decision 1. Decision 2. Decision 3." in resolution.text
    # Rebuilding gives the same index.
    before = sorted(SearchEntry.objects.values_list("page_id", "url", "text"))
    assert search.rebuild() == 5
    assert sorted(SearchEntry.objects.values_list("page_id", "url", "text")) == before


def test_search_in_the_page_language(site_tree, client):
    body = results_of(client, "/en/search/?q=letters")
    assert 'href="/en/posts/letters-to-prisoners/"' in body
    assert "1 result" in body
    assert "We write <mark>" not in body  # plain text, no markup from the excerpt
    # The German post is found in German only.
    assert "/de/posts/" not in body
    body = results_of(client, "/de/search/?q=Monat")
    assert 'href="/de/posts/letters-to-prisoners/"' in body
    assert "/en/posts/" not in body


def test_all_languages_marks_results_in_another_language(site_tree, client):
    body = results_of(client, "/en/search/?q=Neumarkt")
    assert "kundgebung-koeln" not in body
    assert found_nothing(body)
    body = results_of(client, "/en/search/?q=Neumarkt&all=1")
    assert 'href="/de/posts/kundgebung-koeln/"' in body
    assert '<li class="post-card" lang="de">' in body
    assert "Deutsch" in body  # the language label
    assert 'name="all" id="id_all" checked' in body


def test_aliases_never_appear(site_tree, client):
    # /ru/ has only aliases: nothing in Russian to find, and no alias in any language.
    assert found_nothing(results_of(client, "/ru/search/?q=letters"))
    body = results_of(client, "/ru/search/?q=letters&all=1")
    assert "/ru/posts/" not in body
    assert "/en/posts/letters-to-prisoners/" in body
    assert not SearchEntry.objects.filter(language__in=["ru", "uk"]).exists()


def test_unpublish_and_delete_remove_from_results(site_tree, client):
    site_tree.post_en.unpublish()
    assert found_nothing(results_of(client, "/en/search/?q=letters"))
    assert not SearchEntry.objects.filter(page_id=site_tree.post_en.pk).exists()
    publish(site_tree.post_en)
    assert "letters-to-prisoners" in results_of(client, "/en/search/?q=letters")
    site_tree.post_de_only.delete()
    assert not SearchEntry.objects.filter(page_id=site_tree.post_de_only.pk).exists()
    assert found_nothing(results_of(client, "/de/search/?q=Neumarkt"))


def test_a_new_revision_and_a_new_address_are_indexed(site_tree, client):
    page = site_tree.post_en
    page.body = paragraphs("A vigil in Strasbourg.")
    publish(page)
    assert "letters-to-prisoners" in results_of(client, "/en/search/?q=Strasbourg")
    index = site_tree.index_en
    index.slug = "news"
    publish(index)
    entry = SearchEntry.objects.get(page_id=page.pk)
    assert entry.url == "/en/news/letters-to-prisoners/"


def test_a_view_restriction_takes_the_pages_out(site_tree):
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(
        page=site_tree.index_en, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert not SearchEntry.objects.filter(page_id=site_tree.post_en.pk).exists()
    restriction.delete()
    assert SearchEntry.objects.filter(page_id=site_tree.post_en.pk).exists()


def test_empty_query_shows_the_form_only(site_tree, client):
    for url in ("/en/search/", "/en/search/?q=", "/en/search/?q=++%09", "/en/search/?all=1"):
        body = results_of(client, url)
        assert '<label for="id_q">' in body
        assert 'id="results"' not in body


def test_too_long_query_is_refused_with_a_message(site_tree, client):
    response = client.get("/en/search/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "Please search for at most 200 characters." in response.content.decode()
    assert client.get("/en/search/", {"q": "x" * 200}).status_code == 200


def test_results_are_paginated_and_the_links_keep_the_query(site_tree, client):
    for n in range(search.PER_PAGE + 3):
        post(
            site_tree.index_en,
            f"Vigil number {n}",
            slug=f"vigil-{n}",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
            texts=("A vigil for the prisoners.",),
        )
    body = results_of(client, "/en/search/?q=vigil&all=1")
    assert f"{search.PER_PAGE + 3} results" in body
    assert body.count('class="post-card"') == search.PER_PAGE
    assert 'href="?page=2&amp;q=vigil&amp;all=1#results"' in body
    body = results_of(client, "/en/search/?q=vigil&all=1&page=2")
    assert body.count('class="post-card"') == 3
    for junk in ("0", "-1", "999999999999999999999999", "x", "2.5"):
        assert client.get(f"/en/search/?q=vigil&page={junk}").status_code == 200


@pytest.mark.parametrize("posts", [1, 30])
def test_query_count_does_not_grow_with_results(site_tree, client, posts):
    for n in range(posts):
        post(site_tree.index_en, f"Vigil {n}", slug=f"vigil-{n}", texts=("A vigil.",))
    # PostgreSQL: one query (and its SET LOCAL); SQLite: the count, then the rows.
    expected = 2
    with assert_max_queries(expected, exact=True):
        body = results_of(client, "/en/search/?q=vigil")
    assert f"{posts} result" in body


def test_every_language_has_a_text_search_configuration():
    import importlib

    from django.conf import settings as django_settings

    migration = importlib.import_module("solidar.publishing.migrations.0003_search")
    assert search.TS_CONFIGS == migration.TS_CONFIGS
    assert set(search.TS_CONFIGS) == {code for code, _name in django_settings.LANGUAGES}


def test_excerpt_shows_the_place_of_the_match():
    text = "Beginning. " + "filler " * 80 + "the Gefangene are in Moscow. " + "more " * 80
    piece = search.excerpt(text, ["gefangenen"])
    assert piece.startswith("…")
    assert "Gefangene are in Moscow" in piece
    assert len(piece) <= search.EXCERPT_CHARS
    assert search.excerpt("Short text.", ["nothing"]) == "Short text."


def test_excerpt_is_escaped(site_tree, client):
    # The text is "<em>vigil</em> & more" (typed, not markup); the page shows it as text.
    post(site_tree.index_en, "Tags", slug="tags", texts=("&lt;em&gt;vigil&lt;/em&gt; &amp; more",))
    body = results_of(client, "/en/search/?q=vigil")
    assert "&lt;em&gt;vigil&lt;/em&gt; &amp; more" in body
    assert "<em>vigil" not in body


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    q=st.one_of(
        st.text(max_size=220),
        st.sampled_from(
            [
                "'; DROP TABLE publishing_searchentry; --",
                '" OR 1=1 --',
                "a & | ! ( ) : * <-> b",
                "-letters",
                '"unclosed',
                "\x00\x01\x1f",
                "Гефангене ув'язнені ß 漢字 🙂",
                "%_\\",
                "or",
                "the",
            ]
        ),
    ),
    all_languages=st.sampled_from(["", "1", "on", "junk"]),
    page=st.one_of(st.none(), st.text(max_size=30), st.integers().map(str)),
)
def test_bad_input_never_fails(site_tree, q, all_languages, page):
    client = Client()
    data = {"q": q, "all": all_languages}
    if page is not None:
        data["page"] = page
    response = client.get("/de/search/", data)
    too_long = len(q.strip()) > search.MAX_QUERY
    assert response.status_code == (400 if too_long else 200)


# -- PostgreSQL only -----------------------------------------------------------------------
@postgresql_only
def test_german_stemming_finds_other_forms(site_tree, client):
    # "Briefe an Gefangene": "Gefangenen" and "Brief" have the same stems in German.
    for query in ("Gefangenen", "Brief", "briefen gefangener"):
        body = results_of(client, f"/de/search/?q={query}")
        assert 'href="/de/posts/letters-to-prisoners/"' in body, query
    # English stemming: "letter" finds "letters", "writing" finds "write".
    body = results_of(client, "/en/search/?q=writing+letter")
    assert 'href="/en/posts/letters-to-prisoners/"' in body


@postgresql_only
def test_title_ranks_above_text(site_tree, client):
    post(
        site_tree.index_en,
        "Evening of music",
        slug="music",
        date=datetime.date(2025, 1, 1),
        texts=("Afterwards we write letters.",),
    )
    body = results_of(client, "/en/search/?q=letters")
    assert body.index("letters-to-prisoners") < body.index("/en/posts/music/")


@postgresql_only
def test_websearch_syntax(site_tree, client):
    assert found_nothing(results_of(client, "/en/search/?q=letters+-evening"))
    assert "letters-to-prisoners" in results_of(client, '/en/search/?q="write+letters"')
    assert "letters-to-prisoners" in results_of(client, "/en/search/?q=letters+or+nothing")


@postgresql_only
def test_only_the_newest_candidates_are_ranked(site_tree, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 3)
    for n in range(5):
        post(
            site_tree.index_en,
            f"Vigil {n}",
            slug=f"vigil-{n}",
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
        )
    page = search.search("vigil", language="en", page_number=1)
    assert page.paginator.count == 3
    assert {e.title for e in page.object_list} == {"Vigil 2", "Vigil 3", "Vigil 4"}
