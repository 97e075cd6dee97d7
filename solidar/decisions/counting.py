"""Counting votes: the published rules, exactly as the code applies them.

Pure functions with no database access: they take the ballots (or the summed weights) and
return a result that says how it was reached. The same ballots and the same tie order always
give the same result, and every result converts to plain JSON (``to_json``) and back
(``from_json``), so a count can be stored with the resolution and checked by anyone.

General rules
=============

* Options and candidates are identified by integers (option ids).
* Every ballot has a weight: a positive integer (1 for an ordinary member; a delegate may
  carry more, e.g. the size of their cell). A ballot of weight *w* counts exactly like *w*
  identical ballots of weight 1.
* **Tie order.** When a vote opens, the application derives from a published SHA-256 seed an
  ordering of all options, from the one favoured first to the one favoured last (the
  ``tie_order``). Where these rules say "by tie order", the option earlier in that ordering
  wins the tie (is elected, ranked higher, kept in the count); the one later in it loses (is
  excluded, ranked lower). Because the seed is published before anyone votes, nobody can
  choose the outcome of a tie after seeing the ballots. Every result says whether the tie
  order had to be used (``ties_broken``) and lists each tie and how it was resolved
  (``tie_breaks``: the options tied, the option(s) chosen, and the method: ``"tie_order"``,
  or for STV also ``"history"``).

Yes/no vote (``yes_no``)
========================

The weights of yes, no and abstain ballots are summed by the caller. With
``cast = yes + no + abstain``:

* **Quorum.** ``quorum`` is a whole percentage 0-100 of the electorate's total weight that
  must cast a ballot; abstentions count towards the quorum. It is met when
  ``100 * cast >= quorum * electorate``. A quorum of 0 is always met.
* **Threshold**, with integer arithmetic only:

  - ``"simple"``: more yes than no (``yes > no``); abstentions do not count. A tie fails.
  - ``"absolute"``: yes is more than half of all ballots cast, abstentions included
    (``2 * yes > yes + no + abstain``).
  - ``"two_thirds"``: yes is at least two thirds of the yes and no ballots
    (``3 * yes >= 2 * (yes + no)``) and there is at least one yes; abstentions do not count.

* The motion **passes** when the quorum is met and the threshold is met. A tie never needs
  the tie order: a motion that does not reach its threshold fails and the status quo stands.

Approval vote (``approval``)
============================

Each ballot approves any number of options. An option's total is the sum of the weights of
the ballots approving it. The options are ranked by total, highest first, equal totals by tie
order; the first ``seats`` options are the winners. The tie order decided the outcome
(``ties_broken``) when the last winner and the first option not chosen have the same total.

Ranked vote, Schulze method (``schulze``)
=========================================

A ballot ranks options in groups of equally ranked options, best first; options a ballot does
not mention are ranked equal to each other and below every option it mentions.

1. ``d[a][b]`` is the total weight of the ballots that rank *a* above *b*.
2. The link a→b has strength ``d[a][b]`` if ``d[a][b] > d[b][a]`` and 0 otherwise ("winning
   votes"). ``p[a][b]``, the strength of the strongest path from *a* to *b*, is the largest,
   over all paths a→…→b, of the weakest link on the path (computed with the Floyd-Warshall
   widest-path algorithm; ``p[a][a]`` is 0).
3. *a* beats *b* when ``p[a][b] > p[b][a]``. This relation is transitive (Schulze 2011).
   The **Schulze winners** are the options that no option beats. There is always at least
   one; when there are several, the winner is the first of them in tie order.
4. The **ranking** is built one place at a time: among the options not yet placed, take those
   that no other unplaced option beats, and place the first of them in tie order. The tie
   order was used (``ties_broken``) when at some place more than one option qualified.

Single transferable vote (``stv``)
==================================

The rules of the Scottish Local Government Elections Order 2007 (SSI 2007/42, schedule 1,
rules 45-51), with weights. All values are kept as integers in units of 0.00001 of a vote
(a ballot of weight 1 starts with the value 100000): every division truncates, as rule 48(3)
requires ("to five decimal places, any remainder being ignored").

1. **Quota** (Droop): ``floor(total value of valid ballots / (seats + 1)) + 1`` votes, where
   the total value is the sum of the ballots' weights.
2. **First stage.** Each ballot is credited to its first preference at its full weight.
3. After every stage, every continuing candidate whose value is equal to or greater than the
   quota is **elected** (in order of value, highest first; equal values by the rule in 7).
4. **Last vacancies.** Whenever the number of continuing candidates equals the number of
   vacancies left, they are all elected and the count ends; no further transfer is made.
   The count also ends when every seat is filled.
5. **Surplus.** If an elected candidate's value exceeds the quota and their surplus has not
   yet been transferred, the largest such surplus is transferred (Weighted Inclusive Gregory
   Method): *every* ballot the candidate holds, including those received at earlier
   transfers, passes to the next preference on it for a continuing candidate, with the new
   value ``floor(surplus * value of the ballot when received / candidate's total value)``
   per unit of weight. A ballot with no further preference for a continuing candidate is
   set aside as non-transferable, at its new value. The value lost to truncation is recorded
   separately. The elected candidate keeps the quota.
6. **Exclusion.** When no surplus is left to transfer and vacancies remain, the continuing
   candidate with the lowest value is excluded and all their ballots pass, at their current
   value, to the next preference for a continuing candidate (or are set aside as
   non-transferable).
7. **Ties** (which surplus first, which candidate to exclude, the order of candidates elected
   at the same stage): the candidates' values at the most recent earlier stage at which
   they were unequal decide (for a surplus the highest goes first, for an exclusion the
   lowest goes out; with three or more tied, the comparison narrows to those still tied and
   goes further back). If they were equal at every stage, the tie order decides ("by lot").
8. Every stage is recorded: what happened (first preferences, surplus of X transferred, X
   excluded, remaining candidates elected), who was elected, every remaining candidate's
   value, the cumulative non-transferable value and the cumulative value lost to truncation.

Not applied: rule 51(2)'s shortcut for the last vacancy (a candidate who already has more than
all the others together is deemed elected); continuing the count elects the same candidate.
The caller rejects empty ballots and ballots naming a candidate twice before counting.

Consent (``consent``)
=====================

A proposal by consent passes unless at least one objection is raised.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from itertools import compress

SCALE = 100_000  # STV values are integers in units of 1/SCALE of a vote (five decimal places)

THRESHOLDS = ("simple", "absolute", "two_thirds")

TIE_ORDER = "tie_order"  # a tie resolved by the published tie order ("by lot")
HISTORY = "history"  # an STV tie resolved by the values at an earlier stage


def format_value(value: int) -> str:
    """An STV value (in units of 1/SCALE) as a decimal with five places: 123456 -> "1.23456"."""
    whole, frac = divmod(value, SCALE)
    return f"{whole}.{frac:05d}"


# --- Results --------------------------------------------------------------------------------


def _plain(value):
    """Tuples and nested dataclasses as JSON-ready lists and dicts."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(value, "to_json"):
        return value.to_json()
    return value


