"""The need-to-know predicates as a matrix: persona x collective x permission.

Each permission lists, per persona, the collectives where it holds; everywhere else it
must not. The same answers must come out of ``user.has_perm`` (what views and the
``{% has_perm %}`` tag ask) and the access helpers (which turn "no" into 404).
"""

from __future__ import annotations

import pytest
import rules
from django.http import Http404

from solidar.accounts import rules as account_rules
from solidar.accounts.models import User
from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.network import access, services
from solidar.network.models import Collective, Membership
from solidar.network.tests.factories import CollectiveFactory, MembershipFactory

COLLECTIVES = ["koeln", "paris", "minsk"]
PERSONAS = [
    "outsider",
    "applicant",
    "other_member",
    "member",
    "coordinator",
    "coordinator_without_mfa",
    "admin",
    "hidden_member",
]
KOELN_PEOPLE = {"member": {"koeln"}, "coordinator": {"koeln"}, "coordinator_without_mfa": {"koeln"}}
OWN_CELL = KOELN_PEOPLE | {"other_member": {"paris"}, "hidden_member": {"minsk"}}
PUBLIC = {"koeln", "paris"}

# permission -> persona -> the collectives where it holds (absent: nowhere)
EXPECTED: dict[str, dict[str, set[str]]] = {
    "network.view_collective": {
        "outsider": PUBLIC,
        "applicant": PUBLIC,
        "other_member": PUBLIC,
        "member": PUBLIC,
        "coordinator": PUBLIC,
        "coordinator_without_mfa": PUBLIC,
        "admin": {"koeln", "paris", "minsk"},
        "hidden_member": {"koeln", "paris", "minsk"},
    },
    "network.view_members": OWN_CELL,
    "network.share_contacts": OWN_CELL,
    # A pending application does not stop the rule: the database constraint refuses a second.
    "network.apply": {
        "applicant": PUBLIC,
        "other_member": {"koeln"},
        "member": {"paris"},
        "coordinator": {"paris"},
        "coordinator_without_mfa": {"paris"},
        "admin": PUBLIC,
        "hidden_member": PUBLIC,
    },
    "network.join": {},  # cells take applications, nobody joins them directly
    "network.leave": OWN_CELL,
    "network.manage_collective": {"coordinator": {"koeln"}, "coordinator_without_mfa": {"koeln"}},
    "network.appoint_coordinator": {
        "coordinator": {"koeln"},
        "coordinator_without_mfa": {"koeln"},
        "admin": {"koeln", "paris", "minsk"},
    },
}

MATRIX = [
    (permission, persona, slug)
    for permission in EXPECTED
    for persona in PERSONAS
    for slug in COLLECTIVES
]


@pytest.fixture
def cells(koeln, paris, minsk):
    return {"koeln": koeln, "paris": paris, "minsk": minsk}


def fresh(user):
    """The user as the next request loads it: no per-request membership cache."""
    if not user.is_authenticated:
        return user
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize(("permission", "persona", "slug"), MATRIX)
def test_collective_permission_matrix(persona_users, cells, permission, persona, slug):
    user = fresh(persona_users[persona])
    expected = slug in EXPECTED[permission].get(persona, set())

    assert rules.has_perm(permission, user, cells[slug]) is expected
    # Django answers yes to everything for a superuser unless asked through rules itself;
    # the instance admin must not get member lists that way.
    assert user.has_perm(permission, cells[slug]) is expected


