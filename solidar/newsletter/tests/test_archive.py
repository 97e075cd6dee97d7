"""The public archive: sent mailings marked for it, in the page's language, newest first;
a page per version; the RSS feed; the anonymous page cache and what retires it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from solidar.conftest import client_for
from solidar.core import pagecache
from solidar.core.testing import assert_max_queries
from solidar.newsletter import mailings
from solidar.newsletter.models import Mailing

pytestmark = pytest.mark.django_db
S = Mailing.Status


def sent(make_mailing, title, variants, days_ago=1, **fields):
    return make_mailing(
        title=title,
        variants=variants,
        status=fields.pop("status", S.SENT),
        finished_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


@pytest.fixture
def archive(make_mailing):
    return {
        "old": sent(
            make_mailing,
            "Forum",
            {"de": ("Nach dem Forum", "Köln, **November**"), "en": ("After the forum", "Cologne")},
            days_ago=30,
        ),
        "new": sent(make_mailing, "Prisoners", {"de": ("Briefe schreiben", "Schreibt!")}),
        "hidden": sent(
            make_mailing, "Internal", {"de": ("Nur intern", "intern")}, in_archive=False
        ),
        "draft": make_mailing(title="Draft", variants={"de": ("Entwurf", "noch nicht")}),
        "sending": sent(make_mailing, "Running", {"de": ("Läuft gerade", "x")}, status=S.SENDING),
        "cancelled": sent(
            make_mailing, "Stopped", {"de": ("Abgebrochen", "x")}, status=S.CANCELLED
        ),
    }


def archive_url(language):
    with translation.override(language):
        return reverse("newsletter:archive")


def test_only_sent_archived_mailings_in_the_pages_language(client, archive):
    html = client.get(archive_url("de")).content.decode()
    assert html.index("Briefe schreiben") < html.index("Nach dem Forum")  # newest first
    for absent in ("Nur intern", "Entwurf", "Läuft gerade", "Abgebrochen", "After the forum"):
        assert absent not in html
    english = client.get(archive_url("en")).content.decode()
    assert "After the forum" in english and "Nach dem Forum" not in english
    assert "Цією мовою ще нічого не надсилали." in client.get(archive_url("uk")).content.decode()
    # The feed is announced.
    with translation.override("de"):
        assert '<link rel="alternate" type="application/rss+xml"' in html
        assert reverse("newsletter:archive_feed") in html


def test_a_versions_page(client, archive):
    variant = archive["old"].variants.get(language="de")
    with translation.override("de"):
        url = reverse("newsletter:archive_detail", args=[variant.archive_slug])
    html = client.get(url).content.decode()
    assert "Nach dem Forum" in html and "<strong>November</strong>" in html
    # No personal link of any reader in it.
    assert "unsubscribe" not in html and "preferences/" not in html
    # The same slug in another language, or a version not in the archive: not found.
    with translation.override("en"):
        assert (
            client.get(
                reverse("newsletter:archive_detail", args=[variant.archive_slug])
            ).status_code
            == 404
        )
    for key in ("hidden", "draft", "sending", "cancelled"):
        slug = archive[key].variants.get().archive_slug
        with translation.override("de"):
            assert (
                client.get(reverse("newsletter:archive_detail", args=[slug])).status_code == 404
            ), key


def test_rss_feed_parses_with_the_right_items(client, archive):
    with translation.override("de"):
        url = reverse("newsletter:archive_feed")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response, in a test)
    items = root.findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Briefe schreiben", "Nach dem Forum"]
    first = items[0]
    assert first.findtext("link").startswith("http")
    assert "/de/newsletter/archive/" in first.findtext("link")
    assert first.findtext("guid") == first.findtext("link")
    assert "Schreibt!" in first.findtext("description")
    assert root.findtext("./channel/language") == "de"
    with translation.override("uk"):
        feed = client.get(reverse("newsletter:archive_feed")).content
    empty = ET.fromstring(feed)  # noqa: S314 (our own response, in a test)
    assert empty.findall("./channel/item") == []


def test_archive_queries_do_not_grow(client, make_mailing):
    url = archive_url("de")
    sent(make_mailing, "One", {"de": ("Eins", "x")})
    with assert_max_queries(50) as one:
        assert client.get(url).status_code == 200
    assert len(one.captured_queries) >= 2  # the page was built, not taken from the cache
    for n in range(19):
        sent(make_mailing, f"More {n}", {"de": (f"Mehr {n}", "x")}, days_ago=2 + n)
    pagecache.invalidate()  # not the cached page
    with assert_max_queries(len(one.captured_queries), exact=True):
        html = client.get(url).content.decode()
    assert "Mehr 18" in html
    with translation.override("de"):
        feed_url = reverse("newsletter:archive_feed")
    with assert_max_queries(len(one.captured_queries)):
        assert client.get(feed_url).status_code == 200


def test_a_sent_mailing_appears_for_cached_readers(
    client, make_mailing, settings, django_capture_on_commit_callbacks
):
    settings.SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS = 60
    url = archive_url("de")
    assert "Monatsbrief" not in client.get(url).content.decode()
    running = make_mailing(title="M", variants={"de": ("Monatsbrief", "x")}, status=S.SENDING)
    # Cached: the anonymous reader still gets the page without it ...
    assert "Monatsbrief" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        mailings.mark_sent(running)
    # ... until the send is done.
    assert "Monatsbrief" in client.get(url).content.decode()


def test_taking_a_mailing_out_of_the_archive(
    client, editor, make_mailing, settings, django_capture_on_commit_callbacks
):
    settings.SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS = 60
    mailing = sent(make_mailing, "Out", {"de": ("Raus damit", "x")})
    url = archive_url("de")
    assert "Raus damit" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor).post(
            reverse("newsletter:mailing_details", args=[mailing.pk]), {"title": "Out"}
        )
    assert response.status_code == 302
    assert "Raus damit" not in client.get(url).content.decode()


def test_editors_see_a_link_to_their_pages(editor, archive):
    html = client_for(editor).get(archive_url("en")).content.decode()
    with translation.override("en"):
        assert reverse("newsletter:manage") in html
    assert reverse("newsletter:manage") not in Client().get(archive_url("en")).content.decode()
