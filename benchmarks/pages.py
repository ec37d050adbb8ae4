"""The measured pages: what each one requests and the marker that proves a real answer.

Pure data, shared by the HTTP tier (wrk), the quick tier (test client) and the tests. A
response counts as a success only when it is a 200 whose body holds the page's marker: a
redirect to the login page, a 409 or an error page never does.
"""

from dataclasses import dataclass

BASELINE = "baseline"
COHORT_NAME = "Benchmark cohort (200 learners)"


@dataclass(frozen=True)
class Page:
    name: str
    marker: str
    method: str = "GET"
    as_lead: bool = False  # requested by a cohort lead rather than a candidate

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
)
PAGES_BY_NAME = {page.name: page for page in PAGES}
TARGET_PAGES = tuple(page for page in PAGES if not page.is_baseline)


# The taking page's script posts a FormData: multipart, as a browser encodes it.
ANSWER_BOUNDARY = "----CrssBenchBoundary7MA4YWxkTrZu0gW"
ANSWER_CONTENT_TYPE = f"multipart/form-data; boundary={ANSWER_BOUNDARY}"


def answer_body(choice: str, sequence: int | str) -> str:
    """The autosave body (``choice`` and ``sequence`` fields), as exam.js sends it."""
    parts = [
        f'--{ANSWER_BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in (("choice", choice), ("sequence", sequence))
    ]
    return "".join(parts) + f"--{ANSWER_BOUNDARY}--\r\n"


def is_success(page: Page, status: int, body: str) -> bool:
    return status == 200 and page.marker in body
