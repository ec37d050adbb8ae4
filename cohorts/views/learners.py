"""One learner of a lead's cohort: their history and results, read-only, and their extra time."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.models import extra_time_percent_of
from quizzes.result_page import result_context
from quizzes.selectors import history_context

from .. import services
from ..forms import ExtraTimeForm
from ..models import Cohort
from .access import cohort_learner, lead_required, learner_attempt, led_cohort

EXTRA_TIME_SAVED = "Extra time for {learner} set to {percent} %. It applies to new attempts."
EXTRA_TIME_INVALID = "Extra time must be a whole number from 0 to 200 (percent)."


def learner_page(
    request: HttpRequest, cohort: Cohort, learner, form: ExtraTimeForm, *, status: int = 200
) -> HttpResponse:
    context = history_context(learner, cohort=cohort)
    context |= {
        "learner": learner,
        "extra_time_form": form,
        "extra_time_percent": extra_time_percent_of(learner),
    }
    return render(request, "cohorts/learner_history.html", context, status=status)


@lead_required
@require_safe
def learner_history(request: HttpRequest, cohort_id: int, user_id: int) -> HttpResponse:
    cohort = led_cohort(request, cohort_id)
    learner = cohort_learner(cohort, user_id)
    form = ExtraTimeForm(initial={"extra_time_percent": extra_time_percent_of(learner)})
    return learner_page(request, cohort, learner, form)


@lead_required
@require_POST
def set_extra_time(request: HttpRequest, cohort_id: int, user_id: int) -> HttpResponse:
    cohort = led_cohort(request, cohort_id)
    learner = cohort_learner(cohort, user_id)
    form = ExtraTimeForm(request.POST)
    if not form.is_valid():
        messages.error(request, EXTRA_TIME_INVALID)
        return learner_page(request, cohort, learner, form, status=400)
    percent = form.cleaned_data["extra_time_percent"]
    services.set_extra_time(learner=learner, percent=percent)
    messages.success(request, EXTRA_TIME_SAVED.format(learner=learner, percent=percent))
    return redirect("cohorts:learner", cohort.pk, learner.pk)


@lead_required
@require_safe
def learner_result(
    request: HttpRequest, cohort_id: int, user_id: int, attempt_id: int
) -> HttpResponse:
    cohort = led_cohort(request, cohort_id)
    learner = cohort_learner(cohort, user_id)
    attempt = learner_attempt(learner, attempt_id)
    context = result_context(request, attempt, read_only=True)
    context |= {"cohort": cohort, "learner": learner}
    return render(request, "cohorts/learner_result.html", context)
