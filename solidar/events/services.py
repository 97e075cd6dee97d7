"""Every change to events and registrations, one function each. Views, tasks, tests and
seed_demo call these.

Places are never oversold: every change that can take or free a place locks the event's
row first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite runs one writer at a time), and
the event's counters are recounted from the registrations inside the same transaction.

A place counts as taken by a registered person and by an open offer to someone from the
waiting list. Unconfirmed guests and requests waiting for approval hold no place.

A refused action raises EventError with a message for the person, and changes nothing.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from zoneinfo import available_timezones

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from solidar.accounts.models import User
from solidar.core import audit, pagecache
from solidar.events.models import (
    CalendarFeed,
    Event,
    EventInvitation,
    Question,
    Registration,
    Session,
)
from solidar.network.models import SPOKEN_LANGUAGES, Collective

CONFIRM_HOURS = 48
_LANGUAGE_KEYS = {key for key, _label in SPOKEN_LANGUAGES}
S = Registration.Status


class EventError(Exception):
    """A refused action. ``str(error)`` is a message in the active language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


# -- tokens and digests ------------------------------------------------------------------------
def new_token() -> str:
    """256 bits from the CSPRNG, for a link in an e-mail."""
    return secrets.token_urlsafe(32)


def digest(token: str, purpose: str) -> str:
    """A keyed digest: the database holds this, never the token (THREATS 8)."""
    return salted_hmac(f"solidar.events.{purpose}", token, algorithm="sha256").hexdigest()


def email_digest(email: str) -> str:
    return digest(email.strip().lower(), "email")


# -- events ------------------------------------------------------------------------------------
EDITABLE_FIELDS = (
    "kind",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "address",
    "city",
    "country",
    "online_url",
    "visibility",
    "languages",
    "interpretation",
    "capacity",
    "registration_open",
    "registration_closes_at",
    "requires_approval",
    "allow_guests",
    "offer_hours",
)
TRANSLATED_FIELDS = ("title", "description", "accessibility")


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "event"
    while True:
        slug = f"{base}-{secrets.token_hex(4)}"
        if not Event.objects.filter(slug=slug).exists():
            return slug


def validate_time_zone(name: str) -> str:
    if name not in _time_zones():
        raise EventError(_("Choose a time zone from the list."))
    return name


def _time_zones() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return _ZONES


_ZONES: set[str] | None = None


def _validate(event: Event) -> None:
    if event.ends_at <= event.starts_at:
        raise EventError(_("The end must be after the start."))
    validate_time_zone(event.time_zone)
    if event.registration_closes_at and event.registration_closes_at > event.ends_at:
        raise EventError(_("Registration cannot close after the event has ended."))
    if event.capacity is not None and event.capacity < 1:
        raise EventError(_("An event needs at least one place, or no limit."))
    if not 1 <= event.offer_hours <= 24 * 14:
        raise EventError(_("A freed place can be held between 1 hour and 14 days."))
    if event.organiser_id and event.organiser.is_hidden and event.is_public:
        raise EventError(_("A hidden collective's events cannot be public."))
    if event.visibility != Event.Visibility.PUBLIC:
        event.allow_guests = False
    for key in list(event.languages) + list(event.interpretation):
        if key not in _LANGUAGE_KEYS:
            raise EventError(_("Choose languages from the list."))
    if event.online_url and not event.online_url.startswith("https://"):
        raise EventError(_("The online link must start with https://."))
    if event.country and not re.fullmatch(r"[A-Z]{2}", event.country):
        raise EventError(_("The country code has two capital letters, such as DE."))


