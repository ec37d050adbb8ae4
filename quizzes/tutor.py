"""Tutor mode: a practice session that shows, after each answer, whether it was right, the
key, each choice's feedback and the explanation, with a link to the topic's notes.

The first answer stored for an item is checked at once (``services.SAVE_ANSWER_SQL`` grades
it in the statement that stores it) and is final: ``services.save_answer`` refuses another
choice (``AnswerFinal``) and accepts a retry of the same one, which the answer queue may
send. The feedback is given only for answered items of tutor sessions, never for an item
not answered yet nor for any other attempt before it is submitted.

It is drawn as on the result page (``result_items.review_items``): from the item's snapshot,
with each choice's feedback only while the question still reads as the candidate saw it.
"""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser

from .models import Attempt, AttemptItem, AttemptKind
from .rendering import render_markdown
from .result_items import review_items
from .stars import starred_positions

CORRECT = "Correct"
NOT_QUITE = "Not quite: the answer is {letter}"
FEEDBACK_FIELDS = (
    "attempt_id",
    "position",
    "question_id",
    "topic",
    "stem",
    "choices",
    "correct_key",
    "chosen_key",
    "explanation",
    "struck_keys",
    "marked",
    "is_correct",
)


@dataclass(frozen=True, slots=True)
class ChoiceFeedback:
    key: str
    letter: str
    feedback: str  # sanitized HTML; "" when there is none, or the question changed since


@dataclass(frozen=True, slots=True)
class Feedback:
    """What the page shows once an item's answer is checked."""

    position: int
    chosen: str
    correct: bool
    key: str
    letter: str  # the key's letter, as shown
    choices: tuple[ChoiceFeedback, ...]
    explanation: str  # sanitized HTML
    topic_title: str
    topic_url: str

    @property
    def summary(self) -> str:
        """What the page says at once: "Correct", or "Not quite: the answer is C"."""
        return CORRECT if self.correct else NOT_QUITE.format(letter=self.letter)

    def as_json(self) -> dict:
        return {
            "position": self.position,
            "choice": self.chosen,
            "correct": self.correct,
            "key": self.key,
            "letter": self.letter,
            "summary": self.summary,
            "choices": [
                {"key": c.key, "letter": c.letter, "feedback": c.feedback} for c in self.choices
            ],
            "explanation": self.explanation,
            "topic_title": self.topic_title,
            "topic_url": self.topic_url,
        }


def feedback_of(items: list[AttemptItem]) -> dict[int, Feedback]:
    """The feedback of those of ``items`` (with their topics) that are answered, by position:
    one query, for the choices' feedback as the questions are now."""
    answered = [item for item in items if item.chosen_key]
    topic_urls = {item.topic_id: item.topic.get_absolute_url() for item in answered}
    found = {}
    for reviewed in review_items(answered, topic_urls=topic_urls, report_link="", slot="-"):
        item = reviewed.item
        key = reviewed.key
        found[item.position] = Feedback(
            position=item.position,
            chosen=item.chosen_key,
            correct=item.chosen_key == item.correct_key,
            key=item.correct_key,
            letter=key.letter if key else "",
            choices=tuple(
                ChoiceFeedback(c.key, c.letter, render_markdown(c.feedback) if c.feedback else "")
                for c in reviewed.choices
            ),
            explanation=render_markdown(item.explanation),
            topic_title=item.topic.title,
            topic_url=reviewed.topic_url,
        )
    return found


def answered_feedback(attempt: Attempt) -> dict[int, Feedback]:
    """Every answered item's feedback for a tutor session (two queries); nothing for any
    other attempt."""
    if not attempt.is_tutor:
        return {}
    items = (
        attempt.items.exclude(chosen_key="")
        .select_related("topic")
        .only(*FEEDBACK_FIELDS)
        .order_by("position")
    )
    return feedback_of(list(items))


def item_feedback(*, attempt_id: int, user: AbstractBaseUser, position: int) -> Feedback | None:
    """The feedback of one answered item of the candidate's own tutor session, else None."""
    items = (
        AttemptItem.objects.filter(
            attempt_id=attempt_id,
            attempt__user=user,
            attempt__kind=AttemptKind.TUTOR,
            position=position,
        )
        .exclude(chosen_key="")
        .select_related("topic")
        .only(*FEEDBACK_FIELDS)
    )
    return feedback_of(list(items)).get(position)


UNCHECKED = {"is_key": False, "is_chosen": False, "feedback": ""}


def shown_choices(choices: list[dict], feedback: Feedback | None) -> list[dict]:
    """The item's choices as the taking page draws them: once checked, each says whether it
    is the key or the answer given, with its feedback."""
    if feedback is None:
        # The same fields, all off: a missing one costs the template a failed lookup per use.
        return [choice | UNCHECKED for choice in choices]
    notes = {choice.key: choice.feedback for choice in feedback.choices}
    return [
        choice
        | {
            "is_key": choice["key"] == feedback.key,
            "is_chosen": choice["key"] == feedback.chosen,
            "feedback": notes.get(choice["key"], ""),
        }
        for choice in choices
    ]


def feedback_json(feedback: dict[int, Feedback]) -> dict[str, dict]:
    return {str(position): entry.as_json() for position, entry in feedback.items()}


def page_data(attempt: Attempt, feedback: dict[int, Feedback]) -> dict:
    """What the taking page's script needs of a tutor session beside the items: the answered
    items' feedback and the starred items (one query); nothing for any other attempt."""
    if not attempt.is_tutor:
        return {}
    return {
        "tutor": True,
        "feedback": feedback_json(feedback),
        "starred": sorted(starred_positions(attempt)),
    }
