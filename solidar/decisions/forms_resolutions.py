"""Forms of the resolution pages: correcting the text (a new version) and translating it.

The decisions are one text area: a paragraph each, separated by a blank line, numbered in
that order (``services.paragraphs``, as a proposal's text). The rules of what a valid text
is stay in ``resolutions.revise``/``translate``; the forms only say so next to the field.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solidar.core.forms import clean_text
from solidar.decisions import resolutions
from solidar.decisions.services import join_paragraphs, paragraphs

DECISIONS_HELP = _(
    "One decision per paragraph: leave an empty line between two decisions. They are "
    "numbered in this order. Markdown is allowed."
)


class ResolutionTextForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=resolutions.TITLE_LIMIT)
    preamble = forms.CharField(
        label=_("Preamble"),
        required=False,
        max_length=resolutions.DECISION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: what led to the decisions. Markdown is allowed."),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        max_length=100 * resolutions.DECISION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=DECISIONS_HELP,
    )

    @classmethod
    def initial_from(cls, text: dict) -> dict:
        """The form's initial data from a text ({title, preamble, decisions})."""
        return {
            "title": text["title"],
            "preamble": text["preamble"],
            "decisions": join_paragraphs(text["decisions"]),
        }

    def clean_title(self) -> str:
        return clean_text(self.cleaned_data["title"])

    def clean_preamble(self) -> str:
        return clean_text(self.cleaned_data["preamble"])

    def clean_decisions(self) -> str:
        text = clean_text(self.cleaned_data["decisions"])
        if not paragraphs(text):
            raise forms.ValidationError(_("A resolution needs at least one decision."))
        return text

    def decision_list(self) -> list[str]:
        return paragraphs(self.cleaned_data["decisions"])


class ReviseForm(ResolutionTextForm):
    note = forms.CharField(
        label=_("What was corrected, and why"),
        max_length=300,
        help_text=_("Shown with the list of versions, for everyone who reads the resolution."),
    )

    def clean_note(self) -> str:
        note = clean_text(self.cleaned_data["note"])
        if not note:
            raise forms.ValidationError(_("Say what was corrected and why."))
        return note


class TranslateForm(ResolutionTextForm):
    """A translation must have as many decisions as the original, so the numbers match."""

    def __init__(self, *args, expected: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_decisions(self) -> str:
        text = super().clean_decisions()
        found = len(paragraphs(text))
        if found != self.expected:
            raise forms.ValidationError(
                ngettext(
                    "The original has %(expected)d decision; this translation has %(found)d.",
                    "The original has %(expected)d decisions; this translation has %(found)d.",
                    self.expected,
                )
                % {"expected": self.expected, "found": found}
            )
        return text
