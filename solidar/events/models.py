"""Events and forums: the event, its programme, its registration questions, the people
registered (members and guests) with a waiting list, invitations and calendar feeds.

Only services.py writes these tables. Who may see and do what is decided in rules.py.
Times are stored in UTC; ``Event.time_zone`` says where the event happens, and every
page, e-mail and calendar shows times in that zone.
"""

from __future__ import annotations

import unicodedata
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidar.core.fields import EncryptedTextField
from solidar.network.models import Collective


def fold_name(text: str) -> str:
    """A name as compared and sorted: composed, casefolded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())[:120]


class Event(models.Model):
    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum or conference")
        MEETING = "meeting", _("Meeting")
        ACTION = "action", _("Street action")
        READING = "reading", _("Reading circle")
        CALL = "call", _("Online call")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members of the organising collective")
        INVITATION = "invitation", _("Invitation only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Readable and, for events that are not public, unguessable: a random suffix.
    slug = models.SlugField(max_length=90, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    # None: organised by the network as a whole (its organisers).
    organiser = models.ForeignKey(
        Collective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organised by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Berlin")
    place = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    country = models.CharField(_("country code"), max_length=2, blank=True)
    # Shown to registered people and organisers only; sealed in the database.
    online_url = EncryptedTextField(_("online link"))
    visibility = models.CharField(
        _("who can see it"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    interpretation = models.JSONField(_("interpretation into"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_open = models.BooleanField(_("registration open"), default=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    requires_approval = models.BooleanField(_("organisers approve registrations"), default=False)
    allow_guests = models.BooleanField(_("guests without an account may register"), default=True)
    offer_hours = models.PositiveSmallIntegerField(_("hours to accept a freed place"), default=48)
    letter_template = models.TextField(_("invitation letter"), blank=True)
    letter_signature = models.TextField(_("signature block"), blank=True)
    # Kept when guests' personal data is purged: the numbers outlive the names.
    registered_count = models.PositiveIntegerField(default=0)
    waiting_count = models.PositiveIntegerField(default=0)
    offered_count = models.PositiveIntegerField(default=0)
    checked_in_count = models.PositiveIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("starts_at", "pk")
        indexes = [
            models.Index(fields=["status", "visibility", "starts_at"], name="event_listing"),
            models.Index(fields=["organiser", "starts_at"], name="event_organiser"),
        ]
        # Held by the "Network organisers" group (migration 0002): they organise the
        # network's own events and may organise for any collective.
        permissions = [("organise_network_events", _("Can organise the network's events"))]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_online(self) -> bool:
        return self.kind == self.Kind.CALL or (bool(self.online_url) and not self.place)

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.registered_count - self.offered_count, 0)


class Session(models.Model):
    """One item of a forum's programme."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)

    class Meta:
        ordering = ("starts_at", "room", "pk")
        verbose_name = _("programme session")
        verbose_name_plural = _("programme sessions")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question the organisers ask everyone who registers."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        CHOICE = "choice", _("Choice")
        YES_NO = "yes_no", _("Yes or no")

    class Purpose(models.TextChoices):
        # The answers the organisers act on: a "yes" here is counted and can be filtered.
        OTHER = "", _("Other")
        BED = "bed", _("Needs a bed in a solidarity flat")
        VISA = "visa", _("Needs a visa invitation letter")
        INTERPRETATION = "interpretation", _("Needs interpretation")
        DIET = "diet", _("Dietary needs")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind of answer"), max_length=8, choices=Kind.choices)
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose.choices, blank=True, default=""
    )
    label = models.CharField(_("question"), max_length=300)
    # One choice per line (for the "choice" kind).
    choices = models.TextField(_("choices"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Registration(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-mail not yet confirmed")
        PENDING = "pending", _("Waiting for the organisers' approval")
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Offered a place")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined by the organisers")
        EXPIRED = "expired", _("Expired")

    # A person has at most one of these per event.
    ACTIVE = (
        Status.UNCONFIRMED,
        Status.PENDING,
        Status.REGISTERED,
        Status.WAITING,
        Status.OFFERED,
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # A member; None for a guest.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    # The name shown to the organisers (a pseudonym is fine); emptied when purged.
    name = models.CharField(_("name"), max_length=120)
    # The name as sorted and searched: composed and casefolded here, so that "олена" finds
    # "Олена" on SQLite too (whose LIKE folds ASCII only). Kept by save().
    name_key = models.CharField(max_length=120, blank=True, default="", editable=False)
    # Guests only: sealed, and a keyed digest to refuse a second registration.
    email = EncryptedTextField(_("e-mail"))
    email_digest = models.CharField(max_length=64, blank=True, default="")
    is_guest = models.BooleanField(default=False)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(max_length=12, choices=Status.choices)
    # {question id (str): answer}; sealed as JSON.
    answers = EncryptedTextField()
    needs_letter = models.BooleanField(default=False)
    letter_name = EncryptedTextField(_("name for the letter"))
    letter_issued_at = models.DateTimeField(null=True, blank=True)
    # The personal link: see and cancel the registration, accept an offered place. The
    # token is sealed (to be sent again in later e-mails) and found by its digest.
    link_token = EncryptedTextField()
    token_digest = models.CharField(max_length=64, unique=True)
    # Guests confirm their address once, by a link that expires.
    confirm_digest = models.CharField(max_length=64, blank=True, default="")
    confirm_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    waiting_since = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    purged = models.BooleanField(default=False)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False)
                & Q(status__in=["unconfirmed", "pending", "registered", "waiting", "offered"]),
                name="one_active_registration_per_member",
            ),
            models.UniqueConstraint(
                fields=["event", "email_digest"],
                condition=~Q(email_digest="")
                & Q(status__in=["unconfirmed", "pending", "registered", "waiting", "offered"]),
                name="one_active_registration_per_address",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "name_key", "id"], name="registration_roster"),
            models.Index(fields=["event", "status", "waiting_since"], name="registration_queue"),
            models.Index(fields=["status", "offer_expires_at"], name="registration_offers"),
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = fold_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_registered(self) -> bool:
        return self.status == self.Status.REGISTERED


class EventInvitation(models.Model):
    """A member invited to an invitation-only event: they may see it and register."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_invitations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_invitation_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.user_id}"


class CalendarFeed(models.Model):
    """A member's personal calendar feed: a secret URL that can be reset."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = EncryptedTextField()
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"
