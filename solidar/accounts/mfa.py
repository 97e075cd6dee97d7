"""The one mechanism that keeps privileged pages from people without MFA.

Use ``@privileged_view`` on function views, ``PrivilegedViewMixin`` on class views;
``PrivilegedAreaMFAMiddleware`` applies the same rule to Wagtail's and Django's admins.
"""

from __future__ import annotations

from functools import wraps

import rules
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from solidar.accounts.rules import is_privileged

PERMISSION = "accounts.use_privileged_pages"


def may_use_privileged_pages(user) -> bool:
    """The one question: the ``accounts.use_privileged_pages`` rule itself.

    Asked through ``rules.has_perm``, not ``user.has_perm``: Django answers yes to every
    permission for an active superuser, which would let a superuser without MFA in.
    """
    return rules.has_perm(PERMISSION, user)


def mfa_setup_redirect(request):
    messages.warning(
        request,
        _("This page needs two-factor authentication. Set it up to continue."),
    )
    return HttpResponseRedirect(reverse("mfa_index"))


def refusal(request):
    """The answer for a privileged page: log in, set up MFA, or (not privileged) 404.

    Returns None when the request may go ahead.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_privileged(user):
        raise Http404
    if not may_use_privileged_pages(user):
        return mfa_setup_redirect(request)
    return None


def privileged_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return refusal(request) or view(request, *args, **kwargs)

    return wrapper


class PrivilegedViewMixin:
    def dispatch(self, request, *args, **kwargs):
        return refusal(request) or super().dispatch(request, *args, **kwargs)
