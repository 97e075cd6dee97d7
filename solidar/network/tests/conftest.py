"""Role personas of the network (issue 3) around three cells.

koeln: public, the cell under test. paris: public, another cell. minsk: hidden.

    outsider                 anonymous client (from solidar/conftest.py)
    applicant                an account with a pending application to koeln
    other_member             member of paris only
    member                   member of koeln
    coordinator              coordinator of koeln, with TOTP
    coordinator_without_mfa  coordinator of koeln, no second factor
    admin_user               instance admin (superuser) with TOTP, member of nothing
    hidden_member            member of minsk only

``member`` and ``other_member`` extend the plain accounts of solidar/conftest.py, so the
``member_client`` and ``other_member_client`` fixtures there log in the same people.
"""

from __future__ import annotations

import pytest

from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.conftest import client_for
from solidar.network.tests.factories import (
    ApplicationFactory,
    CollectiveFactory,
    MembershipFactory,
)


@pytest.fixture
def koeln(db):
    return CollectiveFactory(
        slug="koeln",
        name="Köln",
        city="Köln",
        country="DE",
        latitude="50.9375",
        longitude="6.9603",
    )


@pytest.fixture
def paris(db):
    return CollectiveFactory(
        slug="paris",
        name="Paris",
        city="Paris",
        country="FR",
        latitude="48.8566",
        longitude="2.3522",
        languages=["ru", "fr"],
    )


@pytest.fixture
def minsk(db):
    # A name nobody could mistake for other page text, to search the HTML for.
    return CollectiveFactory(
        slug="minsk",
        name="Underground Minsk Circle",
        city="Minsk",
        country="BY",
        hidden=True,
        languages=["be", "ru"],
    )


@pytest.fixture
def member(member, koeln):
    MembershipFactory(collective=koeln, user=member)
    return member


@pytest.fixture
def other_member(other_member, paris):
    MembershipFactory(collective=paris, user=other_member)
    return other_member


@pytest.fixture
def coordinator(koeln):
    user = UserFactory(username="coordinator", display_name="Coordinator Vera")
    user.totp_secret = add_totp(user)
    MembershipFactory(collective=koeln, user=user, coordinator=True)
    return user


@pytest.fixture
def coordinator_without_mfa(koeln):
    user = UserFactory(username="coordinator2", display_name="Coordinator Ilya")
    MembershipFactory(collective=koeln, user=user, coordinator=True)
    return user


@pytest.fixture
def hidden_member(minsk):
    user = UserFactory(username="hiddenmember", display_name="Ales")
    MembershipFactory(collective=minsk, user=user)
    return user


@pytest.fixture
def application(koeln):
    """The applicant's pending application to koeln."""
    applicant = UserFactory(username="applicant", display_name="Applicant Marta")
    return ApplicationFactory(collective=koeln, applicant=applicant)


@pytest.fixture
def applicant(application):
    return application.applicant


@pytest.fixture
def personas(
    outsider,
    applicant,
    other_member,
    member,
    coordinator,
    coordinator_without_mfa,
    admin_user,
    hidden_member,
):
    """Every persona by name; anonymous for the outsider, logged-in clients for the rest."""
    users = {
        "applicant": applicant,
        "other_member": other_member,
        "member": member,
        "coordinator": coordinator,
        "coordinator_without_mfa": coordinator_without_mfa,
        "admin": admin_user,
        "hidden_member": hidden_member,
    }
    return {"outsider": outsider} | {name: client_for(user) for name, user in users.items()}


@pytest.fixture
def persona_users(
    applicant, other_member, member, coordinator, coordinator_without_mfa, admin_user, hidden_member
):
    """The same personas as user objects (the outsider is AnonymousUser)."""
    from django.contrib.auth.models import AnonymousUser

    return {
        "outsider": AnonymousUser(),
        "applicant": applicant,
        "other_member": other_member,
        "member": member,
        "coordinator": coordinator,
        "coordinator_without_mfa": coordinator_without_mfa,
        "admin": admin_user,
        "hidden_member": hidden_member,
    }
