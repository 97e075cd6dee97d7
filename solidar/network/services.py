"""Every change to the network, one function each. Views, tests and seed_demo call these.

Each runs in one transaction, writes the audit log and sends its (neutral) e-mails after
commit. A refused action raises NetworkError with a message for the person, and changes
nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solidar.accounts.models import User
from solidar.core import audit, emails
from solidar.network import access, signals, worldmap
from solidar.network import rules as network_rules
from solidar.network.models import (
    PROGRAMME_POINTS,
    SPOKEN_LANGUAGES,
    Application,
    Collective,
    Invitation,
    Membership,
    MembershipEvent,
    SharedContact,
    Vouch,
)

INVITATION_DAYS = 14
_PROGRAMME_KEYS = {key for key, _label in PROGRAMME_POINTS}
_LANGUAGE_KEYS = {key for key, _label in SPOKEN_LANGUAGES}


class NetworkError(Exception):
    """A refused action. ``str(error)`` is a message in the active language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


# -- collectives --------------------------------------------------------------------------------
def create_collective(
    *,
    by: User | None,
    kind: str,
    slug: str,
    name: str,
    description: str = "",
    meeting_note: str = "",
    city: str = "",
    country: str = "",
    latitude=None,
    longitude=None,
    languages: Iterable[str] = (),
    visibility: str = Collective.Visibility.PUBLIC,
    join_policy: str | None = None,
    parent: Collective | None = None,
    vouches_required: int = 2,
    translations: dict[str, dict[str, str]] | None = None,
) -> Collective:
    """A cell, a working group or the network. A hidden parent hides its children too."""
    if Collective.objects.filter(slug=slug).exists():
        raise NetworkError(_("That address name is already taken."))
    if parent is not None and parent.is_hidden:
        visibility = Collective.Visibility.HIDDEN
    if join_policy is None:
        join_policy = (
            Collective.JoinPolicy.OPEN
            if kind == Collective.Kind.WORKING_GROUP
            else Collective.JoinPolicy.APPLICATION
        )
    with transaction.atomic():
        collective = Collective(
            kind=kind,
            slug=slug,
            name=name,
            description=description,
            meeting_note=meeting_note,
            city=city,
            country=country.upper(),
            latitude=latitude,
            longitude=longitude,
            languages=[code for code in languages if code in _LANGUAGE_KEYS],
            visibility=visibility,
            join_policy=join_policy,
            parent=parent,
            vouches_required=vouches_required,
        )
        for language, fields in (translations or {}).items():
            for field, value in fields.items():
                setattr(collective, f"{field}_{language}", value)
        collective.save()
        audit.record(by, "network.collective_created", collective, kind=kind)
        transaction.on_commit(worldmap.forget_cached_maps)
    return collective


def update_collective_settings(
    collective: Collective, *, by: User, vouches_required: int, join_policy: str | None = None
) -> Collective:
    if not 0 <= vouches_required <= 20:
        raise NetworkError(_("Choose between 0 and 20 vouches."))
    with transaction.atomic():
        collective.vouches_required = vouches_required
        fields = ["vouches_required"]
        if join_policy is not None and collective.kind == Collective.Kind.WORKING_GROUP:
            collective.join_policy = join_policy
            fields.append("join_policy")
        collective.save(update_fields=fields)
        audit.record(by, "network.settings_changed", collective, fields=fields)
    return collective


# -- memberships ---------------------------------------------------------------------------------
def _event(membership: Membership, kind: str, by: User | None) -> None:
    """Every change of a membership passes here: its history, and the cached member list."""
    MembershipEvent.objects.create(membership=membership, kind=kind, role=membership.role, by=by)
    collective_id = membership.collective_id
    transaction.on_commit(lambda: access.forget_roster(collective_id))


def _start_membership(
    collective: Collective, user: User, *, by: User | None, role: str = Membership.Role.MEMBER
) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(collective=collective, user=user, role=role)
    except IntegrityError as exc:
        raise NetworkError(_("This person is already a member.")) from exc
    Collective.objects.filter(pk=collective.pk).update(member_count=F("member_count") + 1)
    _event(membership, MembershipEvent.Kind.JOINED, by)
    audit.record(by, "network.member_joined", membership, collective=collective.pk, role=role)
    network_rules.forget_memberships(user)
    return membership


def _coordinator_count(collective: Collective) -> int:
    return Membership.objects.filter(
        collective=collective,
        ended_at__isnull=True,
        role=Membership.Role.COORDINATOR,
        status=Membership.Status.ACTIVE,
    ).count()


