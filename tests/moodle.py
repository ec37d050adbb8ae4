"""Moodle's own GIFT fixture files, read where they lie outside the project."""

import os
import sys
import warnings
from pathlib import Path

import pytest

# Moodle's fixtures are GPL data kept outside the project: read them, never copy them in.
MOODLE_GIFT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "moodle-gift"
MISSING_FIXTURES = (
    f"Moodle's GIFT fixture files are missing from {MOODLE_GIFT_DIR}: the GIFT tests that "
    "read them did not run"
)


def moodle_fixture(name: str) -> Path:
    """The path of one of Moodle's fixture files; fails on CI and skips loudly elsewhere."""
    path = MOODLE_GIFT_DIR / name
    if not path.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(MISSING_FIXTURES)
        warnings.warn(MISSING_FIXTURES, stacklevel=2)
        print(f"WARNING: {MISSING_FIXTURES}", file=sys.stderr)
        pytest.skip(MISSING_FIXTURES)
    return path
