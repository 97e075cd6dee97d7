"""The team and its keys (placeholder: the team helper writes this module).
URL names are fixed: team, unlock, lock (and the team's POST actions)."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("aid/team/", _todo, name="team"),
    path("aid/unlock/", _todo, name="unlock"),
    path("aid/lock/", _todo, name="lock"),
]
