"""Publishing a resolution on the public site: a statement page in every language it has.

The original text becomes a ``StatementPage`` under the statement index of its language;
each translation of the current version becomes that page's translation (same translation
key and slug, as wagtail-localize makes them) under the index of its own language. Every
other language gets an alias of the original, as the publishing app does for every page
(``publishing.services.sync_aliases``): the reader sees the original with a notice.

Publishing again (after a revision or a new translation) publishes a new revision of each
page. A translation that has fallen behind a revision of the original is taken down and
the alias takes its place, so no language shows decisions that have since been corrected;
it comes back when the translation is brought up to date and the resolution is published
again.

Pages go through Wagtail's revisions and ``publish``, so the public site's own reactions
(search index, page cache) follow as they do for an editor's page.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from solidar.core import audit
from solidar.core.markup import render_markdown
from solidar.decisions import resolutions
from solidar.decisions.models import Resolution
from solidar.decisions.services import DecisionError
from solidar.publishing import services as publishing
from solidar.publishing.models import StatementIndexPage, StatementPage

SLUG_LIMIT = 80


def page_fields(resolution: Resolution, text: dict) -> dict:
    """A statement page's fields from one language's text ({title, preamble, decisions})."""
    return {
        "title": text["title"],
        "kind": StatementPage.Kind.RESOLUTION,
        "number": resolution.number,
        "adopted_by": text.get("adopted_by") or resolution.adopted_by,
        "adopted_on": resolution.adopted_on,
        "preamble": str(render_markdown(text["preamble"])) if text["preamble"] else "",
        "decisions": [
            ("decision", RichText(str(render_markdown(decision)))) for decision in text["decisions"]
        ],
    }


def _index(locale: Locale) -> Page:
    """The statement index of ``locale`` (a translation or an alias), made as an alias of
    another language's index when this language has none yet."""
    index = StatementIndexPage.objects.filter(locale=locale).order_by("pk").first()
    if index is not None:
        return index
    original = StatementIndexPage.objects.filter(alias_of__isnull=True).order_by("pk").first()
    if original is None:
        raise DecisionError(
            _(
                "The public site has no page for statements yet. An editor must create one "
                "before resolutions can be published."
            )
        )
    publishing.sync_aliases(original)
    return StatementIndexPage.objects.filter(locale=locale).order_by("pk").first()


def _slug(resolution: Resolution, index: Page) -> str:
    body = resolution.body
    scope = body.event.slug if body.is_assembly else body.collective.slug
    base = slugify(f"{scope} {resolution.number.replace('/', ' ')}")[:SLUG_LIMIT] or "resolution"
    taken = set(index.get_children().values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _publish(page: StatementPage, fields: dict, by) -> StatementPage:
    for name, value in fields.items():
        setattr(page, name, value)
    # The decisions rules said who may publish (a coordinator of the body, not an editor).
    page.save_revision(user=by, log_action=True).publish(user=by, skip_permission_checks=True)
    page.refresh_from_db()
    return page


def _original(resolution: Resolution, locale: Locale, fields: dict, by) -> StatementPage:
    page = None
    if resolution.published_page_id:
        page = (
            StatementPage.objects.filter(pk=resolution.published_page_id, alias_of__isnull=True)
            .select_related("locale")
            .first()
        )
    if page is None:  # never published, or an editor deleted the page
        index = _index(locale)
        page = StatementPage(slug=_slug(resolution, index), **fields)
        index.add_child(instance=page)
    return _publish(page, fields, by)


def _translation(original: StatementPage, locale: Locale, fields: dict, by) -> StatementPage:
    existing = original.get_translation_or_none(locale)
    if existing is None:
        page = original.copy_for_translation(locale, copy_parents=True)
    else:
        if existing.alias_of_id is not None:  # the alias gives way to the translation
            ConvertAliasPageAction(existing, user=by).execute(skip_permission_checks=True)
        page = StatementPage.objects.get(pk=existing.pk)
    return _publish(page, fields, by)


def _take_down(original: StatementPage, locale: Locale) -> bool:
    """Remove the translation into ``locale`` (an alias replaces it). False if none."""
    existing = original.get_translation_or_none(locale)
    if existing is None or existing.alias_of_id is not None:
        return False
    existing.delete()
    return True


def publish(resolution: Resolution, *, by, now: datetime | None = None) -> StatementPage:
    """Publish (or publish again) ``resolution`` as statement pages; returns the original's
    page. Raises ``DecisionError`` when the site has no statement index or no language
    of the original."""
    now = now or timezone.now()
    with transaction.atomic():
        resolution = (
            Resolution.objects.select_for_update(of=("self",))
            .select_related("body__collective", "body__event")
            .get(pk=resolution.pk)
        )
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        if resolution.language not in locales:
            raise DecisionError(_("The public site has no pages in the language of the original."))
        texts = resolutions.texts(resolution)
        original = _original(
            resolution,
            locales[resolution.language],
            page_fields(resolution, texts[resolution.language]),
            by,
        )
        published, taken_down = [resolution.language], []
        for code, text in texts.items():
            if code == resolution.language or code not in locales:
                continue
            if text["current"]:
                _translation(original, locales[code], page_fields(resolution, text), by)
                published.append(code)
            elif _take_down(original, locales[code]):
                taken_down.append(code)
        publishing.sync_aliases(original)
        resolution.published_page = original
        resolution.published_at = now
        resolution.save(update_fields=["published_page", "published_at"])
        audit.record(
            by,
            "decisions.resolution_published",
            resolution,
            version=resolution.version,
            languages=sorted(published),
            taken_down=sorted(taken_down),
        )
    return original


def public_url(resolution: Resolution, language: str | None = None) -> str:
    """The public page's address in ``language`` (or the original's), "" if unpublished."""
    if not resolution.published_page_id:
        return ""
    pages = {
        p.locale.language_code: p
        for p in Page.objects.filter(
            translation_key=Page.objects.filter(pk=resolution.published_page_id).values(
                "translation_key"
            )[:1]
        )
        .live()
        .select_related("locale")
    }
    page = pages.get(language) or next(
        (p for p in pages.values() if p.pk == resolution.published_page_id), None
    )
    return page.get_url() or "" if page is not None else ""
