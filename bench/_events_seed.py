"""Seed the events benchmark's database, or report on the registration race.

Run by bench/events.py with the server's environment, after seed_demo:

    python bench/_events_seed.py          # seed; writes $SOLIDAR_DATA_DIR/bench-events.json
    python bench/_events_seed.py check    # the race event's counts, as JSON

Events, their programme and questions are made through the services, like the UI makes
them. The 2,000 registrations of the measured forum are written with bulk_create through
the models (the services would take minutes): members of Köln and guests, Latin and
Cyrillic names, answers to the four standard questions (sealed, as the field always does),
1,900 registered and 100 on the waiting list; the event's counters are set the way the
services keep them. The demo member "lena" then registers through the service (she joins
the waiting list).

For the registration race: an event with 200 places and 400 members who have not
registered, each with a signed-in session (made like Django's test client's force_login:
the bench cannot type 400 passwords), whose keys go to the JSON file.
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import datetime, timedelta
from importlib import import_module
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidar.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import auth  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from solidar.events import services  # noqa: E402
from solidar.events.models import Event, Question, Registration, fold_name  # noqa: E402
from solidar.network.models import Collective, Membership  # noqa: E402

FORUM_TITLE = "Bench forum of the exiled left"
RACE_TITLE = "Bench registration race"
REGISTERED, WAITING = 1900, 100
MEMBER_REGISTRATIONS = 1400  # the other 600 are guests
SESSIONS = 12
OTHER_EVENTS = 50
RACE_PLACES, RACERS = 200, 400
ORGANISER = "olga"  # coordinator of koeln, with TOTP (accounts/demo.py)
BERLIN = ZoneInfo("Europe/Berlin")
SEARCH = "Петров"  # a surname a tenth of the names share
BATCH = 500
S = Registration.Status

User = auth.get_user_model()
UNUSABLE = make_password(None)

FIRST = [
    "Анна", "Олена", "Дмитрий", "Тарас", "Мария", "Ірина", "Сергей", "Богдан", "Lena",
    "Jonas", "Marta", "Pavel", "Оксана", "Nadia", "Алексей", "Юлия", "Sofia", "Ганна",
]  # fmt: skip
LAST = [
    "Петров", "Коваль", "Smirnova", "Шевченко", "Иванова", "Müller", "Бондаренко",
    "Kowalska", "Соколов", "Мельник", "Nowak", "Lebedeva", "Ткаченко", "Орлова",
    "Fischer", "Кузнецов", "Ravel", "Гончар", "Волкова", "Lindqvist",
]  # fmt: skip
DIETS = ["", "", "", "vegetarian", "веганское", "без глютену", "halal", "no nuts"]


def in_days(days: int, hour: int) -> datetime:
    """``hour`` o'clock in Berlin, ``days`` from today there."""
    day = (timezone.now().astimezone(BERLIN) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


def name_for(i: int) -> str:
    # Every tenth person is a Петров(а): the search phase finds about 200.
    last = SEARCH if i % 10 == 0 else LAST[(i * 7) % len(LAST)]
    return f"{FIRST[i % len(FIRST)]} {last}"


def seed_forum(koeln: Collective, organiser) -> Event:
    forum = services.create_event(
        by=organiser,
        organiser=koeln,
        title=FORUM_TITLE,
        translations={
            "de": {"title": "Bench-Forum der exilierten Linken"},
            "ru": {"title": "Бенч-форум левых в эмиграции"},
            "uk": {"title": "Бенч-форум лівих в еміграції"},
        },
        description="Two days of panels, workshops and a concert. " * 8,
        accessibility="Step-free entrance; quiet room on the first floor.",
        kind=Event.Kind.FORUM,
        starts_at=in_days(40, 10),
        ends_at=in_days(41, 18),
        time_zone="Europe/Berlin",
        place="Bürgerzentrum Alte Feuerwache",
        address="Melchiorstraße 3",
        city="Köln",
        country="DE",
        languages=["ru", "uk", "de"],
        interpretation=["de", "uk", "ru"],
        capacity=REGISTERED,
    )
    for n in range(SESSIONS):
        day, slot = divmod(n, SESSIONS // 2)
        start = forum.starts_at + timedelta(days=day, hours=slot)
        services.save_session(
            forum,
            by=organiser,
            title=f"Panel {n + 1}: solidarity across borders",
            translations={"ru": {"title": f"Панель {n + 1}: солидарность без границ"}},
            description="Speakers from four countries, with interpretation.",
            starts_at=start,
            ends_at=start + timedelta(minutes=50),
            room=f"Saal {1 + n % 3}",
            speakers="Ольга Коваль, Jonas Müller",
            languages=["ru", "de"] if n % 2 else ["uk"],
        )
    services.add_standard_questions(forum, by=organiser)
    return forum


def fill_forum(forum: Event, koeln: Collective) -> None:
    rng = random.Random(5)  # the same data every run
    now = timezone.now()
    questions = {q.purpose: str(q.pk) for q in forum.questions.all()}
    interpretation = forum.questions.get(purpose=Question.Purpose.INTERPRETATION).choice_list
    users = User.objects.bulk_create(
        [
            User(
                username=f"evt{i:04d}",
                email=f"evt{i:04d}@example.org",
                display_name=name_for(i),
                password=UNUSABLE,
                language=("ru", "uk", "de", "en")[i % 4],
            )
            for i in range(MEMBER_REGISTRATIONS)
        ],
        batch_size=BATCH,
    )
    if users[0].pk is None:
        users = list(User.objects.filter(username__startswith="evt").order_by("username"))
    Membership.objects.bulk_create(
        [Membership(collective=koeln, user=u) for u in users], batch_size=BATCH
    )
    rows = []
    for i in range(REGISTERED + WAITING):
        visa = rng.random() < 0.15
        answers = {
            questions[Question.Purpose.BED]: rng.random() < 0.3,
            questions[Question.Purpose.VISA]: visa,
            questions[Question.Purpose.INTERPRETATION]: rng.choice(["", *interpretation]),
            questions[Question.Purpose.DIET]: rng.choice(DIETS),
        }
        answers = {key: value for key, value in answers.items() if value != ""}
        member = users[i] if i < MEMBER_REGISTRATIONS else None
        email = "" if member else f"guest{i:04d}@example.org"
        created = now - timedelta(days=30) + timedelta(minutes=i)
        rows.append(
            Registration(
                event=forum,
                user=member,
                name=member.display_name if member else name_for(i),
                name_key=fold_name(member.display_name if member else name_for(i)),
                email=email,
                email_digest=services.email_digest(email) if email else "",
                is_guest=member is None,
                language=("ru", "uk", "de", "en")[i % 4],
                status=S.REGISTERED if i < REGISTERED else S.WAITING,
                answers=json.dumps(answers),
                needs_letter=visa,
                letter_name=name_for(i).upper() if visa else "",
                token_digest=services.digest(services.new_token(), "registration"),
                created_at=created,
                waiting_since=created if i >= REGISTERED else None,
            )
        )
    Registration.objects.bulk_create(rows, batch_size=BATCH)
    Event.objects.filter(pk=forum.pk).update(registered_count=REGISTERED, waiting_count=WAITING)


def seed_other_events(organiser) -> None:
    cells = list(
        Collective.objects.filter(
            kind=Collective.Kind.CELL, visibility=Collective.Visibility.PUBLIC
        )
    )
    for n in range(OTHER_EVENTS):
        start = in_days(2 + n, 18)
        services.create_event(
            by=organiser,
            organiser=cells[n % len(cells)] if n % 5 else None,
            title=f"Bench event {n:02d}: reading circle",
            kind=Event.Kind.READING if n % 2 else Event.Kind.ACTION,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            time_zone="Europe/Berlin",
            city="Köln",
            country="DE",
            capacity=30 if n % 3 else None,
        )


def seed_race(koeln: Collective, organiser) -> tuple[Event, list[str]]:
    race = services.create_event(
        by=organiser,
        organiser=koeln,
        title=RACE_TITLE,
        kind=Event.Kind.FORUM,
        starts_at=in_days(60, 10),
        ends_at=in_days(60, 18),
        time_zone="Europe/Berlin",
        city="Köln",
        country="DE",
        capacity=RACE_PLACES,
    )
    services.add_standard_questions(race, by=organiser)
    racers = User.objects.bulk_create(
        [
            User(
                username=f"racer{i:03d}",
                email=f"racer{i:03d}@example.org",
                display_name=name_for(i + 7),
                password=UNUSABLE,
            )
            for i in range(RACERS)
        ]
    )
    if racers[0].pk is None:
        racers = list(User.objects.filter(username__startswith="racer").order_by("username"))
    Membership.objects.bulk_create([Membership(collective=koeln, user=u) for u in racers])
    return race, [signed_in_session(user) for user in racers]


def signed_in_session(user) -> str:
    """A session of ``user`` signed in, as django.test.Client.force_login makes one."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[auth.SESSION_KEY] = str(user.pk)
    store[auth.BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def seed() -> dict:
    koeln = Collective.objects.get(slug="koeln")
    organiser = User.objects.get(username=ORGANISER)
    with transaction.atomic():
        forum = seed_forum(koeln, organiser)
        fill_forum(forum, koeln)
        seed_other_events(organiser)
        race, sessions = seed_race(koeln, organiser)
    # Through the service, after the bulk rows: lena joins the waiting list.
    services.register_member(forum, User.objects.get(username="lena"))
    return {
        "forum": forum.slug,
        "forum_title": FORUM_TITLE,
        "search": SEARCH,
        "race": race.slug,
        "race_places": RACE_PLACES,
        "sessions": sessions,
    }


def check() -> dict:
    race = Event.objects.get(title_en=RACE_TITLE)
    statuses = dict.fromkeys(S.values, 0)
    for status in race.registrations.values_list("status", flat=True):
        statuses[status] += 1
    return {
        "statuses": statuses,
        "registered_count": race.registered_count,
        "waiting_count": race.waiting_count,
        "capacity": race.capacity,
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["check"]:
        print(json.dumps(check()))
    else:
        data = seed()
        path = Path(settings.DATA_DIR) / "bench-events.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        forum = Event.objects.get(slug=data["forum"])
        print(
            f"forum with {forum.registrations.count()} registrations, "
            f"{forum.sessions.count()} sessions, {OTHER_EVENTS} other events, "
            f"{len(data['sessions'])} racers signed in"
        )
