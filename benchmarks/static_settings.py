"""Production settings, collecting with ``SourceMapTolerantStorage`` (see staticfiles.py)."""

from crss_prep.settings import *  # noqa: F403
from crss_prep.settings import STORAGES

STORAGES = STORAGES | {
    "staticfiles": {"BACKEND": "benchmarks.staticfiles.SourceMapTolerantStorage"}
}
