"""Panels: boxes that other apps put on core's and the network's pages.

Dependencies point one way: core and the network know nothing of events (or of later
apps such as votes and campaigns). An app registers a panel for a place instead, in its
``AppConfig.ready``::

    panels.register("dashboard", "events/panel_dashboard.html", dashboard_context, order=10)

and the page's template says where the place is: ``{% load panels %}{% panels "dashboard" %}``.
The tag calls each panel's context function with the request; a panel whose function
returns None is left out (nothing to show to this person), a dict is the context its
template is rendered with. Keep each context function to one or two queries: it runs on
every view of the page.

Places used now: ``home`` (the public home page; cached for anonymous readers, so a panel
there must show nothing personal) and ``dashboard`` (a member's dashboard).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

ContextFunction = Callable[[HttpRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    place: str
    template_name: str
    context: ContextFunction
    order: int = 0


_panels: dict[str, list[Panel]] = {}


def register(place: str, template_name: str, context: ContextFunction, order: int = 0) -> None:
    """Show ``template_name`` at ``place`` whenever ``context(request)`` returns a dict.

    Registering the same template for the same place again replaces it (``ready`` may run
    more than once in tests)."""
    kept = [p for p in _panels.get(place, []) if p.template_name != template_name]
    kept.append(Panel(place, template_name, context, order))
    kept.sort(key=lambda p: (p.order, p.template_name))
    _panels[place] = kept


def unregister(place: str, template_name: str) -> None:
    _panels[place] = [p for p in _panels.get(place, []) if p.template_name != template_name]


def for_place(place: str) -> list[Panel]:
    return list(_panels.get(place, []))
