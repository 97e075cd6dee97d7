"""Forms of votes: creating a vote or an election, and reading a ballot from a POST.

The ballot has no Django form: its fields depend on the vote (``answer`` and ``reason``,
``approve`` repeated, ``rank-<option id>``) and ``voting.clean_choice`` is the one place
that decides what is valid. ``read_ballot`` only collects what was typed, so a refused
ballot comes back filled in.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidar.decisions.models import Vote

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class VoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is decided and why. Markdown: a blank line starts a new paragraph."),
    )
    method = forms.ChoiceField(
        label=_("Voting method"), choices=Vote.Method.choices, widget=forms.RadioSelect
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One per line. For approval voting, a ranked choice or an election; "
            "candidates chosen below are added to them."
        ),
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("Candidates among the members"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For an election of delegates or coordinators."),
    )
    seats = forms.IntegerField(
        label=_("Seats or winners"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=_("How many are elected (single transferable vote) or chosen (approval)."),
    )
    threshold = forms.ChoiceField(
        label=_("Majority needed"),
        choices=Vote.Threshold.choices,
        initial=Vote.Threshold.SIMPLE,
        widget=forms.RadioSelect,
        help_text=_("For yes, no or abstain."),
    )
    quorum = forms.IntegerField(
        label=_("Quorum (percent of the electorate)"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("The share of those who may vote that must cast a ballot for it to count."),
    )
    secret = forms.BooleanField(
        label=_("Secret ballot"),
        required=False,
        initial=True,
        help_text=_(
            "Secret: nobody, not even the server, can tell who cast which ballot. "
            "Open: after the vote closes, names are shown with the choices."
        ),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )

    def __init__(self, *args, body, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["candidates"].queryset = members
        if not self.is_bound:
            closes = timezone.localtime() + timedelta(days=body.voting_days)
            self.initial.setdefault("closes_at", closes.replace(second=0, microsecond=0))

    def option_labels(self) -> list[str]:
        text = self.cleaned_data.get("options") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data.get("description") or "",
            "method": data["method"],
            "options": self.option_labels(),
            "candidates": list(data.get("candidates") or []),
            "seats": data["seats"],
            "threshold": data["threshold"],
            "quorum": data["quorum"],
            "secret": bool(data.get("secret")),
            "closes_at": data["closes_at"],
        }


def read_ballot(vote: Vote, options, data) -> tuple[object, str, dict]:
    """From a POST: the choice for ``voting.cast``, the reason, and what was typed (to fill
    the form again when the ballot is refused)."""
    if vote.method in (Vote.Method.YES_NO, Vote.Method.CONSENT):
        answer = data.get("answer", "")
        reason = data.get("reason", "")
        return answer, reason, {"answer": answer, "reason": reason}
    if vote.method == Vote.Method.APPROVAL:
        approved = data.getlist("approve")
        return approved, "", {"approve": set(approved)}
    ranks = {option.pk: data.get(f"rank-{option.pk}", "").strip() for option in options}
    return ranks, "", {"ranks": ranks}
