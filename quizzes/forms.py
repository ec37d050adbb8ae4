from django import forms

MAX_SEQUENCE = 2**31 - 1


class AnswerForm(forms.Form):
    """A save from the taking page: the chosen key and the tab's sequence number."""

    choice = forms.CharField(max_length=1)
    sequence = forms.IntegerField(min_value=1, max_value=MAX_SEQUENCE)


class MarkForm(forms.Form):
    marked = forms.BooleanField(required=False)
