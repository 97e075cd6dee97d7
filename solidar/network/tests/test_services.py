"""Every change to the network, and every refusal: a clear message and nothing changed."""

from __future__ import annotations

import base64
import hashlib
import re
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.http import Http404
from django.utils import timezone

from solidar.accounts.models import User
from solidar.accounts.tests.factories import UserFactory
from solidar.core.models import AuditEvent
from solidar.network import access, services
from solidar.network.models import (
    Application,
    Collective,
    Invitation,
    Membership,
    MembershipEvent,
    SharedContact,
    Vouch,
)
from solidar.network.services import NetworkError
from solidar.network.tests.factories import (
    ApplicationFactory,
    CollectiveFactory,
    MembershipFactory,
)

# Words a subject line must never carry: a notification on a seized phone.
TELLTALE = re.compile(r"cell|network|member|admi|applica|k[öo]ln|paris|minsk", re.IGNORECASE)


def state() -> dict:
    """Everything a refused action must leave as it was."""
    return {
        "memberships": list(
            Membership.objects.order_by("pk").values_list(
                "pk", "role", "status", "ended_at", "end_reason"
            )
        ),
        "applications": list(
            Application.objects.order_by("pk").values_list(
                "pk", "status", "vouch_count", "concern_count", "decided_at", "decided_by"
            )
        ),
        "vouches": Vouch.objects.count(),
        "invitations": list(
            Invitation.objects.order_by("pk").values_list("pk", "used_at", "used_by", "revoked_at")
        ),
        "events": MembershipEvent.objects.count(),
        "contacts": SharedContact.objects.count(),
        "collectives": list(
            Collective.objects.order_by("pk").values_list(
                "slug", "member_count", "vouches_required", "join_policy"
            )
        ),
        "audit": AuditEvent.objects.count(),
    }


@contextmanager
def refused(message: str):
    """The block must raise NetworkError containing ``message`` and change nothing."""
    before = state()
    with pytest.raises(NetworkError) as error:
        yield error
    assert message in str(error.value)
    assert state() == before


def fresh(user):
    return User.objects.get(pk=user.pk)


def membership_of(user, collective) -> Membership:
    return Membership.objects.get(user=user, collective=collective, ended_at__isnull=True)


def actions(**filters) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


def raw_column(table: str, column: str, pk) -> str:
    pk = pk.hex if connection.vendor == "sqlite" and hasattr(pk, "hex") else pk
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def links(message) -> list[str]:
    return re.findall(r"https?://[^\s<>\"]+", message.body)


def assert_neutral(message, *names: str):
    assert not TELLTALE.search(message.subject), message.subject
    for name in names:
        assert name.lower() not in message.subject.lower()
        assert name.lower() not in message.body.lower()


# -- collectives --------------------------------------------------------------------------------
def test_unknown_cell_answers_404(member):
    with pytest.raises(Http404):
        access.get_collective_for_viewer(member, "atlantis")
    with pytest.raises(Http404):
        access.get_collective_for_member(member, "atlantis")


def test_create_collective_audits_and_refuses_a_taken_slug(admin_user, koeln):
    cell = services.create_collective(
        by=admin_user,
        kind=Collective.Kind.CELL,
        slug="berlin",
        name="Berlin",
        country="de",
        languages=["ru", "xx"],
        translations={"de": {"description": "Wir treffen uns."}},
    )

    assert cell.country == "DE"
    assert cell.languages == ["ru"]
    assert Collective.objects.get(slug="berlin").description_de == "Wir treffen uns."
    assert actions(object_id=str(cell.pk)) == ["network.collective_created"]
    with refused("already taken"):
        services.create_collective(by=admin_user, kind="cell", slug="koeln", name="Again")


