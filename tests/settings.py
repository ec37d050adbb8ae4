"""Test settings: the real settings in development mode, plus what tests need."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from crss_prep.settings import *  # noqa: F403
from crss_prep.settings import BASE_DIR, DATABASES

# Fast hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Several test runs at once in one checkout (say, one per developer tool) each set their
# own CRSS_TEST_DB so that they do not share, and destroy, one test database.
_run = os.environ.get("CRSS_TEST_DB", "")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: concurrency tests need several connections to one database.
    _name = f".test-db-{_run}.sqlite3" if _run else ".test-db.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / _name)}
elif _run:
    DATABASES["default"]["TEST"] = {"NAME": f"test_crss_{_run}"}