def create_event(
    *,
    by: User | None,
    organiser: Collective | None,
    title: str,
    translations: Mapping[str, Mapping[str, str]] | None = None,
    status: str = Event.Status.PUBLISHED,
    **fields,
) -> Event:
    """A new event. ``translations`` maps a language to its title/description/
    accessibility; ``title`` is the text in the active language (the fallback)."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - set(TRANSLATED_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    event = Event(organiser=organiser, created_by=by, title=title, status=status, **fields)
    _apply_translations(event, translations)
    _validate(event)
    event.slug = _unique_slug(title)
    with transaction.atomic():
        event.save()
        audit.record(by, "events.event_created", event, organiser=getattr(organiser, "pk", None))
        _changed()
    return event


def _apply_translations(obj, translations: Mapping[str, Mapping[str, str]] | None) -> None:
    for language, values in (translations or {}).items():
        if language not in dict(settings.LANGUAGES):
            continue
        for field, value in values.items():
            setattr(obj, f"{field}_{language}", value)


def update_event(
    event: Event,
    *,
    by: User | None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
    **fields,
) -> Event:
    """Change an event. Capacity never drops below the places already taken; more
    places go to the waiting list at once."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - set(TRANSLATED_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(event)
        for name, value in fields.items():
            setattr(locked, name, value)
        _apply_translations(locked, translations)
        _validate(locked)
        taken = locked.registered_count + locked.offered_count
        if locked.capacity is not None and locked.capacity < taken:
            raise EventError(
                _("%(taken)s places are already taken: the event cannot have fewer.")
                % {"taken": taken}
            )
        locked.updated_at = timezone.now()
        locked.save()
        audit.record(by, "events.event_changed", locked, fields=sorted(fields))
        _after_places_change(locked)
        _changed()
    _refresh(event, locked)
    return event


def publish_event(event: Event, *, by: User | None) -> None:
    if event.status != Event.Status.DRAFT:
        raise EventError(_("Only a draft can be published."))
    with transaction.atomic():
        Event.objects.filter(pk=event.pk).update(
            status=Event.Status.PUBLISHED, updated_at=timezone.now()
        )
        event.status = Event.Status.PUBLISHED
        audit.record(by, "events.event_published", event)
        _changed()


def cancel_event(event: Event, *, by: User | None) -> int:
    """Call the event off and tell everyone registered or waiting. Returns how many."""
    from solidar.events import notify

    if event.is_cancelled:
        raise EventError(_("This event is already cancelled."))
    with transaction.atomic():
        locked = _lock(event)
        locked.status = Event.Status.CANCELLED
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "updated_at"])
        people = list(
            locked.registrations.filter(
                status__in=[S.PENDING, S.REGISTERED, S.WAITING, S.OFFERED]
            ).select_related("user")
        )
        for registration in people:
            notify.event_cancelled(registration)
        audit.record(by, "events.event_cancelled", locked, told=len(people))
        _changed()
    _refresh(event, locked)
    return len(people)


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _refresh(target: Event, source: Event) -> None:
    for field in Event._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _changed() -> None:
    """Public pages show events: the page cache forgets them after commit."""
    transaction.on_commit(pagecache.invalidate)


# -- programme and questions -------------------------------------------------------------------
def save_session(
    event: Event,
    *,
    by: User | None,
    session: Session | None = None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
    **fields,
) -> Session:
    session = session or Session(event=event)
    if session.event_id != event.pk:
        raise EventError(_("That session belongs to another event."))
    for name, value in fields.items():
        setattr(session, name, value)
    _apply_translations(session, translations)
    if not (session.title or "").strip():
        raise EventError(_("A session needs a title."))
    if session.ends_at <= session.starts_at:
        raise EventError(_("The end must be after the start."))
    if session.starts_at < event.starts_at or session.ends_at > event.ends_at:
        raise EventError(_("A session must take place during the event."))
    for key in session.languages:
        if key not in _LANGUAGE_KEYS:
            raise EventError(_("Choose languages from the list."))
    with transaction.atomic():
        session.save()
        audit.record(by, "events.session_saved", event, session=session.pk)
        _changed()
    return session


def delete_session(session: Session, *, by: User | None) -> None:
    with transaction.atomic():
        audit.record(by, "events.session_deleted", session.event, session=session.pk)
        session.delete()
        _changed()


def save_question(
    event: Event,
    *,
    by: User | None,
    question: Question | None = None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
    **fields,
) -> Question:
    question = question or Question(event=event)
    if question.event_id != event.pk:
        raise EventError(_("That question belongs to another event."))
    for name, value in fields.items():
        setattr(question, name, value)
    _apply_translations(question, translations)
    if not (question.label or "").strip():
        raise EventError(_("A question needs a text."))
    if question.kind == Question.Kind.CHOICE and len(question.choice_list) < 2:
        raise EventError(_("A choice needs at least two options, one per line."))
    if question.position == 0 and question.pk is None:
        question.position = event.questions.count() + 1
    with transaction.atomic():
        question.save()
        audit.record(by, "events.question_saved", event, question=question.pk)
    return question


