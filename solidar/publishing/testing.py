"""Build a small public site for tests: one call, every kind of page, two languages.

    tree = build_site()
    tree.index_en, tree.index_de       the post indexes (/en/posts/, /de/posts/)
    tree.post_en, tree.post_de         one post in English and its German translation
    tree.post_de_only                  a post written in German only (aliases elsewhere)
    tree.topic_en, tree.topic_de       one topic, slug "political-prisoners"
    tree.programme_en                  the programme (a ContentPage), English only
    tree.statement_en                  a resolution with three numbered decisions
    tree.homes                         {language code: home page}

Pages go through Wagtail's revisions and publishing, and every page and topic is then
mirrored into each language (``services.sync_all_aliases``, ``services.sync_topics``),
as the admin does.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from wagtail.models import Locale
from wagtail.rich_text import RichText

from solidar.publishing import services
from solidar.publishing.models import (
    ContentPage,
    HomePage,
    PostIndexPage,
    PostPage,
    StatementIndexPage,
    StatementPage,
    Topic,
)


def paragraphs(*texts: str) -> list:
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in texts]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_child(parent, page):
    parent.add_child(instance=page)
    return publish(page)


def translate(page, code: str, **fields):
    """A real translation of ``page`` into ``code`` (as wagtail-localize would make it)."""
    locale = Locale.objects.get(language_code=code)
    existing = page.get_translation_or_none(locale)
    if existing is not None and existing.alias_of_id:
        existing.delete()  # the alias gives way to the translation
    copy = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    return publish(copy)


def post(parent, title: str, *, slug: str, date=None, topics=(), texts=("Text.",), **fields):
    page = PostPage(
        title=title,
        slug=slug,
        date=date or datetime.date(2024, 11, 4),
        body=paragraphs(*texts),
        **fields,
    )
    parent.add_child(instance=page)
    page.topics.set(topics)
    return publish(page)


@dataclass
class Site:
    homes: dict
    index_en: PostIndexPage
    index_de: PostIndexPage
    topic_en: Topic
    topic_de: Topic
    post_en: PostPage
    post_de: PostPage
    post_de_only: PostPage
    programme_en: ContentPage
    statement_en: StatementPage


def build_site() -> Site:
    homes = {h.locale.language_code: h for h in HomePage.objects.select_related("locale")}
    en, de = Locale.objects.get(language_code="en"), Locale.objects.get(language_code="de")
    topic_en = Topic.objects.create(
        name="Political prisoners", slug="political-prisoners", locale=en
    )
    services.sync_topics()
    topic_de = Topic.objects.get(translation_key=topic_en.translation_key, locale=de)
    topic_de.name = "Politische Gefangene"
    topic_de.save()

    index_en = add_child(homes["en"], PostIndexPage(title="Posts", slug="posts"))
    index_de = translate(index_en, "de", title="Beiträge")
    post_en = post(
        index_en,
        "Letters to prisoners",
        slug="letters-to-prisoners",
        topics=[topic_en],
        texts=("We write letters every month.", "Join us at the next evening."),
        author_name="Mila",
    )
    post_de = translate(
        post_en,
        "de",
        title="Briefe an Gefangene",
        body=paragraphs("Wir schreiben jeden Monat Briefe."),
    )
    post_de.topics.set([topic_de])
    publish(post_de)
    post_de_only = post(
        index_de,
        "Kundgebung in Köln",
        slug="kundgebung-koeln",
        date=datetime.date(2024, 10, 12),
        texts=("Am Samstag standen wir auf dem Neumarkt.",),
        author_name="Olga",
    )
    programme_en = add_child(
        homes["en"],
        ContentPage(
            title="Our programme",
            slug="programme",
            is_programme=True,
            intro="Who we are and what we want.",
            body=paragraphs("We are a network of the left in exile."),
        ),
    )
    statements = add_child(homes["en"], StatementIndexPage(title="Statements", slug="statements"))
    statement_en = add_child(
        statements,
        StatementPage(
            title="Resolution of the Cologne forum",
            slug="cologne-forum-resolution",
            number="2024/1",
            adopted_by="the forum in Köln",
            adopted_on=datetime.date(2024, 11, 3),
            decisions=[("decision", RichText(f"<p>Decision {n}.</p>")) for n in (1, 2, 3)],
        ),
    )
    services.sync_all_aliases()
    return Site(
        homes=homes,
        index_en=index_en,
        index_de=index_de,
        topic_en=topic_en,
        topic_de=topic_de,
        post_en=post_en,
        post_de=post_de,
        post_de_only=post_de_only,
        programme_en=programme_en,
        statement_en=statement_en,
    )
