"""The learning loop in a real browser: two short mocks fill the history page with a trend
chart, a mastery table and a readiness estimate; home, history and topic pages pass axe."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Exam, Selection

from .conftest import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHORT_MOCK_ITEMS = 20


@pytest.fixture
def short_mock(site_data):
    return Exam.objects.create(
        slug="short-mock",
        title="Short mock",
        item_count=SHORT_MOCK_ITEMS,
        minutes=30,
        pass_mark=68,
        all_topics=True,
        selection=Selection.WEIGHTED,
        position=0,
    )


def take_short_mock(page, live_server, *, correct_first: bool) -> None:
    """Start the short mock from the catalogue, answer every item, submit."""
    page.goto(f"{live_server.url}/exams/")
    page.get_by_role("button", name=re.compile(r"Start exam\s*:\s*Short mock")).click()
    for position in range(1, SHORT_MOCK_ITEMS + 1):
        expect(page.locator("#item-heading")).to_have_text(f"Item {position} of {SHORT_MOCK_ITEMS}")
        page.locator("#answer-form label.form-check-label").nth(0 if correct_first else 1).click()
        expect(page.locator("#save-status")).to_have_text("All answers saved")
        if position < SHORT_MOCK_ITEMS:
            page.get_by_role("link", name="Next", exact=True).click()
    page.get_by_role("link", name="Review and submit").click()
    page.get_by_role("button", name="Submit exam").click()
    page.get_by_role("dialog").get_by_role("button", name="Submit exam").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/result/$"))


def test_two_mocks_show_trend_mastery_and_readiness(
    page, live_server, candidate, log_in, short_mock
):
    log_in(page, candidate)
    page.goto(f"{live_server.url}/history/")
    expect(page.locator("#readiness-figure")).to_contain_text("Answer 40 more questions")

    take_short_mock(page, live_server, correct_first=True)
    take_short_mock(page, live_server, correct_first=False)
    page.goto(f"{live_server.url}/history/")

    expect(page.locator("svg.trend-chart circle.dot")).to_have_count(2)
    expect(page.locator("table.trend-table tbody tr")).to_have_count(2)
    expect(page.locator(".mastery-table tbody tr").first).to_contain_text("answer")
    expect(page.locator("#readiness-figure")).to_have_text(
        re.compile(r"Estimated chance to pass a full mock: \d+ %")
    )
    expect(page.locator(".readiness-score")).to_have_text(
        re.compile(r"Likely mock score: \d+-\d+ %")
    )
    expect(page.locator(".attempts-table tbody tr")).to_have_count(2)


def test_home_history_and_topic_pages_pass_axe(
    axe_page, live_server, candidate, log_in, short_mock
):
    log_in(axe_page, candidate)
    take_short_mock(axe_page, live_server, correct_first=False)
    for path in ["/", "/history/", "/topics/", "/topics/power-dynamics/"]:
        axe_page.goto(f"{live_server.url}{path}")
        violations = axe_violations(axe_page)
        assert not violations, f"{path}\n{format_violations(violations)}"
