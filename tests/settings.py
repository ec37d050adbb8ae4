"""Test settings: the real settings in development mode, plus what tests need."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from crss_prep.settings import *  # noqa: F403
from crss_prep.settings import BASE_DIR, DATABASES

# Fast hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: concurrency tests need several connections to one database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