def delete_question(question: Question, *, by: User | None) -> None:
    with transaction.atomic():
        audit.record(by, "events.question_deleted", question.event, question=question.pk)
        question.delete()


STANDARD_QUESTIONS = (
    (Question.Purpose.BED, Question.Kind.YES_NO, _("Do you need a bed in a solidarity flat?")),
    (Question.Purpose.VISA, Question.Kind.YES_NO, _("Do you need a visa invitation letter?")),
    (
        Question.Purpose.INTERPRETATION,
        Question.Kind.CHOICE,
        _("Do you need interpretation? Into which language?"),
    ),
    (Question.Purpose.DIET, Question.Kind.TEXT, _("Dietary needs")),
)


def add_standard_questions(event: Event, *, by: User | None) -> list[Question]:
    """The four questions most forums ask, in every interface language."""
    made = []
    existing = set(event.questions.values_list("purpose", flat=True))
    for purpose, kind, label in STANDARD_QUESTIONS:
        if purpose in existing:
            continue
        translations = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                translations[code] = {"label": str(label)}
                if kind == Question.Kind.CHOICE:
                    translations[code]["choices"] = "\n".join(
                        str(dict(SPOKEN_LANGUAGES)[key]) for key in ("ru", "uk", "de")
                    )
        question = Question(event=event, kind=kind, purpose=purpose)
        made.append(
            save_question(
                event,
                by=by,
                question=question,
                translations=translations,
                label=translations.get(translation.get_language() or "en", {}).get("label")
                or str(label),
                choices=translations.get(translation.get_language() or "en", {}).get("choices", ""),
            )
        )
    return made


def clean_answers(event: Event, data: Mapping[str, object]) -> dict[str, object]:
    """The answers to the event's questions, checked: required ones given, choices from
    the list, yes/no as booleans. Keys are question ids as strings."""
    answers: dict[str, object] = {}
    for question in event.questions.all():
        key = str(question.pk)
        value = data.get(key)
        if question.kind == Question.Kind.YES_NO:
            if value in (None, ""):
                if question.required:
                    raise EventError(_("Please answer: %(q)s") % {"q": question.label})
                continue
            if isinstance(value, str):
                value = value.lower() in ("1", "true", "yes", "on")
            answers[key] = bool(value)
            continue
        text = "" if value is None else str(value).strip()
        if question.kind == Question.Kind.CHOICE and text and text not in question.choice_list:
            raise EventError(_("Choose an answer from the list: %(q)s") % {"q": question.label})
        if not text:
            if question.required:
                raise EventError(_("Please answer: %(q)s") % {"q": question.label})
            continue
        answers[key] = text[:2000]
    return answers


def _needs_letter(event: Event, answers: Mapping[str, object]) -> bool:
    visa = [
        str(pk)
        for pk in event.questions.filter(purpose=Question.Purpose.VISA).values_list("pk", flat=True)
    ]
    return any(answers.get(key) is True for key in visa)


