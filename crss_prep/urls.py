from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from quizzes import views as quiz_views

urlpatterns = [
    path("", quiz_views.home, name="home"),
    path("healthz", quiz_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("", include("quizzes.urls")),
]


def benchmark_baseline(request: HttpRequest) -> HttpResponse:
    """The cheapest Django response, for `make bench` to compare our pages against."""
    return HttpResponse("baseline-ok", content_type="text/plain")


if settings.BENCHMARK_MODE:
    urlpatterns.append(path("bench/baseline/", benchmark_baseline, name="bench_baseline"))
