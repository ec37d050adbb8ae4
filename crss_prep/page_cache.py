"""Named versions: the one way cached page parts know that their data changed.

A version is a number kept in the cache that moves whenever its data changes. A cached part's
key holds the versions of everything it shows, so the first view after a change misses and
draws it again, in every process (with Redis; the per-process memory cache of a local run
also lets entries expire after ``MAX_AGE``, the most a page can lag there). Keys are built
here, in Python, and handed to templates whole.

Who bumps what (``tests/test_page_cache.py`` makes each change and checks the pages):

- ``content``: a topic, question, choice or exam saved or deleted (signals, quizzes/apps.py);
  the bank importer and ``quizzes.authoring.publishing`` (the admin's publish and retire
  actions): bulk writes send no signals.
- ``user:<id>``: ``quizzes.services`` when an attempt starts, is submitted or is closed
  overdue (an answer changes nothing a cached part shows). Every bump of a user also bumps
  each cohort they belong to (``user_changed``, received in cohorts/cache_versions.py).
- ``cohort:<id>``: a membership is made or removed, by any path (signals,
  cohorts/cache_versions.py); a member's user version moves.
- ``stars:<user id>``: ``quizzes.stars`` when the candidate stars or unstars a question
  (the result page's star buttons show it).

Parts that need no other version: a submitted attempt's result and a started attempt's
items never change (their keys hold the attempt and its submit or start time); the admin's item
statistics follow every candidate's answers and are recomputed at most once a minute.
"""

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal

CONTENT = "content"
MAX_AGE = 300  # seconds; only matters for a per-process cache, see above

T = TypeVar("T")

# Sent with ``user_id`` after a user's version moved.
user_changed = Signal()


def user(user_id: int) -> str:
    return f"user:{user_id}"


def cohort(cohort_id: int) -> str:
    return f"cohort:{cohort_id}"


def stars(user_id: int) -> str:
    return f"stars:{user_id}"


def read_versions(names: tuple[str, ...]) -> list[int | None]:
    """The current value of each named version, read in one round trip."""
    if not names:
        return []
    keys = [f"version:{name}" for name in names]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            # A clock reading, not 1: a restarted cache must not reuse an old version's
            # entries. ``add``: another process may have started the same version.
            cache.add(key, time.time_ns(), timeout=None)
        found |= cache.get_many(missing)
    return [found.get(key) for key in keys]


def bump(name: str) -> None:
    """Move ``name``'s version: now (this request's own next read must not be stale) and
    again at commit (another process may have cached the old data under the first bump)."""
    _new_version(name)
    transaction.on_commit(lambda: _new_version(name))


def bump_user(user_id: int) -> None:
    bump(user(user_id))
    user_changed.send(sender=None, user_id=user_id)


def _new_version(name: str) -> None:
    cache.set(f"version:{name}", time.time_ns(), timeout=None)


def key(part: str, *, versions: tuple[str, ...] = (), vary: tuple[Hashable, ...] = ()) -> str:
    """The cache key of a page part: its name, the current value of each named version it
    shows, and what else it varies by (a page's filter, who is looking)."""
    current = zip(versions, read_versions(versions), strict=True)
    return ":".join([part, *(f"{name}={value}" for name, value in current), *map(str, vary)])


def cached(part_key: str, compute: Callable[[], T], *, timeout: int = MAX_AGE) -> T:
    """``compute()``, kept under ``part_key`` (a cached None is a hit too)."""
    hit = cache.get(part_key)
    if hit is not None:
        return hit[0]
    value = compute()
    cache.set(part_key, (value,), timeout=timeout)
    return value


def content_cached(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, cached until the content changes."""
    return cached(key(name, versions=(CONTENT,)), compute)


def bump_content(sender=None, **kwargs) -> None:
    """Call after a change to content; also the receiver of the content models' signals."""
    bump(CONTENT)
