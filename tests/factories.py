"""Plain factory helpers for tests."""

import itertools
from datetime import datetime

from django.contrib.auth import get_user_model

from quizzes import services
from quizzes.models import Attempt, Choice, Exam, ExamTopic, Question, Status, Topic

_counter = itertools.count(1)


def make_user(username: str | None = None, **fields):
    username = username or f"candidate{next(_counter)}"
    return get_user_model().objects.create_user(
        username=username, password="pw-for-tests", **fields
    )


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