def test_settings_refuse_an_impossible_number_of_vouches(koeln, coordinator):
    for bad in (-1, 21):
        with refused("between 0 and 20"):
            services.update_collective_settings(koeln, by=coordinator, vouches_required=bad)

    services.update_collective_settings(
        koeln, by=coordinator, vouches_required=3, join_policy=Collective.JoinPolicy.OPEN
    )
    koeln.refresh_from_db()
    assert koeln.vouches_required == 3
    assert koeln.join_policy == Collective.JoinPolicy.APPLICATION  # cells keep applications
    assert actions(action="network.settings_changed") == ["network.settings_changed"]


# -- applications -------------------------------------------------------------------------------
def test_application_is_stored_encrypted_and_coordinators_get_a_neutral_mail(
    koeln, coordinator, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=coordinator.pk).update(language="de")
    sympathiser = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        application = services.submit_application(
            koeln,
            sympathiser,
            motivation="  I organise couriers in Köln.  ",
            programme_points=["anti_war", "nonsense"],
            languages=["ru", "klingon"],
            referral="met Vera at a reading",
        )

    application = Application.objects.get(pk=application.pk)
    assert application.is_pending
    assert application.motivation == "I organise couriers in Köln."
    assert application.programme_points == ["anti_war"]
    assert application.languages == ["ru"]
    assert "couriers" not in raw_column("network_application", "motivation", application.pk)
    assert "Vera" not in raw_column("network_application", "referral", application.pk)
    assert actions(object_id=str(application.pk)) == ["network.application_submitted"]
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert_neutral(mail.outbox[0], koeln.name)
    assert urlsplit(links(mail.outbox[0])[0]).path == "/de/dashboard/"


def test_double_application_is_refused(application):
    with refused("already applied"):
        services.submit_application(
            application.collective, fresh(application.applicant), motivation="again"
        )


def test_applying_while_a_member_is_refused(member, koeln):
    with refused("already a member"):
        services.submit_application(koeln, fresh(member), motivation="once more")


def test_applying_while_suspended_is_refused(member, koeln, coordinator):
    services.suspend_member(membership_of(member, koeln), by=coordinator)

    with refused("already a member"):
        services.submit_application(koeln, fresh(member), motivation="let me back")


@pytest.mark.parametrize("motivation", ["", "   \n\t"])
def test_application_without_a_motivation_is_refused(koeln, motivation):
    with refused("why you want to join"):
        services.submit_application(koeln, UserFactory(), motivation=motivation)


def test_nobody_applies_to_a_hidden_cell(minsk):
    with refused("not open"):
        services.submit_application(minsk, UserFactory(), motivation="let me in")


def test_instance_admin_cannot_apply_to_a_hidden_cell(minsk, admin_user):
    with refused("not open"):
        services.submit_application(minsk, fresh(admin_user), motivation="let me in")


def test_anyone_may_apply_again_after_a_decline(application, coordinator):
    services.decline(application, by=coordinator, reason="Not now")

    again = services.submit_application(
        application.collective, fresh(application.applicant), motivation="a year later"
    )

    assert again.is_pending
    assert Application.objects.filter(applicant=application.applicant).count() == 2


# -- vouches ------------------------------------------------------------------------------------
def test_vouch_counts_and_is_audited(application, member):
    services.add_vouch(application, fresh(member), kind=Vouch.Kind.VOUCH)

    application.refresh_from_db()
    assert (application.vouch_count, application.concern_count) == (1, 0)
    assert actions(action="network.application_vouch", actor_id=member.pk) == [
        "network.application_vouch"
    ]


def test_vouching_twice_is_refused(application, member):
    services.add_vouch(application, fresh(member), kind=Vouch.Kind.VOUCH)

    with refused("already answered"):
        services.add_vouch(application, fresh(member), kind=Vouch.Kind.VOUCH)
    with refused("already answered"):
        services.add_vouch(
            application, fresh(member), kind=Vouch.Kind.CONCERN, note="on second look"
        )


def test_vouching_for_yourself_is_refused(application, koeln):
    # Even when the applicant became a member meanwhile (an invitation, say).
    MembershipFactory(collective=koeln, user=application.applicant)

    with refused("vouch for yourself"):
        services.add_vouch(application, fresh(application.applicant), kind=Vouch.Kind.VOUCH)


