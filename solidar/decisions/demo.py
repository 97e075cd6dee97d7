"""Demo decisions (seed_demo), what issue 8 asks for:

1. the Cologne forum's assembly (November 2024): seven delegates of four cells with votes
   by cell size, the resolution committee's draft, an amendment adopted, and the closing
   resolution with three numbered decisions adopted by secret ballot, translated into
   German, Russian and Ukrainian. Not published from here: the publishing demo already has
   the forum's resolution as a statement page, and two pages of one resolution would
   confuse a visitor (a coordinator can publish it from the resolution's page);
2. an open proposal of the Köln cell in discussion (in Russian), with supporters, comments
   in Russian, Ukrainian and German and one proposed amendment;
3. the migrant workers' group electing two coordinators by STV: open, some ballots in,
   closing in a few days; lena (a demo login) has not voted yet.

Everything goes through the services (``services``, ``voting``, ``resolutions``) with
``now=`` placing it in time; the texts are in ``demo_texts``. Running it twice changes
nothing: each item is looked up by its body and title before it is made.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from solidar.accounts.demo import demo_user
from solidar.accounts.models import User
from solidar.decisions import resolutions, services, voting
from solidar.decisions.demo_texts import (
    CELL_AMENDMENT,
    CELL_COMMENTS,
    CELL_DECISIONS,
    CELL_RATIONALE,
    CELL_TITLE,
    ELECTION_DESCRIPTION,
    ELECTION_TITLE,
    FORUM_AMENDMENT,
    FORUM_COMMENTS,
    FORUM_DECISIONS,
    FORUM_RATIONALE,
    FORUM_TITLE,
    FORUM_TRANSLATIONS,
)
from solidar.decisions.models import Amendment, Body, Delegate, Proposal, Resolution, Vote
from solidar.events.demo_texts import FORUM
from solidar.events.models import Event
from solidar.network.models import Collective, Membership, MembershipEvent

BERLIN = ZoneInfo("Europe/Berlin")

# When each demo person joined the network. The network demo adds everyone today, so
# nobody would have passed a body's cooling-off period (14 days) and no demo login could
# vote; the forum's delegates must have been members before November 2024. Demo only:
# their current memberships are dated back with a queryset update (no service changes a
# join date), the "joined" entries of the membership history with them. The readers are
# the members of the migrant workers' group the events demo adds (no logins).
JOINED = {
    "olga": date(2023, 3, 12),
    "andrii": date(2023, 3, 12),
    "mila": date(2023, 6, 4),
    "sasha": date(2023, 10, 1),
    "taras": date(2024, 1, 21),
    "lena": date(2024, 4, 14),
    "ivan": date(2024, 6, 9),
    "pablo": date(2024, 9, 1),
    "reader-marta": date(2024, 12, 8),
    "reader-dzmitry": date(2025, 1, 19),
    "reader-aigerim": date(2025, 2, 2),
    "reader-nodar": date(2025, 2, 23),
    "reader-yulia": date(2025, 3, 16),
    "reader-artem": date(2025, 3, 30),
    "reader-hanna": date(2025, 4, 27),
    "reader-timur": date(2025, 5, 18),
    "reader-sofia": date(2025, 6, 8),
    "reader-bohdan": date(2025, 6, 29),
}

# -- 1. the forum ----------------------------------------------------------------------------
# One vote for every three members of a cell, shared among the cell's delegates.
# username, weight, note
DELEGATES = [
    ("olga", 3, "Köln cell (24 members, 8 votes)"),
    ("lena", 3, "Köln cell (24 members, 8 votes)"),
    ("sasha", 2, "Köln cell (24 members, 8 votes)"),
    ("andrii", 4, "Berlin cell (21 members, 7 votes)"),
    ("taras", 3, "Berlin cell (21 members, 7 votes)"),
    ("mila", 3, "Paris cell (9 members, 3 votes)"),
    ("ivan", 3, "Warszawa cell (9 members, 3 votes)"),
]
FORUM_COMMITTEE = ["olga", "andrii", "mila"]  # the draft's authors, olga first
FORUM_SUPPORTERS = ["lena", "ivan"]
FORUM_AMENDMENT_BY = "taras"
# The secret ballots, cast by the delegates (weighted): amendment 16 yes, 2 no, 3 abstain;
# the resolution 19 yes, 2 abstain (two thirds of yes and no needed, quorum 50 %).
AMENDMENT_BALLOTS = {
    "andrii": "yes",
    "mila": "yes",
    "taras": "yes",
    "ivan": "yes",
    "lena": "yes",
    "sasha": "no",
    "olga": "abstain",
}
RESOLUTION_BALLOTS = {
    "olga": "yes",
    "lena": "yes",
    "andrii": "yes",
    "taras": "yes",
    "mila": "yes",
    "ivan": "yes",
    "sasha": "abstain",
}
# language, translator, day in November 2024
TRANSLATORS = [("ru", "olga", 6), ("uk", "andrii", 7), ("de", "mila", 8)]

# -- 2. the Köln cell ------------------------------------------------------------------------
CELL = "koeln"
CELL_AUTHORS = ["lena", "sasha"]
CELL_SUPPORTERS = ["olga", "taras"]  # two: the cell's default, so it went to discussion
CELL_AMENDMENT_BY = "taras"

# -- 3. the election -------------------------------------------------------------------------
ELECTION_GROUP = "migrant-workers"
CANDIDATES = ["olga", "ivan", "reader-aigerim", "reader-dzmitry", "reader-marta"]
# Who has voted so far, with their ranking (first preference first). Not yet voted: lena
# (a demo login: she can try the ballot) and four readers.
ELECTION_BALLOTS = {
    "olga": ["olga", "reader-aigerim", "ivan"],
    "ivan": ["ivan", "olga", "reader-dzmitry"],
    "reader-marta": ["reader-marta", "reader-aigerim", "olga"],
    "reader-dzmitry": ["reader-dzmitry", "ivan"],
    "reader-aigerim": ["reader-aigerim", "olga", "reader-marta", "ivan"],
    "reader-nodar": ["olga", "reader-aigerim"],
    "reader-yulia": ["reader-aigerim", "reader-marta", "olga", "ivan", "reader-dzmitry"],
    "reader-hanna": ["ivan", "reader-dzmitry", "olga"],
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def _days_from_today(days: int, hour: int) -> datetime:
    today = timezone.now().astimezone(BERLIN).date()
    return _at(today + timedelta(days=days), hour)


def age_memberships() -> None:
    for username, day in JOINED.items():
        joined = _at(day, 19)
        memberships = Membership.objects.filter(
            user__username=username, ended_at__isnull=True, joined_at__gt=joined
        )
        MembershipEvent.objects.filter(
            membership__in=memberships, kind=MembershipEvent.Kind.JOINED
        ).update(at=joined)
        memberships.update(joined_at=joined)


def forum_body() -> Body:
    forum = Event.objects.get(title_en=FORUM["en"]["title"])
    return services.body_for_event(forum)


def _forum_rules(body: Body, admin: User) -> None:
    rules = {
        "supporters_needed": 2,
        "cooling_off_days": 14,
        "discussion_days": 1,
        "voting_days": 1,
    }
    if any(getattr(body, field) != value for field, value in rules.items()):
        services.update_rules(body, by=admin, **rules)
    for username, weight, note in DELEGATES:
        user = demo_user(username)
        if not Delegate.objects.filter(body=body, user=user, weight=weight).exists():
            services.set_delegate(body, user, weight=weight, note=note, by=admin)


def seed_forum() -> Resolution | None:
    admin = demo_user("admin")
    body = forum_body()
    _forum_rules(body, admin)
    existing = Proposal.objects.filter(body=body, title=FORUM_TITLE).first()
    if existing is not None:
        return Resolution.objects.filter(proposal=existing).first()

    day_one, day_two = date(2024, 11, 2), date(2024, 11, 3)
    submitted = _at(day_one, 12)
    olga = demo_user(FORUM_COMMITTEE[0])
    proposal = services.create_proposal(
        body,
        by=olga,
        title=FORUM_TITLE,
        text=services.join_paragraphs(FORUM_DECISIONS),
        rationale=FORUM_RATIONALE,
        language="en",
    )
    # Demo only: create_proposal stamps the present; the committee wrote it that morning.
    Proposal.objects.filter(pk=proposal.pk).update(created_at=_at(day_one, 11, 30))
    for username in FORUM_COMMITTEE[1:]:
        services.add_coauthor(proposal, demo_user(username), by=olga)
    services.submit(proposal, by=olga, now=submitted)
    for minutes, username in zip((20, 45), FORUM_SUPPORTERS, strict=True):
        services.support(proposal, demo_user(username), now=submitted + timedelta(minutes=minutes))
    for username, minutes, text in FORUM_COMMENTS:
        services.add_comment(
            proposal, demo_user(username), text, now=submitted + timedelta(minutes=minutes)
        )
    amendment = services.propose_amendment(
        proposal,
        demo_user(FORUM_AMENDMENT_BY),
        kind=Amendment.Kind.REPLACE,
        paragraph=FORUM_AMENDMENT["paragraph"],
        text=FORUM_AMENDMENT["text"],
        rationale=FORUM_AMENDMENT["rationale"],
    )
    # Demo only: propose_amendment stamps the present (it takes no ``now``).
    Amendment.objects.filter(pk=amendment.pk).update(created_at=submitted + timedelta(minutes=145))

    # The second day: the amendment is voted first, then the text as amended.
    voting_starts = _at(day_two, 14)
    (amendment_vote,) = voting.start_voting(
        proposal,
        by=olga,
        threshold=Vote.Threshold.TWO_THIRDS,
        quorum=50,
        secret=True,
        amendments_close_at=_at(day_two, 14, 45),
        closes_at=_at(day_two, 16, 30),
        now=voting_starts,
    )
    for minute, (username, answer) in enumerate(AMENDMENT_BALLOTS.items(), start=1):
        voting.cast(
            amendment_vote,
            demo_user(username),
            answer,
            now=voting_starts + timedelta(minutes=5 * minute),
        )
    # Closing the amendment's vote merges it into the text and opens the main vote.
    voting.close(amendment_vote, by=olga, now=amendment_vote.closes_at)
    main_vote = Vote.objects.get(proposal=proposal, amendment__isnull=True)
    for minute, (username, answer) in enumerate(RESOLUTION_BALLOTS.items(), start=1):
        voting.cast(
            main_vote,
            demo_user(username),
            answer,
            now=amendment_vote.closes_at + timedelta(minutes=10 * minute),
        )
    # Closing the main vote adopts the proposal and makes the resolution.
    voting.close(main_vote, by=olga, now=main_vote.closes_at)
    resolution = Resolution.objects.get(proposal=proposal)
    for language, username, day in TRANSLATORS:
        texts = FORUM_TRANSLATIONS[language]
        resolutions.translate(
            resolution,
            language,
            by=demo_user(username),
            title=texts["title"],
            preamble="",
            decisions=texts["decisions"],
            now=_at(date(2024, 11, day), 20),
        )
    return resolution


# -- 2. the cell -----------------------------------------------------------------------------
def cell_body() -> Body:
    return services.body_for_collective(Collective.objects.get(slug=CELL))


def seed_cell_proposal() -> Proposal:
    body = cell_body()
    existing = Proposal.objects.filter(body=body, title=CELL_TITLE).first()
    if existing is not None:
        return existing
    author = demo_user(CELL_AUTHORS[0])
    submitted = _days_from_today(-6, 18)
    proposal = services.create_proposal(
        body,
        by=author,
        title=CELL_TITLE,
        text=services.join_paragraphs(CELL_DECISIONS),
        rationale=CELL_RATIONALE,
        language="ru",
    )
    # Demo only: create_proposal stamps the present; lena wrote it the day it went out.
    Proposal.objects.filter(pk=proposal.pk).update(created_at=submitted - timedelta(hours=2))
    for username in CELL_AUTHORS[1:]:
        services.add_coauthor(proposal, demo_user(username), by=author)
    services.submit(proposal, by=author, now=submitted)
    for days, username in enumerate(CELL_SUPPORTERS, start=1):
        services.support(proposal, demo_user(username), now=submitted + timedelta(days=days))
    discussing = submitted + timedelta(days=len(CELL_SUPPORTERS))
    for username, hours, text in CELL_COMMENTS:
        services.add_comment(
            proposal, demo_user(username), text, now=discussing + timedelta(hours=hours)
        )
    amendment = services.propose_amendment(
        proposal,
        demo_user(CELL_AMENDMENT_BY),
        kind=Amendment.Kind.REPLACE,
        paragraph=CELL_AMENDMENT["paragraph"],
        text=CELL_AMENDMENT["text"],
        rationale=CELL_AMENDMENT["rationale"],
    )
    # Demo only: propose_amendment stamps the present; taras wrote it with his comment.
    Amendment.objects.filter(pk=amendment.pk).update(created_at=discussing + timedelta(hours=45))
    proposal.refresh_from_db()
    return proposal


# -- 3. the election -------------------------------------------------------------------------
def election_body() -> Body:
    return services.body_for_collective(Collective.objects.get(slug=ELECTION_GROUP))


def seed_election() -> Vote:
    body = election_body()
    existing = Vote.objects.filter(body=body, title=ELECTION_TITLE).first()
    if existing is not None:
        return existing
    olga = demo_user("olga")
    opened = _days_from_today(-4, 20)
    vote = voting.create_vote(
        body,
        by=olga,
        title=ELECTION_TITLE,
        description=ELECTION_DESCRIPTION,
        method=Vote.Method.STV,
        seats=2,
        candidates=[demo_user(username) for username in CANDIDATES],
        closes_at=_days_from_today(3, 20),
        now=opened,
    )
    voting.open_vote(vote, by=olga, now=opened)
    options = dict(vote.options.values_list("candidate__username", "pk"))
    for hours, (username, ranking) in enumerate(ELECTION_BALLOTS.items(), start=1):
        voting.cast(
            vote,
            demo_user(username),
            {options[name]: str(rank) for rank, name in enumerate(ranking, start=1)},
            now=opened + timedelta(hours=5 * hours),
        )
    vote.refresh_from_db()
    return vote


def seed() -> None:
    age_memberships()
    seed_forum()
    seed_cell_proposal()
    seed_election()


def summary() -> list[str]:
    resolution = Resolution.objects.filter(proposal__title=FORUM_TITLE).first()
    vote = Vote.objects.filter(title=ELECTION_TITLE, status=Vote.Status.OPEN).first()
    lines = []
    if resolution is not None:
        lines.append(
            f"  Decisions: the Cologne forum's closing resolution {resolution.number} (three "
            "decisions, an amendment, secret ballot of seven delegates; en, de, ru, uk"
            + "); an open Köln cell proposal in discussion with an amendment."
        )
    if vote is not None:
        lines.append(
            f"  The migrant workers' group elects two coordinators by STV ({vote.ballot_count} "
            f"of {vote.electorate_count} have voted): lena has not yet, sign in as her to try."
        )
    return lines
