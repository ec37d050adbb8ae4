"""Plain factory helpers for tests: users, leads, cohorts, banks, exams, attempts."""

import itertools
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import COHORT_LEADS
from cohorts.models import Cohort, Membership
from quizzes import services
from quizzes.models import (
    Attempt,
    AttemptStatus,
    AttemptTopicResult,
    Choice,
    Exam,
    ExamTopic,
    Question,
    Status,
    Topic,
)

_counter = itertools.count(1)

PASSWORD = "pw-for-tests"
"""Every user ``make_user`` makes signs in with this password."""

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.get_fixed_timezone(0))
"""A fixed moment for tests that pin the clock or date their history."""


def make_user(username: str | None = None, **fields):
    username = username or f"candidate{next(_counter)}"
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)


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


def make_topic(slug: str | None = None, **fields) -> Topic:
    slug = slug or f"topic-{next(_counter)}"
    return Topic.objects.create(slug=slug, title=fields.pop("title", slug.title()), **fields)


def make_question(topic: Topic, *, correct: str = "b", keys: str = "abcd", **fields) -> Question:
    number = next(_counter)
    question = Question.objects.create(
        external_id=fields.pop("external_id", f"{topic.slug}-{number:04d}"),
        topic=topic,
        stem=fields.pop("stem", f"Stem of question {number}?"),
        explanation=fields.pop("explanation", f"Explanation {number}."),
        status=fields.pop("status", Status.PUBLISHED),
        **fields,
    )
    Choice.objects.bulk_create(
        Choice(
            question=question, key=key, text=f"Choice {key} of {number}", is_correct=key == correct
        )
        for key in keys
    )
    return question


def make_exam(*, items: int, minutes: int = 10, pass_mark: int = 68, topics=None, **fields) -> Exam:
    number = next(_counter)
    exam = Exam.objects.create(
        slug=fields.pop("slug", f"exam-{number}"),
        title=fields.pop("title", f"Exam {number}"),
        item_count=items,
        minutes=minutes,
        pass_mark=pass_mark,
        all_topics=topics is None,
        **fields,
    )
    for topic, weight in (topics or {}).items():
        ExamTopic.objects.create(exam=exam, topic=topic, weight=weight)
    return exam


def make_bank(*, topics: int = 2, per_topic: int = 6) -> list[Topic]:
    made = []
    for _ in range(topics):
        topic = make_topic()
        for n in range(per_topic):
            make_question(topic, correct="abcd"[n % 4])
        made.append(topic)
    return made


def answer(
    attempt: Attempt, position: int, choice_key: str, *, sequence: int = 1, now=None
) -> Attempt:
    """The attempt's own candidate saves ``choice_key`` for the item at ``position``."""
    return services.save_answer(
        attempt_id=attempt.pk,
        user=attempt.user,
        position=position,
        choice_key=choice_key,
        sequence=sequence,
        now=now,
    )


def take(exam: Exam, user, *, right: int, now: datetime | None = None) -> Attempt:
    """Start and submit an attempt through the services, the first ``right`` items right;
    every wrong answer picks the alphabetically first wrong choice."""
    attempt = services.start_attempt(user=user, exam=exam, now=now)
    for n, item in enumerate(attempt.items.order_by("position"), start=1):
        wrong = sorted(k for k in item.choice_keys if k != item.correct_key)[0]
        answer(
            attempt, item.position, item.correct_key if n <= right else wrong, sequence=n, now=now
        )
    return services.submit_attempt(attempt=attempt, now=now)


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
