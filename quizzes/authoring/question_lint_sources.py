"""Where the linter's questions come from: bank files (through the bank reader), the
database, and the seed articles the copy check compares against."""

import os
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch

from quizzes.authoring.banks import BankError, read_banks
from quizzes.authoring.banks.specs import QuestionSpec
from quizzes.authoring.question_lint import LintQuestion
from quizzes.models import Choice, Question, Status

SEEDS_ENV = "CRSS_SEEDS_DIR"


def from_spec(spec: QuestionSpec, topic: str) -> LintQuestion:
    """A question as the bank reader read it (``place`` is its ``path:line``)."""
    return LintQuestion(
        id=spec.external_id,
        stem=spec.stem,
        choices={choice.key: choice.text for choice in spec.choices},
        answer=spec.answer,
        explanation=spec.explanation,
        kind=spec.kind,
        domain=spec.domain,
        topic=topic,
        published=spec.status == Status.PUBLISHED,
        place=str(spec.place),
    )


def questions_from_banks(paths: Iterable[Path]) -> tuple[list[LintQuestion], list[BankError]]:
    """The questions (retired ones left out) of the bank files or folders, and the reader's
    errors (a question with an error is left out; the rest is still linted)."""
    banks, errors = read_banks(paths)
    questions = [
        from_spec(spec, bank.topic.slug)
        for bank in banks
        if bank.topic
        for spec in bank.topic.questions
        if spec.status != Status.RETIRED
    ]
    return questions, errors


def from_question(question: Question) -> LintQuestion:
    """A saved question with its saved choices (prefetch ``choices`` for many)."""
    choices = sorted(question.choices.all(), key=lambda choice: choice.key)
    answer = next((choice.key for choice in choices if choice.is_correct), "")
    return LintQuestion(
        id=question.external_id,
        stem=question.stem,
        choices={choice.key: choice.text for choice in choices},
        answer=answer,
        explanation=question.explanation,
        kind=question.kind,
        domain=question.domain,
        topic=question.topic.slug if question.topic_id else "",
        published=question.status == Status.PUBLISHED,
    )


def questions_from_database(queryset=None) -> list[LintQuestion]:
    """Published questions (or those of ``queryset``), choices prefetched: three queries."""
    if queryset is None:
        queryset = Question.objects.published()
    rows = queryset.select_related("topic").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("key"))
    )
    return [from_question(question) for question in rows.order_by("external_id")]


def seeds_location() -> Path:
    """``$CRSS_SEEDS_DIR`` if set, else ``<repo>/../shared/seeds``."""
    override = os.environ.get(SEEDS_ENV)
    return Path(override) if override else Path(settings.BASE_DIR).parent / "shared" / "seeds"


def load_seeds() -> dict[str, str] | None:
    """Seed file name -> article text; None when the folder holds no ``.txt`` article."""
    folder = seeds_location()
    if not folder.is_dir():
        return None
    seeds = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
    return seeds or None
