"""The team and keys pages (views/team.py): setting a case passphrase, unlocking and
locking, giving and taking away access, rotating the key, changing the passphrase."""

from __future__ import annotations

import pytest
from django.urls import reverse

from solidar.accounts.tests.factories import UserFactory
from solidar.aid import casefile, team
from solidar.aid import keys as aidkeys
from solidar.aid.models import Handler, KeyGrant, TeamKey
from solidar.aid.tests import team_helpers
from solidar.aid.tests.conftest import PASSPHRASE
from solidar.aid.tests.team_helpers import (
    handler_row,
    reauthenticated,
    signed_in,
    team_url,
    unlock_url,
)
from solidar.core.models import AuditEvent
from solidar.core.testing import assert_max_queries
from solidar.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

team_member_mfa = team_helpers.team_member_mfa  # a fixture

NEW_PASSPHRASE = "a quiet harbour under seven lanterns"


def unlocked(client, user):
    """``client`` after the real unlock page (reauthenticated first)."""
    reauthenticated(client, user)
    response = client.post(unlock_url(), {"passphrase": PASSPHRASE})
    assert response.status_code == 302, response.content[:500]
    assert aidkeys.COOKIE in response.cookies
    return client


def test_a_new_team_member_is_told_how_to_choose_the_passphrase(team_member_mfa):
    response = signed_in(team_member_mfa).get(team_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Set your case passphrase" in page
    assert "Not your account password" in page
    assert "cannot be recovered" in page
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_setting_a_passphrase_checks_length_and_repetition_and_keeps_nothing_typed(
    aid_team, aid_coordinator, team_member_mfa
):
    client = signed_in(team_member_mfa)
    url = reverse("aid:set_passphrase", args=[aid_team.pk])
    short = client.post(url, {"passphrase": "short", "passphrase_again": "short"})
    assert short.status_code == 400
    assert "at least 16 characters" in short.content.decode()
    different = client.post(url, {"passphrase": NEW_PASSPHRASE, "passphrase_again": "other" * 5})
    assert different.status_code == 400
    assert "not the same" in different.content.decode()
    assert NEW_PASSPHRASE not in different.content.decode()  # never echoed back
    assert not Handler.objects.filter(user=team_member_mfa).exists()

    done = client.post(url, {"passphrase": NEW_PASSPHRASE, "passphrase_again": NEW_PASSPHRASE})
    assert done.status_code == 302
    row = handler_row(team_member_mfa, aid_team)
    assert not row.grants.exists()  # waits for a coordinator
    assert AuditEvent.objects.filter(action="aid.handler_joined", actor_id=team_member_mfa.pk)
    page = client.get(team_url()).content.decode()
    assert "Waiting for a coordinator" in page

    again = client.post(url, {"passphrase": NEW_PASSPHRASE, "passphrase_again": NEW_PASSPHRASE})
    assert again.status_code == 400
    assert "already set a case passphrase" in again.content.decode()


def test_a_team_member_without_mfa_is_sent_to_set_it_up_and_sets_nothing(aid_team, team_member):
    client = signed_in(team_member)
    response = client.get(team_url())
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")
    url = reverse("aid:set_passphrase", args=[aid_team.pk])
    posted = client.post(url, {"passphrase": NEW_PASSPHRASE, "passphrase_again": NEW_PASSPHRASE})
    assert posted.status_code == 302
    assert posted.url == reverse("mfa_index")
    assert not Handler.objects.filter(user=team_member).exists()


def test_unlocking_asks_to_confirm_the_password_first(handler):
    client = signed_in(handler, reauth=False)
    response = client.get(unlock_url("/en/aid/"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert "next=" in response.url


def test_a_passphrase_posted_without_a_recent_confirmation_is_not_kept(handler):
    client = signed_in(handler, reauth=False)
    response = client.post(unlock_url(), {"passphrase": PASSPHRASE})
    assert response.status_code == 302
    assert response.url.startswith(reverse("aid:unlock"))
    assert aidkeys.COOKIE not in response.cookies
    stored = str(dict(client.session.items()))
    assert PASSPHRASE not in stored
    assert aidkeys.SESSION_KEY not in client.session


def test_unlock_with_the_right_passphrase_holds_the_keys_until_lock(aid_team, handler, make_case):
    case, _ = make_case(situation="They came at dawn.")
    client = signed_in(handler)
    assert client.get(unlock_url()).status_code == 200
    response = client.post(unlock_url(), {"passphrase": PASSPHRASE, "next": "/en/aid/"})
    assert response.status_code == 302
    assert response.url == "/en/aid/"
    cookie = response.cookies[aidkeys.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert AuditEvent.objects.filter(action="aid.unlocked", actor_id=handler.pk).exists()

    page = client.get(team_url()).content.decode()
    assert "unlocked" in page and "more minutes" in page
    # The session and the cookie together open the case.
    request = _request_with(client)
    keys = aidkeys.held(request, aid_team)
    assert casefile.request_for_team(case, keys)["situation"] == "They came at dawn."

    locked = client.post(reverse("aid:lock"))
    assert locked.status_code == 302
    assert locked.cookies[aidkeys.COOKIE]["max-age"] == 0
    assert aidkeys.SESSION_KEY not in client.session
    assert "You have access. Unlock" in client.get(team_url()).content.decode()


def _request_with(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = client.session
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return request


def test_unlock_refuses_a_wrong_passphrase_clearly(handler):
    client = signed_in(handler)
    response = client.post(unlock_url(), {"passphrase": "not the passphrase at all"})
    assert response.status_code == 400
    assert "This is not your case passphrase" in response.content.decode()
    assert aidkeys.COOKIE not in response.cookies


def test_unlock_explains_pending_access(pending_handler):
    response = signed_in(pending_handler).post(unlock_url(), {"passphrase": PASSPHRASE})
    assert response.status_code == 400
    assert "no access yet" in response.content.decode()
    assert aidkeys.COOKIE not in response.cookies


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
)
def test_unlock_never_sends_anyone_elsewhere(handler, target):
    response = signed_in(handler).post(unlock_url(), {"passphrase": PASSPHRASE, "next": target})
    assert response.status_code == 302
    assert response.url == reverse("aid:queue")


def test_unlock_attempts_are_limited_per_account(settings, handler):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = True
    client = signed_in(handler)
    answers = [
        client.post(unlock_url(), {"passphrase": "wrong wrong wrong wrong"}).status_code
        for _ in range(11)
    ]
    assert answers == [400] * 10 + [429]
    # Even the right passphrase waits now.
    assert client.post(unlock_url(), {"passphrase": PASSPHRASE}).status_code == 429


def test_a_coordinator_gives_access_after_unlocking(aid_team, aid_coordinator, pending_handler):
    client = signed_in(aid_coordinator)
    row = handler_row(pending_handler, aid_team)
    page = client.get(team_url()).content.decode()
    assert "Mila" in page and "pending" in page and "Unlock to give access" in page

    give = reverse("aid:give_access", args=[aid_team.pk, row.pk])
    locked = client.post(give)
    assert locked.status_code == 302
    assert locked.url.startswith(reverse("aid:unlock"))
    assert not KeyGrant.objects.filter(handler=row).exists()

    unlocked(client, aid_coordinator)
    assert "Give access to Mila" in client.get(team_url()).content.decode()
    assert client.post(give).status_code == 302
    assert KeyGrant.objects.filter(handler=row).exists()
    assert AuditEvent.objects.filter(action="aid.access_granted", actor_id=aid_coordinator.pk)
    # The new handler unlocks now.
    keys = team.unlock(handler_row(pending_handler, aid_team), PASSPHRASE)
    assert keys.current_version == 1


def test_access_is_not_given_with_keys_unlocked_before_a_rotation(
    aid_team, aid_coordinator, handler, pending_handler
):
    client = unlocked(signed_in(aid_coordinator), aid_coordinator)
    other = team.unlock(handler_row(aid_coordinator, aid_team), PASSPHRASE)
    team.rotate(aid_team, other, by=aid_coordinator)  # e.g. in another browser
    row = handler_row(pending_handler, aid_team)
    response = client.post(reverse("aid:give_access", args=[aid_team.pk, row.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("aid:unlock"))
    assert not KeyGrant.objects.filter(handler=row).exists()


def test_taking_access_away_asks_first_then_suggests_rotating(aid_team, aid_coordinator, handler):
    client = signed_in(aid_coordinator)
    row = handler_row(handler, aid_team)
    url = reverse("aid:remove_access", args=[aid_team.pk, row.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert confirm.content.decode().count('type="submit"') == 1 + 1  # sign out in the header
    assert Handler.objects.filter(pk=row.pk).exists()

    done = client.post(url, follow=True)
    assert done.status_code == 200
    assert not Handler.objects.filter(pk=row.pk).exists()
    page = done.content.decode()
    assert "Rotate the team key now" in page  # the message
    assert "taken away since the key was last rotated" in page  # the lasting suggestion
    # Gone from the team page's list, still a member of the group.
    assert "Andrii" not in page.split('id="handlers-')[1]
    assert AuditEvent.objects.filter(action="aid.access_revoked", actor_id=aid_coordinator.pk)


def test_rotating_needs_unlocked_keys_and_keeps_the_session_working(
    aid_team, aid_coordinator, handler, make_case
):
    old_case, _ = make_case(situation="written before the rotation")
    client = signed_in(aid_coordinator)
    url = reverse("aid:rotate", args=[aid_team.pk])
    assert client.get(url).url.startswith(reverse("aid:unlock"))
    unlocked(client, aid_coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert TeamKey.objects.filter(team=aid_team).count() == 2
    # The same browser opens old and new cases without unlocking again.
    new_case, _ = make_case(situation="written after the rotation")
    assert new_case.key_version == 2
    keys = aidkeys.held(_request_with(client), aid_team)
    assert casefile.request_for_team(old_case, keys)["situation"] == "written before the rotation"
    assert casefile.request_for_team(new_case, keys)["situation"] == "written after the rotation"
    # The other handler got the new key too.
    assert team.unlock(handler_row(handler, aid_team), PASSPHRASE).current_version == 2


def test_the_rotation_suggestion_ends_with_a_rotation(aid_team, aid_coordinator, handler):
    team.revoke(aid_team, handler_row(handler, aid_team), by=aid_coordinator)
    client = unlocked(signed_in(aid_coordinator), aid_coordinator)
    assert "taken away since the key" in client.get(team_url()).content.decode()
    client.post(reverse("aid:rotate", args=[aid_team.pk]))
    assert "taken away since the key" not in client.get(team_url()).content.decode()


def test_a_handler_cannot_manage_others_but_can_start_over(aid_team, aid_coordinator, handler):
    client = signed_in(handler)
    coordinator_row = handler_row(aid_coordinator, aid_team)
    assert client.get(team_url()).content.decode().count("Take access away") == 0
    for url in (
        reverse("aid:remove_access", args=[aid_team.pk, coordinator_row.pk]),
        reverse("aid:give_access", args=[aid_team.pk, coordinator_row.pk]),
        reverse("aid:rotate", args=[aid_team.pk]),
    ):
        assert client.post(url).status_code == 404
    assert Handler.objects.filter(pk=coordinator_row.pk).exists()

    own = reverse("aid:remove_access", args=[aid_team.pk, handler_row(handler, aid_team).pk])
    assert "Start over" in client.get(own).content.decode()
    assert client.post(own).status_code == 302
    assert not Handler.objects.filter(user=handler).exists()
    # A new passphrase, then access again.
    url = reverse("aid:set_passphrase", args=[aid_team.pk])
    client.post(url, {"passphrase": NEW_PASSPHRASE, "passphrase_again": NEW_PASSPHRASE})
    assert team.pending(aid_team) == [handler_row(handler, aid_team)]


def test_changing_the_passphrase(aid_team, handler):
    client = signed_in(handler)
    url = reverse("aid:change_passphrase", args=[aid_team.pk])
    wrong = client.post(
        url,
        {
            "current": "not it not it not it",
            "passphrase": NEW_PASSPHRASE,
            "passphrase_again": NEW_PASSPHRASE,
        },
    )
    assert wrong.status_code == 400
    assert "not your current case passphrase" in wrong.content.decode()
    done = client.post(
        url,
        {"current": PASSPHRASE, "passphrase": NEW_PASSPHRASE, "passphrase_again": NEW_PASSPHRASE},
    )
    assert done.status_code == 302
    row = handler_row(handler, aid_team)
    with pytest.raises(aidkeys.WrongPassphraseError):
        team.unlock(row, PASSPHRASE)
    assert team.unlock(row, NEW_PASSPHRASE).current_version == 1


def test_a_member_who_left_the_group_cannot_be_given_access(
    aid_team, aid_coordinator, pending_handler
):
    from django.utils import timezone

    row = handler_row(pending_handler, aid_team)
    pending_handler.memberships.update(ended_at=timezone.now())
    client = unlocked(signed_in(aid_coordinator), aid_coordinator)
    response = client.post(reverse("aid:give_access", args=[aid_team.pk, row.pk]))
    assert response.status_code == 400
    assert "no longer a member" in response.content.decode()
    assert not KeyGrant.objects.filter(handler=row).exists()


def test_logging_out_forgets_the_unlocked_keys(aid_team, handler):
    import solidar.aid.receivers  # noqa: F401 - connected by AidConfig.ready

    client = unlocked(signed_in(handler), handler)
    cookie = client.cookies[aidkeys.COOKIE].value
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "cookies" in response["Clear-Site-Data"]
    # Signed in again with the old cookie: nothing is unlocked.
    client.force_login(handler)
    client.cookies[aidkeys.COOKIE] = cookie
    assert aidkeys.held(_request_with(client), aid_team) is None
    assert "You have access. Unlock" in client.get(team_url()).content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_the_coordinators_page_does_not_grow_with_the_handlers(aid_team, aid_coordinator, count):
    for number in range(count):
        user = UserFactory(username=f"h{number}", display_name=f"Handler {number}")
        MembershipFactory(collective=aid_team.collective, user=user)
        Handler.objects.create(
            team=aid_team,
            user=user,
            public_key=bytes(32),
            wrapped_private_key=b"x",
            kdf_salt=bytes(16),
            kdf_opslimit=1,
            kdf_memlimit=8192,
        )
    client = unlocked(signed_in(aid_coordinator), aid_coordinator)
    with assert_max_queries(16):
        response = client.get(team_url())
    assert response.status_code == 200
    assert response.content.decode().count("Give access to") == count


# -- manage.py create_aid_team --------------------------------------------------------------------
def test_create_aid_team_makes_a_working_group_an_aid_team(db):
    from django.core.management import call_command

    from solidar.aid.models import AidTeam
    from solidar.network.tests.factories import CollectiveFactory

    group = CollectiveFactory(slug="legal-help", name="Legal help", working_group=True)
    call_command("create_aid_team", "legal-help", "--intake")
    team_row = AidTeam.objects.get(collective=group)
    assert team_row.receives_intake
    assert AuditEvent.objects.filter(action="aid.team_created").exists()


@pytest.mark.parametrize(
    ("slug", "flags", "message"),
    [
        ("nowhere", [], "No collective has the slug"),
        ("koeln", [], "not a working group"),
        ("aid-team", [], "already an aid team"),
        ("second-group", ["--intake"], "already receives the requests"),
    ],
)
def test_create_aid_team_refuses_clearly(aid_team, koeln_cell, slug, flags, message):
    from django.core.management import CommandError, call_command

    from solidar.aid.models import AidTeam
    from solidar.network.tests.factories import CollectiveFactory

    CollectiveFactory(slug="second-group", name="Second group", working_group=True)
    with pytest.raises(CommandError, match=message):
        call_command("create_aid_team", slug, *flags)
    assert AidTeam.objects.count() == 1
