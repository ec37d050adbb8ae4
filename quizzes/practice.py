"""Practice sessions the candidate builds: which topics or exam domains, how many items,
timed at the real exam's pace or untimed, which questions, and tutor mode (the answer and
why after each item instead of at the end).

A session is an ``Attempt`` without an exam (``kind`` practice or tutor), so it is taken,
saved, resumed, closed and graded by the exam loop like any other. It is never a mock: the
score trend, readiness and a lead's mock figures leave it out.
"""

import random
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, models
from django.utils import timezone

from .attempt_errors import AttemptError
from .drawing import questions_in_order, seen_question_ids
from .models import (
    Attempt,
    AttemptItem,
    AttemptKind,
    AttemptStatus,
    Question,
    StarredQuestion,
    Topic,
)
from .progress import DEFAULT_PASS_MARK
from .question_rules import Domain
from .services import create_attempt

MIN_ITEMS = 5
MAX_ITEMS = 100
MINUTES_PER_ITEM = 1.2  # the real exam's pace: 150 minutes for 125 items
TITLE_CHARS = 200  # Attempt.exam_title

NOTHING_MATCHES = (
    "No question matches these choices yet. Choose other topics or domains, or "
    "\u201cAny question\u201d."
)
TOO_FEW_MATCH = (
    "Only {available} question{s} match{es} these choices: ask for {available} item{s} or "
    "fewer, or widen the choice."
)


class QuestionChoice(models.TextChoices):
    """Which questions a session draws from."""

    ANY = "any", "Any question (ones you have not seen first)"
    UNSEEN = "unseen", "Only questions you have not seen yet"
    MISSED = "missed", "Questions you have answered wrong before"
    STARRED = "starred", "Your starred questions"


IN_TITLE = {
    QuestionChoice.UNSEEN: "not seen yet",
    QuestionChoice.MISSED: "missed before",
    QuestionChoice.STARRED: "starred",
}


@dataclass(frozen=True)
class PracticeRequest:
    """What the candidate asked for. No topics and no domains means every topic; topics and
    domains together mean the questions of either."""

    count: int = 10
    topic_ids: frozenset[int] = field(default_factory=frozenset)
    domains: frozenset[Domain] = field(default_factory=frozenset)
    which: QuestionChoice = QuestionChoice.ANY
    timed: bool = False
    tutor: bool = False
    # A list made elsewhere (the review that is due): exactly these, in this order, as far
    # as they are still published; the choices above are then ignored.
    question_ids: tuple[int, ...] = ()
    # Take as many as match, up to ``count``, instead of refusing a short pool: the
    # one-click sessions (the review that is due, the starred list) ask for "all of these".
    fewer_is_fine: bool = False

    @property
    def minutes(self) -> float | None:
        return self.count * MINUTES_PER_ITEM if self.timed else None


def matching_question_ids(user: AbstractBaseUser, request: PracticeRequest) -> list[int]:
    """The published questions the request may draw, in the order they are drawn: questions
    missed most recently first; otherwise shuffled later by the caller."""
    published = Question.objects.published().filter(choices__is_correct=True)
    if request.question_ids:
        allowed = set(published.filter(pk__in=request.question_ids).values_list("pk", flat=True))
        return [pk for pk in dict.fromkeys(request.question_ids) if pk in allowed]
    if request.topic_ids or request.domains:
        published = published.filter(
            models.Q(topic_id__in=request.topic_ids) | models.Q(domain__in=request.domains)
        )
    ids = list(published.order_by("pk").values_list("pk", flat=True))
    if request.which == QuestionChoice.UNSEEN:
        seen = seen_question_ids(user)
        return [pk for pk in ids if pk not in seen]
    if request.which == QuestionChoice.MISSED:
        allowed = set(ids)
        return [pk for pk in missed_question_ids(user) if pk in allowed]
    if request.which == QuestionChoice.STARRED:
        starred = set(
            StarredQuestion.objects.filter(user=user).values_list("question_id", flat=True)
        )
        return [pk for pk in ids if pk in starred]
    return ids


