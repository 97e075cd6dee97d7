# ruff: noqa: F811 - fixtures are imported, then asked for by name
"""Publishing a resolution on the public site: a statement page in each of its languages,
linked as translations, read anonymously; published again after a correction."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale, Page

from solidar.conftest import client_for
from solidar.core.models import AuditEvent
from solidar.decisions import publish, resolutions
from solidar.decisions.services import DecisionError
from solidar.decisions.tests.test_resolutions_pages import adopt
from solidar.publishing import services as publishing
from solidar.publishing.models import HomePage, StatementIndexPage, StatementPage
from solidar.publishing.testing import add_child

pytestmark = pytest.mark.django_db

RUSSIAN = ["Ячейка поддерживает забастовку.", "Сбор пожертвований.", "Отчёт сети."]


@pytest.fixture
def statements(db):
    """The statement index in English, mirrored into every language (as the admin does)."""
    home = HomePage.objects.get(locale__language_code="en")
    index = add_child(home, StatementIndexPage(title="Statements", slug="statements"))
    publishing.sync_all_aliases()
    return index


@pytest.fixture
def resolution(proposal_factory, coordinator, member, other_member):
    resolution = adopt(proposal_factory, coordinator, [coordinator, member, other_member])
    resolutions.translate(
        resolution,
        "ru",
        by=coordinator,
        title="Фонд солидарности",
        preamble="Курьеры *попросили* о помощи.",
        decisions=RUSSIAN,
    )
    return resolution


def in_language(page: Page, code: str) -> Page:
    return page.get_translation(Locale.objects.get(language_code=code))


def test_a_page_in_each_language_it_has_read_anonymously(statements, resolution, coordinator):
    page = publish.publish(resolution, by=coordinator)

    anonymous = Client()
    english = anonymous.get(page.url)
    assert english.status_code == 200
    assert "Members collect donations at every meeting" in english.content.decode()
    assert resolution.number in english.content.decode()
    russian_page = in_language(page, "ru")
    assert russian_page.alias_of_id is None  # a translation, not a copy of the English
    assert russian_page.url.startswith("/ru/")
    russian = anonymous.get(russian_page.url).content.decode()
    for decision in RUSSIAN:
        assert decision in russian
    assert "<em>попросили</em>" in russian
    assert "Members collect donations" not in russian
    # Languages without a translation show the original, as every page of the site does.
    german_page = in_language(page, "de")
    assert german_page.alias_of_id == page.pk
    german = anonymous.get(german_page.url)
    assert german.status_code == 200
    assert "Members collect donations at every meeting" in german.content.decode()


def test_the_pages_are_translations_of_each_other(statements, resolution, coordinator):
    page = publish.publish(resolution, by=coordinator)

    pages = StatementPage.objects.filter(translation_key=page.translation_key)
    assert {p.locale.language_code for p in pages} == {"en", "de", "ru", "uk"}
    assert {p.slug for p in pages} == {page.slug}
    assert all(p.live for p in pages)
    assert all(p.get_parent().specific_class is StatementIndexPage for p in pages)
    english = StatementPage.objects.get(pk=page.pk)
    assert english.kind == StatementPage.Kind.RESOLUTION
    assert english.number == resolution.number
    assert english.adopted_on == resolution.adopted_on
    assert english.adopted_by == resolution.adopted_by
    assert len(english.decisions) == 3


def test_publishing_records_the_page_and_the_audit_log(statements, resolution, coordinator):
    page = publish.publish(resolution, by=coordinator)

    resolution.refresh_from_db()
    assert resolution.published_page_id == page.pk
    assert resolution.published_at is not None
    event = AuditEvent.objects.get(action="decisions.resolution_published")
    assert event.actor_id == coordinator.pk
    assert event.object_id == str(resolution.pk)
    assert event.data["languages"] == ["en", "ru"]


def test_publishing_again_after_a_correction_updates_the_pages(statements, resolution, coordinator):
    page = publish.publish(resolution, by=coordinator)
    revisions = page.revisions.count()
    resolution = resolutions.revise(
        resolution,
        by=coordinator,
        title=resolution.title,
        preamble="",
        decisions=["First, corrected.", "Second.", "Third."],
        note="clearer",
    )

    again = publish.publish(resolution, by=coordinator)

    assert again.pk == page.pk
    assert again.revisions.count() == revisions + 1
    anonymous = Client()
    assert "First, corrected." in anonymous.get(again.url).content.decode()
    # The Russian translation is of the first version: taken down, the original shown.
    russian_page = in_language(again, "ru")
    assert russian_page.alias_of_id == page.pk
    russian = anonymous.get(russian_page.url).content.decode()
    assert "First, corrected." in russian
    assert RUSSIAN[1] not in russian
    event = AuditEvent.objects.filter(action="decisions.resolution_published").latest("pk")
    assert event.data["taken_down"] == ["ru"]

    # Brought up to date and published again: Russian is back, under the same address.
    resolutions.translate(
        resolution, "ru", by=coordinator, title="Фонд", preamble="", decisions=RUSSIAN
    )
    publish.publish(resolution, by=coordinator)
    russian_page = in_language(again, "ru")
    assert russian_page.alias_of_id is None
    assert RUSSIAN[0] in anonymous.get(russian_page.url).content.decode()


def test_an_alias_gives_way_to_a_new_translation(statements, resolution, coordinator):
    page = publish.publish(resolution, by=coordinator)
    alias = in_language(page, "uk")
    assert alias.alias_of_id == page.pk
    resolutions.translate(
        resolution,
        "uk",
        by=coordinator,
        title="Фонд солідарності",
        preamble="",
        decisions=["Перше.", "Друге.", "Третє."],
    )

    publish.publish(resolution, by=coordinator)

    ukrainian = in_language(page, "uk")
    assert ukrainian.pk == alias.pk  # the same page and address, now a translation
    assert ukrainian.alias_of_id is None
    assert "Друге." in Client().get(ukrainian.url).content.decode()


def test_a_taken_slug_gets_a_suffix(statements, resolution, coordinator):
    from datetime import date

    from wagtail.rich_text import RichText

    add_child(
        statements,
        StatementPage(
            title="An older one",
            slug=f"koeln-{resolution.number.replace('/', '-')}",
            number="x",
            adopted_by="someone",
            adopted_on=date(2020, 1, 1),
            decisions=[("decision", RichText("<p>Old.</p>"))],
        ),
    )
    page = publish.publish(resolution, by=coordinator)
    assert page.slug == f"koeln-{resolution.number.replace('/', '-')}-2"


def test_without_a_statement_index_nothing_is_published(resolution, coordinator):
    with pytest.raises(DecisionError, match="no page for statements"):
        publish.publish(resolution, by=coordinator)
    resolution.refresh_from_db()
    assert resolution.published_at is None


# -- through the pages ----------------------------------------------------------------------
def test_a_coordinator_publishes_from_the_resolution_page(statements, resolution, coordinator):
    client = client_for(coordinator)
    response = client.post(reverse("decisions:publish", args=[resolution.pk]))

    assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.published_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "is published on the public site" in page
    assert resolution.published_page.url in page
    assert "Publish again" in page


def test_publishing_without_a_statement_index_says_why(resolution, coordinator):
    response = client_for(coordinator).post(reverse("decisions:publish", args=[resolution.pk]))
    assert response.status_code == 400
    assert "An editor must create one" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_outsiders_are_sent_to_the_public_page_once_published(
    statements, resolution, coordinator, request, who
):
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue(who))
    own = reverse("decisions:resolution", args=[resolution.pk])
    assert client.get(own).status_code == 404
    page = publish.publish(resolution, by=coordinator)

    response = client.get(own)

    assert response.status_code == 302
    assert response["Location"] == page.url
    version = reverse("decisions:resolution_version", args=[resolution.pk, 1])
    assert client.get(version).status_code == 404  # the corrections stay with the members