class _JSON:
    def to_json(self) -> dict:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


def _tuples(value):
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


@dataclass(frozen=True)
class TieBreak(_JSON):
    """One tie: ``tied`` options were equal for ``kind`` and ``chosen`` were picked by
    ``method`` (TIE_ORDER or HISTORY). ``stage``: the STV stage after which it arose (0
    elsewhere)."""

    kind: str
    tied: tuple[int, ...]
    chosen: tuple[int, ...]
    method: str = TIE_ORDER
    stage: int = 0

    @classmethod
    def from_json(cls, data: dict) -> TieBreak:
        return cls(**{k: _tuples(v) for k, v in data.items()})


def _ties_from_json(items: list) -> tuple[TieBreak, ...]:
    return tuple(TieBreak.from_json(t) for t in items)


@dataclass(frozen=True)
class YesNoResult(_JSON):
    yes: int
    no: int
    abstain: int
    electorate: int
    threshold: str
    quorum: int
    cast: int
    quorum_met: bool
    threshold_met: bool
    passed: bool

    @classmethod
    def from_json(cls, data: dict) -> YesNoResult:
        return cls(**data)


@dataclass(frozen=True)
class ConsentResult(_JSON):
    objections: int
    ballots: int
    passed: bool

    @classmethod
    def from_json(cls, data: dict) -> ConsentResult:
        return cls(**data)