def missed_question_ids(user: AbstractBaseUser) -> list[int]:
    """Questions the candidate answered wrong in a finished session, most recent first (a
    blank is not an answer)."""
    rows = (
        AttemptItem.objects.filter(
            attempt__user=user,
            attempt__status=AttemptStatus.SUBMITTED,
            question__isnull=False,
            is_correct=False,
        )
        .exclude(chosen_key="")
        .order_by("-attempt__submitted_at", "-attempt_id")
        .values_list("question_id", flat=True)
    )
    return list(dict.fromkeys(rows))


def choose(
    user: AbstractBaseUser, request: PracticeRequest, ids: list[int], rng: random.Random
) -> list[int]:
    """``request.count`` of ``ids``: the most recently missed when practicing mistakes;
    otherwise at random, questions not seen yet first."""
    if request.question_ids:
        return ids[: request.count]
    if request.which == QuestionChoice.MISSED:
        chosen = ids[: request.count]
    else:
        ids = list(ids)
        rng.shuffle(ids)
        if request.which == QuestionChoice.ANY:
            seen = seen_question_ids(user)
            ids.sort(key=lambda pk: pk in seen)  # stable: still shuffled within each group
        chosen = ids[: request.count]
    rng.shuffle(chosen)
    return chosen


def session_title(request: PracticeRequest) -> str:
    """ "Tutor session: Boundaries, Advocacy (10 items)": what it drew from, as chosen."""
    kind = "Tutor session" if request.tutor else "Practice"
    if request.question_ids:
        scope = "review"
    else:
        names = sorted(
            Topic.objects.filter(pk__in=request.topic_ids).values_list("title", flat=True)
        )
        names += sorted(Domain(domain).label for domain in request.domains)
        scope = ", ".join(names) or "all topics"
    if request.which in IN_TITLE and not request.question_ids:
        scope += f", {IN_TITLE[request.which]}"
    title = f"{kind}: {scope}"
    suffix = f" ({request.count} items)"
    return title[: TITLE_CHARS - len(suffix)] + suffix


def start_practice(
    *,
    user: AbstractBaseUser,
    request: PracticeRequest,
    now: datetime | None = None,
    seed: int | None = None,
    nothing_matches: str = NOTHING_MATCHES,
    start_token: UUID | None = None,
) -> Attempt:
    """A new session as asked, or ``AttemptError`` saying how many questions there are
    (``nothing_matches`` when there is none).

    ``start_token`` is the start form's (``quizzes.start_tokens``): when it already started
    a session still in progress, the form was sent twice, and that session is the answer.
    (One already finished means a form sent again from the browser's history: a new
    session, without the token.)"""
    started = None
    if start_token is not None:
        started = Attempt.objects.for_user(user).filter(start_token=start_token).first()
    if started is not None:
        if not started.is_submitted:
            return started
        start_token = None
    ids = matching_question_ids(user, request)
    if not ids:
        raise AttemptError(nothing_matches)
    if len(ids) < request.count and request.fewer_is_fine:
        request = replace(request, count=len(ids))
    elif len(ids) < request.count:
        one = len(ids) == 1
        raise AttemptError(
            TOO_FEW_MATCH.format(available=len(ids), s="" if one else "s", es="es" if one else "")
        )
    rng = random.Random(seed)
    try:
        return create_attempt(
            user=user,
            questions=questions_in_order(choose(user, request, ids, rng)),
            rng=rng,
            now=now or timezone.now(),
            title=session_title(request),
            pass_mark=DEFAULT_PASS_MARK,
            minutes=request.minutes,
            kind=AttemptKind.TUTOR if request.tutor else AttemptKind.PRACTICE,
            start_token=start_token,
        )
    except IntegrityError:
        if start_token is None:
            raise
        # The same form, sent twice at once: the other request started the session.
        return Attempt.objects.for_user(user).get(start_token=start_token)
