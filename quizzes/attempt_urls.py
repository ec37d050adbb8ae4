"""The URLs of an attempt's pages, reversed once per process instead of on every page.

A taking page needs about ten of them (the scripts' endpoints, Previous and Next, the forms,
the palette's hundred links); ``reverse`` costs about a tenth of a millisecond each. So each
is reversed once with stand-in ids, and a page fills in the attempt's id and the position.
"""

from functools import cache

from django.urls import get_script_prefix, reverse

from quizzes.models import Attempt

ATTEMPT_SLOT = 888_888  # stand-in ids, replaced by the attempt's id and an item's position
POSITION_SLOT = 999_999
PER_ITEM = {
    "item": "take_item",
    "answer": "answer_item",
    "mark": "mark_item",
    "strike": "strike_item",
    "star": "star_item",
}
PER_ATTEMPT = {
    "state": "attempt_state",
    "result": "attempt_result",
    "review": "attempt_review",
    "submit": "submit",
}


@cache
def link_patterns(script_prefix: str) -> dict[str, str]:
    """Each link with "{attempt}" and, per item, "{n}" in place of the ids."""
    patterns = {
        name: reverse(f"quizzes:{view}", args=[ATTEMPT_SLOT, POSITION_SLOT])
        for name, view in PER_ITEM.items()
    } | {
        name: reverse(f"quizzes:{view}", args=[ATTEMPT_SLOT]) for name, view in PER_ATTEMPT.items()
    }
    return {
        name: url.replace(str(ATTEMPT_SLOT), "{attempt}").replace(str(POSITION_SLOT), "{n}")
        for name, url in patterns.items()
    }


def attempt_links(attempt: Attempt) -> dict[str, str]:
    """The attempt's URLs by name; per-item ones ("item", "answer", "mark", "strike",
    "star") keep "{n}" for the position (the page script fills it in too)."""
    attempt_id = str(attempt.pk)
    return {
        name: pattern.replace("{attempt}", attempt_id)
        for name, pattern in link_patterns(get_script_prefix()).items()
    }


def item_url(links: dict[str, str], name: str, position: int) -> str:
    return links[name].replace("{n}", str(position))