# -- registration ------------------------------------------------------------------------------
def registration_refusal(event: Event, now: datetime | None = None):
    """Why nobody can register for ``event`` now, or None when they can."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return _("This event has been cancelled.")
    if event.status != Event.Status.PUBLISHED:
        return _("This event is not open yet.")
    if event.ends_at <= now:
        return _("This event is over.")
    if not event.registration_open:
        return _("Registration is closed.")
    if event.registration_closes_at and event.registration_closes_at <= now:
        return _("Registration is closed.")
    return None


def register_member(
    event: Event,
    user: User,
    *,
    answers: Mapping[str, object] | None = None,
    letter_name: str = "",
) -> tuple[Registration, str]:
    """Register a signed-in member in one step. Returns the registration and the token
    of its personal link (for the confirmation e-mail)."""
    if not user.has_perm("events.view_event", event):
        raise EventError(_("This event is not open to you."))
    cleaned = clean_answers(event, answers or {})
    token = new_token()
    registration = Registration(
        event=event,
        user=user,
        name=user.display_name or user.get_username(),
        language=user.language or translation.get_language() or settings.LANGUAGE_CODE,
        answers=json.dumps(cleaned),
        needs_letter=_needs_letter(event, cleaned),
        letter_name=letter_name.strip()[:200],
        link_token=token,
        token_digest=digest(token, "registration"),
    )
    with transaction.atomic():
        locked = _lock(event)
        refusal = registration_refusal(locked)
        if refusal:
            raise EventError(refusal)
        if locked.registrations.filter(user=user, status__in=Registration.ACTIVE).exists():
            raise EventError(_("You are already registered for this event."))
        _place(locked, registration)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise EventError(_("You are already registered for this event.")) from None
        _recount(locked)
        audit.record(user, "events.registered", registration, event=str(event.pk))
        _welcome(registration, token)
    _refresh(event, locked)
    return registration, token


def register_guest(
    event: Event,
    *,
    name: str,
    email: str,
    language: str,
    answers: Mapping[str, object] | None = None,
    letter_name: str = "",
) -> Registration | None:
    """A guest without an account: nothing is placed until they confirm their address.

    The answer never tells whether the address was registered already (that would let
    anyone test who goes to an event): a second attempt gets an e-mail with the existing
    link instead. Returns the new registration, or None for such a second attempt."""
    from solidar.events import notify

    name = " ".join((name or "").split())[:120]
    email = (email or "").strip()
    if not name:
        raise EventError(_("Please give a name (a pseudonym is fine)."))
    if "@" not in email or len(email) > 254:
        raise EventError(_("Please give a valid e-mail address."))
    if not (event.is_public and event.allow_guests):
        raise EventError(_("Please sign in to register for this event."))
    cleaned = clean_answers(event, answers or {})
    token, confirm = new_token(), new_token()
    now = timezone.now()
    registration = Registration(
        event=event,
        name=name,
        email=email,
        email_digest=email_digest(email),
        is_guest=True,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        status=S.UNCONFIRMED,
        answers=json.dumps(cleaned),
        needs_letter=_needs_letter(event, cleaned),
        letter_name=letter_name.strip()[:200],
        link_token=token,
        token_digest=digest(token, "registration"),
        confirm_digest=digest(confirm, "confirm"),
        confirm_expires_at=min(now + timedelta(hours=CONFIRM_HOURS), event.ends_at),
    )
    with transaction.atomic():
        locked = _lock(event)
        refusal = registration_refusal(locked)
        if refusal:
            raise EventError(refusal)
        existing = locked.registrations.filter(
            email_digest=registration.email_digest, status__in=Registration.ACTIVE
        ).first()
        if existing is not None:
            notify.already_registered(existing, email)
            return None
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            return None
        audit.record(None, "events.guest_registered", registration, event=str(event.pk))
        notify.confirm_address(registration, confirm)
    return registration


def confirm_guest(token: str) -> Registration:
    """The guest clicked the link in the confirmation e-mail: now they get a place, a
    place in the queue, or a request for approval."""
    now = timezone.now()
    found = Registration.objects.filter(confirm_digest=digest(token, "confirm")).first()
    if found is None:
        raise EventError(_("This link is not valid. It may have been used already."))
    with transaction.atomic():
        locked = _lock(found.event)
        registration = Registration.objects.select_for_update().get(pk=found.pk)
        if registration.status != S.UNCONFIRMED:
            raise EventError(_("This link is not valid. It may have been used already."))
        if registration.confirm_expires_at and registration.confirm_expires_at <= now:
            raise EventError(_("This link has expired. Please register again to get a new one."))
        refusal = registration_refusal(locked)
        if refusal:
            raise EventError(refusal)
        if not (locked.is_public and locked.allow_guests):
            raise EventError(_("This event no longer takes guests without an account."))
        _place(locked, registration)
        registration.confirm_digest = ""
        registration.confirm_expires_at = None
        registration.save()
        _recount(locked)
        audit.record(None, "events.guest_confirmed", registration, event=str(locked.pk))
        _welcome(registration, None)
    return registration


def _place(event: Event, registration: Registration) -> None:
    """Decide the status of a new (or newly confirmed) registration. The event is locked
    and its counters are current."""
    now = timezone.now()
    if event.requires_approval:
        registration.status = S.PENDING
    elif _has_free_place(event):
        registration.status = S.REGISTERED
    else:
        registration.status = S.WAITING
        registration.waiting_since = now


def _has_free_place(event: Event) -> bool:
    """A place nobody in the queue is owed: the queue goes first."""
    if event.waiting_count:
        return False
    return event.capacity is None or (event.registered_count + event.offered_count < event.capacity)


def _recount(event: Event) -> None:
    """Set the event's counters from its registrations (the event is locked)."""
    counts = dict(event.registrations.values_list("status").annotate(n=Count("pk")).order_by())
    checked_in = event.registrations.filter(
        status=S.REGISTERED, checked_in_at__isnull=False
    ).count()
    event.registered_count = counts.get(S.REGISTERED, 0)
    event.waiting_count = counts.get(S.WAITING, 0)
    event.offered_count = counts.get(S.OFFERED, 0)
    if not event.purged_at:
        event.checked_in_count = checked_in
    Event.objects.filter(pk=event.pk).update(
        registered_count=event.registered_count,
        waiting_count=event.waiting_count,
        offered_count=event.offered_count,
        checked_in_count=event.checked_in_count,
    )


