"""A candidate's progress, read from the tallies stored at submit: mastery, readiness,
weakest topics, past mistakes. Queries live here; the arithmetic is in ``readiness``."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from crss_prep import page_cache

from .bank_summary import BankSummary, bank_summary
from .models import (
    Attempt,
    AttemptDomainResult,
    AttemptItem,
    AttemptKind,
    AttemptStatus,
    AttemptTopicResult,
    Exam,
    Question,
    Selection,
    Topic,
)
from .readiness import Evidence, Mastery, Readiness, estimate_readiness, recent_mastery

DEFAULT_PASS_MARK = 68
LEITNER_STREAK = 2  # answered right this many times in a row: the item leaves the pool
RETAKABLE_CACHE_SECONDS = 60 * 60 * 24


def evidence_newest_first(user, results=AttemptTopicResult, key="topic_id") -> list[Evidence]:
    """The candidate's stored tallies (per topic, or per domain with ``AttemptDomainResult``
    and ``key="domain"``), newest attempt first, each saying if a tutor session gave it."""
    rows = (
        results.objects.filter(attempt__user=user, attempt__status=AttemptStatus.SUBMITTED)
        .order_by("-attempt__submitted_at", "-attempt_id")
        .values_list(key, "correct", "answered", "attempt__kind")
    )
    return [
        Evidence(value, correct, answered, tutor=kind == AttemptKind.TUTOR)
        for value, correct, answered, kind in rows
    ]


def topic_masteries(user) -> tuple[dict[int, Mastery], dict[int, Mastery]]:
    """Per topic: from every submitted tally (what topic pages, home and history show), and
    without the tutor sessions' (what readiness rests on). One query, kept until the
    candidate's attempts change (home, topics, history and a start all ask)."""

    def masteries() -> tuple[dict[int, Mastery], dict[int, Mastery]]:
        evidence = evidence_newest_first(user)
        return recent_mastery(evidence), recent_mastery(evidence, include_tutor=False)

    return page_cache.cached(
        page_cache.key("topic-masteries", versions=(page_cache.user(user.pk),)), masteries
    )


def mastery_for(user) -> dict[int, Mastery]:
    """Per topic, tutor sessions included. Like the domains', read from every submitted
    tally."""
    return topic_masteries(user)[0]


def domain_mastery_for(user) -> dict[str, Mastery]:
    return page_cache.cached(
        page_cache.key("domain-mastery", versions=(page_cache.user(user.pk),)),
        lambda: recent_mastery(evidence_newest_first(user, AttemptDomainResult, "domain")),
    )


@dataclass(frozen=True)
class Progress:
    mastery: dict[int, Mastery]
    readiness: Readiness
    pass_mark: int


def progress_for(user, *, bank: BankSummary | None = None) -> Progress:
    """Mastery per topic (one query) and the readiness estimate, which leaves out the
    answers of tutor sessions."""
    mastery, without_tutor = topic_masteries(user)
    bank = bank or bank_summary()
    exam = bank.reference_mock
    pass_mark = exam.pass_mark if exam else DEFAULT_PASS_MARK
    readiness = estimate_readiness(without_tutor, bank.mock_weights, pass_mark=pass_mark)
    return Progress(mastery=mastery, readiness=readiness, pass_mark=pass_mark)


def weakness(mastery: Mastery | None) -> float:
    """Posterior mean accuracy: an unpracticed topic sits at 0.5, below it is weaker."""
    correct, total = (mastery.correct, mastery.total) if mastery else (0, 0)
    return (1 + correct) / (2 + total)


def weakest_topic_ids(
    mastery: dict[int, Mastery], topic_ids: list[int], count: int = 2
) -> list[int]:
    return sorted(topic_ids, key=lambda t: (weakness(mastery.get(t)), t))[:count]


def practiced_topics_by_weakness(mastery: dict[int, Mastery]) -> list[Topic]:
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


# What unlocks an adaptive drill, in plain words: shown beside the drill, and as the message
# when someone starts it anyway.
MISTAKES_LOCKED = "unlocks when a finished exam has a question you missed."
MISTAKES_CLEARED = (
    "nothing to retake right now. A question you miss comes back here until you have "
    "answered it right twice in a row."
)
WEAK_TOPICS_LOCKED = "unlocks after your first finished exam."
WEAK_TOPICS_UNANSWERED = "unlocks when a finished exam has questions you answered."
ADAPTIVE_SELECTIONS = frozenset({Selection.MISTAKES, Selection.WEAK_TOPICS})


@dataclass(frozen=True)
class AdaptiveDrill:
    """A drill built from the candidate's own results, and whether it can be built now."""

    exam: Exam
    available: bool
    unlocks: str  # what would make it available ("" when it is)

    @property
    def explanation(self) -> str:
        return f"{self.exam.title}: {self.unlocks}"


def adaptive_drills(
    user, *, mastery: dict[int, Mastery] | None = None, exams: list[Exam] | None = None
) -> list[AdaptiveDrill]:
    """The adaptive drills (every published one, or ``exams``), each available exactly when
    ``drawing.draw_questions`` could build it for ``user`` now: the mistakes drill needs a
    question in the mistake pool that is still published, the weak-topics drill any mastery.
    Pass ``mastery`` when it is at hand, to save its query."""
    exams = list(bank_summary().adaptive.values()) if exams is None else exams
    if mastery is None and any(exam.selection == Selection.WEAK_TOPICS for exam in exams):
        mastery = mastery_for(user)
    available = {
        exam.pk: has_retakable_mistakes(user)
        if exam.selection == Selection.MISTAKES
        else bool(mastery)
        for exam in exams
    }
    finished = (
        all(available.values())
        or bool(mastery)
        or Attempt.objects.for_user(user).submitted().exists()
    )
    return [
        AdaptiveDrill(
            exam=exam,
            available=available[exam.pk],
            unlocks="" if available[exam.pk] else unlock_text(exam, finished=finished),
        )
        for exam in exams
    ]


def has_retakable_mistakes(user) -> bool:
    """Whether the mistakes drill can be built. Reading the whole answer history for this
    yes/no was a quarter of the history page, so it is kept until the candidate's attempts or
    the content change."""

    def retakable() -> bool:
        pool = mistake_pool(user)
        return bool(pool) and (
            Question.objects.published().filter(choices__is_correct=True, pk__in=pool).exists()
        )

    part = page_cache.key(
        "retakable-mistakes", versions=(page_cache.user(user.pk), page_cache.CONTENT)
    )
    return page_cache.cached(part, retakable, timeout=RETAKABLE_CACHE_SECONDS)


def unlock_text(exam: Exam, *, finished: bool) -> str:
    if exam.selection == Selection.MISTAKES:
        return MISTAKES_CLEARED if finished else MISTAKES_LOCKED
    return WEAK_TOPICS_UNANSWERED if finished else WEAK_TOPICS_LOCKED


def attempts_in_progress(user) -> list[Attempt]:
    """The candidate's open attempts, newest first, each with ``answered_so_far`` (items
    answered) and ``time_is_up`` (past its deadline, waiting to be closed)."""
    attempts = list(
        Attempt.objects.for_user(user)
        .in_progress()
        .annotate(answered_so_far=Count("items", filter=~Q(items__chosen_key="")))
        .order_by("-started_at")
    )
    now = timezone.now()
    for attempt in attempts:
        attempt.time_is_up = attempt.deadline <= now
    return attempts
