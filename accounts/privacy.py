"""A person's own data, as they may download it: their profile, cohort memberships, attempts
with every answer, question reports and starred questions. Nothing in it is about anyone
else (a cohort's name, not its leads or members; a report's question, not what others
said)."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet

from accounts.models import extra_time_percent_of
from accounts.roles import role_of
from cohorts.models import Cohort, Membership
from quizzes.models import Attempt, AttemptItem, QuestionReport, StarredQuestion

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


def when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def user_attempts(user) -> QuerySet[Attempt]:
    return Attempt.objects.for_user(user).order_by("started_at", "pk")


def profile_of(user) -> dict:
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": when(user.date_joined),
        "last_login": when(user.last_login),
        "role": role_of(user).value,
        "extra_time_percent": extra_time_percent_of(user),
    }


def memberships_of(user) -> list[dict]:
    """The cohorts the user is in now (leaving one deletes its record: none is kept)."""
    memberships = Membership.objects.filter(user=user).select_related("cohort")
    return [
        {"cohort": membership.cohort.name, "joined_at": when(membership.joined_at)}
        for membership in memberships.order_by("joined_at", "pk")
    ]


def led_cohorts_of(user) -> list[str]:
    return list(
        Cohort.objects.filter(leads=user).order_by("name", "pk").values_list("name", flat=True)
    )


def items_by_attempt(user) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    items = (
        AttemptItem.objects.filter(attempt__user=user)
        .select_related("attempt", "topic", "question")
        .order_by("attempt_id", "position")
    )
    for item in items:
        found.setdefault(item.attempt_id, []).append(
            {
                "position": item.position,
                "topic": item.topic.slug,
                "question_id": item.question.external_id if item.question else None,
                "stem": item.stem,
                "choices": item.choices,
                "chosen_answer": item.chosen_key or None,
                "answered_at": when(item.answered_at),
                # The key of an attempt still running stays hidden, as on the exam screen.
                "correct_answer": item.correct_key if item.attempt.is_submitted else None,
                "marked": item.marked,
                "struck_out": list(item.struck_keys),
                "is_correct": item.is_correct,
            }
        )
    return found


def attempts_of(user) -> list[dict]:
    items = items_by_attempt(user)
    return [
        {
            "id": attempt.pk,
            "exam": attempt.exam_title,
            "kind": attempt.kind,
            "timed": attempt.timed,
            "status": attempt.status,
            "started_at": when(attempt.started_at),
            "deadline": when(attempt.deadline),
            "submitted_at": when(attempt.submitted_at),
            "finish_reason": attempt.finish_reason or None,
            "score": attempt.score,
            "passed": attempt.passed,
            "items": items.get(attempt.pk, []),
        }
        for attempt in user_attempts(user)
    ]


def reports_of(user) -> list[dict]:
    reports = QuestionReport.objects.filter(reporter=user).select_related(
        "question", "attempt_item"
    )
    return [
        {
            "question_id": report.question.external_id,
            "attempt_id": report.attempt_item.attempt_id if report.attempt_item else None,
            "position": report.attempt_item.position if report.attempt_item else None,
            "reason": report.reason,
            "comment": report.comment,
            "status": report.status,
            "created_at": when(report.created_at),
            "closed_at": when(report.closed_at),
        }
        for report in reports.order_by("created_at", "pk")
    ]


def starred_of(user) -> list[dict]:
    stars = StarredQuestion.objects.filter(user=user).select_related("question")
    return [
        {"question_id": star.question.external_id, "starred_at": when(star.created_at)}
        for star in stars.order_by("created_at", "pk")
    ]


def export_user_data(user) -> dict:
    """Everything we hold about the person, as plain JSON-ready values."""
    return {
        "profile": profile_of(user),
        "memberships": memberships_of(user),
        "cohorts_led": led_cohorts_of(user),
        "attempts": attempts_of(user),
        "question_reports": reports_of(user),
        "starred_questions": starred_of(user),
    }


def export_rows(user) -> Iterator[list]:
    """One CSV row per answered-or-not item of every attempt."""
    yield CSV_COLUMNS
    for attempt in attempts_of(user):
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
