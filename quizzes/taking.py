"""What the taking page carries: every item of the attempt, once, for the page script.

The script moves between items without a page load, so the page holds each item's stem and
choices (rendered and sanitised here, as the template would) with the candidate's answer,
its version and the mark. Never the key, the feedback or the explanation: those stay on
the server until the attempt is submitted.
"""

from django.urls import reverse

from quizzes.models import Attempt
from quizzes.palette import POSITION_SLOT
from quizzes.rendering import render_inline_markdown, render_markdown

LETTERS = "ABCDEF"
ITEM_FIELDS = ("position", "stem", "choices", "chosen_key", "marked", "version")


def page_items(attempt: Attempt) -> list[dict]:
    """The attempt's items in order, as the page script and the template show them."""
    rows = attempt.items.order_by("position").values_list(*ITEM_FIELDS)
    return [
        {
            "position": position,
            "stem": str(render_markdown(stem)),
            "choices": [
                {
                    "key": choice["key"],
                    "letter": LETTERS[index],
                    "html": str(render_inline_markdown(choice["text"])),
                }
                for index, choice in enumerate(choices)
            ],
            "chosen": chosen_key,
            "marked": marked,
            "version": version,
        }
        for position, stem, choices, chosen_key, marked, version in rows
    ]


def attempt_links(attempt: Attempt) -> dict[str, str]:
    """The URLs the attempt's scripts use; per-item ones hold "{n}" for the position."""
    slot = str(POSITION_SLOT)

    def per_item(name: str) -> str:
        return reverse(f"quizzes:{name}", args=[attempt.pk, POSITION_SLOT]).replace(slot, "{n}")

    return {
        "item": per_item("take_item"),
        "answer": per_item("answer_item"),
        "mark": per_item("mark_item"),
        "state": reverse("quizzes:attempt_state", args=[attempt.pk]),
        "result": reverse("quizzes:attempt_result", args=[attempt.pk]),
    }


def page_data(attempt: Attempt, items: list[dict], links: dict[str, str]) -> dict:
    """The JSON the taking page embeds: the attempt, its URLs, its items."""
    return {"attempt": attempt.pk, "urls": links, "items": items}
