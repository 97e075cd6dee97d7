"""The member's newsletters on their account page: ``{% newsletter_profile %}``."""

from __future__ import annotations

from django import template

from solidar.newsletter import services
from solidar.newsletter.views.public import list_groups

register = template.Library()


@register.inclusion_tag("newsletter/public/_profile.html", takes_context=True)
def newsletter_profile(context) -> dict:
    """The lists a member may choose, ticked where they are on them (three queries)."""
    user = context["request"].user
    if not user.has_perm("newsletter.subscribe_from_profile"):
        return {"groups": []}
    mine = {m.pk for m in services.member_lists(user)}
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "address": services.member_address(user),
        "groups": list_groups(services.member_offer(), mine),
    }
