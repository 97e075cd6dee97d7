import io

import pytest
from django.core.management import call_command

from solidar.accounts.models import User
from solidar.core.models import AuditEvent
from solidar.network.models import Application, Collective, Membership, Vouch


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Collective.objects.count(),
        Membership.objects.count(),
        Application.objects.count(),
        Vouch.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_seed_demo_builds_the_demo_network_and_is_idempotent():
    output = seed()
    first = counts()
    seed()

    assert counts() == first
    assert "solidarity-demo-2024" in output
    cells = Collective.objects.filter(kind=Collective.Kind.CELL)
    public_cities = set(
        cells.filter(visibility=Collective.Visibility.PUBLIC).values_list("city", flat=True)
    )
    assert public_cities == {"Köln", "Berlin", "Paris", "Warszawa", "Buenos Aires"}
    assert cells.filter(visibility=Collective.Visibility.HIDDEN).count() == 1
    assert Collective.objects.filter(kind=Collective.Kind.WORKING_GROUP).count() == 6  # aid team
    pending = Application.objects.get(status=Application.Status.PENDING)
    assert pending.vouch_count == 1
    assert pending.collective.slug == "warszawa"


@pytest.mark.django_db
def test_every_demo_coordinator_and_admin_has_a_second_factor():
    from solidar.accounts.rules import has_mfa, is_privileged

    seed()
    privileged = [user for user in User.objects.all() if is_privileged(user)]

    assert {u.username for u in privileged} >= {"admin", "editor", "olga", "andrii", "mila"}
    assert all(has_mfa(user) for user in privileged)
