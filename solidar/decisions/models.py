"""Democratic decisions: proposals, amendments, votes and elections, ballots, resolutions.

Every decision belongs to a **body**: a cell, a working group, the whole network (each a
``Collective``) or an event's assembly. The body holds its rules (supporters needed,
cooling-off period, default periods) and, for an assembly, its delegates and their weights.

A **proposal** goes draft -> seeking support -> discussion -> voting -> adopted or rejected
(or withdrawn by its authors before voting). Its text is a list of paragraphs, one decision
each; **amendments** replace a paragraph or add one, and are voted before the main text.

A **vote** is one question (a proposal's text, an amendment) or an election or choice
between options. Who may vote is fixed when it opens (the ``Elector`` roll). A secret
ballot row carries no voter and no timestamp and its key is random; that a person has
voted is a separate ``Participation`` row written in the same transaction, and the
database allows one per voter. Each ballot has a receipt code, listed with its choices
after the vote closes.

Only ``services.py`` (and ``voting.py``, ``resolutions.py``) write these tables; who may
see and do what is decided in ``rules.py``; ``counting.py`` counts.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Body(models.Model):
    """Who decides: a collective (cell, working group, the network) or an event's assembly."""

    collective = models.OneToOneField(
        "network.Collective",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decision_body",
    )
    event = models.OneToOneField(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decision_body",
    )
    supporters_needed = models.PositiveSmallIntegerField(
        _("supporters a proposal needs before discussion"), default=2
    )
    cooling_off_days = models.PositiveSmallIntegerField(
        _("days of membership before one may vote"), default=14
    )
    discussion_days = models.PositiveSmallIntegerField(_("days of discussion"), default=14)
    voting_days = models.PositiveSmallIntegerField(_("days of voting"), default=7)
    next_resolution = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("deciding body")
        verbose_name_plural = _("deciding bodies")
        constraints = [
            models.CheckConstraint(
                condition=(Q(collective__isnull=False) & Q(event__isnull=True))
                | (Q(collective__isnull=True) & Q(event__isnull=False)),
                name="decisions_body_one_scope",
            )
        ]

    def __str__(self) -> str:
        if self.event_id:
            return str(_("Assembly of %(event)s") % {"event": self.event.title})
        return self.collective.name

    @property
    def is_assembly(self) -> bool:
        return self.event_id is not None

    @property
    def collective_in_charge(self):
        """The collective whose coordinators run this body: its own, an event's organiser,
        or for an event the network organises as a whole, the network's."""
        if not self.event_id:
            return self.collective
        if self.event.organiser_id:
            return self.event.organiser
        if "_network" not in self.__dict__:
            from solidar.network.models import Collective

            self._network = (
                Collective.objects.filter(kind=Collective.Kind.NETWORK, is_active=True)
                .order_by("pk")
                .first()
            )
        return self._network


class Delegate(models.Model):
    """An assembly's voting delegate and the weight of their vote (e.g. by cell size)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="delegates")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "user"], name="decisions_one_delegate_row")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.weight})"


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUPPORT = "support", _("Seeking support")
        DISCUSSION = "discussion", _("In discussion")
        VOTING = "voting", _("Voting")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("title"), max_length=200)
    # Markdown; paragraphs (separated by a blank line) are the numbered decisions.
    text = models.TextField(_("text"))
    rationale = models.TextField(_("rationale"), blank=True)
    language = models.CharField(_("language of the text"), max_length=8, default="en")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(default=1)
    supporters_needed = models.PositiveSmallIntegerField(default=0)
    support_count = models.PositiveIntegerField(default=0)
    next_amendment = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    discussion_ends_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["body", "status"], name="decisions_proposal_body")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open_for_support(self) -> bool:
        return self.status == self.Status.SUPPORT

    @property
    def is_in_discussion(self) -> bool:
        return self.status == self.Status.DISCUSSION

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.ADOPTED, self.Status.REJECTED, self.Status.WITHDRAWN)


class Author(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="authors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="decisions_one_author_row")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.proposal_id}"


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="decisions_one_support")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.proposal_id}"


class ProposalVersion(models.Model):
    """The text as it was: version 1 as submitted, a new one after amendments are merged."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("number",)
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="decisions_one_version")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} v{self.number}"


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")
        indexes = [models.Index(fields=["proposal", "created_at"], name="decisions_comments")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.proposal_id}"


class Amendment(models.Model):
    class Kind(models.TextChoices):
        REPLACE = "replace", _("Replace a paragraph")
        ADD = "add", _("Add a paragraph")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # REPLACE: the paragraph replaced (1-based); ADD: the new paragraph goes after this one
    # (0: before the first). Of the version the amendment was written against.
    paragraph = models.PositiveSmallIntegerField(_("paragraph"))
    text = models.TextField(_("new text"))
    rationale = models.TextField(_("rationale"), blank=True)
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("number",)
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="decisions_amendment_no")
        ]

    def __str__(self) -> str:
        return str(_("Amendment %(number)s") % {"number": self.number})