def _welcome(registration: Registration, token: str | None) -> None:
    """Tell the person where they stand (with the calendar file when they have a place)."""
    from solidar.events import notify

    notify.status_changed(registration, token or personal_token(registration))


def personal_token(registration: Registration) -> str:
    """The token of the person's one link to their registration: the same in every
    e-mail, so an older message's link keeps working. Sealed in the database; looked up
    by its digest."""
    if registration.link_token:
        return registration.link_token
    token = new_token()
    registration.link_token = token
    registration.token_digest = digest(token, "registration")
    registration.save(update_fields=["link_token", "token_digest"])
    return token


def registration_by_token(token: str) -> Registration:
    found = (
        Registration.objects.select_related("event", "event__organiser")
        .filter(token_digest=digest(token, "registration"))
        .first()
    )
    if found is None:
        raise EventError(_("This link is not valid."))
    return found


def cancel_registration(registration: Registration, *, by: User | None = None) -> None:
    """The person cancels (from their link or their account): the place goes to the
    next in the queue."""
    with transaction.atomic():
        locked = _lock(registration.event)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status not in Registration.ACTIVE:
            raise EventError(_("This registration is no longer active."))
        if locked.ends_at <= timezone.now():
            raise EventError(_("This event is over."))
        current.status = S.CANCELLED
        current.ended_at = timezone.now()
        current.offer_expires_at = None
        current.save(update_fields=["status", "ended_at", "offer_expires_at"])
        _recount(locked)
        audit.record(by, "events.registration_cancelled", current, event=str(locked.pk))
        _after_places_change(locked)
    registration.status = current.status


def accept_offer(registration: Registration) -> None:
    """Take the place offered from the waiting list, before the deadline."""
    from solidar.events import notify

    with transaction.atomic():
        locked = _lock(registration.event)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != S.OFFERED:
            raise EventError(_("There is no open offer on this registration."))
        if current.offer_expires_at is None or current.offer_expires_at <= timezone.now():
            raise EventError(
                _("The time to accept this place has passed; it has gone to the next person.")
            )
        current.status = S.REGISTERED
        current.offer_expires_at = None
        current.save(update_fields=["status", "offer_expires_at"])
        _recount(locked)
        audit.record(None, "events.offer_accepted", current, event=str(locked.pk))
        notify.status_changed(current, personal_token(current))
    registration.status = current.status


def decide(registration: Registration, *, by: User | None, approve: bool) -> None:
    """An organiser approves or declines a request. Approved people get a free place, or
    join the queue when there is none."""
    from solidar.events import notify

    with transaction.atomic():
        locked = _lock(registration.event)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != S.PENDING:
            raise EventError(_("This request has been answered already."))
        current.decided_at = timezone.now()
        if approve:
            if _has_free_place(locked):
                current.status = S.REGISTERED
            else:
                current.status = S.WAITING
                current.waiting_since = current.decided_at
        else:
            current.status = S.DECLINED
            current.ended_at = current.decided_at
        current.save()
        _recount(locked)
        audit.record(by, "events.request_decided", current, approve=approve)
        if approve:
            notify.status_changed(current, personal_token(current))
        else:
            notify.declined(current)
    registration.status = current.status


# -- the waiting list ----------------------------------------------------------------------------
def _after_places_change(event: Event) -> None:
    """Places may have freed: offer them to the queue, from a task, after commit."""
    if event.waiting_count:
        from solidar.events.tasks import promote_waiting

        event_id = str(event.pk)
        transaction.on_commit(lambda: promote_waiting.enqueue(event_id))


