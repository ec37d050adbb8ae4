"""Lead pages: the list of one's cohorts, creating one, its join code, its dashboard and
the questions it misses most."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST, require_safe

from crss_prep import page_cache
from quizzes.bank_summary import bank_summary

from .. import services, sorting
from ..dashboard import cohort_table
from ..forms import CohortForm, period_form_from
from ..item_analysis import most_missed_questions
from ..models import Cohort
from .access import lead_required, led_cohort

COHORT_CREATED = "Cohort “{cohort}” created. Share its join code with your learners."
CODE_REGENERATED = "New join code for {cohort}: {code}. The old code no longer works."


def cohort_list_page(request: HttpRequest, form: CohortForm, *, status: int = 200) -> HttpResponse:
    cohorts = Cohort.objects.led_by(request.user).annotate(member_count=Count("memberships"))
    return render(
        request, "cohorts/cohort_list.html", {"cohorts": cohorts, "form": form}, status=status
    )


@lead_required
@require_safe
def cohort_list(request: HttpRequest) -> HttpResponse:
    return cohort_list_page(request, CohortForm())


@lead_required
@require_POST
def create_cohort(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST)
    if not form.is_valid():
        return cohort_list_page(request, form, status=400)
    cohort = services.create_cohort(name=form.cleaned_data["name"], lead=request.user)
    messages.success(request, COHORT_CREATED.format(cohort=cohort))
    return redirect(cohort)


@lead_required
@require_POST
def regenerate_code(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = services.regenerate_join_code(cohort=led_cohort(request, cohort_id))
    messages.success(request, CODE_REGENERATED.format(cohort=cohort, code=cohort.join_code))
    return redirect(cohort)


@lead_required
@require_safe
def dashboard(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = led_cohort(request, cohort_id)
    period_form = period_form_from(request.GET)
    period = period_form.period()
    asked = request.GET.get("sort")
    topic_ids = {topic.pk for topic in bank_summary().topics}
    sort = sorting.normal_sort(asked, topic_ids=topic_ids)
    # Lazy: built only when the cached table (keyed by ``stamp``) has to be rendered again.
    table = SimpleLazyObject(lambda: cohort_table(cohort, period=period))
    return render(
        request,
        "cohorts/dashboard.html",
        {
            "cohort": cohort,
            # The table changes with the cohort's members and their attempts, and the content.
            "table_cache_key": page_cache.key(
                "cohort-table",
                versions=(page_cache.cohort(cohort.pk), page_cache.CONTENT),
                vary=(sort, period_form.query_string),
            ),
            "sort": sort if asked else None,  # kept in the period form's links when chosen
            "table": table,
            "rows": SimpleLazyObject(lambda: sorting.sort_rows(table.rows, sort)),
            "columns": SimpleLazyObject(
                lambda: sorting.columns(
                    table.topics, sort, period_form.params(), table.covered_domains
                )
            ),
            "period": period,
            "period_form": period_form,
        },
    )


@lead_required
@require_safe
def questions(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = led_cohort(request, cohort_id)
    period_form = period_form_from(request.GET)
    period = period_form.period()
    return render(
        request,
        "cohorts/questions.html",
        {
            "cohort": cohort,
            "missed": most_missed_questions(cohort, period=period),
            "period": period,
            "period_form": period_form,
        },
    )
