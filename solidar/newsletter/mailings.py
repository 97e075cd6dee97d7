"""The editors' business rules: mailings, their language versions, recipients, the
schedule, pause/resume/cancel, test sends; and the lists themselves.

Every change is one function here: it runs in one transaction, locks the mailing row
(the sending engine locks it too when it starts a send), writes the audit log and
schedules its side effects after commit. A refusal is a ``NewsletterError`` with a
message for the editor; nothing is changed then.

The life of a mailing::

    draft --schedule--> scheduled --(engine: snapshot)--> sending --> sent
      ^                    |                                |  ^
      +----unschedule------+                           pause|  |resume
                                                            v  |
    scheduled / sending / paused --cancel--> cancelled     paused

Only a draft can be edited: once the engine has taken the recipients and the text, a
change would mean that some readers get one version and the rest another.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from solidar.core import audit, pagecache
from solidar.core.emails import queue_message
from solidar.network.models import Collective
from solidar.newsletter import compose
from solidar.newsletter.models import Delivery, Mailing, MailingList, MailingVariant
from solidar.newsletter.services import NewsletterError

S = Mailing.Status
SUBJECT_LIMIT = 200
BODY_LIMIT = 100_000
TITLE_LIMIT = 200
# How far ahead a send may be scheduled, and how late "now" may arrive from a form.
SCHEDULE_HORIZON = timedelta(days=366)
SCHEDULE_GRACE = timedelta(minutes=2)
CANCELLABLE = (S.SCHEDULED, S.SENDING, S.PAUSED)
# What the public archive shows: a change to these retires the cached public pages.
ARCHIVED = S.SENT

_markdown = MarkdownIt("commonmark", {"html": False})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u2063]")


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


# -- small checks ------------------------------------------------------------------------------
def _clean_line(value: str) -> str:
    """One line: no control characters (a newline in a subject is a header injection)."""
    return " ".join(_CONTROL.sub(" ", value or "").split())


def _clean_text(value: str) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _foreign_images(body: str) -> list[str]:
    """Sources of images in the Markdown that are not on our own site."""
    found = []
    stack = list(_markdown.parse(body))
    while stack:
        token = stack.pop()
        if token.type == "image":
            src = str(token.attrGet("src") or "")
            if not src.startswith("/") or src.startswith("//"):
                found.append(src)
        stack.extend(token.children or [])
    return found


def _lock(mailing: Mailing) -> Mailing:
    return Mailing.objects.select_for_update().get(pk=mailing.pk)


def _refuse_unless_draft(mailing: Mailing) -> None:
    if mailing.status == S.DRAFT:
        return
    if mailing.status == S.SCHEDULED:
        raise NewsletterError(
            _("This mailing is scheduled. Take it back to draft before you change it.")
        )
    if mailing.status in (S.SENDING, S.PAUSED):
        raise NewsletterError(_("This mailing is being sent: it can no longer be changed."))
    if mailing.status == S.SENT:
        raise NewsletterError(_("This mailing has been sent: it can no longer be changed."))
    raise NewsletterError(_("This mailing was cancelled: it can no longer be changed."))


def _copy_state(target: Mailing, source: Mailing) -> None:
    """The caller's object sees what the locked copy became."""
    for field in Mailing._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


# -- mailings ----------------------------------------------------------------------------------
def create(*, by, title: str, in_archive: bool = True) -> Mailing:
    title = _clean_line(title)[:TITLE_LIMIT]
    if not title:
        raise NewsletterError(_("Give the mailing a title (only editors see it)."))
    with transaction.atomic():
        mailing = Mailing.objects.create(title=title, in_archive=in_archive, created_by=by)
        audit.record(by, "newsletter.mailing_created", mailing, title=title)
    return mailing


def update_details(mailing: Mailing, *, by, title: str, in_archive: bool) -> Mailing:
    """The title (drafts only) and whether the mailing shows in the public archive (at
    any time: an editor may take a sent mailing out of the archive)."""
    title = _clean_line(title)[:TITLE_LIMIT]
    if not title:
        raise NewsletterError(_("Give the mailing a title (only editors see it)."))
    with transaction.atomic():
        locked = _lock(mailing)
        if title != locked.title:
            _refuse_unless_draft(locked)
            locked.title = title
        archive_changed = locked.in_archive != in_archive
        locked.in_archive = in_archive
        locked.save(update_fields=["title", "in_archive", "updated_at"])
        audit.record(by, "newsletter.mailing_changed", locked, title=title, in_archive=in_archive)
        if archive_changed and locked.status == ARCHIVED:
            transaction.on_commit(pagecache.invalidate)
    _copy_state(mailing, locked)
    return mailing


