"""Events: calendar files and feeds (RFC 5545), and the page of the personal feed.

Feeds are fetched by calendar apps, which have no session: the public and the collective
feeds show what an anonymous reader may see (the URLs get shared), and the personal feed
is authorised by its secret token alone, for this one purpose.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from solidar.core import pagecache
from solidar.events import access, services
from solidar.events import calendar as ics
from solidar.events.models import CalendarFeed, Event, EventInvitation, Registration
from solidar.network import access as network_access
from solidar.network import rules as network_rules
from solidar.network.models import Membership

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Feeds show the coming events and those of the last weeks (apps drop what vanishes).
PAST_DAYS = 90
# Public feeds are built once per language (and collective) for a few minutes; a change
# to any event retires them at once (services call pagecache.invalidate()).
FEED_CACHE_SECONDS = 300


def _filename(slug: str) -> str:
    return (re.sub(r"[^A-Za-z0-9_-]+", "", slug)[:80] or "event") + ".ics"


def _calendar_response(request, body: str, *, filename: str | None = None, etag=None):
    etag = etag or _etag(body)
    not_modified = get_conditional_response(request, etag=etag)
    response = not_modified or HttpResponse(body, content_type=CONTENT_TYPE)
    response["ETag"] = etag
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _etag(body: str) -> str:
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


# -- one event ---------------------------------------------------------------------------------
@require_GET
def event_file(request, slug):
    event = access.get_event_for_viewer(request.user, slug)
    registration = access.my_registration(request.user, event)
    registered = (registration is not None and registration.is_registered) or request.user.has_perm(
        "events.organise", event
    )
    body = ics.event_calendar(event, registered=registered, sessions=True)
    return _calendar_response(request, body, filename=_filename(event.slug))


# -- public feeds ------------------------------------------------------------------------------
def _window(queryset):
    since = timezone.now() - timedelta(days=PAST_DAYS)
    return queryset.filter(ends_at__gt=since).order_by("starts_at", "pk")


def _cached_feed(request, key: str, build):
    """The feed under ``key`` in the active language, built by ``build()`` when missing."""
    full_key = f"solidar:events:feed:{pagecache._generation()}:{get_language()}:{key}"
    cached = cache.get(full_key)
    if cached is None:
        body = build()
        cached = (body, _etag(body))
        cache.set(full_key, cached, FEED_CACHE_SECONDS)
    body, etag = cached
    response = _calendar_response(request, body, etag=etag)
    response["Cache-Control"] = f"public, max-age={FEED_CACHE_SECONDS}"
    return response


@require_GET
def public_feed(request):
    def build():
        events = _window(access.visible_events(AnonymousUser()))
        return ics.feed(events, name=ics.feed_name(_("Events")))

    return _cached_feed(request, "public", build)


@require_GET
def collective_feed(request, slug):
    # As an anonymous reader sees it: a hidden collective's feed does not exist, even for
    # its members (feed URLs get shared; members have their personal feed).
    collective = network_access.visible_collectives(AnonymousUser()).filter(slug=slug).first()
    if collective is None:
        raise Http404

    def build():
        events = _window(access.visible_events(AnonymousUser()).filter(organiser=collective))
        return ics.feed(events, name=ics.feed_name(collective.name))

    return _cached_feed(request, f"collective:{collective.pk}", build)


# -- the personal feed -------------------------------------------------------------------------
def _personal_events(user) -> tuple[list[Event], set]:
    """What the member's own calendar shows: the events they are registered for (or
    waiting for), and the coming events of their collectives, of the whole network and
    those they are invited to. Only events they may see now."""
    visible = access.visible_events(user)
    since = timezone.now() - timedelta(days=PAST_DAYS)
    registrations = dict(
        Registration.objects.filter(
            user=user, status__in=Registration.ACTIVE, event__ends_at__gt=since
        ).values_list("event_id", "status")
    )
    mine = [
        collective_id
        for collective_id, m in network_rules.current_memberships(user).items()
        if m.status == Membership.Status.ACTIVE
    ]
    invited = EventInvitation.objects.filter(user_id=user.pk).values("event_id")
    ours = Q(organiser_id__in=mine) | Q(pk__in=invited)
    if mine:
        ours |= Q(organiser__isnull=True)
    events = list(
        visible.filter(
            Q(pk__in=list(registrations)) | (ours & Q(ends_at__gt=timezone.now()))
        ).order_by("starts_at", "pk")
    )
    registered = {
        pk for pk, status in registrations.items() if status == Registration.Status.REGISTERED
    }
    return events, registered


@require_GET
def personal_feed(request, token):
    # The token is the authorisation (the request has no session): not request.user.
    user = services.user_for_calendar_token(token)
    if user is None:
        raise Http404
    events, registered = _personal_events(user)
    body = ics.feed(events, name=ics.feed_name(_("My events")), registered_ids=registered)
    response = _calendar_response(request, body)
    response["Cache-Control"] = "private, no-store"
    return response


# -- the page about it -------------------------------------------------------------------------
def _feed_urls(token: str) -> dict[str, str]:
    url = settings.SOLIDAR_SITE_URL + reverse("events:feed_personal", args=[token])
    return {"url": url, "webcal": re.sub(r"^https?://", "webcal://", url)}


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    status = 200
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            services.calendar_token(request.user)
            messages.success(request, _("Your calendar link was created."))
            return redirect("events:calendar")
        if action == "reset":
            services.calendar_token(request.user, reset=True)
            messages.success(
                request, _("Your calendar link was reset. The old link no longer works.")
            )
            return redirect("events:calendar")
        status = 400
        error = _("Choose to create or to reset your calendar link.")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    public_url = settings.SOLIDAR_SITE_URL + reverse("events:feed_public")
    context = {
        "feed": feed,
        "error": error,
        "public": {"url": public_url, "webcal": re.sub(r"^https?://", "webcal://", public_url)},
    }
    if feed is not None:
        context["personal"] = _feed_urls(feed.token)
    return render(request, "events/calendar_settings.html", context, status=status)
