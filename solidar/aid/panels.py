"""Mutual aid's panel on the member's dashboard (registered in AidConfig.ready; see
solidar.core.panels): your offers of help and the questions waiting for your answer, and
for handlers the new requests of their teams. Nothing sealed, no case detail."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from solidar.aid import rules as aid_rules
from solidar.aid.models import Case, Offer, OfferContact
from solidar.core import panels


def dashboard(request) -> dict[str, Any] | None:
    user = request.user
    if not aid_rules.is_network_member(user):
        return None
    today = timezone.localdate()
    mine = Offer.objects.filter(user=user, is_withdrawn=False, expires_on__gte=today).aggregate(
        offers=Count("pk", distinct=True),
        questions=Count("contacts", filter=Q(contacts__answer=OfferContact.Answer.ASKED)),
    )
    teams = [
        row.team_id
        for row in aid_rules.handler_rows(user).values()  # no query outside aid teams
        if aid_rules.is_handler(user, row.team)
    ]
    new_cases = (
        Case.objects.filter(team_id__in=teams, status=Case.Status.NEW).count() if teams else None
    )
    return {"offers": mine["offers"], "questions": mine["questions"], "new_cases": new_cases}


def register() -> None:
    panels.register("dashboard", "aid/panel_dashboard.html", dashboard, order=30)
