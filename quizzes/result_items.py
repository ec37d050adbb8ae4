"""The items of a result page as the candidate saw them: the choices in the order shown with
their letters, the answer given, the choices struck out, the key, and each choice's feedback
where it still fits.

An attempt's items are a snapshot (stem, choices, key, explanation), immune to later edits.
Choice feedback is not in the snapshot: it is read from the question as it is now, and shown
only while that question still reads as the candidate saw it (same stem, same choices under
the same keys, same key). Feedback written for an edited question may argue about a choice
the candidate never read, so an item whose question changed or was deleted shows none.
"""

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from django.utils.safestring import mark_safe

from quizzes.models import AttemptItem, Choice
from quizzes.taking import LETTERS


class ItemState(StrEnum):
    """How an item ended: one word, used in the CSS classes the filters hide lines by."""

    CORRECT = "correct"
    WRONG = "wrong"
    BLANK = "blank"


STATE_LABELS = {
    ItemState.CORRECT: "Correct",
    ItemState.WRONG: "Incorrect",
    ItemState.BLANK: "Not answered",
}
# Character references, not the characters: they keep the cached result page ASCII, which
# Python stores at one byte a character and reads back from the cache about nine times
# faster than the same text with one check mark in it.
STATE_SYMBOLS = {
    ItemState.CORRECT: mark_safe("&check;"),
    ItemState.WRONG: mark_safe("&cross;"),
    ItemState.BLANK: mark_safe("&ndash;"),
}


@dataclass(frozen=True, slots=True)
class ReviewChoice:
    letter: str
    key: str
    text: str
    is_key: bool
    is_chosen: bool
    is_struck: bool  # struck out by the candidate during the exam
    feedback: str


@dataclass(frozen=True, slots=True)
class ReviewItem:
    item: AttemptItem
    state: ItemState
    choices: tuple[ReviewChoice, ...]
    changed_since: bool  # the question was edited or deleted after the attempt
    topic_url: str
    report_url: str
    star_url: str  # "" on a read-only copy (a lead's): no star buttons
    starred: bool

    # What the templates read of the item, by name.
    @property
    def position(self) -> int:
        return self.item.position

    @property
    def marked(self) -> bool:
        return self.item.marked

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def state_symbol(self) -> str:
        return STATE_SYMBOLS[self.state]

    @property
    def chosen(self) -> ReviewChoice | None:
        return next((choice for choice in self.choices if choice.is_chosen), None)

    @property
    def key(self) -> ReviewChoice | None:
        return next((choice for choice in self.choices if choice.is_key), None)

    @property
    def filter_classes(self) -> str:
        """The classes the filters hide lines by (see static/css/result.css)."""
        return f"is-{self.state}" + (" is-marked" if self.marked else "")


def state_of(item: AttemptItem) -> ItemState:
    if not item.chosen_key:
        return ItemState.BLANK
    return ItemState.CORRECT if item.is_correct else ItemState.WRONG


def current_questions(items: list[AttemptItem]) -> dict[int, tuple[str, dict[str, tuple]]]:
    """Question id -> (stem, {key: (text, is_correct, feedback)}) as the questions are now,
    in one query."""
    ids = {item.question_id for item in items if item.question_id}
    found: dict[int, tuple[str, dict[str, tuple]]] = {}
    choices: dict[int, dict[str, tuple]] = defaultdict(dict)
    rows = Choice.objects.filter(question_id__in=ids).values_list(
        "question_id", "question__stem", "key", "text", "is_correct", "feedback"
    )
    for question_id, stem, key, text, is_correct, feedback in rows:
        choices[question_id][key] = (text, is_correct, feedback)
        found[question_id] = (stem, choices[question_id])
    return found


def unchanged(item: AttemptItem, question: tuple[str, dict[str, tuple]] | None) -> bool:
    """Whether the question still reads exactly as the item showed it."""
    if question is None:
        return False
    stem, choices = question
    shown = {choice["key"]: choice["text"] for choice in item.choices}
    return (
        stem == item.stem
        and shown == {key: text for key, (text, _, _) in choices.items()}
        and all(
            is_correct == (key == item.correct_key) for key, (_, is_correct, _) in choices.items()
        )
    )


def review_items(
    items: list[AttemptItem],
    *,
    topic_urls: dict[int, str],
    report_link: str,
    star_link: str = "",
    starred: frozenset[int] = frozenset(),
    slot: str,
) -> list[ReviewItem]:
    """Each item with its lettered choices and the feedback that still fits it.

    ``report_link`` and ``star_link`` are the report page's and the star endpoint's URLs
    with ``slot`` where the position goes; ``starred`` holds the starred items' positions.
    """
    questions = current_questions(items)
    reviewed = []
    for item in items:
        question = questions.get(item.question_id) if item.question_id else None
        fits = unchanged(item, question)
        feedback = {key: fb for key, (_, _, fb) in question[1].items()} if fits else {}
        reviewed.append(
            ReviewItem(
                item=item,
                state=state_of(item),
                choices=tuple(
                    ReviewChoice(
                        letter=LETTERS[index],
                        key=choice["key"],
                        text=choice["text"],
                        is_key=choice["key"] == item.correct_key,
                        is_chosen=choice["key"] == item.chosen_key,
                        is_struck=choice["key"] in item.struck_keys,
                        feedback=feedback.get(choice["key"], ""),
                    )
                    for index, choice in enumerate(item.choices)
                ),
                changed_since=not fits,
                topic_url=topic_urls[item.topic_id],
                report_url=report_link.replace(slot, str(item.position)),
                star_url=star_link.replace(slot, str(item.position)),
                starred=item.position in starred,
            )
        )
    return reviewed


def filter_counts(reviewed: list[ReviewItem]) -> dict[str, int]:
    """How many items each filter of the result page shows."""
    return {
        "all": len(reviewed),
        "incorrect": sum(1 for r in reviewed if r.state != ItemState.CORRECT),
        "unanswered": sum(1 for r in reviewed if r.state == ItemState.BLANK),
        "marked": sum(1 for r in reviewed if r.marked),
    }
