"""The exam forms behind the trainer's admin: an exam's format within the bank format's limits,
and where its items come from."""

from collections import Counter
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.forms.models import BaseInlineFormSet

from quizzes.authoring.banks.schema import MAX_ITEMS, MAX_MINUTES
from quizzes.models import Exam, Question, Status, Topic

MAX_TOPIC_WEIGHT = 10_000

EXAM_TOPICS_BOTH = "Either tick “all topics” or list topic weights below, not both."
EXAM_TOPICS_NONE = "Tick “all topics” or add at least one topic with a weight below."
EXAM_TOPIC_TWICE = "Topic “{topic}” is listed twice: list each topic once."
EXAM_TOO_FEW_QUESTIONS = (
    "This exam asks for {items} items but its topics have only {available} published "
    "questions: lower the number of items, add topics, or save the exam as a draft."
)


class ExamAdminForm(forms.ModelForm):
    class Meta:
        model = Exam
        fields = [
            "title",
            "slug",
            "description",
            "status",
            "item_count",
            "minutes",
            "pass_mark",
            "selection",
            "all_topics",
            "position",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The bank format's limits, so that every exam exports to a file that loads back.
        self.fields["item_count"].validators.append(MaxValueValidator(MAX_ITEMS))
        self.fields["minutes"].validators.append(MaxValueValidator(MAX_MINUTES))


class ExamTopicForm(forms.ModelForm):
    weight = forms.IntegerField(min_value=1, max_value=MAX_TOPIC_WEIGHT, initial=1)


def published_question_count(topics: Iterable[Topic] | None) -> int:
    """Published questions in ``topics`` (every topic when None)."""
    questions = Question.objects.published()
    if topics is not None:
        questions = questions.for_topics(list(topics))
    return questions.count()


class ExamTopicInlineFormSet(BaseInlineFormSet):
    """An exam draws from every topic or from listed topics, and must fit its question pool."""

    def clean(self) -> None:
        if any(self.errors):
            return
        topics = [
            form.cleaned_data["topic"]
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        errors = self.topic_errors(topics)
        if not errors and self.instance.status == Status.PUBLISHED:
            available = published_question_count(None if self.instance.all_topics else topics)
            if self.instance.item_count and self.instance.item_count > available:
                errors.append(
                    EXAM_TOO_FEW_QUESTIONS.format(
                        items=self.instance.item_count, available=available
                    )
                )
        if errors:
            raise ValidationError(errors)

    def topic_errors(self, topics: list[Topic]) -> list[str]:
        errors = []
        if self.instance.all_topics and topics:
            errors.append(EXAM_TOPICS_BOTH)
        if not self.instance.all_topics and not topics:
            errors.append(EXAM_TOPICS_NONE)
        for topic, count in Counter(topics).items():
            if count > 1:
                errors.append(EXAM_TOPIC_TWICE.format(topic=topic))
        return errors