@pytest.mark.parametrize("persona", ["other_member", "hidden_member", "admin_user"])
def test_strangers_cannot_vouch(request, application, persona):
    stranger = fresh(request.getfixturevalue(persona))

    with refused("cannot vouch"):
        services.add_vouch(application, stranger, kind=Vouch.Kind.VOUCH)


def test_suspended_member_cannot_vouch(application, member, coordinator, koeln):
    services.suspend_member(membership_of(member, koeln), by=coordinator)

    with refused("cannot vouch"):
        services.add_vouch(application, fresh(member), kind=Vouch.Kind.VOUCH)


@pytest.mark.parametrize("note", ["", "   "])
def test_concern_without_a_note_is_refused(application, member, note):
    with refused("what concerns you"):
        services.add_vouch(application, fresh(member), kind=Vouch.Kind.CONCERN, note=note)


def test_unknown_kind_of_answer_is_refused(application, member):
    with refused("Unknown answer"):
        services.add_vouch(application, fresh(member), kind="maybe")


def test_concern_is_encrypted_and_for_coordinators_only(application, member, coordinator):
    vouch = services.add_vouch(
        application, fresh(member), kind=Vouch.Kind.CONCERN, note="asked about addresses"
    )

    application.refresh_from_db()
    assert (application.vouch_count, application.concern_count) == (0, 1)
    assert "addresses" not in raw_column("network_vouch", "note", vouch.pk)
    assert list(access.vouches_for(application, fresh(member))) == []
    assert list(access.vouches_for(application, fresh(coordinator))) == [vouch]


def test_vouching_on_a_decided_application_is_refused(application, member, coordinator):
    services.decline(application, by=coordinator, reason="no")
    application.refresh_from_db()

    with refused("cannot vouch"):
        services.add_vouch(application, fresh(member), kind=Vouch.Kind.VOUCH)


def test_coordinators_hear_when_enough_vouches_are_in(
    application, member, coordinator, django_capture_on_commit_callbacks
):
    second = MembershipFactory(collective=application.collective).user

    with django_capture_on_commit_callbacks(execute=True):
        services.add_vouch(application, fresh(member), kind=Vouch.Kind.VOUCH)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.add_vouch(application, fresh(second), kind=Vouch.Kind.VOUCH)

    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert_neutral(mail.outbox[0], application.collective.name)


# -- decisions ----------------------------------------------------------------------------------
def vouch_twice(application):
    for _ in range(2):
        voucher = MembershipFactory(collective=application.collective).user
        services.add_vouch(application, voucher, kind=Vouch.Kind.VOUCH)
    application.refresh_from_db()


def test_admitting_before_enough_vouches_is_refused(application, member, coordinator):
    services.add_vouch(application, fresh(member), kind=Vouch.Kind.VOUCH)

    with refused("needs 2 vouches"):
        services.admit(application, by=fresh(coordinator))


def test_admission_starts_a_membership_with_history(
    application, coordinator, koeln, django_capture_on_commit_callbacks
):
    vouch_twice(application)
    User.objects.filter(pk=application.applicant_id).update(language="uk")
    application.applicant.language = "uk"
    count_before = Collective.objects.get(pk=koeln.pk).member_count
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        membership = services.admit(application, by=fresh(coordinator))

    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert application.decided_by_id == coordinator.pk
    assert application.decided_at >= before
    membership = Membership.objects.get(pk=membership.pk)
    assert (membership.user_id, membership.collective_id) == (application.applicant_id, koeln.pk)
    assert membership.role == Membership.Role.MEMBER
    assert membership.joined_at >= before
    assert membership.ended_at is None
    assert list(membership.events.values_list("kind", "role", "by")) == [
        ("joined", "member", coordinator.pk)
    ]
    assert Collective.objects.get(pk=koeln.pk).member_count == count_before + 1
    assert actions(actor_id=coordinator.pk, created_at__gte=before) == [
        "network.application_admitted",
        "network.member_joined",
    ]
    assert fresh(application.applicant).has_perm("network.view_members", koeln)
    assert [m.to for m in mail.outbox] == [[application.applicant.email]]
    assert_neutral(mail.outbox[0], koeln.name)
    assert urlsplit(links(mail.outbox[0])[0]).path == f"/uk/applications/{application.pk}/"


