"""Every URL of the network x every persona: exactly the expected answer, never a 403.

404 for whatever a persona may not know exists (a hidden cell, another cell's members, an
application of someone else); a redirect to the login for anonymous visitors of member pages
(whatever the address, so it tells nothing); a redirect to MFA setup for a coordinator
without a second factor on every manage page. Instance admins see every collective (the
rules say so) but no member list, no application and no manage page.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from solidar.accounts.tests.helpers import normalised_body
from solidar.core.testing import assert_not_found_for
from solidar.network import services
from solidar.network.models import Membership
from solidar.network.tests.factories import MembershipFactory
from solidar.network.urls import urlpatterns

PERSONAS = [
    "outsider",
    "applicant",
    "other_member",
    "member",
    "coordinator",
    "coordinator_without_mfa",
    "admin",
    "hidden_member",
]
SLUGS = ["koeln", "paris", "minsk"]
CAN_SEE = {
    "koeln": set(PERSONAS),
    "paris": set(PERSONAS),
    "minsk": {"admin", "hidden_member"},
}
MEMBERS = {
    "koeln": {"member", "coordinator", "coordinator_without_mfa"},
    "paris": {"other_member"},
    "minsk": {"hidden_member"},
}
LOGIN = "login"  # a redirect to the login page
MFA = "mfa"  # a redirect to MFA setup


def collective_cases(slug: str):
    """(url name, method, data, persona -> expected) for one collective."""
    seen = CAN_SEE[slug]
    members = MEMBERS[slug]

    def where(condition, yes, no=404, **special):
        return {p: special.get(p, yes if condition(p) else no) for p in PERSONAS}

    coordinates = slug == "koeln"
    manage_like = {p: (200 if (p == "coordinator" and coordinates) else 404) for p in PERSONAS} | {
        "outsider": LOGIN,
        "coordinator_without_mfa": MFA,
    }
    return [
        ("collective", "get", {}, where(lambda p: p in seen, 200)),
        ("members", "get", {}, where(lambda p: p in members, 200)),
        ("contacts", "get", {}, where(lambda p: p in members, 200)),
        (
            "apply",
            "get",
            {},
            where(lambda p: p in seen, 200) | ({"outsider": LOGIN}),
        ),
        # Cells take applications: a visible cell refuses a direct join (409).
        (
            "join",
            "post",
            {},
            where(lambda p: p in seen, 409, outsider=LOGIN if slug != "minsk" else 404),
        ),
        # Without the confirmation box: members 400, visible non-members 409.
        ("leave", "post", {}, where(lambda p: p in seen, 409) | {p: 400 for p in members}),
        ("manage", "get", {}, manage_like),
        (
            "manage_settings",
            "post",
            {"vouches_required": "2"},
            manage_like | ({"coordinator": 302} if coordinates else {}),
        ),
        (
            "manage_member",
            "post",
            {"action": "make_member"},
            manage_like | ({"coordinator": 302} if coordinates else {}),
        ),
        ("invite", "get", {}, manage_like | ({"coordinator": 302} if coordinates else {})),
        (
            "appoint",
            "get",
            {},
            manage_like | {"admin": 200},
        ),
    ]


@pytest.fixture
def subjects(koeln, paris, minsk, member, other_member, hidden_member):
    """Collectives by slug, and one member's membership in each (for manage_member)."""
    memberships = {
        "koeln": Membership.objects.get(collective=koeln, user=member),
        "paris": Membership.objects.get(collective=paris, user=other_member),
        "minsk": Membership.objects.get(collective=minsk, user=hidden_member),
    }
    return memberships


def url_for(name: str, slug: str, memberships) -> str:
    if name == "manage_member":
        return reverse(f"network:{name}", args=[slug, memberships[slug].pk])
    return reverse(f"network:{name}", args=[slug])