@dataclass(frozen=True)
class ApprovalResult(_JSON):
    """``totals``: (option, total weight) in the order of ``options``; ``ranking``: every
    option, best first; ``winners``: the first ``seats`` of the ranking."""

    options: tuple[int, ...]
    seats: int
    totals: tuple[tuple[int, int], ...]
    ranking: tuple[int, ...]
    winners: tuple[int, ...]
    ties_broken: bool = False
    tie_breaks: tuple[TieBreak, ...] = ()

    @classmethod
    def from_json(cls, data: dict) -> ApprovalResult:
        data = {k: _tuples(v) for k, v in data.items()}
        return cls(**{**data, "tie_breaks": _ties_from_json(data["tie_breaks"])})


@dataclass(frozen=True)
class SchulzeResult(_JSON):
    """``d`` and ``p`` are square matrices in the order of ``options``: ``d[i][j]`` is the
    weight preferring ``options[i]`` to ``options[j]``, ``p[i][j]`` the strength of the
    strongest path. ``winners``: the Schulze winners (in tie order); ``winner``: the first
    of them; ``ranking``: every option, best first."""

    options: tuple[int, ...]
    ballots: int
    d: tuple[tuple[int, ...], ...]
    p: tuple[tuple[int, ...], ...]
    winners: tuple[int, ...]
    winner: int
    ranking: tuple[int, ...]
    ties_broken: bool = False
    tie_breaks: tuple[TieBreak, ...] = ()

    @classmethod
    def from_json(cls, data: dict) -> SchulzeResult:
        data = {k: _tuples(v) for k, v in data.items()}
        return cls(**{**data, "tie_breaks": _ties_from_json(data["tie_breaks"])})


# Stage actions
FIRST_PREFERENCES = "first_preferences"
SURPLUS = "surplus"
EXCLUSION = "exclusion"
LAST_VACANCIES = "last_vacancies"


@dataclass(frozen=True)
class Stage(_JSON):
    """One stage of an STV count. ``candidate``: whose surplus was transferred or who was
    excluded (0 otherwise); ``transferred``: the value that moved to continuing candidates;
    ``elected``: elected at this stage; ``values``: (candidate, value) at the end of the stage
    for every candidate not excluded, in candidate order; ``non_transferable`` and
    ``rounding_loss`` are cumulative. Values are in units of 1/SCALE."""

    number: int
    action: str
    candidate: int
    transferred: int
    elected: tuple[int, ...]
    excluded: tuple[int, ...]
    values: tuple[tuple[int, int], ...]
    non_transferable: int
    rounding_loss: int

    @classmethod
    def from_json(cls, data: dict) -> Stage:
        return cls(**{k: _tuples(v) for k, v in data.items()})


@dataclass(frozen=True)
class STVResult(_JSON):
    """``elected`` in the order of election; ``quota`` and ``total`` in units of 1/SCALE."""

    candidates: tuple[int, ...]
    seats: int
    ballots: int
    total: int
    quota: int
    elected: tuple[int, ...]
    stages: tuple[Stage, ...] = field(default=())
    ties_broken: bool = False
    tie_breaks: tuple[TieBreak, ...] = ()

    @classmethod
    def from_json(cls, data: dict) -> STVResult:
        plain = {k: _tuples(v) for k, v in data.items() if k not in ("stages", "tie_breaks")}
        return cls(
            **plain,
            stages=tuple(Stage.from_json(s) for s in data["stages"]),
            tie_breaks=_ties_from_json(data["tie_breaks"]),
        )


# --- Checks ---------------------------------------------------------------------------------