def test_deciding_twice_is_refused(application, coordinator):
    vouch_twice(application)
    services.admit(application, by=fresh(coordinator))

    with refused("already been decided"):
        services.admit(application, by=fresh(coordinator))
    with refused("already been decided"):
        services.decline(application, by=fresh(coordinator), reason="changed my mind")
    with refused("already been decided"):
        services.withdraw(application, by=fresh(application.applicant))


@pytest.mark.parametrize("persona", ["member", "other_member", "admin_user", "applicant"])
def test_only_a_coordinator_decides(request, application, persona):
    vouch_twice(application)
    someone = fresh(request.getfixturevalue(persona))

    with refused("Only a coordinator"):
        services.admit(application, by=someone)
    with refused("Only a coordinator"):
        services.decline(application, by=someone, reason="not you")


def test_coordinator_without_mfa_cannot_decide(application, coordinator_without_mfa):
    vouch_twice(application)

    with refused("Set up two-factor authentication"):
        services.admit(application, by=fresh(coordinator_without_mfa))
    with refused("Set up two-factor authentication"):
        services.decline(application, by=fresh(coordinator_without_mfa), reason="no")


def test_coordinator_of_another_cell_cannot_decide(application, paris):
    other = MembershipFactory(collective=paris, coordinator=True).user
    vouch_twice(application)

    with refused("Only a coordinator"):
        services.admit(application, by=fresh(other))


def test_decline_needs_a_reason_which_is_stored_encrypted(
    application, coordinator, django_capture_on_commit_callbacks
):
    with refused("Give a reason"):
        services.decline(application, by=fresh(coordinator), reason="  ")

    with django_capture_on_commit_callbacks(execute=True):
        services.decline(application, by=fresh(coordinator), reason="We never met you.")

    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert application.decision_reason == "We never met you."
    assert "never met" not in raw_column("network_application", "decision_reason", application.pk)
    assert actions(action="network.application_declined") == ["network.application_declined"]
    assert not Membership.objects.filter(user=application.applicant).exists()
    assert [m.to for m in mail.outbox] == [[application.applicant.email]]
    assert_neutral(mail.outbox[0], application.collective.name)


def test_only_the_applicant_withdraws(application, member):
    with refused("Only the applicant"):
        services.withdraw(application, by=fresh(member))

    services.withdraw(application, by=fresh(application.applicant))

    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_approval_groups_need_no_vouches(koeln, member, coordinator):
    group = CollectiveFactory(
        slug="unions", working_group=True, join_policy=Collective.JoinPolicy.APPROVAL
    )
    MembershipFactory(collective=group, user=coordinator, coordinator=True)
    application = services.submit_application(group, fresh(member), motivation="I am a welder.")

    membership = services.admit(application, by=fresh(coordinator))

    assert membership.user_id == member.pk


# -- invitations --------------------------------------------------------------------------------
def invite(collective, coordinator, email="nadia@example.org", **kwargs):
    return services.create_invitation(collective, email, by=coordinator, **kwargs)


