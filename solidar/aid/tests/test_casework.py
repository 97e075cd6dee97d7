"""casework.py: the rules of the work on a case, and claiming under a real race."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from solidar.aid import casework, checklists
from solidar.aid.models import Case, ChecklistItem, Kind, Urgency
from solidar.core.models import AuditEvent

S = Case.Status


@pytest.mark.django_db
def test_every_kind_has_a_checklist_and_the_keys_are_unique():
    for kind in Kind.values:
        template = checklists.TEMPLATES[kind]
        keys = [key for key, _label in template]
        assert keys and len(keys) == len(set(keys)), kind
        assert all(len(key) <= 40 and str(label) for key, label in template)
    departure = [str(label) for _key, label in checklists.TEMPLATES[Kind.DEPARTURE]]
    assert "Visa options" in departure and "Contacts on arrival" in departure


@pytest.mark.django_db
def test_the_checklist_is_made_once(aid_team, handler, make_case):
    case, _ = make_case(kind=Kind.LEGAL)
    first = casework.ensure_checklist(case)
    casework.add_item(case, "own", by=handler)
    again = casework.ensure_checklist(case)
    assert [i.key for i in first] == [key for key, _ in checklists.TEMPLATES[Kind.LEGAL]]
    assert len(again) == len(first) + 1


@pytest.mark.django_db
def test_triage_makes_the_checklist(aid_team, handler, make_case):
    case, _ = make_case(kind=Kind.HOUSING)
    casework.set_status(case, S.TRIAGED, by=handler)
    assert ChecklistItem.objects.filter(case=case).count() == len(
        checklists.TEMPLATES[Kind.HOUSING]
    )


@pytest.mark.django_db
def test_only_the_allowed_transitions(aid_team, handler, make_case):
    case, _ = make_case()
    for status in S.values:
        allowed = casework.TRANSITIONS[status]
        for target in S.values:
            Case.objects.filter(pk=case.pk).update(
                status=status, closed_at=timezone.now() if status == S.CLOSED else None
            )
            case.refresh_from_db()
            if target in allowed:
                casework.set_status(case, target, by=handler, outcome="helped")
                case.refresh_from_db()
                assert case.status == target
            else:
                with pytest.raises(casework.CaseworkError):
                    casework.set_status(case, target, by=handler, outcome="helped")
                case.refresh_from_db()
                assert case.status == status


@pytest.mark.django_db
def test_closing_needs_a_real_outcome_and_reopening_ends_with_retention(
    aid_team, handler, make_case, settings
):
    case, _ = make_case()
    for outcome in ("", "great", None):
        with pytest.raises(casework.CaseworkError):
            casework.set_status(case, S.CLOSED, by=handler, outcome=outcome or "")
    casework.set_status(case, S.CLOSED, by=handler, outcome=Case.Outcome.NO_CONTACT)
    event = AuditEvent.objects.get(action="aid.case_status")
    assert event.data == {
        "team": aid_team.pk,
        "old": "new",
        "new": "closed",
        "outcome": "no_contact",
    }
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - timedelta(days=settings.SOLIDAR_AID_RETENTION_DAYS + 1)
    )
    case.refresh_from_db()
    assert casework.next_statuses(case) == []
    with pytest.raises(casework.CaseworkError, match="too long ago"):
        casework.set_status(case, S.IN_PROGRESS, by=handler)


@pytest.mark.django_db
def test_claiming(aid_team, handler, aid_coordinator, make_case):
    case, _ = make_case()
    casework.claim(case, handler)
    with pytest.raises(casework.CaseworkError, match="already work on"):
        casework.claim(case, handler)
    with pytest.raises(casework.CaseworkError, match="Andrii took this case"):
        casework.claim(case, aid_coordinator)
    with pytest.raises(casework.CaseworkError, match="not assigned to you"):
        casework.release(case, by=aid_coordinator)
    closed, _ = make_case()
    casework.set_status(closed, S.CLOSED, by=handler, outcome="spam")
    with pytest.raises(casework.CaseworkError, match="closed"):
        casework.claim(closed, handler)
    assert Case.objects.get(pk=closed.pk).assignee is None


@pytest.mark.django_db
def test_assigning_only_to_handlers_with_access(
    aid_team, handler, pending_handler, team_member, cell_coordinator, make_case
):
    case, _ = make_case()
    for person in (pending_handler, team_member, cell_coordinator, None):
        with pytest.raises(casework.CaseworkError):
            casework.assign(case, person, by=handler)
    assert Case.objects.get(pk=case.pk).assignee is None
    assert [u.username for u in casework.team_handlers(aid_team)] == ["handler", "aidcoord"]


@pytest.mark.django_db
def test_empty_and_oversize_texts_are_refused(aid_team, handler, make_case):
    case, _ = make_case()
    for call in (
        lambda: casework.add_note(case, "  ", by=handler),
        lambda: casework.reply(case, "x" * (casework.TEXT_MAX + 1), by=handler),
        lambda: casework.refer(case, "", "what for", by=handler),
        lambda: casework.refer(case, "Org", "", by=handler),
        lambda: casework.add_item(case, "x" * (casework.LABEL_MAX + 1), by=handler),
    ):
        with pytest.raises(casework.CaseworkError):
            call()
    assert not case.entries.exists()
    assert not ChecklistItem.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_the_usual_steps_cannot_be_removed(aid_team, handler, make_case):
    case, _ = make_case()
    item = casework.ensure_checklist(case)[0]
    with pytest.raises(casework.CaseworkError):
        casework.remove_item(item, by=handler)
    assert ChecklistItem.objects.filter(pk=item.pk).exists()


@pytest.mark.django_db
def test_overdue_is_the_same_in_the_queue_and_on_the_case(aid_team, handler, make_case):
    now = timezone.now()
    cases = []
    for urgency, hours in (
        (Urgency.IMMEDIATE, 11),
        (Urgency.IMMEDIATE, 13),
        (Urgency.DAYS, 47),
        (Urgency.DAYS, 49),
        (Urgency.WEEKS, 500),
        (Urgency.NOT_URGENT, 5000),
    ):
        case, _ = make_case(urgency=urgency)
        Case.objects.filter(pk=case.pk).update(created_at=now - timedelta(hours=hours))
        cases.append(case)
    step = casework.ensure_checklist(cases[4])[0]
    casework.set_due(step, timezone.localdate() - timedelta(days=2), by=handler)
    in_queue = {
        c.pk: c.overdue for c in casework.mark(list(casework.queue(aid_team, status="all")), now)
    }
    on_case = {
        c.pk: casework.is_overdue(c, list(c.checklist.all()), now)
        for c in Case.objects.filter(team=aid_team)
    }
    assert in_queue == on_case
    # The queue's pages read the late steps with the cases (one query, not two).
    with CaptureQueriesContext(connection) as queries:
        page = casework.queue_page(aid_team, casework.queue(aid_team, status="all")[:50], now)
    assert len(queries) == 1
    assert {c.pk: c.overdue for c in page} == on_case
    assert [in_queue[c.pk] for c in cases] == [False, True, False, True, True, False]


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["open", "all", "closed"])
def test_a_page_of_the_queue_is_the_same_read_either_way(
    aid_team, handler, aid_coordinator, make_case, status
):
    """queue_page reads a later page by a deferred join: the same cases, the same order,
    the same handlers as the slice read directly."""
    now = timezone.now()
    urgencies = list(Urgency)
    for i in range(13):
        case, _ = make_case(urgency=urgencies[i % len(urgencies)])
        # Some share a creation time: the number decides between them.
        Case.objects.filter(pk=case.pk).update(created_at=now - timedelta(hours=i // 2))
        if i % 3 == 0:
            casework.claim(case, aid_coordinator if i % 2 else handler)
        if i % 4 == 1:
            casework.set_status(case, Case.Status.CLOSED, by=handler, outcome=Case.Outcome.HELPED)
    everything = list(casework.queue(aid_team, status=status))
    assert everything
    for bottom in range(0, len(everything), 4):
        page = casework.queue_page(
            aid_team, casework.queue(aid_team, status=status)[bottom : bottom + 4]
        )
        assert [c.pk for c in page] == [c.pk for c in everything[bottom : bottom + 4]]
        assert [str(c.assignee) if c.assignee_id else "" for c in page] == [
            str(c.assignee) if c.assignee_id else "" for c in everything[bottom : bottom + 4]
        ]


@pytest.mark.django_db
def test_the_open_queue_writes_the_partial_index_condition():
    """SQLite skips a case's own row only when the condition is the index's text."""
    from solidar.aid.models import AidTeam

    sql = str(casework.queue(AidTeam(pk=1)).query)
    assert 'NOT ("aid_case"."status" = \'closed\')' in sql


# -- a real race (PostgreSQL) ------------------------------------------------------------------
def _races_here() -> bool:
    if connection.vendor == "sqlite":
        name = connection.settings_dict.get("TEST", {}).get("NAME") or ""
        return bool(name) and name != ":memory:" and "mode=memory" not in name
    return True


@pytest.mark.skipif(
    not _races_here(),
    reason="concurrency needs PostgreSQL (or a file database): an in-memory SQLite database "
    "refuses concurrent writers instead of waiting",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("threads", [2, 20])
def test_handlers_claiming_at_once_end_with_one_owner(
    aid_team, aid_coordinator, threads, make_case
):
    from solidar.accounts.tests.factories import UserFactory
    from solidar.aid import team
    from solidar.aid.tests.conftest import PASSPHRASE, team_keys_of
    from solidar.network.tests.factories import MembershipFactory

    keys = team_keys_of(aid_coordinator, aid_team)
    racers = []
    for i in range(threads):
        user = UserFactory(username=f"racer{i:02d}", display_name=f"Racer {i:02d}")
        MembershipFactory(collective=aid_team.collective, user=user)
        row = team.set_passphrase(aid_team, user, PASSPHRASE)
        team.grant_access(aid_team, row, keys, by=aid_coordinator)
        racers.append(user)
    case, _ = make_case()

    barrier = threading.Barrier(threads)
    results: list[object] = [None] * threads
    crashes: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            try:
                casework.claim(Case.objects.get(pk=case.pk), racers[i])
                results[i] = "won"
            except casework.CaseworkError as error:
                results[i] = error.message
            finally:
                connections.close_all()
        except BaseException as error:  # noqa: BLE001 - reported below
            crashes.append(error)

    workers = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert crashes == []
    assert results.count("won") == 1
    winner = racers[results.index("won")]
    assert all(r.endswith("took this case a moment before you.") for r in results if r != "won")
    case.refresh_from_db()
    assert case.assignee == winner
    assert AuditEvent.objects.filter(action="aid.case_claimed").count() == 1
