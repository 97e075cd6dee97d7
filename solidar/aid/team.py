"""An aid team's handlers and keys: setting a case passphrase, unlocking, giving and
taking away access, rotating the team key. (The cryptography is in ``keys.py``.)

Every change is in the audit log. Nothing here stores a passphrase or an opened key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidar.aid import keys as aidkeys
from solidar.aid.models import AidTeam, Handler, KeyGrant, TeamKey
from solidar.aid.rules import forget_handler_rows, is_aid_coordinator, is_team_member
from solidar.core import audit


class TeamError(Exception):
    """A change that cannot be made; the message says why, in the user's language."""


def check_passphrase(passphrase: str) -> None:
    minimum = settings.SOLIDAR_AID_PASSPHRASE_MIN_LENGTH
    if len(passphrase or "") < minimum:
        raise TeamError(
            _("The case passphrase must have at least %(count)d characters.") % {"count": minimum}
        )


def handler_of(team: AidTeam, user) -> Handler | None:
    return Handler.objects.filter(team=team, user=user).first()


def set_passphrase(team: AidTeam, user, passphrase: str) -> Handler:
    """Become a handler of ``team``: a key pair of one's own, wrapped under the passphrase.
    Access to the cases follows when someone who has it grants it (``grant_access``);
    the first coordinator of a team without a key creates the key and has access at once."""
    if not is_team_member(user, team):
        raise TeamError(_("Only members of the aid team's working group can handle its cases."))
    check_passphrase(passphrase)
    personal = aidkeys.new_private_key()
    wrapped = aidkeys.wrap(personal, passphrase)
    try:
        with transaction.atomic():
            handler = Handler.objects.create(
                team=team,
                user=user,
                public_key=wrapped.public_key,
                wrapped_private_key=wrapped.wrapped_private_key,
                kdf_salt=wrapped.kdf_salt,
                kdf_opslimit=wrapped.kdf_opslimit,
                kdf_memlimit=wrapped.kdf_memlimit,
            )
            audit.record(user, "aid.handler_joined", handler, team=team.pk)
            locked = AidTeam.objects.select_for_update().get(pk=team.pk)
            if is_aid_coordinator(user, team) and not TeamKey.objects.filter(team=locked).exists():
                _create_first_key(locked, handler, personal, by=user)
    except IntegrityError as error:
        raise TeamError(_("You have already set a case passphrase for this team.")) from error
    forget_handler_rows(user)
    return handler


def _create_first_key(team: AidTeam, handler: Handler, personal, *, by) -> None:
    team_private = aidkeys.new_private_key()
    team_key = TeamKey.objects.create(
        team=team, version=1, public_key=bytes(team_private.public_key)
    )
    KeyGrant.objects.create(
        handler=handler,
        team_key=team_key,
        sealed_private_key=aidkeys.seal(bytes(personal.public_key), bytes(team_private)),
        granted_by=by,
    )
    audit.record(by, "aid.team_key_created", team_key, team=team.pk, version=1)


def change_passphrase(handler: Handler, old: str, new: str) -> None:
    check_passphrase(new)
    personal = aidkeys.unwrap(handler, old)  # WrongPassphraseError
    wrapped = aidkeys.wrap(personal, new)
    Handler.objects.filter(pk=handler.pk).update(
        wrapped_private_key=wrapped.wrapped_private_key,
        kdf_salt=wrapped.kdf_salt,
        kdf_opslimit=wrapped.kdf_opslimit,
        kdf_memlimit=wrapped.kdf_memlimit,
    )
    audit.record(handler.user, "aid.passphrase_changed", handler)


def unlock(handler: Handler, passphrase: str) -> aidkeys.TeamKeys:
    """The team's keys opened with the handler's passphrase: ``WrongPassphraseError`` or
    ``NoAccessError``. The caller holds them for the session (``keys.hold``)."""
    personal = aidkeys.unwrap(handler, passphrase)
    team_keys = aidkeys.open_team_keys(handler, personal)
    audit.record(handler.user, "aid.unlocked", handler.team)
    return team_keys


def pending(team: AidTeam) -> list[Handler]:
    """Handlers who set a passphrase but have no access yet."""
    return list(
        Handler.objects.filter(team=team, grants__isnull=True)
        .select_related("user")
        .order_by("created_at")
    )