def test_invitation_token_is_long_random_and_only_its_digest_is_stored(
    koeln, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(koeln, coordinator, "Nadia@Example.org", language="de")
        _other, other_token = invite(koeln, coordinator, "oleg@example.org")

    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    assert token != other_token
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert row["token_digest"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(row.values())
    assert "nadia" not in str(row.values()).lower()  # the address is encrypted too
    assert (
        actions(action="network.invitation_created", actor_id=coordinator.pk)
        == ["network.invitation_created"] * 2
    )
    message = next(m for m in mail.outbox if m.to == ["Nadia@Example.org"])
    assert_neutral(message, koeln.name)
    assert [urlsplit(link).path for link in links(message)] == [f"/de/invitations/{token}/"]


@pytest.mark.parametrize("email", ["", "no-at-sign", "a@" + "b" * 260])
def test_invitation_to_a_bad_address_is_refused(koeln, coordinator, email):
    with refused("valid e-mail"):
        invite(koeln, coordinator, email)


def test_accepting_an_invitation_starts_a_membership(koeln, coordinator):
    invitation, token = invite(koeln, coordinator, "NADIA@example.org ")
    nadia = UserFactory(email="nadia@example.org")

    membership = services.accept_invitation(token, nadia)

    invitation.refresh_from_db()
    assert invitation.used_by_id == nadia.pk
    assert invitation.used_at is not None
    assert membership.collective_id == koeln.pk
    assert membership.events.get().by_id == coordinator.pk
    assert "network.invitation_accepted" in actions(actor_id=nadia.pk)


def test_reused_invitation_is_refused(koeln, coordinator):
    _invitation, token = invite(koeln, coordinator)
    nadia = UserFactory(email="nadia@example.org")
    services.accept_invitation(token, nadia)
    services.leave(membership_of(nadia, koeln), by=nadia)

    with refused("already been used"):
        services.accept_invitation(token, fresh(nadia))


def test_expired_invitation_is_refused(koeln, coordinator):
    invitation, token = invite(koeln, coordinator)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())

    with refused("expired"):
        services.accept_invitation(token, UserFactory(email="nadia@example.org"))


def test_revoked_invitation_is_refused(koeln, coordinator):
    invitation, token = invite(koeln, coordinator)
    services.revoke_invitation(invitation, by=coordinator)

    with refused("not valid"):
        services.accept_invitation(token, UserFactory(email="nadia@example.org"))
    assert actions(action="network.invitation_revoked") == ["network.invitation_revoked"]


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "../../etc/passwd"])
def test_unknown_invitation_token_is_refused(koeln, coordinator, token):
    invite(koeln, coordinator)

    with refused("not valid"):
        services.accept_invitation(token, UserFactory(email="nadia@example.org"))


def test_invitation_for_another_address_is_refused(koeln, coordinator):
    _invitation, token = invite(koeln, coordinator)

    with refused("another e-mail address"):
        services.accept_invitation(token, UserFactory(email="oleg@example.org"))


def test_invitation_needs_a_verified_address(koeln, coordinator):
    _invitation, token = invite(koeln, coordinator)
    nadia = UserFactory(email="nadia@example.org")
    EmailAddress.objects.filter(user=nadia).update(verified=False)

    with refused("another e-mail address"):
        services.accept_invitation(token, nadia)


def test_invitation_for_a_current_member_is_refused_and_stays_usable(koeln, coordinator, member):
    invitation, token = invite(koeln, coordinator, member.email)

    with refused("already a member"):
        services.accept_invitation(token, fresh(member))
    assert Invitation.objects.get(pk=invitation.pk).used_at is None


# -- the last coordinator -----------------------------------------------------------------------
@pytest.fixture
def sole(coordinator, koeln):
    """koeln's only coordinator (coordinator_without_mfa is not asked for)."""
    assert services._coordinator_count(koeln) == 1
    return membership_of(coordinator, koeln)


def test_the_last_coordinator_cannot_be_removed_demoted_suspended_or_leave(sole, coordinator):
    message = "last coordinator"
    with refused(message):
        services.remove_member(sole, by=coordinator)
    with refused(message):
        services.set_role(sole, Membership.Role.MEMBER, by=coordinator)
    with refused(message):
        services.suspend_member(sole, by=coordinator)
    with refused(message):
        services.leave(sole, by=coordinator)


