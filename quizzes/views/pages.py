from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from quizzes.models import Status, Topic


def topics_with_counts():
    return Topic.objects.annotate(
        published_count=Count("questions", filter=Q(questions__status=Status.PUBLISHED))
    ).order_by("title")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "quizzes/home.html", {"topics": topics_with_counts()})


@require_safe
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(topics_with_counts(), slug=slug)
    return render(request, "quizzes/topic_detail.html", {"topic": topic})


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
