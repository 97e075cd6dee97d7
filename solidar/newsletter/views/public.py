"""Readers' pages: sign up, confirm, their lists (preference link), unsubscribe, one click;
and the members' choice of lists from their profile. Thin: parse, call one service, answer.

The sign-up answers the same whatever the address (THREATS 3: who reads which
newsletter is nobody's business). Links from e-mails are the reader's only key: a link
that does not work answers 404 with a page saying so; opening a link changes nothing,
only its page's button does (mail scanners open links). Pages with a token in their
address are never cached and keep it to this site (``Referrer-Policy: same-origin``, the
site's policy: under "no-referrer" browsers send "Origin: null" with the page's own POST
and the CSRF check refuses it).
"""

from __future__ import annotations

from allauth.core.internal import ratelimit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from solidar.network.models import SPOKEN_LANGUAGES
from solidar.newsletter import links, services
from solidar.newsletter.models import MailingList
from solidar.newsletter.services import NewsletterError

# Sign-ups without an account: per (pseudonymous) client, generous for people sharing a
# Tor exit; per address strict, so nobody's inbox is flooded with confirmation links.
RATES = {
    "subscribe": "20/m/ip,200/h/ip",
    "subscribe_address": "3/10m/key",
}
LANGUAGE_NAMES = {**dict(SPOKEN_LANGUAGES), **dict(settings.LANGUAGES)}
ONE_CLICK_BODY = "One-Click"


