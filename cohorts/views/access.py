"""Access to lead pages: leads only (staff status opens none), and only their own cohorts
and learners."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from quizzes.models import Attempt

from ..models import Cohort
from ..permissions import is_cohort_lead


def lead_required(view: Callable) -> Callable:
    """Anonymous users go to the login page; signed-in non-leads get a 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_cohort_lead(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def led_cohort(request: HttpRequest, cohort_id: int) -> Cohort:
    """A cohort the signed-in user leads; any other is a 404."""
    return get_object_or_404(Cohort.objects.led_by(request.user), pk=cohort_id)


def cohort_learner(cohort: Cohort, user_id: int) -> AbstractBaseUser:
    """A member of ``cohort`` (already scoped to the lead); anyone else is a 404."""
    return get_object_or_404(cohort.members.all(), pk=user_id)


def learner_attempt(learner, attempt_id: int) -> Attempt:
    """A submitted attempt of ``learner``; one in progress is theirs alone, so a 404."""
    return get_object_or_404(Attempt.objects.for_user(learner).submitted(), pk=attempt_id)
