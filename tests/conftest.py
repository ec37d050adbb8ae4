import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTENT_DIR = REPO / "content"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: its database is new, cached pages must be too."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def write_bank(tmp_path):
    """Write a YAML bank file (dedented) into a temporary folder and return its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write
