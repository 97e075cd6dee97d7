"""Mutual aid: help requests filed by codename, sealed casework, offers of help.

What a person at risk writes (the request, their contact details, their messages) and what
handlers write about it (notes, replies, referrals, what was arranged) is **sealed** before
it reaches the database: public-key encryption (libsodium sealed boxes) to the aid team's
key, and for what the requester may read again, also to a key derived from their codename.
See ``keys.py`` for the keys and ``docs/security.md`` ("Mutual aid") for the design. The
database holds in clear only what triage, statistics and matching need: the kind of help,
the country, the urgency, the languages, dates, status and who works on the case.

Only the modules named for each job write these tables: ``intake.py`` (the public side),
``casework.py`` (handlers), ``team.py`` (keys and handlers), ``offers.py``,
``retention.py``. Who may see and do what is decided in ``rules.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from solidar.core.fields import EncryptedTextField


class Kind(models.TextChoices):
    """What kind of help a request asks for (and an offer gives)."""

    DEPARTURE = "departure", _("Urgent departure from the country")
    LEGAL = "legal", _("Legal aid")
    DOCUMENTS = "documents", _("Documents and visas")
    HOUSING = "housing", _("Housing")
    MONEY = "money", _("Money")
    WORK = "work", _("Work")
    HEALTH = "health", _("Health and psychological support")
    PRISONER = "prisoner", _("Support for a prisoner or their family")
    OTHER = "other", pgettext_lazy("aid kind", "Other")


class Urgency(models.TextChoices):
    """How soon help is needed. The triage queue sorts by ``URGENCY_RANK``."""

    IMMEDIATE = "immediate", _("Immediately: I am in danger now")
    DAYS = "days", _("Within a few days")
    WEEKS = "weeks", _("Within a few weeks")
    NOT_URGENT = "not_urgent", _("Not urgent")


URGENCY_RANK = {
    Urgency.IMMEDIATE: 0,
    Urgency.DAYS: 1,
    Urgency.WEEKS: 2,
    Urgency.NOT_URGENT: 3,
}


class ContactMethod(models.TextChoices):
    SITE = "site", _("Only through this site (with my codename)")
    SIGNAL = "signal", "Signal"
    MATRIX = "matrix", "Matrix"
    TELEGRAM = "telegram", "Telegram"
    EMAIL = "email", _("E-mail")


class AidTeam(models.Model):
    """A working group with the aid role: its members may become handlers of its cases.
    Its key pair (``TeamKey``, versioned) seals every case the team receives."""

    collective = models.OneToOneField(
        "network.Collective", on_delete=models.PROTECT, related_name="aid_team"
    )
    # The team that receives requests from the public form (exactly one may).
    receives_intake = models.BooleanField(default=False)
    next_number = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("aid team")
        verbose_name_plural = _("aid teams")
        constraints = [
            models.UniqueConstraint(
                fields=["receives_intake"],
                condition=Q(receives_intake=True),
                name="aid_one_intake_team",
            )
        ]

    def __str__(self) -> str:
        return str(self.collective)


class TeamKey(models.Model):
    """One version of a team's key pair. The public key seals; the private key exists
    only sealed: to each handler's own key (``KeyGrant``) and, once a newer version
    exists, to that newer version's public key (``sealed_by_next``), so a handler who can
    open the newest version can open every older one."""

    team = models.ForeignKey(AidTeam, on_delete=models.CASCADE, related_name="keys")
    version = models.PositiveIntegerField()
    public_key = models.BinaryField(max_length=32)
    sealed_by_next = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "version"], name="aid_team_key_version")
        ]
        ordering = ["team", "-version"]

    def __str__(self) -> str:
        return f"{self.team} v{self.version}"


class Handler(models.Model):
    """A member of the aid team with their own key pair. The private key is stored only
    wrapped (XSalsa20-Poly1305) under a key derived with argon2id from the handler's case
    passphrase, which the server never stores."""

    team = models.ForeignKey(AidTeam, on_delete=models.CASCADE, related_name="handlers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aid_handlers"
    )
    public_key = models.BinaryField(max_length=32)
    wrapped_private_key = models.BinaryField()
    kdf_salt = models.BinaryField(max_length=16)
    kdf_opslimit = models.PositiveIntegerField()
    kdf_memlimit = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="aid_one_handler_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class KeyGrant(models.Model):
    """A team key version's private key, sealed to one handler's public key: the wrap
    that lets that handler unlock the team's cases. Deleting it takes the access away."""

    handler = models.ForeignKey(Handler, on_delete=models.CASCADE, related_name="grants")
    team_key = models.ForeignKey(TeamKey, on_delete=models.CASCADE, related_name="grants")
    sealed_private_key = models.BinaryField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["handler", "team_key"], name="aid_one_grant_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.handler} ({self.team_key})"


