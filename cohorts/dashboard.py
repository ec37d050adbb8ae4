"""A cohort at a glance: one row per learner, from the stored grades and topic tallies.

The whole table costs three queries whatever the cohort's size: one for the learners with
their attempt figures (aggregates and subqueries), one for every topic tally of their
submitted attempts and one for every domain tally; the topics and the reference mock come
from the cached bank summary. Mastery and readiness are then worked out per learner by the
same pure functions the candidate's own pages use.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from quizzes.bank_summary import DomainCoverage, bank_summary
from quizzes.models import (
    Attempt,
    AttemptDomainResult,
    AttemptKind,
    AttemptStatus,
    AttemptTopicResult,
    Exam,
    Topic,
    complete_q,
)
from quizzes.progress import DEFAULT_PASS_MARK
from quizzes.readiness import Evidence, Mastery, Readiness, estimate_readiness, recent_mastery

from .models import Cohort
from .periods import Period

AT_RISK_READINESS = 50  # percent: an estimated chance to pass below this is a risk
WEAK_MASTERY = 50  # percent: below this a topic is shown as weak, below the pass mark as fair

READINESS_REASON = "Readiness {chance} % (under {limit} %)"
MOCK_REASON = "Latest mock {score} % (pass mark {pass_mark} %)"


@dataclass(frozen=True)
class MasteryCell:
    topic: Topic
    mastery: Mastery | None
    band: str  # "strong", "fair", "weak" or "none": the cell's color class

    @property
    def label(self) -> str:
        return self.topic.title

    @property
    def percent(self) -> int | None:
        return self.mastery.percent if self.mastery else None


@dataclass(frozen=True)
class LearnerRow:
    learner: object  # the user
    attempts: int
    latest_mock: int | None
    latest_mock_pass_mark: int | None
    best_mock: int | None
    readiness: Readiness
    cells: tuple[MasteryCell, ...]
    domain_cells: tuple["DomainCell", ...]  # the domains the pool covers
    last_activity: datetime | None
    risk_reasons: tuple[str, ...]

    @property
    def at_risk(self) -> bool:
        return bool(self.risk_reasons)

    @property
    def name(self) -> str:
        return self.learner.get_full_name() or self.learner.get_username()

    def cell_for(self, topic_id: int) -> MasteryCell | None:
        return next((cell for cell in self.cells if cell.topic.pk == topic_id), None)

    def domain_cell_for(self, domain: str) -> "DomainCell | None":
        return next((cell for cell in self.domain_cells if cell.domain.domain == domain), None)


@dataclass(frozen=True)
class DomainCell:
    domain: DomainCoverage
    mastery: Mastery | None
    band: str

    @property
    def label(self) -> str:
        return self.domain.label

    @property
    def percent(self) -> int | None:
        return self.mastery.percent if self.mastery else None


@dataclass(frozen=True)
class CohortTable:
    topics: tuple[Topic, ...]
    domains: tuple[DomainCoverage, ...]  # all four; only covered ones get columns
    rows: tuple[LearnerRow, ...]
    pass_mark: int

    @property
    def covered_domains(self) -> tuple[DomainCoverage, ...]:
        return tuple(d for d in self.domains if d.covered)

    @property
    def uncovered_domains(self) -> tuple[DomainCoverage, ...]:
        return tuple(d for d in self.domains if not d.covered)


def mastery_band(percent: int | None, *, pass_mark: int) -> str:
    """The color class of a mastery cell: at or above the pass mark is strong."""
    if percent is None:
        return "none"
    if percent >= pass_mark:
        return "strong"
    if percent >= WEAK_MASTERY:
        return "fair"
    return "weak"


def mastery_cell(topic: Topic, mastery: Mastery | None, pass_mark: int) -> MasteryCell:
    percent = mastery.percent if mastery else None
    return MasteryCell(
        topic=topic, mastery=mastery, band=mastery_band(percent, pass_mark=pass_mark)
    )


def risk_reasons(
    readiness: Readiness, latest_mock: int | None, latest_mock_pass_mark: int | None
) -> tuple[str, ...]:
    """Why a learner is at risk of failing (empty when they are not): readiness under 50 %,
    or a latest mock under its pass mark."""
    reasons = []
    if readiness.is_estimated and readiness.chance < AT_RISK_READINESS:
        reasons.append(READINESS_REASON.format(chance=readiness.chance, limit=AT_RISK_READINESS))
    mock_known = latest_mock is not None and latest_mock_pass_mark is not None
    if mock_known and latest_mock < latest_mock_pass_mark:
        reasons.append(MOCK_REASON.format(score=latest_mock, pass_mark=latest_mock_pass_mark))
    return tuple(reasons)


def learners_with_figures(cohort: Cohort, period: Period) -> QuerySet:
    """The cohort's members, each annotated with their attempt figures in the period."""
    in_period = period.attempts_q("attempts__")
    # A mock left mostly blank is listed on the learner's page but is no measure of them.
    submitted_mock = complete_q("attempts__") & Q(
        attempts__exam__in=Exam.objects.mocks().values("pk")
    )
    latest_mock = (
        Attempt.objects.complete()
        .filter(period.attempts_q(), user=OuterRef("pk"), exam__in=Exam.objects.mocks())
        .order_by("-submitted_at", "-pk")
    )
    return (
        get_user_model()
        .objects.filter(cohort_memberships__cohort=cohort)
        .annotate(
            attempt_count=Count("attempts", filter=in_period),
            last_started=Max("attempts__started_at", filter=in_period),
            last_submitted=Max("attempts__submitted_at", filter=in_period),
            best_mock=Max("attempts__score", filter=in_period & submitted_mock),
            latest_mock=Subquery(latest_mock.values("score")[:1]),
            latest_mock_pass_mark=Subquery(latest_mock.values("pass_mark")[:1]),
        )
        .order_by("username")
    )


