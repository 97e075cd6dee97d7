"""Events: organise views (being written)."""

from django.http import Http404


def cancel(request, *args, **kwargs):
    raise Http404


def create(request, *args, **kwargs):
    raise Http404


def edit(request, *args, **kwargs):
    raise Http404


def invitations(request, *args, **kwargs):
    raise Http404


def overview(request, *args, **kwargs):
    raise Http404


def programme(request, *args, **kwargs):
    raise Http404


def publish(request, *args, **kwargs):
    raise Http404


def question_delete(request, *args, **kwargs):
    raise Http404


def question_edit(request, *args, **kwargs):
    raise Http404


def questions(request, *args, **kwargs):
    raise Http404


def session_delete(request, *args, **kwargs):
    raise Http404


def session_edit(request, *args, **kwargs):
    raise Http404