class Case(models.Model):
    """A help request and the work on it.

    Sealed: ``sealed_request`` (to the team key version ``key_version``) and
    ``requester_copy`` (to the requester's codename key) hold the JSON the person
    submitted (situation, needs, contact method and handle). In clear: what triage,
    statistics and matching need. After the retention period a closed case keeps only
    the statistics fields (``purged_at`` set; every sealed value, entry and the codename
    hash gone)."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("aid case", "New")
        TRIAGED = "triaged", _("Triaged")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", pgettext_lazy("aid case", "Waiting")
        CLOSED = "closed", pgettext_lazy("aid case", "Closed")

    class Outcome(models.TextChoices):
        HELPED = "helped", _("Helped")
        PARTLY = "partly", _("Partly helped")
        REFERRED = "referred", _("Referred to a partner organisation")
        NOT_POSSIBLE = "not_possible", _("Help was not possible")
        NO_CONTACT = "no_contact", _("No contact with the requester")
        WITHDRAWN = "withdrawn", _("Withdrawn by the requester")
        SPAM = "spam", _("Not a real request")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(AidTeam, on_delete=models.PROTECT, related_name="cases")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    country = models.CharField(max_length=2)
    urgency = models.CharField(max_length=12, choices=Urgency.choices)
    urgency_rank = models.PositiveSmallIntegerField()
    languages = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(max_length=14, choices=Outcome.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key_version = models.PositiveIntegerField()
    sealed_request = models.BinaryField(null=True, blank=True)
    requester_copy = models.BinaryField(null=True, blank=True)
    requester_public_key = models.BinaryField(max_length=32, null=True, blank=True)
    codename_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    # The newest message from the requester, and when a handler last opened the case:
    # the queue marks cases with news.
    requester_active_at = models.DateTimeField(null=True, blank=True)
    handler_seen_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        constraints = [
            models.UniqueConstraint(fields=["team", "number"], name="aid_case_number"),
        ]
        indexes = [
            # The triage queue: open cases of a team by urgency, then age.
            models.Index(
                fields=["team", "status", "urgency_rank", "created_at"], name="aid_case_queue"
            ),
            # The open queue in its order (casework.queue writes the same condition).
            models.Index(
                fields=["team", "urgency_rank", "created_at", "number"],
                condition=~Q(status="closed"),
                name="aid_case_open_queue",
            ),
            models.Index(fields=["assignee", "status"], name="aid_case_assignee"),
            models.Index(fields=["status", "closed_at"], name="aid_case_retention"),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None


class Entry(models.Model):
    """One item of a case's history: a message (either way), an internal note, a
    referral, or what was arranged with an offer. The text is sealed to the team key;
    messages are also sealed to the requester's key so they can read the conversation."""

    class Kind(models.TextChoices):
        FROM_REQUESTER = "from_requester", _("Message from the requester")
        TO_REQUESTER = "to_requester", _("Reply to the requester")
        NOTE = "note", _("Internal note")
        REFERRAL = "referral", _("Referral to a partner organisation")
        ARRANGED = "arranged", _("Arranged with an offer of help")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key_version = models.PositiveIntegerField()
    sealed = models.BinaryField()
    requester_copy = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="aid_entry_case")]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"

    @property
    def is_message(self) -> bool:
        return self.kind in (self.Kind.FROM_REQUESTER, self.Kind.TO_REQUESTER)


class ChecklistItem(models.Model):
    """A step of the work on a case. Steps of the case's kind come from
    ``checklists.TEMPLATES`` (``key``, labels translated, nothing secret in them);
    a handler's own steps have a sealed label."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checklist")
    key = models.CharField(max_length=40, blank=True)
    sealed_label = models.BinaryField(null=True, blank=True)
    key_version = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.key or self.pk}"


class Offer(models.Model):
    """A member's offer of help. Seen only by the offerer and aid handlers; the details
    are encrypted (AES-GCM, keys from the environment). Purged when it expires."""

    class Kind(models.TextChoices):
        BED = "bed", _("A bed or a room")
        LEGAL = "legal", _("Legal advice")
        INTERPRETING = "interpreting", _("Interpreting or translation")
        MONEY = "money", _("Money")
        TRANSPORT = "transport", _("A car or transport")
        WORK = "work", _("Job leads or work")
        HEALTH = "health", _("Health or psychological support")
        DOCUMENTS = "documents", _("Help with documents and visas")
        OTHER = "other", pgettext_lazy("aid offer", "Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aid_offers"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices)
    city = models.CharField(max_length=80, blank=True)
    country = models.CharField(max_length=2, blank=True)
    languages = models.JSONField(default=list, blank=True)
    capacity = models.CharField(max_length=120, blank=True)
    details = EncryptedTextField(blank=True)
    available_from = models.DateField(null=True, blank=True)
    available_until = models.DateField(null=True, blank=True)
    expires_on = models.DateField()
    is_withdrawn = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("offer of help")
        verbose_name_plural = _("offers of help")
        indexes = [models.Index(fields=["kind", "expires_on"], name="aid_offer_match")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.city})"


class OfferContact(models.Model):
    """A handler asked an offerer, through the platform, whether their offer can help
    with a case. The offerer sees only the question (no case details) and answers."""

    class Answer(models.TextChoices):
        ASKED = "asked", _("Asked")
        YES = "yes", _("Yes, I can help")
        NO = "no", _("No, not this time")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offer_contacts")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="contacts")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the handler asks (dates, how many people): no names, no case text.
    question = models.CharField(max_length=300)
    answer = models.CharField(max_length=6, choices=Answer.choices, default=Answer.ASKED)
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "offer"], name="aid_one_contact_per_offer")
        ]

    def __str__(self) -> str:
        return f"{self.case} / {self.offer}"