def promote(event_id, now: datetime | None = None) -> int:
    """Offer every free place to the next people in the queue, each with a deadline.

    Idempotent: run twice (or by two workers at once), it offers each place once,
    because it counts the open offers under the event's lock."""
    from solidar.events import notify

    now = now or timezone.now()
    with transaction.atomic():
        try:
            event = Event.objects.select_for_update().get(pk=event_id)
        except Event.DoesNotExist:
            return 0
        if registration_refusal(event, now) is not None and event.status != Event.Status.PUBLISHED:
            return 0
        if event.ends_at <= now:
            return 0
        _recount(event)
        free = (
            None
            if event.capacity is None
            else event.capacity - event.registered_count - event.offered_count
        )
        if free is not None and free <= 0:
            return 0
        queue = event.registrations.filter(status=S.WAITING).order_by("waiting_since", "pk")
        if free is not None:
            queue = queue[:free]
        deadline = min(now + timedelta(hours=event.offer_hours), event.starts_at)
        if deadline <= now:
            deadline = event.ends_at
        offered = 0
        for registration in queue.select_for_update():
            registration.status = S.OFFERED
            registration.offer_expires_at = deadline
            registration.save(update_fields=["status", "offer_expires_at"])
            notify.place_offered(registration, personal_token(registration))
            offered += 1
        if offered:
            _recount(event)
            audit.record(None, "events.places_offered", event, count=offered)
    return offered


def expire_offers(now: datetime | None = None) -> int:
    """Offers past their deadline lapse; each freed place goes to the next in line."""
    from solidar.events import notify

    now = now or timezone.now()
    event_ids = set(
        Registration.objects.filter(status=S.OFFERED, offer_expires_at__lte=now).values_list(
            "event_id", flat=True
        )
    )
    expired = 0
    for event_id in event_ids:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            lapsed = list(
                event.registrations.select_for_update().filter(
                    status=S.OFFERED, offer_expires_at__lte=now
                )
            )
            for registration in lapsed:
                registration.status = S.EXPIRED
                registration.ended_at = now
                registration.save(update_fields=["status", "ended_at"])
                notify.offer_expired(registration)
            expired += len(lapsed)
            _recount(event)
        promote(event_id, now)
    return expired


# -- on the day ------------------------------------------------------------------------------
def check_in(registration: Registration, *, by: User | None, undo: bool = False) -> None:
    with transaction.atomic():
        locked = _lock(registration.event)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != S.REGISTERED:
            raise EventError(_("Only registered people can be checked in."))
        if undo:
            if current.checked_in_at is None:
                raise EventError(_("%(name)s is not checked in.") % {"name": current.name})
            current.checked_in_at = None
            current.checked_in_by = None
        else:
            if current.checked_in_at is not None:
                raise EventError(_("%(name)s is already checked in.") % {"name": current.name})
            current.checked_in_at = timezone.now()
            current.checked_in_by = by
        current.save(update_fields=["checked_in_at", "checked_in_by"])
        _recount(locked)
    registration.checked_in_at = current.checked_in_at


def export_rows(event: Event, *, by: User | None) -> Iterable[list[str]]:
    """The participant list as rows for a CSV file. Logged in the audit log (THREATS 17)."""
    from solidar.events.participants import export_rows as rows

    audit.record(by, "events.participants_exported", event)
    return rows(event)


def issue_letter(registration: Registration, *, by: User | None) -> bytes:
    """The visa invitation letter as a PDF, for an approved (registered) participant."""
    from solidar.events.letters import render_letter

    if registration.status != S.REGISTERED:
        raise EventError(_("Letters are issued to registered participants only."))
    if registration.purged:
        raise EventError(_("This participant's data has been deleted."))
    pdf = render_letter(registration)
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(letter_issued_at=timezone.now())
        audit.record(by, "events.letter_issued", registration, event=str(registration.event_id))
    return pdf


LETTER_MAX = 10_000
SIGNATURE_MAX = 1_000


