"""Query counts do not grow with the list: each page is measured at 1 and at 50 items.

The numbers are pinned: a change that adds a query to every page shows up here too.
On failure the helper lists every query, so an N+1 shows itself.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from solidar.conftest import client_for
from solidar.core.testing import assert_max_queries
from solidar.network import services
from solidar.network.tests.factories import (
    ApplicationFactory,
    CollectiveFactory,
    MembershipFactory,
)
from solidar.network.views import MEMBERS_PER_PAGE

SIZES = [1, 50]


def get(client, url, expected):
    # Pinned with database sessions; with Redis (cached_db) the session comes from the cache.
    signed_in = settings.SESSION_COOKIE_NAME in client.cookies
    if signed_in and settings.SESSION_ENGINE.endswith("cached_db"):
        expected -= 1
    with assert_max_queries(expected, exact=True):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", SIZES)
def test_members_page(koeln, member, size):
    for number in range(size):
        other = MembershipFactory(collective=koeln)
        services.set_contacts(other, {"signal": f"s{number}", "matrix": "@x:y"}, by=other.user)
    client = client_for(member)
    url = reverse("network:members", args=["koeln"])

    # The first view (session refresh, roster sorted and cached, the set of aid teams'
    # working groups cached: "must this person use MFA?") ...
    get(client, url, 13)
    response = get(client, url, 6)  # ... and later ones: session, user, cell, rows, handles

    body = response.content.decode()
    rows = body.split("<tbody>", 1)[1].count("<tr>")
    assert rows == min(size + 1, MEMBERS_PER_PAGE)  # everyone, or a full first page
    assert '<span class="handle">s0</span>' in body  # decrypted, from the prefetch
    assert body.count('<span class="handle">@x:y</span>') >= min(size, 20)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_of_a_member_of_many_collectives(member, size):
    for number in range(size):
        MembershipFactory(collective=CollectiveFactory(slug=f"cell-q{number}"), user=member)
    client = client_for(member)

    # 11, the events panel (cold), the aid panel (offers) and the set of aid teams (cold),
    # the decisions panel (open votes not yet cast, proposals seeking support).
    get(client, reverse("network:dashboard"), 17)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_of_a_coordinator_with_many_applications(koeln, coordinator, member, size):
    applications = ApplicationFactory.create_batch(size, collective=koeln)
    for application in applications:
        services.add_vouch(application, member, kind="vouch")
    client = client_for(coordinator)

    # A coordinator's applications are to-dos only, not also "waiting for your answer".
    # 9, the events panel (cold), the aid panel (offers, and the set of aid teams,
    # cold) and the decisions panel (two); a coordinator's privileged role is answered
    # from the memberships, without loading permissions.
    response = get(client, reverse("network:dashboard"), 15)

    html = response.content.decode()
    assert html.count(f'href="{reverse("network:application", args=[applications[0].pk])}"') == 1


@pytest.mark.parametrize("size", SIZES)
def test_manage_page(koeln, coordinator, size):
    for _ in range(size):
        MembershipFactory(collective=koeln)
        ApplicationFactory(collective=koeln)
    client = client_for(coordinator)

    get(client, reverse("network:manage", args=["koeln"]), 12)  # 11 with the roster cached


@pytest.mark.parametrize("size", SIZES)
def test_directory_for_a_member(member, size):
    CollectiveFactory.create_batch(size)
    CollectiveFactory.create_batch(size, working_group=True)
    client = client_for(member)

    response = get(client, reverse("network:directory"), 10)  # 9 and the aid teams (cold)

    assert response.content.decode().count("/network/cell-") >= size


@pytest.mark.parametrize("size", SIZES)
def test_directory_for_a_visitor(db, client, size):
    CollectiveFactory.create_batch(size)

    get(client, reverse("network:directory"), 1)
