"""Helpers of the team and keys tests: signed-in clients that confirmed their password
recently (the unlock page asks for it), a member of the aid team with MFA and no
passphrase, the URLs of the team pages."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.aid.models import Handler
from solidar.conftest import client_for
from solidar.network.tests.factories import MembershipFactory


def reauthenticated(client, user):
    """As if ``user`` had just confirmed their password (allauth's reauthentication)."""
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def signed_in(user, *, reauth: bool = True):
    client = client_for(user)
    return reauthenticated(client, user) if reauth else client


@pytest.fixture
def team_member_mfa(aid_team):
    """A member of the aid team's working group with TOTP, who has set no passphrase."""
    user = UserFactory(username="newhandler", display_name="Yana")
    user.totp_secret = add_totp(user)
    MembershipFactory(collective=aid_team.collective, user=user)
    return user


def handler_row(user, aid_team) -> Handler:
    return Handler.objects.get(team=aid_team, user=user)


def team_url() -> str:
    return reverse("aid:team")


def unlock_url(next_url: str | None = None) -> str:
    url = reverse("aid:unlock")
    return f"{url}?next={next_url}" if next_url else url
