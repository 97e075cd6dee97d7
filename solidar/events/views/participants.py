"""Events: participants views (being written)."""

from django.http import Http404


def action(request, *args, **kwargs):
    raise Http404


def checkin(request, *args, **kwargs):
    raise Http404


def csv(request, *args, **kwargs):
    raise Http404


def export(request, *args, **kwargs):
    raise Http404


def letter(request, *args, **kwargs):
    raise Http404


def letter_template(request, *args, **kwargs):
    raise Http404


def print_list(request, *args, **kwargs):
    raise Http404


def roster(request, *args, **kwargs):
    raise Http404
