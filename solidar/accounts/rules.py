"""Permission predicates of accounts: who counts as privileged, who has MFA.

Later apps add their privileged roles (coordinator, aid handler) with
:func:`register_privileged_role`, so one predicate answers "must this person use MFA?".
"""

from __future__ import annotations

from collections.abc import Callable

import rules

_privileged_roles: list[tuple[int, Callable]] = []


def register_privileged_role(predicate: Callable, *, cheap: bool = False) -> None:
    """Declare that users matching ``predicate`` must have MFA for their privileged pages.
    ``cheap``: answered from what every request loads anyway (the memberships, a cached
    flag): asked before the others, so a coordinator or a handler never waits for the
    permission queries of the rest."""
    _privileged_roles.append((0 if cheap else 1, predicate))
    _privileged_roles.sort(key=lambda entry: entry[0])  # stable: registration order kept


@rules.predicate
def has_mfa(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


@rules.predicate
def can_edit_site(user) -> bool:
    return user.has_perm("wagtailadmin.access_admin")


@rules.predicate
def has_privileged_role(user) -> bool:
    return any(predicate(user) for _cost, predicate in _privileged_roles)


def unregister_privileged_role(predicate: Callable) -> None:
    _privileged_roles[:] = [entry for entry in _privileged_roles if entry[1] is not predicate]


# The roles before the site-editing permission: a coordinator's role is answered from the
# memberships the page loads anyway, where the permission costs two queries of its own.
is_privileged = rules.is_authenticated & (
    rules.is_staff | rules.is_superuser | has_privileged_role | can_edit_site
)

rules.add_perm("accounts.use_privileged_pages", is_privileged & has_mfa)
rules.add_perm("accounts.export_own_data", rules.is_authenticated)
rules.add_perm("accounts.delete_own_account", rules.is_authenticated)
