"""Is the cohort dashboard there to measure? The cohorts app is still being written, so the
benchmark asks each time, and measures the page from the first run where it exists."""

from django.template import TemplateDoesNotExist


def cohort_models_missing() -> str | None:
    """Why the dashboard cannot be seeded yet (no model, table or URL), or None."""
    from django.db import connection
    from django.urls import NoReverseMatch, reverse

    try:
        from cohorts.models import Cohort, Membership
    except ImportError:
        return "the cohorts app has no Cohort and Membership models yet"
    tables = set(connection.introspection.table_names())
    if not {Cohort._meta.db_table, Membership._meta.db_table} <= tables:
        return "the cohorts app has no migration creating its tables yet"
    try:
        reverse("cohorts:dashboard", args=[1])
    except NoReverseMatch:
        return "there is no URL named cohorts:dashboard yet"
    return None


def probe_dashboard(cohort, lead) -> str | None:
    """Render the dashboard once in-process: why the page does not exist yet, or None.

    Only a missing piece (template, view) counts as "not there yet"; a page that exists and
    fails is measured, and its failures count as errors.
    """
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from .plan import create_session

    host = next((h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")), None)
    client = Client(HTTP_HOST=host or "localhost", raise_request_exception=True)
    client.cookies[settings.SESSION_COOKIE_NAME] = create_session(lead)
    try:
        client.get(
            reverse("cohorts:dashboard", args=[cohort.pk]), headers={"X-Forwarded-Proto": "https"}
        )
    except TemplateDoesNotExist as exc:
        return f"the dashboard's template {exc} does not exist yet"
    except ImportError as exc:
        return f"the dashboard view is not finished: {exc}"
    except Exception:  # noqa: S110 - the page exists; its errors are measured
        pass
    return None
