"""Reading pages: home, topics, history, health check."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from quizzes import progress
from quizzes.charts import trend_chart
from quizzes.models import Attempt, AttemptItem, AttemptStatus, Exam, Selection, Status, Topic

TREND_LENGTH = 30


def topics_with_counts():
    return Topic.objects.annotate(
        published_count=Count("questions", filter=Q(questions__status=Status.PUBLISHED))
    ).order_by("title")


def adaptive_exams() -> dict[str, Exam]:
    """The built-in drills, by selection rule: {"weak-topics": exam, "mistakes": exam}."""
    exams = Exam.objects.published().filter(
        selection__in=[Selection.WEAK_TOPICS, Selection.MISTAKES]
    )
    return {exam.selection: exam for exam in exams}


def learning_context(user) -> dict:
    """What home and history share: progress, mastery rows, adaptive drills."""
    state = progress.progress_for(user)
    topics = list(topics_with_counts())
    mastery_rows = [(topic, state.mastery.get(topic.pk)) for topic in topics]
    return {
        "progress": state,
        "readiness": state.readiness,
        "mastery_rows": mastery_rows,
        "adaptive": adaptive_exams(),
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "quizzes/home_anonymous.html", {"topics": topics_with_counts()})
    context = learning_context(request.user)
    last = Attempt.objects.for_user(request.user).submitted().order_by("-submitted_at").first()
    weakest = progress.practised_topics_by_weakness(context["progress"].mastery)
    context |= {
        "last_attempt": last,
        "in_progress": Attempt.objects.for_user(request.user).in_progress().first(),
        "weakest_topic": weakest[0] if weakest else None,
        "next_step": next_step(context["progress"], last, weakest[0] if weakest else None),
    }
    return render(request, "quizzes/home.html", context)


def next_step(state: progress.Progress, last: Attempt | None, weakest: Topic | None) -> dict:
    """One suggestion: an exam to start, with the words for its button."""
    exams = Exam.objects.published()
    mini = exams.mocks().order_by("item_count").first()
    full = exams.mocks().order_by("-item_count").first()
    if last is None or not state.readiness.is_estimated:
        return {
            "exam": mini,
            "label": f"Take the {mini.title.lower()}" if mini else None,
            "why": "Each exam you finish sharpens your readiness estimate.",
        }
    weak_mastery = state.mastery.get(weakest.pk) if weakest else None
    if weakest and weak_mastery and (weak_mastery.percent or 0) < state.pass_mark:
        drill = exams.drills_for(weakest).first()
        if drill:
            return {
                "exam": drill,
                "label": f"Drill {weakest.title.lower()}",
                "why": f"It is your weakest topic at {weak_mastery.percent} %.",
            }
    return {
        "exam": full,
        "label": f"Take a {full.title.lower()}" if full else None,
        "why": "Your topics are in shape: test yourself in the real format.",
    }


@require_safe
def topic_list(request: HttpRequest) -> HttpResponse:
    mastery = progress.mastery_for(request.user) if request.user.is_authenticated else {}
    rows = [(topic, mastery.get(topic.pk)) for topic in topics_with_counts()]
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


def history_context(user) -> dict:
    """The history page's content for ``user``: every attempt, the mock trend, progress.

    The caller decides whose history it may show (the candidate's own, or a cohort lead's
    learner); this function only reads.
    """
    attempts = list(Attempt.objects.for_user(user).order_by("-started_at"))
    mock_ids = set(Exam.objects.mocks().values_list("id", flat=True))
    mocks = [a for a in reversed(attempts) if a.is_submitted and a.exam_id in mock_ids]
    mocks = mocks[-TREND_LENGTH:]
    context = learning_context(user)
    context |= {
        "attempts": attempts,
        "mock_attempts": mocks,
        "chart": trend_chart(
            [(f"{a.submitted_at:%b %d %H:%M}", a.score) for a in mocks],
            pass_mark=context["progress"].pass_mark,
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
