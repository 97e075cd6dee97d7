"""Forms of the bodies' and proposals' pages: what the person typed, checked for shape only.

The rules (lengths, states, who may) are the services'; a refused action comes back as a
``DecisionError`` whose message the view puts on the form, so what was typed stays.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidar.decisions.models import Amendment, Vote

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


def _datetime_field(label, help_text=""):
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=DateTimeLocalInput(),
        required=False,
    )


# -- bodies -----------------------------------------------------------------------------------
class RulesForm(forms.Form):
    supporters_needed = forms.IntegerField(
        label=_("Supporters a proposal needs"),
        min_value=0,
        max_value=50,
        help_text=_("Members other than its authors. 0: a proposal goes straight to discussion."),
    )
    cooling_off_days = forms.IntegerField(
        label=_("Days of membership before one may vote"),
        min_value=0,
        max_value=365,
        help_text=_("Who joined more recently can read and comment, but is not on the roll."),
    )
    discussion_days = forms.IntegerField(label=_("Days of discussion"), min_value=1, max_value=90)
    voting_days = forms.IntegerField(
        label=_("Days of voting (the default for a new vote)"), min_value=1, max_value=60
    )


class DelegateForm(forms.Form):
    person = forms.CharField(
        label=_("Person"),
        max_length=150,
        help_text=_(
            "Username or display name of someone registered for the event or a member of the "
            "organisers."
        ),
    )
    weight = forms.IntegerField(
        label=_("Weight of their vote"),
        min_value=1,
        max_value=1000,
        initial=1,
        help_text=_("For example the number of members of the cell they represent."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=120,
        required=False,
        help_text=_("Whom they represent, shown next to their name."),
    )


class RemoveDelegateForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)


# -- proposals --------------------------------------------------------------------------------
TEXT_HELP = _(
    "Markdown. Each paragraph, separated from the next by an empty line, is one numbered "
    "decision: amendments replace or add whole paragraphs."
)


class ProposalForm(forms.Form):
    # No max_length: the services say what is too long, in the same words everywhere.
    title = forms.CharField(label=_("Title"), strip=False)
    text = forms.CharField(
        label=_("Text of the proposal"),
        help_text=TEXT_HELP,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        strip=False,
        help_text=_("Why you propose it. Not part of what is decided."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    language = forms.ChoiceField(
        label=_("Language of the text"),
        choices=settings.LANGUAGES,
        help_text=_("The language you write in; translations can follow once it is adopted."),
    )

    def __init__(self, *args, with_language=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_language:
            del self.fields["language"]
        # An empty title or text is the services' message, not Django's "required".
        self.fields["title"].required = False
        self.fields["text"].required = False


class CoauthorForm(forms.Form):
    person = forms.CharField(
        label=_("Co-author"),
        max_length=150,
        help_text=_("Username or display name of a member here."),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown. Everyone who can see this proposal can read it."),
    )


class AmendmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the amendment does"),
        choices=Amendment.Kind.choices,
        widget=forms.RadioSelect,
        initial=Amendment.Kind.REPLACE,
    )
    paragraph = forms.IntegerField(
        label=_("Paragraph"),
        min_value=0,
        max_value=1000,
        help_text=_(
            "To replace: the number of the paragraph. To add: the new paragraph goes after "
            "this one (0: before the first)."
        ),
    )
    text = forms.CharField(
        label=_("New text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One paragraph, without empty lines. Markdown."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StartVotingForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How the text is decided"),
        choices=[
            (Vote.Method.YES_NO, Vote.Method.YES_NO.label),
            (Vote.Method.CONSENT, Vote.Method.CONSENT.label),
        ],
        widget=forms.RadioSelect,
        initial=Vote.Method.YES_NO,
    )
    threshold = forms.ChoiceField(
        label=_("Majority needed (yes or no)"),
        choices=Vote.Threshold.choices,
        initial=Vote.Threshold.SIMPLE,
    )
    quorum = forms.IntegerField(
        label=_("Quorum (percent of those who may vote)"),
        min_value=0,
        max_value=100,
        initial=0,
    )
    secret = forms.BooleanField(
        label=_("Secret ballot"),
        required=False,
        initial=True,
        help_text=_("Nobody, not even the coordinators, can see who voted how."),
    )
    amendments_close_at = _datetime_field(
        _("The amendment votes close"),
        _("The amendments are voted first; their votes must close before the vote on the text."),
    )
    closes_at = _datetime_field(_("The vote on the text closes"))

    def __init__(self, *args, voting_days: int = 7, has_amendments: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_amendments = has_amendments
        now = timezone.localtime().replace(second=0, microsecond=0)
        if has_amendments:
            half = max(1, voting_days // 2)
            self.fields["amendments_close_at"].initial = now + timedelta(days=half)
            self.fields["closes_at"].initial = now + timedelta(days=half + voting_days)
        else:
            del self.fields["amendments_close_at"]
            self.fields["closes_at"].initial = now + timedelta(days=voting_days)

    def clean(self):
        data = super().clean()
        now = timezone.now()
        closes_at = data.get("closes_at")
        if "closes_at" not in self.errors:
            if closes_at is None:
                self.add_error("closes_at", _("Say when the vote on the text closes."))
            elif closes_at <= now:
                self.add_error("closes_at", _("The closing time must be in the future."))
        if self.has_amendments and "amendments_close_at" not in self.errors:
            first = data.get("amendments_close_at")
            if first is None:
                self.add_error("amendments_close_at", _("Say when the amendment votes close."))
            elif first <= now:
                self.add_error("amendments_close_at", _("The closing time must be in the future."))
            elif closes_at is not None and first >= closes_at:
                self.add_error(
                    "amendments_close_at",
                    _("The amendment votes must close before the vote on the text."),
                )
        return data
