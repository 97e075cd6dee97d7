"""Decisions under the language prefix (``decisions:`` namespace): ``decisions/...``.

Each view module owns its routes: bodies (the overview, a body's page, its rules and
delegates), proposals (and amendments, comments), votes (ballots, results, receipts) and
resolutions.
"""

from solidar.decisions.views import bodies, proposals, resolutions, votes

app_name = "decisions"
urlpatterns = [
    *bodies.urlpatterns,
    *proposals.urlpatterns,
    *votes.urlpatterns,
    *resolutions.urlpatterns,
]
