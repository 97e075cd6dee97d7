# ruff: noqa: F811, E501 - shared fixtures are imported, then asked for by name; the matrix
# reads best as one row per URL
"""Who gets what from every URL of the bodies' and proposals' pages (issue 8).

anonymous   -> the login page (these pages are for members only)
stranger    -> 404: a member of paris learns nothing about koeln's decisions
newcomer    -> reads, comments and proposes; no ballot (3 days of membership)
member      -> the author of the proposals below
other       -> another koeln member (not an author)
coordinator -> koeln's coordinator with TOTP: the rules and "start voting"
no_mfa      -> koeln's coordinator without a second factor: sent to set it up
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from solidar.conftest import client_for
from solidar.decisions import services
from solidar.network.tests.conftest import coordinator_without_mfa  # noqa: F401

PERSONAS = ["anonymous", "stranger", "newcomer", "member", "other", "coordinator", "no_mfa"]


@pytest.fixture
def setting(
    member, other_member, newcomer, stranger, coordinator, coordinator_without_mfa, proposal_factory
):
    discussion = proposal_factory("discussion")
    draft = proposal_factory("draft", title="A draft")
    amendment = services.propose_amendment(
        discussion, other_member, kind="add", paragraph=0, text="A first paragraph."
    )
    clients = {
        "anonymous": Client(),
        "stranger": client_for(stranger),
        "newcomer": client_for(newcomer),
        "member": client_for(member),
        "other": client_for(other_member),
        "coordinator": client_for(coordinator),
        "no_mfa": client_for(coordinator_without_mfa),
    }
    return {"discussion": discussion, "draft": draft, "amendment": amendment, "clients": clients}


def _expect(row: str, **codes) -> dict[str, int]:
    """Codes by persona: the anonymous one is always sent to log in; the rest default 200."""
    result = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302}
    result.update(codes)
    return result


# (name, method, target, post data, expected codes)
ROWS = [
    ("index", "get", None, None, _expect("index")),
    ("body", "get", "koeln", None, _expect("body", stranger=404)),
    ("propose", "get", "koeln", None, _expect("propose", stranger=404)),
    ("rules", "get", "koeln", None, _expect("rules", stranger=404, newcomer=404, member=404, other=404, no_mfa=302)),
    ("proposal", "get", "discussion", None, _expect("proposal", stranger=404)),
    ("proposal", "get", "draft", None, _expect("draft", stranger=404, newcomer=404, other=404, coordinator=404, no_mfa=404)),
    ("edit", "get", "draft", None, _expect("edit", stranger=404, newcomer=404, other=404, coordinator=404, no_mfa=404)),
    # An author's edit of a submitted proposal: back to its page with a warning.
    ("edit", "get", "discussion", None, _expect("edit submitted", stranger=404, newcomer=404, member=302, other=404, coordinator=404, no_mfa=404)),
    ("comment", "post", "discussion", {"text": "I agree."}, _expect("comment", stranger=404, **dict.fromkeys(PERSONAS[2:], 302))),
    # In discussion, not seeking support: a clear refusal (authors: "cannot support their own").
    ("support", "post", "discussion", {}, _expect("support", stranger=404, **dict.fromkeys(PERSONAS[2:], 400))),
    ("amend", "post", "discussion", {"kind": "replace", "paragraph": "1", "text": "Better."}, _expect("amend", stranger=404, **dict.fromkeys(PERSONAS[2:], 302))),
    ("withdraw_amendment", "post", "amendment", {}, _expect("withdraw amendment", stranger=404, newcomer=400, member=400, other=302, coordinator=400, no_mfa=400)),
    ("coauthors", "post", "draft", {"person": "voter0"}, _expect("coauthors", stranger=404, newcomer=404, member=400, other=404, coordinator=404, no_mfa=404)),
    ("submit", "post", "draft", {}, _expect("submit", stranger=404, newcomer=404, member=302, other=404, coordinator=404, no_mfa=404)),
    ("withdraw", "post", "discussion", {}, _expect("withdraw", stranger=404, newcomer=400, member=302, other=400, coordinator=400, no_mfa=400)),
    ("start_voting", "post", "discussion", {}, _expect("start voting", stranger=404, newcomer=404, member=404, other=404, coordinator=400, no_mfa=302)),
]  # fmt: skip


def _url(name, target, setting):
    if target is None:
        return reverse(f"decisions:{name}")
    if target == "koeln":
        return reverse(f"decisions:{name}", args=["koeln"])
    return reverse(f"decisions:{name}", args=[setting[target].pk])


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "target", "data", "codes"), ROWS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_role_matrix(setting, persona, name, method, target, data, codes):
    client = setting["clients"][persona]
    url = _url(name, target, setting)
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == codes[persona], (persona, name, target)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    elif persona == "no_mfa" and response.status_code == 302 and name in ("rules", "start_voting"):
        assert response["Location"] == reverse("mfa_index")


@pytest.mark.django_db
def test_a_newcomer_reads_but_is_offered_no_ballot(setting, newcomer, member, coordinator):
    from solidar.decisions import voting

    proposal = setting["discussion"]
    services.withdraw_amendment(setting["amendment"], by=setting["amendment"].author)
    voting.start_voting(proposal, by=coordinator, closes_at=timezone.now() + timedelta(days=3))
    url = reverse("decisions:proposal", args=[proposal.pk])
    page = setting["clients"]["newcomer"].get(url).content.decode()
    assert "Solidarity fund for the riders" in page
    assert "Cast your ballot" not in page
    assert "Cast your ballot" in setting["clients"]["member"].get(url).content.decode()


@pytest.mark.django_db
def test_the_stranger_404_names_nothing(setting):
    response = setting["clients"]["stranger"].get(
        reverse("decisions:proposal", args=[setting["discussion"].pk])
    )
    assert response.status_code == 404
    assert setting["discussion"].title not in response.content.decode()


# -- an event's assembly ----------------------------------------------------------------------
@pytest.fixture
def forum(event_factory):
    return event_factory()


ASSEMBLY_ROWS = [
    ("assembly", "get", _expect("assembly", stranger=404)),
    ("assembly_propose", "get", _expect("assembly propose", stranger=404)),
    ("assembly_rules", "get", _expect("assembly rules", stranger=404, newcomer=404, member=404, other=404, no_mfa=302)),
    ("delegates", "get", _expect("delegates", stranger=404, newcomer=404, member=404, other=404, no_mfa=302)),
    ("delegates", "post", _expect("add delegate", stranger=404, newcomer=404, member=404, other=404, coordinator=302, no_mfa=302)),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "codes"), ASSEMBLY_ROWS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_assembly_matrix(setting, forum, persona, name, method, codes):
    client = setting["clients"][persona]
    url = reverse(f"decisions:{name}", args=[forum.slug])
    data = {"person": "member", "weight": "3", "note": ""}
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == codes[persona], (persona, name)


@pytest.mark.django_db
def test_a_registered_participant_sees_the_assembly(forum, stranger):
    from solidar.events import services as event_services

    client = client_for(stranger)
    url = reverse("decisions:assembly", args=[forum.slug])
    assert client.get(url).status_code == 404
    event_services.register_member(forum, stranger)
    stranger = type(stranger).objects.get(pk=stranger.pk)
    assert client_for(stranger).get(url).status_code == 200


@pytest.mark.django_db
def test_an_unknown_body_is_404(member):
    client = client_for(member)
    assert client.get(reverse("decisions:body", args=["nowhere"])).status_code == 404
    assert client.get(reverse("decisions:assembly", args=["nowhere"])).status_code == 404
    assert client.get(reverse("decisions:proposal", args=[999999])).status_code == 404
