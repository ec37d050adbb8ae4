from datetime import date
from urllib.parse import urlencode

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict

from accounts.models import MAX_EXTRA_TIME_PERCENT

from .models import Cohort
from .periods import Period

PERIOD_REVERSED = "The start date must not be after the end date."
CONFIRM_REQUIRED = "Tick the box to confirm that your cohort's leads may see your results."
# At the edges of the calendar a period cannot be computed (the day after 9999-12-31 does
# not exist; midnight on 0001-01-01 east of UTC is before year 1): refuse such dates with a
# message instead of failing.
EARLIEST_PERIOD_DATE = date(1900, 1, 1)
LATEST_PERIOD_DATE = date(9998, 12, 31)
PERIOD_OUT_OF_RANGE = f"Pick a date from {EARLIEST_PERIOD_DATE} to {LATEST_PERIOD_DATE}."


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name"]
        labels = {"name": "Cohort name"}
        help_texts = {"name": "For example “Spring 2026 evening group”."}


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label="Join code",
        max_length=32,
        help_text="The code your cohort lead gave you, e.g. K7QX2MPR.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class JoinConfirmForm(JoinCodeForm):
    code = forms.CharField(widget=forms.HiddenInput, max_length=32)
    confirm = forms.BooleanField(
        label="I understand what the leads of this cohort will see, and I want to join.",
        error_messages={"required": CONFIRM_REQUIRED},
    )


class ExtraTimeForm(forms.Form):
    extra_time_percent = forms.IntegerField(
        label="Extra time (%)",
        min_value=0,
        max_value=MAX_EXTRA_TIME_PERCENT,
        help_text=(
            f"0 to {MAX_EXTRA_TIME_PERCENT}: e.g. 50 gives 1.5 times the time limit. "
            "Applies to exams the learner starts from now on."
        ),
    )


class PeriodForm(forms.Form):
    """The dashboard's date range, read from ``?from=YYYY-MM-DD&to=YYYY-MM-DD``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these fields cannot be declared as attributes.
        date_input = {"type": "date"}
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                widget=forms.DateInput(attrs=date_input),
                validators=[
                    MinValueValidator(EARLIEST_PERIOD_DATE, PERIOD_OUT_OF_RANGE),
                    MaxValueValidator(LATEST_PERIOD_DATE, PERIOD_OUT_OF_RANGE),
                ],
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            raise forms.ValidationError(PERIOD_REVERSED)
        return cleaned

    def period(self) -> Period:
        """The chosen range; no range at all when the input is invalid."""
        if not self.is_bound or not self.is_valid():
            return Period()
        return Period(start=self.cleaned_data.get("from"), end=self.cleaned_data.get("to"))

    def params(self) -> dict[str, str]:
        """The range as query parameters, to keep in sorting links."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            name: value.isoformat()
            for name in ("from", "to")
            if (value := self.cleaned_data.get(name)) is not None
        }

    def query_string(self) -> str:
        """The range as ``from=...&to=...`` for links (empty when there is none)."""
        return urlencode(self.params())


def period_form_from(query: QueryDict) -> PeriodForm:
    """The date range of a lead page's query string (unbound when it names none)."""
    return PeriodForm(query if query.keys() & {"from", "to"} else None)
