"""The demo mutual aid (aid/demo.py): idempotent, and what it prints works."""

from __future__ import annotations

import io

import pytest

from solidar.accounts import demo as accounts_demo
from solidar.aid import codenames, demo, team
from solidar.aid.models import AidTeam, Case, Entry, Handler, KeyGrant, Offer, OfferContact
from solidar.network import demo as network_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(django_capture_on_commit_callbacks):
    accounts_demo.seed()
    network_demo.seed()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=False):
        demo.seed(stdout=out)
    return out.getvalue()


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (AidTeam, Handler, KeyGrant, Case, Entry, Offer, OfferContact)
    }


def test_the_demo_runs_twice_without_duplicating(seeded, django_capture_on_commit_callbacks):
    first = _counts()
    with django_capture_on_commit_callbacks(execute=False):
        demo.seed()
    assert _counts() == first
    assert first["Handler"] == 2 and first["KeyGrant"] == 2
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    cities = set(Offer.objects.values_list("city", flat=True))
    assert {"Berlin", "Köln", "Paris", "Warszawa", "Buenos Aires"} <= cities


def test_olga_unlocks_with_the_printed_passphrase(seeded):
    assert demo.PASSPHRASES["olga"] in seeded and demo.DEMO_CODENAME in seeded
    aid_team = AidTeam.objects.get(collective__slug="aid-team")
    assert aid_team.receives_intake
    keys = team.unlock(
        Handler.objects.get(team=aid_team, user__username="olga"), demo.PASSPHRASES["olga"]
    )
    case = Case.objects.get(codename_hash=codenames.derive(demo.DEMO_CODENAME).lookup_hash)
    from solidar.aid import casefile

    assert "protest" in casefile.request_for_team(case, keys)["situation"]
    andrii = Handler.objects.get(team=aid_team, user__username="andrii")
    assert team.unlock(andrii, demo.PASSPHRASES["andrii"]).current_version == 1


def test_the_printed_codename_is_a_valid_one(seeded):
    assert codenames.looks_valid(demo.DEMO_CODENAME)
    case = Case.objects.get(codename_hash=codenames.derive(demo.DEMO_CODENAME).lookup_hash)
    assert case.status == Case.Status.IN_PROGRESS and case.first_reply_at
    assert case.checklist.filter(done_at__isnull=False).count() == 2