def _tie_rank(options: Sequence[int], tie_order: Sequence[int]) -> dict[int, int]:
    """Each option's place in the tie order (0 = favoured first); the tie order must list
    every option exactly once."""
    if len(set(options)) != len(options):
        raise ValueError("an option is listed twice")
    if sorted(tie_order) != sorted(options):
        raise ValueError("the tie order must list every option exactly once")
    return {option: i for i, option in enumerate(tie_order)}


def _check_weight(weight: int) -> None:
    if type(weight) is not int or weight < 1:
        raise ValueError(f"a ballot weight must be a positive integer, not {weight!r}")


def _check_count(name: str, value: int) -> None:
    if type(value) is not int or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, not {value!r}")


def _check_seats(seats: int, n_options: int) -> None:
    if type(seats) is not int or not 1 <= seats <= n_options:
        raise ValueError(f"seats must be between 1 and {n_options}, not {seats!r}")


# --- Yes/no and consent ---------------------------------------------------------------------


def yes_no(
    yes: int, no: int, abstain: int, *, threshold: str, quorum: int, electorate: int
) -> YesNoResult:
    """A yes/no vote on summed weights. ``threshold``: "simple" (yes > no), "absolute"
    (2*yes > yes+no+abstain) or "two_thirds" (3*yes >= 2*(yes+no) and yes > 0).
    ``quorum``: whole percent (0-100) of ``electorate`` (total weight of those entitled to
    vote) that must cast a ballot, abstentions included: met when
    100*(yes+no+abstain) >= quorum*electorate. Passes when quorum and threshold are met."""
    for name, value in (("yes", yes), ("no", no), ("abstain", abstain), ("electorate", electorate)):
        _check_count(name, value)
    if type(quorum) is not int or not 0 <= quorum <= 100:
        raise ValueError(f"quorum must be a whole percentage 0-100, not {quorum!r}")
    cast = yes + no + abstain
    if cast > electorate:
        raise ValueError(f"{cast} cast is more than the electorate of {electorate}")
    if threshold == "simple":
        threshold_met = yes > no
    elif threshold == "absolute":
        threshold_met = 2 * yes > cast
    elif threshold == "two_thirds":
        threshold_met = yes > 0 and 3 * yes >= 2 * (yes + no)
    else:
        raise ValueError(f"unknown threshold {threshold!r}; one of {', '.join(THRESHOLDS)}")
    quorum_met = 100 * cast >= quorum * electorate
    return YesNoResult(
        yes=yes,
        no=no,
        abstain=abstain,
        electorate=electorate,
        threshold=threshold,
        quorum=quorum,
        cast=cast,
        quorum_met=quorum_met,
        threshold_met=threshold_met,
        passed=quorum_met and threshold_met,
    )


def consent(objections: int, ballots: int) -> ConsentResult:
    """Consent: passes unless at least one objection was raised."""
    _check_count("objections", objections)
    _check_count("ballots", ballots)
    if objections > ballots:
        raise ValueError("more objections than ballots")
    return ConsentResult(objections=objections, ballots=ballots, passed=objections == 0)


# --- Approval -------------------------------------------------------------------------------


def approval(
    options: Sequence[int],
    ballots: Iterable[tuple[Iterable[int], int]],
    *,
    seats: int,
    tie_order: Sequence[int],
) -> ApprovalResult:
    """Approval vote: totals per option, the ``seats`` highest win, equal totals by tie
    order."""
    options = tuple(options)
    rank = _tie_rank(options, tie_order)
    _check_seats(seats, len(options))
    grouped: Counter[frozenset[int]] = Counter()
    for approved, weight in ballots:
        _check_weight(weight)
        grouped[frozenset(approved)] += weight
    totals = dict.fromkeys(options, 0)
    for approved, weight in grouped.items():
        for option in approved:
            if option not in totals:
                raise ValueError(f"a ballot approves {option!r}, which is not an option")
            totals[option] += weight
    ranking = tuple(sorted(options, key=lambda o: (-totals[o], rank[o])))
    winners = ranking[:seats]
    tie_breaks: tuple[TieBreak, ...] = ()
    if seats < len(options) and totals[ranking[seats - 1]] == totals[ranking[seats]]:
        level = totals[ranking[seats]]
        tied = tuple(o for o in ranking if totals[o] == level)
        tie_breaks = (
            TieBreak(kind="seat", tied=tied, chosen=tuple(o for o in tied if o in winners)),
        )
    return ApprovalResult(
        options=options,
        seats=seats,
        totals=tuple((o, totals[o]) for o in options),
        ranking=ranking,
        winners=winners,
        ties_broken=bool(tie_breaks),
        tie_breaks=tie_breaks,
    )


