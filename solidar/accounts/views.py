from __future__ import annotations

import copy
import json

from allauth.account.decorators import reauthentication_required
from allauth.usersessions import app_settings as usersessions_settings
from allauth.usersessions.models import UserSession
from allauth.usersessions.views import ListUserSessionsView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from solidar.accounts import services
from solidar.accounts.forms import DeleteAccountForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    # The form works on a copy: a ModelForm writes cleaned values into its instance, which
    # would hide the changes from update_profile (no audit) and show unsaved values.
    form = ProfileForm(request.POST or None, instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            request.user,
            display_name=form.cleaned_data["display_name"],
            language=form.cleaned_data["language"],
        )
        # Answer in the language just chosen: the URL prefix would otherwise keep the old one.
        with translation.override(form.cleaned_data["language"]):
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def export(request):
    if request.method == "POST":
        data = services.export_account_data(request.user)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.now().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="solidar-account-{stamp}.json"'
        return response
    return render(request, "accounts/export.html")


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user)
        messages.success(request, _("Your account and its data were deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


class SessionListView(ListUserSessionsView):
    """allauth's session list, without its three queries per session."""

    def get_context_data(self, **kwargs) -> dict:
        context = super(ListUserSessionsView, self).get_context_data(**kwargs)
        sessions = services.list_sessions(self.request.user)
        context.update(
            sessions=sessions,
            session_count=len(sessions),
            show_last_seen_at=usersessions_settings.TRACK_ACTIVITY,
        )
        return context


sessions = SessionListView.as_view()


@login_required
@require_http_methods(["POST"])
def end_session(request, session_id: int):
    """End one of the user's sessions (a lost phone, a borrowed computer)."""
    try:
        ended = services.end_session(request.user, session_id)
    except UserSession.DoesNotExist:
        raise Http404 from None
    if ended.session_key == request.session.session_key:
        logout(request)
        return redirect("home")
    messages.success(request, _("The session was ended."))
    return redirect("usersessions_list")


def admin_login(request, extra_context=None):
    """Django's admin logs in through allauth (and so through MFA), never its own form."""
    return redirect_to_login(request.GET.get("next") or "/django-admin/")
