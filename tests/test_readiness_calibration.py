"""Readiness is calibrated: the stated chance to pass is the pass rate candidates get.

Simulated candidates with known per-topic accuracy practice through the real services
(mini mocks, topic drills, full mocks, some items left blank, now and then a mock abandoned
after a few items); their readiness is read as the history page reads it; then each takes
fresh full mocks, also through the services, and passes or not. Predictions are grouped in
deciles (tenths of the candidates' mocks, ordered by predicted chance) and compared with the
pass rate observed in each. The figures are printed with the test's output.

A decile's observed rate is itself noisy (a few dozen mocks per decile), so a decile is held
to the 10-point limit only when it has enough mocks for that rate to be known within
``MAX_OBSERVED_SE`` points; the deciles between 20 % and 80 % are also held to it together.
Everything is seeded: the same run on every machine and database.
"""

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from quizzes.demo_history import take_exam
from quizzes.progress import progress_for
from tests.factories import make_exam, make_question, make_topic, make_user

pytestmark = pytest.mark.django_db

SEED = 2026
CANDIDATES = 240
FRESH_MOCKS = 3  # per candidate: 720 fresh full mocks
TOPIC_SIZES = (30, 50, 40, 45, 35)  # questions per topic: the full mock weights topics by size
ABILITY = (0.45, 0.92)  # a candidate's typical accuracy, drawn uniformly
TOPIC_SPREAD = 0.08  # how far a topic's accuracy strays from the candidate's typical one
MAX_DECILE_ERROR = 10  # points
MAX_OBSERVED_SE = 4.0  # points: a decile with a noisier observed rate is reported, not held

# What a candidate does before readiness is read: (exam kind, share of items left blank).
PRACTICE_PLANS = (
    (("mini", 0.0), ("mini", 0.1)),
    (("mini", 0.0), ("drill", 0.0), ("drill", 0.15)),
    (("full", 0.05),),
    (("drill", 0.0), ("drill", 0.0), ("drill", 0.1)),
    (("mini", 0.8), ("mini", 0.0), ("drill", 0.0), ("drill", 0.0)),  # one abandoned early
    (("full", 0.7), ("mini", 0.0), ("mini", 0.0)),  # a full mock left mostly blank
)


@dataclass(frozen=True)
class Outcome:
    predicted: float  # the stated chance to pass, 0-1
    passed: bool
    score: int
    score_low: int
    score_high: int


@dataclass(frozen=True)
class Decile:
    mocks: int
    predicted: float  # mean, percent
    observed: float  # percent

    @property
    def error(self) -> float:
        return self.predicted - self.observed

    @property
    def observed_se(self) -> float:
        """The standard error of the observed rate, in points, if the prediction is right."""
        p = min(max(self.predicted / 100, 0.01), 0.99)
        return 100 * math.sqrt(p * (1 - p) / self.mocks)


class Pool:
    def __init__(self):
        self.topics = []
        for size in TOPIC_SIZES:
            topic = make_topic()
            for n in range(size):
                make_question(topic, correct="abcd"[n % 4])
            self.topics.append(topic)
        self.exams = {
            "full": make_exam(items=100, minutes=120, slug="sim-full"),
            "mini": make_exam(items=25, minutes=30, slug="sim-mini"),
        }
        self.drills = [make_exam(items=20, minutes=24, topics={t: 1}) for t in self.topics]

    def exam(self, kind: str, rng: random.Random):
        return rng.choice(self.drills) if kind == "drill" else self.exams[kind]


class Candidate:
    def __init__(self, pool: Pool, rng: random.Random, start: datetime):
        self.user = make_user()
        self.rng = rng
        self.clock = start
        typical = rng.uniform(*ABILITY)
        self.accuracy = {
            t.pk: min(0.98, max(0.05, rng.gauss(typical, TOPIC_SPREAD))) for t in pool.topics
        }

    def take(self, exam, *, blank_share: float = 0.0):
        attempt = take_exam(
            self.user,
            exam,
            started=self.clock,
            accuracy=0.5,
            topic_accuracy=self.accuracy,
            blanks=round(blank_share * exam.item_count),
            rng=self.rng,
        )
        self.clock += timedelta(hours=3)
        return attempt


