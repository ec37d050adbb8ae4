from django import forms

from .models import CHOICE_KEYS, ReportReason
from .models.reports import MAX_COMMENT_CHARS

# Pages number a choice by the time it was made, in ms; the largest integer a script counts
# exactly is the ceiling.
MAX_SEQUENCE = 2**53 - 1


class AnswerForm(forms.Form):
    """A save from the taking page: the chosen key and the tab's sequence number."""

    choice = forms.ChoiceField(choices=[(key, key) for key in CHOICE_KEYS])
    sequence = forms.IntegerField(min_value=1, max_value=MAX_SEQUENCE)


class MarkForm(forms.Form):
    marked = forms.BooleanField(required=False)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=ReportReason.choices, label="What is wrong?")
    comment = forms.CharField(
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Comment (optional)",
    )
