"""Reading pages: home, topics, history, health check."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from quizzes import progress, review_schedule
from quizzes.bank_summary import bank_summary, topics_with_counts
from quizzes.models import Attempt, Exam
from quizzes.selectors import history_context, learning_context, missed_items, next_step


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "quizzes/home_anonymous.html", {"topics": bank_summary().topics})
    context = learning_context(request.user)
    last = Attempt.objects.for_user(request.user).submitted().order_by("-submitted_at").first()
    weakest = progress.practiced_topics_by_weakness(context["progress"].mastery)
    weakest_topic = weakest[0] if weakest else None
    open_attempts = progress.attempts_in_progress(request.user)
    context |= {
        "last_attempt": last,
        "open_attempts": open_attempts,
        # A candidate with no attempt at all is welcomed and given one first step.
        "welcome": last is None and not open_attempts,
        "weakest_topic": weakest_topic,
        "review": review_schedule.review_outlook(request.user, timezone.now()),
        "next_step": next_step(
            context["progress"],
            last,
            weakest_topic,
            open_exam_ids=frozenset(a.exam_id for a in open_attempts),
        ),
    }
    return render(request, "quizzes/home.html", context)


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
