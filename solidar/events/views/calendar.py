"""Events: calendar views (being written)."""

from django.http import Http404


def collective_feed(request, *args, **kwargs):
    raise Http404


def event_file(request, *args, **kwargs):
    raise Http404


def ics(request, *args, **kwargs):
    raise Http404


def personal_feed(request, *args, **kwargs):
    raise Http404


def public_feed(request, *args, **kwargs):
    raise Http404


def settings_page(request, *args, **kwargs):
    raise Http404
