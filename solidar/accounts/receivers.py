"""Plug-in boundary with Django's and allauth's signals: bookkeeping only, no rules."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import pre_save
from django.dispatch import receiver

# Stored in place of the client's address in allauth's session list: Solidar keeps none.
NO_ADDRESS = "::"


@receiver(pre_save, sender=UserSession, dispatch_uid="solidar-usersession-no-address")
def forget_session_address(sender, instance: UserSession, **kwargs) -> None:
    instance.ip = NO_ADDRESS


@receiver(user_logged_in, dispatch_uid="solidar-track-every-session")
def track_session(sender, request, user, **kwargs) -> None:
    # allauth lists sessions that logged in through its views; logins elsewhere
    # (the test client, Wagtail) must be listed too, so they can be ended.
    if request is not None and hasattr(request, "session"):
        if not hasattr(request, "user"):
            # Django's login() sets request.user only when the request already had one
            # (the test client's force_login and bare HttpRequests have none).
            request.user = user
        UserSession.objects.create_from_request(request)


@receiver(user_logged_out, dispatch_uid="solidar-clear-site-data")
def mark_logout(sender, request, user, **kwargs) -> None:
    # PrivateCacheMiddleware answers this request with Clear-Site-Data.
    if request is not None:
        request.solidar_logged_out = True
