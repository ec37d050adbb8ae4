"""Reading pages: home, topics, history, health check."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from crss_prep import page_cache
from quizzes import progress
from quizzes.bank_summary import bank_summary, topics_with_counts
from quizzes.charts import trend_chart
from quizzes.models import Attempt, AttemptItem, AttemptStatus, Exam, Topic

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


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "quizzes/home_anonymous.html", {"topics": bank_summary().topics})
    context = learning_context(request.user)
    last = Attempt.objects.for_user(request.user).submitted().order_by("-submitted_at").first()
    weakest = progress.practised_topics_by_weakness(context["progress"].mastery)
    weakest_topic = weakest[0] if weakest else None
    open_attempts = progress.attempts_in_progress(request.user)
    context |= {
        "last_attempt": last,
        "open_attempts": open_attempts,
        # A candidate with no attempt at all is welcomed and given one first step.
        "welcome": last is None and not open_attempts,
        "weakest_topic": weakest_topic,
        "next_step": next_step(
            context["progress"],
            last,
            weakest_topic,
            open_exam_ids=frozenset(a.exam_id for a in open_attempts),
        ),
    }
    return render(request, "quizzes/home.html", context)


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
                "label": f"Drill {weakest.title.lower()}",
                "why": f"It is your weakest topic at {weak_mastery.percent} %.",
            }
    if step["exam"] and step["exam"].pk in open_exam_ids:
        step["label"] = f"Resume the {step['exam'].title.lower()}"
    return step


@require_safe
def topic_list(request: HttpRequest) -> HttpResponse:
    mastery = progress.mastery_for(request.user) if request.user.is_authenticated else {}
    rows = [(topic, mastery.get(topic.pk)) for topic in bank_summary().topics]
    return render(request, "quizzes/topic_list.html", {"rows": rows})


@require_safe
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(topics_with_counts(), slug=slug)
    context = {"topic": topic, "drill": Exam.objects.published().drills_for(topic).first()}
    if request.user.is_authenticated:
        context["mastery"] = progress.mastery_for(request.user).get(topic.pk)
        context["missed"] = missed_items(request.user, topic)
    return render(request, "quizzes/topic_detail.html", context)


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


@login_required
@require_safe
def history(request: HttpRequest) -> HttpResponse:
    return render(request, "quizzes/history.html", history_context(request.user))


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """An expired or missing CSRF token: a friendly page instead of Django's technical one."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
