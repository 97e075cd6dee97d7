"""The page tree in every language: translations, aliases with a notice, never a 404."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_language_has_a_home_page(client):
    for code in ("en", "de", "ru", "uk"):
        response = client.get(f"/{code}/")
        assert response.status_code == 200
        assert f'<html lang="{code}"' in response.content.decode()


def test_a_post_and_its_translation(site_tree, client: Client):
    english = client.get("/en/posts/letters-to-prisoners/").content.decode()
    assert "Letters to prisoners" in english
    assert "We write letters every month." in english
    assert "Mila" in english
    assert 'href="/de/posts/letters-to-prisoners/"' in english  # "also in" German
    german = client.get("/de/posts/letters-to-prisoners/").content.decode()
    assert "Briefe an Gefangene" in german
    assert "Politische Gefangene" in german  # the topic in German


def test_untranslated_post_shows_the_original_with_a_notice(site_tree, client):
    response = client.get("/ru/posts/letters-to-prisoners/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "We write letters every month." in body
    assert '<article class="post" lang="en">' in body
    assert 'rel="canonical" href="http://localhost/en/posts/letters-to-prisoners/"' in body


def test_a_post_written_in_german_is_readable_in_english(site_tree, client):
    response = client.get("/en/posts/kundgebung-koeln/")
    assert response.status_code == 200
    assert '<article class="post" lang="de">' in response.content.decode()


def test_home_lists_the_latest_posts(site_tree, client):
    body = client.get("/de/").content.decode()
    assert "Briefe an Gefangene" in body
    assert "Kundgebung in Köln" in body


def test_topic_and_month_listings(site_tree, client):
    body = client.get("/de/posts/topic/political-prisoners/").content.decode()
    assert "Briefe an Gefangene" in body
    assert "Kundgebung in Köln" not in body
    body = client.get("/de/posts/2024/10/").content.decode()
    assert "Kundgebung in Köln" in body
    assert "Briefe an Gefangene" not in body
    assert client.get("/de/posts/topic/nothing-like-this/").status_code == 404
    assert client.get("/de/posts/2024/13/").status_code == 404


def test_statement_numbers_its_decisions(site_tree, client):
    body = client.get("/en/statements/cologne-forum-resolution/").content.decode()
    assert '<ol class="decisions">' in body
    assert body.count("<li><p>Decision") == 3
    assert "2024/1" in body


def test_menu_links_lead_to_this_languages_posts_and_programme(site_tree, client):
    response = client.get("/de/go/posts/")
    assert response.status_code == 302
    assert response["Location"] == "/de/posts/"
    assert client.get("/ru/go/programme/")["Location"] == "/ru/programme/"  # an alias


def test_menu_links_without_pages_are_404(client):
    assert client.get("/en/go/posts/").status_code == 404
    assert client.get("/en/go/programme/").status_code == 404


def test_teaser_from_the_body_ends_on_a_whole_word():
    from solidar.publishing.models import PostPage
    from solidar.publishing.services import TEASER_CHARS, teaser_for
    from solidar.publishing.testing import paragraphs

    words = " ".join(f"word{n}" for n in range(200))
    teaser = teaser_for(PostPage(title="T", body=paragraphs(words)))
    assert teaser.endswith("…")
    assert len(teaser) <= TEASER_CHARS + 1
    assert teaser[:-1].split(" ")[-1] in words.split(" ")  # no word cut in half
    assert teaser_for(PostPage(title="T", teaser="Mine.", body=paragraphs(words))) == "Mine."