def simulate() -> list[Outcome]:
    rng = random.Random(SEED)
    pool = Pool()
    start = timezone.now() - timedelta(days=400)
    outcomes = []
    for _ in range(CANDIDATES):
        candidate = Candidate(pool, rng, start)
        for kind, blank_share in rng.choice(PRACTICE_PLANS):
            candidate.take(pool.exam(kind, rng), blank_share=blank_share)
        readiness = progress_for(candidate.user).readiness
        while not readiness.is_estimated:  # too many blanks: practice until it is shown
            candidate.take(pool.exams["mini"])
            readiness = progress_for(candidate.user).readiness
        for _ in range(FRESH_MOCKS):
            mock = candidate.take(pool.exams["full"])
            outcomes.append(
                Outcome(
                    readiness.chance / 100,
                    mock.passed,
                    mock.score,
                    readiness.score_low,
                    readiness.score_high,
                )
            )
    return outcomes


def deciles(outcomes: list[Outcome]) -> list[Decile]:
    ranked = sorted(outcomes, key=lambda o: o.predicted)
    made = []
    for n in range(10):
        group = ranked[len(ranked) * n // 10 : len(ranked) * (n + 1) // 10]
        made.append(
            Decile(
                mocks=len(group),
                predicted=100 * sum(o.predicted for o in group) / len(group),
                observed=100 * sum(o.passed for o in group) / len(group),
            )
        )
    return made


def report(outcomes: list[Outcome], groups: list[Decile], brier: float, reference: float) -> str:
    inside = sum(o.score_low <= o.score <= o.score_high for o in outcomes) / len(outcomes)
    lines = [
        "",
        f"readiness calibration: {CANDIDATES} simulated candidates, {len(outcomes)} fresh "
        f"full mocks through the services",
        f"  Brier score {brier:.3f} (always stating the overall pass rate: {reference:.3f})",
        f"  likely score range held the mock's score in {100 * inside:.0f} % of mocks "
        "(stated: the middle 80 %)",
        "  decile  mocks  predicted  observed  error  observed SE  held to 10 points",
    ]
    for number, group in enumerate(groups, start=1):
        held = "yes" if group.observed_se <= MAX_OBSERVED_SE else "no (too few mocks)"
        lines.append(
            f"  {number:>6}  {group.mocks:>5}  {group.predicted:>8.1f}%  {group.observed:>7.1f}%"
            f"  {group.error:>+5.1f}  {group.observed_se:>11.1f}  {held}"
        )
    return "\n".join(lines)


def test_readiness_states_the_pass_rate_simulated_candidates_get(capsys):
    outcomes = simulate()
    groups = deciles(outcomes)
    brier = sum((o.predicted - o.passed) ** 2 for o in outcomes) / len(outcomes)
    base_rate = sum(o.passed for o in outcomes) / len(outcomes)
    reference = base_rate * (1 - base_rate)
    with capsys.disabled():
        print(report(outcomes, groups, brier, reference))

    held = [g for g in groups if g.observed_se <= MAX_OBSERVED_SE]
    assert len(held) >= 4, "too few deciles with enough mocks to judge"
    assert all(abs(g.error) <= MAX_DECILE_ERROR for g in held), groups
    middle = [g for g in groups if 20 <= g.predicted <= 80]
    assert middle, "no decile between 20 % and 80 %: the simulation lacks uncertain candidates"
    pooled_predicted = sum(g.predicted * g.mocks for g in middle) / sum(g.mocks for g in middle)
    pooled_observed = sum(g.observed * g.mocks for g in middle) / sum(g.mocks for g in middle)
    assert abs(pooled_predicted - pooled_observed) <= MAX_DECILE_ERROR
    assert brier < 0.5 * reference  # far better than knowing only the overall pass rate
