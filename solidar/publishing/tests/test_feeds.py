"""RSS and Atom feeds per language and per topic: they parse cleanly in feedparser, with the
feed's language, real dates, and only posts written or translated in that language."""

from __future__ import annotations

import datetime
import re

import feedparser
import pytest

from solidar.publishing.testing import post, publish

pytestmark = pytest.mark.django_db

FORMATS = ("rss", "atom")


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, f"{url}: {feed.get('bozo_exception')}"
    return response, feed


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


@pytest.mark.parametrize("kind", FORMATS)
def test_english_feed(site_tree, client, kind):
    response, feed = fetch(client, f"/en/posts/feed.{kind}")
    expected_type = "application/rss+xml" if kind == "rss" else "application/atom+xml"
    assert response["Content-Type"].startswith(expected_type)
    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    assert feed.feed.language == "en"
    # The German-only post exists in the English tree as an alias: not in this feed.
    assert titles(feed) == ["Letters to prisoners"]
    entry = feed.entries[0]
    assert entry.link == "http://localhost/en/posts/letters-to-prisoners/"
    assert entry.id == entry.link
    assert entry.summary.startswith("We write letters every month.")
    assert entry.author == "Mila"
    assert [tag.term for tag in entry.tags] == ["Political prisoners"]
    assert feed.feed.link == "http://localhost/en/posts/"


@pytest.mark.parametrize("kind", FORMATS)
def test_german_feed_has_translations_and_german_originals(site_tree, client, kind):
    _response, feed = fetch(client, f"/de/posts/feed.{kind}")
    assert feed.feed.language == "de"
    assert titles(feed) == ["Briefe an Gefangene", "Kundgebung in Köln"]  # newest first
    assert [tag.term for tag in feed.entries[0].tags] == ["Politische Gefangene"]
    assert feed.entries[1].link == "http://localhost/de/posts/kundgebung-koeln/"


@pytest.mark.parametrize("kind", FORMATS)
def test_a_language_with_aliases_only_has_an_empty_feed(site_tree, client, kind):
    _response, feed = fetch(client, f"/ru/posts/feed.{kind}")
    assert feed.feed.language == "ru"
    assert feed.entries == []


@pytest.mark.parametrize("kind", FORMATS)
def test_dates_are_the_posts_dates(site_tree, client, kind):
    _response, feed = fetch(client, f"/de/posts/feed.{kind}")
    entry = feed.entries[1]  # Kundgebung in Köln, dated 12 October 2024, published today
    parsed = entry.published_parsed if kind == "rss" else entry.updated_parsed
    assert parsed is not None
    if kind == "rss":
        # Midnight in Berlin (summer time) on the post's date, in UTC.
        assert tuple(parsed)[:5] == (2024, 10, 11, 22, 0)
    else:
        # Atom's "updated": the last publication, which is after the post's date.
        updated = datetime.datetime(*parsed[:6], tzinfo=datetime.UTC)
        last = site_tree.post_de_only.last_published_at
        assert abs(updated - last) < datetime.timedelta(seconds=1)
        published = entry.published_parsed
        assert tuple(published)[:5] == (2024, 10, 11, 22, 0)


@pytest.mark.parametrize("kind", FORMATS)
def test_topic_feed(site_tree, client, kind):
    other = post(
        site_tree.index_de, "Ohne Thema", slug="ohne-thema", date=datetime.date(2025, 1, 2)
    )
    assert other.live
    _response, feed = fetch(client, f"/de/posts/topic/political-prisoners/feed.{kind}")
    assert feed.feed.language == "de"
    assert titles(feed) == ["Briefe an Gefangene"]
    assert "Politische Gefangene" in feed.feed.title
    assert feed.feed.link == "http://localhost/de/posts/topic/political-prisoners/"
    _response, feed = fetch(client, f"/de/posts/feed.{kind}")
    assert titles(feed)[0] == "Ohne Thema"


@pytest.mark.parametrize("kind", FORMATS)
def test_unknown_topic_is_404(site_tree, client, kind):
    assert client.get(f"/de/posts/topic/no-such-topic/feed.{kind}").status_code == 404


def test_unpublished_and_private_posts_stay_out(site_tree, client):
    from wagtail.models import PageViewRestriction

    site_tree.post_de_only.unpublish()
    PageViewRestriction.objects.create(
        page=site_tree.post_de, restriction_type=PageViewRestriction.LOGIN
    )
    _response, feed = fetch(client, "/de/posts/feed.rss")
    assert feed.entries == []


def test_newest_twenty(site_tree, client):
    for n in range(22):
        post(
            site_tree.index_en,
            f"Post {n:02}",
            slug=f"post-{n:02}",
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
        )
    _response, feed = fetch(client, "/en/posts/feed.atom")
    assert titles(feed) == [f"Post {n:02}" for n in range(21, 1, -1)]


def test_feed_has_no_third_party_urls(site_tree, client):
    for url in (
        "/en/posts/feed.rss",
        "/de/posts/feed.atom",
        "/de/posts/topic/political-prisoners/feed.rss",
    ):
        body = client.get(url).content.decode()
        body = re.sub(r'xmlns(:\w+)?="[^"]*"', "", body)  # namespaces are names, not loaded
        hosts = set(re.findall(r"https?://([^/\"<\s]+)", body))
        assert hosts == {"localhost"}, hosts


def test_editing_a_post_changes_its_updated_date(site_tree, client):
    _response, before = fetch(client, "/en/posts/feed.atom")
    page = site_tree.post_en
    page.title = "Letters to prisoners, again"
    publish(page)
    _response, after = fetch(client, "/en/posts/feed.atom")
    assert titles(after) == ["Letters to prisoners, again"]
    assert after.entries[0].updated_parsed >= before.entries[0].updated_parsed
