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


class StrikeForm(forms.Form):
    """Strike out a choice (``strike=b``) or restore it (``restore=b``): the name of the
    button pressed says which, so the page's buttons share one form without a script."""

    strike = forms.ChoiceField(choices=[(key, key) for key in CHOICE_KEYS], required=False)
    restore = forms.ChoiceField(choices=[(key, key) for key in CHOICE_KEYS], required=False)

    def clean(self) -> dict:
        data = super().clean()
        strike, restore = data.get("strike"), data.get("restore")
        if bool(strike) == bool(restore):
            raise forms.ValidationError("Strike out or restore one choice.")
        return data | {"choice": strike or restore, "struck": bool(strike)}


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=ReportReason.choices, label="What is wrong?")
    comment = forms.CharField(
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Comment (optional)",
    )