@pytest.mark.parametrize(
    "change",
    [
        lambda m, by: services.remove_member(m, by=by),
        lambda m, by: services.set_role(m, Membership.Role.MEMBER, by=by),
        lambda m, by: services.suspend_member(m, by=by),
        lambda m, by: services.leave(m, by=m.user),
    ],
    ids=["remove", "demote", "suspend", "leave"],
)
def test_with_a_second_coordinator_it_works(sole, koeln, change):
    second = MembershipFactory(collective=koeln, coordinator=True).user
    events_before = sole.events.count()

    change(sole, second)

    sole.refresh_from_db()
    assert not (
        sole.ended_at is None
        and sole.role == Membership.Role.COORDINATOR
        and sole.status == Membership.Status.ACTIVE
    )
    assert sole.events.count() == events_before + 1
    assert services._coordinator_count(koeln) == 1


def test_a_suspended_coordinator_does_not_count(sole, koeln, coordinator):
    second = MembershipFactory(collective=koeln, coordinator=True)
    services.suspend_member(second, by=coordinator)

    with refused("last coordinator"):
        services.remove_member(sole, by=coordinator)


def test_leaving_the_network_works_even_for_the_last_coordinator(sole, koeln, paris, coordinator):
    MembershipFactory(collective=paris, user=coordinator)
    services.set_contacts(
        sole, {"signal": "+49 151 0000", "matrix": "@vera:example.org"}, by=coordinator
    )
    pending = ApplicationFactory(collective=CollectiveFactory(slug="berlin"), applicant=coordinator)
    koeln_count = Collective.objects.get(pk=koeln.pk).member_count

    ended = services.leave_network(fresh(coordinator))

    assert ended == 2
    memberships = Membership.objects.filter(user=coordinator)
    assert {m.end_reason for m in memberships} == {Membership.EndReason.LEFT_NETWORK}
    assert all(m.ended_at is not None for m in memberships)
    assert not SharedContact.objects.filter(membership__user=coordinator).exists()
    assert Application.objects.get(pk=pending.pk).status == Application.Status.WITHDRAWN
    assert Collective.objects.get(pk=koeln.pk).member_count == koeln_count - 1
    assert actions(actor_id=coordinator.pk, action="network.left_network") == [
        "network.left_network"
    ]
    assert not fresh(coordinator).has_perm("network.view_members", koeln)


def test_leaving_the_network_twice_changes_nothing_more(member):
    services.leave_network(fresh(member))
    before = Membership.objects.filter(user=member).values_list("ended_at", flat=True).get()

    assert services.leave_network(fresh(member)) == 0
    assert Membership.objects.filter(user=member).values_list("ended_at", flat=True).get() == before


# -- memberships ---------------------------------------------------------------------------------
def test_removal_ends_the_membership_and_keeps_the_history(member, koeln, coordinator):
    membership = membership_of(member, koeln)
    services.set_contacts(membership, {"telegram": "@lena"}, by=member)
    count = Collective.objects.get(pk=koeln.pk).member_count

    services.remove_member(membership, by=coordinator)

    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert membership.end_reason == Membership.EndReason.REMOVED
    assert list(membership.events.values_list("kind", flat=True)) == ["joined", "removed"]
    assert membership.events.last().by_id == coordinator.pk
    assert not membership.contacts.exists()
    assert Collective.objects.get(pk=koeln.pk).member_count == count - 1
    assert actions(action="network.member_removed", object_id=str(membership.pk)) == [
        "network.member_removed"
    ]
    with refused("no longer a member"):
        services.remove_member(membership, by=coordinator)


def test_removed_member_can_apply_and_be_admitted_again(member, koeln, coordinator):
    old = membership_of(member, koeln)
    services.remove_member(old, by=coordinator)
    application = services.submit_application(koeln, fresh(member), motivation="sorry")
    vouch_twice(application)

    new = services.admit(application, by=fresh(coordinator))

    assert new.pk != old.pk
    assert Membership.objects.filter(user=member, collective=koeln).count() == 2


