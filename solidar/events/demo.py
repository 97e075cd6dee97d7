"""Demo events (seed_demo): the Cologne forum of November 2024 (past, with its programme
and attendance), upcoming street actions of the cells in Köln, Paris, Warszawa and Buenos
Aires, a reading circle of the migrant workers' group with a waiting list, and an online
call of the whole network. The texts are in ``demo_texts``.

Everything is made through the events' services, like the UI makes it. Running it twice
changes nothing: each event is looked up by its English title before it is made, and
each registration before it is taken.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import F
from django.utils import timezone

from solidar.accounts import services as account_services
from solidar.accounts.demo import demo_user
from solidar.accounts.models import User
from solidar.events import services
from solidar.events.demo_texts import (
    ACTION_DESCRIPTION,
    ACTIONS,
    CALL,
    FORUM,
    FORUM_SESSIONS,
    GUEST_NAMES,
    READERS,
    READING_CIRCLE,
)
from solidar.events.models import Event, Registration, Session
from solidar.events.rules import ORGANISERS_GROUP
from solidar.network import services as network_services
from solidar.network.models import Collective, Membership

BERLIN = "Europe/Berlin"
FORUM_DAYS = (date(2024, 11, 2), date(2024, 11, 3))
FORUM_REGISTRATIONS = 72
FORUM_NO_SHOWS = 2  # registered, never came
# Demo members who went to Cologne; the other places went to guests without an account.
FORUM_MEMBERS = ["olga", "andrii", "lena", "taras", "mila", "ivan", "sasha"]
CALL_LINK = "https://meet.example.org/solidar-call"
READING_LINK = "https://meet.example.org/solidar-reading"
# username -> cells whose street action they registered for
ACTION_PARTICIPANTS = {
    "koeln": ["olga", "lena", "taras", "sasha"],
    "paris": ["mila"],
    "warszawa": ["andrii", "ivan"],
    "buenos-aires": ["mila", "pablo"],
}
CALL_PARTICIPANTS = ["andrii", "taras", "ivan", "pablo"]
# The reading circle fills up with these (in order); lena comes last, on the waiting list.
READING_CIRCLE_GROUP = "migrant-workers"
READING_CIRCLE_PEOPLE = ["olga", "ivan", *(username for username, _name in READERS), "lena"]


def _local(day, clock: str, zone: str) -> datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone))


def _in_days(days: int, hour: int, zone: str) -> datetime:
    """``hour`` o'clock in ``zone``, ``days`` from today there."""
    today = timezone.now().astimezone(ZoneInfo(zone)).date()
    return _local(today + timedelta(days=days), f"{hour}:00", zone)


