"""Who reaches which page of offers, matches and statistics: every persona against every
URL this area owns. Not allowed means 404 (or the login page for somebody signed out),
never 403 and never 500."""

from __future__ import annotations

import pytest

from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.aid import casefile, codenames, offers, team
from solidar.aid.models import AidTeam, Kind
from solidar.aid.tests.offers_helpers import new_member, offer_of
from solidar.conftest import client_for
from solidar.network.tests.factories import CollectiveFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "outsider",
    "stranger",
    "cell_member",
    "cell_coordinator",
    "team_member",
    "pending_handler",
    "handler",
    "aid_coordinator",
    "other_team_handler",
]
MEMBERS = set(PERSONAS) - {"outsider", "stranger"}
HANDLERS = {"handler", "aid_coordinator"}


@pytest.fixture
def world(request, make_case, aid_team, handler):
    """Every persona, an offer of a member none of them is, a case of the team with a
    question asked, and a case of another team."""
    owner = new_member("owner")
    offer = offer_of(owner, kind="bed")
    case, _ = make_case(kind=Kind.HOUSING)
    contact = offers.ask_offerer(case, offer, "A week?", by=handler)

    other_group = CollectiveFactory(slug="other-aid", working_group=True)
    other_team = AidTeam.objects.create(collective=other_group)
    other = UserFactory(username="otherhandler")
    other.totp_secret = add_totp(other)
    MembershipFactory(collective=other_group, user=other, coordinator=True)
    team.set_passphrase(other_team, other, "another team's long passphrase")
    other_case = casefile.create_case(
        other_team,
        kind=Kind.HOUSING,
        country="BY",
        urgency="days",
        languages=["ru"],
        request={"situation": "x"},
        requester=codenames.derive(codenames.generate()),
    )
    people = {name: request.getfixturevalue(name) for name in PERSONAS[2:8]}
    people["stranger"] = UserFactory(username="stranger")
    people["other_team_handler"] = other
    clients = {name: client_for(user) for name, user in people.items()}
    clients["outsider"] = request.getfixturevalue("outsider")
    return {
        "clients": clients,
        "offer": offer,
        "case": case,
        "contact": contact,
        "other_case": other_case,
    }


def _urls(world):
    offer, case, contact = world["offer"], world["case"], world["contact"]
    other_case = world["other_case"]
    own_offer_pages = {"get": ["/en/aid/offers/", "/en/aid/offers/new/"]}
    foreign_offer = [
        ("get", f"/en/aid/offers/{offer.pk}/edit/"),
        ("post", f"/en/aid/offers/{offer.pk}/edit/"),
        ("post", f"/en/aid/offers/{offer.pk}/withdraw/"),
        ("post", f"/en/aid/offers/{offer.pk}/questions/{contact.pk}/answer/"),
    ]
    case_pages = [
        ("get", f"/en/aid/cases/{case.pk}/matches/"),
        ("post", f"/en/aid/cases/{case.pk}/matches/{offer.pk}/ask/"),
        ("post", f"/en/aid/cases/{case.pk}/matches/{offer.pk}/arranged/"),
    ]
    other_case_pages = [
        ("get", f"/en/aid/cases/{other_case.pk}/matches/"),
        ("post", f"/en/aid/cases/{other_case.pk}/matches/{offer.pk}/arranged/"),
    ]
    return own_offer_pages, foreign_offer, case_pages, other_case_pages


def _expected(name, kind, method):
    if name == "outsider":
        return {302}  # to the login page
    if kind == "own":
        return {200} if name in MEMBERS else {404}
    if kind == "foreign":
        return {404}
    if kind == "case":
        if name in HANDLERS:
            return {200} if method == "get" else {400}  # empty forms
        return {404}
    if kind == "other_case":
        return {200, 400} if name == "other_team_handler" else {404}
    if kind == "statistics":
        return {200} if name in {"aid_coordinator", "other_team_handler"} else {404}
    raise AssertionError(kind)


def test_the_matrix(world):
    own, foreign, case_pages, other_case_pages = _urls(world)
    checks = [("own", "get", url) for url in own["get"]]
    checks += [("foreign", method, url) for method, url in foreign]
    checks += [("case", method, url) for method, url in case_pages]
    checks += [("other_case", method, url) for method, url in other_case_pages]
    checks += [("statistics", "get", "/en/aid/statistics/")]
    failures = []
    for name, client in world["clients"].items():
        for kind, method, url in checks:
            status = getattr(client, method)(url).status_code
            if status not in _expected(name, kind, method):
                failures.append(f"{name} {method.upper()} {url}: {status}")
            if status in (403, 500):
                failures.append(f"{name} {method.upper()} {url}: {status} (never)")
    assert not failures, "\n".join(failures)


def test_outsiders_are_sent_to_log_in(world):
    response = world["clients"]["outsider"].get("/en/aid/offers/")
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_the_member_sees_only_their_own_offers(world, cell_member):
    mine = offer_of(cell_member, details="mine-only")
    page = world["clients"]["cell_member"].get("/en/aid/offers/").content.decode()
    assert "mine-only" in page
    assert str(world["offer"].pk) not in page
    assert str(mine.pk) in page


def test_a_handler_of_another_team_sees_the_offer_but_not_this_case(world):
    client = world["clients"]["other_team_handler"]
    page = client.get(f"/en/aid/cases/{world['other_case'].pk}/matches/")
    assert page.status_code == 200
    assert world["offer"].city in page.content.decode()
    assert client.get(f"/en/aid/cases/{world['case'].pk}/matches/").status_code == 404


def test_a_coordinator_sees_the_statistics_of_their_own_team_only(world):
    page = world["clients"]["other_team_handler"].get("/en/aid/statistics/").content.decode()
    assert "Other Aid" in page
    assert "Aid team" not in page.replace("Mutual aid", "")
    mine = world["clients"]["aid_coordinator"].get("/en/aid/statistics/").content.decode()
    assert "Other Aid" not in mine
