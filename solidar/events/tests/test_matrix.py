"""Every events URL × every persona: the answer each must get, and never a 403.

Events under test (all of koeln unless said): the public forum, a members' meeting, an
invitation-only meeting (other_member is invited), a draft, and a members' meeting of the
hidden cell minsk. What a person may not see answers 404, like a missing page.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from solidar.conftest import client_for
from solidar.events import services
from solidar.events.models import Event, Registration

pytestmark = pytest.mark.django_db

PERSONAS = (
    "outsider",
    "applicant",
    "other_member",
    "member",
    "hidden_member",
    "coordinator",
    "coordinator_without_mfa",
    "admin",
    "network_organiser",
)
KOELN_MEMBERS = {"member", "coordinator", "coordinator_without_mfa"}
ORGANISERS = {"coordinator", "admin", "network_organiser"}  # with MFA
EVERYONE_SIGNED_IN = set(PERSONAS) - {"outsider"}


@pytest.fixture
def world(
    forum,
    members_event,
    invited_event,
    event_factory,
    minsk,
    hidden_member,
    other_member,
    member,
    applicant,
    coordinator,
    coordinator_without_mfa,
    admin_user,
    network_organiser,
    client,
):
    services.invite_member(invited_event, other_member, by=coordinator)
    draft = event_factory(title="Draft meeting", status=Event.Status.DRAFT)
    hidden = event_factory(
        organiser=minsk,
        by=None,
        title="Underground meeting",
        visibility=Event.Visibility.MEMBERS,
    )
    registration, token = services.register_member(forum, member)
    users = {
        "applicant": applicant,
        "other_member": other_member,
        "member": member,
        "hidden_member": hidden_member,
        "coordinator": coordinator,
        "coordinator_without_mfa": coordinator_without_mfa,
        "admin": admin_user,
        "network_organiser": network_organiser,
    }
    clients = {"outsider": client} | {name: client_for(user) for name, user in users.items()}
    return {
        "clients": clients,
        "events": {
            "forum": forum,
            "members": members_event,
            "invited": invited_event,
            "draft": draft,
            "hidden": hidden,
        },
        "registration": registration,
        "token": token,
    }


def viewers(kind: str) -> set[str]:
    """Who may see an event of each kind."""
    return {
        "forum": set(PERSONAS),
        "members": KOELN_MEMBERS | {"admin", "network_organiser"},
        "invited": {
            "other_member",
            "coordinator",
            "coordinator_without_mfa",
            "admin",
            "network_organiser",
        },
        "draft": {"coordinator", "coordinator_without_mfa", "admin", "network_organiser"},
        "hidden": {"hidden_member", "admin", "network_organiser"},
    }[kind]


def organiser_answer(persona: str, may_see_as_organiser: bool) -> int:
    if persona == "outsider":
        return 302  # to the login page
    if persona == "coordinator_without_mfa":
        # A privileged person without MFA is sent to set it up before anything is looked
        # up, whatever the URL (so the redirect tells nothing about the event).
        return 302
    if persona in ORGANISERS and may_see_as_organiser:
        return 200
    return 404


@pytest.mark.parametrize("kind", ["forum", "members", "invited", "draft", "hidden"])
@pytest.mark.parametrize("name", ["events:detail", "events:ics"])
def test_event_pages(world, kind, name):
    event = world["events"][kind]
    url = reverse(name, args=[event.slug])
    for persona, client in world["clients"].items():
        status = client.get(url).status_code
        expected = 200 if persona in viewers(kind) else 404
        assert status == expected, (persona, kind, name, status)


ORGANISER_PAGES = (
    "events:edit",
    "events:cancel_event",
    "events:programme",
    "events:questions",
    "events:invitations",
    "events:participants",
    "events:export",
    "events:checkin",
    "events:print_list",
    "events:letter_template",
)


@pytest.mark.parametrize("kind", ["forum", "hidden"])
@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages(world, kind, name):
    event = world["events"][kind]
    url = reverse(name, args=[event.slug])
    koeln_organisers = {"coordinator", "coordinator_without_mfa", "admin", "network_organiser"}
    minsk_organisers = {"admin", "network_organiser"}
    allowed = koeln_organisers if kind == "forum" else minsk_organisers
    for persona, client in world["clients"].items():
        status = client.get(url).status_code
        assert status == organiser_answer(persona, persona in allowed), (persona, name, status)


def test_organiser_actions_refuse_everyone_else(world):
    forum = world["events"]["forum"]
    registration = world["registration"]
    posts = [
        (reverse("events:publish", args=[forum.slug]), {}),
        (reverse("events:cancel_event", args=[forum.slug]), {}),
        (
            reverse("events:participant_action", args=[forum.slug, registration.pk]),
            {"action": "check_in"},
        ),
        (reverse("events:session_delete", args=[forum.slug, 999999]), {}),
        (reverse("events:question_delete", args=[forum.slug, 999999]), {}),
    ]
    for persona in ("outsider", "applicant", "other_member", "member", "hidden_member"):
        client = world["clients"][persona]
        for url, data in posts:
            status = client.post(url, data).status_code
            assert status in (302, 404), (persona, url, status)
            if status == 302:
                assert persona == "outsider"
    forum.refresh_from_db()
    registration.refresh_from_db()
    assert forum.status == Event.Status.PUBLISHED
    assert registration.checked_in_at is None


def test_letter_and_personal_pages(world):
    forum = world["events"]["forum"]
    registration = world["registration"]
    letter = reverse("events:letter", args=[forum.slug, registration.pk])
    for persona, client in world["clients"].items():
        status = client.get(letter).status_code
        allowed = {"coordinator", "coordinator_without_mfa", "admin", "network_organiser"}
        assert status == organiser_answer(persona, persona in allowed), (persona, status)
    # The personal link works for whoever holds it, and for nobody else.
    for client in world["clients"].values():
        assert client.get(reverse("events:registration", args=[world["token"]])).status_code == 200
        assert client.get(reverse("events:registration", args=["x" * 43])).status_code == 404
    # A member's own pages: sign-in first.
    for name in ("events:mine", "events:calendar"):
        for persona, client in world["clients"].items():
            status = client.get(reverse(name)).status_code
            assert status == (302 if persona == "outsider" else 200), (persona, name, status)


def test_feeds(world):
    hidden_feed = reverse("events:feed_collective", args=["minsk"])
    koeln_feed = reverse("events:feed_collective", args=["koeln"])
    for persona, client in world["clients"].items():
        assert client.get(reverse("events:feed_public")).status_code == 200
        assert client.get(koeln_feed).status_code == 200
        assert client.get(hidden_feed).status_code == 404, persona
        assert client.get(reverse("events:list")).status_code == 200
        assert client.get(reverse("events:past")).status_code == 200


def test_no_403_anywhere_and_nothing_of_others_leaks(world):
    """The lists never name an event the persona may not see."""
    for persona, client in world["clients"].items():
        body = client.get(reverse("events:list")).content.decode()
        for kind, event in world["events"].items():
            visible = persona in viewers(kind) and kind != "draft"
            if not visible:
                assert event.title not in body, (persona, kind)
    assert Registration.objects.count() == 1
