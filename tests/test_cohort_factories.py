"""Helpers that the cohort tests share (leads, cohorts, attempts made fast), and checks that
the attempts they make are what the exam services would store."""

import itertools
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import COHORT_LEADS
from cohorts.models import Cohort, Membership
from quizzes.models import Attempt, AttemptStatus, AttemptTopicResult, Exam, Topic
from tests.factories import make_user

_counter = itertools.count(1)
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.get_fixed_timezone(0))


def make_lead(username: str | None = None, **fields):
    lead = make_user(username or f"lead{next(_counter)}", **fields)
    group, _ = Group.objects.get_or_create(name=COHORT_LEADS)
    lead.groups.add(group)
    return lead


def make_cohort(lead, *, name: str | None = None, members=(), **fields) -> Cohort:
    cohort = Cohort.objects.create(name=name or f"Cohort {next(_counter)}", **fields)
    cohort.leads.add(lead)
    Membership.objects.bulk_create(Membership(cohort=cohort, user=user) for user in members)
    return cohort


def bulk_history(
    users,
    exam: Exam,
    topics: list[Topic],
    *,
    attempts: int,
    percent,
    per_topic: int = 5,
    start: datetime = NOW - timedelta(days=30),
) -> list[Attempt]:
    """``attempts`` submitted attempts per user, with their topic tallies, in two bulk inserts.

    ``percent(user_index, attempt_index)`` is the share answered right in every topic; the
    attempts are a day apart, oldest first, the stored score what grading would store.
    """
    items = per_topic * len(topics)
    rows = []
    tallies: list[list[int]] = []
    for user_index, user in enumerate(users):
        for attempt_index in range(attempts):
            right_per_topic = round(per_topic * percent(user_index, attempt_index) / 100)
            correct = right_per_topic * len(topics)
            started = start + timedelta(days=attempt_index, minutes=user_index)
            rows.append(
                Attempt(
                    user=user,
                    exam=exam,
                    status=AttemptStatus.SUBMITTED,
                    started_at=started,
                    deadline=started + timedelta(minutes=exam.minutes),
                    submitted_at=started + timedelta(minutes=5),
                    finish_reason="submitted",
                    exam_title=exam.title,
                    pass_mark=exam.pass_mark,
                    item_count=items,
                    correct_count=correct,
                    answered_count=items,
                    score=round(100 * correct / items),
                    passed=round(100 * correct / items) >= exam.pass_mark,
                )
            )
            tallies.append([right_per_topic] * len(topics))
    made = Attempt.objects.bulk_create(rows)
    AttemptTopicResult.objects.bulk_create(
        AttemptTopicResult(
            attempt=attempt, topic=topic, correct=right, answered=per_topic, total=per_topic
        )
        for attempt, rights in zip(made, tallies, strict=True)
        for topic, right in zip(topics, rights, strict=True)
    )
    return made


# --- the helpers themselves ----------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_history_stores_what_grading_would(django_assert_max_num_queries):
    from tests.factories import make_bank, make_exam

    topics = make_bank(topics=2, per_topic=3)
    exam = make_exam(items=10)
    users = [make_user() for _ in range(3)]

    with django_assert_max_num_queries(2):
        made = bulk_history(users, exam, topics, attempts=4, percent=lambda u, a: 20 * (a + 1))

    assert len(made) == 12
    latest = Attempt.objects.filter(user=users[0]).order_by("-submitted_at").first()
    assert (latest.score, latest.correct_count, latest.passed) == (80, 8, True)
    assert AttemptTopicResult.objects.filter(attempt=latest).count() == 2


@pytest.mark.django_db
def test_make_lead_is_in_the_leads_group():
    lead = make_lead()

    assert lead.groups.filter(name=COHORT_LEADS).exists()
