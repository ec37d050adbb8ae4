"""Spaced review: when each question the candidate has answered is due again.

Nothing is stored: the schedule is recomputed from the answers themselves, so it survives
anything that keeps them (an edit, a restore, a change of these rules). Each answered item
of the candidate's submitted attempts is replayed in time order (the item's ``answered_at``,
or its attempt's ``submitted_at`` when that is missing) through FSRS, the memory model of
the ``fsrs`` package: right is ``Rating.Good``, wrong is ``Rating.Again``. A blank is not an
answer: it starts no schedule and moves none (as for mastery, see README).

The scheduler is built so that the same answers always give the same schedule:

- ``enable_fuzzing=False``: fuzzing spreads intervals with an unseeded random number, so a
  schedule recomputed on the next page view would move.
- ``learning_steps=()`` and ``relearning_steps=()``: steps re-show a card minutes later,
  which suits flashcards flipped in one sitting but not questions met in sessions days
  apart; without them every answer schedules whole days from the model's memory stability
  (a first wrong answer: the next day; a first right one: two days later).

A question is *due* when its due moment falls on or before the end of the current day in
the site's time zone: "due today". The intervals are whole days from the moment of the
answer, so a question missed yesterday afternoon is due from this morning.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from crss_prep import page_cache

from .attempt_errors import AttemptError
from .models import Attempt, AttemptItem, AttemptStatus, Question, StarredQuestion
from .practice import PracticeRequest, start_practice

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
SESSION_SIZE = 20  # questions in the one-click review session
CACHE_FORMAT = 1  # move when what the cache holds changes shape

NOTHING_DUE = "Nothing is due for review right now."
NOTHING_LEFT = (
    "The questions that were due for review are no longer in the question bank: nothing is "
    "left to review right now."
)


@dataclass(frozen=True, slots=True)
class Answer:
    """One answered item, as the schedule replays it."""

    question_id: int
    correct: bool
    at: datetime
    order: tuple[int, int]  # attempt id, position: ties broken the same way every time


@dataclass(frozen=True, slots=True)
class Scheduled:
    question_id: int
    due: datetime
    missed_last: bool  # the latest answer to it was wrong


@dataclass(frozen=True, slots=True)
class DueQuestion:
    question_id: int
    due: datetime
    missed_last: bool
    starred: bool


@dataclass(frozen=True)
class ReviewOutlook:
    """What home shows: the questions due today (missed and starred first, then the most
    overdue), and when the next one falls due when none is due today."""

    due: tuple[DueQuestion, ...]
    next_due: datetime | None

    @property
    def count(self) -> int:
        return len(self.due)

    @property
    def session_size(self) -> int:
        """How many the one-click review takes."""
        return min(len(self.due), SESSION_SIZE)

    @property
    def is_empty(self) -> bool:
        """Nothing scheduled at all (a new candidate, or only blanks and retired questions)."""
        return not self.due and self.next_due is None


def replay(answers: Iterable[Answer]) -> dict[int, Scheduled]:
    """Question id -> its schedule after every answer, replayed in time order (pure)."""
    cards: dict[int, Card] = {}
    missed: dict[int, bool] = {}
    for answer in sorted(answers, key=lambda a: (a.at, a.order)):
        card = cards.get(answer.question_id) or Card(card_id=answer.question_id)
        rating = Rating.Good if answer.correct else Rating.Again
        cards[answer.question_id], _ = SCHEDULER.review_card(
            card, rating, review_datetime=answer.at.astimezone(UTC)
        )
        missed[answer.question_id] = not answer.correct
    return {
        question_id: Scheduled(question_id, card.due, missed[question_id])
        for question_id, card in cards.items()
    }


def answers_of(user: AbstractBaseUser) -> list[Answer]:
    """The candidate's answered items of submitted attempts on published questions (one
    query)."""
    rows = (
        AttemptItem.objects.filter(
            attempt__user=user,
            attempt__status=AttemptStatus.SUBMITTED,
            question__in=Question.objects.published(),
            is_correct__isnull=False,
        )
        .exclude(chosen_key="")
        .values_list(
            "question_id",
            "is_correct",
            "answered_at",
            "attempt__submitted_at",
            "attempt_id",
            "position",
        )
        .order_by()
    )
    return [
        Answer(question_id, is_correct, answered_at or submitted_at, (attempt_id, position))
        for question_id, is_correct, answered_at, submitted_at, attempt_id, position in rows
    ]


def schedule_for(user: AbstractBaseUser) -> tuple[Scheduled, ...]:
    """Every published question the candidate has answered, with when it is due: kept until
    their attempts (a submit) or the content (a retire) change."""

    def compute() -> tuple[tuple[int, datetime, bool], ...]:
        # Plain tuples in the cache: they outlive a change to the classes above.
        return tuple(
            (s.question_id, s.due, s.missed_last) for s in replay(answers_of(user)).values()
        )

    part = page_cache.key(
        "review-schedule",
        versions=(page_cache.user(user.pk), page_cache.CONTENT),
        vary=(CACHE_FORMAT,),
    )
    return tuple(Scheduled(*row) for row in page_cache.cached(part, compute))


def end_of_day(now: datetime) -> datetime:
    """The last moment of ``now``'s day in the site's time zone."""
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time())) - timedelta(microseconds=1)


def review_outlook(user: AbstractBaseUser, now: datetime) -> ReviewOutlook:
    """The questions due today for ``user`` and, when there are none, the next due date. The
    schedule is cached; the comparison with ``now`` is not."""
    if not user.is_authenticated:
        return ReviewOutlook(due=(), next_due=None)
    schedule = schedule_for(user)
    cutoff = end_of_day(now)
    due = [s for s in schedule if s.due <= cutoff]
    if not due:
        return ReviewOutlook(due=(), next_due=min((s.due for s in schedule), default=None))
    starred = set(
        StarredQuestion.objects.filter(
            user=user, question_id__in=[s.question_id for s in due]
        ).values_list("question_id", flat=True)
    )
    ordered = sorted(
        (DueQuestion(s.question_id, s.due, s.missed_last, s.question_id in starred) for s in due),
        key=lambda d: (not d.missed_last, not d.starred, d.due, d.question_id),
    )
    return ReviewOutlook(due=tuple(ordered), next_due=None)


def due_questions(user: AbstractBaseUser, now: datetime) -> list[DueQuestion]:
    """The published questions due for review today: missed last time and starred first,
    then the most overdue."""
    return list(review_outlook(user, now).due)


def start_review(
    *,
    user: AbstractBaseUser,
    now: datetime | None = None,
    size: int = SESSION_SIZE,
    start_token: UUID | None = None,
) -> Attempt:
    """An untimed practice session of what is due (at most ``size``, in the order of
    ``due_questions``), or ``AttemptError`` saying why there is none."""
    now = now or timezone.now()
    wanted = tuple(due.question_id for due in due_questions(user, now)[:size])
    if not wanted:
        raise AttemptError(NOTHING_DUE)
    # A question retired since the schedule was cached drops out of the session.
    request = PracticeRequest(count=len(wanted), question_ids=wanted, fewer_is_fine=True)
    return start_practice(
        user=user, request=request, now=now, nothing_matches=NOTHING_LEFT, start_token=start_token
    )
