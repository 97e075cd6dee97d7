"""Forms of the organisers' pages. They check the shape of input and turn local dates and
times into UTC; services.py decides the rest (end after start, places, sessions within
the event ...).

Times are typed as the clock shows them where the event happens: a date and a time of day
in the event's time zone. A time that does not exist there (the hour skipped when clocks
go forward) is refused; a time that exists twice (the hour repeated in autumn) is the
first of the two (fold=0).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from solidar.accounts.models import User
from solidar.core.forms import (
    TranslatedFieldsMixin,
    clean_text,
    from_utc,
    language_codes,
    time_zone_choices,
    to_utc,
)
from solidar.events.models import Event, Question, Session
from solidar.network.models import SPOKEN_LANGUAGES, Collective, Membership

TEXT_LIMIT = 20_000
NETWORK = "network"  # the organiser choice for "the network as a whole"


def _date_widget(**attrs) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def _time_widget() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


# Far enough for any event; and no year 1 or 9999, which UTC cannot hold in every zone.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def _date_field(label, required=True, **attrs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=_date_widget(**attrs),
        input_formats=["%Y-%m-%d"],
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
    )


def _time_field(label, required=True) -> forms.TimeField:
    return forms.TimeField(
        label=label, required=required, widget=_time_widget(), input_formats=["%H:%M", "%H:%M:%S"]
    )


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _title_field():
    return forms.CharField(max_length=160)


def _description_field():
    return forms.CharField(max_length=TEXT_LIMIT, widget=_textarea(5))


def _accessibility_field():
    return forms.CharField(
        max_length=TEXT_LIMIT,
        widget=_textarea(3),
        help_text=_("Step-free access, toilets, quiet room, childcare, sign language ..."),
    )


class EventForm(TranslatedFieldsMixin, forms.Form):
    translated = (
        ("title", _("Title"), _title_field),
        ("description", _("Description"), _description_field),
        ("accessibility", _("Accessibility"), _accessibility_field),
    )
    required_message = _("Give a title in at least one language.")

    organiser = forms.ChoiceField(label=_("Organised by"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    start_date = _date_field(_("Start date"))
    start_time = _time_field(_("Start time"))
    end_date = _date_field(_("End date"))
    end_time = _time_field(_("End time"))
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        initial="Europe/Berlin",
        help_text=_("Where the event happens. Dates and times above are local times there."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("The name of the venue, e.g. a community centre."),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=80, required=False)
    country = forms.CharField(
        label=_("Country code"),
        max_length=2,
        required=False,
        help_text=_("Two letters, e.g. DE, FR, PL, AR."),
    )
    online_url = forms.CharField(
        label=_("Online link"),
        max_length=500,
        required=False,
        help_text=_("Starts with https://. Shown only to people registered and to organisers."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Event.Visibility.choices,
        initial=Event.Visibility.PUBLIC,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpretation = forms.MultipleChoiceField(
        label=_("Interpretation into"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("Leave empty for no limit. When the places are taken, a waiting list opens."),
    )
    registration_open = forms.BooleanField(
        label=_("Registration open"), required=False, initial=True
    )
    closes_date = _date_field(_("Registration closes on (date)"), required=False)
    closes_time = _time_field(_("Registration closes at (time)"), required=False)
    requires_approval = forms.BooleanField(
        label=_("Organisers approve each registration"), required=False
    )
    allow_guests = forms.BooleanField(
        label=_("Guests without an account may register"),
        required=False,
        initial=True,
        help_text=_("Only for public events; guests confirm their e-mail address."),
    )
    offer_hours = forms.IntegerField(
        label=_("Hours to accept a freed place"),
        min_value=1,
        max_value=24 * 14,
        initial=48,
        help_text=_("When a place frees up, the next person on the waiting list has this long."),
    )
    publish_now = forms.BooleanField(
        label=_("Publish now"),
        required=False,
        help_text=_("Otherwise it is saved as a draft that only organisers see."),
    )

    def __init__(
        self, *args, organisers: list[Collective | None], event: Event | None = None, **kwargs
    ):
        if event is not None:
            kwargs.setdefault("initial", self.initial_for(event))
        super().__init__(*args, **kwargs)
        self.event = event
        self._organisers = {
            NETWORK if collective is None else str(collective.pk): collective
            for collective in organisers
        }
        self.fields["organiser"].choices = [
            (key, _("The network as a whole") if collective is None else collective.name)
            for key, collective in self._organisers.items()
        ]
        self.fields["time_zone"].choices = time_zone_choices()
        if event is not None:
            # The organiser of an event never changes; publishing has its own button.
            self.fields["organiser"].disabled = True
            self.fields["organiser"].help_text = _("The organiser of an event cannot change.")
            del self.fields["publish_now"]
        self.add_translated_fields()
        self.order_fields(["organiser", "kind", *sorted(self.translated_names())])

    @staticmethod
    def initial_for(event: Event) -> dict:
        zone = event.time_zone
        start_date, start_time = from_utc(event.starts_at, zone)
        end_date, end_time = from_utc(event.ends_at, zone)
        closes_date, closes_time = from_utc(event.registration_closes_at, zone)
        initial = {
            "organiser": NETWORK if event.organiser_id is None else str(event.organiser_id),
            "start_date": start_date,
            "start_time": start_time,
            "end_date": end_date,
            "end_time": end_time,
            "closes_date": closes_date,
            "closes_time": closes_time,
        }
        for name in (
            "kind",
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
            "requires_approval",
            "allow_guests",
            "offer_hours",
        ):
            initial[name] = getattr(event, name)
        for code in language_codes():
            for name in ("title", "description", "accessibility"):
                initial[f"{name}_{code}"] = getattr(event, f"{name}_{code}") or ""
        return initial

    SECTIONS = (
        ("basics", _("The event"), ("organiser", "kind")),
        (
            "when",
            _("When"),
            ("start_date", "start_time", "end_date", "end_time", "time_zone"),
        ),
        ("where", _("Where"), ("place", "address", "city", "country", "online_url")),
        ("who", _("Who and in which languages"), ("visibility", "languages", "interpretation")),
        (
            "registration",
            _("Registration"),
            (
                "capacity",
                "registration_open",
                "closes_date",
                "closes_time",
                "requires_approval",
                "allow_guests",
                "offer_hours",
            ),
        ),
    )

    def sections(self):
        """[(id, heading, [bound fields])] for the template, in the order of the page."""
        return [
            (key, heading, [self[name] for name in names if name in self.fields])
            for key, heading, names in self.SECTIONS
        ]

    def clean_country(self) -> str:
        value = self.cleaned_data["country"].strip().upper()
        if value and not (len(value) == 2 and value.isascii() and value.isalpha()):
            raise forms.ValidationError(_("Two letters, e.g. DE, FR, PL, AR."))
        return value

    def clean_online_url(self) -> str:
        value = self.cleaned_data["online_url"].strip()
        if not value:
            return ""
        try:
            URLValidator(schemes=["https"])(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Give a full link starting with https://."), code="invalid"
            ) from None
        return value

    def clean(self):
        cleaned = super().clean()
        for name in ("place", "address", "city"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = clean_text(cleaned[name])
        self.clean_translations(cleaned)
        zone = cleaned.get("time_zone")
        if zone:
            for prefix, target in (("start", "starts_at"), ("end", "ends_at")):
                day, clock = cleaned.get(f"{prefix}_date"), cleaned.get(f"{prefix}_time")
                if day is None or clock is None:
                    continue
                try:
                    cleaned[target] = to_utc(day, clock, zone)
                except forms.ValidationError as error:
                    self.add_error(f"{prefix}_time", error)
            day, clock = cleaned.get("closes_date"), cleaned.get("closes_time")
            if day is not None and clock is not None:
                try:
                    cleaned["registration_closes_at"] = to_utc(day, clock, zone)
                except forms.ValidationError as error:
                    self.add_error("closes_time", error)
            elif (day is None) != (clock is None) and not (
                self.has_error("closes_date") or self.has_error("closes_time")
            ):
                missing = "closes_time" if clock is None else "closes_date"
                self.add_error(missing, _("Give both the date and the time, or neither."))
            else:
                cleaned["registration_closes_at"] = None
        return cleaned

    def chosen_organiser(self) -> Collective | None:
        return self._organisers[self.cleaned_data["organiser"]]

    def service_arguments(self) -> dict:
        """Keyword arguments of services.create_event / update_event."""
        data = self.cleaned_data
        return {
            "title": self.fallback("title"),
            "description": self.fallback("description"),
            "accessibility": self.fallback("accessibility"),
            "translations": self.translations(),
            "kind": data["kind"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "time_zone": data["time_zone"],
            "place": data["place"],
            "address": data["address"],
            "city": data["city"],
            "country": data["country"],
            "online_url": data["online_url"],
            "visibility": data["visibility"],
            "languages": data["languages"],
            "interpretation": data["interpretation"],
            "capacity": data["capacity"],
            "registration_open": data["registration_open"],
            "registration_closes_at": data.get("registration_closes_at"),
            "requires_approval": data["requires_approval"],
            "allow_guests": data["allow_guests"],
            "offer_hours": data["offer_hours"],
        }


# -- programme ---------------------------------------------------------------------------------
def _session_title_field():
    return forms.CharField(max_length=200)


def _session_description_field():
    return forms.CharField(max_length=TEXT_LIMIT, widget=_textarea(3))


class SessionForm(TranslatedFieldsMixin, forms.Form):
    translated = (
        ("title", _("Title"), _session_title_field),
        ("description", _("Description"), _session_description_field),
    )
    required_message = _("Give a title in at least one language.")

    day = _date_field(_("Date"))
    start_time = _time_field(_("Starts"))
    end_time = _time_field(_("Ends"))
    room = forms.CharField(label=_("Room"), max_length=120, required=False)
    speakers = forms.CharField(
        label=_("Speakers"),
        max_length=300,
        required=False,
        help_text=_("Pseudonyms are fine. Name nobody who has not agreed to be named."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, event: Event, session: Session | None = None, **kwargs):
        if session is not None:
            kwargs.setdefault("initial", self.initial_for(event, session))
        else:
            kwargs.setdefault("initial", {"day": event.local_start.date()})
        super().__init__(*args, **kwargs)
        self.event = event
        first, last = event.local_start.date(), event.local_end.date()
        self.fields["day"].widget.attrs.update(min=first.isoformat(), max=last.isoformat())
        self.fields["day"].help_text = _("In the event's time zone (%(zone)s).") % {
            "zone": event.time_zone.replace("_", " ")
        }
        self.add_translated_fields()
        self.order_fields([*sorted(self.translated_names())])

    @staticmethod
    def initial_for(event: Event, session: Session) -> dict:
        day, start = from_utc(session.starts_at, event.time_zone)
        _end_day, end = from_utc(session.ends_at, event.time_zone)
        initial = {
            "day": day,
            "start_time": start,
            "end_time": end,
            "room": session.room,
            "speakers": session.speakers,
            "languages": session.languages,
        }
        for code in language_codes():
            for name in ("title", "description"):
                initial[f"{name}_{code}"] = getattr(session, f"{name}_{code}") or ""
        return initial

    def clean(self):
        cleaned = super().clean()
        for name in ("room", "speakers"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = clean_text(cleaned[name])
        self.clean_translations(cleaned)
        day = cleaned.get("day")
        zone = self.event.time_zone
        for name, target in (("start_time", "starts_at"), ("end_time", "ends_at")):
            clock = cleaned.get(name)
            if day is None or clock is None:
                continue
            try:
                cleaned[target] = to_utc(day, clock, zone)
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": self.fallback("title"),
            "description": self.fallback("description"),
            "translations": self.translations(),
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "room": data["room"],
            "speakers": data["speakers"],
            "languages": data["languages"],
        }


# -- questions ---------------------------------------------------------------------------------
def _label_field():
    return forms.CharField(max_length=300)


def _choices_field():
    return forms.CharField(
        max_length=5000,
        widget=_textarea(3),
        help_text=_("For a choice: one option per line."),
    )


class QuestionForm(TranslatedFieldsMixin, forms.Form):
    translated = (
        ("label", _("Question"), _label_field),
        ("choices", _("Choices"), _choices_field),
    )
    required_message = _("Give the question in at least one language.")

    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=Question.Purpose.choices,
        required=False,
        help_text=_("A 'yes' to a question with a purpose is counted on the participants page."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def __init__(self, *args, question: Question | None = None, **kwargs):
        if question is not None:
            kwargs.setdefault("initial", self.initial_for(question))
        super().__init__(*args, **kwargs)
        self.add_translated_fields()
        self.order_fields(["kind", "purpose", *sorted(self.translated_names())])

    @staticmethod
    def initial_for(question: Question) -> dict:
        initial = {
            "kind": question.kind,
            "purpose": question.purpose,
            "required": question.required,
        }
        for code in language_codes():
            for name in ("label", "choices"):
                initial[f"{name}_{code}"] = getattr(question, f"{name}_{code}") or ""
        return initial

    def clean(self):
        cleaned = super().clean()
        self.clean_translations(cleaned)
        for code in language_codes():
            name = f"choices_{code}"
            if cleaned.get(name):
                lines = [line.strip() for line in cleaned[name].splitlines() if line.strip()]
                cleaned[name] = "\n".join(lines)
        if cleaned.get("kind") == Question.Kind.CHOICE:
            for code in language_codes():
                given = cleaned.get(f"label_{code}")
                options = (cleaned.get(f"choices_{code}") or "").splitlines()
                if given and len(options) < 2:
                    self.add_error(
                        f"choices_{code}",
                        _("A choice needs at least two options, one per line."),
                    )
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        label_language = next(
            (
                code
                for code in [translation.get_language(), *language_codes()]
                if data.get(f"label_{code}")
            ),
            language_codes()[0],
        )
        return {
            "kind": data["kind"],
            "purpose": data.get("purpose") or "",
            "required": data["required"],
            "label": data.get(f"label_{label_language}") or "",
            "choices": data.get(f"choices_{label_language}") or "",
            "translations": self.translations(),
        }


# -- invitations -------------------------------------------------------------------------------
class InviteForm(forms.Form):
    who = forms.CharField(
        label=_("Pseudonym or username"),
        max_length=150,
        help_text=_("Exactly as it is shown on the member list of your collective."),
    )

    def __init__(self, *args, collective_ids: list[int] | None, **kwargs):
        """``collective_ids``: whose members may be invited; None for any member of the
        network (network organisers)."""
        super().__init__(*args, **kwargs)
        self.collective_ids = collective_ids

    def clean_who(self) -> User:
        value = clean_text(self.cleaned_data["who"])
        memberships = Membership.objects.filter(
            ended_at__isnull=True, status=Membership.Status.ACTIVE
        )
        if self.collective_ids is not None:
            memberships = memberships.filter(collective_id__in=self.collective_ids)
        people = list(
            User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))
            .filter(Q(username__iexact=value) | Q(display_name__iexact=value))
            .order_by("pk")[:3]
        )
        exact = [person for person in people if person.username.lower() == value.lower()]
        if exact:
            return exact[0]
        if not people:
            raise forms.ValidationError(
                _("No member of your collectives has this pseudonym or username.")
            )
        if len(people) > 1:
            raise forms.ValidationError(
                _("Several members have this pseudonym: give the username instead.")
            )
        return people[0]
