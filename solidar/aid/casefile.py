"""A case's sealed content, written and read: shared by the requester's side
(``intake.py``) and the handlers' (``casework.py``).

Everything here seals before it writes and opens only with keys it is given: the team's
(``keys.TeamKeys``, from an unlocked handler session) or the requester's (from their
codename). Nothing is decrypted for a request that brings neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from solidar.aid import keys as aidkeys
from solidar.aid.codenames import Derived
from solidar.aid.models import URGENCY_RANK, AidTeam, Case, Entry


def create_case(
    team: AidTeam,
    *,
    kind: str,
    country: str,
    urgency: str,
    languages: list[str],
    request: dict,
    requester: Derived,
) -> Case:
    """A new case: ``request`` (what the person wrote: situation, needs, contact) sealed to
    the team's newest key and, as their own copy, to the requester's key."""
    with transaction.atomic():
        locked = AidTeam.objects.select_for_update().get(pk=team.pk)
        number = locked.next_number
        AidTeam.objects.filter(pk=team.pk).update(next_number=F("next_number") + 1)
        version, sealed = aidkeys.seal_for_team(locked, request)
        now = timezone.now()
        return Case.objects.create(
            team=locked,
            number=number,
            kind=kind,
            country=country,
            urgency=urgency,
            urgency_rank=URGENCY_RANK[urgency],
            languages=list(languages),
            key_version=version,
            sealed_request=sealed,
            requester_copy=aidkeys.seal_json(requester.public_key, request),
            requester_public_key=requester.public_key,
            codename_hash=requester.lookup_hash,
            created_at=now,
            requester_active_at=now,
            updated_at=now,
        )


def request_for_team(case: Case, keys: aidkeys.TeamKeys) -> dict:
    if case.is_purged or not case.sealed_request:
        return {}
    return keys.open(case.key_version, case.sealed_request)


def request_for_requester(case: Case, derived: Derived) -> dict:
    if case.is_purged or not case.requester_copy:
        return {}
    return aidkeys.open_json(derived.private_key, case.requester_copy)


def add_entry(case: Case, kind: str, payload: dict, *, author=None) -> Entry:
    """Seal ``payload`` (``{"text": ...}``, plus e.g. ``organisation`` for a referral) to
    the team, and a message also to the requester, and keep the case's times."""
    version, sealed = aidkeys.seal_for_team(case.team, payload)
    message = kind in (Entry.Kind.FROM_REQUESTER, Entry.Kind.TO_REQUESTER)
    copy = None
    if message and case.requester_public_key:
        copy = aidkeys.seal_json(case.requester_public_key, payload)
    now = timezone.now()
    with transaction.atomic():
        entry = Entry.objects.create(
            case=case,
            kind=kind,
            author=author,
            key_version=version,
            sealed=sealed,
            requester_copy=copy,
            created_at=now,
        )
        changes: dict = {"updated_at": now}
        if kind == Entry.Kind.FROM_REQUESTER:
            changes["requester_active_at"] = now
        if kind == Entry.Kind.TO_REQUESTER:
            Case.objects.filter(pk=case.pk, first_reply_at__isnull=True).update(first_reply_at=now)
        Case.objects.filter(pk=case.pk).update(**changes)
    return entry


@dataclass(frozen=True)
class Opened:
    """An entry with its content opened."""

    entry: Entry
    payload: dict

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def text(self) -> str:
        return str(self.payload.get("text", ""))

    @property
    def created_at(self) -> datetime:
        return self.entry.created_at


def timeline_for_team(case: Case, keys: aidkeys.TeamKeys) -> list[Opened]:
    """Every entry of the case, opened with the team's keys (one query)."""
    entries = Entry.objects.filter(case=case).select_related("author")
    return [Opened(entry, keys.open(entry.key_version, entry.sealed)) for entry in entries]


def conversation_for_requester(case: Case, derived: Derived) -> list[Opened]:
    """The messages of the case, both ways, opened with the requester's key."""
    entries = Entry.objects.filter(
        case=case,
        kind__in=[Entry.Kind.FROM_REQUESTER, Entry.Kind.TO_REQUESTER],
        requester_copy__isnull=False,
    )
    return [
        Opened(entry, aidkeys.open_json(derived.private_key, entry.requester_copy))
        for entry in entries
    ]
