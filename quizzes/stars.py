"""Starred questions: a candidate stars a question to practice it again, and unstars it.

A star is set through an item of one of the candidate's own attempts, so that the question
is always one they were shown and its id never comes from the browser; it is removed
through that item too, or from the starred list by the star's own question (only ever the
candidate's own star). Both are idempotent: starring twice keeps one star, removing a star
that is not there changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser

from crss_prep import page_cache

from .attempt_errors import AttemptError
from .models import Attempt, AttemptItem, StarredQuestion, Status
from .practice import (
    MAX_ITEMS,
    PracticeRequest,
    QuestionChoice,
    start_practice,
)
from .rendering import plain_excerpt

STEM_START_CHARS = 140

QUESTION_GONE = "This question is no longer in the bank, so it cannot be starred."
NOTHING_STARRED = (
    "None of your starred questions can be practiced now: star questions from a result page "
    "or a tutor session first."
)


@dataclass(frozen=True)
class StarState:
    """An item's question after a star or unstar."""

    position: int
    starred: bool


@dataclass(frozen=True)
class StarredEntry:
    """One line of the starred list."""

    question_id: int
    stem_start: str
    topic_title: str
    starred_at: datetime
    in_practice: bool  # published: "Practice these" can draw it


def set_item_star(*, attempt: Attempt, position: int, starred: bool) -> StarState:
    """Star (or unstar) the question of item ``position`` for the attempt's own candidate.

    The caller has checked that ``attempt`` belongs to the signed-in candidate.
    ``AttemptItem.DoesNotExist`` when there is no such item; ``AttemptError`` when the item's
    question has since been deleted."""
    rows = list(attempt.items.filter(position=position).values_list("question_id", flat=True))
    if not rows:
        raise AttemptItem.DoesNotExist
    question_id = rows[0]
    if question_id is None:
        raise AttemptError(QUESTION_GONE)
    if starred:
        # get_or_create retries the read when a concurrent star won the unique constraint.
        StarredQuestion.objects.get_or_create(user_id=attempt.user_id, question_id=question_id)
    else:
        StarredQuestion.objects.filter(user_id=attempt.user_id, question_id=question_id).delete()
    page_cache.bump(page_cache.stars(attempt.user_id))
    return StarState(position=position, starred=starred)


def unstar(*, user: AbstractBaseUser, question_id: int) -> bool:
    """Remove the candidate's star on ``question_id``; whether there was one."""
    deleted, _ = StarredQuestion.objects.filter(user=user, question_id=question_id).delete()
    page_cache.bump(page_cache.stars(user.pk))
    return bool(deleted)


def starred_positions(attempt: Attempt) -> frozenset[int]:
    """The positions of ``attempt``'s items whose question its candidate has starred (one
    query): what a page showing several items passes to the star buttons."""
    starred = StarredQuestion.objects.filter(user_id=attempt.user_id).values("question_id")
    return frozenset(
        attempt.items.filter(question_id__in=starred).values_list("position", flat=True)
    )


def starred_entries(user: AbstractBaseUser) -> list[StarredEntry]:
    """The candidate's starred questions, most recently starred first (one query)."""
    stars = (
        StarredQuestion.objects.filter(user=user)
        .select_related("question__topic")
        .order_by("-created_at", "-pk")
    )
    return [
        StarredEntry(
            question_id=star.question_id,
            stem_start=plain_excerpt(star.question.stem, length=STEM_START_CHARS),
            topic_title=star.question.topic.title,
            starred_at=star.created_at,
            in_practice=star.question.status == Status.PUBLISHED,
        )
        for star in stars
    ]


def practice_starred(
    *, user: AbstractBaseUser, now: datetime | None = None, start_token: UUID | None = None
) -> Attempt:
    """An untimed practice session of the candidate's starred questions (at most
    ``MAX_ITEMS``), or ``AttemptError`` when none of them can be drawn."""
    request = PracticeRequest(count=MAX_ITEMS, which=QuestionChoice.STARRED, fewer_is_fine=True)
    return start_practice(
        user=user,
        request=request,
        now=now,
        nothing_matches=NOTHING_STARRED,
        start_token=start_token,
    )
