"""``{% panels "home" %}``: every panel registered for a place (see solidar.core.panels)."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from solidar.core import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, place: str) -> str:
    request = context.get("request")
    if request is None:
        return ""
    parts = []
    for panel in registry.for_place(place):
        values = panel.context(request)
        if values is None:
            continue
        # Rendered like {% include %}: the page's context (user, site_name, ...) plus the
        # panel's own values, which leave the context again afterwards.
        panel_template = context.template.engine.get_template(panel.template_name)
        with context.push(**values):
            parts.append(panel_template.render(context))
    return mark_safe("".join(parts))  # noqa: S308 - rendered by autoescaping templates
