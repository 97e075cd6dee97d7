"""Mutual aid pages under the language prefix (``aid:`` namespace).

``help/...``: the public side, for people asking for help (no account, a codename).
``aid/...``: handlers (cases, the team and its keys), members' offers of help, statistics.
"""

from solidar.aid.views import handler, offers, public, team

app_name = "aid"
urlpatterns = [
    *public.urlpatterns,
    *handler.urlpatterns,
    *team.urlpatterns,
    *offers.urlpatterns,
]
