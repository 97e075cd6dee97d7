"""Bodies and proposals: every change, one function each. Views, tests and the demo call these.

Each runs in one transaction and writes the audit log. A refused action raises
``DecisionError`` with a message for the person and changes nothing. Votes are in
``voting.py``, resolutions in ``resolutions.py``.

A proposal's text is Markdown whose paragraphs (separated by a blank line) are its numbered
decisions. Its life: draft (only its authors see it) -> seeking support (the body's members
see it and may support it) -> discussion (once enough members support it; comments and
amendments) -> voting (amendments first, then the text as amended) -> adopted or rejected.
Its authors may withdraw it until voting starts.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidar.core import audit
from solidar.decisions.models import (
    Amendment,
    Author,
    Body,
    Comment,
    Proposal,
    ProposalVersion,
    Support,
)
from solidar.network import rules as network_rules

TITLE_LIMIT = 200
TEXT_LIMIT = 40_000
COMMENT_LIMIT = 10_000
MAX_PARAGRAPHS = 100
S = Proposal.Status


class DecisionError(Exception):
    """A refused action. ``str(error)`` is a message in the active language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


# -- bodies -----------------------------------------------------------------------------------
def body_for_collective(collective) -> Body:
    body, _created = Body.objects.get_or_create(collective=collective)
    body.collective = collective
    return body


def body_for_event(event) -> Body:
    body, _created = Body.objects.get_or_create(event=event)
    body.event = event
    return body


def update_rules(
    body: Body,
    *,
    by,
    supporters_needed: int,
    cooling_off_days: int,
    discussion_days: int,
    voting_days: int,
) -> Body:
    with transaction.atomic():
        body.supporters_needed = supporters_needed
        body.cooling_off_days = cooling_off_days
        body.discussion_days = discussion_days
        body.voting_days = voting_days
        body.save(
            update_fields=[
                "supporters_needed",
                "cooling_off_days",
                "discussion_days",
                "voting_days",
            ]
        )
        audit.record(
            by,
            "decisions.rules_changed",
            body,
            supporters_needed=supporters_needed,
            cooling_off_days=cooling_off_days,
            discussion_days=discussion_days,
            voting_days=voting_days,
        )
    return body


def set_delegate(body: Body, user, *, weight: int, note: str = "", by) -> None:
    """Add an assembly's delegate or change their weight (0 removes them)."""
    from solidar.decisions.models import Delegate

    if not body.is_assembly:
        raise DecisionError(_("Only an event's assembly has delegates."))
    with transaction.atomic():
        if weight <= 0:
            Delegate.objects.filter(body=body, user=user).delete()
        else:
            Delegate.objects.update_or_create(
                body=body, user=user, defaults={"weight": weight, "note": note[:120]}
            )
        audit.record(by, "decisions.delegate_set", body, user=user.pk, weight=weight)


# -- texts ------------------------------------------------------------------------------------
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


def paragraphs(text: str) -> list[str]:
    """The numbered paragraphs of a text: separated by one or more blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [p.strip() for p in _BLANK_LINES.split(text) if p.strip()] if text else []


def join_paragraphs(items: list[str]) -> str:
    return "\n\n".join(item.strip() for item in items)


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DecisionError(_("Give the proposal a title."))
    if len(title) > TITLE_LIMIT:
        raise DecisionError(
            _("The title is too long: at most %(limit)d characters.") % {"limit": TITLE_LIMIT}
        )
    return title


def _clean_text(text: str, *, empty_message, limit: int = TEXT_LIMIT) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise DecisionError(empty_message)
    if len(text) > limit:
        raise DecisionError(
            _("The text is too long: at most %(limit)d characters.") % {"limit": limit}
        )
    return text


def _clean_body_text(text: str) -> str:
    text = _clean_text(text, empty_message=_("Write the text of the proposal."))
    if len(paragraphs(text)) > MAX_PARAGRAPHS:
        raise DecisionError(
            _("A proposal has at most %(limit)d paragraphs.") % {"limit": MAX_PARAGRAPHS}
        )
    return join_paragraphs(paragraphs(text))


def _clean_rationale(rationale: str) -> str:
    rationale = (rationale or "").replace("\r\n", "\n").strip()
    if len(rationale) > TEXT_LIMIT:
        raise DecisionError(
            _("The text is too long: at most %(limit)d characters.") % {"limit": TEXT_LIMIT}
        )
    return rationale


def _clean_language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


# -- proposals --------------------------------------------------------------------------------
def _lock(proposal: Proposal) -> Proposal:
    """Lock the proposal's row for this transaction and read it afresh."""
    list(Proposal.objects.select_for_update().filter(pk=proposal.pk).values_list("pk"))
    proposal.refresh_from_db()
    return proposal


