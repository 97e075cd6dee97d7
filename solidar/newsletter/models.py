"""Newsletters: lists, subscribers (double opt-in), the suppression list, mailings with a
variant per language, and one delivery row per recipient of a send.

Privacy by construction:

- A subscriber's address is sealed (AES-GCM) and found by a keyed digest; nothing else
  about the reader is kept but their lists, the consent they gave (text version and
  time) and a bounce count.
- When a reader leaves their last list, the subscriber row is deleted; only the keyed
  digest of the address stays, on the suppression list (``Suppression``), so that no
  import can put them back without a new confirmation.
- A delivery row points at the subscriber, never copies the address: a reader who
  unsubscribes during a send is simply skipped, and their address is gone at once.
- No open or click tracking: there is no column to put it in.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from solidar.core.fields import EncryptedTextField


class MailingList(models.Model):
    """A list by topic and language: readers subscribe to it, mailings go through it."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)  # translated (translation.py)
    description = models.TextField(_("description"), blank=True)  # translated
    language = models.CharField(_("language of its mailings"), max_length=8)
    is_public = models.BooleanField(
        _("offered on the public site"),
        default=True,
        help_text=_("Lists that are not public are only for members, from their profile."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    """One address. Deleted (its digest suppressed) when it leaves its last list."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = EncryptedTextField(_("e-mail"))
    email_digest = models.CharField(max_length=64, unique=True)
    # A member who subscribed from their profile: their account's address, kept in step.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="newsletter_subscriber",
    )
    # The confirmation link of the pending subscriptions (one link for all of them): its
    # digest, never the token, and when it stops working.
    confirm_digest = models.CharField(max_length=64, blank=True, default="")
    confirm_expires_at = models.DateTimeField(null=True, blank=True)
    # Bumped to invalidate every preference and unsubscribe link sent so far.
    link_version = models.PositiveIntegerField(default=1)
    soft_bounces = models.PositiveIntegerField(default=0)
    last_bounce_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [
            models.Index(
                fields=["confirm_digest"],
                name="subscriber_confirm",
                condition=~Q(confirm_digest=""),
            )
        ]

    def __str__(self) -> str:
        return f"subscriber {self.pk}"


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")

    class Source(models.TextChoices):
        FORM = "form", _("sign-up form")
        PROFILE = "profile", _("member profile")
        IMPORT = "import", _("import")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.FORM)
    # The consent the reader gave: the version of the text they saw, and when.
    consent_version = models.CharField(max_length=20)
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "mailing_list"], name="one_subscription_per_list"
            )
        ]
        indexes = [
            models.Index(fields=["mailing_list", "status"], name="subscription_by_list"),
            models.Index(fields=["status", "requested_at"], name="subscription_pending"),
        ]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return f"{self.subscriber_id} on {self.mailing_list_id} ({self.status})"


class Suppression(models.Model):
    """An address that left (or bounced hard): only its keyed digest. An import skips
    it; the reader's own confirmed sign-up lifts it."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        HARD_BOUNCE = "hard_bounce", _("hard bounce")
        SOFT_BOUNCES = "soft_bounces", _("too many soft bounces")
        COMPLAINT = "complaint", _("marked as spam")

    email_digest = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return f"suppressed ({self.reason})"


class Mailing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        SENDING = "sending", _("sending")
        PAUSED = "paused", _("paused")
        SENT = "sent", pgettext_lazy("newsletter", "sent")
        CANCELLED = "cancelled", pgettext_lazy("newsletter", "cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("internal title"), max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Recipients: the confirmed subscribers of these lists whose list language is one of
    # ``languages``; when ``collectives`` is not empty, only those who are (through their
    # account) active members of one of them.
    lists = models.ManyToManyField(MailingList, blank=True, related_name="mailings")
    languages = models.JSONField(default=list, blank=True)
    collectives = models.ManyToManyField("network.Collective", blank=True, related_name="+")
    in_archive = models.BooleanField(_("show in the public archive once sent"), default=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)  # set by the snapshot
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "scheduled_at"], name="mailing_due")]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")

    def __str__(self) -> str:
        return self.title


class MailingVariant(models.Model):
    """The mailing in one language: subject and Markdown body (headings, links, images
    from our own site)."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="variants")
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    archive_slug = models.SlugField(max_length=80, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailing", "language"], name="one_variant_per_language")
        ]
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")

    def __str__(self) -> str:
        return f"{self.subject} ({self.language})"


class Delivery(models.Model):
    """One recipient of one send, snapshotted when the send starts.

    The sending engine (``engine.py``) claims rows (``claim_token``, ``lease_until``),
    marks each sent in its own commit just before the SMTP server gets the end of the
    message, and retries 4xx answers at ``next_attempt_at``.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", pgettext_lazy("newsletter", "sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")  # unsubscribed or suppressed before its turn
        CANCELLED = "cancelled", pgettext_lazy("newsletter", "cancelled")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    claim_token = models.CharField(max_length=32, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "subscriber"], name="one_delivery_per_subscriber"
            )
        ]
        indexes = [
            models.Index(fields=["mailing", "status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["subscriber"], name="delivery_subscriber"),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.status})"
