"""The network: collectives (cells, working groups, the network as a whole), memberships
with their history, applications with vouches, invitations and shared contact handles.

Only services.py writes these tables. Who may see what is decided in rules.py.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidar.core.fields import EncryptedTextField

# Languages people speak in a collective (not only the four of the interface).
SPOKEN_LANGUAGES = [
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("be", _("Belarusian")),
    ("de", _("German")),
    ("en", _("English")),
    ("fr", _("French")),
    ("pl", _("Polish")),
    ("es", _("Spanish")),
    ("ka", _("Georgian")),
    ("hy", _("Armenian")),
    ("az", _("Azerbaijani")),
    ("kk", _("Kazakh")),
    ("ky", _("Kyrgyz")),
    ("uz", _("Uzbek")),
    ("tg", _("Tajik")),
]

# Points of the programme an applicant can say they share (see the programme page).
PROGRAMME_POINTS = [
    ("anti_war", _("Against the war and every imperial project")),
    ("socialism", _("A socialist transformation of the post-Soviet space")),
    ("migrant_workers", _("Struggles of migrant workers and unions")),
    ("prisoners", _("Solidarity with political prisoners, refugees and migrants")),
    ("democratic_peace", _("A democratic peace in the interest of the peoples")),
    ("democracy", _("Democratic methods inside the organisation")),
]


class Collective(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "network", _("the whole network")
        CELL = "cell", _("cell")
        WORKING_GROUP = "working_group", _("working group")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        HIDDEN = "hidden", _("hidden: only its members know it exists")

    class JoinPolicy(models.TextChoices):
        APPLICATION = "application", _("application with vouches")
        APPROVAL = "approval", _("a coordinator approves each request")
        OPEN = "open", _("any member of the network can join")

    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    meeting_note = models.CharField(
        _("when it meets"),
        max_length=200,
        blank=True,
        help_text=_("In general terms only, e.g. 'every second Sunday'. Never an address."),
    )
    city = models.CharField(_("city"), max_length=80, blank=True)
    country = models.CharField(_("country code"), max_length=2, blank=True)
    latitude = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    longitude = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    join_policy = models.CharField(
        _("joining"), max_length=12, choices=JoinPolicy.choices, default=JoinPolicy.APPLICATION
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    vouches_required = models.PositiveSmallIntegerField(_("vouches required"), default=2)
    # Kept by services in the same transaction as each change: no live COUNT(*) on big tables.
    member_count = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["country", "city", "name"]
        verbose_name = _("collective")
        verbose_name_plural = _("collectives")
        indexes = [models.Index(fields=["kind", "visibility", "is_active"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_hidden(self) -> bool:
        return self.visibility == self.Visibility.HIDDEN


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        COORDINATOR = "coordinator", _("coordinator")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")

    class EndReason(models.TextChoices):
        LEFT = "left", _("left")
        REMOVED = "removed", _("removed")
        LEFT_NETWORK = "left_network", _("left the network")

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "user"],
                condition=Q(ended_at__isnull=True),
                name="network_one_current_membership",
            )
        ]
        indexes = [
            models.Index(fields=["user", "ended_at"]),
            models.Index(fields=["collective", "ended_at", "role"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.collective}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR


class MembershipEvent(models.Model):
    """The history of a membership: kept after it ends ("member since" for votes)."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("joined")
        ROLE_CHANGED = "role_changed", _("role changed")
        SUSPENDED = "suspended", _("suspended")
        REINSTATED = "reinstated", _("reinstated")
        LEFT = "left", _("left")
        REMOVED = "removed", _("removed")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    role = models.CharField(max_length=12, choices=Membership.Role.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class SharedContact(models.Model):
    """A contact handle a member chose to share with one collective (encrypted)."""

    class Kind(models.TextChoices):
        SIGNAL = "signal", "Signal"
        MATRIX = "matrix", "Matrix"
        TELEGRAM = "telegram", "Telegram"
        EMAIL = "email", _("E-mail")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    handle = EncryptedTextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "kind"], name="network_one_handle_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Application(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        ADMITTED = "admitted", _("admitted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    motivation = EncryptedTextField()
    programme_points = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    referral = EncryptedTextField()
    vouch_count = models.PositiveSmallIntegerField(default=0)
    concern_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = EncryptedTextField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "applicant"],
                condition=Q(status="pending"),
                name="network_one_pending_application",
            )
        ]
        indexes = [models.Index(fields=["collective", "status"])]

    def __str__(self) -> str:
        return f"application {self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Vouch(models.Model):
    class Kind(models.TextChoices):
        VOUCH = "vouch", _("vouch")
        CONCERN = "concern", _("concern")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="vouches")
    voucher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vouches_given"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    note = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "voucher"], name="network_vouch_once")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Invitation(models.Model):
    """A single-use link for one e-mail address; only digests of the token are stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="invitations")
    email = EncryptedTextField()
    email_digest = models.CharField(max_length=64, db_index=True)
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk}"
