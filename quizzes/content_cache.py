"""Caching what pages compute from the whole bank, until the bank changes.

Topic counts, the mock exam's weights and the adaptive drills are the same for every
candidate and change only when trainers edit or import content, yet home and history
asked the database for them on every view. They are cached under a *content version*:
a number that moves whenever a topic, question, choice or exam is saved or deleted
(signals, connected in apps.py) and after bulk writes that bypass signals (the bank
importer, the admin's publish/retire actions call ``bump_content_version``).

The version lives in the cache itself. With Redis (production) every process sees a
bump at once; with the per-process memory cache, other processes would not, so entries
also expire after ``MAX_AGE`` seconds: the most a page can lag an edit there.
"""

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content-version"
MAX_AGE = 300

T = TypeVar("T")


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A clock reading, not 1: a restarted cache must not reuse an old version's entries.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version() -> None:
    """Call after a change to content.

    Bumped now (this request's own next read must not be stale) and again at commit
    (another process may have cached the old content under the first bump meanwhile).
    """
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def content_cached(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, cached under ``name`` until the content changes."""
    key = f"content:{content_version()}:{name}"
    hit = cache.get(key)
    if hit is not None:
        return hit[0]  # stored in a 1-tuple, so that a cached None is a hit too
    value = compute()
    cache.set(key, (value,), timeout=MAX_AGE)
    return value


def bump_on_change(sender, **kwargs) -> None:
    """Signal receiver for post_save / post_delete of the content models."""
    bump_content_version()
