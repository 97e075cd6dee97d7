"""The one mechanism that keeps privileged pages from people without MFA.

Use ``@privileged_view`` on function views, ``PrivilegedViewMixin`` on class views;
``PrivilegedAreaMFAMiddleware`` applies the same rule to Wagtail's and Django's admins.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from solidar.accounts.rules import has_mfa, is_privileged


def refusal(request):
    """The answer for a privileged page: log in, set up MFA, or (not privileged) 404.

    Returns None when the request may go ahead.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_privileged(user):
        raise Http404
    if not has_mfa(user):
        messages.warning(
            request,
            _("This page needs two-factor authentication. Set it up to continue."),
        )
        return HttpResponseRedirect(reverse("mfa_index"))
    return None


def privileged_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return refusal(request) or view(request, *args, **kwargs)

    return wrapper


class PrivilegedViewMixin:
    def dispatch(self, request, *args, **kwargs):
        return refusal(request) or super().dispatch(request, *args, **kwargs)
