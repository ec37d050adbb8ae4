"""Past attempts for the benchmark's candidates, built in memory and written in bulk.

The thousands of submitted attempts behind history and the dashboard are made with the app's
own snapshot and grading code (``snapshot_item``, ``grade``, ``record_grade``) but without
one service call each, which would take minutes; ``insert_rows`` writes them with COPY on
PostgreSQL.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

PAST_EXAM_PATTERN = ("mini", "drill", "mini", "drill", "full", "mini", "drill", "mini", "drill")
UNANSWERED_SHARE = 0.03


class QuestionPool:
    """Published questions with their choices, drawn per exam like ``draw_weighted`` does."""

    def __init__(self) -> None:
        from django.db.models import Prefetch

        from quizzes.models import Choice, Question

        questions = (
            Question.objects.published()
            .filter(choices__is_correct=True)
            .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("key")))
        )
        self.by_topic: dict[int, list] = defaultdict(list)
        for question in questions:
            self.by_topic[question.topic_id].append(question)

    def draw(self, exam, rng: random.Random) -> list:
        from quizzes.scoring import allocate_items

        counts = {topic: len(found) for topic, found in self.by_topic.items()}
        if exam.all_topics:
            weights = counts
        else:
            weights = {w.topic_id: w.weight for w in exam.topic_weights.all()}
        quotas = allocate_items(exam.item_count, weights, counts)
        drawn = [
            question
            for topic, quota in sorted(quotas.items())
            for question in rng.sample(self.by_topic[topic], quota)
        ]
        rng.shuffle(drawn)
        return drawn


@dataclass
class ExamSet:
    full: object
    mini: object
    drills: list

    @classmethod
    def load(cls) -> "ExamSet":
        from quizzes.models import Exam, Selection

        weighted = list(
            Exam.objects.published()
            .filter(selection=Selection.WEIGHTED)
            .prefetch_related("topic_weights")
        )
        mocks = sorted((e for e in weighted if e.all_topics), key=lambda e: e.item_count)
        drills = [e for e in weighted if not e.all_topics]
        if not mocks:
            raise RuntimeError("the banks define no published mock exam (topics: all)")
        return cls(full=mocks[-1], mini=mocks[0], drills=drills or [mocks[0]])

    def pick(self, kind: str, rng: random.Random):
        if kind == "drill":
            return rng.choice(self.drills)
        return self.full if kind == "full" else self.mini


def choose_key(item, skill: float, rng: random.Random) -> str:
    """A candidate's answer: right with probability ``skill``, sometimes left blank."""
    if rng.random() < UNANSWERED_SHARE:
        return ""
    if rng.random() < skill:
        return item.correct_key
    wrong = [key for key in item.choice_keys if key != item.correct_key]
    return rng.choice(wrong) if wrong else item.correct_key


@dataclass
class PastAttempts:
    """Submitted attempts built in memory, written by ``save``."""

    attempts: list = field(default_factory=list)
    items: list = field(default_factory=list)
    topic_results: list = field(default_factory=list)
    domain_results: list = field(default_factory=list)

    def add(self, *, user, exam, questions, started_at: datetime, skill: float, rng) -> None:
        from quizzes.drawing import snapshot_item
        from quizzes.models import Attempt, AttemptStatus, FinishReason
        from quizzes.scoring import GradedItem, grade
        from quizzes.services import record_grade

        minutes = exam.minutes * rng.uniform(0.5, 0.95)
        attempt = Attempt(
            user=user,
            exam=exam,
            status=AttemptStatus.SUBMITTED,
            started_at=started_at,
            deadline=started_at + timedelta(minutes=exam.minutes),
            submitted_at=started_at + timedelta(minutes=minutes),
            finish_reason=FinishReason.SUBMITTED,
            exam_title=exam.title,
            pass_mark=exam.pass_mark,
            item_count=len(questions),
        )
        items = [
            snapshot_item(attempt, position, question, rng)
            for position, question in enumerate(questions, start=1)
        ]
        for item in items:
            item.chosen_key = choose_key(item, skill, rng)
            item.is_correct = bool(item.chosen_key) and item.chosen_key == item.correct_key
            if item.chosen_key:
                item.answered_at = attempt.submitted_at
        result = grade(
            (GradedItem(i.topic_id, i.correct_key, i.chosen_key, i.domain) for i in items),
            pass_mark=exam.pass_mark,
        )
        topic_results, domain_results = record_grade(attempt, result)
        self.attempts.append(attempt)
        self.items.extend(items)
        self.topic_results.extend(topic_results)
        self.domain_results.extend(domain_results)

    def add_history(
        self, *, user, count: int, exams: ExamSet, pool: QuestionPool, rng, now=None
    ) -> None:
        """``count`` past attempts spread over the last 60 days, oldest first."""
        from django.utils import timezone

        now = now or timezone.now()
        skill = rng.uniform(0.45, 0.92)
        for number in range(count):
            kind = PAST_EXAM_PATTERN[number % len(PAST_EXAM_PATTERN)]
            exam = exams.pick(kind, rng)
            started_at = (
                now
                - timedelta(days=60)
                + timedelta(days=55) * number / max(count, 1)
                + timedelta(minutes=rng.randint(0, 600))
            )
            questions = pool.draw(exam, rng)
            self.add(
                user=user,
                exam=exam,
                questions=questions,
                started_at=started_at,
                skill=skill,
                rng=rng,
            )

    def save(self) -> None:
        from quizzes.models import Attempt, AttemptDomainResult, AttemptItem, AttemptTopicResult

        Attempt.objects.bulk_create(self.attempts, batch_size=500)
        for row in [*self.items, *self.topic_results, *self.domain_results]:
            row.attempt_id = row.attempt.pk
        insert_rows(AttemptItem, self.items)
        insert_rows(AttemptTopicResult, self.topic_results)
        insert_rows(AttemptDomainResult, self.domain_results)


def insert_rows(model, rows: list) -> None:
    """``bulk_create`` in batches; on PostgreSQL, COPY instead.

    Django's PostgreSQL bulk insert sends each column as an array, and psycopg quotes every
    element of a text array in Python: for the 90,000 item snapshots (stems, explanations)
    that is most of the seeding time, where COPY streams the same rows in a few seconds.
    """
    from django.db import connection

    if connection.vendor != "postgresql" or not rows:
        model.objects.bulk_create(rows, batch_size=1000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        "FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [
                    field.get_db_prep_save(getattr(row, field.attname), connection)
                    for field in fields
                ]
            )
