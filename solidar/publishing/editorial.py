"""The editors' side of the public site: roles, the review workflow, and which
translations are missing or out of date.

Roles are Wagtail groups defined here (``ROLES``) and created by
:func:`ensure_editorial_roles`, from a data migration and from the demo data:

- **Editors** add, edit, publish, lock and unlock pages in every language's tree, manage
  images, documents and topics, submit pages for translation, and review what authors
  submit.
- **Authors** add and edit pages but cannot publish: they submit a draft to the workflow
  "Review before publishing", and an editor approves it (which publishes it) or asks for
  changes.

:func:`translation_status` answers, for every source page, whether each other language
has an up-to-date translation, an out-of-date one, or none (only an alias), in a constant
number of queries.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps as django_apps
from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

EDITORS = "Editors"
AUTHORS = "Authors"
ROLE_NAMES = (EDITORS, AUTHORS)
WORKFLOW_NAME = "Review before publishing"
REVIEW_TASK_NAME = "Review by an editor"


# -- roles ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Role:
    name: str
    # (app label, model, codename, permission name) for each kind of permission.
    page: tuple[str, ...]  # codenames on wagtailcore.Page, granted on every home page
    collection: tuple[tuple[str, str, str, str], ...]  # on the root collection
    model: tuple[tuple[str, str, str, str], ...]  # plain Django permissions


_PAGE_PERMISSION_NAMES = {
    "add_page": "Can add page",
    "change_page": "Can change page",
    "publish_page": "Publish any page",
    "lock_page": "Lock/unlock pages you've locked",
    "unlock_page": "Unlock any page",
}
_ACCESS_ADMIN = ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")


def _crud(app_label: str, model: str, *actions: str) -> tuple[tuple[str, str, str, str], ...]:
    return tuple((app_label, model, f"{a}_{model}", f"Can {a} {model}") for a in actions)


ROLES = (
    Role(
        name=EDITORS,
        page=("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
        collection=(
            *_crud("wagtailimages", "image", "add", "change", "delete", "choose"),
            *_crud("wagtaildocs", "document", "add", "change", "delete", "choose"),
        ),
        model=(
            _ACCESS_ADMIN,
            *_crud("publishing", "topic", "add", "change", "delete", "view"),
            (
                "wagtail_localize",
                "translation",
                "submit_translation",
                "Can submit translations",
            ),
        ),
    ),
    Role(
        name=AUTHORS,
        page=("add_page", "change_page"),
        # Authors upload images and pick them for their pages (choosing needs its own right).
        collection=_crud("wagtailimages", "image", "add", "choose"),
        model=(_ACCESS_ADMIN,),
    ),
)


def ensure_editorial_roles(apps=django_apps) -> dict:
    """Create (or complete) the Editors and Authors groups and the review workflow.

    Idempotent: adds what is missing and takes nothing away, except the page rights that
    Wagtail's initial data gives these groups on the tree's root (every site at once):
    ours are granted on each language's home page. ``apps`` is a migration's historical
    registry when called from a migration. Returns ``{group name: group}``.
    """
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    with transaction.atomic():
        homes = list(Page.objects.filter(depth=2).order_by("path"))
        root_collection = Collection.objects.filter(depth=1).first()
        groups = {}
        for role in ROLES:
            group, _created = Group.objects.get_or_create(name=role.name)
            groups[role.name] = group
            group.permissions.add(*(_permission(apps, *spec) for spec in role.model))
            GroupPagePermission.objects.filter(group=group, page__depth=1).delete()
            for codename in role.page:
                permission = _permission(
                    apps, "wagtailcore", "page", codename, _PAGE_PERMISSION_NAMES[codename]
                )
                for home in homes:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=home, permission=permission
                    )
            if root_collection is not None:
                for spec in role.collection:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=_permission(apps, *spec)
                    )
        _ensure_review_workflow(apps, groups[EDITORS], homes)
    return groups


def _permission(apps, app_label: str, model: str, codename: str, name: str):
    # In a fresh database Django creates permissions only after all migrations ran.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def _ensure_review_workflow(apps, editors, homes) -> None:
    """ "Review before publishing": one task, approved by an editor, on every home page
    (so it covers each language's whole tree). A home that already has another workflow
    keeps it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        # (set by hand: a migration's historical model lacks Task.__init__, which sets it)
        content_type = ContentType.objects.get_for_model(GroupApprovalTask)
        task = GroupApprovalTask.objects.create(
            name=REVIEW_TASK_NAME, active=True, content_type=content_type
        )
    task.groups.add(editors)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for home in homes:
        WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})


