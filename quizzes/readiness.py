"""Mastery per topic and the estimated chance to pass a full mock. Pure: no database.

Model: each topic's accuracy is uncertain; with ``c`` correct of ``n`` recent answers its
posterior is Beta(1 + c, 1 + n - c). A full mock mixes topics with fixed weights, so the
expected share correct is the weighted mean of the topic means, and its uncertainty the
weighted sum of the topic variances. A 100-item exam adds binomial noise on top. The chance
to pass is a normal approximation of that score reaching the pass mark; the likely range is
the same chance at the 10th and 90th percentile of the candidate's underlying accuracy, so
it narrows as answers accumulate.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .scoring import TopicTally  # the per-topic tally stored at submit; re-exported here

RECENT_ANSWERS = 50  # mastery looks at about this many of the latest answers per topic
MIN_ANSWERS = 40  # below this, we say how many more are needed instead of a number
MOCK_ITEMS = 100
Z_80 = 1.2816  # the 10th/90th percentiles of a standard normal


@dataclass(frozen=True)
class Mastery:
    topic_id: int
    correct: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.correct / self.total) if self.total else None


@dataclass(frozen=True)
class Readiness:
    answers: int
    needed: int  # answers still needed before an estimate is shown (0 once shown)
    chance: int | None = None  # percent
    low: int | None = None
    high: int | None = None

    @property
    def is_estimated(self) -> bool:
        return self.chance is not None


def recent_mastery(
    tallies_newest_first: Iterable[TopicTally], *, window: int = RECENT_ANSWERS
) -> dict[int, Mastery]:
    """Accuracy per topic over its latest attempts, stopping once ``window`` answers are in."""
    sums: dict[int, list[int]] = {}
    for tally in tallies_newest_first:
        correct, total = sums.setdefault(tally.topic_id, [0, 0])
        if total >= window:
            continue
        sums[tally.topic_id] = [correct + tally.correct, total + tally.total]
    return {t: Mastery(t, c, n) for t, (c, n) in sums.items()}


def normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def pass_chance(mean: float, posterior_variance: float, pass_mark: int, items: int) -> float:
    """P(score >= pass mark) for an ``items``-item exam, normal approximation."""
    sampling_variance = mean * (1 - mean) / items
    sd = math.sqrt(posterior_variance + sampling_variance) or 1e-9
    threshold = (pass_mark * items / 100 - 0.5) / items  # continuity correction
    return 1 - normal_cdf((threshold - mean) / sd)


def estimate_readiness(
    mastery: dict[int, Mastery],
    weights: dict[int, float],
    *,
    pass_mark: int,
    items: int = MOCK_ITEMS,
    min_answers: int = MIN_ANSWERS,
) -> Readiness:
    """The chance of scoring at least ``pass_mark`` on a full mock weighted by ``weights``."""
    answers = sum(m.total for t, m in mastery.items() if t in weights)
    if answers < min_answers or not weights:
        return Readiness(answers=answers, needed=max(1, min_answers - answers))
    total_weight = sum(weights.values())
    mean = variance = 0.0
    for topic_id, weight in weights.items():
        share = weight / total_weight
        found = mastery.get(topic_id, Mastery(topic_id, 0, 0))
        alpha, beta = 1 + found.correct, 1 + found.total - found.correct
        topic_mean = alpha / (alpha + beta)
        topic_variance = alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1))
        mean += share * topic_mean
        variance += share**2 * topic_variance
    spread = Z_80 * math.sqrt(variance)
    low_mean, high_mean = max(0.0, mean - spread), min(1.0, mean + spread)
    return Readiness(
        answers=answers,
        needed=0,
        chance=round(100 * pass_chance(mean, variance, pass_mark, items)),
        low=round(100 * pass_chance(low_mean, 0.0, pass_mark, items)),
        high=round(100 * pass_chance(high_mean, 0.0, pass_mark, items)),
    )
