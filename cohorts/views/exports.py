"""The cohort's CSV exports, streamed: per learner and topic, and per attempt."""

from collections.abc import Iterable

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from ..csv_export import attempt_rows, learner_topic_rows, stream_csv
from ..dashboard import cohort_table
from ..forms import period_form_from
from ..models import Cohort
from .access import lead_required, led_cohort


def csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_name(cohort: Cohort, what: str) -> str:
    return f"cohort-{slugify(cohort.name) or cohort.pk}-{what}.csv"


@lead_required
@require_safe
def learners_csv(request: HttpRequest, cohort_id: int) -> StreamingHttpResponse:
    cohort = led_cohort(request, cohort_id)
    table = cohort_table(cohort, period=period_form_from(request.GET).period())
    return csv_response(learner_topic_rows(table), export_name(cohort, "learners-by-topic"))


@lead_required
@require_safe
def attempts_csv(request: HttpRequest, cohort_id: int) -> StreamingHttpResponse:
    cohort = led_cohort(request, cohort_id)
    rows = attempt_rows(cohort, period=period_form_from(request.GET).period())
    return csv_response(rows, export_name(cohort, "attempts"))
