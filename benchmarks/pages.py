"""The measured pages: what each one requests and the marker that proves a real answer.

Pure data, shared by the HTTP tier (wrk), the quick tier (test client) and the tests. A
response counts as a success only when it is a 200 whose body holds the page's marker: a
redirect to the login page, a 409 or an error page never does. The ``exam`` scenario is a
whole mock of different requests (``exam.py``), each with its own expected answer.
"""

from dataclasses import dataclass
from urllib.parse import quote_plus

BASELINE = "baseline"
EXAM = "exam"
COHORT_NAME = "Benchmark cohort (200 learners)"
# Slots in a request's body that wrk fills per request (lua/*.lua).
SEQUENCE_SLOT = "{sequence}"  # a number that only grows, per client
TOKEN_SLOT = "{token}"  # the client's CSRF token


@dataclass(frozen=True)
class Page:
    name: str
    marker: str
    method: str = "GET"
    as_lead: bool = False  # requested by a cohort lead rather than a candidate
    scenario: bool = False  # a sequence of different requests (exam.py), not one page

    @property
    def is_baseline(self) -> bool:
        return self.name == BASELINE


PAGES = (
    Page(BASELINE, "baseline-ok"),
    Page("item", 'id="answer-form"'),
    Page("autosave", '"saved": true', method="POST"),
    # The last item of a 100-item result: the whole page was rendered.
    Page("result", 'id="item-100"'),
    Page("history", 'id="attempts-heading"'),
    Page("dashboard", COHORT_NAME, as_lead=True),
    # A whole full mock per client, start to result: each step has its own marker (exam.py).
    Page(EXAM, "", method="POST", scenario=True),
)
PAGES_BY_NAME = {page.name: page for page in PAGES}
TARGET_PAGES = tuple(page for page in PAGES if not page.is_baseline)
# The review page holds the submit form; a marked item answers this as JSON.
REVIEW_MARKER = 'id="submit-form"'
MARKED_MARKER = '"marked": true'


# The taking page's script posts URLSearchParams: a urlencoded form, as a browser sends it.
ANSWER_CONTENT_TYPE = "application/x-www-form-urlencoded"


def form_body(fields: dict[str, str | int]) -> str:
    """A urlencoded body, as URLSearchParams or a form encodes it; the slots are kept."""

    def encode(value: str | int) -> str:
        return value if value in (SEQUENCE_SLOT, TOKEN_SLOT) else quote_plus(str(value))

    return "&".join(f"{quote_plus(name)}={encode(value)}" for name, value in fields.items())


def answer_body(choice: str, sequence: int | str) -> str:
    """The autosave body (``choice`` and ``sequence`` fields), as exam.js sends it."""
    return form_body({"choice": choice, "sequence": sequence})


def is_success(page: Page, status: int, body: str) -> bool:
    return status == 200 and page.marker in body
