"""The e-mails of events, each in the recipient's language, queued after commit.

Templates live in ``templates/events/email/<name>_{subject,message}.txt``. A guest's
address is read from their (sealed) registration, a member's from their account.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from solidar.core import emails
from solidar.events.models import Registration


def _address(registration: Registration) -> str:
    if registration.is_guest:
        return registration.email
    return registration.user.email if registration.user_id else ""


def _send(
    name: str,
    registration: Registration,
    *,
    token: str | None = None,
    confirm: str | None = None,
    to: str | None = None,
    calendar: bool = False,
) -> None:
    to = to or _address(registration)
    if not to or registration.purged:
        return
    language = registration.language or settings.LANGUAGE_CODE
    event = registration.event
    with translation.override(language):
        context = {
            "registration": registration,
            "event": event,
            "event_url": settings.SOLIDAR_SITE_URL + reverse("events:detail", args=[event.slug]),
        }
        if token:
            context["link"] = settings.SOLIDAR_SITE_URL + reverse(
                "events:registration", args=[token]
            )
        if confirm:
            from solidar.events.services import CONFIRM_HOURS

            context["confirm_hours"] = CONFIRM_HOURS
            context["confirm_link"] = settings.SOLIDAR_SITE_URL + reverse(
                "events:confirm", args=[confirm]
            )
        attachments = None
        if calendar:
            from solidar.events.calendar import event_calendar

            ics = event_calendar(event, registered=True)
            attachments = [("event.ics", ics, "text/calendar")]
    emails.send_templated(f"events/email/{name}", to, context, language, attachments=attachments)


def status_changed(registration: Registration, token: str) -> None:
    """Registered (with the calendar file), waiting, or waiting for approval."""
    status = registration.status
    if status == Registration.Status.REGISTERED:
        _send("registered", registration, token=token, calendar=True)
    elif status == Registration.Status.WAITING:
        _send("waiting", registration, token=token)
    elif status == Registration.Status.PENDING:
        _send("pending", registration, token=token)


def confirm_address(registration: Registration, confirm: str) -> None:
    _send("confirm_address", registration, confirm=confirm)


def already_registered(existing: Registration, email: str) -> None:
    """Someone registered this address again: the person gets a fresh link to their
    registration, by e-mail only (the page says nothing either way)."""
    from solidar.events.services import personal_token

    if existing.status == Registration.Status.UNCONFIRMED:
        return  # the confirmation e-mail they already have is enough
    _send("already_registered", existing, token=personal_token(existing), to=email)


def place_offered(registration: Registration, token: str) -> None:
    _send("offered", registration, token=token)


def offer_expired(registration: Registration) -> None:
    _send("offer_expired", registration)


def declined(registration: Registration) -> None:
    _send("declined", registration)


def event_cancelled(registration: Registration) -> None:
    _send("event_cancelled", registration)


def reminder(registration: Registration, token: str) -> None:
    _send("reminder", registration, token=token, calendar=True)