# --- Schulze --------------------------------------------------------------------------------


def _normalise_ranking(ranking, known: frozenset[int]) -> tuple[tuple[int, ...], ...]:
    """The ranking with each group sorted and empty groups dropped; refuses options that are
    not on the ballot paper and options ranked twice."""
    groups = tuple(tuple(sorted(group)) if len(group) > 1 else tuple(group) for group in ranking)
    flat = [option for group in groups for option in group]
    mentioned = set(flat)
    if len(mentioned) != len(flat):
        raise ValueError(f"a ballot ranks an option twice: {ranking!r}")
    if not mentioned <= known:
        raise ValueError(f"a ballot ranks {sorted(mentioned - known)!r}, which is not an option")
    return tuple(group for group in groups if group)


def schulze(
    options: Sequence[int],
    ballots: Iterable[tuple[Sequence[Iterable[int]], int]],
    *,
    tie_order: Sequence[int],
) -> SchulzeResult:
    """Schulze method (winning votes). A ranking is a sequence of groups of equally ranked
    options, best first; unmentioned options rank equal below all mentioned ones."""
    options = tuple(options)
    rank = _tie_rank(options, tie_order)
    n = len(options)
    index = {option: i for i, option in enumerate(options)}

    # Identical rankings are counted once with their summed weight.
    grouped: Counter = Counter()
    n_ballots = 0
    for ranking, weight in ballots:
        _check_weight(weight)
        grouped[tuple(tuple(g) for g in ranking)] += weight
        n_ballots += 1
    known = frozenset(options)
    distinct: Counter = Counter()
    for ranking, weight in grouped.items():
        distinct[_normalise_ranking(ranking, known)] += weight

    # place[a][r]: the group number of option a on distinct ranking r (n when unmentioned);
    # d[a][b] sums the weights of the rankings where a's place is before b's.
    weights = list(distinct.values())
    place = [[n] * len(weights) for _ in range(n)]
    for r, ranking in enumerate(distinct):
        for g, group in enumerate(ranking):
            for option in group:
                place[index[option]][r] = g
    d = [[0] * n for _ in range(n)]
    for a in range(n):
        for b in range(a + 1, n):
            d[a][b] = sum(compress(weights, map(operator.lt, place[a], place[b])))
            d[b][a] = sum(compress(weights, map(operator.gt, place[a], place[b])))

    # Strongest paths (widest path by Floyd-Warshall) over the winning-votes links.
    p = [[d[a][b] if d[a][b] > d[b][a] else 0 for b in range(n)] for a in range(n)]
    for i in range(n):
        p_i = p[i]
        for j in range(n):
            if j == i:
                continue
            p_ji = p[j][i]
            if not p_ji:
                continue
            p_j = p[j]
            for k in range(n):
                if k != i and k != j:
                    via = p_ji if p_ji < p_i[k] else p_i[k]
                    if via > p_j[k]:
                        p_j[k] = via

    beats = [[p[a][b] > p[b][a] for b in range(n)] for a in range(n)]
    winners = tuple(
        sorted(
            (options[a] for a in range(n) if not any(beats[b][a] for b in range(n))),
            key=rank.__getitem__,
        )
    )
    ranking: list[int] = []
    tie_breaks: list[TieBreak] = []
    left = set(range(n))
    while left:
        unbeaten = sorted(
            (a for a in left if not any(beats[b][a] for b in left)),
            key=lambda a: rank[options[a]],
        )
        if len(unbeaten) > 1:
            tie_breaks.append(
                TieBreak(
                    kind="winner" if not ranking else f"place {len(ranking) + 1}",
                    tied=tuple(options[a] for a in unbeaten),
                    chosen=(options[unbeaten[0]],),
                )
            )
        ranking.append(options[unbeaten[0]])
        left.remove(unbeaten[0])
    return SchulzeResult(
        options=options,
        ballots=n_ballots,
        d=tuple(tuple(row) for row in d),
        p=tuple(tuple(row) for row in p),
        winners=winners,
        winner=ranking[0],
        ranking=tuple(ranking),
        ties_broken=bool(tie_breaks),
        tie_breaks=tuple(tie_breaks),
    )


