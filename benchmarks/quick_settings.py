"""Settings of the quick tier: the production settings, in-process, on SQLite in memory."""

import os
import secrets

# Production (debug off), with the baseline view mounted; set before the settings are read.
os.environ.pop("DJANGO_DEBUG", None)
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["CRSS_BENCHMARK_MODE"] = "1"
os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")

from crss_prep.settings import *  # noqa: F403
from crss_prep.settings import STORAGES

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "OPTIONS": {"transaction_mode": "IMMEDIATE"},
    }
}
# No collectstatic in-process: plain storage instead of the manifest (a dict lookup either way).
STORAGES = STORAGES | {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}
