"""The rules every question keeps, each written once: bank files, admin forms, GIFT imports, the
publish and retire actions and the content checks (``tests/content_rules.py``) all call these.

Pure: no database and no models (the vocabularies are ``TextChoices``, which need neither).

A rule returns None when it holds, else the words that follow the question's name, so each
place names the question its own way and the rule's words stay the same:

    bank.yaml:27: question 'x-001' has 7 choices; a question needs 2 to 6      (load_questions)
    week1.gift:4: skipped 'Q1': the question has 7 choices; a question needs 2 to 6   (GIFT)
    This question has 7 choices; a question needs 2 to 6.                       (admin form)

Rules about one value (a slug, a text's length) return the words after that value's name:
``topic slug 'X' is not valid: ...``, ``stem of question 'x-001' is blank``.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import TextChoices


class Kind(TextChoices):
    RECALL = "recall", "Recall"
    COMPREHENSION = "comprehension", "Comprehension"
    APPLICATION = "application", "Application"


class Domain(TextChoices):
    ADVOCACY = "advocacy", "Advocacy"
    PROFESSIONAL_RESPONSIBILITY = "professional-responsibility", "Professional Responsibility"
    MENTORING = "mentoring", "Mentoring"
    RECOVERY_SUPPORT = "recovery-support", "Recovery Support"


class Status(TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


# Built once: a choices class's ``values`` is a new list on every read, and a bank reads
# them for each of its thousands of questions.
KINDS = tuple(Kind.values)
DOMAINS = tuple(Domain.values)
STATUSES = tuple(Status.values)
CHOICE_KEYS = "abcdef"
MIN_CHOICES = 2
MAX_CHOICES = 6
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)
MAX_TEXT_CHARS = 20_000  # a stem, choice, feedback or explanation
QUESTION_ID_CHARS = 100  # the columns' sizes
QUESTION_SOURCE_CHARS = 300

# --- messages: the words after the question's (or the value's) name -------------------------

CHOICE_COUNT = "has {count} {noun}; a question needs {low} to {high}"
BAD_CHOICE_KEY = "has a choice keyed '{key}'; use the letters a to f"
SHARED_KEY = "has {count} choices keyed '{key}'; give each choice its own letter, a to f"
IDENTICAL_CHOICES = "has choices {keys} with the same text; make each choice different"
NO_CORRECT_CHOICE = "has no choice marked correct; mark exactly one"
SEVERAL_CORRECT_CHOICES = "has {count} choices marked correct; mark exactly one"
ANSWER_NOT_A_CHOICE = "has answer '{answer}', which is not one of its choice keys ({keys})"
MISSING_EXPLANATION = (
    "has no explanation, which a {status} question needs: write one, or keep the question "
    "as a draft"
)
UNKNOWN_VALUE = "has unknown {name} '{value}'; use one of: {allowed}"
BAD_SLUG = "'{value}' is not valid: use lowercase letters, digits and single hyphens"
BLANK_TEXT = "is blank"
TEXT_TOO_LONG = "is {length} characters long; the limit is {limit}"
NUL_CHARACTER = "contains a NUL character (\\0), which cannot be stored: remove it"


@dataclass(frozen=True)
class ChoiceDraft:
    """A choice as written, before it is stored."""

    key: str
    text: str
    is_correct: bool


# --- choices ---------------------------------------------------------------------------------


def choice_count_problem(count: int) -> str | None:
    """A question has 2 to 6 choices."""
    if MIN_CHOICES <= count <= MAX_CHOICES:
        return None
    noun = "choice" if count == 1 else "choices"
    return CHOICE_COUNT.format(count=count, noun=noun, low=MIN_CHOICES, high=MAX_CHOICES)


def choice_key_problem(key: str) -> str | None:
    """A choice is keyed by one letter, a to f."""
    return None if len(key) == 1 and key in CHOICE_KEYS else BAD_CHOICE_KEY.format(key=key)


def shared_key_problems(keys: Iterable[str]) -> list[str]:
    """Each choice has its own key."""
    return [
        SHARED_KEY.format(count=count, key=key)
        for key, count in sorted(Counter(keys).items())
        if count > 1
    ]


def same_text(text: str) -> str:
    """Texts that differ only in case or spacing count as the same choice."""
    return " ".join(text.casefold().split())


def identical_choice_groups(
    choices: Iterable[tuple[str, str]], *, same: Callable[[str], str] = same_text
) -> list[list[str]]:
    """Keys of choices whose (key, text) texts are the same, in groups of two or more.

    ``same`` says when two texts are the same; our own banks hold a stricter standard.
    """
    keys_by_text: dict[str, list[str]] = {}
    for key, text in choices:
        keys_by_text.setdefault(same(text), []).append(key)
    return [keys for keys in keys_by_text.values() if len(keys) > 1]


def identical_choices_problem(keys: Sequence[str]) -> str:
    """The words for one group of choices with the same text."""
    return IDENTICAL_CHOICES.format(keys=" and ".join(keys))


def duplicate_choice_texts(choices: Iterable[tuple[str, str]]) -> list[str]:
    """Choices are distinct after case-folding and collapsing spaces."""
    return [identical_choices_problem(sorted(keys)) for keys in identical_choice_groups(choices)]


def correct_choice_problem(correct: int) -> str | None:
    """Exactly one choice is correct (``correct`` is how many are marked)."""
    if correct == 1:
        return None
    return NO_CORRECT_CHOICE if correct == 0 else SEVERAL_CORRECT_CHOICES.format(count=correct)


def answer_problem(answer: str, keys: Sequence[str]) -> str | None:
    """A bank file's ``answer`` names one of the question's choice keys."""
    if answer in keys:
        return None
    return ANSWER_NOT_A_CHOICE.format(answer=answer, keys=", ".join(keys))


def choice_problems(choices: Sequence[ChoiceDraft]) -> list[str]:
    """Every rule a question's choices break: count, one correct, keys, distinct texts."""
    problems = [
        choice_count_problem(len(choices)),
        correct_choice_problem(sum(choice.is_correct for choice in choices)),
    ]
    problems += shared_key_problems(choice.key for choice in choices)
    problems += duplicate_choice_texts((choice.key, choice.text) for choice in choices)
    return [problem for problem in problems if problem]