# --- STV ------------------------------------------------------------------------------------


class _Count:
    """The state of one STV count (see the module docstring for the rules)."""

    def __init__(self, candidates, rank, seats, parcels, quota):
        self.candidates = candidates
        self.rank = rank
        self.seats = seats
        self.quota = quota
        self.continuing = set(candidates)
        self.elected: list[int] = []
        self.excluded: list[int] = []
        self.surplus_pending: list[int] = []  # elected, surplus not yet transferred
        self.parcels: dict[int, list] = {c: [] for c in candidates}
        self.value = dict.fromkeys(candidates, 0)
        self.non_transferable = 0
        self.rounding_loss = 0
        self.history: list[dict[int, int]] = []  # values at the end of each stage
        self.stages: list[Stage] = []
        self.tie_breaks: list[TieBreak] = []
        for ranking, weight in parcels:
            self._give(ranking, weight, SCALE, 0)

    def _give(self, ranking, weight, value, pos) -> bool:
        """Credit a parcel to the first continuing candidate at or after ``pos``."""
        continuing = self.continuing
        for i in range(pos, len(ranking)):
            candidate = ranking[i]
            if candidate in continuing:
                self.parcels[candidate].append((ranking, weight, value, i))
                self.value[candidate] += weight * value
                return True
        self.non_transferable += weight * value
        return False

    def _pick(self, tied: list[int], *, kind: str, highest: bool, record: bool = True) -> int:
        """Resolve a tie by the most recent earlier stage at which the tied candidates' values
        differed, then by tie order. ``record``: whether the tie can change the outcome (the
        order of candidates elected at the same stage cannot)."""
        if len(tied) == 1:
            return tied[0]
        stage = len(self.history)
        left = list(tied)
        # history[-1] holds the current values, at which they are tied.
        for values in reversed(self.history[:-1]):
            best = (max if highest else min)(values[c] for c in left)
            left = [c for c in left if values[c] == best]
            if len(left) == 1:
                if record:
                    self.tie_breaks.append(
                        TieBreak(kind, tuple(sorted(tied)), (left[0],), HISTORY, stage)
                    )
                return left[0]
        left.sort(key=self.rank.__getitem__)
        chosen = left[0] if highest else left[-1]
        if record:
            self.tie_breaks.append(TieBreak(kind, tuple(sorted(tied)), (chosen,), TIE_ORDER, stage))
        return chosen

    def _by_value(self, group) -> list[int]:
        """``group`` highest value first; equal values by rule 7 (not recorded as a tie:
        the order of election at one stage changes nothing)."""
        ordered: list[int] = []
        left = list(group)
        while left:
            top = max(self.value[c] for c in left)
            chosen = self._pick(
                sorted(c for c in left if self.value[c] == top),
                kind="elect",
                highest=True,
                record=False,
            )
            ordered.append(chosen)
            left.remove(chosen)
        return ordered

    def _end_stage(self, action, candidate=0, transferred=0) -> None:
        """Close a stage: remember the values, elect who reached the quota (rule 3) or, for
        the last vacancies, everyone continuing (rule 4), and record the stage."""
        self.history.append({c: self.value[c] for c in self.candidates if c not in self.excluded})
        if action == LAST_VACANCIES:
            newly = self._by_value(self.continuing)
        elif len(self.elected) < self.seats:
            newly = self._by_value(c for c in self.continuing if self.value[c] >= self.quota)
        else:
            newly = []
        for c in newly:
            self.continuing.discard(c)
            self.elected.append(c)
            self.surplus_pending.append(c)
        self.stages.append(
            Stage(
                number=len(self.stages) + 1,
                action=action,
                candidate=candidate,
                transferred=transferred,
                elected=tuple(newly),
                excluded=(candidate,) if action == EXCLUSION else (),
                values=tuple((c, self.value[c]) for c in self.candidates if c not in self.excluded),
                non_transferable=self.non_transferable,
                rounding_loss=self.rounding_loss,
            )
        )

    def _transfer(self, candidate: int, surplus: int | None) -> int:
        """Pass on all of ``candidate``'s ballots: at a reduced value (surplus) or at their
        value (exclusion). Returns the value credited to continuing candidates."""
        parcels, self.parcels[candidate] = self.parcels[candidate], []
        total = self.value[candidate]
        moved = 0
        passed = 0
        for ranking, weight, value, pos in parcels:
            new_value = surplus * value // total if surplus is not None else value
            passed += weight * new_value
            if self._give(ranking, weight, new_value, pos + 1):
                moved += weight * new_value
        if surplus is not None:
            self.rounding_loss += surplus - passed
            self.value[candidate] = total - surplus
        else:
            self.value[candidate] = 0
        return moved

    def run(self) -> None:
        self._end_stage(FIRST_PREFERENCES)
        while len(self.elected) < self.seats:
            if len(self.continuing) <= self.seats - len(self.elected):
                self._end_stage(LAST_VACANCIES)
                break
            with_surplus = [c for c in self.surplus_pending if self.value[c] > self.quota]
            if with_surplus:
                top = max(self.value[c] for c in with_surplus)
                candidate = self._pick(
                    sorted(c for c in with_surplus if self.value[c] == top),
                    kind="surplus",
                    highest=True,
                )
                self.surplus_pending.remove(candidate)
                moved = self._transfer(candidate, self.value[candidate] - self.quota)
                self._end_stage(SURPLUS, candidate, moved)
                continue
            lowest = min(self.value[c] for c in self.continuing)
            candidate = self._pick(
                sorted(c for c in self.continuing if self.value[c] == lowest),
                kind="exclude",
                highest=False,
            )
            self.continuing.discard(candidate)
            self.excluded.append(candidate)
            moved = self._transfer(candidate, None)
            self._end_stage(EXCLUSION, candidate, moved)


