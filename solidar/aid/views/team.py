"""The team and its keys: a member sets a case passphrase, a handler unlocks and locks the
team's keys for the session, a coordinator gives and takes away access and rotates the
key. Every change goes through ``solidar.aid.team`` (which writes the audit log).

Who gets in: an active member of an aid team's working group, signed in, with MFA (a
member who has not set a passphrase is not yet a privileged person, so the check is made
here, not by ``privileged_view``). Everyone else: 404. The unlock page also asks for a
recent password or MFA confirmation (THREATS 5) and counts attempts per account.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import rules
from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidar.accounts.mfa import mfa_setup_redirect, refusal
from solidar.accounts.rules import has_mfa
from solidar.aid import keys as aidkeys
from solidar.aid import team as aidteam
from solidar.aid.models import AidTeam, Handler, KeyGrant
from solidar.aid.rules import handler_rows, is_team_member
from solidar.aid.team_forms import ChangePassphraseForm, SetPassphraseForm, UnlockForm
from solidar.aid.views.common import private_view, unlock_redirect
from solidar.core.audit import AuditEvent
from solidar.core.ratelimit import exceeded
from solidar.network.rules import current_memberships

# Each unlock attempt costs one argon2id run (about 128 MiB): per account, this many per
# window of this many seconds.
UNLOCK_LIMIT = 10
UNLOCK_WINDOW = 15 * 60


# -- who gets in ----------------------------------------------------------------------------------
def member_teams(user) -> list[AidTeam]:
    """The aid teams whose working group ``user`` is an active member of."""
    collective_ids = list(current_memberships(user))
    if not collective_ids:
        return []
    teams = AidTeam.objects.filter(collective_id__in=collective_ids).select_related("collective")
    return [team for team in teams.order_by("pk") if is_team_member(user, team)]


def _gate(request) -> tuple[list[AidTeam], object]:
    """(the user's aid teams, None), or (None, the answer): log in, 404, set up MFA."""
    user = request.user
    if not user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    teams = member_teams(user)
    if not teams:
        raise Http404
    if not has_mfa(user):
        return None, mfa_setup_redirect(request)
    return teams, None


def _one_team(teams: list[AidTeam], team_id: int) -> AidTeam:
    for team in teams:
        if team.pk == team_id:
            return team
    raise Http404


def _team_url(team: AidTeam | None = None) -> str:
    url = reverse("aid:team")
    return f"{url}#team-{team.pk}" if team is not None else url


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only (never a view name or another host).
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@reauthentication_required
def _recent(request):
    return None


def recently_authenticated(request) -> bool:
    """The password or MFA was confirmed within ``ACCOUNT_REAUTHENTICATION_TIMEOUT``."""
    try:
        _recent(request)
    except ReauthenticationRequired:
        return False
    return True


# -- the team page --------------------------------------------------------------------------------
@dataclass
class TeamState:
    """What the team page shows of one team."""

    team: AidTeam
    handler: Handler | None
    has_access: bool
    is_coordinator: bool
    unlocked_minutes: int | None
    set_form: SetPassphraseForm = field(default_factory=SetPassphraseForm)
    change_form: ChangePassphraseForm = field(default_factory=ChangePassphraseForm)
    handlers: list[Handler] = field(default_factory=list)
    suggest_rotation: bool = False
    key_version: int | None = None


def _minutes_left(request, team: AidTeam) -> int | None:
    if aidkeys.held(request, team) is None:
        return None
    until = aidkeys.unlocked_until(request) or 0
    return max(1, math.ceil((until - time.time()) / 60))


def _state(request, team: AidTeam, forms: dict) -> TeamState:
    user = request.user
    row = handler_rows(user).get(team.pk)
    state = TeamState(
        team=team,
        handler=row,
        has_access=bool(row is not None and row.has_grant),
        is_coordinator=rules.has_perm("aid.manage_team", user, team),
        unlocked_minutes=_minutes_left(request, team),
        **forms.get(team.pk, {}),
    )
    if state.is_coordinator:
        state.handlers = list(
            Handler.objects.filter(team=team)
            .select_related("user")
            .annotate(has_grant=Exists(KeyGrant.objects.filter(handler=OuterRef("pk"))))
            .order_by("created_at", "pk")
        )
        current = aidkeys.current_key(team)
        if current is not None:
            state.key_version = current.version
            # A removal since the newest key was made: whoever was removed may have kept
            # a copy of it. Suggested until someone rotates.
            state.suggest_rotation = AuditEvent.objects.filter(
                action="aid.access_revoked", data__team=team.pk, created_at__gte=current.created_at
            ).exists()
    return state


def _render_page(request, teams, *, forms=None, error: str = "", status: int = 200):
    context = {
        "states": [_state(request, team, forms or {}) for team in teams],
        "aid_team": teams[0],
        "error": error,
        "min_length": settings.SOLIDAR_AID_PASSPHRASE_MIN_LENGTH,
    }
    return render(request, "aid/team/page.html", context, status=status)


@private_view
@require_GET
def team_page(request):
    teams, answer = _gate(request)
    if answer:
        return answer
    return _render_page(request, teams)


@private_view
@require_POST
def set_passphrase(request, team_id: int):
    teams, answer = _gate(request)
    if answer:
        return answer
    team = _one_team(teams, team_id)
    form = SetPassphraseForm(request.POST)
    if form.is_valid():
        try:
            aidteam.set_passphrase(team, request.user, form.cleaned_data["passphrase"])
        except aidteam.TeamError as error:
            # (Already set: the page shows the passphrase's state, not this form.)
            return _render_page(request, teams, error=str(error), status=400)
        messages.success(request, _("Your case passphrase is set. Keep it safe."))
        return redirect(_team_url(team))
    return _render_page(request, teams, forms={team.pk: {"set_form": form}}, status=400)


@private_view
@require_POST
def change_passphrase(request, team_id: int):
    teams, answer = _gate(request)
    if answer:
        return answer
    team = _one_team(teams, team_id)
    handler = handler_rows(request.user).get(team.pk)
    if handler is None:
        raise Http404
    form = ChangePassphraseForm(request.POST)
    status = 400
    if exceeded(
        request,
        "aid.unlock",
        limit=UNLOCK_LIMIT,
        seconds=UNLOCK_WINDOW,
        key=f"user:{handler.user_id}",
    ):
        form.add_error(None, _("Too many attempts. Wait a quarter of an hour and try again."))
        status = 429
    elif form.is_valid():
        try:
            aidteam.change_passphrase(
                handler, form.cleaned_data["current"], form.cleaned_data["passphrase"]
            )
        except aidkeys.WrongPassphraseError:
            form.add_error("current", _("This is not your current case passphrase."))
        except aidteam.TeamError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your case passphrase was changed."))
            return redirect(_team_url(team))
    return _render_page(request, teams, forms={team.pk: {"change_form": form}}, status=status)


def _coordinated_team(request, team_id: int) -> tuple[list[AidTeam], AidTeam, object]:
    teams, answer = _gate(request)
    if answer:
        return None, None, answer
    team = _one_team(teams, team_id)
    if not rules.has_perm("aid.manage_team", request.user, team):
        raise Http404
    return teams, team, None


def _fresh_keys(request, team: AidTeam) -> aidkeys.TeamKeys | None:
    """The coordinator's unlocked keys, if they hold the team's newest version."""
    keys = aidkeys.held(request, team)
    current = aidkeys.current_key(team)
    if keys is None or current is None or keys.current_version != current.version:
        return None
    return keys


@private_view
@require_POST
def give_access(request, team_id: int, handler_id: int):
    teams, team, answer = _coordinated_team(request, team_id)
    if answer:
        return answer
    handler = get_object_or_404(Handler.objects.select_related("user"), pk=handler_id, team=team)
    keys = _fresh_keys(request, team)
    if keys is None:
        messages.info(request, _("Unlock the team's keys first, then give access again."))
        return unlock_redirect(request, _team_url(team))
    try:
        aidteam.grant_access(team, handler, keys, by=request.user)
    except aidteam.TeamError as error:
        return _render_page(request, teams, error=str(error), status=400)
    messages.success(
        request, _("%(name)s has access to the team's cases now.") % {"name": handler.user}
    )
    return redirect(_team_url(team))


@private_view
@require_http_methods(["GET", "POST"])
def remove_access(request, team_id: int, handler_id: int):
    """A coordinator takes a handler's access away, or a handler starts over (a lost
    passphrase): their key pair and grants are deleted. A confirmation page first."""
    teams, answer = _gate(request)
    if answer:
        return answer
    team = _one_team(teams, team_id)
    handler = get_object_or_404(Handler.objects.select_related("user"), pk=handler_id, team=team)
    own = handler.user_id == request.user.pk
    if not own and not rules.has_perm("aid.manage_team", request.user, team):
        raise Http404
    context = {"team": team, "handler": handler, "own": own, "aid_team": team}
    if request.method == "GET":
        return render(request, "aid/team/confirm_remove.html", context)
    try:
        aidteam.revoke(team, handler, by=request.user)
    except aidteam.TeamError as error:
        return render(
            request, "aid/team/confirm_remove.html", {**context, "error": str(error)}, status=400
        )
    response = redirect(_team_url(team))
    if own:
        aidkeys.release(request, response)
        messages.success(
            request,
            _(
                "Your case passphrase and access are gone. Set a new passphrase and ask a "
                "coordinator to give you access again."
            ),
        )
    else:
        messages.success(request, _("%(name)s no longer has access.") % {"name": handler.user})
    messages.warning(
        request,
        _(
            "Rotate the team key now: whatever is written from then on is sealed to a key "
            "the removed person never had."
        ),
    )
    return response


@private_view
@require_http_methods(["GET", "POST"])
def rotate(request, team_id: int):
    teams, team, answer = _coordinated_team(request, team_id)
    if answer:
        return answer
    confirm_url = reverse("aid:rotate", args=[team.pk])
    keys = _fresh_keys(request, team)
    if keys is None:
        messages.info(request, _("Unlock the team's keys first to rotate the key."))
        return unlock_redirect(request, confirm_url)
    context = {"team": team, "aid_team": team, "key_version": keys.current_version}
    if request.method == "GET":
        return render(request, "aid/team/confirm_rotate.html", context)
    try:
        new_key = aidteam.rotate(team, keys, by=request.user)
    except aidteam.TeamError as error:
        return render(
            request, "aid/team/confirm_rotate.html", {**context, "error": str(error)}, status=400
        )
    response = redirect(_team_url(team))
    # The session holds the keys as they were unlocked: hold them again with the new one.
    aidkeys.hold(request, response, keys)
    messages.success(
        request, _("The team key was rotated (version %(version)d).") % {"version": new_key.version}
    )
    return response


# -- unlocking and locking ------------------------------------------------------------------------
def _unlockable(request) -> dict[int, Handler]:
    """The user's handler rows (by team id) of teams they are still a member of."""
    return {
        team_id: row
        for team_id, row in handler_rows(request.user).items()
        if is_team_member(request.user, row.team)
    }


@private_view
@require_http_methods(["GET", "POST"])
def unlock(request):
    answer = refusal(request)  # log in; 404 for anyone without a passphrase; MFA
    if answer:
        return answer
    rows = _unlockable(request)
    if not rows:
        raise Http404
    teams = [row.team for row in rows.values()]
    next_url = _safe_next(request, reverse("aid:queue"))
    if not recently_authenticated(request):
        if request.method == "GET":
            raise ReauthenticationRequired  # allauth's middleware: confirm, then back here
        # Never let allauth keep this POST (with the passphrase) in the session to replay
        # it: confirm first, then type the passphrase again.
        messages.info(request, _("Confirm it is you, then type your case passphrase again."))
        return unlock_redirect(request, next_url)
    context = {
        "next": next_url,
        "aid_team": teams[0],
        "unlock_minutes": settings.SOLIDAR_AID_UNLOCK_MINUTES,
    }
    if request.method == "GET":
        context["form"] = UnlockForm(teams)
        return render(request, "aid/team/unlock.html", context)
    form = UnlockForm(teams, request.POST)
    context["form"] = form
    if exceeded(
        request,
        "aid.unlock",
        limit=UNLOCK_LIMIT,
        seconds=UNLOCK_WINDOW,
        key=f"user:{request.user.pk}",
    ):
        form.add_error(None, _("Too many attempts. Wait a quarter of an hour and try again."))
        return render(request, "aid/team/unlock.html", context, status=429)
    if not form.is_valid():
        return render(request, "aid/team/unlock.html", context, status=400)
    handler = rows[form.cleaned_data["team"]]
    try:
        keys = aidteam.unlock(handler, form.cleaned_data["passphrase"])
    except aidkeys.WrongPassphraseError:
        form.add_error("passphrase", _("This is not your case passphrase. Check it and try again."))
        return render(request, "aid/team/unlock.html", context, status=400)
    except aidkeys.NoAccessError:
        form.add_error(
            None,
            _(
                "Your passphrase is right, but you have no access yet: a coordinator of the "
                "team has to give it to you."
            ),
        )
        return render(request, "aid/team/unlock.html", context, status=400)
    response = HttpResponseRedirect(next_url)
    aidkeys.hold(request, response, keys)
    messages.success(
        request,
        ngettext(
            "The team's cases are unlocked for %(minutes)d minute.",
            "The team's cases are unlocked for %(minutes)d minutes.",
            settings.SOLIDAR_AID_UNLOCK_MINUTES,
        )
        % {"minutes": settings.SOLIDAR_AID_UNLOCK_MINUTES},
    )
    return response


@private_view
@login_required
@require_POST
def lock(request):
    response = HttpResponseRedirect(_safe_next(request, reverse("aid:team")))
    aidkeys.release(request, response)
    messages.success(request, _("Locked. The team's keys are forgotten in this browser."))
    return response


urlpatterns = [
    path("aid/team/", team_page, name="team"),
    path("aid/team/<int:team_id>/passphrase/", set_passphrase, name="set_passphrase"),
    path("aid/team/<int:team_id>/passphrase/change/", change_passphrase, name="change_passphrase"),
    path("aid/team/<int:team_id>/handlers/<int:handler_id>/give/", give_access, name="give_access"),
    path(
        "aid/team/<int:team_id>/handlers/<int:handler_id>/remove/",
        remove_access,
        name="remove_access",
    ),
    path("aid/team/<int:team_id>/rotate/", rotate, name="rotate"),
    path("aid/unlock/", unlock, name="unlock"),
    path("aid/lock/", lock, name="lock"),
]
