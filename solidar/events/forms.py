"""Forms of the events' public pages. They check the shape of input; services.py decides."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from solidar.events.models import Question

ANSWER_LIMIT = 2000
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def question_field_name(question: Question) -> str:
    return f"question_{question.pk}"


class RegistrationForm(forms.Form):
    """One field per question of the event; a guest also gives a name and an address.

    ``answers()`` gives the answers keyed by the question's id (as a string), in the
    shape ``services.clean_answers`` expects."""

    def __init__(self, questions: Sequence[Question], *args, guest: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        if guest:
            self.fields["name"] = forms.CharField(
                label=_("Your name"),
                max_length=120,
                help_text=_("A pseudonym is fine. The organisers see it."),
                error_messages={"required": _("Please give a name (a pseudonym is fine).")},
            )
            self.fields["email"] = forms.EmailField(
                label=_("E-mail"),
                max_length=254,
                help_text=_(
                    "We send you a link to confirm, then your personal link to the "
                    "registration. Only the organisers see the address."
                ),
                error_messages={"required": _("Please give a valid e-mail address.")},
            )
        for question in self.questions:
            self.fields[question_field_name(question)] = self._field(question)
        if any(q.purpose == Question.Purpose.VISA for q in self.questions):
            self.fields["letter_name"] = forms.CharField(
                label=_("Your name as in your passport, for the visa invitation letter"),
                max_length=200,
                required=False,
                help_text=_(
                    "Only if you need the letter. Only the organisers see it, and it is "
                    "deleted after the event."
                ),
            )

    @staticmethod
    def _field(question: Question) -> forms.Field:
        label = question.label
        required = question.required
        if question.kind == Question.Kind.TEXT:
            return forms.CharField(
                label=label,
                required=required,
                max_length=ANSWER_LIMIT,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if question.kind == Question.Kind.CHOICE:
            return forms.ChoiceField(
                label=label,
                required=required,
                choices=[(choice, choice) for choice in question.choice_list],
                widget=forms.RadioSelect,
            )
        return forms.ChoiceField(
            label=label, required=required, choices=YES_NO, widget=forms.RadioSelect
        )

    def answers(self) -> dict[str, object]:
        answers: dict[str, object] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question_field_name(question))
            if value in (None, ""):
                continue
            if question.kind == Question.Kind.YES_NO:
                answers[str(question.pk)] = value == "yes"
            else:
                answers[str(question.pk)] = value
        return answers

    @property
    def guest_fields(self):
        return [self[name] for name in ("name", "email") if name in self.fields]

    @property
    def question_fields(self):
        return [self[name] for name in self.fields if name not in ("name", "email")]
