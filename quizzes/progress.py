"""A candidate's progress, read from the tallies stored at submit: mastery, readiness,
weakest topics, past mistakes. Queries live here; the arithmetic is in ``readiness``."""

from dataclasses import dataclass

from .bank_summary import bank_summary
from .models import (
    AttemptItem,
    AttemptStatus,
    AttemptTopicResult,
    Topic,
)
from .readiness import Mastery, Readiness, TopicTally, estimate_readiness, recent_mastery

DEFAULT_PASS_MARK = 68
LEITNER_STREAK = 2  # answered right this many times in a row: the item leaves the pool


def tallies_newest_first(user) -> list[TopicTally]:
    rows = (
        AttemptTopicResult.objects.filter(
            attempt__user=user, attempt__status=AttemptStatus.SUBMITTED
        )
        .order_by("-attempt__submitted_at", "-attempt_id")
        .values_list("topic_id", "correct", "total")
    )
    return [TopicTally(*row) for row in rows]


def mastery_for(user) -> dict[int, Mastery]:
    return recent_mastery(tallies_newest_first(user))


@dataclass(frozen=True)
class Progress:
    mastery: dict[int, Mastery]
    readiness: Readiness
    pass_mark: int


def progress_for(user) -> Progress:
    """Mastery per topic (one query) and the readiness estimate."""
    mastery = mastery_for(user)
    bank = bank_summary()
    exam = bank.reference_mock
    pass_mark = exam.pass_mark if exam else DEFAULT_PASS_MARK
    readiness = estimate_readiness(mastery, bank.mock_weights, pass_mark=pass_mark)
    return Progress(mastery=mastery, readiness=readiness, pass_mark=pass_mark)


def weakness(mastery: Mastery | None) -> float:
    """Posterior mean accuracy: an unpractised topic sits at 0.5, below it is weaker."""
    correct, total = (mastery.correct, mastery.total) if mastery else (0, 0)
    return (1 + correct) / (2 + total)


def weakest_topic_ids(
    mastery: dict[int, Mastery], topic_ids: list[int], count: int = 2
) -> list[int]:
    return sorted(topic_ids, key=lambda t: (weakness(mastery.get(t)), t))[:count]


def practised_topics_by_weakness(mastery: dict[int, Mastery]) -> list[Topic]:
    topics = Topic.objects.in_bulk(list(mastery))
    return [topics[t] for t in weakest_topic_ids(mastery, list(topics), count=len(topics))]


def mistake_pool(user) -> list[int]:
    """Question ids to retake, Leitner style: every question answered wrong that has not since
    been answered right twice in a row; the most recently missed come first."""
    history = (
        AttemptItem.objects.filter(
            attempt__user=user,
            attempt__status=AttemptStatus.SUBMITTED,
            question__isnull=False,
        )
        .order_by("attempt__submitted_at", "attempt_id", "position")
        .values_list("question_id", "is_correct")
    )
    streak: dict[int, int] = {}
    last_missed: dict[int, int] = {}
    for order, (question_id, is_correct) in enumerate(history):
        if is_correct:
            streak[question_id] = streak.get(question_id, 0) + 1
        else:
            streak[question_id] = 0
            last_missed[question_id] = order
    pool = [q for q in last_missed if streak[q] < LEITNER_STREAK]
    # Missed last time first (streak 0), then by how recently they were missed.
    return sorted(pool, key=lambda q: (streak[q], -last_missed[q]))
