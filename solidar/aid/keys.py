"""The keys of mutual aid: what is sealed to whom, and who can open it.

**Team key.** Each aid team has an X25519 key pair (``TeamKey``, versioned). Everything a
requester submits and every note, message and referral of a case is sealed to the team's
newest public key with a libsodium sealed box (X25519 + XSalsa20-Poly1305, an ephemeral
sender key per message) before the database write. The web server can seal, but it holds
no private key with which to open.

**Handler keys.** Each handler has a key pair of their own. Its private key is stored only
wrapped (``SecretBox``) under a key derived with argon2id from the handler's *case
passphrase*, which the server never stores. The team's private key exists only sealed to
each handler's public key (``KeyGrant``): a handler who has already unlocked grants a new
one access; taking access away deletes the grant. After a rotation (``team.rotate``) the
previous private key is sealed to the new public key (``TeamKey.sealed_by_next``), so
whoever can open the newest version can open the older ones, and a removed handler's old
grant (deleted) opens nothing written afterwards.

**Unlocking.** The handler types the passphrase; the server derives the wrapping key,
opens the handler's private key, opens the grant and the chain of older versions. It then
keeps these team keys for the session only encrypted under a fresh random key that it
hands to the browser as a cookie (``HttpOnly``, ``SameSite=Strict``) and does not keep:
the session store alone (database or cache) cannot open them. Locking, logging out or
the end of ``SOLIDAR_AID_UNLOCK_MINUTES`` forgets them.

**Requester key.** A requester's codename (``codenames.py``) is stretched with argon2id
into a lookup hash (what the database stores, keyed with ``SOLIDAR_AID_CODENAME_KEY``)
and a private key whose public half seals the requester's copy of what they wrote and of
every message in their conversation. Only someone who knows the codename can read it.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from nacl import pwhash, utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

from solidar.aid.models import AidTeam, Handler, KeyGrant, TeamKey

COOKIE = "solidar_aid_unlock"
SESSION_KEY = "solidar.aid.unlocked"


class LockedError(Exception):
    """The team's keys are not unlocked in this session."""


class WrongPassphraseError(Exception):
    """The case passphrase does not open the handler's key."""


class NoAccessError(Exception):
    """The handler has no grant of the team's current key (not given access yet, or
    access taken away)."""


# -- primitives ---------------------------------------------------------------------------------
def new_private_key() -> PrivateKey:
    return PrivateKey.generate()


def seal(public_key: bytes, data: bytes) -> bytes:
    """``data`` sealed to ``public_key`` (anonymous sender; only the private key opens it)."""
    return SealedBox(PublicKey(bytes(public_key))).encrypt(data)


def open_sealed(private_key: PrivateKey, blob: bytes) -> bytes:
    return SealedBox(private_key).decrypt(bytes(blob))


def seal_json(public_key: bytes, value) -> bytes:
    return seal(public_key, json.dumps(value, ensure_ascii=False).encode())


def open_json(private_key: PrivateKey, blob: bytes):
    return json.loads(open_sealed(private_key, blob))


def _kdf(secret: str, salt: bytes, opslimit: int, memlimit: int, size: int = 32) -> bytes:
    return pwhash.argon2id.kdf(
        size, secret.encode(), bytes(salt), opslimit=opslimit, memlimit=memlimit
    )


# -- handler keys ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Wrapped:
    public_key: bytes
    wrapped_private_key: bytes
    kdf_salt: bytes
    kdf_opslimit: int
    kdf_memlimit: int


def wrap(private_key: PrivateKey, passphrase: str) -> Wrapped:
    """A handler's private key wrapped under their passphrase (argon2id, then SecretBox)."""
    salt = utils.random(pwhash.argon2id.SALTBYTES)
    opslimit = settings.SOLIDAR_AID_PASSPHRASE_OPSLIMIT
    memlimit = settings.SOLIDAR_AID_PASSPHRASE_MEMLIMIT
    box = SecretBox(_kdf(passphrase, salt, opslimit, memlimit))
    return Wrapped(
        public_key=bytes(private_key.public_key),
        wrapped_private_key=bytes(box.encrypt(bytes(private_key))),
        kdf_salt=salt,
        kdf_opslimit=opslimit,
        kdf_memlimit=memlimit,
    )


def unwrap(handler: Handler, passphrase: str) -> PrivateKey:
    """The handler's private key, or ``WrongPassphraseError``."""
    key = _kdf(passphrase, handler.kdf_salt, handler.kdf_opslimit, handler.kdf_memlimit)
    try:
        return PrivateKey(SecretBox(key).decrypt(bytes(handler.wrapped_private_key)))
    except CryptoError as error:
        raise WrongPassphraseError from error


# -- team keys ---------------------------------------------------------------------------------
def current_key(team: AidTeam) -> TeamKey | None:
    return TeamKey.objects.filter(team=team).order_by("-version").first()


