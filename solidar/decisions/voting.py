"""Votes and elections: create, open (the roll is fixed), cast, close and count.

**Who may vote** is fixed when a vote opens: the ``Elector`` rows. For a cell, working group
or the network: its active members whose current membership began at least the body's
cooling-off period before (default 14 days), so a batch of new accounts cannot swing a
vote. For an event's assembly: its delegates with their weights, or, when it has none, the
registered participants with an account who have been active members of some collective
for the cooling-off period.

**Casting** is one transaction: a ``Participation`` row says that the person has voted (a
unique constraint allows one), the ``Ballot`` is written, and last the vote's row is
updated (its ballot counter; this waits for a close in progress and refuses once the vote
has closed, which rolls the two rows back). A
secret ballot carries no voter and no time and has a random key, so the order of casting
is not kept either. Each ballot gets a receipt code, shown once to the voter and, after
the vote closes, published with the ballot's choices.

**Counting** happens when the vote closes (``close``); ``counting.py`` holds the methods and
their exact rules. Ties are broken by an order of the options derived from ``tie_seed``,
drawn when the vote opens and shown from then on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solidar.core import audit
from solidar.decisions import counting
from solidar.decisions.models import (
    Amendment,
    Ballot,
    Body,
    Delegate,
    Elector,
    Option,
    Participation,
    Proposal,
    Vote,
)
from solidar.decisions.services import DecisionError

logger = logging.getLogger(__name__)

M = Vote.Method
ANSWERS = {
    M.YES_NO: ("yes", "no", "abstain"),
    M.CONSENT: ("consent", "object", "abstain"),
}
REASON_LIMIT = 2_000
OPTION_LIMIT = 100
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
RECEIPT_LENGTH = 12


class VotingError(DecisionError):
    pass


# -- creating ---------------------------------------------------------------------------------
def create_vote(
    body: Body,
    *,
    by,
    title: str,
    method: str,
    closes_at: datetime,
    description: str = "",
    options: list[str] | None = None,
    candidates: list | None = None,
    seats: int = 1,
    threshold: str = Vote.Threshold.SIMPLE,
    quorum: int = 0,
    secret: bool = True,
    proposal: Proposal | None = None,
    amendment: Amendment | None = None,
    now: datetime | None = None,
) -> Vote:
    """A vote, not yet open. ``options`` are labels; ``candidates`` users (an election)."""
    now = now or timezone.now()
    title = " ".join((title or "").split())
    if not title:
        raise VotingError(_("Give the vote a title."))
    if method not in M.values:
        raise VotingError(_("Choose a voting method."))
    if threshold not in Vote.Threshold.values:
        raise VotingError(_("Choose the majority needed."))
    if not 0 <= quorum <= 100:
        raise VotingError(_("The quorum is a percentage between 0 and 100."))
    if closes_at <= now:
        raise VotingError(_("The closing time must be in the future."))
    labels = [(" ".join(str(label).split()), None) for label in options or []]
    labels += [(str(user), user) for user in candidates or []]
    labels = [(label[:200], user) for label, user in labels if label]
    if method in Vote.OPTION_METHODS:
        if len(labels) < 2:
            raise VotingError(_("A choice needs at least two options."))
        if len(labels) > OPTION_LIMIT:
            raise VotingError(_("At most %(limit)d options.") % {"limit": OPTION_LIMIT})
        if len({label.casefold() for label, _user in labels}) != len(labels):
            raise VotingError(_("Two options have the same name."))
        if not 1 <= seats < len(labels):
            raise VotingError(_("There must be fewer seats than candidates."))
    else:
        labels, seats = [], 1
    with transaction.atomic():
        vote = Vote.objects.create(
            body=body,
            proposal=proposal,
            amendment=amendment,
            title=title[:200],
            description=(description or "").strip(),
            method=method,
            threshold=threshold,
            quorum=quorum,
            seats=seats,
            secret=secret,
            closes_at=closes_at,
            created_by=by,
            created_at=now,
        )
        Option.objects.bulk_create(
            Option(vote=vote, position=i, label=label, candidate=user)
            for i, (label, user) in enumerate(labels, start=1)
        )
        audit.record(by, "decisions.vote_created", vote, method=method, secret=secret)
    return vote


# -- the roll ---------------------------------------------------------------------------------
def _long_standing_members(cutoff: datetime, collective=None):
    from solidar.network.models import Membership

    members = Membership.objects.filter(
        ended_at__isnull=True,
        status=Membership.Status.ACTIVE,
        joined_at__lte=cutoff,
        user__is_active=True,
    )
    if collective is not None:
        members = members.filter(collective=collective)
    return members.values_list("user_id", flat=True)


def electorate(body: Body, at: datetime | None = None) -> dict[int, int]:
    """Who may vote if a vote of ``body`` opened at ``at``: {user id: weight}."""
    at = at or timezone.now()
    cutoff = at - timedelta(days=body.cooling_off_days)
    if not body.is_assembly:
        return dict.fromkeys(_long_standing_members(cutoff, body.collective), 1)
    standing = set(_long_standing_members(cutoff))
    delegates = dict(Delegate.objects.filter(body=body).values_list("user_id", "weight"))
    if delegates:
        return {uid: weight for uid, weight in delegates.items() if uid in standing}
    from solidar.events.models import Registration

    registered = Registration.objects.filter(
        event_id=body.event_id, user__isnull=False, status=Registration.Status.REGISTERED
    ).values_list("user_id", flat=True)
    return {uid: 1 for uid in registered if uid in standing}


def open_vote(vote: Vote, *, by=None, now: datetime | None = None) -> int:
    """Open the vote and fix its roll. Returns the number of electors."""
    now = now or timezone.now()
    given = vote
    with transaction.atomic():
        vote = Vote.objects.select_for_update().select_related("body").get(pk=vote.pk)
        if vote.status != Vote.Status.DRAFT:
            raise VotingError(_("This vote has already been opened."))
        if vote.closes_at <= now:
            raise VotingError(_("The closing time must be in the future."))
        roll = electorate(vote.body, now)
        if not roll:
            days = vote.body.cooling_off_days
            raise VotingError(
                ngettext(
                    "No one may vote yet: only members who joined at least %(days)d day ago "
                    "can vote here.",
                    "No one may vote yet: only members who joined at least %(days)d days ago "
                    "can vote here.",
                    days,
                )
                % {"days": days}
            )
        Elector.objects.bulk_create(
            (Elector(vote=vote, user_id=uid, weight=weight) for uid, weight in roll.items()),
            batch_size=500,
        )
        vote.status = Vote.Status.OPEN
        vote.opens_at = now
        vote.tie_seed = secrets.token_hex(32)
        vote.electorate_count = len(roll)
        vote.electorate_weight = sum(roll.values())
        vote.save(
            update_fields=[
                "status",
                "opens_at",
                "tie_seed",
                "electorate_count",
                "electorate_weight",
            ]
        )
        audit.record(by, "decisions.vote_opened", vote, electorate=len(roll))
        from solidar.decisions import tasks

        transaction.on_commit(lambda: tasks.tell_vote_opened.enqueue(vote.pk))
    given.refresh_from_db()
    return len(roll)


def may_vote(vote: Vote, user) -> bool:
    """On the roll, the vote open and not yet voted."""
    if not vote.is_open or vote.closes_at <= timezone.now():
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Elector.objects.filter(vote=vote, user_id=user.pk).exists()
        and not Participation.objects.filter(vote=vote, user_id=user.pk).exists()
    )


def is_elector(vote: Vote, user) -> bool:
    return Elector.objects.filter(vote=vote, user_id=getattr(user, "pk", None)).exists()


def has_voted(vote: Vote, user) -> bool:
    return Participation.objects.filter(vote=vote, user_id=getattr(user, "pk", None)).exists()


# -- casting ----------------------------------------------------------------------------------
def clean_ranking(vote: Vote, ranks: Mapping[int, int | None]) -> list[int]:
    """Option ids by rank from {option id: rank or None}. Ranks must run 1, 2, 3... with no
    number twice and no gap; unranked options come after all ranked ones."""
    option_ids = set(vote.options.values_list("pk", flat=True))
    if set(ranks) - option_ids:
        raise VotingError(_("This ballot names an option that is not on it."))
    given = {oid: rank for oid, rank in ranks.items() if rank not in (None, "")}
    if not given:
        raise VotingError(_("Rank at least one option: 1 for your first choice."))
    try:
        numbers = {oid: int(rank) for oid, rank in given.items()}
    except (TypeError, ValueError):
        raise VotingError(_("Ranks are whole numbers: 1, 2, 3 and so on.")) from None
    values = sorted(numbers.values())
    if len(set(values)) != len(values):
        raise VotingError(_("Two options have the same rank. Give each rank only once."))
    if values != list(range(1, len(values) + 1)):
        raise VotingError(
            _("The ranks have a gap: number your choices 1, 2, 3 and so on without skipping.")
        )
    return [oid for oid, _rank in sorted(numbers.items(), key=lambda item: item[1])]


def clean_choice(vote: Vote, choice, reason: str = "") -> tuple[object, str]:
    """The ballot's choice as stored, or a VotingError saying what is wrong with it."""
    reason = (reason or "").strip()
    if vote.method in ANSWERS:
        if choice not in ANSWERS[vote.method]:
            raise VotingError(_("Choose one of the answers."))
        if vote.method == M.CONSENT and choice == "object":
            if not reason:
                raise VotingError(_("An objection needs a reason: say what you object to."))
            if len(reason) > REASON_LIMIT:
                raise VotingError(
                    _("The reason is too long: at most %(limit)d characters.")
                    % {"limit": REASON_LIMIT}
                )
            return choice, reason
        return choice, ""
    if vote.method == M.APPROVAL:
        option_ids = set(vote.options.values_list("pk", flat=True))
        try:
            approved = [int(oid) for oid in choice or []]
        except (TypeError, ValueError):
            raise VotingError(_("This ballot names an option that is not on it.")) from None
        if len(set(approved)) != len(approved) or set(approved) - option_ids:
            raise VotingError(_("This ballot names an option that is not on it."))
        return sorted(approved), ""
    ranking = clean_ranking(vote, choice or {})
    if vote.method == M.SCHULZE:
        return [[oid] for oid in ranking], ""
    return ranking, ""


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def format_receipt(receipt: str) -> str:
    return "-".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def normalise_receipt(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def cast(vote: Vote, user, choice, *, reason: str = "", now: datetime | None = None) -> str:
    """Record ``user``'s ballot; returns its receipt code. Refused (and nothing written) when
    the vote is not open, the person is not on the roll or has voted already, or the choice
    is not valid for the method."""
    now = now or timezone.now()
    if not vote.is_open or vote.closes_at <= now:
        raise VotingError(_("This vote is closed: ballots are no longer accepted."))
    weight = (
        Elector.objects.filter(vote=vote, user_id=user.pk).values_list("weight", flat=True).first()
    )
    if weight is None:
        raise VotingError(_("You are not on the roll of this vote."))
    choice, reason = clean_choice(vote, choice, reason)
    receipt = new_receipt()
    try:
        with transaction.atomic():
            Participation.objects.create(vote_id=vote.pk, user_id=user.pk)
            Ballot.objects.create(
                vote_id=vote.pk,
                receipt=receipt,
                choice=choice,
                reason=reason,
                weight=weight,
                voter=None if vote.secret else user,
            )
            # Last, so the vote's row is locked only for the commit: casts on one vote
            # wait for each other that long, and a close in progress is waited for (then
            # nothing is counted: the rows above roll back).
            counted = Vote.objects.filter(
                pk=vote.pk, status=Vote.Status.OPEN, closes_at__gt=now
            ).update(ballot_count=F("ballot_count") + 1)
            if not counted:
                raise VotingError(_("This vote is closed: ballots are no longer accepted."))
    except IntegrityError:
        raise VotingError(_("You have already voted. Each person votes once.")) from None
    return receipt


# -- closing and counting ---------------------------------------------------------------------
def tie_order(vote: Vote, option_ids: list[int]) -> list[int]:
    """The options in the order that breaks ties, first favoured first: by SHA-256 of the
    vote's seed and the option's id. Anyone can recompute it from the published seed."""

    def key(oid: int) -> str:
        return hashlib.sha256(f"{vote.tie_seed}:{oid}".encode()).hexdigest()

    return sorted(option_ids, key=key)


def count(vote: Vote) -> dict:
    """Count the vote's ballots (as they are now) into the result stored when it closes."""
    ballots = list(vote.ballots.values_list("choice", "weight", "reason"))
    cast_weight = sum(weight for _choice, weight, _reason in ballots)
    electorate_weight = vote.electorate_weight or 0
    quorum_met = 100 * cast_weight >= vote.quorum * electorate_weight
    result = {
        "method": vote.method,
        "ballots": len(ballots),
        "weight": cast_weight,
        "electorate": vote.electorate_count,
        "electorate_weight": electorate_weight,
        "quorum": vote.quorum,
        "quorum_met": quorum_met,
        "tie_seed": vote.tie_seed,
    }
    if vote.method in (M.YES_NO, M.CONSENT):
        totals = dict.fromkeys(ANSWERS[vote.method], 0)
        for choice, weight, _reason in ballots:
            totals[choice] += weight
        result["totals"] = totals
        if vote.method == M.YES_NO:
            outcome = counting.yes_no(
                totals["yes"],
                totals["no"],
                totals["abstain"],
                threshold=vote.threshold,
                quorum=vote.quorum,
                electorate=electorate_weight,
            )
        else:
            outcome = counting.consent(objections=totals["object"], ballots=len(ballots))
            result["objections"] = sorted(
                reason for choice, _weight, reason in ballots if choice == "object"
            )
        detail = outcome.to_json()
        result["detail"] = detail
        result["passed"] = bool(detail.get("passed")) and quorum_met
        return result
    option_ids = list(vote.options.values_list("pk", flat=True))
    order = tie_order(vote, option_ids)
    if vote.method == M.APPROVAL:
        outcome = counting.approval(
            option_ids,
            ((tuple(choice), weight) for choice, weight, _r in ballots),
            seats=vote.seats,
            tie_order=order,
        )
    elif vote.method == M.SCHULZE:
        outcome = counting.schulze(
            option_ids,
            ((tuple(tuple(group) for group in choice), weight) for choice, weight, _r in ballots),
            tie_order=order,
        )
    else:
        outcome = counting.stv(
            option_ids,
            ((tuple(choice), weight) for choice, weight, _r in ballots),
            seats=vote.seats,
            tie_order=order,
        )
    detail = outcome.to_json()
    result["detail"] = detail
    result["tie_order"] = order
    winners = list(winners_of(vote.method, detail, vote.seats))
    result["winners"] = winners if quorum_met and ballots else []
    result["passed"] = bool(result["winners"])
    return result


def winners_of(method: str, detail: dict, seats: int) -> list[int]:
    """The elected or chosen option ids from a count's detail."""
    if method == M.SCHULZE:
        return list(detail["ranking"][:seats])
    return list(detail["winners"] if method == M.APPROVAL else detail["elected"])


def close(vote: Vote, *, by=None, now: datetime | None = None, early: bool = False) -> bool:
    """Close an open vote and count it; then what follows (an amendment adopted, the
    proposal's main vote opened, a resolution). ``early``: a coordinator closing before the
    closing time, allowed only once everyone on the roll has voted. False if not open."""
    now = now or timezone.now()
    given = vote
    with transaction.atomic():
        vote = Vote.objects.select_for_update().select_related("body").get(pk=vote.pk)
        if vote.status != Vote.Status.OPEN:
            return False
        if vote.closes_at > now:
            if not early:
                return False
            if vote.ballot_count < vote.electorate_count:
                raise VotingError(
                    _("The vote can close early only once everyone on the roll has voted.")
                )
        vote.status = Vote.Status.CLOSED
        vote.closed_at = now
        if vote.secret:
            _shuffle_ballots(vote)
        vote.result = count(vote)
        vote.save(update_fields=["status", "closed_at", "result"])
        audit.record(by, "decisions.vote_closed", vote, ballots=vote.result["ballots"])
        _after_close(vote, by=by, now=now)
    given.refresh_from_db()
    return True


def _shuffle_ballots(vote: Vote) -> None:
    """Write the ballots again in a random order. Rows are stored in the order they were
    inserted (SQLite's rowid, PostgreSQL's heap), and so are the ``Participation`` rows: a
    copy of the database files could pair the n-th ballot with the n-th voter. After the
    close the stored order says nothing. (The old row versions stay in PostgreSQL's heap
    until it is vacuumed: docs/security.md.)"""
    ballots = list(vote.ballots.all())
    secrets.SystemRandom().shuffle(ballots)
    vote.ballots.all().delete()
    Ballot.objects.bulk_create(ballots, batch_size=1000)


def _after_close(vote: Vote, *, by, now: datetime) -> None:
    passed = bool(vote.result.get("passed"))
    if vote.amendment_id:
        Amendment.objects.filter(pk=vote.amendment_id).update(
            status=Amendment.Status.ADOPTED if passed else Amendment.Status.REJECTED,
            decided_at=now,
        )
        _continue_proposal(vote.proposal, by=by, now=now)
    elif vote.proposal_id:
        proposal = Proposal.objects.select_for_update().get(pk=vote.proposal_id)
        proposal.status = Proposal.Status.ADOPTED if passed else Proposal.Status.REJECTED
        proposal.decided_at = now
        proposal.save(update_fields=["status", "decided_at"])
        if passed:
            from solidar.decisions import resolutions

            resolutions.from_proposal(proposal, vote, now=now)
    from solidar.decisions import tasks

    transaction.on_commit(lambda: tasks.tell_vote_closed.enqueue(vote.pk))


def _continue_proposal(proposal: Proposal, *, by, now: datetime) -> None:
    """When the proposal's last amendment vote has closed: merge the adopted amendments
    into the text and open the vote on the text."""
    from solidar.decisions import services

    still_open = Vote.objects.filter(
        proposal=proposal, amendment__isnull=False, status=Vote.Status.OPEN
    ).exists()
    if still_open:
        return
    proposal = Proposal.objects.select_for_update().select_related("body").get(pk=proposal.pk)
    services.merge_adopted_amendments(proposal, now=now)
    main = Vote.objects.filter(
        proposal=proposal, amendment__isnull=True, status=Vote.Status.DRAFT
    ).first()
    if main is None:
        return
    if main.closes_at <= now:
        main.closes_at = now + timedelta(days=proposal.body.voting_days)
        main.save(update_fields=["closes_at"])
    main.description = proposal.text
    main.save(update_fields=["description"])
    try:
        with transaction.atomic():
            open_vote(main, by=by, now=now)
    except VotingError:
        logger.warning("decisions: the main vote %s could not open", main.pk)


def start_voting(
    proposal: Proposal,
    *,
    by,
    method: str = M.YES_NO,
    threshold: str = Vote.Threshold.SIMPLE,
    quorum: int = 0,
    secret: bool = True,
    closes_at: datetime,
    amendments_close_at: datetime | None = None,
    now: datetime | None = None,
) -> list[Vote]:
    """End the discussion: the proposed amendments are voted first (yes or no each, until
    ``amendments_close_at``), then the text as amended (``method``, until ``closes_at``).
    Returns the votes opened now."""
    now = now or timezone.now()
    if method not in (M.YES_NO, M.CONSENT):
        raise VotingError(_("A proposal is decided by yes or no, or by consent."))
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("body").get(pk=proposal.pk)
        if proposal.status != Proposal.Status.DISCUSSION:
            raise VotingError(_("Voting can start only at the end of the discussion."))
        amendments = list(proposal.amendments.filter(status=Amendment.Status.PROPOSED))
        if amendments and (amendments_close_at is None or amendments_close_at >= closes_at):
            raise VotingError(
                _("The amendments are voted first: their vote must close before the main vote.")
            )
        opened = []
        for amendment in amendments:
            vote = create_vote(
                proposal.body,
                by=by,
                title=str(_("Amendment %(number)s: %(title)s"))
                % {"number": amendment.number, "title": proposal.title},
                description=amendment.text,
                method=M.YES_NO,
                threshold=Vote.Threshold.SIMPLE,
                quorum=quorum,
                secret=secret,
                closes_at=amendments_close_at,
                proposal=proposal,
                amendment=amendment,
                now=now,
            )
            open_vote(vote, by=by, now=now)
            opened.append(vote)
        main = create_vote(
            proposal.body,
            by=by,
            title=proposal.title,
            description=proposal.text,
            method=method,
            threshold=threshold,
            quorum=quorum,
            secret=secret,
            closes_at=closes_at,
            proposal=proposal,
            now=now,
        )
        if not amendments:
            open_vote(main, by=by, now=now)
            opened.append(main)
        proposal.status = Proposal.Status.VOTING
        proposal.save(update_fields=["status"])
        audit.record(by, "decisions.voting_started", proposal, amendments=len(amendments))
    return opened


def cancel(vote: Vote, *, by) -> None:
    """Withdraw a vote that has not opened yet."""
    with transaction.atomic():
        locked = Vote.objects.select_for_update().get(pk=vote.pk)
        if locked.status != Vote.Status.DRAFT:
            raise VotingError(_("Only a vote that has not opened can be cancelled."))
        locked.status = Vote.Status.CANCELLED
        locked.save(update_fields=["status"])
        audit.record(by, "decisions.vote_cancelled", locked)


def close_due(now: datetime | None = None) -> int:
    """Close every open vote past its closing time (the periodic job)."""
    now = now or timezone.now()
    closed = 0
    for vote in Vote.objects.filter(status=Vote.Status.OPEN, closes_at__lte=now).order_by(
        "closes_at"
    ):
        closed += close(vote, now=now)
    return closed


# -- checking ---------------------------------------------------------------------------------
def find_receipt(vote: Vote, text: str) -> Ballot | None:
    """The published ballot with this receipt, once the vote is closed."""
    receipt = normalise_receipt(text)
    if not vote.is_closed or len(receipt) != RECEIPT_LENGTH:
        return None
    return vote.ballots.filter(receipt=receipt).first()


def recount(vote: Vote) -> bool:
    """Count the published ballots again: True when the result is the one announced."""
    return vote.is_closed and json.loads(json.dumps(count(vote))) == vote.result


def open_votes_for(user) -> list[Vote]:
    """Open votes ``user`` is on the roll of and has not voted in, closing soonest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Vote.objects.filter(status=Vote.Status.OPEN, electors__user_id=user.pk)
        .exclude(Q(participations__user_id=user.pk))
        .select_related("body__collective", "body__event")
        .order_by("closes_at", "pk")
    )
