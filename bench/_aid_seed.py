"""Seed the mutual-aid benchmark and measure the key costs.

Run by bench/aid.py with the server's environment, after seed_demo:

    python bench/_aid_seed.py            # 10,000 cases for the intake team (JSON summary)
    python bench/_aid_seed.py costs      # argon2id and sealing costs, as JSON

Seed: BENCH_AID_CASES (10,000) cases for the aid team that receives the intake, written
with bulk_create: each request really sealed to the team's key and to a requester key of
its own (so the rows are as large as real ones), kinds, countries, urgencies, ages over a
year and statuses mixed like a busy team's (a third closed), a tenth assigned to the
demo coordinator, two messages on every fifth case. The codename hashes are random: no
codename is derived here (argon2id for 10,000 of them would take minutes and change
nothing the benchmark measures).

Costs (with the server's settings, i.e. the production defaults): deriving a codename,
unlocking the team's keys with the demo coordinator's passphrase, sealing a request.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidar.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from solidar.accounts.models import User  # noqa: E402
from solidar.aid import codenames, team  # noqa: E402
from solidar.aid import keys as aidkeys  # noqa: E402
from solidar.aid.models import (  # noqa: E402
    URGENCY_RANK,
    AidTeam,
    Case,
    Entry,
    Handler,
    Kind,
    Urgency,
)

CASES = int(os.environ.get("BENCH_AID_CASES", "10000"))
BATCH = 1000
COUNTRIES = ["RU", "BY", "UA", "KZ", "KG", "UZ", "TJ", "GE", "AM", "AZ", "TR", "RS", "DE"]
STATUSES = [
    (Case.Status.NEW, 12),
    (Case.Status.TRIAGED, 13),
    (Case.Status.IN_PROGRESS, 30),
    (Case.Status.WAITING, 12),
    (Case.Status.CLOSED, 33),
]
COORDINATOR = "olga"


def intake_team() -> AidTeam:
    found = AidTeam.objects.filter(receives_intake=True).select_related("collective").first()
    if found is None:
        raise SystemExit("no aid team receives the intake: run seed_demo first")
    return found


def request_text(rng: random.Random, index: int) -> dict:
    return {
        "situation": (
            f"Bench request {index}. They came to my workplace twice this month and asked "
            "my colleagues about me. My passport is still valid for two years. " * 3
        ),
        "needs": "A safe route out, a place to stay for the first weeks, legal advice. " * 2,
        "contact_method": rng.choice(["signal", "matrix", "telegram", "email", "site"]),
        "contact": f"@bench-contact-{index}",
    }


def seed() -> dict:
    rng = random.Random(7)
    aid_team = intake_team()
    key = aidkeys.current_key(aid_team)
    coordinator = User.objects.filter(username=COORDINATOR).first()
    now = timezone.now()
    statuses = [s for s, weight in STATUSES for _ in range(weight)]
    started = time.monotonic()
    created = entries = 0
    with transaction.atomic():
        first = AidTeam.objects.select_for_update().get(pk=aid_team.pk).next_number
        AidTeam.objects.filter(pk=aid_team.pk).update(next_number=F("next_number") + CASES)
    for offset in range(0, CASES, BATCH):
        batch, messages = [], []
        for index in range(offset, min(CASES, offset + BATCH)):
            request = request_text(rng, index)
            requester = aidkeys.new_private_key()
            urgency = rng.choice(list(Urgency))
            status = rng.choice(statuses)
            created_at = now - timedelta(minutes=rng.randrange(1, 365 * 24 * 60))
            replied = status != Case.Status.NEW and rng.random() < 0.9
            reply_at = created_at + timedelta(hours=rng.randint(1, 72)) if replied else None
            case = Case(
                team=aid_team,
                number=first + index,
                kind=rng.choice(list(Kind)),
                country=rng.choice(COUNTRIES),
                urgency=urgency,
                urgency_rank=URGENCY_RANK[urgency],
                languages=rng.sample(["ru", "uk", "be", "kk", "en", "de"], k=rng.randint(1, 3)),
                status=status,
                outcome=rng.choice(list(Case.Outcome)) if status == Case.Status.CLOSED else "",
                assignee=coordinator if coordinator and rng.random() < 0.1 else None,
                key_version=key.version,
                sealed_request=aidkeys.seal_json(key.public_key, request),
                requester_copy=aidkeys.seal_json(bytes(requester.public_key), request),
                requester_public_key=bytes(requester.public_key),
                codename_hash=secrets.token_hex(32),
                created_at=created_at,
                first_reply_at=reply_at,
                requester_active_at=created_at,
                closed_at=now - timedelta(days=rng.randint(0, 80))
                if status == Case.Status.CLOSED
                else None,
                updated_at=created_at,
            )
            batch.append(case)
            if index % 5 == 0:
                for kind, text in (
                    (Entry.Kind.FROM_REQUESTER, "Are you there? I am still in the same place."),
                    (Entry.Kind.TO_REQUESTER, "We have read your request and are on it."),
                ):
                    messages.append(
                        Entry(
                            case=case,
                            kind=kind,
                            key_version=key.version,
                            sealed=aidkeys.seal_json(key.public_key, {"text": text}),
                            requester_copy=aidkeys.seal_json(
                                bytes(requester.public_key), {"text": text}
                            ),
                            created_at=created_at + timedelta(hours=1),
                        )
                    )
        with transaction.atomic():
            Case.objects.bulk_create(batch)
            Entry.objects.bulk_create(messages)
        created += len(batch)
        entries += len(messages)
    return {
        "team": aid_team.collective.slug,
        "cases": created,
        "entries": entries,
        "seconds": round(time.monotonic() - started, 1),
        "open": Case.objects.filter(team=aid_team).exclude(status=Case.Status.CLOSED).count(),
    }


def _median_ms(action, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def costs(passphrase: str) -> dict:
    from django.conf import settings

    aid_team = intake_team()
    handler = Handler.objects.get(team=aid_team, user__username=COORDINATOR)
    key = aidkeys.current_key(aid_team)
    codename = codenames.generate()
    request = request_text(random.Random(1), 0)
    return {
        "codename_ms": _median_ms(lambda: codenames.derive(codename)),
        "codename_settings": [
            settings.SOLIDAR_AID_CODENAME_OPSLIMIT,
            settings.SOLIDAR_AID_CODENAME_MEMLIMIT >> 20,
        ],
        "unlock_ms": _median_ms(lambda: team.unlock(handler, passphrase), runs=5),
        "unlock_settings": [handler.kdf_opslimit, handler.kdf_memlimit >> 20],
        "seal_ms": _median_ms(lambda: aidkeys.seal_json(key.public_key, request), runs=50),
    }


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "seed"
    if command == "seed":
        print(json.dumps(seed()))
    elif command == "costs":
        print(json.dumps(costs(sys.argv[2])))
    else:
        raise SystemExit(f"unknown command {command!r}")
