"""Who may do what with newsletters. One predicate per question.

Readers need no account: their links (``links.py``) are their only key. Mailings,
lists and subscriber numbers are for editors (the publishing app's Editors group, a
privileged role with MFA) and instance admins.
"""

from __future__ import annotations

import rules

from solidar.publishing import rules as publishing_rules


@rules.predicate
def is_newsletter_editor(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or publishing_rules.is_editor(user)


@rules.predicate
def has_account(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


rules.add_perm("newsletter.manage", is_newsletter_editor)
rules.add_perm("newsletter.subscribe_from_profile", has_account)
