"""Who gets what from every handler URL (GET and each POST): only handlers with access of
the case's team see and change cases; everyone else gets 404 (or the login / MFA set-up
redirect), a handler whose keys are locked is sent to unlock. Never a 403 or a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from solidar.accounts.tests.factories import UserFactory
from solidar.aid import casework, team
from solidar.aid.models import AidTeam, Case, ChecklistItem, Entry
from solidar.aid.tests.conftest import PASSPHRASE, team_keys_of, unlock_client
from solidar.conftest import client_for
from solidar.network.tests.factories import CollectiveFactory, MembershipFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


@pytest.fixture
def handler_without_mfa(aid_team, aid_coordinator):
    user = UserFactory(username="nomfa", display_name="Dana")
    MembershipFactory(collective=aid_team.collective, user=user)
    row = team.set_passphrase(aid_team, user, PASSPHRASE)
    team.grant_access(aid_team, row, team_keys_of(aid_coordinator, aid_team), by=aid_coordinator)
    return user


@pytest.fixture
def other_team_handler(db):
    """The coordinator (and so a handler with access) of another aid team."""
    from solidar.accounts.tests.factories import add_totp

    other = AidTeam.objects.create(
        collective=CollectiveFactory(slug="other-aid", name="Other aid", working_group=True)
    )
    user = UserFactory(username="otheraid", display_name="Ivo")
    user.totp_secret = add_totp(user)
    MembershipFactory(collective=other.collective, user=user, coordinator=True)
    team.set_passphrase(other, user, PASSPHRASE)
    return user, other


def requests_for(case, item, custom, assignee) -> list[tuple[str, str, dict]]:
    """(method, url, data) of every handler URL, in an order in which each succeeds."""
    base = reverse("aid:case", args=[case.pk])
    return [
        ("get", reverse("aid:queue"), {}),
        ("get", base, {}),
        ("post", base + "claim/", {}),
        ("post", base + "release/", {}),
        ("post", base + "assign/", {"assign-assignee": assignee.pk}),
        ("post", base + "status/", {"status-status": "triaged"}),
        ("post", base + "note/", {"note-text": "a note"}),
        ("post", base + "reply/", {"reply-text": "a reply"}),
        (
            "post",
            base + "referral/",
            {"referral-organisation": "Partner", "referral-text": "advice"},
        ),
        ("post", base + "checklist/", {"step-label": "my step"}),
        ("post", base + f"checklist/{item.pk}/done/", {}),
        ("post", base + f"checklist/{item.pk}/due/", {"due_on": "2031-01-01"}),
        ("post", base + f"checklist/{custom.pk}/remove/", {}),
    ]


def _fixture(make_case, handler):
    case, _ = make_case()
    item = casework.ensure_checklist(case)[0]
    custom = casework.add_item(case, "own step", by=handler)
    return case, item, custom


def _answers(client, requests):
    return [(url, getattr(client, method)(url, data)) for method, url, data in requests]


def _status_and_place(response) -> str:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        for name, prefix in (
            ("login", LOGIN),
            ("unlock", reverse("aid:unlock")),
            ("mfa", reverse("mfa_index")),
        ):
            if location.startswith(prefix):
                return name
        return f"redirect {location}"
    return str(response.status_code)


def _unchanged(case) -> None:
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.assignee_id) == (Case.Status.NEW, None)
    assert not Entry.objects.filter(case=case).exists()
    assert ChecklistItem.objects.filter(case=case, key="").count() == 1
    assert not ChecklistItem.objects.filter(case=case, done_at__isnull=False).exists()


@pytest.mark.parametrize(
    "persona",
    ["outsider", "cell_member", "cell_coordinator", "other_team_handler"],
)
def test_people_outside_the_team_get_nothing(request, persona, aid_team, handler, make_case):
    case, item, custom = _fixture(make_case, handler)
    if persona == "outsider":
        client, expected = Client(), "login"
    else:
        user = request.getfixturevalue(persona)
        if persona == "other_team_handler":
            user, other = user
            client = unlock_client(client_for(user), user, other)
        else:
            client = client_for(user)
        expected = "404"
    answers = _answers(client, requests_for(case, item, custom, handler))
    if persona == "other_team_handler":
        # Their own team's queue, without this team's case.
        (_url, queue), *answers = answers
        assert queue.status_code == 200
        assert queue.context["aid_team"] != aid_team
        assert queue.context["rows"] == []
    for url, response in answers:
        assert _status_and_place(response) == expected, url
    _unchanged(case)


@pytest.mark.parametrize("persona", ["team_member", "pending_handler"])
def test_team_members_without_access_see_the_way_to_access_and_no_case(
    request, persona, aid_team, handler, make_case
):
    case, item, custom = _fixture(make_case, handler)
    client = client_for(request.getfixturevalue(persona))
    answers = _answers(client, requests_for(case, item, custom, handler))
    (queue_url, queue), *rest = answers
    assert queue.status_code == 200
    assert reverse("aid:team") in queue.content.decode()
    assert f"#{case.number}" not in queue.content.decode()
    for url, response in rest:
        assert _status_and_place(response) == "404", url
    _unchanged(case)


def test_a_handler_without_mfa_is_sent_to_set_it_up(
    aid_team, handler, handler_without_mfa, make_case
):
    case, item, custom = _fixture(make_case, handler)
    client = unlock_client(client_for(handler_without_mfa), handler_without_mfa, aid_team)
    for url, response in _answers(client, requests_for(case, item, custom, handler)):
        assert _status_and_place(response) == "mfa", url
    _unchanged(case)


def test_a_handler_with_locked_keys_is_sent_to_unlock(aid_team, handler, make_case):
    case, item, custom = _fixture(make_case, handler)
    client = client_for(handler)
    answers = _answers(client, requests_for(case, item, custom, handler))
    (queue_url, queue), *rest = answers
    assert queue.status_code == 200  # the queue needs no keys
    assert f"#{case.number}" in queue.content.decode()
    for url, response in rest:
        assert _status_and_place(response) == "unlock", url
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.assignee_id) == (Case.Status.NEW, None)
    # Only the typed texts were kept (sealing needs no keys); no state changed.
    assert sorted(Entry.objects.filter(case=case).values_list("kind", flat=True)) == [
        "note",
        "referral",
        "to_requester",
    ]
    assert ChecklistItem.objects.filter(case=case, key="").count() == 2


@pytest.mark.parametrize("persona", ["handler", "aid_coordinator"])
def test_handlers_with_access_do_everything(
    request, persona, aid_team, handler, aid_coordinator, unlocked_client, make_case
):
    case, item, custom = _fixture(make_case, handler)
    user = request.getfixturevalue(persona)
    other = aid_coordinator if user == handler else handler
    client = unlocked_client(user)
    answers = _answers(client, requests_for(case, item, custom, other))
    case_url = reverse("aid:case", args=[case.pk])
    assert [r.status_code for _url, r in answers[:2]] == [200, 200]
    for url, response in answers[2:]:
        assert response.status_code == 302, url
        assert response["Location"].startswith(case_url), url
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Case.Status.TRIAGED, other)
    assert Entry.objects.filter(case=case).count() == 3
    item.refresh_from_db()
    assert item.done_at is not None and item.due_on.isoformat() == "2031-01-01"
    assert not ChecklistItem.objects.filter(pk=custom.pk).exists()