APPLICATION_EXPECTED = {
    "network.view_application": {"applicant", "member", "coordinator", "coordinator_without_mfa"},
    "network.vouch": {"member", "coordinator", "coordinator_without_mfa"},
    # Coordinator privileges: without MFA a coordinator is a member here (THREATS 1).
    "network.see_concerns": {"coordinator"},
    "network.decide_application": {"coordinator"},
    "network.withdraw_application": {"applicant"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("permission", list(APPLICATION_EXPECTED))
def test_application_permission_matrix(persona_users, application, permission, persona):
    user = fresh(persona_users[persona])
    expected = persona in APPLICATION_EXPECTED[permission]

    assert user.has_perm(permission, application) is expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_helpers_answer_404_where_the_rules_say_no(persona_users, cells, persona):
    user = fresh(persona_users[persona])
    helpers = {
        "network.view_collective": access.get_collective_for_viewer,
        "network.view_members": access.get_collective_for_member,
        "network.manage_collective": access.get_collective_for_coordinator,
        "network.appoint_coordinator": access.get_collective_for_appointer,
    }
    for permission, helper in helpers.items():
        for slug in COLLECTIVES:
            if slug in EXPECTED[permission].get(persona, set()):
                assert helper(user, slug) == cells[slug]
            else:
                with pytest.raises(Http404):
                    helper(user, slug)
        with pytest.raises(Http404):
            helper(user, "nowhere")


@pytest.mark.parametrize("persona", PERSONAS)
def test_application_helper_answers_404_to_strangers(persona_users, application, persona):
    user = fresh(persona_users[persona])

    if persona in APPLICATION_EXPECTED["network.view_application"]:
        assert access.get_application_for_viewer(user, application.pk) == application
    else:
        with pytest.raises(Http404):
            access.get_application_for_viewer(user, application.pk)


@pytest.mark.parametrize("persona", PERSONAS)
def test_hidden_collective_is_in_no_list_but_its_members_and_admins(persona_users, cells, persona):
    user = fresh(persona_users[persona])

    visible = set(access.visible_collectives(user).values_list("slug", flat=True))

    assert visible == EXPECTED["network.view_collective"][persona]


def test_hidden_working_group_of_a_hidden_cell_stays_hidden(minsk, hidden_member, member):
    group = services.create_collective(
        by=None, kind=Collective.Kind.WORKING_GROUP, slug="minsk-readers", name="R", parent=minsk
    )

    assert group.is_hidden
    assert not fresh(member).has_perm("network.view_collective", group)
    assert not fresh(member).has_perm("network.join", group)


def test_suspended_member_loses_the_member_list_but_can_still_leave(member, koeln, coordinator):
    services.suspend_member(Membership.objects.get(user=member, collective=koeln), by=coordinator)
    user = fresh(member)

    assert not user.has_perm("network.view_members", koeln)
    assert not user.has_perm("network.share_contacts", koeln)
    assert not user.has_perm("network.apply", koeln)  # still a member: no second application
    assert user.has_perm("network.leave", koeln)
    with pytest.raises(Http404):
        access.get_collective_for_member(user, "koeln")


def test_suspended_member_of_a_hidden_cell_no_longer_sees_it(hidden_member, minsk, admin_user):
    services.suspend_member(Membership.objects.get(user=hidden_member), by=admin_user)

    with pytest.raises(Http404):
        access.get_collective_for_viewer(fresh(hidden_member), "minsk")


def test_removal_counts_from_the_next_request(member, koeln, coordinator):
    this_request = member
    assert this_request.has_perm("network.view_members", koeln)  # loads the cache

    services.remove_member(Membership.objects.get(user=member, collective=koeln), by=coordinator)

    next_request = fresh(member)
    assert not next_request.has_perm("network.view_members", koeln)
    assert not next_request.has_perm("network.leave", koeln)
    with pytest.raises(Http404):
        access.get_collective_for_member(next_request, "koeln")


def test_removed_coordinator_loses_manage_at_once(coordinator, coordinator_without_mfa, koeln):
    membership = Membership.objects.get(user=coordinator_without_mfa, collective=koeln)

    services.remove_member(membership, by=coordinator)

    with pytest.raises(Http404):
        access.get_collective_for_coordinator(fresh(coordinator_without_mfa), "koeln")


def test_coordinators_are_privileged_and_need_mfa(coordinator, coordinator_without_mfa, member):
    assert account_rules.is_privileged(fresh(coordinator))
    assert account_rules.is_privileged(fresh(coordinator_without_mfa))
    assert not account_rules.is_privileged(fresh(member))
    assert rules.has_perm("accounts.use_privileged_pages", fresh(coordinator))
    assert not rules.has_perm("accounts.use_privileged_pages", fresh(coordinator_without_mfa))


def test_suspended_or_former_coordinator_is_no_longer_privileged(koeln, coordinator):
    second = MembershipFactory(collective=koeln, coordinator=True)
    add_totp(second.user)
    third = MembershipFactory(collective=koeln, coordinator=True)

    services.suspend_member(second, by=coordinator)
    services.remove_member(third, by=coordinator)

    assert not account_rules.is_privileged(fresh(second.user))
    assert not account_rules.is_privileged(fresh(third.user))


def test_working_groups_open_to_network_members_only(koeln, member, applicant):
    group = CollectiveFactory(slug="prisoners", working_group=True)
    newcomer = UserFactory()

    assert fresh(member).has_perm("network.join", group)
    assert not fresh(applicant).has_perm("network.join", group)  # not a member of anything yet
    assert not fresh(newcomer).has_perm("network.apply", group)
    assert not fresh(member).has_perm("network.view_members", group)


def test_approval_working_group_takes_requests_from_members_only(member, applicant):
    group = CollectiveFactory(
        slug="campaigns", working_group=True, join_policy=Collective.JoinPolicy.APPROVAL
    )

    assert fresh(member).has_perm("network.apply", group)
    assert not fresh(member).has_perm("network.join", group)
    assert not fresh(applicant).has_perm("network.apply", group)


def test_inactive_collective_takes_no_applications(koeln, applicant):
    Collective.objects.filter(pk=koeln.pk).update(is_active=False)
    koeln.refresh_from_db()

    assert not fresh(applicant).has_perm("network.apply", koeln)
    assert not fresh(applicant).has_perm("network.view_collective", koeln)