def delete_draft(mailing: Mailing, *, by) -> None:
    with transaction.atomic():
        locked = _lock(mailing)
        _refuse_unless_draft(locked)
        audit.record(by, "newsletter.mailing_deleted", locked, title=locked.title)
        locked.delete()


# -- language versions -------------------------------------------------------------------------
def _archive_slug(mailing: Mailing, subject: str) -> str:
    words = slugify(subject)[:60].strip("-")
    tag = mailing.pk.hex[:12]
    return f"{words}-{tag}" if words else tag


def save_variant(mailing: Mailing, *, language: str, subject: str, body: str, by) -> MailingVariant:
    """Write (or rewrite) the mailing in one language. Subject and text may be empty while
    drafting; sending refuses an empty version (``validate_for_sending``)."""
    if language not in language_codes():
        raise NewsletterError(_("This language is not one of the site's languages."))
    subject = _clean_line(subject)
    body = _clean_text(body)
    if len(subject) > SUBJECT_LIMIT:
        raise NewsletterError(
            _("The subject is too long: at most %(limit)d characters.") % {"limit": SUBJECT_LIMIT}
        )
    if len(body) > BODY_LIMIT:
        raise NewsletterError(
            _("The text is too long: at most %(limit)d characters.") % {"limit": BODY_LIMIT}
        )
    foreign = _foreign_images(body)
    if foreign:
        raise NewsletterError(
            _(
                "Images must come from this site (an address starting with /media/ or "
                "/static/), never from another one: %(source)s"
            )
            % {"source": foreign[0][:100]}
        )
    with transaction.atomic():
        locked = _lock(mailing)
        _refuse_unless_draft(locked)
        variant, created = MailingVariant.objects.select_for_update().get_or_create(
            mailing=locked,
            language=language,
            defaults={"subject": subject, "body": body},
        )
        variant.subject = subject
        variant.body = body
        variant.archive_slug = _archive_slug(locked, subject)
        variant.save()
        locked.save(update_fields=["updated_at"])
        audit.record(
            by,
            "newsletter.variant_saved",
            locked,
            language=language,
            created=created,
        )
    return variant


def delete_variant(mailing: Mailing, *, language: str, by) -> None:
    with transaction.atomic():
        locked = _lock(mailing)
        _refuse_unless_draft(locked)
        deleted, _rows = MailingVariant.objects.filter(mailing=locked, language=language).delete()
        if not deleted:
            raise NewsletterError(_("There is no version of this mailing in that language."))
        locked.save(update_fields=["updated_at"])
        audit.record(by, "newsletter.variant_deleted", locked, language=language)


# -- recipients --------------------------------------------------------------------------------
def collective_choices():
    """The cells and working groups a mailing can be narrowed to: public, active ones
    (a hidden cell's existence is for its members, not for the editors' pages)."""
    return Collective.objects.filter(
        kind__in=[Collective.Kind.CELL, Collective.Kind.WORKING_GROUP],
        visibility=Collective.Visibility.PUBLIC,
        is_active=True,
    ).order_by("kind", "name")


def set_recipients(
    mailing: Mailing,
    *,
    lists: Iterable[MailingList],
    languages: Iterable[str],
    collectives: Iterable[Collective] = (),
    by,
) -> Mailing:
    """Who gets it: confirmed subscribers of ``lists`` in ``languages``, optionally only
    active members of ``collectives``."""
    lists = list(lists)
    collectives = list(collectives)
    chosen = [code for code in language_codes() if code in set(languages)]
    if set(languages) - set(chosen):
        raise NewsletterError(_("This language is not one of the site's languages."))
    allowed = set(collective_choices().values_list("pk", flat=True))
    if any(collective.pk not in allowed for collective in collectives):
        raise NewsletterError(_("Choose cells and working groups from the list."))
    with transaction.atomic():
        locked = _lock(mailing)
        _refuse_unless_draft(locked)
        locked.languages = chosen
        locked.save(update_fields=["languages", "updated_at"])
        locked.lists.set(lists)
        locked.collectives.set(collectives)
        audit.record(
            by,
            "newsletter.recipients_set",
            locked,
            lists=sorted(str(m.slug) for m in lists),
            languages=chosen,
            collectives=sorted(c.pk for c in collectives),
        )
    _copy_state(mailing, locked)
    return mailing


