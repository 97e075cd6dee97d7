"""Who may see and do what with events. One predicate per question.

- A public event is seen by everyone once published.
- A members' event is seen by the members of the organising collective (for an event of
  the network as a whole: by every member of the network).
- An invitation-only event is seen by the people invited.
- Organisers are the coordinators of the organising collective and the network's event
  organisers (a group); both are privileged roles with MFA. They see everything of their
  events, drafts included. Everyone else gets a 404, as if the event did not exist.
"""

from __future__ import annotations

import rules
from django.contrib.auth.backends import ModelBackend

from solidar.accounts.rules import register_privileged_role
from solidar.network import rules as network_rules

ORGANISERS_GROUP = "Network organisers"
NETWORK_ORGANISER_PERMISSION = "events.organise_network_events"
_MODEL_BACKEND = ModelBackend()


@rules.predicate
def is_network_organiser(user) -> bool:
    """An instance admin, or a member of the "Network organisers" group (through its
    permission: Django loads a user's permissions once per request, and the privileged
    role check has usually loaded them already, so this costs no query of its own)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or _MODEL_BACKEND.has_perm(user, NETWORK_ORGANISER_PERMISSION)


@rules.predicate
def organises(user, event) -> bool:
    if event is None:
        return False
    if event.organiser_id is None:
        return is_network_organiser(user)
    return network_rules.is_coordinator(user, event.organiser) or is_network_organiser(user)


@rules.predicate
def is_published(user, event) -> bool:
    from solidar.events.models import Event

    return event is not None and event.status != Event.Status.DRAFT


@rules.predicate
def is_public(user, event) -> bool:
    """Public, and not organised by a hidden collective (which must stay invisible)."""
    if event is None or not event.is_public:
        return False
    return event.organiser_id is None or not event.organiser.is_hidden


@rules.predicate
def is_invitation_only(user, event) -> bool:
    from solidar.events.models import Event

    return event is not None and event.visibility == Event.Visibility.INVITATION


@rules.predicate
def belongs_to_audience(user, event) -> bool:
    """A member of the organising collective (or of the network, for a network event)."""
    from solidar.events.models import Event

    if event is None or event.visibility != Event.Visibility.MEMBERS:
        return False
    if event.organiser_id is None:
        return network_rules.is_network_member(user)
    return network_rules.is_member(user, event.organiser)


@rules.predicate
def is_invited(user, event) -> bool:
    if event is None or not getattr(user, "is_authenticated", False):
        return False
    invited = getattr(user, "_invited_events", None)
    if invited is None:
        from solidar.events.models import EventInvitation

        invited = set(
            EventInvitation.objects.filter(user_id=user.pk).values_list("event_id", flat=True)
        )
        user._invited_events = invited
    return event.pk in invited


@rules.predicate
def takes_registrations(user, event) -> bool:
    from solidar.events import services

    return event is not None and services.registration_refusal(event) is None


@rules.predicate
def takes_guests(user, event) -> bool:
    return event is not None and event.is_public and event.allow_guests


@rules.predicate
def can_create_events(user) -> bool:
    return network_rules.coordinates_anything(user) or is_network_organiser(user)


# The audience first: most questions are about published events, and they are answered
# without asking whether the person organises (which may cost a query).
can_view = (
    is_published & (is_public | belongs_to_audience | (is_invitation_only & is_invited))
) | organises

rules.add_perm("events.view_event", can_view)
rules.add_perm("events.register", rules.is_authenticated & can_view & takes_registrations)
rules.add_perm(
    "events.register_as_guest",
    ~rules.is_authenticated & can_view & takes_registrations & takes_guests,
)
rules.add_perm("events.create_event", can_create_events)
rules.add_perm("events.organise", organises)
rules.add_perm("events.view_participants", organises)
rules.add_perm("events.check_in", organises)
rules.add_perm("events.export_participants", organises)
rules.add_perm("events.issue_letters", organises)

register_privileged_role(is_network_organiser)
