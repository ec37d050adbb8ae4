"""The history page's trend chart in a real browser, on a phone and a desktop: it fits the
width, its labels are readable, its axis shows dates that do not overlap, pointing at,
tapping or tabbing to a point names its date and score under the chart, and axe finds
nothing serious in it."""

import re
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from playwright.sync_api import expect

from tests.factories import make_bank, make_exam, make_user, take

from .conftest import AXE_SOURCE_PATH, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
# Twelve mocks over two weeks, some on the same day, improving (items right out of 10).
MOCKS = [(0, 4), (1, 5), (1, 4), (3, 6), (4, 5), (6, 6), (7, 7), (7, 6), (9, 7), (10, 8), (12, 7)]
MOCKS += [(13, 9)]
FIRST_MOCK = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 9:00 in the site's Chicago time

CHART_AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture
def learner():
    make_bank(topics=2, per_topic=12)
    exam = make_exam(items=10, title="Mini mock")
    user = make_user("trend-learner")
    for day, right in MOCKS:
        when = FIRST_MOCK + timedelta(days=day, hours=right)
        take(exam, user, right=right, now=when)
    return user


def open_history(page, user) -> None:
    """Log in through the real form (the session stays valid whatever backend signs it) and
    open the history page."""
    page.goto("/accounts/login/?next=/history/")
    page.get_by_role("textbox", name=re.compile(r"^Username")).fill(user.get_username())
    page.get_by_role("textbox", name=re.compile(r"^Password")).fill("pw-for-tests")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/history/$"))


def chart_text_sizes(page) -> list[float]:
    """The rendered size, in CSS px, of every label in the chart: its font size in the SVG's
    user units times the SVG's scale on screen."""
    return page.evaluate(
        """() => {
            const svg = document.querySelector("svg.trend-chart");
            const scale = svg.getScreenCTM().a;
            return Array.from(svg.querySelectorAll("text"),
                (text) => parseFloat(getComputedStyle(text).fontSize) * scale);
        }"""
    )


def date_label_boxes(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("svg.trend-chart text.date"), (text) => {
            const box = text.getBoundingClientRect();
            return {text: text.textContent, left: box.left, right: box.right};
        })"""
    )


def chart_axe_violations(page) -> list[dict]:
    """axe-core's serious and critical findings inside the trend chart's section."""
    page.add_script_tag(content=AXE_SOURCE_PATH.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async (tags) => {
            const context = {include: [["section[aria-labelledby='trend-heading']"]]};
            const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
            return (await window.axe.run(context, options)).violations;
        }""",
        CHART_AXE_RULES,
    )
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize(
    ("viewport", "smallest", "largest"), [(PHONE, 11, 14), (DESKTOP, 11, 17)], ids=["375", "1280"]
)
def test_the_trend_chart_reads_well(
    new_page, live_server, learner, viewport, smallest, largest, tmp_path
):
    phone = viewport == PHONE
    page = new_page(has_touch=phone)
    open_history(page, learner)
    chart = page.locator("svg.trend-chart")
    expect(chart.locator(".point")).to_have_count(len(MOCKS))

    # The chart's own section: the page as a whole also holds the mastery table, which is
    # wider than a phone at the time of writing (that is the mastery table's to mend).
    assert page.evaluate(
        """() => Array.from(
            document.querySelectorAll("section[aria-labelledby='trend-heading'], \
                                       section[aria-labelledby='trend-heading'] *"),
            (element) => element.getBoundingClientRect().right,
        ).every((right) => right <= document.documentElement.clientWidth)"""
    ), f"the trend chart's section is wider than {viewport['width']} px"
    sizes = chart_text_sizes(page)
    print(f"\nchart labels at {viewport['width']} px: {min(sizes):.1f}-{max(sizes):.1f} px")
    assert smallest <= min(sizes) and max(sizes) <= largest, sizes

    boxes = date_label_boxes(page)
    texts = [box["text"] for box in boxes]
    assert (texts[0], texts[-1]) == ("Mar 2", "Mar 15")
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", box["text"]) for box in boxes)
    for left, right in pairwise(boxes):
        assert left["right"] < right["left"], boxes
    expect(chart.locator(".pass-label")).to_have_text("pass 68 %")

    caption = page.locator("#trend-caption")
    expect(caption).to_have_attribute("aria-live", "polite")
    fourth = chart.locator(".point").nth(3)
    if phone:
        fourth.tap()
    else:
        fourth.hover()
    expect(caption).to_have_text("Mar 5, 2026: 60 %, below the pass mark")
    expect(fourth).to_have_accessible_name("Mar 5, 2026: 60 %, below the pass mark")
    expect(fourth).to_have_accessible_description("")  # the name is not read twice

    chart.locator(".point").last.focus()
    expect(caption).to_have_text("Mar 15, 2026: 90 %, a pass")
    page.keyboard.press("ArrowLeft")
    expect(caption).to_have_text("Mar 14, 2026: 70 %, a pass")
    page.keyboard.press("Home")
    expect(caption).to_have_text("Mar 2, 2026: 40 %, below the pass mark")

    page.screenshot(path=tmp_path / f"history-{viewport['width']}.png", full_page=True)
    page.locator("section[aria-labelledby='trend-heading']").screenshot(
        path=tmp_path / f"trend-section-{viewport['width']}.png"
    )


@pytest.mark.parametrize("viewport", [PHONE])
def test_the_trend_chart_passes_axe(new_page, live_server, learner):
    page = new_page(bypass_csp=True)
    open_history(page, learner)
    page.locator("svg.trend-chart .point").nth(2).focus()

    violations = chart_axe_violations(page)
    assert not violations, format_violations(violations)


@pytest.mark.parametrize("viewport", [PHONE])
def test_without_javascript_the_chart_and_table_still_say_everything(
    new_page, live_server, learner
):
    page = new_page(java_script_enabled=False)
    open_history(page, learner)

    expect(page.locator("#trend-caption")).to_be_hidden()
    expect(page.locator("svg.trend-chart text.date").first).to_have_text("Mar 2")
    expect(page.locator("table.trend-table tbody tr")).to_have_count(len(MOCKS))
    expect(page.locator("table.trend-table tbody tr").last).to_contain_text("90 %")