def seal_for_team(team: AidTeam, value) -> tuple[int, bytes]:
    """``value`` (JSON) sealed to the team's newest key: (key version, sealed bytes)."""
    key = current_key(team)
    if key is None:
        raise LockedError("the aid team has no key yet")
    return key.version, seal_json(key.public_key, value)


@dataclass
class TeamKeys:
    """A team's private keys, every version, opened for this request."""

    team_id: int
    keys: dict[int, PrivateKey] = field(default_factory=dict)

    @property
    def current_version(self) -> int:
        return max(self.keys)

    def open(self, version: int, blob: bytes):
        """The JSON value sealed to key ``version``."""
        try:
            private_key = self.keys[version]
        except KeyError as error:
            raise LockedError(f"key version {version} is not unlocked") from error
        return open_json(private_key, blob)

    def private(self, version: int | None = None) -> PrivateKey:
        return self.keys[self.current_version if version is None else version]

    def dumps(self) -> bytes:
        return json.dumps({str(v): bytes(k).hex() for v, k in self.keys.items()}).encode()

    @classmethod
    def loads(cls, team_id: int, data: bytes) -> TeamKeys:
        raw = json.loads(data)
        return cls(team_id, {int(v): PrivateKey(bytes.fromhex(k)) for v, k in raw.items()})


def open_team_keys(handler: Handler, personal_key: PrivateKey) -> TeamKeys:
    """Every version of the team's private key the handler can reach: their grant of the
    newest version they were given, then back along ``sealed_by_next``."""
    grant = (
        KeyGrant.objects.filter(handler=handler)
        .select_related("team_key")
        .order_by("-team_key__version")
        .first()
    )
    if grant is None:
        raise NoAccessError
    keys = TeamKeys(handler.team_id)
    newest = grant.team_key
    private_key = PrivateKey(open_sealed(personal_key, grant.sealed_private_key))
    keys.keys[newest.version] = private_key
    older = TeamKey.objects.filter(team_id=handler.team_id, version__lt=newest.version).order_by(
        "-version"
    )
    for team_key in older:
        if not team_key.sealed_by_next:
            break
        private_key = PrivateKey(open_sealed(private_key, team_key.sealed_by_next))
        keys.keys[team_key.version] = private_key
    return keys


def grant(handler: Handler, keys: TeamKeys, *, by=None) -> KeyGrant:
    """Seal the team's newest private key to ``handler``'s public key."""
    team_key = TeamKey.objects.get(team_id=handler.team_id, version=keys.current_version)
    sealed = seal(handler.public_key, bytes(keys.private()))
    return KeyGrant.objects.update_or_create(
        handler=handler,
        team_key=team_key,
        defaults={"sealed_private_key": sealed, "granted_by": by},
    )[0]


# -- the session ----------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode())


def stash(session, keys: TeamKeys) -> str:
    """Put ``keys`` into ``session`` encrypted under a fresh random key; return that key
    (for the browser's cookie: the server does not keep it)."""
    cookie_key = utils.random(SecretBox.KEY_SIZE)
    session[SESSION_KEY] = {
        "team": keys.team_id,
        "box": _b64(bytes(SecretBox(cookie_key).encrypt(keys.dumps()))),
        "until": time.time() + settings.SOLIDAR_AID_UNLOCK_MINUTES * 60,
        "id": secrets.token_hex(8),
    }
    return _b64(cookie_key)


def hold(request, response, keys: TeamKeys) -> None:
    """Keep ``keys`` for this session: encrypted in the session under a random key that
    only the browser gets (a cookie)."""
    response.set_cookie(
        COOKIE,
        stash(request.session, keys),
        max_age=settings.SOLIDAR_AID_UNLOCK_MINUTES * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    request._aid_keys = keys


def held(request, team: AidTeam | None = None) -> TeamKeys | None:
    """The team keys this session holds (for ``team`` if given), or None: nothing
    unlocked, expired, another team's, or the browser's cookie is missing or wrong."""
    cached = getattr(request, "_aid_keys", None)
    if cached is not None:
        return cached if team is None or cached.team_id == team.pk else None
    stored = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    cookie = request.COOKIES.get(COOKIE, "")
    if not stored or not cookie or stored.get("until", 0) < time.time():
        return None
    if team is not None and stored.get("team") != team.pk:
        return None
    try:
        data = SecretBox(_unb64(cookie)).decrypt(_unb64(stored["box"]))
        keys = TeamKeys.loads(stored["team"], data)
    except (CryptoError, ValueError, KeyError, TypeError):
        return None
    request._aid_keys = keys
    return keys


def release(request, response) -> None:
    """Forget the unlocked keys (lock)."""
    if hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
    request._aid_keys = None
    response.delete_cookie(COOKIE, samesite="Strict")


def unlocked_until(request) -> float | None:
    stored = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return stored.get("until") if stored else None
