"""The public site in a real browser, with JavaScript on and off: read a post, switch its
language (translated, and untranslated with the notice), search, open the feed; and axe-core
finds no serious or critical accessibility problem on the main pages in any language."""

from __future__ import annotations

import re

import feedparser
import pytest
from playwright.sync_api import expect

from solidar.browser import assert_accessible, axe_violations, describe_violations, html_lang
from solidar.publishing.testing import build_site

# Transactional (the live server reads the database from another thread), and the home
# pages and locales that the migrations made are restored for each test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = ("en", "de", "ru", "uk")


@pytest.fixture
def site_tree(live_server, migrated_data):
    return build_site()


def switch_language(page, name: str) -> None:
    """Through the header's switcher (its label is in the page's language)."""
    page.locator("nav.language-switcher").get_by_role("link", name=name).click()
    page.wait_for_load_state()


def test_read_a_post(site_tree, page, js):
    page.goto("/en/posts/")
    page.get_by_role("link", name="Letters to prisoners").click()
    page.wait_for_url("**/en/posts/letters-to-prisoners/")
    article = page.locator("article.post")
    expect(article.get_by_role("heading", level=1)).to_have_text("Letters to prisoners")
    expect(article.get_by_text("We write letters every month.")).to_be_visible()
    expect(article.get_by_text("Join us at the next evening.")).to_be_visible()
    expect(article.locator("time[datetime='2024-11-04']")).to_be_visible()
    expect(article.locator("time")).to_contain_text("2024")
    expect(article.locator(".post__author")).to_have_text("Mila")
    expect(article.get_by_role("link", name="Political prisoners")).to_be_visible()
    assert html_lang(page) == "en"


def test_switch_language_to_a_translation_and_to_the_original(site_tree, page, js):
    page.goto("/en/posts/letters-to-prisoners/")

    switch_language(page, "Deutsch")
    page.wait_for_url("**/de/posts/letters-to-prisoners/")
    assert html_lang(page) == "de"
    expect(page.get_by_role("heading", level=1)).to_have_text("Briefe an Gefangene")
    expect(page.get_by_text("Wir schreiben jeden Monat Briefe.")).to_be_visible()
    expect(page.locator(".notice")).to_have_count(0)

    # No Russian translation: the English original, marked as such, with the notice.
    switch_language(page, "Русский")
    page.wait_for_url("**/ru/posts/letters-to-prisoners/")
    assert html_lang(page) == "ru"
    expect(page.get_by_role("heading", level=1)).to_have_text("Letters to prisoners")
    expect(page.locator("article.post")).to_have_attribute("lang", "en")
    expect(page.get_by_role("note")).to_be_visible()
    # The notice is followed by the languages the post was translated into.
    translations = page.locator("nav.translations")
    expect(translations.get_by_role("link")).to_have_text(["English", "Deutsch"])
    translations.get_by_role("link", name="Deutsch").click()
    page.wait_for_url("**/de/posts/letters-to-prisoners/")


def test_a_german_only_post_in_english_shows_the_notice(site_tree, page, js):
    page.goto("/de/posts/kundgebung-koeln/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kundgebung in Köln")
    switch_language(page, "English")
    page.wait_for_url("**/en/posts/kundgebung-koeln/")
    assert html_lang(page) == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("Kundgebung in Köln")
    expect(page.locator("article.post")).to_have_attribute("lang", "de")
    expect(page.get_by_role("note")).to_contain_text("not been translated")
    expect(page.get_by_text("Am Samstag standen wir auf dem Neumarkt.")).to_be_visible()


def test_search_from_the_post_index(site_tree, page, js):
    page.goto("/en/posts/")
    form = page.get_by_role("search")
    form.get_by_label("Search posts").fill("letters")
    form.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/en/search/\?q=letters$"))
    expect(page.locator("main").get_by_role("link", name="Letters to prisoners")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name="Kundgebung in Köln")).to_have_count(0)


def test_open_the_feed_from_the_post_index(site_tree, page, js):
    page.goto("/de/posts/")
    link = page.get_by_role("link", name=re.compile("RSS"))
    href = link.get_attribute("href")
    assert href and href.startswith("/de/posts/")
    # A feed is a download for a browser; fetch it as a feed reader would, in the same context.
    response = page.request.get(href)
    assert response.status == 200
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.get("language", "").startswith("de")
    titles = [entry.title for entry in feed.entries]
    assert "Briefe an Gefangene" in titles
    assert "Kundgebung in Köln" in titles
    # The head advertises the same feed to readers that look for it.
    alternate = page.locator("link[rel=alternate][type='application/rss+xml']")
    expect(alternate).to_have_attribute("href", href)


# --- Accessibility --------------------------------------------------------------------------

PAGES = {
    "home": "/{lang}/",
    "post": "/{lang}/posts/every-block/",  # headings, an image, a quote
    "programme": "/{lang}/programme/",
    "search": "/{lang}/search/?q=letters",
}


@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_serious_accessibility_problems(rich_post, page, lang, kind):
    response = page.goto(PAGES[kind].format(lang=lang))
    assert response is not None and response.status == 200
    assert html_lang(page) == lang
    assert_accessible(page)
    page.emulate_media(color_scheme="dark")  # the stylesheet's other palette: its contrast
    assert_accessible(page)


def test_axe_finds_what_it_must(site_tree, page):
    """A control: an image without a text alternative is a critical violation, and the
    injected axe-core trips no CSP report (the page fixture would fail the test)."""
    page.goto("/en/")
    page.evaluate(
        """() => {
            const image = document.createElement("img");
            image.src = "/static/solidar/icon.svg";
            document.querySelector("main").append(image);
        }"""
    )
    found = axe_violations(page)
    assert [v["id"] for v in found] == ["image-alt"]
    assert found[0]["impact"] == "critical"
    report = describe_violations(found)
    assert report.startswith("[critical] image-alt: Images must have alternative text")
    assert '<img src="/static/solidar/icon.svg">' in report