def create_proposal(
    body: Body, *, by, title: str, text: str, rationale: str = "", language: str = ""
) -> Proposal:
    """A draft, seen only by its authors until they submit it."""
    from solidar.decisions.rules import is_body_member

    if not is_body_member(by, body):
        raise DecisionError(_("Only members can make proposals here."))
    title = _clean_title(title)
    text = _clean_body_text(text)
    rationale = _clean_rationale(rationale)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            body=body,
            title=title,
            text=text,
            rationale=rationale,
            language=_clean_language(language),
            created_by=by,
        )
        Author.objects.create(proposal=proposal, user=by)
        audit.record(by, "decisions.proposal_created", proposal)
    return proposal


def edit_proposal(proposal: Proposal, *, by, title: str, text: str, rationale: str = "") -> None:
    title = _clean_title(title)
    text = _clean_body_text(text)
    rationale = _clean_rationale(rationale)
    with transaction.atomic():
        _lock(proposal)
        if proposal.status != S.DRAFT:
            raise DecisionError(_("A submitted proposal can only be changed by amendments."))
        proposal.title, proposal.text, proposal.rationale = title, text, rationale
        proposal.save(update_fields=["title", "text", "rationale"])
        audit.record(by, "decisions.proposal_edited", proposal)


def add_coauthor(proposal: Proposal, user, *, by) -> None:
    from solidar.decisions.rules import is_body_member

    if proposal.status != S.DRAFT:
        raise DecisionError(_("Co-authors are added while the proposal is a draft."))
    if user is None or not is_body_member(user, proposal.body):
        raise DecisionError(_("Co-authors must be members here."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                Author.objects.create(proposal=proposal, user=user)
        except IntegrityError:
            raise DecisionError(_("%(name)s is already an author.") % {"name": user}) from None
        audit.record(by, "decisions.coauthor_added", proposal, user=user.pk)


def authors(proposal: Proposal) -> list:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(pk__in=proposal.authors.values("user_id"))
        .order_by("display_name", "pk")
    )


def submit(proposal: Proposal, *, by, now=None) -> None:
    """Draft -> seeking support; straight to discussion when the body needs no supporters."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock(proposal)
        if proposal.status != S.DRAFT:
            raise DecisionError(_("This proposal has already been submitted."))
        body = proposal.body
        proposal.supporters_needed = body.supporters_needed
        proposal.submitted_at = now
        proposal.status = S.SUPPORT
        ProposalVersion.objects.create(
            proposal=proposal, number=1, title=proposal.title, text=proposal.text, created_at=now
        )
        if proposal.supporters_needed == 0:
            _start_discussion(proposal, now)
        proposal.save(
            update_fields=[
                "supporters_needed",
                "submitted_at",
                "status",
                "discussion_ends_at",
            ]
        )
        audit.record(by, "decisions.proposal_submitted", proposal)


def _start_discussion(proposal: Proposal, now) -> None:
    proposal.status = S.DISCUSSION
    proposal.discussion_ends_at = now + timedelta(days=proposal.body.discussion_days)


def support(proposal: Proposal, user, *, now=None) -> bool:
    """Add ``user``'s support; True when it brought the proposal into discussion."""
    from solidar.decisions.rules import is_author, is_body_member

    now = now or timezone.now()
    if not is_body_member(user, proposal.body):
        raise DecisionError(_("Only members can support proposals here."))
    if is_author(user, proposal):
        raise DecisionError(_("Authors cannot support their own proposal."))
    with transaction.atomic():
        _lock(proposal)
        if proposal.status != S.SUPPORT:
            raise DecisionError(_("This proposal is not seeking support now."))
        try:
            with transaction.atomic():
                Support.objects.create(proposal=proposal, user=user, created_at=now)
        except IntegrityError:
            raise DecisionError(_("You already support this proposal.")) from None
        proposal.support_count = F("support_count") + 1
        proposal.save(update_fields=["support_count"])
        proposal.refresh_from_db(fields=["support_count"])
        started = proposal.support_count >= proposal.supporters_needed
        if started:
            _start_discussion(proposal, now)
            proposal.save(update_fields=["status", "discussion_ends_at"])
        audit.record(user, "decisions.proposal_supported", proposal)
    return started


def has_supported(proposal: Proposal, user) -> bool:
    return Support.objects.filter(proposal=proposal, user_id=getattr(user, "pk", None)).exists()


def withdraw(proposal: Proposal, *, by, now=None) -> None:
    from solidar.decisions.rules import is_author

    if not is_author(by, proposal):
        raise DecisionError(_("Only its authors can withdraw a proposal."))
    with transaction.atomic():
        _lock(proposal)
        if proposal.status not in (S.DRAFT, S.SUPPORT, S.DISCUSSION):
            raise DecisionError(_("Once voting has started a proposal cannot be withdrawn."))
        proposal.status = S.WITHDRAWN
        proposal.decided_at = now or timezone.now()
        proposal.save(update_fields=["status", "decided_at"])
        proposal.amendments.filter(status=Amendment.Status.PROPOSED).update(
            status=Amendment.Status.WITHDRAWN
        )
        audit.record(by, "decisions.proposal_withdrawn", proposal)


def add_comment(proposal: Proposal, user, text: str, *, now=None) -> Comment:
    from solidar.decisions.rules import can_see_body

    text = _clean_text(
        text, empty_message=_("Write something before sending."), limit=COMMENT_LIMIT
    )
    if not can_see_body(user, proposal.body):
        raise DecisionError(_("Only members can comment here."))
    if proposal.status not in (S.SUPPORT, S.DISCUSSION):
        raise DecisionError(_("Comments are closed for this proposal."))
    return Comment.objects.create(
        proposal=proposal, author=user, text=text, created_at=now or timezone.now()
    )


# -- amendments -------------------------------------------------------------------------------
def propose_amendment(
    proposal: Proposal,
    user,
    *,
    kind: str,
    paragraph: int,
    text: str,
    rationale: str = "",
) -> Amendment:
    from solidar.decisions.rules import is_body_member

    if not is_body_member(user, proposal.body):
        raise DecisionError(_("Only members can propose amendments here."))
    text = _clean_text(text, empty_message=_("Write the new text of the paragraph."))
    if len(paragraphs(text)) != 1:
        raise DecisionError(_("An amendment is one paragraph: leave out the blank lines."))
    with transaction.atomic():
        _lock(proposal)
        if proposal.status != S.DISCUSSION:
            raise DecisionError(_("Amendments can only be proposed during the discussion."))
        count = len(paragraphs(proposal.text))
        if kind == Amendment.Kind.REPLACE and not 1 <= paragraph <= count:
            raise DecisionError(_("Choose a paragraph between 1 and %(count)d.") % {"count": count})
        if kind == Amendment.Kind.ADD and not 0 <= paragraph <= count:
            raise DecisionError(
                _("Choose a place between 0 (before the first) and %(count)d.") % {"count": count}
            )
        if kind not in Amendment.Kind.values:
            raise DecisionError(_("Choose whether to replace or to add a paragraph."))
        number = proposal.next_amendment
        proposal.next_amendment = F("next_amendment") + 1
        proposal.save(update_fields=["next_amendment"])
        amendment = Amendment.objects.create(
            proposal=proposal,
            number=number,
            kind=kind,
            paragraph=paragraph,
            text=text,
            rationale=(rationale or "").strip()[:TEXT_LIMIT],
            version=proposal.version,
            author=user,
        )
        audit.record(user, "decisions.amendment_proposed", amendment)
    return amendment


def withdraw_amendment(amendment: Amendment, *, by) -> None:
    with transaction.atomic():
        proposal = _lock(amendment.proposal)  # start_voting locks it too: one of them wins
        locked = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if locked.author_id != by.pk:
            raise DecisionError(_("Only its author can withdraw an amendment."))
        if locked.status != Amendment.Status.PROPOSED or proposal.status != S.DISCUSSION:
            raise DecisionError(_("This amendment can no longer be withdrawn."))
        amendment.status = Amendment.Status.WITHDRAWN
        amendment.save(update_fields=["status"])
        audit.record(by, "decisions.amendment_withdrawn", amendment)


def amended_text(text: str, amendments: list[Amendment]) -> list[str]:
    """The paragraphs of ``text`` with the adopted ``amendments`` applied. Each refers to the
    paragraph numbers of the version it was written against, so they are applied together:
    replacements in place, additions after their paragraph in the amendments' order."""
    current = paragraphs(text)
    replaced = {}
    added: dict[int, list[str]] = {}
    for amendment in sorted(amendments, key=lambda a: a.number):
        if amendment.kind == Amendment.Kind.REPLACE:
            replaced[amendment.paragraph] = amendment.text
        else:
            added.setdefault(amendment.paragraph, []).append(amendment.text)
    result = list(added.get(0, []))
    for number, paragraph in enumerate(current, start=1):
        result.append(replaced.get(number, paragraph))
        result.extend(added.get(number, []))
    return result


def merge_adopted_amendments(proposal: Proposal, *, now=None) -> int:
    """Apply the adopted amendments to the text: a new version. Returns how many."""
    adopted = list(proposal.amendments.filter(status=Amendment.Status.ADOPTED))
    pending = [a for a in adopted if a.version == proposal.version]
    if not pending:
        return 0
    proposal.text = join_paragraphs(amended_text(proposal.text, pending))
    proposal.version = proposal.version + 1
    proposal.save(update_fields=["text", "version"])
    ProposalVersion.objects.create(
        proposal=proposal,
        number=proposal.version,
        title=proposal.title,
        text=proposal.text,
        note=", ".join(str(a.number) for a in pending),
        created_at=now or timezone.now(),
    )
    return len(pending)


# -- what a member sees -----------------------------------------------------------------------
def bodies_of(user) -> list[Body]:
    """The bodies of the collectives ``user`` is an active member of. A collective that
    has never decided anything gets an unsaved body (a page read writes nothing)."""
    from solidar.network.models import Collective, Membership

    ids = [
        cid
        for cid, m in network_rules.current_memberships(user).items()
        if m.status == Membership.Status.ACTIVE
    ]
    if not ids:
        return []
    existing = {b.collective_id: b for b in Body.objects.filter(collective_id__in=ids)}
    collectives = Collective.objects.filter(pk__in=ids, is_active=True).order_by("kind", "name")
    bodies = []
    for collective in collectives:
        body = existing.get(collective.pk) or Body(collective=collective)
        body.collective = collective
        bodies.append(body)
    return bodies


def proposals_for(body: Body, user, *, decided: int | None = None) -> list[Proposal]:
    """The body's proposals that ``user`` may see: every submitted one and their own drafts.
    ``decided``: of the adopted, rejected and withdrawn ones only that many, latest first."""
    from django.db.models import Q

    visible = (
        Proposal.objects.filter(body=body)
        .filter(~Q(status=S.DRAFT) | Q(authors__user_id=getattr(user, "pk", None)))
        .distinct()
    )
    if decided is None:
        return list(visible.order_by("-created_at", "-pk"))
    done = (S.ADOPTED, S.REJECTED, S.WITHDRAWN)
    return list(visible.exclude(status__in=done).order_by("-created_at", "-pk")) + list(
        visible.filter(status__in=done).order_by("-decided_at", "-pk")[:decided]
    )