# -- forms -------------------------------------------------------------------------------------
class ListsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": gettext_lazy("Please choose from the lists shown."),
                "invalid_pk_value": gettext_lazy("Please choose from the lists shown."),
                "list": gettext_lazy("Please choose from the lists shown."),
            },
        )
        super().__init__(queryset, **kwargs)

    def _check_values(self, value):
        # Only ids the database can hold: a number past 64 bits is an OverflowError
        # (a 500) on SQLite, not an unknown choice.
        for pk in value:
            text = str(pk) if isinstance(pk, str | int) else ""
            if not (text.isascii() and text.isdigit() and int(text) < 2**63):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super()._check_values(value)


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label=gettext_lazy("E-mail address"),
        max_length=320,
        error_messages={
            "required": gettext_lazy("Please give a valid e-mail address."),
            "max_length": gettext_lazy("Please give a valid e-mail address."),
        },
    )
    lists = ListsField(services.public_lists(), label=gettext_lazy("Newsletters"))
    consent = forms.BooleanField(
        error_messages={"required": gettext_lazy("Please agree, or we cannot send anything.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = services.consent_text()
        self.fields["email"].widget.attrs.update(autocomplete="email", inputmode="email")

    def clean_email(self) -> str:
        try:
            return services.clean_email(self.cleaned_data["email"])
        except NewsletterError as error:
            raise forms.ValidationError(error.message) from None

    def clean_lists(self):
        chosen = self.cleaned_data["lists"]
        if not chosen:
            raise forms.ValidationError(_("Please choose at least one list."))
        return chosen


class PreferencesForm(forms.Form):
    action = forms.ChoiceField(choices=[("save", "save"), ("leave", "leave")])

    def __init__(self, offered: list[MailingList], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"] = ListsField(
            MailingList.objects.filter(pk__in=[m.pk for m in offered])
        )


class MemberListsForm(forms.Form):
    lists = ListsField(services.member_offer())


def list_groups(lists, chosen: set[int], statuses: dict[int, str] | None = None):
    """The lists by language, the reader's language first: [(name, [list, ...]), ...]."""
    current = translation.get_language()
    groups: dict[str, list] = {}
    for mailing_list in lists:
        mailing_list.chosen = mailing_list.pk in chosen
        mailing_list.pending = (statuses or {}).get(mailing_list.pk) == services.PENDING
        groups.setdefault(mailing_list.language, []).append(mailing_list)
    known = list(LANGUAGE_NAMES)

    def order(code: str):
        return (code != current, known.index(code) if code in known else len(known), code)

    return [
        (str(LANGUAGE_NAMES.get(code, code)), groups[code]) for code in sorted(groups, key=order)
    ]


def _submitted_ids(data) -> set[int]:
    ids = set()
    for value in data.getlist("lists") if data is not None else ():
        if value.isascii() and value.isdigit() and len(value) < 12:
            ids.add(int(value))
    return ids


# -- helpers -----------------------------------------------------------------------------------
def _rate_limited(request, action: str, key: str | None = None) -> bool:
    if not settings.ACCOUNT_RATE_LIMITS_ENABLED:
        return False
    usage = ratelimit.consume(
        request, app="solidar.newsletter", action=action, config=RATES, key=key
    )
    return usage is None


def _token_page(request, template: str, context: dict, *, status: int = 200):
    response = render(request, template, context, status=status)
    response["Referrer-Policy"] = "same-origin"
    request.solidar_private = True  # PrivateCacheMiddleware: no-store
    return response


def _link_gone(request):
    """A preference or unsubscribe link that does not (or no longer) work."""
    return _token_page(request, "newsletter/public/link_invalid.html", {}, status=404)


# -- signing up --------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    lists = list(services.public_lists())
    chosen = _submitted_ids(request.POST) if request.method == "POST" else set()
    if request.method == "GET" and request.GET.get("list", "").isdigit():
        chosen = {int(request.GET["list"])}
    context = {"form": form, "groups": list_groups(lists, chosen), "has_lists": bool(lists)}
    if request.method == "GET":
        return render(request, "newsletter/public/subscribe.html", context)
    if _rate_limited(request, "subscribe"):
        context["refusal"] = _(
            "Too many sign-ups from your connection. Please try again in a while."
        )
        return render(request, "newsletter/public/subscribe.html", context, status=429)
    if not form.is_valid():
        return render(request, "newsletter/public/subscribe.html", context, status=400)
    email = form.cleaned_data["email"]
    try:
        # Held back by the limit for this address: the same answer, nothing sent.
        if not _rate_limited(request, "subscribe_address", links.email_digest(email)):
            services.subscribe(
                email,
                form.cleaned_data["lists"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
    except NewsletterError as error:
        form.add_error(None, error.message)
        return render(request, "newsletter/public/subscribe.html", context, status=400)
    # The same page whether the address was new, waiting or subscribed already.
    context = {"days": settings.SOLIDAR_NEWSLETTER_CONFIRM_DAYS}
    return render(request, "newsletter/public/check_inbox.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        found = services.pending_confirmation(token)
    except NewsletterError as error:
        return _token_page(
            request, "newsletter/public/confirm.html", {"error": error.message}, status=410
        )
    context = {"confirmation": found}
    if request.method == "GET" or found.already:
        return _token_page(request, "newsletter/public/confirm.html", context)
    try:
        done = services.confirm(token)
    except NewsletterError as error:
        context["error"] = error.message
        return _token_page(request, "newsletter/public/confirm.html", context, status=409)
    context = {"confirmation": done, "confirmed": True}
    if not done.already:
        context["preferences_path"] = _preferences_path(done.subscriber)
    return _token_page(request, "newsletter/public/confirm.html", context)


def _preferences_path(subscriber) -> str:
    return reverse("newsletter:preferences", args=[links.preference_token(subscriber)])


# -- the reader's lists ------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = links.subscriber_for_preferences(token)
    if subscriber is None:
        return _link_gone(request)
    offered = services.choosable_lists(subscriber)
    current = services.subscriptions_of(subscriber)
    statuses = {pk: s.status for pk, s in current.items()}
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(offered, data)
    chosen = _submitted_ids(data) if data is not None else set(current)
    context = {"form": form, "token": token, "groups": list_groups(offered, chosen, statuses)}
    if request.method == "GET":
        return _token_page(request, "newsletter/public/preferences.html", context)
    if not form.is_valid():
        return _token_page(request, "newsletter/public/preferences.html", context, status=400)
    if form.cleaned_data["action"] == "leave":
        services.leave(subscriber)
        return _token_page(request, "newsletter/public/left.html", {})
    if services.update_lists(subscriber, form.cleaned_data["lists"]):
        return _token_page(request, "newsletter/public/left.html", {})
    current = services.subscriptions_of(subscriber)
    statuses = {pk: s.status for pk, s in current.items()}
    context.update(
        form=PreferencesForm(offered),
        groups=list_groups(offered, set(current), statuses),
        saved=True,
    )
    return _token_page(request, "newsletter/public/preferences.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    target = links.unsubscribe_target(token)
    if target is None:
        return _link_gone(request)
    subscriber, mailing = target
    lists = list(mailing.lists.all())
    mine = set(services.subscriptions_of(subscriber))
    context = {
        "lists": [m for m in lists if m.pk in mine],
        "other_lists": [m for m in lists if m.pk not in mine],
    }
    if request.method == "GET":
        return _token_page(request, "newsletter/public/unsubscribe.html", context)
    remaining = services.unsubscribe_from_mailing(subscriber, mailing)
    context = {"done": True, "left": context["lists"], "remaining": remaining}
    if remaining:
        context["preferences_path"] = _preferences_path(subscriber)
    return _token_page(request, "newsletter/public/unsubscribe.html", context)


@csrf_exempt
@never_cache
@require_POST
def one_click(request, token):
    """RFC 8058: the mail program POSTs ``List-Unsubscribe=One-Click`` to the
    List-Unsubscribe address. No page, no cookie, no redirect."""
    target = links.unsubscribe_target(token)
    if target is None:
        return HttpResponse(
            "This link does not work.\n", status=404, content_type="text/plain; charset=utf-8"
        )
    try:
        body = request.POST.get("List-Unsubscribe", "")
    except Exception:  # noqa: BLE001 - a body that does not parse is a bad body
        body = ""
    if body != ONE_CLICK_BODY:
        return HttpResponse(
            "Expected List-Unsubscribe=One-Click.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    subscriber, mailing = target
    services.unsubscribe_from_mailing(subscriber, mailing)
    return HttpResponse("Unsubscribed.\n", content_type="text/plain; charset=utf-8")


# -- members, from their profile ---------------------------------------------------------------
@login_required
@require_POST
def member_lists(request):
    if not request.user.has_perm("newsletter.subscribe_from_profile"):
        raise PermissionDenied
    form = MemberListsForm(request.POST)
    if not form.is_valid():
        message = _("Please choose from the lists shown.")
        return render(
            request, "newsletter/public/profile_refused.html", {"message": message}, status=400
        )
    try:
        subscriber = services.subscribe_member(request.user, form.cleaned_data["lists"])
    except NewsletterError as error:
        return render(
            request,
            "newsletter/public/profile_refused.html",
            {"message": error.message},
            status=409,
        )
    if subscriber is None:
        messages.success(request, _("You get no newsletters now. Your address was removed."))
    else:
        messages.success(request, _("Your newsletters are saved."))
    return redirect("accounts:profile")


urlpatterns = [
    path("", subscribe, name="subscribe"),
    path("confirm/<str:token>/", confirm, name="confirm"),
    path("preferences/<str:token>/", preferences, name="preferences"),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
    path("my-lists/", member_lists, name="member_lists"),
]
root_patterns = [
    path("newsletter/one-click/<str:token>", one_click, name="newsletter_one_click"),
]
