"""A cell's member list comes in pages: a cell of thousands stays one fast page each."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from solidar.accounts.tests.factories import UserFactory
from solidar.core.testing import assert_max_queries
from solidar.network.tests.factories import MembershipFactory
from solidar.network.views import MEMBERS_PER_PAGE

URL = reverse("network:members", args=["koeln"])


def rows(response) -> int:
    body = response.content.decode()
    return len(re.findall(r"<tr>", body.split("<tbody>", 1)[1]))


def add_members(koeln, count: int) -> None:
    for n in range(count):
        MembershipFactory(collective=koeln, user=UserFactory(display_name=f"Zeta {n:03d}"))


def test_one_page_when_few(koeln, member_client):
    response = member_client.get(URL)
    assert response.status_code == 200
    assert rows(response) == 1
    assert 'rel="next"' not in response.content.decode()


@pytest.mark.django_db
def test_pages_of_fifty(koeln, member_client):
    add_members(koeln, MEMBERS_PER_PAGE + 4)  # with the member: 55
    first = member_client.get(URL)
    assert rows(first) == MEMBERS_PER_PAGE
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()

    second = member_client.get(URL, {"page": 2})
    assert rows(second) == 5
    assert 'rel="prev" href="?page=1"' in second.content.decode()
    # Everyone appears exactly once over the two pages.
    names = re.findall(r"Zeta \d{3}", first.content.decode() + second.content.decode())
    assert sorted(names) == [f"Zeta {n:03d}" for n in range(MEMBERS_PER_PAGE + 4)]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1e9", "", "2" * 40])
def test_bad_page_numbers_get_a_page_not_an_error(koeln, member_client, page):
    add_members(koeln, MEMBERS_PER_PAGE + 1)
    response = member_client.get(URL, {"page": page})
    assert response.status_code == 200
    assert rows(response) in (MEMBERS_PER_PAGE, 2)


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_list(koeln, member_client):
    def queries() -> int:
        member_client.get(URL)
        with assert_max_queries(1000) as ctx:
            assert member_client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    alone = queries()
    add_members(koeln, 50)
    assert queries() == alone
    add_members(koeln, MEMBERS_PER_PAGE)  # now two pages
    assert queries() == alone


def test_other_members_get_404_for_every_page(koeln, other_member_client, client):
    for page in ("1", "2", "abc"):
        assert other_member_client.get(URL, {"page": page}).status_code == 404
        assert client.get(URL, {"page": page}).status_code in (302, 404)


def names(response) -> list[str]:
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td data-label="Name">([^<]*)</td>', body)


def test_the_cached_order_follows_every_membership_change(
    koeln, member, member_client, coordinator, django_capture_on_commit_callbacks
):
    """The sorted roster is cached; each change through the services forgets it at once."""
    from solidar.network import services
    from solidar.network.models import Membership

    assert names(member_client.get(URL)) == ["Coordinator Vera", member.display_name]
    newcomer = UserFactory(display_name="Aaron New")
    with django_capture_on_commit_callbacks(execute=True):
        services.add_member(koeln, newcomer, by=coordinator)
    assert names(member_client.get(URL)) == ["Coordinator Vera", "Aaron New", member.display_name]

    with django_capture_on_commit_callbacks(execute=True):
        services.set_role(
            Membership.objects.get(user=newcomer), Membership.Role.COORDINATOR, by=coordinator
        )
    assert names(member_client.get(URL)) == ["Aaron New", "Coordinator Vera", member.display_name]

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_member(Membership.objects.get(user=newcomer), by=coordinator)
    assert names(member_client.get(URL)) == ["Coordinator Vera", member.display_name]


def test_a_stale_roster_never_shows_an_ended_membership(koeln, member, member_client):
    """Even a roster cached before a change made outside the services lists current members
    only: the rows are read again each time."""
    from django.utils import timezone

    from solidar.network.models import Membership

    gone = MembershipFactory(collective=koeln, user=UserFactory(display_name="Gone Soon"))
    assert "Gone Soon" in names(member_client.get(URL))
    Membership.objects.filter(pk=gone.pk).update(ended_at=timezone.now())
    assert "Gone Soon" not in names(member_client.get(URL))