def validate_for_sending(mailing: Mailing) -> None:
    """Raise NewsletterError unless the mailing can go out as it is."""
    from solidar.newsletter import recipients

    if not mailing.lists.exists():
        raise NewsletterError(_("Choose at least one list to send the mailing to."))
    if not mailing.languages:
        raise NewsletterError(_("Choose at least one language to send the mailing in."))
    variants = {v.language: v for v in mailing.variants.all()}
    for language in mailing.languages:
        variant = variants.get(language)
        name = language_name(language)
        if variant is None:
            raise NewsletterError(
                _(
                    "%(language)s is chosen, but the mailing has no %(language)s version. "
                    "Write it, or take %(language)s out of the recipients."
                )
                % {"language": name}
            )
        if not variant.subject.strip() or not variant.body.strip():
            raise NewsletterError(
                _(
                    "The %(language)s version has no subject or no text: an empty mailing "
                    "cannot be sent."
                )
                % {"language": name}
            )
    if recipients.count(mailing) == 0:
        raise NewsletterError(
            _("Nobody would receive this mailing: the chosen lists have no confirmed readers.")
        )


# -- sending -----------------------------------------------------------------------------------
def schedule(mailing: Mailing, *, at: datetime | None = None, by) -> Mailing:
    """Send at ``at`` (None: now). The engine's worker starts it when it is due."""
    now = timezone.now()
    if at is not None:
        if at < now - SCHEDULE_GRACE:
            raise NewsletterError(_("That time is in the past. Choose a time to come."))
        if at > now + SCHEDULE_HORIZON:
            raise NewsletterError(_("Schedule a mailing at most a year ahead."))
    with transaction.atomic():
        locked = _lock(mailing)
        if locked.status != S.DRAFT:
            _refuse_unless_draft(locked)
        validate_for_sending(locked)
        locked.status = S.SCHEDULED
        locked.scheduled_at = max(at, now) if at is not None else now
        locked.save(update_fields=["status", "scheduled_at", "updated_at"])
        audit.record(by, "newsletter.mailing_scheduled", locked, at=locked.scheduled_at.isoformat())
    _copy_state(mailing, locked)
    return mailing


def unschedule(mailing: Mailing, *, by) -> Mailing:
    with transaction.atomic():
        locked = _lock(mailing)
        if locked.status != S.SCHEDULED:
            raise NewsletterError(
                _("Only a scheduled mailing that has not started can go back to draft.")
            )
        locked.status = S.DRAFT
        locked.scheduled_at = None
        locked.save(update_fields=["status", "scheduled_at", "updated_at"])
        audit.record(by, "newsletter.mailing_unscheduled", locked)
    _copy_state(mailing, locked)
    return mailing


def pause(mailing: Mailing, *, by) -> Mailing:
    with transaction.atomic():
        locked = _lock(mailing)
        if locked.status != S.SENDING:
            raise NewsletterError(_("Only a mailing that is being sent can be paused."))
        locked.status = S.PAUSED
        locked.save(update_fields=["status", "updated_at"])
        audit.record(by, "newsletter.mailing_paused", locked)
    _copy_state(mailing, locked)
    return mailing


def resume(mailing: Mailing, *, by) -> Mailing:
    with transaction.atomic():
        locked = _lock(mailing)
        if locked.status != S.PAUSED:
            raise NewsletterError(_("Only a paused mailing can be resumed."))
        locked.status = S.SENDING
        locked.save(update_fields=["status", "updated_at"])
        audit.record(by, "newsletter.mailing_resumed", locked)
    _copy_state(mailing, locked)
    return mailing


