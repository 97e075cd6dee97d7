"""Forms of the handlers' pages. They check the shape of what was typed; casework.py
decides whether the change makes sense for the case.

Each form has a prefix: the case page shows all of them at once."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from solidar.aid import casework
from solidar.aid.models import Case
from solidar.core.forms import clean_text


def _text_field(label, *, limit: int, rows: int = 5, required_message=None, help_text=""):
    return forms.CharField(
        label=label,
        max_length=limit,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
        error_messages={"required": required_message or _("Write something first.")},
    )


class _CleanTextMixin:
    text_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.text_fields:
            if cleaned.get(name):
                cleaned[name] = clean_text(cleaned[name])
                if not cleaned[name]:
                    self.add_error(name, _("Write something first."))
        return cleaned


class NoteForm(_CleanTextMixin, forms.Form):
    prefix = "note"
    text_fields = ("text",)
    text = _text_field(
        _("Internal note"),
        limit=casework.TEXT_MAX,
        required_message=_("Write the note first."),
        help_text=_("Only the team reads notes. They are sealed to the team's key."),
    )


class ReplyForm(_CleanTextMixin, forms.Form):
    prefix = "reply"
    text_fields = ("text",)
    text = _text_field(
        _("Reply to the requester"),
        limit=casework.TEXT_MAX,
        required_message=_("Write the reply first."),
        help_text=_(
            "The requester reads it with their codename. Write nothing that would endanger "
            "them if their device were taken."
        ),
    )


class ReferralForm(_CleanTextMixin, forms.Form):
    prefix = "referral"
    text_fields = ("organisation", "text")
    organisation = forms.CharField(
        label=_("Partner organisation"),
        max_length=casework.ORGANISATION_MAX,
        error_messages={"required": _("Name the organisation first.")},
    )
    text = _text_field(
        _("What for"),
        limit=casework.TEXT_MAX,
        rows=3,
        required_message=_("Say what the referral is for."),
    )


class StatusForm(forms.Form):
    prefix = "status"

    def __init__(self, case: Case, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["status"] = forms.ChoiceField(
            label=_("New status"),
            choices=[(value, Case.Status(value).label) for value in casework.next_statuses(case)],
            error_messages={
                "required": _("Choose a status."),
                "invalid_choice": _("This case cannot get that status now."),
            },
        )
        self.fields["outcome"] = forms.ChoiceField(
            label=_("Outcome (to close the case)"),
            choices=[("", pgettext_lazy("aid outcome", "— none —")), *Case.Outcome.choices],
            required=False,
            error_messages={"invalid_choice": _("Choose one of the outcomes.")},
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Case.Status.CLOSED and not cleaned.get("outcome"):
            self.add_error("outcome", _("Choose the outcome to close the case."))
        return cleaned


class AssignForm(forms.Form):
    prefix = "assign"

    def __init__(self, handlers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.handlers = {str(user.pk): user for user in handlers}
        self.fields["assignee"] = forms.ChoiceField(
            label=_("Assign to"),
            choices=[(pk, str(user)) for pk, user in self.handlers.items()],
            error_messages={
                "required": _("Choose a handler of this team."),
                "invalid_choice": _("Choose a handler of this team."),
            },
        )

    @property
    def assignee(self):
        return self.handlers.get(self.cleaned_data.get("assignee"))


class StepForm(_CleanTextMixin, forms.Form):
    prefix = "step"
    text_fields = ("label",)
    label = forms.CharField(
        label=_("A step of your own"),
        max_length=casework.LABEL_MAX,
        help_text=_("Sealed to the team's key, like a note."),
        error_messages={"required": _("Write the step first.")},
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date like 2025-03-31.")},
    )


class DueForm(forms.Form):
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date like 2025-03-31.")},
    )


class QueueFilterForm(forms.Form):
    """The queue's filters (GET). Unknown values fall back to the defaults."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", pgettext_lazy("aid cases", "Open")),
            *Case.Status.choices,
            ("all", pgettext_lazy("aid cases", "All")),
        ],
    )
    kind = forms.ChoiceField(label=_("Kind of help"), required=False)
    who = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[
            ("", pgettext_lazy("aid assignee", "Anyone")),
            ("mine", _("Mine")),
            ("unassigned", _("Nobody yet")),
        ],
    )

    def __init__(self, *args, **kwargs):
        from solidar.aid.models import Kind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", pgettext_lazy("aid kinds", "Every kind")),
            *Kind.choices,
        ]

    def value(self, name: str) -> str:
        """The filter's value, or its default for anything unknown."""
        default = "open" if name == "status" else ""
        if not self.is_bound:
            return default
        self.is_valid()  # cleaned_data keeps the fields that are valid
        return self.cleaned_data.get(name) or default
