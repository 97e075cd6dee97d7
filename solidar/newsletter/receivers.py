"""Plug-in boundary with the accounts (allauth's signals, account deletion): bookkeeping
only, the rules are in services.

Wired by ``connect()``, which ``NewsletterConfig.ready`` calls.
"""

from __future__ import annotations

from allauth.account.signals import email_changed, email_confirmed
from django.dispatch import receiver

from solidar.newsletter import services

_connected = False


@receiver(email_changed, dispatch_uid="solidar-newsletter-email-changed")
def member_address_changed(sender, request, user, **kwargs) -> None:
    services.sync_member_address(user)


@receiver(email_confirmed, dispatch_uid="solidar-newsletter-email-confirmed")
def member_address_confirmed(sender, request, email_address, **kwargs) -> None:
    if email_address.primary:
        services.sync_member_address(email_address.user)


def connect() -> None:
    """Forget a member's newsletter address before their account is deleted. Importing
    this module connects the signal receivers above."""
    global _connected
    if _connected:
        return
    from solidar.accounts.services import register_before_account_deletion

    register_before_account_deletion(services.forget_account)
    _connected = True
