"""Bad input to the network's forms: never a 500, never a 403, nothing saved is lost."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solidar.accounts.tests.factories import UserFactory
from solidar.conftest import client_for
from solidar.core.testing import any_form_data, assert_handled, fuzz_settings, hostile_values
from solidar.network import services
from solidar.network.models import Application, Collective, Membership, SharedContact

FUZZ = fuzz_settings()

values = hostile_values(
    "nadia@example.org",
    "vouch",
    "concern",
    "admit",
    "decline",
    "withdraw",
    "remove",
    "make_member",
    "anti_war",
    "ru",
)


def form_data(fields: list[str]):
    return any_form_data(fields, values)


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["motivation", "programme_points", "languages", "referral"]))
def test_apply_survives_anything(koeln, data):
    sympathiser = UserFactory()

    assert_handled(client_for(sympathiser).post("/en/network/koeln/apply/", data))
    for application in Application.objects.filter(applicant=sympathiser):
        assert application.motivation.strip()


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["action", "kind", "note", "reason"]))
def test_application_page_survives_anything(application, member, coordinator, data):
    url = f"/en/applications/{application.pk}/"

    for user in (member, coordinator, application.applicant):
        assert_handled(client_for(user).post(url, data))
    application.refresh_from_db()
    assert application.status in Application.Status.values
    if application.status == Application.Status.ADMITTED:
        assert application.vouch_count >= application.collective.vouches_required


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["signal", "matrix", "telegram", "email"]))
def test_contacts_survive_anything(koeln, member, data):
    membership = Membership.objects.get(user=member, collective=koeln)
    services.set_contacts(membership, {"signal": "kept.01"}, by=member)

    response = client_for(member).post("/en/network/koeln/contacts/", data)

    assert_handled(response)
    if response.status_code != 302:  # refused: what was shared before is still there
        assert SharedContact.objects.get(membership=membership).handle == "kept.01"


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["email", "revoke"]))
def test_invite_survives_anything(koeln, coordinator, data):
    assert_handled(client_for(coordinator).post("/en/network/koeln/manage/invite/", data))


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["vouches_required", "join_policy"]))
def test_manage_settings_survive_anything(koeln, coordinator, data):
    response = client_for(coordinator).post("/en/network/koeln/manage/settings/", data)

    assert_handled(response)
    koeln = Collective.objects.get(pk=koeln.pk)
    assert 0 <= koeln.vouches_required <= 20
    assert koeln.join_policy == Collective.JoinPolicy.APPLICATION


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["action"]))
def test_manage_member_survives_anything(koeln, coordinator, data):
    own = Membership.objects.get(user=coordinator, collective=koeln)

    response = client_for(coordinator).post(f"/en/network/koeln/manage/members/{own.pk}/", data)

    assert_handled(response)
    own.refresh_from_db()  # the last coordinator stays one, whatever was posted
    assert own.ended_at is None
    assert own.is_coordinator
    assert own.status == Membership.Status.ACTIVE


@pytest.mark.django_db
@FUZZ
@given(data=form_data(["who"]))
def test_appoint_survives_anything(koeln, admin_user, data):
    assert_handled(client_for(admin_user).post("/en/network/koeln/manage/coordinators/", data))


@pytest.mark.django_db
@FUZZ
@given(token=st.text(min_size=1, max_size=200))
def test_invitation_tokens_survive_anything(member, token):
    client = client_for(member)
    url = f"/en/invitations/{quote(token, safe='')}/"

    assert_handled(client.get(url))
    assert_handled(client.post(url))
