"""Pure grading: no database, no clock. Views and services call these with plain values."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class GradedItem:
    topic_id: int
    correct_key: str
    chosen_key: str  # "" when unanswered, which counts as wrong
    domain: str = ""  # the exam domain the question practices ("" for old records)

    @property
    def is_correct(self) -> bool:
        return bool(self.chosen_key) and self.chosen_key == self.correct_key

    @property
    def is_answered(self) -> bool:
        return bool(self.chosen_key)


@dataclass(frozen=True)
class TopicTally:
    """One topic's items of an attempt. The score counts a blank as wrong, as the real exam
    does; mastery learns only from ``answered`` (a blank says nothing about knowing)."""

    topic_id: int
    correct: int
    total: int
    answered: int


@dataclass(frozen=True)
class DomainTally:
    domain: str
    correct: int
    total: int
    answered: int


@dataclass(frozen=True)
class Grade:
    correct: int
    total: int
    answered: int
    score: int  # percent, rounded half up
    passed: bool
    topics: tuple[TopicTally, ...]
    domains: tuple[DomainTally, ...]


def score_percent(correct: int, total: int) -> int:
    """Percent correct, rounded half up (17 of 25 is 68)."""
    if total <= 0:
        return 0
    return (200 * correct + total) // (2 * total)


def has_passed(correct: int, total: int, pass_mark: int) -> bool:
    """Pass when the exact share correct reaches the pass mark (no rounding up to a pass)."""
    return total > 0 and 100 * correct >= pass_mark * total


def is_incomplete(answered: int, total: int) -> bool:
    """Fewer than half the items answered: the score stands, but it is no measure of the
    candidate (a mock abandoned after five items), so trends and mock figures leave it out."""
    return 2 * answered < total


def tally(items: list[GradedItem], key) -> list[tuple[object, int, int, int]]:
    """(key, correct, total, answered) per value of ``key(item)``, sorted by key."""
    sums: dict[object, list[int]] = {}
    for item in items:
        counts = sums.setdefault(key(item), [0, 0, 0])
        counts[0] += item.is_correct
        counts[1] += 1
        counts[2] += item.is_answered
    return [(k, *counts) for k, counts in sorted(sums.items())]


def grade(items: Iterable[GradedItem], *, pass_mark: int) -> Grade:
    """Grade an attempt: score, pass or fail, and correct/total/answered per topic and per
    domain."""
    items = list(items)
    correct = sum(item.is_correct for item in items)
    total = len(items)
    return Grade(
        correct=correct,
        total=total,
        answered=sum(item.is_answered for item in items),
        score=score_percent(correct, total),
        passed=has_passed(correct, total, pass_mark),
        topics=tuple(TopicTally(*row) for row in tally(items, lambda i: i.topic_id)),
        domains=tuple(
            DomainTally(*row) for row in tally([i for i in items if i.domain], lambda i: i.domain)
        ),
    )


def allocate_items(
    item_count: int, weights: dict[int, int], available: dict[int, int]
) -> dict[int, int]:
    """Split ``item_count`` across topics in proportion to ``weights`` (largest remainder),
    never taking more from a topic than it has; a shortfall moves to topics with room."""
    quotas = {topic: 0 for topic in weights if available.get(topic, 0) > 0}
    remaining = min(item_count, sum(available.get(t, 0) for t in quotas))
    while remaining > 0:
        open_topics = {t: weights[t] for t in quotas if quotas[t] < available[t]}
        total_weight = sum(open_topics.values())
        shares = {t: remaining * w / total_weight for t, w in open_topics.items()}
        given = 0
        for topic, share in shares.items():
            take = min(int(share), available[topic] - quotas[topic])
            quotas[topic] += take
            given += take
        remaining -= given
        if remaining > 0 and given == 0:
            # Hand out single items by largest remainder, ties broken by topic id.
            for topic in sorted(shares, key=lambda t: (-(shares[t] % 1), t))[:remaining]:
                quotas[topic] += 1
                remaining -= 1
    return {topic: count for topic, count in quotas.items() if count}
