"""Demo content of the public site (seed_demo): topics, the post index, eight posts in
German and English (some also in Russian and Ukrainian), the programme and the Cologne
forum's resolution. The texts are in ``demo_texts`` and ``demo_posts``.

Pages are published through revisions, translations are made as wagtail-localize makes
them (``testing.translate``: same translation key, same slug), and every page and topic
is then mirrored into each language. Running it twice changes nothing: each page and
translation is looked up before it is made.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager

from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from solidar.publishing import editorial, services
from solidar.publishing.demo_posts import POSTS
from solidar.publishing.demo_texts import (
    POST_INDEX,
    PROGRAMME,
    RESOLUTION,
    STATEMENT_INDEX,
    TOPICS,
)
from solidar.publishing.models import (
    ContentPage,
    HomePage,
    PostIndexPage,
    PostPage,
    StatementIndexPage,
    StatementPage,
    Topic,
)
from solidar.publishing.testing import add_child, translate

ORIGINAL = "original"  # key of the original language in the texts' "versions"


# -- building blocks -----------------------------------------------------------------------
def _joined(lines) -> str:
    return " ".join(line.strip() for line in lines)


def parse(text: str) -> list[tuple]:
    """The compact form of the texts (see ``demo_texts``) as ("h", heading), ("p", text),
    ("ul", [items]) and ("q", quote, who)."""
    parts = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = chunk.splitlines()
        if chunk.startswith("## "):
            parts.append(("h", _joined(lines)[3:]))
        elif chunk.startswith("> "):
            quote = [line[2:] for line in lines if line.startswith("> ")]
            who = [line[2:] for line in lines if line.startswith("— ")]
            parts.append(("q", _joined(quote), _joined(who)))
        elif chunk.startswith("- "):
            items = []
            for line in lines:
                if line.startswith("- "):
                    items.append([line[2:]])
                else:
                    items[-1].append(line)
            parts.append(("ul", [_joined(item) for item in items]))
        else:
            parts.append(("p", _joined(lines)))
    return parts


def body(text: str) -> list:
    """StreamField data (BodyBlock) from the compact form of the texts."""
    blocks = []
    for kind, *rest in parse(text):
        if kind == "h":
            blocks.append(("heading", {"text": rest[0], "level": "h2"}))
        elif kind == "p":
            blocks.append(("paragraph", RichText(f"<p>{rest[0]}</p>")))
        elif kind == "ul":
            items = "".join(f"<li>{item}</li>" for item in rest[0])
            blocks.append(("paragraph", RichText(f"<ul>{items}</ul>")))
        else:
            blocks.append(("quote", {"quote": rest[0], "attribution": rest[1]}))
    return blocks


def paragraphs(text: str) -> list[str]:
    return [part[1] for part in parse(text)]


def _locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def _existing(model, parent: Page, slug: str):
    return model.objects.child_of(parent).filter(slug=slug, alias_of__isnull=True).first()


def _translated(page: Page, code: str, **fields) -> Page:
    """``page`` in ``code``: the existing translation, or a new one (replacing an alias)."""
    existing = page.get_translation_or_none(_locale(code))
    if existing is not None and existing.alias_of_id is None:
        return existing.specific
    return translate(page, code, **fields)


# -- topics --------------------------------------------------------------------------------
def seed_topics() -> dict[str, dict[str, Topic]]:
    """{slug: {language: topic}}; English first, then its copies renamed."""
    english = _locale("en")
    topics = {}
    for slug, names in TOPICS.items():
        original = Topic.objects.filter(locale=english, slug=slug).first()
        if original is None:
            original = Topic.objects.create(locale=english, slug=slug, name=names["en"])
        services.sync_topic(original)
        topics[slug] = {}
        for topic in Topic.objects.filter(translation_key=original.translation_key).select_related(
            "locale"
        ):
            code = topic.locale.language_code
            name = names.get(code, names["en"])
            if topic.name != name:
                topic.name = name
                topic.save(update_fields=["name"])
            topics[slug][code] = topic
    return topics


# -- pages ---------------------------------------------------------------------------------
def _ensure(parent: Page, page: Page) -> Page:
    existing = _existing(type(page), parent, page.slug)
    return existing.specific if existing is not None else add_child(parent, page)


def _index(homes, model, texts) -> Page:
    index = _ensure(homes["en"], model(slug=texts["slug"], **texts["versions"]["en"]))
    for code, fields in texts["versions"].items():
        if code != "en":
            _translated(index, code, **fields)
    return index


def _author(spec) -> dict:
    """A pseudonym, or a public collective of the network demo (when it exists)."""
    if "collective" not in spec:
        return {"author_name": spec["author"]}
    from solidar.network.models import Collective

    collective = Collective.objects.filter(
        slug=spec["collective"], visibility=Collective.Visibility.PUBLIC, is_active=True
    ).first()
    if collective is None:
        return {"author_name": spec.get("author", "")}
    return {"author_collective": collective}


def _post_fields(spec, version, topics, code) -> dict:
    return {
        "title": version["title"],
        "teaser": version.get("teaser", ""),
        "body": body(version["body"]),
        "topics": [topics[slug][code] for slug in spec["topics"]],
    }


def seed_posts(index_en: PostIndexPage, topics) -> list[PostPage]:
    posts = []
    for spec in POSTS:
        original_code = spec[ORIGINAL]
        versions = spec["versions"]
        parent = index_en.get_translation(_locale(original_code))
        original = _existing(PostPage, parent, spec["slug"])
        if original is None:
            page = PostPage(slug=spec["slug"], date=spec["date"], **_author(spec))
            for name, value in _post_fields(
                spec, versions[original_code], topics, original_code
            ).items():
                setattr(page, name, value)
            original = add_child(parent, page)
        for code, version in versions.items():
            if code != original_code:
                _translated(original, code, **_post_fields(spec, version, topics, code))
        services.sync_aliases(original)  # of the original, not of a translation of it
        posts.append(original)
    return posts


def seed_programme(homes) -> ContentPage:
    versions = PROGRAMME["versions"]
    programme = _ensure(
        homes["en"],
        ContentPage(
            slug=PROGRAMME["slug"],
            is_programme=True,
            title=versions["en"]["title"],
            intro=versions["en"]["intro"],
            body=body(versions["en"]["body"]),
        ),
    )
    for code, version in versions.items():
        if code != "en":
            _translated(
                programme,
                code,
                title=version["title"],
                intro=version["intro"],
                body=body(version["body"]),
            )
    return programme


def _resolution_fields(version) -> dict:
    return {
        "title": version["title"],
        "adopted_by": version["adopted_by"],
        "preamble": "".join(f"<p>{text}</p>" for text in paragraphs(version["preamble"])),
        "decisions": [
            ("decision", RichText(f"<p>{text}</p>")) for text in paragraphs(version["decisions"])
        ],
    }


def seed_resolution(statements_en: StatementIndexPage) -> StatementPage:
    original_code = RESOLUTION[ORIGINAL]
    versions = RESOLUTION["versions"]
    parent = statements_en.get_translation(_locale(original_code))
    resolution = _ensure(
        parent,
        StatementPage(
            slug=RESOLUTION["slug"],
            kind=StatementPage.Kind.RESOLUTION,
            number=RESOLUTION["number"],
            adopted_on=RESOLUTION["adopted_on"],
            **_resolution_fields(versions[original_code]),
        ),
    )
    for code, version in versions.items():
        if code != original_code:
            _translated(resolution, code, **_resolution_fields(version))
    services.sync_aliases(resolution)
    return resolution


@contextmanager
def _quiet_wagtail():
    """Wagtail logs every page it creates; the demo's printout should stay readable."""
    logger = logging.getLogger("wagtail")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def seed() -> None:
    with _quiet_wagtail():
        _seed()


def _seed() -> None:
    homes = {h.locale.language_code: h for h in HomePage.objects.select_related("locale")}
    topics = seed_topics()
    index = _index(homes, PostIndexPage, POST_INDEX)
    seed_posts(index, topics)
    seed_programme(homes)
    statements = _index(homes, StatementIndexPage, STATEMENT_INDEX)
    seed_resolution(statements)
    services.sync_all_aliases()
    services.sync_topics()
    editorial.ensure_editorial_roles()


def summary() -> list[str]:
    counts = {}
    for code in ("de", "en", "ru", "uk"):
        counts[code] = PostPage.objects.filter(
            locale__language_code=code, alias_of__isnull=True
        ).count()
    return [
        f"  Public site: {counts['de']} posts in German, {counts['en']} in English, "
        f"{counts['ru']} in Russian, {counts['uk']} in Ukrainian (the rest shown as "
        "originals); the programme; the Cologne forum's resolution. /de/, /en/, /ru/, /uk/."
    ]
