"""Striking out a choice the candidate has ruled out, and restoring it: a write path of the
exam loop like a mark (``services.set_marked``), kept apart from the answer.

Striking out the chosen choice keeps it chosen, and choosing a struck one keeps it struck:
a strike is a note to oneself that is never graded, and a stray tap must lose no answer.
"""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from .attempt_errors import AttemptError
from .models import CHOICE_KEYS, Attempt, AttemptItem
from .services import UNKNOWN_CHOICE, UNKNOWN_ITEM, VALID_KEYS, check_open, write_item

CHECKED_ALREADY = "This answer was checked already: its choices can no longer be struck out."

# A strike, like a mark, is one statement. The new value is built letter by letter, in a-f
# order: the letter being changed from the parameters, the others as they are.
# ``is_correct IS NULL``: as for a save, a strike racing a submit lands before the grade or
# not at all, so the result page (cached once submitted) shows every strike.
STRUCK_KEYS_SQL = " || ".join(
    f"CASE WHEN %(choice)s = '{key}' THEN %(struck)s "
    f"WHEN struck_keys LIKE '%%{key}%%' THEN '{key}' ELSE '' END"
    for key in CHOICE_KEYS
)
STRIKE_SQL = f"""
    UPDATE {AttemptItem._meta.db_table} SET struck_keys = {STRUCK_KEYS_SQL}
    WHERE attempt_id IN (
        SELECT id FROM {Attempt._meta.db_table}
        WHERE id = %(attempt)s AND user_id = %(user)s
            AND status = %(in_progress)s AND deadline >= %(cutoff)s
    )
    AND position = %(position)s AND choice_keys LIKE %(has_key)s AND is_correct IS NULL
    RETURNING position
"""  # noqa: S608 -- table names from the models, letters from CHOICE_KEYS; values are parameters


def set_struck(
    *,
    attempt_id: int,
    user: AbstractBaseUser,
    position: int,
    choice_key: str,
    struck: bool,
    now: datetime | None = None,
) -> None:
    """Strike out one choice of an item of the candidate's open attempt, or restore it. A
    retry of what is stored succeeds. No cached page shows strikes while the attempt is open,
    so no version moves. ``Attempt.DoesNotExist`` when the attempt is not ``user``'s."""
    now = now or timezone.now()
    if choice_key not in VALID_KEYS:
        raise AttemptError(UNKNOWN_CHOICE)
    where = {"attempt_id": attempt_id, "user": user, "position": position, "now": now}
    value = {"choice": choice_key, "struck": choice_key if struck else ""}
    if not write_item(STRIKE_SQL, **where, **value, has_key=f"%{choice_key}%"):  # keys: a-f
        check_open(Attempt.objects.for_user(user).get(pk=attempt_id), now)
        graded = list(
            AttemptItem.objects.filter(attempt_id=attempt_id, position=position).values_list(
                "is_correct", flat=True
            )
        )
        if not graded:
            raise AttemptError(UNKNOWN_ITEM.format(position=position))
        if graded[0] is not None:  # graded in an open attempt: a tutor session checked it
            raise AttemptError(CHECKED_ALREADY)
        raise AttemptError(UNKNOWN_CHOICE)