def _refuse_losing_last_coordinator(membership: Membership) -> None:
    if (
        membership.is_coordinator
        and membership.status == Membership.Status.ACTIVE
        and _coordinator_count(membership.collective) <= 1
    ):
        raise NetworkError(_("This is the last coordinator. Appoint another coordinator first."))


def _end_membership(membership: Membership, *, reason: str, by: User | None) -> None:
    membership.ended_at = timezone.now()
    membership.end_reason = reason
    membership.save(update_fields=["ended_at", "end_reason"])
    SharedContact.objects.filter(membership=membership).delete()
    Collective.objects.filter(pk=membership.collective_id, member_count__gt=0).update(
        member_count=F("member_count") - 1
    )
    kind = (
        MembershipEvent.Kind.REMOVED
        if reason == Membership.EndReason.REMOVED
        else MembershipEvent.Kind.LEFT
    )
    _event(membership, kind, by)
    audit.record(by, f"network.member_{kind}", membership, collective=membership.collective_id)
    network_rules.forget_memberships(membership.user)
    signals.membership_ended.send(sender=Membership, membership=membership, reason=reason)


def _lock(membership: Membership) -> Membership:
    locked = Membership.objects.select_for_update().select_related("collective", "user")
    return locked.get(pk=membership.pk)


def join(collective: Collective, user: User) -> Membership:
    """Join a working group that is open to every member of the network."""
    if not user.has_perm("network.join", collective):
        raise NetworkError(_("You cannot join this group directly."))
    with transaction.atomic():
        return _start_membership(collective, user, by=user)


def leave(membership: Membership, *, by: User) -> None:
    with transaction.atomic():
        membership = _lock(membership)
        if membership.ended_at is not None:
            raise NetworkError(_("You are no longer a member."))
        _refuse_losing_last_coordinator(membership)
        _end_membership(membership, reason=Membership.EndReason.LEFT, by=by)


def remove_member(membership: Membership, *, by: User) -> None:
    with transaction.atomic():
        membership = _lock(membership)
        if membership.ended_at is not None:
            raise NetworkError(_("This person is no longer a member."))
        _refuse_losing_last_coordinator(membership)
        _end_membership(membership, reason=Membership.EndReason.REMOVED, by=by)


