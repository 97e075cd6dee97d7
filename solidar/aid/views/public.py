"""The public side of mutual aid (placeholder: the intake helper writes this module).
URL names are fixed: help, return, my_request, leave."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("help/", _todo, name="help"),
    path("help/return/", _todo, name="return"),
    path("help/my-request/", _todo, name="my_request"),
    path("help/leave/", _todo, name="leave"),
]
