"""Resolutions: what a body decided, numbered, versioned, translated and published.

An adopted proposal becomes a resolution when its vote closes: its paragraphs are the
numbered decisions, the body and the date say who adopted it and when, and the vote's
record is linked. Coordinators may correct a resolution (a new version: the old ones stay
readable), add translations, and publish it on the public site as a statement page in
every language it has (``publish``).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solidar.core import audit
from solidar.decisions.models import (
    Body,
    Proposal,
    Resolution,
    ResolutionTranslation,
    ResolutionVersion,
    Vote,
)
from solidar.decisions.services import DecisionError, paragraphs

TITLE_LIMIT = 200
DECISION_LIMIT = 10_000


def _next_number(body: Body, on) -> str:
    Body.objects.filter(pk=body.pk).update(next_resolution=F("next_resolution") + 1)
    number = Body.objects.values_list("next_resolution", flat=True).get(pk=body.pk) - 1
    return f"{on.year}/{number}"


def adopted_by_label(body: Body) -> str:
    return str(body)


def from_proposal(proposal: Proposal, vote: Vote, *, now: datetime | None = None) -> Resolution:
    """The resolution of an adopted proposal (called when its vote closes)."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    body = proposal.body
    with transaction.atomic():
        resolution = Resolution.objects.create(
            body=body,
            proposal=proposal,
            vote=vote,
            number=_next_number(body, on),
            title=proposal.title,
            decisions=paragraphs(proposal.text),
            adopted_by=_label_in(body, proposal.language),
            adopted_on=on,
            language=proposal.language,
            created_at=now,
        )
        _snapshot(resolution, by=None, note="", now=now)
        audit.record(None, "decisions.resolution_created", resolution)
    return resolution


def _snapshot(resolution: Resolution, *, by, note: str, now: datetime) -> ResolutionVersion:
    return ResolutionVersion.objects.create(
        resolution=resolution,
        number=resolution.version,
        title=resolution.title,
        preamble=resolution.preamble,
        decisions=resolution.decisions,
        note=note[:300],
        created_by=by,
        created_at=now,
    )


def _clean(title: str, preamble: str, decisions: list[str]) -> tuple[str, str, list[str]]:
    title = " ".join((title or "").split())
    if not title:
        raise DecisionError(_("Give the resolution a title."))
    if len(title) > TITLE_LIMIT:
        raise DecisionError(
            _("The title is too long: at most %(limit)d characters.") % {"limit": TITLE_LIMIT}
        )
    decisions = [
        d.replace("\r\n", "\n").replace("\r", "\n").strip() for d in decisions if d and d.strip()
    ]
    if not decisions:
        raise DecisionError(_("A resolution needs at least one decision."))
    if any(len(d) > DECISION_LIMIT for d in decisions):
        raise DecisionError(
            _("A decision is too long: at most %(limit)d characters.") % {"limit": DECISION_LIMIT}
        )
    return title, (preamble or "").strip(), decisions


def revise(
    resolution: Resolution,
    *,
    by,
    title: str,
    preamble: str,
    decisions: list[str],
    note: str = "",
    now: datetime | None = None,
) -> Resolution:
    """Correct the text: a new version (the earlier ones stay as they were)."""
    title, preamble, decisions = _clean(title, preamble, decisions)
    if not (note or "").strip():
        raise DecisionError(_("Say what was corrected and why."))
    now = now or timezone.now()
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
        resolution.title, resolution.preamble, resolution.decisions = title, preamble, decisions
        resolution.version += 1
        resolution.save(update_fields=["title", "preamble", "decisions", "version"])
        _snapshot(resolution, by=by, note=note.strip(), now=now)
        audit.record(by, "decisions.resolution_revised", resolution, version=resolution.version)
    return resolution


def translate(
    resolution: Resolution,
    language: str,
    *,
    by,
    title: str,
    preamble: str,
    decisions: list[str],
    now: datetime | None = None,
) -> ResolutionTranslation:
    """Add or update the translation into ``language`` (of the current version). It must
    have as many decisions as the original, so the numbers match."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise DecisionError(_("Choose one of the site's languages."))
    if language == resolution.language:
        raise DecisionError(_("This is the language of the original."))
    title, preamble, decisions = _clean(title, preamble, decisions)
    if len(decisions) != len(resolution.decisions):
        count = len(resolution.decisions)
        raise DecisionError(
            ngettext(
                "The translation needs %(count)d decision, as many as the original.",
                "The translation needs %(count)d decisions, as many as the original.",
                count,
            )
            % {"count": count}
        )
    with transaction.atomic():
        translation, _created = ResolutionTranslation.objects.update_or_create(
            resolution=resolution,
            language=language,
            defaults={
                "title": title,
                "preamble": preamble,
                "decisions": decisions,
                "version": resolution.version,
                "updated_by": by,
                "updated_at": now or timezone.now(),
            },
        )
        audit.record(by, "decisions.resolution_translated", resolution, language=language)
    return translation


def _label_in(body: Body, language: str) -> str:
    with translation.override(language):
        return adopted_by_label(body)[:200]


def adopted_by_in(resolution: Resolution, language: str) -> str:
    """Who adopted it, said in ``language`` (the body's name as that language has it)."""
    return _label_in(resolution.body, language)


def texts(resolution: Resolution) -> dict[str, dict]:
    """Every language the resolution has: {language: {title, preamble, decisions, current,
    adopted_by}}."""
    result = {
        resolution.language: {
            "title": resolution.title,
            "preamble": resolution.preamble,
            "decisions": resolution.decisions,
            "current": True,
            "adopted_by": resolution.adopted_by,
        }
    }
    for t in resolution.translations.all():
        result[t.language] = {
            "title": t.title,
            "preamble": t.preamble,
            "decisions": t.decisions,
            "current": t.version == resolution.version,
            "adopted_by": adopted_by_in(resolution, t.language),
        }
    return result
