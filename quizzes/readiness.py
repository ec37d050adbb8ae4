"""Mastery per topic (or domain) and the estimated chance to pass a full mock. Pure: no
database.

Only answered items are evidence: a blank says nothing about what the candidate knows (the
score still counts it as wrong, as the real exam does).

Model: the candidate's overall accuracy is uncertain, Beta(1 + C, 1 + N - C) over all ``N``
recent answers with ``C`` right. Each topic's accuracy starts from that overall accuracy,
worth ``TOPIC_PRIOR_ANSWERS`` answers, and learns from the topic's own answers: a topic with
few answers is taken to be like the candidate's others, not like a coin toss. A full mock mixes
topics with fixed weights, so its expected share correct is the weighted mean of the topic
means; its uncertainty is the topics' own plus the overall accuracy's, which every topic
shares. A 100-item exam adds sampling noise on top. The chance to pass is the normal
approximation of that score reaching the pass mark, and the likely range is the middle 80 %
of the predicted score. ``tests/test_readiness_calibration.py`` checks the chance against the
pass rate of simulated candidates on fresh mocks.
"""

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

RECENT_ANSWERS = 50  # mastery looks at about this many of the latest answers per topic
MIN_ANSWERS = 40  # below this, we say how many more are needed instead of a number
MOCK_ITEMS = 100
TOPIC_PRIOR_ANSWERS = 20  # how much a topic's estimate leans on the candidate's other topics
Z_80 = 1.2816  # the 10th/90th percentiles of a standard normal


@dataclass(frozen=True)
class Evidence:
    """One attempt's answers in one topic or domain (``key``): right and answered."""

    key: Hashable
    correct: int
    answered: int
    tutor: bool = False  # from a tutor session: mastery, never readiness (see recent_mastery)


@dataclass(frozen=True)
class Mastery:
    key: Hashable  # a topic id or a domain
    correct: int
    total: int  # answered items counted; blanks never are

    @property
    def percent(self) -> int | None:
        return round(100 * self.correct / self.total) if self.total else None


@dataclass(frozen=True)
class Readiness:
    answers: int  # answered items the estimate rests on
    needed: int  # answers still needed before an estimate is shown (0 once shown)
    chance: int | None = None  # percent chance to pass a full mock
    score: int | None = None  # the expected mock score, percent
    score_low: int | None = None  # the middle 80 % of the predicted mock score
    score_high: int | None = None

    @property
    def is_estimated(self) -> bool:
        return self.chance is not None


def recent_mastery(
    evidence_newest_first: Iterable[Evidence],
    *,
    window: int = RECENT_ANSWERS,
    include_tutor: bool = True,
) -> dict[Hashable, Mastery]:
    """Accuracy per key over its latest attempts, stopping once ``window`` answers are in.

    ``include_tutor=False`` leaves out tutor sessions, for readiness: answers given with the
    feedback of the previous ones fresh in mind say less about a mock than the mastery they
    still show."""
    sums: dict[Hashable, list[int]] = {}
    for row in evidence_newest_first:
        if row.tutor and not include_tutor:
            continue
        correct, answered = sums.setdefault(row.key, [0, 0])
        if answered >= window or not row.answered:
            continue
        sums[row.key] = [correct + row.correct, answered + row.answered]
    return {key: Mastery(key, c, n) for key, (c, n) in sums.items() if n}


def normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def beta_moments(alpha: float, beta: float) -> tuple[float, float]:
    total = alpha + beta
    return alpha / total, alpha * beta / (total**2 * (total + 1))


def mock_accuracy(
    mastery: dict[Hashable, Mastery], weights: dict[Hashable, float]
) -> tuple[float, float]:
    """The mean and variance of the candidate's accuracy over a mock weighted by ``weights``."""
    correct = sum(m.correct for key, m in mastery.items() if key in weights)
    answered = sum(m.total for key, m in mastery.items() if key in weights)
    overall, overall_variance = beta_moments(1 + correct, 1 + answered - correct)
    total_weight = sum(weights.values())
    mean = own_variance = shared = 0.0
    for key, weight in weights.items():
        share = weight / total_weight
        found = mastery.get(key, Mastery(key, 0, 0))
        alpha = TOPIC_PRIOR_ANSWERS * overall + found.correct
        beta = TOPIC_PRIOR_ANSWERS * (1 - overall) + found.total - found.correct
        topic_mean, topic_variance = beta_moments(alpha, beta)
        mean += share * topic_mean
        own_variance += share**2 * topic_variance
        # How much of this topic's estimate is the overall accuracy, whose error all share.
        shared += share * TOPIC_PRIOR_ANSWERS / (TOPIC_PRIOR_ANSWERS + found.total)
    return mean, own_variance + shared**2 * overall_variance


def estimate_readiness(
    mastery: dict[Hashable, Mastery],
    weights: dict[Hashable, float],
    *,
    pass_mark: int,
    items: int = MOCK_ITEMS,
    min_answers: int = MIN_ANSWERS,
) -> Readiness:
    """The chance of scoring at least ``pass_mark`` on a full mock weighted by ``weights``,
    and the likely range of that mock's score."""
    answers = sum(m.total for key, m in mastery.items() if key in weights)
    if answers < min_answers or not weights:
        return Readiness(answers=answers, needed=max(1, min_answers - answers))
    mean, variance = mock_accuracy(mastery, weights)
    sd = math.sqrt(variance + mean * (1 - mean) / items) or 1e-9
    threshold = (pass_mark * items / 100 - 0.5) / items  # continuity correction
    return Readiness(
        answers=answers,
        needed=0,
        chance=round(100 * (1 - normal_cdf((threshold - mean) / sd))),
        score=round(100 * mean),
        score_low=max(0, math.floor(100 * (mean - Z_80 * sd))),
        score_high=min(100, math.ceil(100 * (mean + Z_80 * sd))),
    )