def classify(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if "/accounts/login/" in location:
            return LOGIN
        if location == reverse("mfa_index"):
            return MFA
    return response.status_code


MATRIX = [
    (name, method, data, slug, expected)
    for slug in SLUGS
    for name, method, data, expected in collective_cases(slug)
]


@pytest.mark.parametrize(
    ("name", "method", "data", "slug", "expected"),
    MATRIX,
    ids=[f"{m[0]}-{m[3]}" for m in MATRIX],
)
def test_collective_urls(personas, subjects, name, method, data, slug, expected):
    url = url_for(name, slug, subjects)
    answers = {
        persona: classify(getattr(client, method)(url, data))
        for persona, client in personas.items()
    }

    assert answers == expected
    assert 403 not in answers.values()


def test_every_url_name_is_in_the_matrix():
    names = {pattern.name for pattern in urlpatterns}
    covered = {case[0] for case in collective_cases("koeln")} | {
        "directory",
        "map_svg",
        "create_collective",
        "leave_network",
        "dashboard",
        "my_applications",
        "application",
        "accept_invitation",
    }

    assert names == covered


NO_SUBJECT = {
    "directory": dict.fromkeys(PERSONAS, 200),
    "map_svg": dict.fromkeys(PERSONAS, 200),
    "create_collective": dict.fromkeys(PERSONAS, 404)
    | {"outsider": LOGIN, "coordinator_without_mfa": MFA, "admin": 200},
    "leave_network": dict.fromkeys(PERSONAS, 200) | {"outsider": LOGIN},
    "dashboard": dict.fromkeys(PERSONAS, 200) | {"outsider": LOGIN},
    "my_applications": dict.fromkeys(PERSONAS, 200) | {"outsider": LOGIN},
}


@pytest.mark.parametrize("name", list(NO_SUBJECT))
def test_urls_without_a_subject(personas, name):
    url = reverse(f"network:{name}")

    answers = {persona: classify(client.get(url)) for persona, client in personas.items()}

    assert answers == NO_SUBJECT[name]


def test_application_url(personas, application):
    url = reverse("network:application", args=[application.pk])
    expected = dict.fromkeys(PERSONAS, 404) | {
        "outsider": LOGIN,
        "applicant": 200,
        "member": 200,
        "coordinator": 200,
        "coordinator_without_mfa": 200,
    }

    answers = {persona: classify(client.get(url)) for persona, client in personas.items()}

    assert answers == expected


def test_unknown_application_and_unknown_collective_answer_404(personas, application):
    logged_in = {name: client for name, client in personas.items() if name != "outsider"}
    assert_not_found_for(
        logged_in,
        [
            reverse("network:application", args=[uuid.uuid4()]),
            reverse("network:collective", args=["atlantis"]),
            reverse("network:members", args=["atlantis"]),
            reverse("network:apply", args=["atlantis"]),
        ],
    )
    assert_not_found_for(
        personas,
        [
            reverse("network:collective", args=["atlantis"]),
            reverse("network:members", args=["atlantis"]),
        ],
    )


def test_hidden_cell_urls_answer_404_to_every_non_member(personas, minsk, hidden_member):
    membership = Membership.objects.get(collective=minsk, user=hidden_member)
    strangers = {
        name: client
        for name, client in personas.items()
        if name not in {"hidden_member", "outsider", "coordinator_without_mfa"}
    }
    member_urls = [
        reverse("network:members", args=["minsk"]),
        reverse("network:contacts", args=["minsk"]),
        reverse("network:manage", args=["minsk"]),
        reverse("network:invite", args=["minsk"]),
    ]
    not_admins = {name: c for name, c in strangers.items() if name != "admin"}

    assert_not_found_for(strangers, member_urls)
    assert_not_found_for(not_admins, [reverse("network:collective", args=["minsk"])])
    assert_not_found_for(
        strangers,
        [reverse("network:manage_member", args=["minsk", membership.pk])],
        method="post",
    )
    assert_not_found_for({"outsider": personas["outsider"]}, member_urls[:2])


@pytest.mark.parametrize("valid", [True, False], ids=["valid", "unknown"])
def test_invitation_url(personas, koeln, coordinator, valid):
    _invitation, token = services.create_invitation(koeln, "nadia@example.org", by=coordinator)
    url = reverse("network:accept_invitation", args=[token if valid else "x" * 43])
    expected = dict.fromkeys(PERSONAS, 200 if valid else 410) | {"outsider": LOGIN}

    answers = {persona: classify(client.get(url)) for persona, client in personas.items()}

    assert answers == expected


def test_coordinator_without_mfa_cannot_decide_from_the_application_page(
    personas, application, coordinator_without_mfa
):
    for _ in range(2):
        voucher = MembershipFactory(collective=application.collective).user
        services.add_vouch(application, voucher, kind="vouch")
    client = personas["coordinator_without_mfa"]

    response = client.post(
        reverse("network:application", args=[application.pk]), {"action": "admit"}
    )

    assert response.status_code in {302, 404, 409}
    application.refresh_from_db()
    assert application.is_pending
    assert (
        b'value="admit"'
        not in client.get(reverse("network:application", args=[application.pk])).content
    )


def test_removal_takes_effect_on_the_next_request(member_client, member, koeln, coordinator):
    url = reverse("network:members", args=["koeln"])
    assert member_client.get(url).status_code == 200

    services.remove_member(Membership.objects.get(user=member, collective=koeln), by=coordinator)

    assert member_client.get(url).status_code == 404
    assert member_client.get(reverse("network:contacts", args=["koeln"])).status_code == 404


HIDDEN_NAME = "Underground Minsk Circle"


@pytest.mark.parametrize(
    "persona", ["outsider", "applicant", "other_member", "member", "coordinator"]
)
def test_pages_never_name_the_hidden_cell_to_non_members(personas, application, minsk, persona):
    client = personas[persona]
    pages = [
        reverse("network:directory"),
        reverse("network:map_svg"),
        reverse("network:dashboard"),
        reverse("network:my_applications"),
        reverse("network:application", args=[application.pk]),
        reverse("network:collective", args=["koeln"]),
    ]
    for url in pages:
        response = client.get(url, follow=True)
        body = response.content.decode()
        assert HIDDEN_NAME not in body, url
        assert "Minsk" not in body, url
        assert "/network/minsk/" not in body, url


NONCE = re.compile(r'nonce="[^"]*"')


def page_text(client, url: str, slug: str) -> tuple[int, str]:
    response = client.get(url)
    body = NONCE.sub('nonce=""', normalised_body(response))
    return response.status_code, body.replace(slug, "SLUG")


@pytest.mark.parametrize(
    "persona", ["outsider", "applicant", "other_member", "member", "coordinator", "admin"]
)
@pytest.mark.parametrize("name", ["collective", "members", "contacts", "apply", "manage"])
def test_hidden_cell_answers_exactly_like_a_cell_that_does_not_exist(
    personas, minsk, persona, name
):
    if name in {"collective", "apply"} and persona == "admin":
        pytest.skip("instance admins see every collective (not its members)")
    client = personas[persona]

    hidden = page_text(client, reverse(f"network:{name}", args=["minsk"]), "minsk")
    missing = page_text(client, reverse(f"network:{name}", args=["nowhere"]), "nowhere")

    assert hidden == missing
    assert HIDDEN_NAME not in hidden[1]