def cancel(mailing: Mailing, *, by) -> int:
    """Stop a scheduled, running or paused send for good: the deliveries not yet made are
    cancelled. Returns how many were."""
    with transaction.atomic():
        locked = _lock(mailing)
        if locked.status not in CANCELLABLE:
            raise NewsletterError(
                _("Only a scheduled, running or paused mailing can be cancelled.")
            )
        cancelled = Delivery.objects.filter(mailing=locked, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.CANCELLED, claim_token="", lease_until=None
        )
        locked.status = S.CANCELLED
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "finished_at", "updated_at"])
        audit.record(by, "newsletter.mailing_cancelled", locked, deliveries=cancelled)
    _copy_state(mailing, locked)
    return cancelled


def mark_sent(mailing: Mailing) -> bool:
    """For the engine, when the last delivery is done: the mailing is sent and the public
    archive (cached for anonymous readers) shows it. False when it was not sending."""
    with transaction.atomic():
        updated = Mailing.objects.filter(pk=mailing.pk, status=S.SENDING).update(
            status=S.SENT, finished_at=timezone.now()
        )
        if updated:
            audit.record(None, "newsletter.mailing_sent", mailing)
            transaction.on_commit(pagecache.invalidate)
    return bool(updated)


def send_test(mailing: Mailing, *, language: str, by) -> str:
    """The version in ``language`` to the editor's own account address, through the
    normal mail queue; its links lead to the public newsletter page and can change
    nothing. Returns the address."""
    variant = mailing.variants.filter(language=language).first()
    if variant is None:
        raise NewsletterError(_("There is no version of this mailing in that language."))
    if not variant.subject.strip() or not variant.body.strip():
        raise NewsletterError(
            _("This version has no subject or no text yet: there is nothing to send.")
        )
    address = getattr(by, "email", "")
    if not address:
        raise NewsletterError(_("Your account has no e-mail address to send the test to."))
    rendered = compose.render(variant)
    with transaction.atomic():
        rendered = dataclasses.replace(
            rendered, subject=_("[Test] %(subject)s") % {"subject": rendered.subject}
        )
        queue_message(compose.message(rendered, mailing=mailing, subscriber=None, to=address))
        audit.record(by, "newsletter.test_sent", mailing, language=language)
    return address


# -- lists -------------------------------------------------------------------------------------
def save_list(
    mailing_list: MailingList | None = None,
    *,
    by,
    slug: str,
    language: str,
    translations: Mapping[str, Mapping[str, str]],
    is_public: bool = True,
    is_active: bool = True,
    position: int = 0,
) -> MailingList:
    """Create or change a list. ``translations`` maps a language to its name and
    description; a name in at least one language is required."""
    if language not in language_codes():
        raise NewsletterError(_("This language is not one of the site's languages."))
    names = {
        code: _clean_line((translations.get(code) or {}).get("name", ""))[:120]
        for code in language_codes()
    }
    if not any(names.values()):
        raise NewsletterError(_("Give the list a name in at least one language."))
    slug = slugify(slug)[:60]
    if not slug:
        raise NewsletterError(_("Give the list a short name (letters, digits, hyphens)."))
    with transaction.atomic():
        taken = MailingList.objects.filter(slug=slug)
        if mailing_list is not None:
            taken = taken.exclude(pk=mailing_list.pk)
            mailing_list = MailingList.objects.select_for_update().get(pk=mailing_list.pk)
        else:
            mailing_list = MailingList()
        if taken.exists():
            raise NewsletterError(_("Another list has this short name already."))
        mailing_list.slug = slug
        mailing_list.language = language
        mailing_list.is_public = is_public
        mailing_list.is_active = is_active
        mailing_list.position = position
        fallback = names.get(language) or next(n for n in names.values() if n)
        mailing_list.name = fallback
        for code in language_codes():
            values = translations.get(code) or {}
            setattr(mailing_list, f"name_{code}", names[code])
            setattr(mailing_list, f"description_{code}", _clean_text(values.get("description", "")))
        created = mailing_list.pk is None
        mailing_list.save()
        audit.record(
            by,
            "newsletter.list_created" if created else "newsletter.list_changed",
            mailing_list,
            slug=slug,
            is_public=is_public,
            is_active=is_active,
        )
        # The public sign-up form lists the public lists.
        transaction.on_commit(pagecache.invalidate)
    return mailing_list