def test_role_changes_are_in_the_history_and_the_audit_log(member, koeln, coordinator):
    membership = membership_of(member, koeln)

    services.set_role(membership, Membership.Role.COORDINATOR, by=coordinator)
    services.set_role(membership, Membership.Role.MEMBER, by=coordinator)
    with refused("Unknown role"):
        services.set_role(membership, "king", by=coordinator)

    assert list(membership.events.values_list("kind", "role")) == [
        ("joined", "member"),
        ("role_changed", "coordinator"),
        ("role_changed", "member"),
    ]
    assert (
        actions(action="network.role_changed", object_id=str(membership.pk))
        == ["network.role_changed"] * 2
    )


def test_appointing_a_newcomer_makes_them_a_coordinating_member(koeln, admin_user):
    newcomer = UserFactory()

    membership = services.appoint_coordinator(koeln, newcomer, by=admin_user)

    assert membership.is_coordinator
    assert membership.events.get().kind == MembershipEvent.Kind.JOINED
    assert "network.member_joined" in actions(actor_id=admin_user.pk)


def test_suspend_and_reinstate(member, koeln, coordinator):
    membership = membership_of(member, koeln)
    count = Collective.objects.get(pk=koeln.pk).member_count

    services.suspend_member(membership, by=coordinator)
    with refused("not active"):
        services.suspend_member(membership, by=coordinator)
    services.reinstate_member(membership, by=coordinator)
    with refused("not suspended"):
        services.reinstate_member(membership, by=coordinator)

    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert list(membership.events.values_list("kind", flat=True)) == [
        "joined",
        "suspended",
        "reinstated",
    ]
    assert Collective.objects.get(pk=koeln.pk).member_count == count
    assert actions(object_id=str(membership.pk)) == [
        "network.member_suspended",
        "network.member_reinstated",
    ]


def test_leave_ends_the_membership(member, koeln):
    membership = membership_of(member, koeln)

    services.leave(membership, by=member)

    membership.refresh_from_db()
    assert membership.end_reason == Membership.EndReason.LEFT
    with refused("no longer a member"):
        services.leave(membership, by=member)


def test_member_count_follows_every_change(koeln, coordinator, member):
    def count():
        return Collective.objects.get(pk=koeln.pk).member_count

    def live():
        return Membership.objects.filter(collective=koeln, ended_at__isnull=True).count()

    group = CollectiveFactory(slug="readers", working_group=True)
    services.join(group, fresh(member))
    assert Collective.objects.get(pk=group.pk).member_count == 1
    with refused("cannot join"):
        services.join(group, fresh(member))

    newcomer = UserFactory()
    services.appoint_coordinator(koeln, newcomer, by=coordinator)
    assert count() == live() == 3
    services.leave(membership_of(member, koeln), by=member)
    services.remove_member(membership_of(newcomer, koeln), by=coordinator)
    assert count() == live() == 1
    services.leave_network(fresh(member))
    assert Collective.objects.get(pk=group.pk).member_count == 0


def test_shared_handles_are_encrypted_and_can_be_withdrawn(member, koeln):
    membership = membership_of(member, koeln)

    services.set_contacts(
        membership, {"signal": " lena.42 ", "email": "lena@example.org", "fax": "1"}, by=member
    )

    contacts = {c.kind: c for c in membership.contacts.all()}
    assert {kind: c.handle for kind, c in contacts.items()} == {
        "signal": "lena.42",
        "email": "lena@example.org",
    }
    for contact in contacts.values():
        raw = raw_column("network_sharedcontact", "handle", contact.pk)
        assert "lena" not in raw
    event = AuditEvent.objects.get(action="network.contacts_changed")
    assert "lena" not in str(event.data)

    services.set_contacts(membership, {"signal": "", "email": "lena@example.org"}, by=member)
    assert list(membership.contacts.values_list("kind", flat=True)) == ["email"]


def test_members_of_shows_current_members_only(member, koeln, coordinator):
    removed = MembershipFactory(collective=koeln)
    services.remove_member(removed, by=coordinator)

    people = [m.user_id for m in access.members_of(koeln)]

    assert sorted(people) == sorted([member.pk, coordinator.pk])
    assert people[0] == coordinator.pk  # coordinators first
