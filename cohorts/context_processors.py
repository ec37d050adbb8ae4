"""The cohort links of the main navigation: "Cohorts" for leads, "Join a cohort" otherwise."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .permissions import is_cohort_lead


def cohort_nav(request: HttpRequest) -> dict:
    # Lazy: the group lookup runs only on pages that render the navigation.
    return {"is_cohort_lead": SimpleLazyObject(lambda: is_cohort_lead(request.user))}