class Vote(models.Model):
    class Method(models.TextChoices):
        YES_NO = "yes_no", _("Yes, no or abstain")
        APPROVAL = "approval", _("Approval voting")
        SCHULZE = "schulze", _("Ranked choice (Schulze method)")
        STV = "stv", _("Election by single transferable vote")
        CONSENT = "consent", _("Consent")

    class Threshold(models.TextChoices):
        SIMPLE = "simple", _("Simple majority (more yes than no)")
        ABSOLUTE = "absolute", _("Absolute majority (more than half of all ballots)")
        TWO_THIRDS = "two_thirds", _("Two thirds of yes and no")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet open")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    OPTION_METHODS = (Method.APPROVAL, Method.SCHULZE, Method.STV)

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="votes")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="votes"
    )
    amendment = models.OneToOneField(
        Amendment, on_delete=models.CASCADE, null=True, blank=True, related_name="vote"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    method = models.CharField(_("voting method"), max_length=10, choices=Method.choices)
    threshold = models.CharField(
        _("majority needed"), max_length=10, choices=Threshold.choices, default=Threshold.SIMPLE
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum (percent of the electorate)"),
        default=0,
        help_text=_("The share of those who may vote that must cast a ballot for it to count."),
    )
    seats = models.PositiveSmallIntegerField(_("seats or winners"), default=1)
    secret = models.BooleanField(_("secret ballot"), default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"))
    closed_at = models.DateTimeField(null=True, blank=True)
    # Fixed when the vote opens and shown from then on: ties are broken by an order of the
    # options derived from it, so nobody can choose a tie's outcome after the ballots are in.
    tie_seed = models.CharField(max_length=64, blank=True)
    electorate_count = models.PositiveIntegerField(default=0)
    electorate_weight = models.PositiveIntegerField(default=0)
    ballot_count = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=["body", "status"], name="decisions_vote_body"),
            models.Index(fields=["status", "closes_at"], name="decisions_vote_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def has_options(self) -> bool:
        return self.method in self.OPTION_METHODS


class Option(models.Model):
    """A choice or a candidate of an election (votes with options only)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(_("option"), max_length=200)
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.label


class Elector(models.Model):
    """One person who may vote, fixed when the vote opened, with their vote's weight."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="electors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "user"], name="decisions_one_elector_row")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.vote_id}"


class Participation(models.Model):
    """That ``user`` has voted in ``vote``: no time, and nothing that leads to the ballot.
    Written in the transaction that writes the ballot; the constraint allows one."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "user"], name="decisions_one_ballot_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} voted in {self.vote_id}"


class Ballot(models.Model):
    """A cast ballot. Secret: no voter, no time, and a random key (no order of casting).

    ``choice`` by method: yes_no "yes" | "no" | "abstain"; consent "consent" | "object"
    (with ``reason``) | "abstain"; approval a list of option ids; schulze a list of groups
    of option ids, best first (unranked options share the last place); stv a list of
    option ids, first preference first."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    receipt = models.CharField(max_length=16)
    choice = models.JSONField()
    reason = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(default=1)
    # Open ballots only; always empty for a secret one.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "receipt"], name="decisions_unique_receipt")
        ]

    def __str__(self) -> str:
        return f"ballot {self.receipt}"


class Resolution(models.Model):
    """What a body decided: numbered decisions, the body and the date, the vote record.
    Versioned (``ResolutionVersion``) and translatable (``ResolutionTranslation``)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="resolutions")
    proposal = models.OneToOneField(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="resolution"
    )
    vote = models.ForeignKey(
        Vote, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    number = models.CharField(_("number"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    preamble = models.TextField(_("preamble"), blank=True)
    decisions = models.JSONField(_("decisions"), default=list)
    adopted_by = models.CharField(_("adopted by"), max_length=200)
    adopted_on = models.DateField(_("adopted on"))
    language = models.CharField(_("language of the text"), max_length=8, default="en")
    version = models.PositiveSmallIntegerField(default=1)
    published_page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-adopted_on", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="decisions_resolution_no")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ResolutionVersion(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    preamble = models.TextField(blank=True)
    decisions = models.JSONField(default=list)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("number",)
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "number"], name="decisions_one_resolution_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resolution_id} v{self.number}"


class ResolutionTranslation(models.Model):
    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=200)
    preamble = models.TextField(_("preamble"), blank=True)
    decisions = models.JSONField(_("decisions"), default=list)
    # The version of the original it translates: older than the resolution's means outdated.
    version = models.PositiveSmallIntegerField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("language",)
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "language"], name="decisions_one_translation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resolution_id} ({self.language})"