def stv(
    candidates: Sequence[int],
    ballots: Iterable[tuple[Sequence[int], int]],
    *,
    seats: int,
    tie_order: Sequence[int],
) -> STVResult:
    """Single transferable vote by the Scottish 2007 rules (see the module docstring).
    A ranking is a sequence of candidate ids, first preference first."""
    candidates = tuple(candidates)
    rank = _tie_rank(candidates, tie_order)
    _check_seats(seats, len(candidates))
    grouped: Counter[tuple[int, ...]] = Counter()
    n_ballots = 0
    for ranking, weight in ballots:
        _check_weight(weight)
        grouped[tuple(ranking)] += weight
        n_ballots += 1
    known = set(candidates)
    for ranking in grouped:
        if not ranking:
            raise ValueError("an empty ballot cannot be counted")
        if len(set(ranking)) != len(ranking):
            raise ValueError(f"a ballot ranks a candidate twice: {ranking!r}")
        if not known.issuperset(ranking):
            raise ValueError(f"a ballot ranks an unknown candidate: {ranking!r}")
    total_weight = sum(grouped.values())
    quota = (total_weight // (seats + 1) + 1) * SCALE
    count = _Count(candidates, rank, seats, grouped.items(), quota)
    count.run()
    return STVResult(
        candidates=candidates,
        seats=seats,
        ballots=n_ballots,
        total=total_weight * SCALE,
        quota=quota,
        elected=tuple(count.elected),
        stages=tuple(count.stages),
        ties_broken=any(t.method == TIE_ORDER for t in count.tie_breaks),
        tie_breaks=tuple(count.tie_breaks),
    )