def set_role(membership: Membership, role: str, *, by: User) -> Membership:
    if role not in Membership.Role.values:
        raise NetworkError(_("Unknown role."))
    with transaction.atomic():
        membership = _lock(membership)
        if membership.ended_at is not None:
            raise NetworkError(_("This person is no longer a member."))
        if membership.role == role:
            return membership
        if role != Membership.Role.COORDINATOR:
            _refuse_losing_last_coordinator(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        _event(membership, MembershipEvent.Kind.ROLE_CHANGED, by)
        audit.record(by, "network.role_changed", membership, role=role)
    network_rules.forget_memberships(membership.user)
    return membership


def appoint_coordinator(collective: Collective, user: User, *, by: User) -> Membership:
    """Make ``user`` a coordinator, adding them as a member first if they are not one."""
    with transaction.atomic():
        membership = Membership.objects.filter(
            collective=collective, user=user, ended_at__isnull=True
        ).first()
        if membership is None:
            return _start_membership(collective, user, by=by, role=Membership.Role.COORDINATOR)
    return set_role(membership, Membership.Role.COORDINATOR, by=by)


def add_member(collective: Collective, user: User, *, by: User) -> Membership:
    """A coordinator adds someone directly (e.g. a person they know in person)."""
    with transaction.atomic():
        return _start_membership(collective, user, by=by)


def suspend_member(membership: Membership, *, by: User) -> Membership:
    with transaction.atomic():
        membership = _lock(membership)
        if membership.ended_at is not None or membership.status == Membership.Status.SUSPENDED:
            raise NetworkError(_("This membership is not active."))
        _refuse_losing_last_coordinator(membership)
        membership.status = Membership.Status.SUSPENDED
        membership.save(update_fields=["status"])
        _event(membership, MembershipEvent.Kind.SUSPENDED, by)
        audit.record(by, "network.member_suspended", membership)
    network_rules.forget_memberships(membership.user)
    return membership


def reinstate_member(membership: Membership, *, by: User) -> Membership:
    with transaction.atomic():
        membership = _lock(membership)
        if membership.ended_at is not None or membership.status != Membership.Status.SUSPENDED:
            raise NetworkError(_("This membership is not suspended."))
        membership.status = Membership.Status.ACTIVE
        membership.save(update_fields=["status"])
        _event(membership, MembershipEvent.Kind.REINSTATED, by)
        audit.record(by, "network.member_reinstated", membership)
    network_rules.forget_memberships(membership.user)
    return membership


def leave_network(user: User) -> int:
    """End every membership, delete every shared handle, withdraw pending applications.

    Works even for a last coordinator: a person must be able to leave at once.
    """
    with transaction.atomic():
        memberships = list(
            Membership.objects.select_for_update().filter(user=user, ended_at__isnull=True)
        )
        for membership in memberships:
            _end_membership(membership, reason=Membership.EndReason.LEFT_NETWORK, by=user)
        Application.objects.filter(applicant=user, status=Application.Status.PENDING).update(
            status=Application.Status.WITHDRAWN, decided_at=timezone.now()
        )
        audit.record(user, "network.left_network", user, memberships=len(memberships))
    return len(memberships)


def set_contacts(membership: Membership, handles: dict[str, str], *, by: User) -> None:
    """Share exactly these handles with the collective (empty removes one). Encrypted."""
    with transaction.atomic():
        for kind in SharedContact.Kind.values:
            value = (handles.get(kind) or "").strip()
            existing = SharedContact.objects.filter(membership=membership, kind=kind).first()
            if not value:
                if existing is not None:
                    existing.delete()
                continue
            if existing is None:
                existing = SharedContact(membership=membership, kind=kind)
            existing.handle = value
            existing.save()
        audit.record(
            by,
            "network.contacts_changed",
            membership,
            kinds=sorted(k for k, v in handles.items() if (v or "").strip()),
        )


# -- applications and vouches ------------------------------------------------------------------
def submit_application(
    collective: Collective,
    applicant: User,
    *,
    motivation: str,
    programme_points: Iterable[str] = (),
    languages: Iterable[str] = (),
    referral: str = "",
) -> Application:
    if not applicant.has_perm("network.apply", collective):
        if network_rules.has_current_membership(applicant, collective):
            raise NetworkError(_("You are already a member here."))
        raise NetworkError(_("Applications are not open here."))
    if not motivation.strip():
        raise NetworkError(_("Tell us in a few words why you want to join."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                collective=collective,
                applicant=applicant,
                motivation=motivation.strip(),
                programme_points=[p for p in programme_points if p in _PROGRAMME_KEYS],
                languages=[code for code in languages if code in _LANGUAGE_KEYS],
                referral=referral.strip(),
            )
            audit.record(applicant, "network.application_submitted", application)
            _notify_coordinators(collective)
    except IntegrityError as exc:
        raise NetworkError(
            _("You have already applied here. Your application is waiting.")
        ) from exc
    return application


def vouches_needed(application: Application) -> int:
    if application.collective.join_policy == Collective.JoinPolicy.APPLICATION:
        return application.collective.vouches_required
    return 0


def add_vouch(application: Application, voucher: User, *, kind: str, note: str = "") -> Vouch:
    if kind not in Vouch.Kind.values:
        raise NetworkError(_("Unknown answer."))
    if application.applicant_id == voucher.pk:
        raise NetworkError(_("You cannot vouch for yourself."))
    if not voucher.has_perm("network.vouch", application):
        raise NetworkError(_("You cannot vouch for this application."))
    if kind == Vouch.Kind.CONCERN and not note.strip():
        raise NetworkError(_("Say briefly what concerns you; only coordinators will read it."))
    counter = "vouch_count" if kind == Vouch.Kind.VOUCH else "concern_count"
    try:
        with transaction.atomic():
            vouch = Vouch.objects.create(
                application=application, voucher=voucher, kind=kind, note=note.strip()
            )
            Application.objects.filter(pk=application.pk).update(**{counter: F(counter) + 1})
            audit.record(voucher, f"network.application_{kind}", application)
    except IntegrityError as exc:
        raise NetworkError(_("You have already answered this application.")) from exc
    application.refresh_from_db(fields=["vouch_count", "concern_count"])
    if kind == Vouch.Kind.VOUCH and application.vouch_count == vouches_needed(application):
        _notify_coordinators(application.collective)  # a decision is now possible
    return vouch


def _lock_pending(application: Application) -> Application:
    locked = Application.objects.select_for_update().select_related("collective", "applicant")
    application = locked.get(pk=application.pk)
    if not application.is_pending:
        raise NetworkError(_("This application has already been decided."))
    return application


def _refuse_undecidable(application: Application, by: User) -> None:
    if by.has_perm("network.decide_application", application):
        return
    if network_rules.coordinates_application_collective(by, application):
        raise NetworkError(_("Set up two-factor authentication to decide on applications."))
    raise NetworkError(_("Only a coordinator can decide."))


def admit(application: Application, *, by: User) -> Membership:
    with transaction.atomic():
        application = _lock_pending(application)
        _refuse_undecidable(application, by)
        needed = vouches_needed(application)
        if application.vouch_count < needed:
            raise NetworkError(
                ngettext(
                    "This application needs %(count)d vouch before it can be admitted.",
                    "This application needs %(count)d vouches before it can be admitted.",
                    needed,
                )
                % {"count": needed}
            )
        application.status = Application.Status.ADMITTED
        application.decided_at = timezone.now()
        application.decided_by = by
        application.save(update_fields=["status", "decided_at", "decided_by"])
        audit.record(by, "network.application_admitted", application)
        membership = _start_membership(application.collective, application.applicant, by=by)
        _notify_applicant(application)
    return membership


def decline(application: Application, *, by: User, reason: str) -> Application:
    if not reason.strip():
        raise NetworkError(_("Give a reason: the applicant will read it."))
    with transaction.atomic():
        application = _lock_pending(application)
        _refuse_undecidable(application, by)
        application.status = Application.Status.DECLINED
        application.decided_at = timezone.now()
        application.decided_by = by
        application.decision_reason = reason.strip()
        application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        audit.record(by, "network.application_declined", application)
        _notify_applicant(application)
    return application


def withdraw(application: Application, *, by: User) -> Application:
    with transaction.atomic():
        application = _lock_pending(application)
        if application.applicant_id != by.pk:
            raise NetworkError(_("Only the applicant can withdraw."))
        application.status = Application.Status.WITHDRAWN
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decided_at"])
        audit.record(by, "network.application_withdrawn", application)
    return application


# -- invitations ---------------------------------------------------------------------------------
def _email_digest(email: str) -> str:
    return salted_hmac("solidar.network.invitation-email", email.strip().lower()).hexdigest()


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(
    collective: Collective, email: str, *, by: User, language: str | None = None
) -> tuple[Invitation, str]:
    """A single-use link for ``email``; the token (256 bits) is returned once, stored hashed."""
    email = email.strip()
    if "@" not in email or len(email) > 254:
        raise NetworkError(_("Enter a valid e-mail address."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            collective=collective,
            email=email,
            email_digest=_email_digest(email),
            token_digest=_token_digest(token),
            created_by=by,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        audit.record(by, "network.invitation_created", invitation, collective=collective.pk)
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        path = reverse_in(language, "network:accept_invitation", token)
        emails.send_templated(
            "network/email/invitation",
            email,
            {"url": settings.SOLIDAR_SITE_URL + path, "days": INVITATION_DAYS},
            language,
        )
    return invitation, token


def find_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("collective")
        .filter(token_digest=_token_digest(token))
        .first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise NetworkError(_("This invitation link is not valid."))
    if invitation.used_at is not None:
        raise NetworkError(_("This invitation link has already been used."))
    if invitation.expires_at <= timezone.now():
        raise NetworkError(_("This invitation link has expired. Ask for a new one."))
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    with transaction.atomic():
        invitation = find_invitation(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise NetworkError(_("This invitation link has already been used."))
        verified = EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
        if invitation.email_digest not in {_email_digest(address) for address in verified}:
            raise NetworkError(
                _("This invitation was sent to another e-mail address. Sign in with that one.")
            )
        invitation.used_at = timezone.now()
        invitation.used_by = user
        invitation.save(update_fields=["used_at", "used_by"])
        audit.record(user, "network.invitation_accepted", invitation)
        return _start_membership(invitation.collective, user, by=invitation.created_by)


def revoke_invitation(invitation: Invitation, *, by: User) -> None:
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit.record(by, "network.invitation_revoked", invitation)


# -- e-mails: neutral subjects, no collective names ----------------------------------------------
def reverse_in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def _notify_coordinators(collective: Collective) -> None:
    coordinators = User.objects.filter(
        memberships__collective=collective,
        memberships__ended_at__isnull=True,
        memberships__role=Membership.Role.COORDINATOR,
        memberships__status=Membership.Status.ACTIVE,
        is_active=True,
    ).only("email", "language")
    for coordinator in coordinators:
        if coordinator.email:
            url = settings.SOLIDAR_SITE_URL + reverse_in(coordinator.language, "network:dashboard")
            emails.send_templated(
                "network/email/attention", coordinator.email, {"url": url}, coordinator.language
            )


def _notify_applicant(application: Application) -> None:
    applicant = application.applicant
    if applicant.email:
        url = settings.SOLIDAR_SITE_URL + reverse_in(
            applicant.language, "network:application", application.pk
        )
        emails.send_templated(
            "network/email/application_update", applicant.email, {"url": url}, applicant.language
        )
