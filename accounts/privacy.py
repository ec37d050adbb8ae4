"""A candidate's own data, as they may download it, and the deletion of their account."""

from collections.abc import Iterator

from django.db import transaction

from quizzes.models import Attempt, AttemptItem

CSV_COLUMNS = [
    "attempt_id",
    "exam",
    "started_at",
    "submitted_at",
    "score",
    "passed",
    "position",
    "topic",
    "question_id",
    "stem",
    "chosen_answer",
    "correct_answer",
    "is_correct",
]


def user_attempts(user):
    return Attempt.objects.for_user(user).order_by("started_at")


def export_user_data(user) -> dict:
    """Everything we hold about the candidate's practice, as plain JSON-ready values."""
    items_by_attempt: dict[int, list[dict]] = {}
    for item in (
        AttemptItem.objects.filter(attempt__user=user)
        .select_related("topic", "question")
        .order_by("attempt_id", "position")
    ):
        items_by_attempt.setdefault(item.attempt_id, []).append(
            {
                "position": item.position,
                "topic": item.topic.slug,
                "question_id": item.question.external_id if item.question else None,
                "stem": item.stem,
                "choices": item.choices,
                "chosen_answer": item.chosen_key or None,
                "correct_answer": item.correct_key if item.attempt.is_submitted else None,
                "marked": item.marked,
                "is_correct": item.is_correct,
            }
        )
    return {
        "username": user.get_username(),
        "email": user.email,
        "date_joined": user.date_joined.isoformat(),
        "attempts": [
            {
                "id": attempt.pk,
                "exam": attempt.exam_title,
                "status": attempt.status,
                "started_at": attempt.started_at.isoformat(),
                "deadline": attempt.deadline.isoformat(),
                "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
                "score": attempt.score,
                "passed": attempt.passed,
                "items": items_by_attempt.get(attempt.pk, []),
            }
            for attempt in user_attempts(user)
        ],
    }


def export_rows(user) -> Iterator[list]:
    """One CSV row per answered-or-not item of every attempt."""
    yield CSV_COLUMNS
    for attempt in export_user_data(user)["attempts"]:
        for item in attempt["items"]:
            yield [
                attempt["id"],
                attempt["exam"],
                attempt["started_at"],
                attempt["submitted_at"],
                attempt["score"],
                attempt["passed"],
                item["position"],
                item["topic"],
                item["question_id"],
                item["stem"],
                item["chosen_answer"],
                item["correct_answer"],
                item["is_correct"],
            ]


def delete_account(user) -> None:
    """Delete the account and, with it, every attempt (so cohort figures drop them too)."""
    with transaction.atomic():
        user.delete()
