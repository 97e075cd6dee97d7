"""Seed the network benchmark's database: 200 cells, one of them with 5,000 members.

Run by bench/network.py with the server's environment, after seed_demo:

    python bench/_network_seed.py

Rows are written through the models with bulk_create (the services would take minutes for
5,000 members): users, memberships with their "joined" events, shared contact handles
(encrypted, as the field always does), pending applications. Member counts are set the way
the services keep them. The demo member "lena" joins the big cell and three others.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidar.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from solidar.network.models import (  # noqa: E402
    Application,
    Collective,
    Membership,
    MembershipEvent,
    SharedContact,
)

CELLS = 200
BIG_MEMBERS = 5000
SMALL_MEMBERS = 12  # members of each other cell, drawn from the same people
LOGIN = "lena"
BIG_SLUG = "bench-big"
BATCH = 500

User = get_user_model()
UNUSABLE = make_password(None)


def seed() -> None:
    rng = random.Random(3)  # the same data every run
    now = timezone.now()
    lena = User.objects.get(username=LOGIN)

    # Nobody signs in as them: an unusable password, and no 5,000 slow hashes.
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench{i:05d}",
                email=f"bench{i:05d}@example.org",
                display_name=f"Member {i:05d}",
                password=UNUSABLE,
            )
            for i in range(BIG_MEMBERS)
        ],
        batch_size=BATCH,
    )
    if users[0].pk is None:  # backends that do not return primary keys
        users = list(User.objects.filter(username__startswith="bench").order_by("username"))

    cells = Collective.objects.bulk_create(
        [
            Collective(
                slug=BIG_SLUG if i == 0 else f"bench-cell-{i:03d}",
                kind=Collective.Kind.CELL,
                name="Big cell" if i == 0 else f"Cell {i:03d}",
                description="A cell of the benchmark.",
                meeting_note="Weekly",
                city=f"City {i:03d}",
                country="DE",
                latitude=Decimal(f"{rng.uniform(35, 60):.4f}"),
                longitude=Decimal(f"{rng.uniform(-10, 80):.4f}"),
                languages=["ru", "de"],
            )
            for i in range(CELLS)
        ],
        batch_size=BATCH,
    )
    cells = list(Collective.objects.filter(slug__startswith="bench-").order_by("slug"))
    big = next(c for c in cells if c.slug == BIG_SLUG)
    others = [c for c in cells if c is not big]

    memberships = []
    for n, user in enumerate(users):
        role = Membership.Role.COORDINATOR if n < 5 else Membership.Role.MEMBER
        joined = now - timedelta(days=rng.randint(1, 1500))
        memberships.append(Membership(collective=big, user=user, role=role, joined_at=joined))
    for cell in others:
        for n, user in enumerate(rng.sample(users, SMALL_MEMBERS)):
            role = Membership.Role.COORDINATOR if n == 0 else Membership.Role.MEMBER
            memberships.append(Membership(collective=cell, user=user, role=role, joined_at=now))
    for cell in [big, *others[:3]]:
        memberships.append(Membership(collective=cell, user=lena, joined_at=now))
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    memberships = list(
        Membership.objects.filter(collective__slug__startswith="bench-").order_by("pk")
    )
    MembershipEvent.objects.bulk_create(
        [
            MembershipEvent(
                membership=m, kind=MembershipEvent.Kind.JOINED, role=m.role, at=m.joined_at
            )
            for m in memberships
        ],
        batch_size=BATCH,
    )
    # One member in five shares a handle with the big cell, a few share two.
    contacts = []
    for m in memberships:
        if m.collective_id != big.pk or rng.random() > 0.2:
            continue
        contacts.append(
            SharedContact(membership=m, kind=SharedContact.Kind.SIGNAL, handle=f"@m{m.pk}.01")
        )
        if rng.random() < 0.25:
            contacts.append(
                SharedContact(
                    membership=m, kind=SharedContact.Kind.MATRIX, handle=f"@m{m.pk}:example.org"
                )
            )
    SharedContact.objects.bulk_create(contacts, batch_size=BATCH)

    counts = {}
    for m in memberships:
        counts[m.collective_id] = counts.get(m.collective_id, 0) + 1
    for cell in cells:
        cell.member_count = counts.get(cell.pk, 0)
    Collective.objects.bulk_update(cells, ["member_count"], batch_size=BATCH)

    # Applications waiting in the big cell: they show on every member's dashboard.
    applicants = User.objects.bulk_create(
        [
            User(
                username=f"applicant{i:02d}",
                email=f"applicant{i:02d}@example.org",
                display_name=f"Applicant {i:02d}",
                password=UNUSABLE,
            )
            for i in range(20)
        ]
    )
    applicants = list(User.objects.filter(username__startswith="applicant").order_by("pk"))
    Application.objects.bulk_create(
        [
            Application(
                collective=big,
                applicant=a,
                motivation="I want to help.",
                languages=["ru"],
                referral="A friend.",
            )
            for a in applicants
        ]
    )
    print(
        f"seeded {len(cells)} cells, {len(users)} users, {len(memberships)} memberships, "
        f"{len(contacts)} shared handles; {LOGIN} is in {BIG_SLUG} ({counts[big.pk]} members)"
    )


if __name__ == "__main__":
    with transaction.atomic():
        seed()
