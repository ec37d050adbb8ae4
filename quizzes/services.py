"""The write paths of the exam loop: start, save, mark, submit, close overdue attempts
(striking out a choice: ``quizzes.strike_out``).

Every function that changes an attempt locks its row first (``select_for_update``; on
SQLite the IMMEDIATE transaction does the same), so a double submit grades once. The
answer save, the busiest write, is one statement instead; a submit locks and grades every
item, and a save stores only into an ungraded item, so a save racing a submit is either
before it (and graded) or refused.
"""

import random
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from accounts.models import extra_time_percent_of
from crss_prep import page_cache
from crss_prep.fixed_rows import MAX_DATABASE_INT

from .attempt_errors import AnswerFinal, AttemptClosed, AttemptError, StaleSave
from .drawing import draw_questions, snapshot_item
from .models import (
    CHOICE_KEYS,
    Attempt,
    AttemptDomainResult,
    AttemptItem,
    AttemptKind,
    AttemptStatus,
    AttemptTopicResult,
    Exam,
    FinishReason,
    Question,
    QuestionReport,
)
from .scoring import Grade, GradedItem, grade

# Saves still accepted this long after the deadline: the last click before time ran out
# may be on the wire when the clock reaches zero.
SAVE_GRACE = timedelta(seconds=5)
VALID_KEYS = frozenset(CHOICE_KEYS)
# An untimed practice session is still closed, like any attempt left open, this long after.
UNTIMED_DAYS = 30

ATTEMPT_CLOSED = "This attempt has been submitted; answers can no longer change."
TIME_UP = "Time is up for this attempt; answers can no longer change."
STALE_SAVE = (
    "This answer was changed in another tab or window after you chose it: the newer choice is kept."
)
ANSWER_FINAL = "This answer was checked already: it is final."
UNKNOWN_ITEM = "There is no item {position} in this attempt."
UNKNOWN_CHOICE = "That choice does not belong to this item."
REPORT_BEFORE_SUBMIT = "Questions can be reported from the result page, after submitting."
ALREADY_REPORTED = "You have already reported this question; trainers will look at it."
NO_QUESTIONS = "This exam has no published questions to draw from yet."


def start_attempt(
    *, user: AbstractBaseUser, exam: Exam, now: datetime | None = None, seed: int | None = None
) -> Attempt:
    """Resume the candidate's attempt at ``exam`` if one is running, else start a new one."""
    now = now or timezone.now()
    current = Attempt.objects.for_user(user).in_progress().filter(exam=exam).first()
    if current is not None and not finalize_if_overdue(current, now=now):
        return current
    rng = random.Random(seed)
    questions = draw_questions(exam=exam, user=user, rng=rng)
    if not questions:
        raise AttemptError(NO_QUESTIONS)
    try:
        return create_attempt(
            user=user,
            questions=questions,
            rng=rng,
            now=now,
            exam=exam,
            title=exam.title,
            pass_mark=exam.pass_mark,
            minutes=exam.minutes,
        )
    except IntegrityError:
        # A second start of the same exam won the race: resume that one.
        return Attempt.objects.for_user(user).in_progress().get(exam=exam)


def create_attempt(
    *,
    user: AbstractBaseUser,
    questions: list[Question],
    rng: random.Random,
    now: datetime,
    title: str,
    pass_mark: int,
    minutes: float | None,
    exam: Exam | None = None,
    kind: AttemptKind = AttemptKind.EXAM,
    start_token: UUID | None = None,
) -> Attempt:
    """A new attempt holding a snapshot of ``questions`` in their order. ``minutes`` is the
    time before the candidate's extra time; None for an untimed session, which is given
    ``UNTIMED_DAYS`` instead. ``start_token``: see ``practice.start_practice``."""
    if minutes is None:
        deadline = now + timedelta(days=UNTIMED_DAYS)
    else:
        deadline = now + timedelta(minutes=minutes * (100 + extra_time_percent_of(user)) / 100)
    with transaction.atomic():
        attempt = Attempt.objects.create(
            user=user,
            exam=exam,
            kind=kind,
            timed=minutes is not None,
            started_at=now,
            deadline=deadline,
            exam_title=title,
            pass_mark=pass_mark,
            item_count=len(questions),
            start_token=start_token,
        )
        AttemptItem.objects.bulk_create(
            snapshot_item(attempt, position, question, rng)
            for position, question in enumerate(questions, start=1)
        )
        page_cache.bump_user(user.pk)
    return attempt


def locked(attempt: Attempt) -> Attempt:
    """Re-read the attempt with its row locked for the rest of the transaction."""
    return Attempt.objects.select_for_update().get(pk=attempt.pk)


def check_open(attempt: Attempt, now: datetime) -> None:
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AttemptClosed(ATTEMPT_CLOSED)
    if now > attempt.deadline + SAVE_GRACE:
        raise AttemptClosed(TIME_UP)


def item_at(attempt: Attempt, position: int) -> AttemptItem:
    item = AttemptItem.objects.filter(attempt=attempt, position=position).first()
    if item is None:
        raise AttemptError(UNKNOWN_ITEM.format(position=position))
    return item


