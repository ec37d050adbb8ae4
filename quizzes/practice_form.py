"""The practice builder's form: what a candidate may ask of a practice session."""

from django import forms

from .bank_summary import BankSummary
from .practice import MAX_ITEMS, MIN_ITEMS, PracticeRequest, QuestionChoice

TIMED = "timed"
UNTIMED = "untimed"
TUTOR = "tutor"
AT_THE_END = "end"
CHECK = {"class": "form-check-input"}


class PracticeForm(forms.Form):
    """Topics and domains from the published pool, with how many questions each holds."""

    topics = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECK),
        label="Topics",
        help_text="Leave topics and domains empty to practice every topic.",
    )
    domains = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple(attrs=CHECK), label="Exam domains"
    )
    count = forms.IntegerField(
        min_value=MIN_ITEMS,
        max_value=MAX_ITEMS,
        initial=10,
        label="Number of items",
        help_text=f"From {MIN_ITEMS} to {MAX_ITEMS}.",
    )
    which = forms.ChoiceField(
        choices=QuestionChoice.choices,
        initial=QuestionChoice.ANY,
        widget=forms.RadioSelect(attrs=CHECK),
        label="Which questions",
    )
    timing = forms.ChoiceField(
        choices=[
            (UNTIMED, "Untimed"),
            (TIMED, "Timed at the real exam's pace (1.2 minutes an item)"),
        ],
        initial=UNTIMED,
        widget=forms.RadioSelect(attrs=CHECK),
        label="Time",
    )
    feedback = forms.ChoiceField(
        choices=[
            (TUTOR, "After each answer: tutor mode (an answer is final once checked)"),
            (AT_THE_END, "At the end, as in the exam"),
        ],
        initial=TUTOR,
        widget=forms.RadioSelect(attrs=CHECK),
        label="Show the answer and why",
    )

    def __init__(self, *args, bank: BankSummary, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [
            (topic.pk, f"{topic.title} ({topic.published_count})")
            for topic in bank.topics
            if topic.published_count
        ]
        self.fields["domains"].choices = [
            (d.domain, f"{d.label} ({d.questions})") for d in bank.domains if d.questions
        ]

    def practice_request(self) -> PracticeRequest:
        data = self.cleaned_data
        return PracticeRequest(
            count=data["count"],
            topic_ids=frozenset(data["topics"]),
            domains=frozenset(data["domains"]),
            which=QuestionChoice(data["which"]),
            timed=data["timing"] == TIMED,
            tutor=data["feedback"] == TUTOR,
        )
