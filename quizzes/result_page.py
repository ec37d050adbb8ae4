"""The body of a result page (topic table and every item), rendered once per attempt and
then served from the cache.

A submitted attempt never changes, and its 100 items with their explanations were most of
the result page's time. The report form under each item carries a CSRF token, which is
the visitor's own and changes at login, so the list is cached with a placeholder in its
place and each request puts in its own token.
"""

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from crss_prep import page_cache
from quizzes.bank_summary import DomainCoverage, bank_summary
from quizzes.models import Attempt
from quizzes.palette import POSITION_SLOT

CSRF_PLACEHOLDER = "csrf-token-placeholder-3f9c1a"
MAX_AGE = 60 * 60 * 24


def result_body_html(
    request: HttpRequest, attempt: Attempt, *, only_incorrect: bool, read_only: bool
) -> SafeString:
    # A submitted attempt never changes; the content version is in the key for the topic
    # titles, links and domain coverage, which are live.
    key = page_cache.key(
        "result-body",
        versions=(page_cache.CONTENT,),
        vary=(attempt.pk, attempt.submitted_at.timestamp(), only_incorrect, read_only),
    )
    html = page_cache.cached(
        key,
        lambda: render_body(attempt, only_incorrect=only_incorrect, read_only=read_only),
        timeout=MAX_AGE,
    )
    if read_only:  # no report forms, no token
        return mark_safe(html)  # noqa: S308 -- rendered by the template engine, escaped there
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308


def domain_rows(results, domains: tuple[DomainCoverage, ...]) -> list[tuple]:
    """(coverage, result or None) for each exam domain, in the exam's order."""
    by_domain = {result.domain: result for result in results}
    return [(coverage, by_domain.get(coverage.domain)) for coverage in domains]


def render_body(attempt: Attempt, *, only_incorrect: bool, read_only: bool) -> str:
    items = attempt.items.select_related("topic").order_by("position")
    if only_incorrect:
        items = items.exclude(is_correct=True)
    items = list(items)
    # Each link reversed once, not once per item (two hundred reverses were a sixth of the
    # page): the topics' links by topic, the report form's by replacing the position.
    topic_urls = {}
    report_link = reverse("quizzes:report_item", args=[attempt.pk, POSITION_SLOT])
    for item in items:
        if item.topic_id not in topic_urls:
            topic_urls[item.topic_id] = item.topic.get_absolute_url()
        item.topic_url = topic_urls[item.topic_id]
        item.report_url = report_link.replace(str(POSITION_SLOT), str(item.position))
    return render_to_string(
        "quizzes/_result_body.html",
        {
            "attempt": attempt,
            "topic_results": attempt.topic_results.select_related("topic"),
            "domain_rows": domain_rows(attempt.domain_results.all(), bank_summary().domains),
            "items": items,
            "only_incorrect": only_incorrect,
            "read_only": read_only,
            "csrf_token": CSRF_PLACEHOLDER,
        },
    )


def result_context(request: HttpRequest, attempt: Attempt, *, read_only: bool) -> dict:
    """The result page's content for a submitted attempt the caller may show."""
    only_incorrect = request.GET.get("show") == "incorrect"
    return {
        "attempt": attempt,
        "result_html": result_body_html(
            request, attempt, only_incorrect=only_incorrect, read_only=read_only
        ),
        "read_only": read_only,
    }