# The answer save, written out once: building it with the ORM took longer than running it.
# Plain SQL that PostgreSQL and SQLite (3.35+, for RETURNING) both speak. ``is_correct IS
# NULL``: a submit grades every item with their rows locked, so a save racing it either lands
# first (and is graded) or finds the item graded and stores nothing, whatever it read of the
# attempt's status. A tutor session grades the item in the same statement: its first stored
# answer is final (``quizzes.tutor``), and what it returns says the attempt is one.
SAVE_ANSWER_SQL = f"""
    UPDATE {AttemptItem._meta.db_table}
    SET chosen_key = %(choice)s, version = %(sequence)s, answered_at = %(now)s,
        is_correct = CASE WHEN attempt_id IN (
            SELECT id FROM {Attempt._meta.db_table} WHERE id = %(attempt)s AND kind = %(tutor)s
        ) THEN correct_key = %(choice)s END
    WHERE attempt_id IN (
        SELECT id FROM {Attempt._meta.db_table}
        WHERE id = %(attempt)s AND user_id = %(user)s
            AND status = %(in_progress)s AND deadline >= %(cutoff)s
    )
    AND position = %(position)s AND version < %(sequence)s AND choice_keys LIKE %(has_key)s
    AND is_correct IS NULL AND chosen_key <> %(choice)s
    RETURNING is_correct
"""  # noqa: S608 -- table names from the models; every value is a parameter


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """What an item holds after a save, or when a save is refused: the page shows this."""

    position: int
    choice_key: str
    version: int
    tutor: bool = False  # checked at once: the page shows the feedback (``quizzes.tutor``)


def save_answer(
    *,
    attempt_id: int,
    user: AbstractBaseUser,
    position: int,
    choice_key: str,
    sequence: int,
    now: datetime | None = None,
) -> StoredAnswer:
    """Record the candidate's choice for one item of their attempt.

    Versions are per item: a save is refused (``StaleSave``) only when this same item holds
    a different choice with a sequence number not below the save's, i.e. a newer choice
    from another tab or a later retry. Saves of different items never refuse each other, in
    whatever order they arrive. A save of what is already stored succeeds whatever its
    number (a retry whose first answer was lost), even after the attempt closed. In a tutor
    session the first stored answer is checked at once and final (``AnswerFinal``).
    ``Attempt.DoesNotExist`` when the attempt is not ``user``'s.
    """
    now = now or timezone.now()
    if choice_key not in VALID_KEYS:
        raise AttemptError(UNKNOWN_CHOICE)
    # The usual case is this one statement (SAVE_ANSWER_SQL); only when it stores nothing is
    # the item read, to say why.
    stored = []
    if sequence <= MAX_DATABASE_INT:  # else: no such row
        stored = write_item(
            SAVE_ANSWER_SQL,
            attempt_id=attempt_id,
            user=user,
            position=position,
            now=now,
            choice=choice_key,
            sequence=sequence,
            has_key=f"%{choice_key}%",  # keys are single letters a-f
            tutor=AttemptKind.TUTOR.value,
        )
    if stored:
        return StoredAnswer(position, choice_key, sequence, tutor=stored[0][0] is not None)
    return explain_unsaved(attempt_id, user, position, choice_key, now)


def explain_unsaved(
    attempt_id: int, user: AbstractBaseUser, position: int, choice_key: str, now: datetime
) -> StoredAnswer:
    """Why a save stored nothing: already stored (a success), or the error to answer."""
    item = (
        AttemptItem.objects.select_related("attempt")
        .only("position", "choice_keys", "chosen_key", "version", "attempt")
        .filter(attempt__pk=attempt_id, attempt__user=user, position=position)
        .first()
    )
    if item is None:
        Attempt.objects.for_user(user).get(pk=attempt_id)  # DoesNotExist: not theirs
        raise AttemptError(UNKNOWN_ITEM.format(position=position))
    current = StoredAnswer(position, item.chosen_key, item.version, tutor=item.attempt.is_tutor)
    if item.chosen_key == choice_key:
        return current
    check_open(item.attempt, now)
    if choice_key not in item.choice_keys:
        raise AttemptError(UNKNOWN_CHOICE)
    if item.attempt.is_tutor and item.chosen_key:
        raise AnswerFinal(ANSWER_FINAL, current=current)
    raise StaleSave(STALE_SAVE, current=current)


# A mark, like a save, is one statement; the attempt is read only when it stores nothing.
MARK_SQL = f"""
    UPDATE {AttemptItem._meta.db_table}
    SET marked = %(marked)s
    WHERE attempt_id IN (
        SELECT id FROM {Attempt._meta.db_table}
        WHERE id = %(attempt)s AND user_id = %(user)s
            AND status = %(in_progress)s AND deadline >= %(cutoff)s
    )
    AND position = %(position)s
    RETURNING position
"""  # noqa: S608 -- table names from the models; every value is a parameter


