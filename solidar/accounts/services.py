"""State changes of accounts. Views, tests and seed_demo call these; nothing else writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from solidar.accounts.models import User
from solidar.core import audit
from solidar.core.models import AuditEvent

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def language_for_address(email: str, default: str | None = None) -> str:
    """The language to write to ``email`` in: its account's choice, else ``default``."""
    user = (
        User.objects.filter(emailaddress__email__iexact=email).only("language").first()
        or User.objects.filter(email__iexact=email).only("language").first()
    )
    if user and user.language in LANGUAGE_CODES:
        return user.language
    return default if default in LANGUAGE_CODES else settings.LANGUAGE_CODE


def create_user(
    *,
    username: str,
    email: str,
    password: str,
    display_name: str,
    language: str = "en",
    verified: bool = True,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """An account with a (verified) primary address, as sign-up plus confirmation leaves it."""
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            display_name=display_name,
            language=language,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        user.set_password(password)
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
        audit.record(None, "account.created", user)
    return user


def update_profile(user: User, *, display_name: str, language: str) -> User:
    with transaction.atomic():
        changed = [
            field
            for field, value in (("display_name", display_name), ("language", language))
            if getattr(user, field) != value
        ]
        user.display_name = display_name
        user.language = language
        user.save(update_fields=["display_name", "language"])
        if changed:
            audit.record(user, "account.profile_changed", user, fields=changed)
    return user


# Session engines whose sessions live in django_session: those can be listed in one query.
_DB_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def list_sessions(user: User) -> list[UserSession]:
    """The live sessions of ``user``, oldest first, in a fixed number of queries.

    Rows whose session expired, ended or belongs to an old password are removed
    (allauth's ``purge_and_list`` does the same with three queries per session).
    """
    if settings.SESSION_ENGINE not in _DB_SESSION_ENGINES:
        return sorted(UserSession.objects.purge_and_list(user), key=lambda s: s.created_at)
    rows = list(UserSession.objects.filter(user_id=user.pk).order_by("created_at", "pk"))
    stored = {
        session.session_key: session
        for session in Session.objects.filter(
            session_key__in=[row.session_key for row in rows], expire_date__gt=timezone.now()
        )
    }
    valid_hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    live, stale = [], []
    for row in rows:
        session = stored.get(row.session_key)
        data = session.get_decoded() if session is not None else {}
        session_hash = data.get(HASH_SESSION_KEY) or ""
        if (
            user.is_active
            and str(data.get(SESSION_KEY)) == str(user.pk)
            and any(constant_time_compare(session_hash, h) for h in valid_hashes)
        ):
            live.append(row)
        else:
            stale.append(row.pk)
    if stale:
        UserSession.objects.filter(pk__in=stale).delete()
    return live


def end_session(user: User, session_id: int) -> UserSession:
    """End one session of ``user``; another user's session id raises DoesNotExist."""
    user_session = UserSession.objects.get(user=user, pk=session_id)
    user_session.end()
    return user_session


def end_sessions(user: User, *, keep_session_key: str | None = None) -> int:
    """End every session of ``user`` (except one, when given). Returns how many ended."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        if user_session.session_key != keep_session_key:
            user_session.end()
            ended += 1
    return ended


def deactivate_account(user: User, *, by: User | None) -> None:
    """Lock an account out at once: no login, and every open session ends now."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        end_sessions(user)
        audit.record(by, "account.deactivated", user)


def export_account_data(user: User) -> dict[str, Any]:
    """Everything Solidar keeps about ``user`` that belongs to them, as JSON-ready data.

    Secrets (password hash, MFA keys, recovery codes) are named but never exported.
    """
    with transaction.atomic():
        data = {
            "format": "solidar-account-export/1",
            "exported_at": timezone.now().isoformat(),
            "account": {
                "username": user.username,
                "display_name": user.display_name,
                "language": user.language,
                "date_joined": user.date_joined.isoformat(),
                "last_login": user.last_login.isoformat() if user.last_login else None,
            },
            "email_addresses": [
                {"email": e.email, "primary": e.primary, "verified": e.verified}
                for e in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            "two_factor_methods": [
                {
                    "type": a.type,
                    "created_at": a.created_at.isoformat(),
                    "last_used_at": a.last_used_at.isoformat() if a.last_used_at else None,
                }
                for a in Authenticator.objects.filter(user=user).order_by("created_at")
            ],
            "sessions": [
                {
                    "created_at": s.created_at.isoformat(),
                    "last_seen_at": s.last_seen_at.isoformat(),
                    "user_agent": s.user_agent,
                }
                for s in UserSession.objects.filter(user=user).order_by("created_at")
            ],
            "activity": [
                {"action": e.action, "at": e.created_at.isoformat()}
                for e in AuditEvent.objects.filter(actor_id=user.pk).order_by("created_at")
            ],
        }
        audit.record(user, "account.exported", user)
    return data


_before_deletion: list[Callable[[User], object]] = []


def register_before_account_deletion(hook: Callable[[User], object]) -> None:
    """Let a later app wind down what hangs from an account through its own services
    (the network ends memberships, keeping its counters and history right)."""
    _before_deletion.append(hook)


def delete_account(user: User) -> None:
    """Delete the account and everything hanging from it; end all its sessions.

    The audit log keeps the account's number and the fact of deletion, nothing else.
    """
    with transaction.atomic():
        for hook in _before_deletion:
            hook(user)
        audit.record(None, "account.deleted", user)
        end_sessions(user)
        user.delete()
