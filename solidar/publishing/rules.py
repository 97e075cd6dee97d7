"""Permission predicates of the public site's editorial side (Wagtail's admin).

Everybody in the Editors or Authors group is privileged: MFA for the admin, the shorter
idle timeout (``accounts.rules.register_privileged_role``).
"""

from __future__ import annotations

import rules

from solidar.accounts.rules import register_privileged_role
from solidar.publishing import editorial


@rules.predicate
def has_editorial_role(user) -> bool:
    """In the Editors or the Authors group."""
    return editorial.has_role(user, *editorial.ROLE_NAMES)


@rules.predicate
def is_editor(user) -> bool:
    return editorial.has_role(user, editorial.EDITORS)


register_privileged_role(has_editorial_role)

rules.add_perm(
    "publishing.view_translation_status",
    rules.is_authenticated & rules.is_active & (rules.is_superuser | is_editor),
)
