"""Handlers' pages (placeholder: the casework helper writes this module).
URL names are fixed: queue, case, and the case's POST actions."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("aid/", _todo, name="queue"),
    path("aid/cases/<uuid:case_id>/", _todo, name="case"),
]