def tallies_by_learner(
    cohort: Cohort, period: Period, results=AttemptTopicResult, key: str = "topic_id"
) -> dict[int, list[Evidence]]:
    """Every stored topic tally (or domain tally: ``AttemptDomainResult``, ``"domain"``) of the
    members' submitted attempts, newest first per learner."""
    rows = (
        results.objects.filter(
            period.attempts_q("attempt__"),
            attempt__user__cohort_memberships__cohort=cohort,
            attempt__status=AttemptStatus.SUBMITTED,
        )
        .order_by("attempt__user_id", "-attempt__submitted_at", "-attempt_id")
        .values_list("attempt__user_id", key, "correct", "answered", "attempt__kind")
    )
    tallies: dict[int, list[Evidence]] = defaultdict(list)
    for user_id, value, correct, answered, kind in rows:
        tallies[user_id].append(Evidence(value, correct, answered, kind == AttemptKind.TUTOR))
    return tallies


def latest_of(*moments: datetime | None) -> datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def build_rows(
    learners: Iterable,
    tallies: dict[int, list[Evidence]],
    domain_tallies: dict[int, list[Evidence]],
    *,
    topics: tuple[Topic, ...],
    domains: tuple[DomainCoverage, ...],
    weights: dict[int, float],
    pass_mark: int,
) -> tuple[LearnerRow, ...]:
    """Learner rows from annotated learners and their tallies: no database access."""
    rows = []
    for learner in learners:
        mastery = recent_mastery(tallies.get(learner.pk, []))
        # Readiness leaves out tutor sessions, as the learner's own pages do.
        without_tutor = recent_mastery(tallies.get(learner.pk, []), include_tutor=False)
        readiness = estimate_readiness(without_tutor, weights, pass_mark=pass_mark)
        cells = tuple(mastery_cell(topic, mastery.get(topic.pk), pass_mark) for topic in topics)
        by_domain = recent_mastery(domain_tallies.get(learner.pk, []))
        domain_cells = tuple(
            DomainCell(
                domain=domain,
                mastery=by_domain.get(domain.domain),
                band=mastery_band(
                    by_domain[domain.domain].percent if domain.domain in by_domain else None,
                    pass_mark=pass_mark,
                ),
            )
            for domain in domains
            if domain.covered
        )
        rows.append(
            LearnerRow(
                learner=learner,
                attempts=learner.attempt_count,
                latest_mock=learner.latest_mock,
                latest_mock_pass_mark=learner.latest_mock_pass_mark,
                best_mock=learner.best_mock,
                readiness=readiness,
                cells=cells,
                domain_cells=domain_cells,
                last_activity=latest_of(learner.last_started, learner.last_submitted),
                risk_reasons=risk_reasons(
                    readiness, learner.latest_mock, learner.latest_mock_pass_mark
                ),
            )
        )
    return tuple(rows)


def cohort_table(cohort: Cohort, *, period: Period | None = None) -> CohortTable:
    """The dashboard's content for ``cohort`` (which the caller has scoped to the lead)."""
    period = period or Period()
    bank = bank_summary()
    topics = tuple(bank.topics)
    exam, weights = bank.reference_mock, bank.mock_weights
    pass_mark = exam.pass_mark if exam else DEFAULT_PASS_MARK
    rows = build_rows(
        learners_with_figures(cohort, period),
        tallies_by_learner(cohort, period),
        tallies_by_learner(cohort, period, AttemptDomainResult, "domain"),
        topics=topics,
        domains=bank.domains,
        weights=weights,
        pass_mark=pass_mark,
    )
    return CohortTable(topics=topics, domains=bank.domains, rows=rows, pass_mark=pass_mark)
