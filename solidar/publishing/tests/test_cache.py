"""The anonymous page cache of the page tree: a rush of readers costs no queries, and the
next reader after a publish, an unpublish or a deletion sees the change at once."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import Page

from solidar.core.testing import assert_max_queries
from solidar.publishing.testing import publish

pytestmark = pytest.mark.django_db

POST = "/en/posts/letters-to-prisoners/"


def sneak_title(page, title: str) -> None:
    """Change the stored title behind Wagtail's back (no revision, no signal): only a page
    built afresh shows it, so it tells a cached page from a fresh one."""
    Page.objects.filter(pk=page.pk).update(title=title)
    type(page.specific).objects.filter(pk=page.pk).update(title=title)


def body(client, url=POST) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/de/posts/",
        POST,
        "/ru/posts/kundgebung-koeln/",
        "/de/posts/topic/political-prisoners/",
        "/en/statements/cologne-forum-resolution/",
        "/de/posts/feed.atom",
    ],
)
def test_anonymous_readers_get_the_cached_page_without_queries(site_tree, client, url):
    first = client.get(url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    with assert_max_queries(0):
        again = Client().get(url)  # another reader, no cookies
    assert again.status_code == 200
    assert again.content == first.content


def test_cached_until_published(site_tree, client):
    assert "Letters to prisoners" in body(client)
    sneak_title(site_tree.post_en, "Changed behind the cache")
    assert "Changed behind the cache" not in body(client)  # still the cached page
    page = site_tree.post_en
    page.title = "Letters to prisoners, updated"
    publish(page)  # a revision published: the page_published signal
    assert "Letters to prisoners, updated" in body(Client())


def test_publishing_changes_the_listings_too(site_tree, client):
    assert "Briefe an Gefangene" in body(client, "/de/")
    page = site_tree.post_de
    page.title = "Briefe in die Haft"
    publish(page)
    html = body(client, "/de/")
    assert "Briefe in die Haft" in html and "Briefe an Gefangene" not in html
    assert "Briefe in die Haft" in body(client, "/de/posts/feed.rss")


def test_unpublishing_takes_the_page_away(site_tree, client):
    assert client.get(POST).status_code == 200
    assert "Letters to prisoners" in body(client, "/en/posts/")
    site_tree.post_en.specific.unpublish()
    assert client.get(POST).status_code == 404
    assert "Letters to prisoners" not in body(client, "/en/posts/")


def test_deleting_takes_the_page_away(site_tree, client):
    url = "/de/posts/kundgebung-koeln/"
    assert client.get(url).status_code == 200
    assert "Kundgebung in Köln" in body(client, "/de/")
    site_tree.post_de_only.delete()
    assert client.get(url).status_code == 404
    assert "Kundgebung in Köln" not in body(client, "/de/")


def test_signed_in_readers_never_get_a_cached_page(site_tree, client, member_client):
    assert "Letters to prisoners" in body(client)  # cached for anonymous readers
    sneak_title(site_tree.post_en, "Fresh for members")
    response = member_client.get(POST)
    assert "Fresh for members" in response.content.decode()
    assert "public" not in response.get("Cache-Control", "")
    # And what a member was shown is never handed to anonymous readers.
    assert "Fresh for members" not in body(Client())


def test_no_cache_when_turned_off(site_tree, client, settings):
    settings.SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS = 0
    assert "Letters to prisoners" in body(client)
    sneak_title(site_tree.post_en, "Seen at once")
    assert "Seen at once" in body(client)


def test_a_page_made_private_leaves_the_cache_at_once(site_tree, client):
    from wagtail.models import PageViewRestriction

    assert "Letters to prisoners" in body(client)  # cached now
    restriction = PageViewRestriction.objects.create(
        page=site_tree.post_en, restriction_type=PageViewRestriction.LOGIN
    )
    response = Client().get(POST)
    assert response.status_code == 302  # to the login page, not the cached copy
    assert "/accounts/login/" in response["Location"] or "/_util/login/" in response["Location"]
    restriction.delete()
    assert "Letters to prisoners" in body(Client())


def test_a_password_protected_page_asks_for_the_password(site_tree, client):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=site_tree.post_en, restriction_type=PageViewRestriction.PASSWORD, password="cologne"
    )
    form = client.get(POST)
    assert form.status_code == 200
    assert "We write letters every month." not in form.content.decode()
    assert "You need a password to read this page." in form.content.decode()  # our page
    assert 'name="password"' in form.content.decode()
    restriction = PageViewRestriction.objects.get(page=site_tree.post_en)
    url = f"/en/_util/authenticate_with_password/{restriction.pk}/{site_tree.post_en.pk}/"
    client.post(url, {"password": "cologne", "return_url": POST})
    assert "We write letters every month." in body(client)
