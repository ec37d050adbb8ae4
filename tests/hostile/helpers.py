"""What the hostile-request tests share: limits and payloads, what "writes nothing" means,
and the URLs of the world's attempts."""

from contextlib import contextmanager

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import CandidateProfile
from cohorts.models import Cohort, Membership
from quizzes.models import (
    Attempt,
    AttemptItem,
    AttemptTopicResult,
    Choice,
    Exam,
    ExamTopic,
    Question,
    QuestionReport,
    StagedBankFile,
    Topic,
)

HUGE = 10**30
LONG = "x" * 100_000
JSON = {"Accept": "application/json"}


# --- what "writes nothing" means ------------------------------------------------------------


def database_snapshot() -> dict[str, list]:
    """Every row a request could write, as plain values; sessions and the login-failure log
    (django-axes records failed logins on purpose) left aside."""
    user_model = get_user_model()
    tables = {
        "users": user_model.objects.values_list(
            "pk", "username", "email", "password", "first_name", "last_name", "last_login"
        ),
        "groups": user_model.groups.through.objects.values_list("user_id", "group_id"),
        "profiles": CandidateProfile.objects.values_list("user_id", "extra_time_percent"),
        "attempts": Attempt.objects.values_list(
            "pk", "status", "submitted_at", "score", "deadline"
        ),
        "items": AttemptItem.objects.values_list(
            "pk", "chosen_key", "version", "answered_at", "marked", "struck_keys", "is_correct"
        ),
        "topic_results": AttemptTopicResult.objects.values_list("pk", "correct", "total"),
        "reports": QuestionReport.objects.values_list("pk", "reason", "comment", "status"),
        "cohorts": Cohort.objects.values_list("pk", "name", "join_code", "code_expires_at"),
        "leads": Cohort.leads.through.objects.values_list("cohort_id", "user_id"),
        "memberships": Membership.objects.values_list("cohort_id", "user_id"),
        "topics": Topic.objects.values_list("pk", "slug", "title", "source", "notes"),
        "questions": Question.objects.values_list(
            "pk", "external_id", "status", "stem", "explanation", "updated_at"
        ),
        "choices": Choice.objects.values_list("pk", "question_id", "key", "text", "is_correct"),
        "exams": Exam.objects.values_list("pk", "slug", "title", "status", "item_count"),
        "exam_topics": ExamTopic.objects.values_list("pk", "exam_id", "topic_id", "weight"),
        "admin_log": LogEntry.objects.values_list("pk", "change_message"),
        "staged_imports": StagedBankFile.objects.values_list("pk", "token", "name"),
    }
    return {name: list(rows.order_by("pk")) for name, rows in tables.items()}


@contextmanager
def writes_nothing():
    """The block leaves the database as it found it."""
    before = database_snapshot()
    yield
    after = database_snapshot()
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"written: {changed}"


# --- signing in, messages, cases ------------------------------------------------------------


def logged_in(client: Client, user) -> Client:
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def param(case_id: str, *values):
    return pytest.param(*values, id=case_id)


# --- the attempts' URLs ----------------------------------------------------------------------

ATTEMPT_VIEWS = {
    "answer": "quizzes:answer_item",
    "mark": "quizzes:mark_item",
    "strike": "quizzes:strike_item",
    "report": "quizzes:report_item",
    "take": "quizzes:take_item",
    "submit": "quizzes:submit",
    "state": "quizzes:attempt_state",
    "review": "quizzes:attempt_review",
    "result": "quizzes:attempt_result",
    "detail": "quizzes:attempt_detail",
}
WITH_POSITION = {"answer", "mark", "strike", "report", "take"}


def attempt_id(world, target: str) -> int:
    ids = {"own": world.attempt.pk, "done": world.done.pk, "foreign": world.foreign.pk}
    ids |= {"missing": Attempt.objects.order_by("-pk").first().pk + 1000, "huge": HUGE}
    return ids[target]


def position_of(world, target: str, position) -> int:
    """``"two"``: the position of an item with choices a-b in that attempt."""
    if position != "two":
        return position
    if target not in {"own", "done", "foreign"}:
        return 1
    items = AttemptItem.objects.filter(attempt_id=attempt_id(world, target))
    return next(item.position for item in items if sorted(item.choice_keys) == ["a", "b"])


def attempt_url(world, view: str, target: str, position=1) -> str:
    args = [attempt_id(world, target)]
    if view in WITH_POSITION:
        args.append(position_of(world, target, position))
    return reverse(ATTEMPT_VIEWS[view], args=args)
