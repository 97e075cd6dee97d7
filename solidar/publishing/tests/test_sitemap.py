"""sitemap.xml and robots.txt: every real page once, with its translations as alternates."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache

from solidar.core.testing import assert_max_queries
from solidar.publishing.testing import post, translate

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
ROOT = "http://localhost"


def fetch(client) -> dict[str, dict]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response, in a test)
    assert root.tag == f"{{{NS['s']}}}urlset"
    result = {}
    for url in root.findall("s:url", NS):
        loc = url.find("s:loc", NS).text
        assert loc not in result, f"{loc} listed twice"
        lastmod = url.find("s:lastmod", NS)  # pages made by a migration have no revision
        result[loc] = {
            "lastmod": lastmod.text if lastmod is not None else None,
            "alternates": {
                link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
            },
        }
        assert all(link.get("rel") == "alternate" for link in url.findall("x:link", NS))
    return result


def test_sitemap_lists_real_pages_with_their_translations(site_tree, client):
    urls = fetch(client)
    post_en = f"{ROOT}/en/posts/letters-to-prisoners/"
    post_de = f"{ROOT}/de/posts/letters-to-prisoners/"
    assert urls[post_en]["alternates"] == {"en": post_en, "de": post_de, "x-default": post_en}
    assert urls[post_de]["alternates"] == urls[post_en]["alternates"]
    # Aliases are left out: their content is the original's, listed under its address.
    assert f"{ROOT}/ru/posts/letters-to-prisoners/" not in urls
    assert f"{ROOT}/en/posts/kundgebung-koeln/" not in urls
    # A page written in German only: x-default is the original.
    koeln = f"{ROOT}/de/posts/kundgebung-koeln/"
    assert urls[koeln]["alternates"] == {"de": koeln, "x-default": koeln}
    # Every language's home page (each a real page), the programme, the statement.
    for code in ("en", "de", "ru", "uk"):
        assert f"{ROOT}/{code}/" in urls
    assert f"{ROOT}/en/programme/" in urls
    assert f"{ROOT}/en/statements/cologne-forum-resolution/" in urls
    lastmod = datetime.datetime.fromisoformat(urls[post_en]["lastmod"])
    assert lastmod.tzinfo is not None
    assert abs(lastmod - site_tree.post_en.last_published_at) < datetime.timedelta(seconds=1)


def test_unpublished_pages_leave_the_sitemap(site_tree, client):
    site_tree.post_de_only.unpublish()
    assert f"{ROOT}/de/posts/kundgebung-koeln/" not in fetch(client)


def test_x_default_prefers_english(site_tree, client):
    russian = post(site_tree.index_de, "Nur Deutsch", slug="nur-deutsch")
    translate(russian, "ru", title="Только по-русски")
    urls = fetch(client)
    de = f"{ROOT}/de/posts/nur-deutsch/"
    assert urls[de]["alternates"]["x-default"] == de  # the original, no English version
    translate(russian, "en", title="English too")
    cache.clear()
    urls = fetch(client)
    assert urls[de]["alternates"]["x-default"] == f"{ROOT}/en/posts/nur-deutsch/"


def test_sitemap_queries_do_not_grow_with_pages(site_tree, client, settings):
    settings.SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS = 0
    with assert_max_queries(50) as few:
        fetch(client)
    for n in range(10):
        page = post(site_tree.index_en, f"More {n}", slug=f"more-{n}")
        translate(page, "de", title=f"Mehr {n}")
    with assert_max_queries(len(few.captured_queries), exact=True):
        urls = fetch(client)
    assert f"{ROOT}/de/posts/more-9/" in urls


def test_robots_txt_names_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body.splitlines()
