"""The steps of the work on a case, per kind of help (``ChecklistItem.key``).

Labels are translated and hold nothing secret: what a case needs is in its sealed notes,
the checklist only says which usual steps are done. A handler's own steps (no key) have a
sealed label. Renaming a key orphans the items that use it (they show as the key), so keys
stay; labels may change.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from solidar.aid.models import Kind

# (key, label) in the order they are worked through.
TEMPLATES: dict[str, list[tuple[str, object]]] = {
    Kind.DEPARTURE: [
        ("documents", pgettext_lazy("aid checklist", "Documents (passport, copies)")),
        ("routes", _("Routes out of the country")),
        ("visa", _("Visa options")),
        ("money", pgettext_lazy("aid checklist", "Money for the journey")),
        ("first_housing", _("First housing on arrival")),
        ("contacts", _("Contacts on arrival")),
    ],
    Kind.LEGAL: [
        ("situation", _("Legal situation understood")),
        ("lawyer", _("Lawyer or legal adviser found")),
        ("documents", pgettext_lazy("aid checklist", "Documents gathered")),
        ("deadlines", _("Deadlines known")),
        ("follow_up", _("Follow-up agreed")),
    ],
    Kind.DOCUMENTS: [
        ("needed", _("Which documents are needed")),
        ("appointment", _("Appointment at the authority")),
        ("translations", _("Translations")),
        ("fees", _("Fees covered")),
        ("collected", _("Documents collected")),
    ],
    Kind.HOUSING: [
        ("needs", _("Needs clear (people, dates, place)")),
        ("offer", _("Housing offer found")),
        ("arranged", _("Stay arranged")),
        ("registration", _("Address registration")),
        ("long_term", _("Longer-term housing")),
    ],
    Kind.MONEY: [
        ("amount", _("Amount and purpose clear")),
        ("source", _("Source of money found")),
        ("transfer", _("Safe way to transfer")),
        ("sent", _("Money sent")),
        ("confirmed", _("Receipt confirmed")),
    ],
    Kind.WORK: [
        ("skills", _("Skills and languages")),
        ("permit", _("Work permit")),
        ("leads", _("Job leads")),
        ("application", _("Applications sent")),
    ],
    Kind.HEALTH: [
        ("needs", _("What help is needed")),
        ("insurance", _("Health insurance")),
        ("professional", _("Doctor or therapist found")),
        ("appointment", _("First appointment")),
        ("follow_up", _("Follow-up agreed")),
    ],
    Kind.PRISONER: [
        ("lawyer", pgettext_lazy("aid checklist", "Lawyer")),
        ("letters", _("Letters")),
        ("parcels", _("Parcels")),
        ("family", _("Support for the family")),
        ("campaign", _("Public campaign")),
    ],
    Kind.OTHER: [
        ("first_contact", _("First contact")),
    ],
}


def template_for(kind: str) -> list[tuple[str, object]]:
    return TEMPLATES.get(kind, TEMPLATES[Kind.OTHER])


def label_for(kind: str, key: str):
    """The translated label of a template step (the key itself if the template lost it)."""
    return dict(template_for(kind)).get(key, key)
