"""Publishing and retiring questions: each question moves only when the question rules let it.

The admin's publish and retire actions call ``change_question_status`` and word its refusals.
"""

from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from crss_prep.page_cache import bump_content
from quizzes.models import Question, Status
from quizzes.question_rules import status_problems


@dataclass(frozen=True)
class StatusChange:
    """How many questions moved, and the ids of those that did not, by the rule they break."""

    moved: int
    refused: dict[str, list[str]]  # a question rule's words -> external ids


def change_question_status(
    questions: QuerySet[Question], *, status: Status, user_id: int, log_message: str
) -> StatusChange:
    """Give ``status`` to those of ``questions`` the rules let take it: one UPDATE, and an entry
    with ``log_message`` in each one's admin history."""
    rows = (
        questions.exclude(status=status)
        .annotate(
            choice_count=Count("choices"),
            correct=Count("choices", filter=Q(choices__is_correct=True)),
        )
        .values_list("pk", "external_id", "explanation", "choice_count", "correct")
    )
    refused: dict[str, list[str]] = {}
    ready_ids = []
    for pk, external_id, explanation, choice_count, correct in rows:
        problems = status_problems(
            status, explanation=explanation, choice_count=choice_count, correct=correct
        )
        for problem in problems:
            refused.setdefault(problem, []).append(external_id)
        if not problems:
            ready_ids.append(pk)
    if ready_ids:
        with transaction.atomic():
            changed = Question.objects.filter(pk__in=ready_ids)
            changed.update(status=status, updated_at=timezone.now())
            LogEntry.objects.log_actions(
                user_id=user_id,
                queryset=list(changed),
                action_flag=CHANGE,
                change_message=log_message,
            )
        bump_content()  # an UPDATE sends no signals: tell the page caches
    return StatusChange(moved=len(ready_ids), refused=refused)
