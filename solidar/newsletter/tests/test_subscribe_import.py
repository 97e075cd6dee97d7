"""Imports (the editors' CSV or text import calls services.import_addresses) and the cost
of the sign-up and profile pages as lists grow."""

from __future__ import annotations

import pytest
from django.test import Client

from solidar.conftest import client_for
from solidar.core.models import AuditEvent
from solidar.core.testing import assert_max_queries
from solidar.newsletter import links, services
from solidar.newsletter.models import Subscriber, Subscription, Suppression

S = Subscription.Status


@pytest.fixture
def monthly(make_list):
    return make_list("monthly-en", "en", name_en="Monthly letter")


def test_import_counts_added_already_suppressed_invalid(
    monthly, make_list, make_subscriber, editor
):
    other = make_list("other-en", "en", name_en="Other")
    make_subscriber("on-list@example.net", [monthly])
    make_subscriber("on-other@example.net", [other])
    services.subscribe("waiting@example.net", [monthly], language="en")
    services.suppress(links.email_digest("gone@example.net"), Suppression.Reason.HARD_BOUNCE)
    lines = [
        "email,name",
        "",
        "# a comment",
        "new@example.net,Anna",
        '"New2@Example.net";Boris',
        "<tab@example.net>\tTaras",
        "NEW@example.net",  # the same address again
        "on-list@example.net",
        "on-other@example.net",
        "waiting@example.net",
        "Gone@Example.net",
        "not an address",
        "x@",
    ]

    result = services.import_addresses(monthly, lines, by=editor)

    assert (result.added, result.already, result.suppressed, result.invalid) == (5, 1, 1, 2)
    on_list = Subscription.objects.filter(mailing_list=monthly)
    assert on_list.count() == 6
    assert set(on_list.values_list("status", flat=True)) == {S.CONFIRMED}
    imported = on_list.filter(source="import")
    assert set(imported.values_list("consent_version", flat=True)) == {"import"}
    assert imported.count() == 5
    assert services.subscriber_for_email("gone@example.net") is None
    assert services.subscriber_for_email("tab@example.net").email == "tab@example.net"
    event = AuditEvent.objects.get(action="newsletter.imported")
    assert event.actor_id == editor.pk
    assert event.data == {"added": 5, "already": 1, "suppressed": 1, "invalid": 2}


def test_import_is_a_constant_number_of_queries(monthly, editor):
    def cost(n: int, prefix: str) -> int:
        lines = [f"{prefix}{i}@example.net" for i in range(n)]
        with assert_max_queries(30) as ctx:
            assert services.import_addresses(monthly, lines, by=editor).added == n
        return len(ctx.captured_queries)

    assert cost(1, "a") == cost(50, "b")
    # Larger imports: a few more statements as the database takes rows in batches.
    assert cost(1000, "c") <= 30
    assert Subscriber.objects.count() == 1051


def test_the_sign_up_page_costs_the_same_with_one_list_and_fifty(monthly, make_list):
    def cost() -> int:
        with assert_max_queries(10) as ctx:
            assert Client().get("/en/newsletter/").status_code == 200
        return len(ctx.captured_queries)

    few = cost()
    for n in range(49):
        make_list(f"extra-{n}", ["de", "ru", "uk"][n % 3], name_en=f"Extra {n}")
    assert cost() == few


def test_the_profile_page_costs_the_same_with_one_list_and_fifty(monthly, make_list, member):
    client = client_for(member)
    services.subscribe_member(member, [monthly])

    def cost() -> int:
        with assert_max_queries(40) as ctx:
            assert client.get("/en/account/").status_code == 200
        return len(ctx.captured_queries)

    client.get("/en/account/")  # warm the session
    few = cost()
    extra = [make_list(f"extra-{n}", "de", name_en=f"Extra {n}") for n in range(49)]
    services.subscribe_member(member, [monthly, *extra])
    assert cost() == few
