"""Offers of help, matching and statistics (placeholder: the offers helper writes this
module). URL names are fixed: offers, offer_new, matches, statistics (and their actions)."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("aid/offers/", _todo, name="offers"),
    path("aid/offers/new/", _todo, name="offer_new"),
    path("aid/cases/<uuid:case_id>/matches/", _todo, name="matches"),
    path("aid/statistics/", _todo, name="statistics"),
]
