"""Events: public views (being written)."""

from django.http import Http404


def confirm(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404


def mine(request, *args, **kwargs):
    raise Http404


def my_registration(request, *args, **kwargs):
    raise Http404


def past(request, *args, **kwargs):
    raise Http404


def register(request, *args, **kwargs):
    raise Http404


def registration(request, *args, **kwargs):
    raise Http404


def upcoming(request, *args, **kwargs):
    raise Http404