def write_item(
    sql: str, *, attempt_id: int, user: AbstractBaseUser, position: int, now: datetime, **values
) -> list[tuple]:
    """Run a one-statement write (``SAVE_ANSWER_SQL``, ``MARK_SQL``,
    ``strike_out.STRIKE_SQL``) on one item of the candidate's open attempt: the rows of its
    ``RETURNING`` clause, none when it wrote nothing. ``now`` is the write's time and, less
    the grace, the deadline it must be within."""
    if max(attempt_id, position) > MAX_DATABASE_INT:
        return []  # no such row
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "attempt": attempt_id,
                "user": user.pk,
                "in_progress": AttemptStatus.IN_PROGRESS.value,
                "now": connection.ops.adapt_datetimefield_value(now),
                "cutoff": connection.ops.adapt_datetimefield_value(now - SAVE_GRACE),
                "position": position,
                **values,
            },
        )
        return cursor.fetchall()


def set_marked(
    *,
    attempt_id: int,
    user: AbstractBaseUser,
    position: int,
    marked: bool,
    now: datetime | None = None,
) -> None:
    """Mark or unmark an item of the candidate's open attempt for review.
    ``Attempt.DoesNotExist`` when the attempt is not ``user``'s."""
    now = now or timezone.now()
    where = {"attempt_id": attempt_id, "user": user, "position": position, "now": now}
    if not write_item(MARK_SQL, **where, marked=marked):
        check_open(Attempt.objects.for_user(user).get(pk=attempt_id), now)
        raise AttemptError(UNKNOWN_ITEM.format(position=position))


def submit_attempt(
    *, attempt: Attempt, now: datetime | None = None, reason: str = FinishReason.SUBMITTED
) -> Attempt:
    """Grade and close the attempt. Idempotent: a second submit returns the first result."""
    with transaction.atomic():
        attempt = locked(attempt)
        if attempt.is_submitted:
            return attempt
        now = now or timezone.now()
        if now > attempt.deadline:
            reason = FinishReason.TIME_UP
        # Locked: a save already writing an item is waited for and graded; a later one finds
        # the item graded (see save_answer).
        items = list(
            attempt.items.select_for_update().only(
                "pk", "attempt_id", "topic_id", "domain", "correct_key", "chosen_key"
            )
        )
        result = grade(
            (GradedItem(i.topic_id, i.correct_key, i.chosen_key, i.domain) for i in items),
            pass_mark=attempt.pass_mark,
        )
        correct_ids = [i.pk for i in items if i.chosen_key and i.chosen_key == i.correct_key]
        attempt.items.update(
            is_correct=Case(When(pk__in=correct_ids, then=Value(True)), default=Value(False))
        )
        topic_results, domain_results = record_grade(attempt, result)
        AttemptTopicResult.objects.bulk_create(topic_results)
        AttemptDomainResult.objects.bulk_create(domain_results)
        attempt.status = AttemptStatus.SUBMITTED
        attempt.submitted_at = min(now, attempt.deadline)
        attempt.finish_reason = reason
        attempt.save()
        page_cache.bump_user(attempt.user_id)
    return attempt


def record_grade(
    attempt: Attempt, result: Grade
) -> tuple[list[AttemptTopicResult], list[AttemptDomainResult]]:
    """Copy a grade onto the attempt (unsaved) and return its per-topic and per-domain rows
    (unsaved): what a submit stores, in one place for the benchmark's seeding too."""
    attempt.correct_count = result.correct
    attempt.answered_count = result.answered
    attempt.score = result.score
    attempt.passed = result.passed
    # The tallies' fields are the rows' columns.
    topics = [AttemptTopicResult(attempt=attempt, **asdict(t)) for t in result.topics]
    domains = [AttemptDomainResult(attempt=attempt, **asdict(d)) for d in result.domains]
    return topics, domains


def finalize_if_overdue(attempt: Attempt, *, now: datetime | None = None) -> bool:
    """Submit an attempt whose time has run out; True when it is (now) closed."""
    now = now or timezone.now()
    if attempt.is_submitted:
        return True
    if now <= attempt.deadline + SAVE_GRACE:
        return False
    submit_attempt(attempt=attempt, now=now, reason=FinishReason.TIME_UP)
    return True


def close_overdue_attempts(*, now: datetime | None = None) -> int:
    """Finalize every attempt past its deadline (and grace). Returns how many it closed."""
    now = now or timezone.now()
    overdue = list(Attempt.objects.overdue(now - SAVE_GRACE).only("pk"))
    for attempt in overdue:
        submit_attempt(attempt=attempt, now=now, reason=FinishReason.TIME_UP)
    return len(overdue)


def report_question(
    *, attempt: Attempt, position: int, reason: str, comment: str
) -> QuestionReport:
    """Record a candidate's report on one item of their submitted attempt (once per item)."""
    if not attempt.is_submitted:
        raise AttemptError(REPORT_BEFORE_SUBMIT)
    item = item_at(attempt, position)
    if item.question_id is None:
        raise AttemptError(UNKNOWN_ITEM.format(position=position))
    try:
        with transaction.atomic():
            return QuestionReport.objects.create(
                question_id=item.question_id,
                attempt_item=item,
                reporter=attempt.user,
                reason=reason,
                comment=comment,
            )
    except IntegrityError:
        raise AttemptError(ALREADY_REPORTED) from None
