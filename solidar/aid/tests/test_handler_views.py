"""The handlers' pages: the triage queue and the case page, and every action on a case
(views/handler.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from solidar.aid import casefile, casework, codenames
from solidar.aid.models import Case, ChecklistItem, Entry, Kind, Urgency
from solidar.aid.tests.conftest import team_keys_of
from solidar.conftest import client_for
from solidar.core.models import AuditEvent
from solidar.core.testing import assert_max_queries

pytestmark = pytest.mark.django_db

QUEUE = "/en/aid/"


def case_url(case, action=""):
    return reverse("aid:case", args=[case.pk]) + (f"{action}/" if action else "")


def test_the_queue_lists_open_cases_by_urgency_then_age(
    aid_team, handler, unlocked_client, make_case
):
    later, _ = make_case(urgency=Urgency.WEEKS)
    urgent, _ = make_case(urgency=Urgency.IMMEDIATE, kind=Kind.PRISONER, country="RU")
    old_days, _ = make_case(urgency=Urgency.DAYS)
    Case.objects.filter(pk=old_days.pk).update(created_at=timezone.now() - timedelta(days=3))
    closed, _ = make_case(urgency=Urgency.IMMEDIATE)
    casework.set_status(closed, Case.Status.CLOSED, by=handler, outcome=Case.Outcome.SPAM)

    response = unlocked_client(handler).get(QUEUE)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    numbers = [row.case.number for row in response.context["rows"]]
    assert numbers == [urgent.number, old_days.number, later.number]
    html = response.content.decode()
    assert "Support for a prisoner or their family" in html
    assert "3\xa0days" in html
    # No sealed content in the queue.
    assert "searched my flat" not in html
    assert "@safe-handle" not in html


def test_the_queue_filters(aid_team, handler, aid_coordinator, unlocked_client, make_case):
    mine, _ = make_case(kind=Kind.LEGAL)
    casework.claim(mine, handler)
    theirs, _ = make_case(kind=Kind.HOUSING)
    casework.claim(theirs, aid_coordinator)
    free, _ = make_case(kind=Kind.HOUSING)
    closed, _ = make_case()
    casework.set_status(closed, Case.Status.CLOSED, by=handler, outcome=Case.Outcome.HELPED)
    client = unlocked_client(handler)

    def numbers(query):
        return {row.case.number for row in client.get(QUEUE + query).context["rows"]}

    assert numbers("") == {mine.number, theirs.number, free.number}
    assert numbers("?who=mine") == {mine.number}
    assert numbers("?who=unassigned") == {free.number}
    assert numbers("?kind=housing") == {theirs.number, free.number}
    assert numbers("?status=closed") == {closed.number}
    assert numbers("?status=all") == {mine.number, theirs.number, free.number, closed.number}
    # Unknown values fall back to the defaults.
    assert numbers("?status=bogus&kind=nope&who=everyone") == numbers("")


def test_overdue_and_news_flags(aid_team, handler, unlocked_client, make_case):
    late, _ = make_case(urgency=Urgency.IMMEDIATE)
    Case.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(hours=13))
    replied, _ = make_case(urgency=Urgency.IMMEDIATE)
    Case.objects.filter(pk=replied.pk).update(created_at=timezone.now() - timedelta(hours=13))
    casework.reply(replied, "We are on it.", by=handler)
    fresh, _ = make_case(urgency=Urgency.DAYS)
    slow, _ = make_case(urgency=Urgency.NOT_URGENT)
    step = casework.ensure_checklist(slow)[0]
    casework.set_due(step, timezone.localdate() - timedelta(days=1), by=handler)
    seen, _ = make_case(urgency=Urgency.WEEKS)
    casework.record_view(seen, handler)

    response = unlocked_client(handler).get(QUEUE)

    flags = {
        row.case.number: (row.case.overdue, row.case.has_news) for row in response.context["rows"]
    }
    assert flags[late.number] == (True, True)
    assert flags[replied.number][0] is False
    assert flags[fresh.number] == (False, True)
    assert flags[slow.number] == (True, True)
    assert flags[seen.number] == (False, False)
    html = response.content.decode()
    assert html.count("case-row--overdue-urgent") == 1
    assert html.count("case-row--overdue") == 3  # the two classes of the urgent one, the slow one


def test_the_case_page_opens_the_request_and_the_timeline_and_is_audited(
    aid_team, handler, aid_coordinator, unlocked_client, make_case
):
    case, _ = make_case(situation="canary-c4se: they came at night", contact="@sig-handle")
    casefile.add_entry(case, Entry.Kind.FROM_REQUESTER, {"text": "Any news?"})
    casework.add_note(case, "Called the lawyer.", by=aid_coordinator)
    casework.refer(case, "Legal Partners e.V.", "Asylum advice", by=aid_coordinator)

    response = unlocked_client(handler).get(case_url(case))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    for text in (
        "canary-c4se: they came at night",
        "A safe way out within a week.",
        "Signal",
        "@sig-handle",
        "Any news?",
        "Called the lawyer.",
        "Legal Partners e.V.",
        "Asylum advice",
        "Olga",  # the note's author
        "The requester",
        "Routes out of the country",  # the departure checklist
        reverse("aid:matches", args=[case.pk]),
    ):
        assert text in html, text
    event = AuditEvent.objects.get(action="aid.case_viewed")
    assert (event.actor_id, event.object_id) == (handler.pk, str(case.pk))
    assert "canary" not in str(event.data)
    case.refresh_from_db()
    assert case.handler_seen_at is not None
    assert ChecklistItem.objects.filter(case=case).count() == 6


def test_the_case_page_needs_unlocked_keys(aid_team, handler, make_case):
    case, _ = make_case()
    response = client_for(handler).get(case_url(case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("aid:unlock") + "?next=")
    assert not AuditEvent.objects.filter(action="aid.case_viewed").exists()


def test_claim_release_and_assign(aid_team, handler, aid_coordinator, unlocked_client, make_case):
    case, _ = make_case()
    client = unlocked_client(handler)

    response = client.post(case_url(case, "claim"), follow=True)
    assert "You work on this case now." in response.content.decode()
    case.refresh_from_db()
    assert case.assignee == handler

    # The coordinator comes too late.
    other = unlocked_client(aid_coordinator)
    response = other.post(case_url(case, "claim"))
    assert response.status_code == 409
    assert "Andrii took this case a moment before you." in response.content.decode()
    case.refresh_from_db()
    assert case.assignee == handler

    response = client.post(case_url(case, "release"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee is None

    response = client.post(case_url(case, "assign"), {"assign-assignee": aid_coordinator.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == aid_coordinator
    actions = list(
        AuditEvent.objects.filter(object_id=str(case.pk), action__startswith="aid.case_")
        .exclude(action="aid.case_viewed")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["aid.case_claimed", "aid.case_released", "aid.case_assigned"]


def test_a_case_cannot_be_assigned_to_someone_without_access(
    aid_team, handler, pending_handler, team_member, unlocked_client, make_case
):
    case, _ = make_case()
    client = unlocked_client(handler)
    for person in (pending_handler, team_member):
        response = client.post(case_url(case, "assign"), {"assign-assignee": person.pk})
        assert response.status_code == 400
        assert "Choose a handler of this team." in response.content.decode()
    case.refresh_from_db()
    assert case.assignee is None


def test_the_status_moves_on_and_closing_needs_an_outcome(
    aid_team, handler, unlocked_client, make_case
):
    case, _ = make_case()
    client = unlocked_client(handler)
    url = case_url(case, "status")

    assert client.post(url, {"status-status": "triaged"}).status_code == 302
    assert client.post(url, {"status-status": "in_progress"}).status_code == 302
    response = client.post(url, {"status-status": "closed"})
    assert response.status_code == 400
    assert "Choose the outcome to close the case." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS

    assert (
        client.post(url, {"status-status": "closed", "status-outcome": "helped"}).status_code == 302
    )
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.HELPED)
    assert case.closed_at is not None

    # Reopened within the retention period: outcome and closing time cleared.
    assert client.post(url, {"status-status": "in_progress"}).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_at) == (Case.Status.IN_PROGRESS, "", None)


def test_a_status_the_case_cannot_take_is_refused(aid_team, handler, unlocked_client, make_case):
    case, _ = make_case()
    response = unlocked_client(handler).post(case_url(case, "status"), {"status-status": "waiting"})
    assert response.status_code == 400
    assert "This case cannot get that status now." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.NEW


def test_note_reply_and_referral_are_sealed_and_shown(
    aid_team, handler, unlocked_client, make_case
):
    case, codename = make_case()
    client = unlocked_client(handler)

    assert client.post(case_url(case, "note"), {"note-text": "canary-n0te"}).status_code == 302
    assert client.post(case_url(case, "reply"), {"reply-text": "canary-r3ply"}).status_code == 302
    response = client.post(
        case_url(case, "referral"),
        {"referral-organisation": "Partner Org", "referral-text": "canary-r3f"},
    )
    assert response.status_code == 302

    entries = list(Entry.objects.filter(case=case))
    assert [e.kind for e in entries] == ["note", "to_requester", "referral"]
    for entry in entries:
        assert b"canary" not in bytes(entry.sealed)
        assert entry.author == handler
    # The requester reads the reply, not the note.
    conversation = casefile.conversation_for_requester(case, codenames.derive(codename))
    assert [o.text for o in conversation] == ["canary-r3ply"]
    case.refresh_from_db()
    assert case.first_reply_at is not None
    html = client.get(case_url(case)).content.decode()
    for text in ("canary-n0te", "canary-r3ply", "canary-r3f", "Partner Org"):
        assert text in html
    audit = AuditEvent.objects.filter(action="aid.entry_added")
    assert sorted(a.data["kind"] for a in audit) == ["note", "referral", "to_requester"]
    assert "canary" not in str([a.data for a in audit])


def test_an_empty_or_oversize_note_keeps_the_text(aid_team, handler, unlocked_client, make_case):
    case, _ = make_case()
    client = unlocked_client(handler)
    response = client.post(case_url(case, "note"), {"note-text": "   "})
    assert response.status_code == 400
    assert "Write the note first." in response.content.decode()
    long_text = "keep-me " * 1300
    response = client.post(case_url(case, "reply"), {"reply-text": long_text})
    assert response.status_code == 400
    assert "keep-me keep-me" in response.content.decode()
    assert not Entry.objects.filter(case=case).exists()


def test_the_checklist(aid_team, handler, unlocked_client, make_case):
    case, _ = make_case(kind=Kind.PRISONER)
    client = unlocked_client(handler)
    client.get(case_url(case))  # first opened: the prisoner steps
    keys = [item.key for item in ChecklistItem.objects.filter(case=case)]
    assert keys == ["lawyer", "letters", "parcels", "family", "campaign"]
    first = ChecklistItem.objects.filter(case=case).first()

    assert client.post(case_url(case, f"checklist/{first.pk}/done")).status_code == 302
    first.refresh_from_db()
    assert first.done_at is not None and first.done_by == handler
    assert client.post(case_url(case, f"checklist/{first.pk}/done")).status_code == 302
    first.refresh_from_db()
    assert first.done_at is None and first.done_by is None

    response = client.post(case_url(case, f"checklist/{first.pk}/due"), {"due_on": "2031-02-03"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.due_on.isoformat() == "2031-02-03"
    response = client.post(case_url(case, f"checklist/{first.pk}/due"), {"due_on": "soon"})
    assert response.status_code == 400
    assert 'value="soon"' in response.content.decode()

    response = client.post(case_url(case, "checklist"), {"step-label": "canary-st3p: call mum"})
    assert response.status_code == 302
    custom = ChecklistItem.objects.get(case=case, key="")
    assert b"canary" not in bytes(custom.sealed_label)
    assert custom.key_version == 1
    assert "canary-st3p: call mum" in client.get(case_url(case)).content.decode()

    # The usual steps stay; one's own go.
    response = client.post(case_url(case, f"checklist/{first.pk}/remove"))
    assert response.status_code == 409
    assert client.post(case_url(case, f"checklist/{custom.pk}/remove")).status_code == 302
    assert not ChecklistItem.objects.filter(pk=custom.pk).exists()


def test_checklist_items_of_another_case_are_not_found(
    aid_team, handler, unlocked_client, make_case
):
    case, _ = make_case()
    other, _ = make_case()
    item = casework.ensure_checklist(other)[0]
    client = unlocked_client(handler)
    for action in ("done", "due", "remove"):
        response = client.post(case_url(case, f"checklist/{item.pk}/{action}"))
        assert response.status_code == 404


def test_a_text_sent_after_the_keys_were_locked_is_kept(aid_team, handler, make_case):
    case, _ = make_case()
    client = client_for(handler)  # the unlock period ran out
    response = client.post(case_url(case, "note"), {"note-text": "written before the lock"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("aid:unlock"))
    keys = team_keys_of(handler, aid_team)
    assert [o.text for o in casefile.timeline_for_team(case, keys)] == ["written before the lock"]
    # An empty one while locked: the form again, a 400, and the way to unlock.
    response = client.post(case_url(case, "reply"), {"reply-text": ""})
    assert response.status_code == 400
    assert reverse("aid:unlock") in response.content.decode()
    # Nothing else changes without the keys.
    response = client.post(case_url(case, "claim"))
    assert response["Location"].startswith(reverse("aid:unlock"))
    case.refresh_from_db()
    assert case.assignee is None


def test_team_members_without_access_are_pointed_to_the_team_page(
    aid_team, team_member, pending_handler
):
    for user in (team_member, pending_handler):
        response = client_for(user).get(QUEUE)
        assert response.status_code == 200
        assert reverse("aid:team") in response.content.decode()
        assert "rows" not in response.context


def test_a_handler_of_two_teams_chooses_the_team(aid_team, handler, unlocked_client, make_case):
    from solidar.aid import team
    from solidar.aid.models import AidTeam
    from solidar.aid.tests.conftest import PASSPHRASE
    from solidar.network.rules import forget_memberships
    from solidar.network.tests.factories import CollectiveFactory, MembershipFactory

    second = AidTeam.objects.create(
        collective=CollectiveFactory(slug="aid-two", name="Zulu aid", working_group=True)
    )
    MembershipFactory(collective=second.collective, user=handler, coordinator=True)
    forget_memberships(handler)
    team.set_passphrase(second, handler, PASSPHRASE)  # first coordinator: key and access
    make_case()  # in the first team
    other = casefile.create_case(
        second,
        kind=Kind.MONEY,
        country="UA",
        urgency=Urgency.WEEKS,
        languages=["uk"],
        request={"situation": "x"},
        requester=codenames.derive(codenames.generate()),
    )
    client = unlocked_client(handler)
    first_page = client.get(QUEUE)
    assert first_page.context["aid_team"] == aid_team
    assert 'name="team"' in first_page.content.decode()
    response = client.get(QUEUE + f"?team={second.pk}")
    assert response.context["aid_team"] == second
    assert [row.case.pk for row in response.context["rows"]] == [other.pk]
    # A team one does not handle is not chosen.
    assert client.get(QUEUE + "?team=999999").context["aid_team"] == aid_team


# -- query counts ------------------------------------------------------------------------------
# Every page of a handler: session, user, memberships, the set of aid teams' working
# groups (cached; every test starts with a cold cache), handler rows (the privileged-role
# check asks the handler's role first, before the permission queries of the other roles),
# MFA, and the session's new expiry at the end (savepoint, update, release): 9.
BASELINE = 9


def pinned(expected: int) -> int:
    """With Redis (cached_db) the session comes from the cache: one query fewer."""
    return expected - 1 if settings.SESSION_ENGINE.endswith("cached_db") else expected


# The queue: the count, the page of cases (with whether any of its steps is past its due
# date).
QUEUE_QUERIES = BASELINE + 2
# The case page: the case; the audit row and handler_seen_at (savepoint, insert, update,
# release); the checklist, the team's handlers, the timeline.
CASE_QUERIES = BASELINE + 8


@pytest.mark.parametrize("cases", [1, 60])
def test_the_queue_runs_a_fixed_number_of_queries(
    aid_team, handler, aid_coordinator, unlocked_client, make_case, cases
):
    made = [make_case(urgency=Urgency.IMMEDIATE)[0] for _ in range(cases)]
    for case in made[::2]:
        casework.claim(case, aid_coordinator)
    client = unlocked_client(handler)
    with assert_max_queries(pinned(QUEUE_QUERIES), exact=True):
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == min(cases, 50)


@pytest.mark.parametrize("entries", [1, 30])
def test_the_case_page_runs_a_fixed_number_of_queries(
    aid_team, handler, aid_coordinator, unlocked_client, make_case, entries
):
    case, _ = make_case()
    casework.ensure_checklist(case)
    for i in range(entries):
        casework.add_note(case, f"note {i}", by=aid_coordinator if i % 2 else handler)
    for i in range(entries % 5):
        casework.add_item(case, f"step {i}", by=handler)
    client = unlocked_client(handler)
    with assert_max_queries(pinned(CASE_QUERIES), exact=True):
        response = client.get(case_url(case))
    assert len(response.context["timeline"]) == entries


def test_the_queue_rows_escape_what_they_show(aid_team, handler, unlocked_client, make_case):
    case, _ = make_case(urgency=Urgency.IMMEDIATE)
    handler.display_name = '<img src=x onerror=alert(1)>"Andrii'
    handler.save()
    casework.claim(case, handler)
    case.created_at = timezone.now() - timedelta(days=3)
    case.save(update_fields=["created_at"])

    body = unlocked_client(handler).get(QUEUE).content.decode()

    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;&quot;Andrii" in body
    assert f'href="/en/aid/cases/{case.pk}/">#{case.number}</a>' in body
    assert 'class="case-row case-row--overdue case-row--overdue-urgent"' in body
    assert "3\xa0days" in body or "3 days" in body
