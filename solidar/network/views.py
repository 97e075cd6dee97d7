"""PLACEHOLDER: being implemented."""

from django.http import Http404


def directory(request, *args, **kwargs):
    raise Http404


def map_svg(request, *args, **kwargs):
    raise Http404


def create_collective(request, *args, **kwargs):
    raise Http404


def leave_network(request, *args, **kwargs):
    raise Http404


def collective(request, *args, **kwargs):
    raise Http404


def members(request, *args, **kwargs):
    raise Http404


def apply(request, *args, **kwargs):
    raise Http404


def join(request, *args, **kwargs):
    raise Http404


def leave(request, *args, **kwargs):
    raise Http404


def contacts(request, *args, **kwargs):
    raise Http404


def manage(request, *args, **kwargs):
    raise Http404


def manage_settings(request, *args, **kwargs):
    raise Http404


def manage_member(request, *args, **kwargs):
    raise Http404


def invite(request, *args, **kwargs):
    raise Http404


def appoint(request, *args, **kwargs):
    raise Http404


def dashboard(request, *args, **kwargs):
    raise Http404


def my_applications(request, *args, **kwargs):
    raise Http404


def application(request, *args, **kwargs):
    raise Http404


def accept_invitation(request, *args, **kwargs):
    raise Http404