def has_role(user, *names: str) -> bool:
    """Whether ``user`` is in one of the named editorial groups (cached on the user)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_solidar_editorial_roles", None)
    if cached is None:
        # The permission cache is already filled by the questions asked before this one
        # (can_edit_site): a user without a single group permission is in no role worth
        # the name, and members are spared a query.
        if not user.get_group_permissions():
            cached = frozenset()
        else:
            cached = frozenset(
                user.groups.filter(name__in=ROLE_NAMES).values_list("name", flat=True)
            )
        user._solidar_editorial_roles = cached
    return any(name in cached for name in names)


# -- translation status --------------------------------------------------------------------
class Status(enum.StrEnum):
    ORIGINAL = "original"
    UP_TO_DATE = "up-to-date"
    OUT_OF_DATE = "out-of-date"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.ORIGINAL: _("original"),
    Status.UP_TO_DATE: _("translated, up to date"),
    Status.OUT_OF_DATE: _("translated, out of date"),
    Status.MISSING: _("missing"),
}
# What the report's status filter offers (the original is not a translation's state).
FILTER_STATUSES = (Status.UP_TO_DATE, Status.OUT_OF_DATE, Status.MISSING)


@dataclass(frozen=True)
class LanguageState:
    code: str
    name: str
    status: Status
    page_id: int | None = None  # the translation (or the original); None when missing
    translation_source_id: int | None = None  # wagtail-localize's source, to sync from


@dataclass
class SourcePage:
    page_id: int
    title: str
    language: str
    language_name: str
    live: bool
    states: list[LanguageState] = field(default_factory=list)

    def state(self, code: str) -> LanguageState | None:
        return next((s for s in self.states if s.code == code), None)


@dataclass(frozen=True)
class _PageRow:
    id: int
    title: str
    key: object
    locale_id: int
    alias_of_id: int | None
    live: bool
    last_published_at: datetime | None


def translation_status(
    *, language: str | None = None, status: Status | None = None
) -> list[SourcePage]:
    """Every source page with the state of each other language, in tree order.

    A source is the page a piece of content was written as: the page wagtail-localize
    translates from (its ``TranslationSource``), or else the first non-alias page with
    that translation key. Other non-alias pages with the key are its translations; an
    alias or nothing is a missing translation.

    A translation made by wagtail-localize is out of date when the source was published,
    or its content re-extracted ("Sync translated pages"), after the translation was
    last saved (``TranslationLog``). One made another way (a copy edited by hand, or one
    whose synchronisation was stopped) is out of date when the source was published
    after it.

    ``language`` and ``status`` keep the sources whose translation into ``language``
    (into any language, without one) has that status; ``language`` alone keeps every
    source but only that language's state. Four queries, however many pages.
    """
    from wagtail.models import Locale, Page
    from wagtail_localize.models import Translation, TranslationLog, TranslationSource

    locales = dict(Locale.objects.values_list("id", "language_code"))
    names = dict(settings.LANGUAGES)
    order = {code: n for n, (code, _name) in enumerate(settings.LANGUAGES)}
    locale_ids = sorted(locales, key=lambda pk: order.get(locales[pk], len(order)))

    pages = Page.objects.filter(depth__gt=1)
    by_key: dict[object, list[_PageRow]] = defaultdict(list)
    for row in pages.order_by("path").values_list(
        "id", "title", "translation_key", "locale_id", "alias_of_id", "live", "last_published_at"
    ):
        page = _PageRow(*row)
        by_key[page.key].append(page)

    keys = pages.values("translation_key")
    sources: dict[object, list[dict]] = defaultdict(list)
    for source in (
        TranslationSource.objects.filter(object_id__in=keys)
        .order_by("pk")
        .values("id", "object_id", "locale_id", "last_updated_at")
    ):
        sources[source["object_id"]].append(source)
    last_saved = TranslationLog.objects.filter(
        source_id=OuterRef("source_id"), locale_id=OuterRef("target_locale_id")
    ).order_by("-created_at")
    translations = {
        (t["source__object_id"], t["target_locale_id"]): t
        for t in Translation.objects.filter(enabled=True, source__object_id__in=keys)
        .annotate(saved_at=Subquery(last_saved.values("created_at")[:1]))
        .values(
            "source_id",
            "source__object_id",
            "source__last_updated_at",
            "target_locale_id",
            "saved_at",
        )
    }

    result = []
    for key, rows in by_key.items():
        original = _source_of(rows, sources.get(key, []))
        if original is None:
            continue  # aliases of a deleted page: nothing to translate from
        in_locale = {r.locale_id: r for r in rows}
        localize_source = next(
            (s["id"] for s in sources.get(key, []) if s["locale_id"] == original.locale_id),
            None,
        )
        code = locales[original.locale_id]
        entry = SourcePage(
            page_id=original.id,
            title=original.title,
            language=code,
            language_name=str(names.get(code, code)),
            live=original.live,
        )
        for locale_id in locale_ids:
            target = in_locale.get(locale_id)
            state = _state_of(original, target, translations.get((key, locale_id)))
            target_code = locales[locale_id]
            entry.states.append(
                LanguageState(
                    code=target_code,
                    name=str(names.get(target_code, target_code)),
                    status=state,
                    page_id=None if state is Status.MISSING else target.id,
                    translation_source_id=localize_source,
                )
            )
        if _wanted(entry, language, status):
            if language:
                entry.states = [s for s in entry.states if s.code == language]
            result.append(entry)
    return result


def _source_of(rows: list[_PageRow], sources: list[dict]) -> _PageRow | None:
    written = [r for r in rows if r.alias_of_id is None]
    for source in sources:
        for row in written:
            if row.locale_id == source["locale_id"]:
                return row
    return min(written, key=lambda r: r.id, default=None)


def _state_of(original: _PageRow, target: _PageRow | None, translation: dict | None) -> Status:
    if target is original:
        return Status.ORIGINAL
    if target is None or target.alias_of_id is not None:
        return Status.MISSING
    changed = original.last_published_at
    if translation is not None:
        saved = translation["saved_at"]
        changed = max(filter(None, (changed, translation["source__last_updated_at"])), default=None)
    else:
        saved = target.last_published_at
    if changed is not None and (saved is None or saved < changed):
        return Status.OUT_OF_DATE
    return Status.UP_TO_DATE


def _wanted(entry: SourcePage, language: str | None, status: Status | None) -> bool:
    if status is None:
        return True
    return any(s.status is status for s in entry.states if not language or s.code == language)
