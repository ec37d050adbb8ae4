"""What the taking page carries: every item of the attempt, once, for the page script.

The script moves between items without a page load, so the page holds each item's stem and
choices (rendered and sanitized here, as the template would), and apart from them each
item's answer, its version, the mark and the struck-out choices. Never the key, the
feedback or the explanation: those stay on the server until the attempt is submitted, except
in a tutor session, whose page adds them for the items already answered (``quizzes.tutor``).

The stems and choices are a snapshot that never changes for an attempt, and rendering and
escaping a hundred of them was most of the page's time; so they are rendered once per
attempt and cached as the finished ``<script type="application/json">`` element. Only the
small state (answers, versions, marks, strikes) is read on every view.
"""

import json

from django.db import connection
from django.utils.html import json_script
from django.utils.safestring import SafeString

from crss_prep import page_cache
from quizzes.models import Attempt, AttemptItem
from quizzes.rendering import render_inline_markdown, render_markdown

LETTERS = "ABCDEF"
STATE_FIELDS = ("position", "chosen_key", "marked", "version", "struck_keys")
CACHE_VERSION = 1  # move when the rendering of items changes
MAX_AGE = 60 * 60 * 24


def item_content(stem: str, choices: list[dict]) -> dict:
    """One item's stem and choices as shown: sanitized HTML, letters A-F in shuffled order."""
    return {
        "stem": str(render_markdown(stem)),
        "choices": [
            {
                "key": choice["key"],
                "letter": LETTERS[index],
                "html": str(render_inline_markdown(choice["text"])),
            }
            for index, choice in enumerate(choices)
        ],
    }


def items_script(attempt: Attempt) -> SafeString:
    """Every item's content, in order, as the JSON element ``#attempt-items`` (cached)."""
    # started_at too: SQLite can give a deleted attempt's id to a new one.
    key = page_cache.key(
        "take-items", vary=(CACHE_VERSION, attempt.pk, attempt.started_at.timestamp())
    )

    def script() -> SafeString:
        rows = attempt.items.order_by("position").values_list("stem", "choices")
        return json_script([item_content(*row) for row in rows], "attempt-items")

    return page_cache.cached(key, script, timeout=MAX_AGE)


def item_states(attempt: Attempt) -> list[tuple[int, str, bool, int, str]]:
    """(position, chosen key, marked, version, struck keys) of every item, in order."""
    return list(attempt.items.order_by("position").values_list(*STATE_FIELDS))


# The taking page's one read of its items, written once: through the query builder, building
# the statement took longer than running it.
ON_SCREEN_SQL = f"""
    SELECT {", ".join(STATE_FIELDS)},
        CASE WHEN position = %(position)s THEN stem END,
        CASE WHEN position = %(position)s THEN choices END
    FROM {AttemptItem._meta.db_table}
    WHERE attempt_id = %(attempt)s
    ORDER BY position
"""  # noqa: S608 -- names from the model; every value is a parameter


def items_on_screen(attempt: Attempt, position: int) -> tuple[list[tuple], dict | None]:
    """Every item's state (as ``item_states``) and the content of the item at ``position``,
    rendered by the template so that the page works without the script (None when there is
    no such item): one query, whose rows carry the stem and choices only at ``position``."""
    with connection.cursor() as cursor:
        cursor.execute(ON_SCREEN_SQL, {"attempt": attempt.pk, "position": position})
        rows = cursor.fetchall()
    states, content = [], None
    for item_position, chosen, marked, version, struck, stem, choices in rows:
        # Raw rows: SQLite gives the flag as 0 or 1, and both give the JSON as its text.
        states.append((item_position, chosen, bool(marked), version, struck))
        if stem is not None:
            content = item_content(stem, json.loads(choices))
    return states, content


def page_state(states: list[tuple], links: dict[str, str]) -> dict:
    """The per-view JSON of the taking page: its URLs and each item's [chosen, marked,
    version, struck keys ("bd")], in the order of ``#attempt-items``."""
    return {"urls": links, "items": [list(state[1:]) for state in states]}
