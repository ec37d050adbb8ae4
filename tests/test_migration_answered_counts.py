"""Migration 0005 gives records made before it what they did not store: each item's domain,
and answered counts per attempt, topic and domain."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.roles import ensure_roles

BEFORE = [("quizzes", "0004_per_item_versions")]
AFTER = [("quizzes", "0005_answered_and_domains")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ensure_roles()  # the flush after this test drops what post_migrate made


@pytest.mark.django_db(transaction=True)
def test_old_attempts_get_domains_and_answered_counts(old_apps):
    User = old_apps.get_model("auth", "User")
    Topic = old_apps.get_model("quizzes", "Topic")
    Question = old_apps.get_model("quizzes", "Question")
    Exam = old_apps.get_model("quizzes", "Exam")
    Attempt = old_apps.get_model("quizzes", "Attempt")
    AttemptItem = old_apps.get_model("quizzes", "AttemptItem")
    AttemptTopicResult = old_apps.get_model("quizzes", "AttemptTopicResult")
    user = User.objects.create(username="old-timer")
    topic = Topic.objects.create(slug="ethics", title="Ethics")
    advocacy = Question.objects.create(
        external_id="q-1", topic=topic, stem="?", explanation=".", domain="advocacy"
    )
    exam = Exam.objects.create(slug="mock", title="Mock", item_count=3, minutes=5, pass_mark=68)
    now = timezone.now()
    attempt = Attempt.objects.create(
        user=user,
        exam=exam,
        status="submitted",
        started_at=now - timedelta(minutes=5),
        deadline=now,
        submitted_at=now,
        exam_title="Mock",
        pass_mark=68,
        item_count=3,
        correct_count=1,
        score=33,
        passed=False,
    )
    rows = [("b", True, advocacy), ("c", False, advocacy), ("", False, None)]
    for position, (chosen, right, question) in enumerate(rows, start=1):
        AttemptItem.objects.create(
            attempt=attempt,
            position=position,
            question=question,
            topic=topic,
            stem="?",
            choices=[{"key": "b", "text": "B"}, {"key": "c", "text": "C"}],
            choice_keys="bc",
            correct_key="b",
            chosen_key=chosen,
            is_correct=right,
        )
    AttemptTopicResult.objects.create(attempt=attempt, topic=topic, correct=1, total=3)

    new_apps = migrate(AFTER)

    attempt = new_apps.get_model("quizzes", "Attempt").objects.get(pk=attempt.pk)
    assert attempt.answered_count == 2
    items = new_apps.get_model("quizzes", "AttemptItem").objects.filter(attempt=attempt)
    assert sorted(items.values_list("position", "domain")) == [
        (1, "advocacy"),
        (2, "advocacy"),
        (3, ""),  # the third's question is gone
    ]
    topic_result = new_apps.get_model("quizzes", "AttemptTopicResult").objects.get()
    assert (topic_result.correct, topic_result.answered, topic_result.total) == (1, 2, 3)
    domain_result = new_apps.get_model("quizzes", "AttemptDomainResult").objects.get()
    assert (domain_result.domain, domain_result.correct, domain_result.answered) == (
        "advocacy",
        1,
        2,
    )
    assert domain_result.total == 2
