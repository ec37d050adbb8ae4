"""Item-writing flags in the question admin (issue 16): a box on the change page and a
filter on the list, both computed from the saved questions and their saved choices.

The pool is every question that is not retired (drafts too, so that a trainer sees the
flags while writing); the guesser's score, as in ``lint_questions``, counts the published
ones only.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from quizzes.authoring.lint_text import seed_index
from quizzes.authoring.question_guesser import guess
from quizzes.authoring.question_lint import Flag, LintQuestion, lint_pool, lint_question
from quizzes.authoring.question_lint_sources import (
    from_question,
    load_seeds,
    questions_from_database,
)
from quizzes.models import Question, Status

FLAGS_NOT_SAVED = "Save the question to see its item-writing flags."
NO_FLAGS = "No item-writing flags."
SEEDS_SKIPPED = "The seed articles were not found: copied runs were not checked."
GUESSER_PICKS = "A test-wise guesser (wording only) picks {pick}{verdict}."
HAS_FLAGS = "yes"
NO_FLAG = "no"


def linted_questions() -> QuerySet[Question]:
    """The questions the admin lints: all but the retired ones."""
    return Question.objects.exclude(status=Status.RETIRED)


def seeds_index() -> dict[tuple[str, ...], str] | None:
    seeds = load_seeds()
    return seed_index(seeds) if seeds else None


def saved_question_flags(question: Question) -> tuple[LintQuestion, list[Flag], bool]:
    """The saved question as the linter sees it, its flags against the saved pool, and
    whether the seed articles were found."""
    saved = questions_from_database(Question.objects.filter(pk=question.pk))[0]
    seeds = seeds_index()
    pool = questions_from_database(linted_questions().exclude(pk=question.pk))
    return saved, lint_question(saved, pool=pool, seeds=seeds), seeds is not None


def flags_box(question: Question | None) -> str:
    """HTML for the change page: the saved question's flags and the guesser's pick."""
    if question is None or question.pk is None:
        return FLAGS_NOT_SAVED
    saved, flags, seeds_found = saved_question_flags(question)
    items = format_html_join(
        "", "<li><code>{}</code> {}</li>", ((flag.code, flag.message) for flag in flags)
    )
    listed = format_html('<ul class="lint-flags">{}</ul>', items) if flags else NO_FLAGS
    notes = []
    if saved.choices:
        pick = guess(saved.choices)
        verdict = ", the key" if pick == saved.answer else ", not the key"
        notes.append(GUESSER_PICKS.format(pick=pick, verdict=verdict))
    if not seeds_found:
        notes.append(SEEDS_SKIPPED)
    return format_html(
        '<div class="lint-box">{}{}</div>',
        listed,
        format_html_join("", '<p class="help">{}</p>', ((note,) for note in notes)),
    )


def flagged_ids() -> set[int]:
    """Primary keys of the linted questions that have at least one flag (one pass, choices
    prefetched: three queries)."""
    rows = list(
        linted_questions().select_related("topic").prefetch_related("choices").order_by("pk")
    )
    questions = [from_question(row) for row in rows]
    report = lint_pool(questions, seeds=seeds_index())
    flagged = {flag.question_id for flag in report.flags}
    return {row.pk for row in rows if row.external_id in flagged}


class ItemWritingFlagFilter(admin.SimpleListFilter):
    """Questions with or without item-writing flags (retired questions are not linted, so
    they count as having none)."""

    title = "Item-writing flags"
    parameter_name = "lint"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [(HAS_FLAGS, "has flags"), (NO_FLAG, "none")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Question]):
        if self.value() == HAS_FLAGS:
            return queryset.filter(pk__in=flagged_ids())
        if self.value() == NO_FLAG:
            return queryset.exclude(pk__in=flagged_ids())
        return queryset
