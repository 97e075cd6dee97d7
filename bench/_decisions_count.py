"""The counting half of the decisions benchmark: solidar/decisions/counting.py against the
reference implementations the tests use (votelib for Schulze, stvpoll for Scottish STV), on
the same seeded ballots in the same run.

    from _decisions_count import count_phase
    numbers = count_phase()

Ballots: 10,000 for Schulze over 10 options (complete rankings, with a few equal ranks) and
10,000 for STV over 40 candidates for 9 seats (1-12 preferences each). Candidates differ in
popularity so the counts look like real ones (clear leaders, a long tail, surpluses and
exclusions). Each count is timed best of BENCH_COUNT_REPEAT (3); the reference STV count is
slow, so it runs BENCH_COUNT_REF_REPEAT (1) times. Run alone: ``.venv/bin/python
bench/_decisions_count.py`` prints the numbers.

Targets (issue 8): each of our counts <= 1 s.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections import Counter
from decimal import ROUND_DOWN, Decimal

BALLOTS = int(os.environ.get("BENCH_COUNT_BALLOTS", "10000"))
REPEAT = int(os.environ.get("BENCH_COUNT_REPEAT", "3"))
REF_REPEAT = int(os.environ.get("BENCH_COUNT_REF_REPEAT", "1"))
SCHULZE_OPTIONS = 10
STV_CANDIDATES = 40
STV_SEATS = 9
SEED = 8
TARGET_S = 1.0


def _weighted_order(rng: random.Random, popularity: list[float], k: int) -> list[int]:
    """k distinct options, more popular ones likelier to come first (Efraimidis-Spirakis)."""
    keys = sorted(range(len(popularity)), key=lambda i: rng.random() ** (1 / popularity[i]))
    return keys[::-1][:k]


def schulze_ballots(rng: random.Random) -> list[tuple[tuple[tuple[int, ...], ...], int]]:
    popularity = [rng.uniform(0.5, 3) for _ in range(SCHULZE_OPTIONS)]
    ballots = []
    for _ in range(BALLOTS):
        order = _weighted_order(rng, popularity, SCHULZE_OPTIONS)
        groups: list[list[int]] = []
        for option in order:
            if groups and rng.random() < 0.05:  # now and then two options ranked equal
                groups[-1].append(option + 1)
            else:
                groups.append([option + 1])
        ballots.append((tuple(tuple(g) for g in groups), 1))
    return ballots


def stv_ballots(rng: random.Random) -> list[tuple[tuple[int, ...], int]]:
    popularity = [rng.paretovariate(1.5) for _ in range(STV_CANDIDATES)]
    return [
        (tuple(c + 1 for c in _weighted_order(rng, popularity, rng.randint(1, 12))), 1)
        for _ in range(BALLOTS)
    ]


def _best(fn, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


@contextlib.contextmanager
def _stvpoll_truncating():
    """stvpoll rounds a ballot's value to five places; rule 48(3) truncates. Its
    PreferenceBallot takes the rounding function: truncation while we count."""
    from stvpoll.abcs import PreferenceBallot

    saved = PreferenceBallot.__init__.__defaults__
    PreferenceBallot.__init__.__defaults__ = (
        lambda v: v.quantize(Decimal("0.00001"), rounding=ROUND_DOWN),
    )
    try:
        yield
    finally:
        PreferenceBallot.__init__.__defaults__ = saved


def count_phase() -> dict:
    from stvpoll.scottish_stv import calculate_scottish_stv
    from stvpoll.types import CandidateStatus, SelectionMethod
    from votelib.convert import RankedToCondorcetVotes
    from votelib.evaluate.condorcet import Schulze, pairwise_wins

    from solidar.decisions.counting import schulze, stv

    rng = random.Random(SEED)

    # Schulze over 10 options.
    options = list(range(1, SCHULZE_OPTIONS + 1))
    tie_order = rng.sample(options, len(options))
    ballots = schulze_ballots(rng)
    schulze_s, ours = _best(lambda: schulze(options, ballots, tie_order=tie_order), REPEAT)

    def reference_schulze():
        votes = Counter()
        for groups, weight in ballots:
            votes[tuple(g[0] if len(g) == 1 else frozenset(g) for g in groups)] += weight
        counts = RankedToCondorcetVotes(unranked_at_bottom=True).convert(dict(votes))
        paths = Schulze.widest_paths(counts)
        return set(options) - {loser for _w, loser in pairwise_wins(paths)}

    schulze_ref_s, ref_winners = _best(reference_schulze, REPEAT)
    schulze_agree = set(ours.winners) == ref_winners

    # STV, 40 candidates, 9 seats.
    candidates = list(range(1, STV_CANDIDATES + 1))
    stv_tie_order = rng.sample(candidates, len(candidates))
    ballots_stv = stv_ballots(rng)
    stv_s, ours_stv = _best(
        lambda: stv(candidates, ballots_stv, seats=STV_SEATS, tie_order=stv_tie_order), REPEAT
    )

    def reference_stv():
        grouped = Counter()
        for ranking, weight in ballots_stv:
            grouped[ranking] += weight
        with _stvpoll_truncating():
            return calculate_scottish_stv(
                stv_tie_order, list(grouped.items()), STV_SEATS, random_shuffle=False
            )

    stv_ref_s, ref_stv = _best(reference_stv, REF_REPEAT)
    # stvpoll lets a surplus pass to a candidate elected at the same stage (rule 48(2) does
    # not): where that happened, a different elected set is not a disagreement on the rule.
    ref_multi = any(
        len(r.selected) > 1
        and r.status == CandidateStatus.Elected
        and r.selection_method == SelectionMethod.Direct
        for r in ref_stv.rounds
    )
    stv_agree = set(ours_stv.elected) == set(ref_stv)

    return {
        "ballots": BALLOTS,
        "schulze_options": SCHULZE_OPTIONS,
        "schulze_s": round(schulze_s, 4),
        "schulze_ref_s": round(schulze_ref_s, 4),
        "schulze_ratio": round(schulze_ref_s / schulze_s, 1),
        "schulze_winners": sorted(ours.winners),
        "schulze_agree": schulze_agree,
        "stv_candidates": STV_CANDIDATES,
        "stv_seats": STV_SEATS,
        "stv_stages": len(ours_stv.stages),
        "stv_s": round(stv_s, 4),
        "stv_ref_s": round(stv_ref_s, 4),
        "stv_ratio": round(stv_ref_s / stv_s, 1),
        "stv_elected": sorted(ours_stv.elected),
        "stv_agree": stv_agree,
        "stv_ref_elected_several_at_once": ref_multi,
        "ties_broken": ours.ties_broken or ours_stv.ties_broken,
    }


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    print(json.dumps(count_phase(), indent=2))
