"""What a cohort misses most: per question, how often it was answered wrong and which wrong
choices were picked. Every count is a database aggregate over the members' answers."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from quizzes.models import AttemptItem, AttemptStatus, Choice, Question

from .models import Cohort
from .periods import Period

MOST_MISSED = 20


@dataclass(frozen=True)
class ChoiceCount:
    key: str
    text: str
    is_correct: bool
    picked: int  # how many of the cohort's answers chose it


@dataclass(frozen=True)
class MissedQuestion:
    question: Question
    answers: int
    wrong: int
    unanswered: int
    choices: tuple[ChoiceCount, ...]

    @property
    def miss_percent(self) -> int:
        return round(100 * self.wrong / self.answers) if self.answers else 0


def cohort_answers(cohort: Cohort, period: Period) -> QuerySet[AttemptItem]:
    """The items of the members' submitted attempts (still linked to a question)."""
    return AttemptItem.objects.filter(
        period.attempts_q("attempt__"),
        attempt__user__cohort_memberships__cohort=cohort,
        attempt__status=AttemptStatus.SUBMITTED,
        question__isnull=False,
    )


def most_missed_questions(
    cohort: Cohort, *, period: Period | None = None, limit: int = MOST_MISSED
) -> list[MissedQuestion]:
    """The questions the cohort answered wrong most often (ties: the higher miss rate), in
    three queries: the counts per question, the picks per wrong choice, the questions."""
    answers = cohort_answers(cohort, period or Period())
    counts = list(
        answers.values("question_id")
        .annotate(
            total=Count("pk"),
            wrong=Count("pk", filter=Q(is_correct=False)),
            unanswered=Count("pk", filter=Q(chosen_key="")),
        )
        .filter(wrong__gt=0)
        .order_by("-wrong", "total", "question_id")[:limit]
    )
    question_ids = [row["question_id"] for row in counts]
    picks: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        answers.filter(question_id__in=question_ids, is_correct=False)
        .exclude(chosen_key="")
        .values("question_id", "chosen_key")
        .annotate(picked=Count("pk"))
    ):
        picks[row["question_id"]][row["chosen_key"]] = row["picked"]
    questions = Question.objects.select_related("topic").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("key"))
    )
    by_id = questions.in_bulk(question_ids)
    return [
        MissedQuestion(
            question=by_id[row["question_id"]],
            answers=row["total"],
            wrong=row["wrong"],
            unanswered=row["unanswered"],
            choices=tuple(
                ChoiceCount(
                    key=choice.key,
                    text=choice.text,
                    is_correct=choice.is_correct,
                    picked=(
                        row["total"] - row["wrong"]
                        if choice.is_correct
                        else picks[row["question_id"]].get(choice.key, 0)
                    ),
                )
                for choice in by_id[row["question_id"]].choices.all()
            ),
        )
        for row in counts
        if row["question_id"] in by_id
    ]
