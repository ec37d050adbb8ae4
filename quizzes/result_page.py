"""A result page built for review: the summary and what to do next first, then every item
collapsed to one line that opens to the whole question.

A submitted attempt never changes, and its 100 items with their explanations were most of
the result page's time, so its tables and items are rendered once per attempt and cached
(one entry per set of starred items, whatever the filter) and served as they are: each item
links to its own report page rather than carrying a form (a hundred forms, each with the
visitor's CSRF token, were a third of the page's bytes and time), and its star button
belongs to the one form outside the cached part (``form="star-form"``), which holds the
token.

The filters (all, incorrect, unanswered, marked) never change what is cached: each line
carries its state as classes, and the section around the lines says which filter is on
(``data-show``), set here from ``?show=`` and by static/js/result-filter.js without a page
load; static/css/result.css hides the lines the filter leaves out.
"""

import re
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from crss_prep import page_cache
from quizzes import stars
from quizzes.attempt_urls import POSITION_SLOT
from quizzes.bank_summary import DomainCoverage, bank_summary
from quizzes.models import Attempt
from quizzes.result_items import filter_counts, review_items
from quizzes.result_next import WeakestTopic, next_steps, weakest_topic

MAX_AGE = 60 * 60 * 24
CACHE_VERSION = 6  # move when the rendering of the body changes

# ?show= value -> the filter's button label; anything else shows every item.
FILTERS = {
    "all": "All",
    "incorrect": "Incorrect",
    "unanswered": "Unanswered",
    "marked": "Marked",
}
EMPTY_FILTER_TEXT = {
    "incorrect": "No incorrect items: every answer was right.",
    "unanswered": "No unanswered items.",
    "marked": "No items were marked for review.",
}


# The templates' indentation: a fifth of the body's bytes, which every view reads from the
# cache and sends. Whitespace between two tags renders as one space however long it is, so a
# run that holds a line break becomes one line break. (Trainer text holds no such run: its
# < and > are escaped; a link's title, the one attribute they may write, could lose spaces.)
INDENTATION = re.compile(r">\s*\n\s*<")


def without_indentation(html: str) -> str:
    return INDENTATION.sub(">\n<", html)


@dataclass(frozen=True)
class ResultBody:
    """What is rendered once per attempt: the topic and domain tables, the items (with the
    CSRF placeholder), how many items each filter shows, and the weakest topic."""

    tables_html: str
    items_html: str
    counts: dict[str, int]
    weakest: WeakestTopic | None


def result_body(attempt: Attempt, *, read_only: bool) -> ResultBody:
    # A submitted attempt never changes; the content version is in the key for the topic
    # titles, links, drills, domain coverage and choice feedback, which are live, and the
    # candidate's stars for their own copy (each star button shows its state).
    versions = (
        (page_cache.CONTENT,)
        if read_only
        else (page_cache.CONTENT, page_cache.stars(attempt.user_id))
    )
    key = page_cache.key(
        "result-review",
        versions=versions,
        vary=(CACHE_VERSION, attempt.pk, attempt.submitted_at.timestamp(), read_only),
    )

    def render() -> ResultBody:
        starred = frozenset() if read_only else stars.starred_positions(attempt)
        return render_body(attempt, read_only=read_only, starred=starred)

    return page_cache.cached(key, render, timeout=MAX_AGE)


def domain_rows(results, domains: tuple[DomainCoverage, ...]) -> list[tuple]:
    """(coverage, result or None) for each exam domain, in the exam's order."""
    by_domain = {result.domain: result for result in results}
    return [(coverage, by_domain.get(coverage.domain)) for coverage in domains]


def render_body(attempt: Attempt, *, read_only: bool, starred: frozenset[int]) -> ResultBody:
    items = list(attempt.items.select_related("topic").order_by("position"))
    # Each link reversed once, not once per item (two hundred reverses were a sixth of the
    # page): the topics' links by topic, the report form's by replacing the position.
    topic_urls = {}
    for item in items:
        if item.topic_id not in topic_urls:
            topic_urls[item.topic_id] = item.topic.get_absolute_url()
    reviewed = review_items(
        items,
        topic_urls=topic_urls,
        report_link=reverse("quizzes:report_item", args=[attempt.pk, POSITION_SLOT]),
        star_link=""
        if read_only
        else reverse("quizzes:star_item", args=[attempt.pk, POSITION_SLOT]),
        starred=starred,
        slot=str(POSITION_SLOT),
    )
    topic_results = list(attempt.topic_results.select_related("topic"))
    context = {
        "attempt": attempt,
        "topic_results": topic_results,
        "domain_rows": domain_rows(attempt.domain_results.all(), bank_summary().domains),
        "reviewed": reviewed,
        "read_only": read_only,
    }
    return ResultBody(
        tables_html=without_indentation(render_to_string("quizzes/_result_tables.html", context)),
        items_html=without_indentation(render_to_string("quizzes/_result_items.html", context)),
        counts=filter_counts(reviewed),
        weakest=weakest_topic(topic_results),
    )


def shown_filter(request: HttpRequest) -> str:
    """The filter ``?show=`` asks for; an unknown one shows every item."""
    shown = request.GET.get("show", "all")
    return shown if shown in FILTERS else "all"


def result_context(request: HttpRequest, attempt: Attempt, *, read_only: bool) -> dict:
    """The result page's content for a submitted attempt the caller may show: the
    candidate's own (with report links and next steps), or a lead's read-only copy."""
    body = result_body(attempt, read_only=read_only)
    return {
        "attempt": attempt,
        "read_only": read_only,
        # Rendered by the template engine, escaped there.
        "tables_html": mark_safe(body.tables_html),  # noqa: S308
        "items_html": mark_safe(body.items_html),  # noqa: S308
        "counts": body.counts,
        "answered": body.counts["all"] - body.counts["unanswered"],
        "filters": [
            (name, label, body.counts[name], EMPTY_FILTER_TEXT.get(name, ""))
            for name, label in FILTERS.items()
        ],
        "shown": shown_filter(request),
        "weakest": body.weakest,
        "next_steps": [] if read_only else next_steps(request.user, body.weakest),
    }
