"""Every page of the network renders for every persona, with no 500 and no leak."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture
def urls(koeln, minsk, application):
    def u(name, *args):
        return reverse(f"network:{name}", args=args)

    return {
        "directory": u("directory"),
        "map": u("map_svg"),
        "create": u("create_collective"),
        "leave_network": u("leave_network"),
        "koeln": u("collective", "koeln"),
        "minsk": u("collective", "minsk"),
        "members": u("members", "koeln"),
        "apply": u("apply", "koeln"),
        "contacts": u("contacts", "koeln"),
        "manage": u("manage", "koeln"),
        "appoint": u("appoint", "koeln"),
        "dashboard": u("dashboard"),
        "my_applications": u("my_applications"),
        "application": u("application", application.pk),
        "invitation": u("accept_invitation", "nonsense"),
    }


def test_every_page_passes_the_layout_audit(personas, urls):
    """One <h1>, a <main>, labelled inputs, nothing inline: for each page someone sees."""
    from solidar.core.tests.test_templates import audit

    seen = set()
    for client in personas.values():
        for key, url in urls.items():
            response = client.get(url)
            if key != "map" and response.status_code == 200 and key not in seen:
                audit(response)
                seen.add(key)
    assert seen == set(urls) - {"map", "invitation"}


def test_every_page_renders(personas, urls):
    table = {}
    for name, client in personas.items():
        for key, url in urls.items():
            response = client.get(url)
            assert response.status_code < 500, (name, key)
            table[(name, key)] = response.status_code
    assert table[("outsider", "minsk")] == 404
    assert table[("hidden_member", "minsk")] == 200
    assert table[("member", "members")] == 200
    assert table[("other_member", "members")] == 404


@pytest.fixture
def coordinator_client(coordinator):
    from solidar.conftest import client_for

    return client_for(coordinator)


def test_apply_vouch_admit_through_the_pages(
    koeln, member_client, coordinator_client, other_member
):
    from solidar.conftest import client_for
    from solidar.network.models import Application, Membership

    applicant = client_for(other_member)
    url = reverse("network:apply", args=["koeln"])
    response = applicant.post(url, {"motivation": "  "})
    assert response.status_code == 400
    assert b"why you want to join" in response.content
    response = applicant.post(
        url,
        {"motivation": "Against the war", "programme_points": ["anti_war"], "languages": ["ru"]},
    )
    application = Application.objects.get(applicant=other_member)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:application", args=[application.pk])
    assert applicant.post(url, {"motivation": "again"}).status_code == 409

    page = reverse("network:application", args=[application.pk])
    assert b"Against the war" in member_client.get(page).content
    concern = member_client.post(page, {"action": "vouch", "kind": "concern", "note": ""})
    assert concern.status_code == 400
    assert member_client.post(page, {"action": "vouch", "kind": "vouch"}).status_code == 302
    assert member_client.post(page, {"action": "vouch", "kind": "vouch"}).status_code == 409
    assert coordinator_client.post(page, {"action": "admit"}).status_code == 409
    assert coordinator_client.post(page, {"action": "vouch", "kind": "vouch"}).status_code == 302
    assert coordinator_client.post(page, {"action": "decline", "reason": " "}).status_code == 400
    assert coordinator_client.post(page, {"action": "admit"}).status_code == 302
    assert Membership.objects.filter(user=other_member, collective=koeln).exists()
    assert applicant.get(page).status_code == 200


def test_leave_needs_confirmation_and_get_is_refused(koeln, member, member_client):
    url = reverse("network:leave", args=["koeln"])
    assert member_client.get(url).status_code == 405
    assert member_client.post(url, {}).status_code == 400
    assert member_client.post(url, {"confirm": "on"}).status_code == 302
    assert member_client.get(reverse("network:members", args=["koeln"])).status_code == 404


def test_contacts_are_saved_and_shown_to_members(koeln, member_client):
    url = reverse("network:contacts", args=["koeln"])
    assert member_client.post(url, {"email": "not an address"}).status_code == 400
    response = member_client.post(url, {"signal": "lena.42", "email": ""})
    assert response.status_code == 302
    assert b"lena.42" in member_client.get(reverse("network:members", args=["koeln"])).content


def test_manage_member_actions_and_last_coordinator(koeln, member, coordinator, coordinator_client):
    from solidar.network.models import Membership

    url = reverse("network:manage", args=["koeln"])
    assert coordinator_client.get(url).status_code == 200
    own = Membership.objects.get(user=coordinator, collective=koeln)
    theirs = Membership.objects.get(user=member, collective=koeln)

    def act(membership, action):
        target = reverse("network:manage_member", args=["koeln", membership.pk])
        return coordinator_client.post(target, {"action": action})

    assert act(own, "make_member").status_code == 409
    assert act(theirs, "bogus").status_code == 400
    assert act(theirs, "suspend").status_code == 302
    assert act(theirs, "suspend").status_code == 409
    assert act(theirs, "reinstate").status_code == 302
    assert act(theirs, "remove").status_code == 302
    settings_url = reverse("network:manage_settings", args=["koeln"])
    assert coordinator_client.post(settings_url, {"vouches_required": "99"}).status_code == 400
    assert coordinator_client.post(settings_url, {"vouches_required": "3"}).status_code == 302
    koeln.refresh_from_db()
    assert koeln.vouches_required == 3


def test_invitation_link_shown_once_and_accepted(koeln, coordinator_client, other_member):
    from solidar.conftest import client_for

    url = reverse("network:invite", args=["koeln"])
    assert coordinator_client.post(url, {"email": "nope"}).status_code == 400
    response = coordinator_client.post(url, {"email": other_member.email})
    assert response.status_code == 200
    path = "/" + response.context["url"].split("/", 3)[3]
    invited = client_for(other_member)
    assert invited.get(path).status_code == 200
    assert invited.post(path).status_code == 302
    assert invited.get(path).status_code == 410


def test_create_collective_and_appoint(admin_user, member):
    from solidar.conftest import client_for
    from solidar.network.models import Collective

    client = client_for(admin_user)
    url = reverse("network:create_collective")
    assert client.get(url).status_code == 200
    data = {
        "kind": "cell",
        "slug": "berlin",
        "name_en": "Berlin",
        "name_ru": "Берлин",
        "city": "Berlin",
        "country": "de",
        "latitude": "52.52",
        "longitude": "13.405",
        "languages": ["ru", "de"],
        "visibility": "public",
        "join_policy": "",
        "vouches_required": "2",
    }
    assert client.post(url, data | {"latitude": "200"}).status_code == 400
    assert client.post(url, data).status_code == 302
    berlin = Collective.objects.get(slug="berlin")
    assert berlin.name_ru == "Берлин"
    assert berlin.country == "DE"
    assert client.post(url, data).status_code == 409
    appoint = reverse("network:appoint", args=["berlin"])
    assert client.post(appoint, {"who": "nobody", "role": "coordinator"}).status_code == 400
    assert client.post(appoint, {"who": member.email, "role": "coordinator"}).status_code == 302
    assert berlin.memberships.get(user=member).is_coordinator


def test_leave_network(member, member_client):
    url = reverse("network:leave_network")
    assert member_client.post(url, {}).status_code == 400
    assert member_client.post(url, {"confirm": "on"}).status_code == 302
    assert not member.memberships.filter(ended_at__isnull=True).exists()


@pytest.mark.parametrize("value", ["garbage", "", "00000000-0000-0000-0000-000000000000"])
def test_revoking_an_unknown_invitation_is_a_conflict_not_a_crash(koeln, coordinator_client, value):
    response = coordinator_client.post(reverse("network:invite", args=["koeln"]), {"revoke": value})
    assert response.status_code == 409


def test_coordinator_adds_a_member_directly(koeln, coordinator_client, other_member):
    url = reverse("network:appoint", args=["koeln"])
    response = coordinator_client.post(url, {"who": other_member.username, "role": "member"})
    assert response.status_code == 302
    assert not koeln.memberships.get(user=other_member).is_coordinator
    again = coordinator_client.post(url, {"who": other_member.username, "role": "member"})
    assert again.status_code == 409


def test_manage_lists_members_in_pages(koeln, coordinator_client):
    from solidar.network import views
    from solidar.network.tests.factories import MembershipFactory

    for _ in range(3):
        MembershipFactory(collective=koeln)
    views.MEMBERS_PER_PAGE, saved = 2, views.MEMBERS_PER_PAGE
    try:
        url = reverse("network:manage", args=["koeln"])
        assert b"Page 1 of 2" in coordinator_client.get(url).content
        assert coordinator_client.get(url + "?page=x").status_code == 200
    finally:
        views.MEMBERS_PER_PAGE = saved
