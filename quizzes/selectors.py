"""The read side of practice: what the candidate's pages (and a lead's copy of them) show.

Views decide who may see what and render; these functions only read. Writes live in
``services``; the figures' arithmetic in ``progress``, ``readiness`` and ``charts``.
"""

from django.utils.functional import SimpleLazyObject

from crss_prep import page_cache

from . import progress
from .bank_summary import bank_summary
from .charts import trend_chart
from .models import Attempt, AttemptItem, AttemptStatus, Exam, Topic

TREND_LENGTH = 30


def learning_context(user) -> dict:
    """What home and history share: progress, mastery rows, adaptive drills, and the bank
    summary they come from (read once per page: each read is a cache round trip)."""
    bank = bank_summary()
    state = progress.progress_for(user, bank=bank)
    mastery_rows = [(topic, state.mastery.get(topic.pk)) for topic in bank.topics]
    return {
        "progress": state,
        "readiness": state.readiness,
        "mastery_rows": mastery_rows,
        "bank": bank,
        "adaptive": bank.adaptive,
        "adaptive_drills": progress.adaptive_drills(
            user, mastery=state.mastery, exams=list(bank.adaptive.values())
        ),
    }


def next_step(
    state: progress.Progress,
    last: Attempt | None,
    weakest: Topic | None,
    *,
    open_exam_ids: frozenset[int] = frozenset(),
) -> dict:
    """One suggestion: an exam to start (or to resume, when it is open), with the words for
    its button."""
    bank = bank_summary()
    mini, full = bank.smallest_mock, bank.largest_mock
    step = {
        "exam": full,
        "label": f"Take a {full.title.lower()}" if full else None,
        "why": "Your topics are in shape: test yourself in the real format.",
    }
    weak_mastery = state.mastery.get(weakest.pk) if weakest else None
    if last is None or not state.readiness.is_estimated:
        step = {
            "exam": mini,
            "label": f"Take the {mini.title.lower()}" if mini else None,
            "why": "Each exam you finish sharpens your readiness estimate.",
        }
    elif weakest and weak_mastery and (weak_mastery.percent or 0) < state.pass_mark:
        drill = Exam.objects.published().drills_for(weakest).first()
        if drill:
            step = {
                "exam": drill,
                "label": f"Drill: {weakest.title}",
                "why": f"{weakest.title} is your weakest topic, at {weak_mastery.percent} %.",
            }
    if step["exam"] and step["exam"].pk in open_exam_ids:
        step["label"] = f"Resume the {step['exam'].title.lower()}"
    return step


def missed_items(user, topic: Topic) -> list[AttemptItem]:
    """The candidate's wrong answers in a topic (submitted attempts only), latest per question."""
    items = (
        AttemptItem.objects.filter(
            attempt__user=user,
            attempt__status=AttemptStatus.SUBMITTED,
            topic=topic,
            is_correct=False,
        )
        .select_related("attempt")
        .order_by("-attempt__submitted_at", "position")
    )
    latest, seen = [], set()
    for item in items:
        key = item.question_id or ("item", item.pk)
        if key not in seen:
            seen.add(key)
            latest.append(item)
    return latest


def history_context(user, *, cohort=None) -> dict:
    """The history page's content for ``user``: every attempt, the mock trend, progress.

    The caller decides whose history it may show: the candidate's own, or (``cohort``) a
    cohort lead's learner, read-only, with links to the lead's pages. This function only
    reads.
    """
    attempts = list(Attempt.objects.for_user(user).order_by("-started_at"))
    context = learning_context(user)
    mock_ids = context["bank"].mock_ids
    # A mock left mostly blank stays in the list of attempts, not in the trend.
    mocks = [
        a
        for a in reversed(attempts)
        if a.is_submitted and a.exam_id in mock_ids and not a.is_incomplete
    ]
    mocks = mocks[-TREND_LENGTH:]
    domain_mastery = progress.domain_mastery_for(user)
    context |= {
        "domain_rows": [
            (coverage, domain_mastery.get(coverage.domain)) for coverage in context["bank"].domains
        ],
        "attempts": attempts,
        "read_only": cohort is not None,
        "cohort": cohort,
        # The tables and the chart change only with the attempts (and the chart's pass mark
        # with the content); the lead's copy links elsewhere.
        "attempts_cache_key": page_cache.key(
            "history-attempts",
            versions=(page_cache.user(user.pk),),
            vary=(cohort.pk if cohort else "own",),
        ),
        "trend_cache_key": page_cache.key(
            "history-trend", versions=(page_cache.user(user.pk), page_cache.CONTENT)
        ),
        "mock_attempts": mocks,
        # Drawn only when the cached chart is drawn again.
        "chart": SimpleLazyObject(
            lambda: trend_chart(
                [(a.submitted_at, a.score, a.passed) for a in mocks],
                pass_mark=context["progress"].pass_mark,
            )
        ),
    }
    return context
