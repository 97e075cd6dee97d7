"""Personas of mutual aid (issue 7) around one aid team.

    aid_group          the working group "Aid team" (public), with an AidTeam that
                       receives the intake
    aid_coordinator    coordinator of aid_group, TOTP, handler with access (created the key)
    handler            member of aid_group, TOTP, handler with access
    pending_handler    member of aid_group, TOTP, passphrase set, no access yet
    team_member        member of aid_group, no passphrase
    member             member of the koeln cell (solidar/conftest.py's ``member``)
    cell_coordinator   coordinator of the koeln cell, TOTP: sees no case
    outsider           anonymous client

Every handler's case passphrase is ``PASSPHRASE``. ``unlocked_client(user)`` logs a
handler in with the team's keys unlocked, as the unlock page does.
"""

from __future__ import annotations

import pytest

from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.aid import casefile, codenames, team
from solidar.aid import keys as aidkeys
from solidar.aid.models import AidTeam, Handler, Kind, Urgency
from solidar.conftest import client_for
from solidar.network.tests.factories import CollectiveFactory, MembershipFactory

PASSPHRASE = "rivers remember every bridge we crossed"


@pytest.fixture
def aid_group(db):
    return CollectiveFactory(slug="aid-team", name="Aid team", working_group=True)


@pytest.fixture
def aid_team(aid_group):
    return AidTeam.objects.create(collective=aid_group, receives_intake=True)


def _person(username: str, display_name: str, *, mfa: bool = True):
    user = UserFactory(username=username, display_name=display_name)
    if mfa:
        user.totp_secret = add_totp(user)
    return user


@pytest.fixture
def aid_coordinator(aid_team):
    user = _person("aidcoord", "Olga")
    MembershipFactory(collective=aid_team.collective, user=user, coordinator=True)
    team.set_passphrase(aid_team, user, PASSPHRASE)  # creates the team key
    return user


def team_keys_of(user, aid_team) -> aidkeys.TeamKeys:
    return team.unlock(Handler.objects.get(team=aid_team, user=user), PASSPHRASE)


@pytest.fixture
def handler(aid_team, aid_coordinator):
    user = _person("handler", "Andrii")
    MembershipFactory(collective=aid_team.collective, user=user)
    row = team.set_passphrase(aid_team, user, PASSPHRASE)
    team.grant_access(aid_team, row, team_keys_of(aid_coordinator, aid_team), by=aid_coordinator)
    return user


@pytest.fixture
def pending_handler(aid_team, aid_coordinator):
    user = _person("pending", "Mila")
    MembershipFactory(collective=aid_team.collective, user=user)
    team.set_passphrase(aid_team, user, PASSPHRASE)
    return user


@pytest.fixture
def team_member(aid_team):
    user = _person("teammember", "Sasha", mfa=False)
    MembershipFactory(collective=aid_team.collective, user=user)
    return user


@pytest.fixture
def koeln_cell(db):
    return CollectiveFactory(slug="koeln", name="Köln", city="Köln", country="DE")


@pytest.fixture
def cell_member(member, koeln_cell):
    MembershipFactory(collective=koeln_cell, user=member)
    return member


@pytest.fixture
def cell_coordinator(koeln_cell):
    user = _person("cellcoord", "Pablo")
    MembershipFactory(collective=koeln_cell, user=user, coordinator=True)
    return user


def unlock_client(client, user, aid_team):
    """The client with the team's keys held in its session, as after the unlock page."""
    keys = team_keys_of(user, aid_team)
    session = client.session
    cookie = aidkeys.stash(session, keys)
    session.save()
    client.cookies[aidkeys.COOKIE] = cookie
    return client


@pytest.fixture
def unlocked_client(aid_team):
    def make(user):
        return unlock_client(client_for(user), user, aid_team)

    return make


@pytest.fixture
def make_case(aid_team, aid_coordinator):
    """make_case(**fields) -> (case, codename): a request as the intake files it."""

    def make(
        *,
        kind=Kind.DEPARTURE,
        country="BY",
        urgency=Urgency.DAYS,
        languages=("ru",),
        situation="They searched my flat yesterday.",
        needs="A safe way out within a week.",
        contact_method="signal",
        contact="@safe-handle",
        codename=None,
    ):
        codename = codename or codenames.generate()
        case = casefile.create_case(
            aid_team,
            kind=kind,
            country=country,
            urgency=urgency,
            languages=list(languages),
            request={
                "situation": situation,
                "needs": needs,
                "contact_method": contact_method,
                "contact": contact,
            },
            requester=codenames.derive(codename),
        )
        return case, codename

    return make
