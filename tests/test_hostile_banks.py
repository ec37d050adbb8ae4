"""Hostile bank files: random and mutated input never raises; every error is `path:line:`."""

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.authoring.banks import read_banks
from quizzes.authoring.gift.parser import parse_gift
from tests.banks import GOOD_TOPIC

ERROR_LINE = re.compile(r"^.+:\d+: \S")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_text(data: bytes) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.yaml"
        path.write_bytes(data)
        _, errors = read_banks([path])
    return [str(error) for error in errors]


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_give_clean_errors(data):
    for error in read_text(data):
        assert ERROR_LINE.match(error), error


@FUZZ
@given(
    st.integers(min_value=0, max_value=len(GOOD_TOPIC)),
    st.integers(min_value=0, max_value=40),
    st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`\n\t ab1")), max_size=12),
)
def test_mutated_bank_gives_clean_errors_or_loads(start, length, replacement):
    mutated = GOOD_TOPIC[:start] + replacement + GOOD_TOPIC[start + length :]

    for error in read_text(mutated.encode()):
        assert ERROR_LINE.match(error), error


@FUZZ
@given(st.text(max_size=1500))
def test_random_gift_text_never_raises(text):
    parse_gift(text)