def update_letter_template(event: Event, *, by: User | None, template: str, signature: str) -> None:
    """The text of the event's invitation letters (placeholders: solidar.events.letters).
    Empty: the default text, in the language the letter is printed in."""
    template = (template or "").replace("\r\n", "\n").strip()
    signature = (signature or "").replace("\r\n", "\n").strip()
    if len(template) > LETTER_MAX:
        raise EventError(_("The letter can have at most 10,000 characters."))
    if len(signature) > SIGNATURE_MAX:
        raise EventError(_("The signature block can have at most 1,000 characters."))
    with transaction.atomic():
        Event.objects.filter(pk=event.pk).update(
            letter_template=template, letter_signature=signature, updated_at=timezone.now()
        )
        event.letter_template, event.letter_signature = template, signature
        audit.record(by, "events.letter_template_changed", event)


# -- invitations -------------------------------------------------------------------------------
def invite_member(event: Event, user: User, *, by: User | None) -> EventInvitation:
    """Invite a member to an invitation-only event (once)."""
    if event.visibility != Event.Visibility.INVITATION:
        raise EventError(_("Only an invitation-only event takes invitations."))
    with transaction.atomic():
        invitation, created = EventInvitation.objects.get_or_create(
            event=event, user=user, defaults={"created_by": by}
        )
        if not created:
            raise EventError(_("%(name)s is invited already.") % {"name": user})
        audit.record(by, "events.member_invited", event, user=user.pk)
        _changed()  # the invited member's dashboard shows it from the next request
    return invitation


# -- retention, reminders, accounts ------------------------------------------------------------
def purge_personal_data(now: datetime | None = None) -> int:
    """N days after an event (settings.SOLIDAR_EVENT_RETENTION_DAYS): guests' names and
    addresses, everyone's answers and letter names are deleted; the counts stay."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SOLIDAR_EVENT_RETENTION_DAYS)
    purged = 0
    for event in Event.objects.filter(ends_at__lte=cutoff, purged_at__isnull=True):
        with transaction.atomic():
            locked = _lock(event)
            _recount(locked)
            registrations = locked.registrations.filter(purged=False)
            registrations.filter(is_guest=True).update(
                name="", name_key="", email="", email_digest=""
            )
            # Everyone's answers; needs_letter and letter_issued_at are a visa answer too.
            registrations.update(
                answers="",
                letter_name="",
                link_token="",
                needs_letter=False,
                letter_issued_at=None,
                purged=True,
            )
            # Unconfirmed and ended requests carry nothing worth keeping.
            locked.registrations.filter(status__in=[S.UNCONFIRMED, S.EXPIRED, S.DECLINED]).delete()
            Event.objects.filter(pk=locked.pk).update(purged_at=now)
            audit.record(None, "events.personal_data_purged", locked)
        purged += 1
    # Guests who never confirmed their address: gone once their link has expired.
    Registration.objects.filter(status=S.UNCONFIRMED, confirm_expires_at__lte=now).delete()
    return purged


def send_reminders(now: datetime | None = None) -> int:
    """A reminder with the calendar file, about a day before the start."""
    from solidar.events import notify

    now = now or timezone.now()
    sent = 0
    due = Event.objects.filter(
        status=Event.Status.PUBLISHED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=settings.SOLIDAR_EVENT_REMINDER_HOURS),
    )
    for event in due:
        with transaction.atomic():
            people = list(
                event.registrations.select_for_update(of=("self",))
                .filter(status=S.REGISTERED, reminded_at__isnull=True)
                .select_related("user")
            )
            for registration in people:
                notify.reminder(registration, personal_token(registration))
                registration.reminded_at = now
                registration.save(update_fields=["reminded_at"])
            sent += len(people)
    return sent


def forget_account(user: User) -> None:
    """Before an account is deleted: its registrations are cancelled (places freed)."""
    for registration in list(
        Registration.objects.filter(user=user, status__in=Registration.ACTIVE).select_related(
            "event"
        )
    ):
        if registration.event.ends_at > timezone.now():
            cancel_registration(registration, by=None)


def calendar_token(user: User, *, reset: bool = False) -> str:
    """The secret of the member's personal calendar feed (a new one on reset)."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None and not reset:
        return feed.token
    token = new_token()
    with transaction.atomic():
        if feed is None:
            feed = CalendarFeed(user=user)
        feed.token = token
        feed.token_digest = digest(token, "calendar")
        feed.created_at = timezone.now()
        feed.save()
        audit.record(
            user, "events.calendar_feed_reset" if reset else "events.calendar_feed_created", user
        )
    return token


def user_for_calendar_token(token: str) -> User | None:
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_digest=digest(token, "calendar"))
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user