def grant_access(team: AidTeam, handler: Handler, team_keys: aidkeys.TeamKeys, *, by) -> KeyGrant:
    """Seal the team's newest key to ``handler`` (``team_keys``: the granting coordinator's
    unlocked keys)."""
    if handler.team_id != team.pk or team_keys.team_id != team.pk:
        raise TeamError(_("This person is not a handler of this team."))
    if not is_aid_coordinator(by, team):
        raise TeamError(_("Only a coordinator of the aid team can give access."))
    if not is_team_member(handler.user, team):
        raise TeamError(_("This person is no longer a member of the aid team's working group."))
    current = aidkeys.current_key(team)
    if current is None or current.version != team_keys.current_version:
        # Keys unlocked before a rotation: granting them would give an old version.
        raise TeamError(_("The key changed meanwhile. Unlock again and retry."))
    with transaction.atomic():
        key_grant = aidkeys.grant(handler, team_keys, by=by)
        audit.record(by, "aid.access_granted", handler, team=team.pk, to=handler.user_id)
    return key_grant


def revoke(team: AidTeam, handler: Handler, *, by) -> None:
    """Take a handler's access away: their grants and key pair are deleted (they can set
    a new passphrase and be given access again). Rotating the key afterwards
    (``rotate``) keeps what is written from now on from any copy of the old key."""
    if handler.team_id != team.pk:
        raise TeamError(_("This person is not a handler of this team."))
    if not is_aid_coordinator(by, team) and by.pk != handler.user_id:
        raise TeamError(_("Only a coordinator of the aid team can take access away."))
    with transaction.atomic():
        audit.record(by, "aid.access_revoked", handler, team=team.pk, of=handler.user_id)
        handler.delete()
    forget_handler_rows(handler.user)


def rotate(team: AidTeam, team_keys: aidkeys.TeamKeys, *, by) -> TeamKey:
    """A new version of the team key. The previous private key is sealed to the new public
    key (older cases stay readable through it); every handler who has access now gets a
    grant of the new key. New cases, notes and messages are sealed to the new key."""
    if not is_aid_coordinator(by, team):
        raise TeamError(_("Only a coordinator of the aid team can rotate the key."))
    if team_keys.team_id != team.pk:
        raise TeamError(_("Unlock this team's cases first."))
    with transaction.atomic():
        locked = AidTeam.objects.select_for_update().get(pk=team.pk)
        current = aidkeys.current_key(locked)
        if current is None or current.version != team_keys.current_version:
            raise TeamError(_("The key changed meanwhile. Unlock again and retry."))
        new_private = aidkeys.new_private_key()
        new_key = TeamKey.objects.create(
            team=locked,
            version=current.version + 1,
            public_key=bytes(new_private.public_key),
            created_at=timezone.now(),
        )
        TeamKey.objects.filter(pk=current.pk).update(
            sealed_by_next=aidkeys.seal(new_key.public_key, bytes(team_keys.private()))
        )
        holders = Handler.objects.filter(team=locked, grants__team_key=current).distinct()
        KeyGrant.objects.bulk_create(
            KeyGrant(
                handler=handler,
                team_key=new_key,
                sealed_private_key=aidkeys.seal(handler.public_key, bytes(new_private)),
                granted_by=by,
            )
            for handler in holders
        )
        audit.record(by, "aid.key_rotated", new_key, team=team.pk, version=new_key.version)
    team_keys.keys[new_key.version] = new_private
    return new_key


def revoke_departed(collective_id: int, user) -> int:
    """``user`` left (or was removed from) the working group ``collective_id``: if it is an
    aid team, their handler row and grants go, audited. Rotating the key is still up to a
    coordinator (the team page suggests it). Returns how many handler rows went."""
    handlers = list(Handler.objects.filter(team__collective_id=collective_id, user=user))
    for handler in handlers:
        audit.record(
            None,
            "aid.access_revoked",
            handler,
            team=handler.team_id,
            of=user.pk,
            reason="left the working group",
        )
        handler.delete()
    if handlers:
        forget_handler_rows(user)
    return len(handlers)
