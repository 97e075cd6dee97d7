"""Canonical URLs, hreflang alternates, meta descriptions and Open Graph on every page type."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.core.files.images import ImageFile
from PIL import Image

from solidar.publishing.models import SiteImage
from solidar.publishing.testing import publish

pytestmark = pytest.mark.django_db

ROOT = "http://localhost"


class HeadTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.meta: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content", ""))


def head(client, url) -> HeadTags:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = HeadTags()
    parser.feed(response.content.decode())
    return parser


def canonical(tags: HeadTags) -> str:
    (href,) = [link["href"] for link in tags.links if link.get("rel") == "canonical"]
    return href


def hreflangs(tags: HeadTags) -> dict[str, str]:
    return {
        link["hreflang"]: link["href"]
        for link in tags.links
        if link.get("rel") == "alternate" and "hreflang" in link
    }


def og(tags: HeadTags, name: str) -> str:
    (value,) = tags.meta[f"og:{name}"]
    return value


EVERY_PAGE_TYPE = [
    "/en/",  # HomePage
    "/de/",  # HomePage (the German one)
    "/en/posts/",  # PostIndexPage
    "/en/posts/letters-to-prisoners/",  # PostPage
    "/en/programme/",  # ContentPage
    "/en/statements/",  # StatementIndexPage
    "/en/statements/cologne-forum-resolution/",  # StatementPage
]


@pytest.mark.parametrize("url", EVERY_PAGE_TYPE)
def test_every_page_type_has_the_tags(site_tree, client, url):
    tags = head(client, url)
    assert canonical(tags) == ROOT + url
    assert og(tags, "url") == ROOT + url
    assert og(tags, "title")
    assert og(tags, "type") in {"website", "article"}
    assert og(tags, "locale") in {"en_GB", "de_DE"}
    (description,) = tags.meta["description"]
    assert description
    assert og(tags, "description") == description
    alternates = hreflangs(tags)
    assert alternates[url.split("/")[1]] == ROOT + url
    assert "x-default" in alternates
    assert all(href.startswith(ROOT + "/") for href in alternates.values())


def test_a_post_and_its_translation(site_tree, client):
    tags = head(client, "/de/posts/letters-to-prisoners/")
    assert canonical(tags) == f"{ROOT}/de/posts/letters-to-prisoners/"
    assert hreflangs(tags) == {
        "en": f"{ROOT}/en/posts/letters-to-prisoners/",
        "de": f"{ROOT}/de/posts/letters-to-prisoners/",
        "x-default": f"{ROOT}/en/posts/letters-to-prisoners/",
    }
    assert og(tags, "type") == "article"
    assert og(tags, "title") == "Briefe an Gefangene"
    assert og(tags, "locale") == "de_DE"
    assert tags.meta["og:locale:alternate"] == ["en_GB"]
    assert og(tags, "description") == "Wir schreiben jeden Monat Briefe."
    assert "og:image" not in tags.meta  # no cover image


def test_an_alias_points_to_the_original(site_tree, client):
    tags = head(client, "/uk/posts/kundgebung-koeln/")
    assert canonical(tags) == f"{ROOT}/de/posts/kundgebung-koeln/"
    # Only the real page is an alternate: aliases are no translations.
    assert hreflangs(tags) == {
        "de": f"{ROOT}/de/posts/kundgebung-koeln/",
        "x-default": f"{ROOT}/de/posts/kundgebung-koeln/",
    }
    assert og(tags, "locale") == "de_DE"  # the language of what is shown
    assert og(tags, "title") == "Kundgebung in Köln"


def test_home_pages_of_every_language_are_alternates(site_tree, client):
    tags = head(client, "/ru/")
    assert canonical(tags) == f"{ROOT}/ru/"
    assert set(hreflangs(tags)) == {"en", "de", "ru", "uk", "x-default"}
    assert hreflangs(tags)["x-default"] == f"{ROOT}/en/"
    assert og(tags, "locale") == "ru_RU"


def test_topic_and_month_listings_are_their_own_canonical(site_tree, client):
    tags = head(client, "/de/posts/topic/political-prisoners/")
    assert canonical(tags) == f"{ROOT}/de/posts/topic/political-prisoners/"
    assert hreflangs(tags)["en"] == f"{ROOT}/en/posts/topic/political-prisoners/"
    tags = head(client, "/ru/posts/2024/10/")  # the Russian index is an alias
    assert canonical(tags) == f"{ROOT}/en/posts/2024/10/"


def test_meta_description_prefers_the_editors_words(site_tree, client):
    page = site_tree.programme_en
    assert head(client, "/en/programme/").meta["description"] == ["Who we are and what we want."]
    page.search_description = "The programme of the network."
    publish(page)
    assert head(client, "/en/programme/").meta["description"] == ["The programme of the network."]


def test_cover_image_is_the_open_graph_image(site_tree, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    data = io.BytesIO()
    Image.new("RGB", (1600, 900), (200, 30, 30)).save(data, "PNG")
    image = SiteImage.objects.create(
        title="Banner",
        description="A red banner at the forum",
        file=ImageFile(data, name="banner.png"),
    )
    page = site_tree.post_en
    page.cover = image
    publish(page)
    tags = head(client, "/en/posts/letters-to-prisoners/")
    url = og(tags, "image")
    assert url.startswith(f"{ROOT}/media/images/banner.")
    assert ".fill-1200x630" in url
    assert og(tags, "image:alt") == "A red banner at the forum"
    path = url.removeprefix(ROOT)
    assert client.get(path).status_code == 200  # the rendition really is there