# --- the question ----------------------------------------------------------------------------


def explanation_problem(explanation: str, status: str) -> str | None:
    """Every question that is not a draft has an explanation: candidates read it."""
    if status == Status.DRAFT or (explanation or "").strip():
        return None
    return MISSING_EXPLANATION.format(status=Status(status).label.lower())


def publishable_problems(*, explanation: str, choice_count: int, correct: int) -> list[str]:
    """What keeps a stored question from being published (empty: it may be)."""
    problems = [
        explanation_problem(explanation, Status.PUBLISHED),
        choice_count_problem(choice_count),
        correct_choice_problem(correct),
    ]
    return [problem for problem in problems if problem]


def status_problems(status: str, *, explanation: str, choice_count: int, correct: int) -> list[str]:
    """What keeps a stored question from taking ``status``: to be published it keeps every
    rule; to be retired it needs its explanation, as the bank format asks of it."""
    if status == Status.PUBLISHED:
        return publishable_problems(
            explanation=explanation, choice_count=choice_count, correct=correct
        )
    problem = explanation_problem(explanation, status)
    return [problem] if problem else []


def unknown_value_problem(name: str, value: str, allowed: Sequence[str]) -> str | None:
    """A kind, domain, status (or an exam's selection) is one of its vocabulary's values."""
    if value in allowed:
        return None
    return UNKNOWN_VALUE.format(name=name, value=value, allowed=", ".join(allowed))


def slug_problem(value: str) -> str | None:
    """Ids, slugs and tags: lowercase letters, digits and single hyphens."""
    return None if SLUG_RE.match(value) else BAD_SLUG.format(value=value)


def blank_problem(text: str) -> str | None:
    """A stem, choice, title or answer has text."""
    return None if text.strip() else BLANK_TEXT


def length_problem(text: str, limit: int = MAX_TEXT_CHARS) -> str | None:
    """A text fits its column (or, for long texts, ``MAX_TEXT_CHARS``)."""
    return None if len(text) <= limit else TEXT_TOO_LONG.format(length=len(text), limit=limit)


def nul_problem(text: str) -> str | None:
    """PostgreSQL text cannot hold a NUL character."""
    return NUL_CHARACTER if "\x00" in text else None