def _titles(texts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {language: dict(values) for language, values in texts.items()}


def _existing(title_en: str) -> Event | None:
    return Event.objects.filter(title_en=title_en).first()


def _register(event: Event, username: str) -> None:
    user = demo_user(username)
    if not event.registrations.filter(user=user, status__in=Registration.ACTIVE).exists():
        services.register_member(event, user)


# -- the people ------------------------------------------------------------------------------
def seed_organisers() -> None:
    """The network's event organisers (a group); the admin is one of them."""
    group, _created = Group.objects.get_or_create(name=ORGANISERS_GROUP)
    demo_user("admin").groups.add(group)


def seed_readers() -> None:
    """Members of the migrant workers' group who fill the reading circle. They have no
    password: attendees only, not demo logins."""
    group = Collective.objects.get(slug=READING_CIRCLE_GROUP)
    admin = demo_user("admin")
    for username, display_name in READERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_services.create_user(
                username=username,
                email=f"{username}@demo.solidar.invalid",
                password=None,  # an unusable password: nobody signs in as them
                display_name=display_name,
                language="ru",
            )
        if not Membership.objects.filter(
            collective=group, user=user, ended_at__isnull=True
        ).exists():
            network_services.add_member(group, user, by=admin)


# -- the forum -------------------------------------------------------------------------------
def seed_forum() -> Event:
    admin = demo_user("admin")
    forum = _existing(FORUM["en"]["title"])
    if forum is None:
        forum = services.create_event(
            by=admin,
            organiser=None,  # the network as a whole
            title=FORUM["en"]["title"],
            translations=_titles(FORUM),
            kind=Event.Kind.FORUM,
            starts_at=_local(FORUM_DAYS[0], "10:00", BERLIN),
            ends_at=_local(FORUM_DAYS[1], "17:30", BERLIN),
            time_zone=BERLIN,
            place="Bürgerzentrum am Rhein",
            city="Köln",
            country="DE",
            languages=["ru", "uk"],
            interpretation=["ru", "uk", "de"],
            capacity=80,
        )
    for day, start, end, room, speakers, languages, titles in FORUM_SESSIONS:
        if Session.objects.filter(event=forum, title_en=titles[0]).exists():
            continue
        services.save_session(
            forum,
            by=admin,
            title=titles[0],
            translations={
                language: {"title": title}
                for language, title in zip(("en", "de", "ru", "uk"), titles, strict=True)
            },
            starts_at=_local(FORUM_DAYS[day], start, BERLIN),
            ends_at=_local(FORUM_DAYS[day], end, BERLIN),
            room=room,
            speakers=speakers,
            languages=languages,
        )
    services.add_standard_questions(forum, by=admin)
    if forum.purged_at is None and not forum.registrations.exists():
        _fill_forum(forum, admin)
    forum.refresh_from_db()
    return forum


def _guest_names():
    for letter in "ABCDEFGH":
        for name in GUEST_NAMES:
            yield f"{name} {letter}."


def _fill_forum(forum: Event, admin: User) -> None:
    """The forum is over, and the services rightly refuse registrations for past events.
    Demo only: its dates are moved into the future for a moment (a queryset update, no
    service changes dates of a past event), people register and are checked in through
    the services, then the dates go back and its guests' data is purged as the periodic
    job would have done a month after the forum."""
    starts_at, ends_at = forum.starts_at, forum.ends_at
    shift = timezone.now() + timedelta(days=7) - starts_at
    Event.objects.filter(pk=forum.pk).update(starts_at=starts_at + shift, ends_at=ends_at + shift)
    forum.refresh_from_db()

    for username in FORUM_MEMBERS:
        services.register_member(forum, demo_user(username))
    names = _guest_names()
    for number in range(FORUM_REGISTRATIONS - len(FORUM_MEMBERS)):
        guest = services.register_guest(
            forum,
            name=next(names),
            email=f"forum-guest-{number}@demo.solidar.invalid",
            language=("ru", "uk", "ru", "de")[number % 4],
        )
        # Demo only: the confirmation link went out by e-mail and is not stored (only its
        # digest), so the demo sets a link it knows and confirms through the service.
        token = f"demo-forum-guest-{number}-{guest.pk}"
        Registration.objects.filter(pk=guest.pk).update(
            confirm_digest=services.digest(token, "confirm")
        )
        services.confirm_guest(token)
    present = forum.registrations.filter(status=Registration.Status.REGISTERED).order_by(
        "created_at", "pk"
    )
    for registration in list(present)[: FORUM_REGISTRATIONS - FORUM_NO_SHOWS]:
        services.check_in(registration, by=admin)

    Event.objects.filter(pk=forum.pk).update(starts_at=starts_at, ends_at=ends_at)
    Registration.objects.filter(event=forum).update(
        created_at=F("created_at") - shift, checked_in_at=F("checked_in_at") - shift
    )
    # A month after the forum, for this event only (nothing else of the demo is over).
    retention = timedelta(days=settings.SOLIDAR_EVENT_RETENTION_DAYS)
    services.purge_personal_data(now=ends_at + retention + timedelta(minutes=1))


# -- upcoming events -------------------------------------------------------------------------
def seed_actions() -> list[Event]:
    actions = []
    for slug, zone, days, hour, hours, place, country, languages, titles in ACTIONS:
        cell = Collective.objects.get(slug=slug)
        event = _existing(titles["en"])
        if event is None:
            coordinator = (
                Membership.objects.filter(
                    collective=cell, role=Membership.Role.COORDINATOR, ended_at__isnull=True
                )
                .select_related("user")
                .first()
            )
            starts_at = _in_days(days, hour, zone)
            event = services.create_event(
                by=coordinator.user if coordinator else demo_user("admin"),
                organiser=cell,
                title=titles["en"],
                translations={
                    language: {"title": title, "description": ACTION_DESCRIPTION[language]}
                    for language, title in titles.items()
                },
                kind=Event.Kind.ACTION,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=hours),
                time_zone=zone,
                place=place,
                city=cell.city,
                country=country,
                languages=languages,
            )
        for username in ACTION_PARTICIPANTS[slug]:
            _register(event, username)
        actions.append(event)
    return actions


def seed_reading_circle() -> Event:
    group = Collective.objects.get(slug=READING_CIRCLE_GROUP)
    event = _existing(READING_CIRCLE["en"]["title"])
    if event is None:
        starts_at = _in_days(6, 19, BERLIN)
        event = services.create_event(
            by=demo_user("olga"),
            organiser=group,
            title=READING_CIRCLE["en"]["title"],
            translations=_titles(READING_CIRCLE),
            kind=Event.Kind.READING,
            visibility=Event.Visibility.MEMBERS,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            time_zone=BERLIN,
            online_url=READING_LINK,
            languages=["ru", "uk"],
            capacity=12,
        )
    for username in READING_CIRCLE_PEOPLE:
        _register(event, username)
    return event


def seed_call() -> Event:
    event = _existing(CALL["en"]["title"])
    if event is None:
        starts_at = _in_days(13, 19, BERLIN)
        event = services.create_event(
            by=demo_user("admin"),
            organiser=None,
            title=CALL["en"]["title"],
            translations=_titles(CALL),
            kind=Event.Kind.CALL,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=90),
            time_zone=BERLIN,
            online_url=CALL_LINK,
            languages=["ru", "uk"],
            capacity=100,
        )
    for username in CALL_PARTICIPANTS:
        _register(event, username)
    return event


def seed() -> None:
    seed_organisers()
    seed_readers()
    seed_forum()
    seed_actions()
    seed_reading_circle()
    seed_call()


def summary() -> list[str]:
    forum = _existing(FORUM["en"]["title"])
    lines = []
    if forum is not None:
        lines.append(
            f"  Events: the Cologne forum of November 2024 ({forum.registered_count} "
            f"registered, {forum.checked_in_count} came; guests' data purged), street actions "
            "in Köln, Paris, Warszawa and Buenos Aires, a reading circle of the migrant "
            "workers' group (full; lena waits), an online call of the network. admin is a "
            "network organiser."
        )
    return lines
