"""The public side of mutual aid: a person without an account files a request, receives
a codename, comes back with it to read replies and write messages.

- ``submit`` seals what they wrote to the aid team that receives the intake (and a copy
  to the key derived from a new codename) and hands the codename back **once**: it is
  not stored, not logged and never put in a URL; the database keeps only its slow hash.
- ``open_by_codename`` finds the case of a typed codename, or None, whatever the reason
  (a typo, an unknown codename, a purged case): the pages answer all of them the same.
- ``remember``/``recall``/``forget``: the requester's browser keeps, for
  ``REQUESTER_MINUTES`` at most, a cookie with their private key and case id, encrypted
  with the data key (AES-GCM, ``core.crypto``): the cookie alone is ciphertext, and the
  database never holds the key. Closing the browser forgets it (a session cookie).
"""

from __future__ import annotations

import base64
import binascii
import json
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from nacl.public import PrivateKey

from solidar.aid import casefile, codenames
from solidar.aid import keys as aidkeys
from solidar.aid.codenames import Derived
from solidar.aid.models import AidTeam, Case, ContactMethod, Entry, TeamKey
from solidar.core import audit, crypto

COOKIE = "solidar_aid_requester"
REQUESTER_MINUTES = 30
MESSAGE_LIMIT = 5000
_CRYPTO_PLACE = {"table": "aid_requester_cookie", "row": "cookie", "field": "v1"}


class IntakeError(Exception):
    """A request or message that cannot be taken; ``message`` says why, translated."""

    def __init__(self, message, *, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.status = status


class IntakeUnavailableError(IntakeError):
    """No aid team receives requests through this site (or it has no key yet)."""

    def __init__(self):
        super().__init__(
            _(
                "The aid team is not reachable through this site right now. Nothing was "
                "sent and nothing was kept. Please try again later; what you wrote is "
                "still in the form below."
            ),
            status=503,
        )


@dataclass(frozen=True)
class Submitted:
    case: Case
    codename: str
    requester: Derived


@dataclass(frozen=True)
class Requester:
    """A requester in this browser: their case and the key that opens their copy."""

    case: Case
    derived: Derived


def intake_team() -> AidTeam | None:
    """The team that receives the public form, if it can seal (has a key)."""
    team = AidTeam.objects.filter(receives_intake=True).first()
    if team is None or not TeamKey.objects.filter(team=team).exists():
        return None
    return team


def submit(
    *,
    kind: str,
    country: str,
    urgency: str,
    languages: list[str],
    situation: str,
    needs: str,
    contact_method: str,
    contact: str,
) -> Submitted:
    """File a request: sealed to the intake team, a new codename for the requester.
    Raises ``IntakeUnavailableError`` when no team can receive it."""
    team = intake_team()
    if team is None:
        raise IntakeUnavailableError
    codename = codenames.generate()
    derived = codenames.derive(codename)  # the slow part: outside the transaction
    if contact_method == ContactMethod.SITE:
        contact = ""
    request = {
        "situation": situation,
        "needs": needs,
        "contact_method": contact_method,
        "contact": contact,
    }
    try:
        with transaction.atomic():
            case = casefile.create_case(
                team,
                kind=kind,
                country=country,
                urgency=urgency,
                languages=languages,
                request=request,
                requester=derived,
            )
            audit.record(None, "aid.case_filed", case, kind=kind, urgency=urgency)
    except aidkeys.LockedError as error:  # the key went away in between
        raise IntakeUnavailableError from error
    return Submitted(case=case, codename=codename, requester=derived)


def open_by_codename(typed: str) -> Requester | None:
    """The requester of a typed codename, or None (mistyped, unknown or purged: callers
    must not tell these apart). A typo is caught before the slow hash."""
    if not codenames.looks_valid(typed):
        return None
    derived = codenames.derive(typed)
    case = (
        Case.objects.filter(codename_hash=derived.lookup_hash, purged_at__isnull=True)
        .select_related("team")
        .first()
    )
    if case is None:
        return None
    return Requester(case=case, derived=derived)


def request_text(requester: Requester) -> dict:
    """What the requester wrote (their own sealed copy): situation, needs, contact."""
    return casefile.request_for_requester(requester.case, requester.derived)


def conversation(requester: Requester) -> list[casefile.Opened]:
    """The messages both ways, oldest first."""
    return casefile.conversation_for_requester(requester.case, requester.derived)


def add_requester_message(requester: Requester, text: str) -> Entry:
    """A message from the requester to the team (sealed to both). Refused on a closed
    case and for an empty or oversize text."""
    text = (text or "").strip()
    if not text:
        raise IntakeError(_("Write a message first."))
    if len(text) > MESSAGE_LIMIT:
        raise IntakeError(
            _("Your message is too long: at most %(limit)d characters. Please shorten it.")
            % {"limit": MESSAGE_LIMIT}
        )
    case = requester.case
    if not case.is_open or case.is_purged:
        raise IntakeError(
            _("This request is closed: the aid team no longer reads messages in it."),
            status=409,
        )
    with transaction.atomic():
        entry = casefile.add_entry(case, Entry.Kind.FROM_REQUESTER, {"text": text})
        audit.record(None, "aid.requester_message", case)
    return entry


# -- the requester's cookie ------------------------------------------------------------------
def cookie_value(requester: Requester, *, now: float | None = None) -> str:
    expires = int((time.time() if now is None else now) + REQUESTER_MINUTES * 60)
    payload = {
        "k": base64.b64encode(bytes(requester.derived.private_key)).decode(),
        "c": str(requester.case.pk),
        "e": expires,
    }
    return crypto.encrypt(json.dumps(payload), **_CRYPTO_PLACE)


def remember(response, requester: Requester) -> None:
    """Keep the requester's key in this browser for ``REQUESTER_MINUTES`` (renewed on
    every visit): a session cookie, HttpOnly, SameSite=Strict."""
    response.set_cookie(
        COOKIE,
        cookie_value(requester),
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
        path="/",
    )


def forget(response) -> None:
    response.delete_cookie(COOKIE, path="/", samesite="Strict")


def recall(request, *, now: float | None = None) -> Requester | None:
    """The requester this browser remembers, or None (no cookie, expired, altered, or
    the case is gone or purged)."""
    value = request.COOKIES.get(COOKIE, "")
    if not value or len(value) > 1000:
        return None
    try:
        payload = json.loads(crypto.decrypt(value, **_CRYPTO_PLACE))
        expires = int(payload["e"])
        case_id = uuid.UUID(str(payload["c"]))
        private_key = PrivateKey(base64.b64decode(payload["k"], validate=True))
    except (crypto.DecryptionError, ValueError, KeyError, TypeError, binascii.Error):
        return None
    if expires < (time.time() if now is None else now):
        return None
    case = Case.objects.filter(pk=case_id, purged_at__isnull=True).select_related("team").first()
    if case is None or bytes(case.requester_public_key or b"") != bytes(private_key.public_key):
        return None
    return Requester(case=case, derived=Derived(lookup_hash="", private_key=private_key))
