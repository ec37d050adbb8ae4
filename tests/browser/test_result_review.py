"""The result page of a 100-item attempt in a real browser: short on a phone, nothing cut off,
filters that hide lines without a page load, a jump that opens item n, no serious axe finding;
and the same page read without JavaScript (issue 17, part 2)."""

import re

import pytest
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import Attempt, Exam
from tests.factories import answer

from .conftest import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
MAX_PHONE_HEIGHT = 12_000  # px, every line collapsed (the old page was about 90,000)
BLANK_EVERY, WRONG_EVERY, MARKED_EVERY = 10, 3, 7


def expected_counts(item_count: int) -> dict[str, int]:
    positions = range(1, item_count + 1)
    blank = [p for p in positions if p % BLANK_EVERY == 0]
    wrong = [p for p in positions if p % WRONG_EVERY == 0 and p not in blank]
    return {
        "all": item_count,
        "incorrect": len(blank) + len(wrong),
        "unanswered": len(blank),
        "marked": sum(1 for p in positions if p % MARKED_EVERY == 0),
    }


@pytest.fixture
def hundred(candidate) -> Attempt:
    """The candidate's submitted full mock: every tenth item blank, every third (of the rest)
    wrong, every seventh marked for review."""
    exam = Exam.objects.get(slug="full-mock")
    attempt = services.start_attempt(user=candidate, exam=exam, seed=7)
    for item in attempt.items.order_by("position"):
        position = item.position
        if position % MARKED_EVERY == 0:
            services.set_marked(
                attempt_id=attempt.pk, user=candidate, position=position, marked=True
            )
        if position % BLANK_EVERY == 0:
            continue
        wrong = next(key for key in item.choice_keys if key != item.correct_key)
        key = wrong if position % WRONG_EVERY == 0 else item.correct_key
        answer(attempt, position, key, sequence=position)
    return services.submit_attempt(attempt=attempt)


def result_url(attempt: Attempt) -> str:
    return f"/attempts/{attempt.pk}/result/"


def visible_lines(page):
    return page.locator(".result-line:visible")


def filter_button(page, name: str):
    return page.get_by_role("navigation", name="Show items").get_by_role(
        "button", name=re.compile(rf"^{name} \(\d+\)$")
    )


def sideways_scroll(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_a_100_item_result_is_short_fits_the_width_and_passes_axe(
    axe_page, log_in, candidate, hundred, viewport, tmp_path
):
    page = axe_page
    log_in(page, candidate)
    page.set_viewport_size(viewport)
    page.goto(result_url(hundred))

    expect(page.get_by_role("heading", name=re.compile(r"^Score: \d+ %$"))).to_be_visible()
    expect(page.locator(".result-line")).to_have_count(100)
    expect(page.locator(".result-details[open]")).to_have_count(0)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    print(f"\nresult page of 100 items at {viewport['width']} px: {height} px tall")
    page.screenshot(path=tmp_path / f"result-{viewport['width']}.png", full_page=True)
    if viewport == PHONE:
        assert height < MAX_PHONE_HEIGHT, f"{height} px tall"
    assert sideways_scroll(page) <= 0
    problems = axe_violations(page)

    # Opened, with a filter on, the page still fits and passes.
    filter_button(page, "Incorrect").click()
    page.locator("#item-3 .result-line-summary").click()
    expect(page.locator("#item-3 > .result-details")).to_have_attribute("open", "")
    page.screenshot(path=tmp_path / f"result-{viewport['width']}-open.png", full_page=True)
    assert sideways_scroll(page) <= 0
    problems += axe_violations(page)
    assert not problems, format_violations(problems)


@pytest.mark.parametrize("viewport", [PHONE])
def test_the_filters_hide_lines_without_a_page_load(signed_in, hundred, viewport):
    page = signed_in
    counts = expected_counts(hundred.item_count)
    page.goto(result_url(hundred))
    page.evaluate("() => { window.stillTheSamePage = true; }")
    expect(filter_button(page, "All")).to_have_attribute("aria-pressed", "true")

    for name in ("Incorrect", "Unanswered", "Marked", "All"):
        button = filter_button(page, name)
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(button).to_have_text(f"{name} ({counts[name.lower()]})")
        expect(visible_lines(page)).to_have_count(counts[name.lower()])
        expect(page.get_by_role("status").filter(has_text="Showing")).to_have_text(
            re.compile(rf"^Showing (all )?{counts[name.lower()]} ")
        )
        assert page.evaluate("() => window.stillTheSamePage") is True
        if name != "All":
            assert page.url.endswith(f"?show={name.lower()}")
            cells = page.locator(".jump-cell:visible")
            expect(cells).to_have_count(counts[name.lower()])
    assert page.url.endswith(result_url(hundred))

    # The blanks' lines say so in words, not color alone.
    filter_button(page, "Unanswered").click()
    for text in visible_lines(page).locator(".result-line-summary").all_inner_texts():
        assert "Not answered" in text


@pytest.mark.parametrize("viewport", [PHONE])
def test_a_jump_opens_item_n_even_when_a_filter_hid_it(signed_in, hundred, viewport):
    page = signed_in
    page.goto(result_url(hundred))

    page.get_by_role("link", name=re.compile(r"^57\W*, ")).click()

    line = page.locator("#item-57")
    expect(line.locator(".result-details")).to_have_attribute("open", "")
    expect(line.locator(".result-choice")).to_have_count(
        len(hundred.items.get(position=57).choices)
    )
    expect(line.locator(".choice-letter").first).to_have_text("A.")
    expect(line.locator(".explanation")).to_be_in_viewport()
    assert page.url.endswith("#item-57")

    # Item 5 was answered right: the "Marked" filter hides it; a jump there shows all again.
    filter_button(page, "Marked").click()
    expect(page.locator("#item-5")).to_be_hidden()
    page.evaluate("() => { window.location.hash = '#item-5'; }")
    expect(page.locator("#item-5 > .result-details")).to_have_attribute("open", "")
    expect(page.locator("#item-5 .result-line-summary")).to_be_in_viewport()
    expect(filter_button(page, "All")).to_have_attribute("aria-pressed", "true")


@pytest.mark.parametrize("viewport", [PHONE])
def test_a_link_to_an_item_opens_it_on_arrival(signed_in, hundred, viewport):
    page = signed_in
    page.goto(result_url(hundred) + "#item-88")

    expect(page.locator("#item-88 > .result-details")).to_have_attribute("open", "")
    expect(page.locator("#item-88 .result-line-summary")).to_be_in_viewport()
    expect(page.locator(".result-details[open]")).to_have_count(1)


@pytest.mark.parametrize("viewport", [PHONE])
def test_without_javascript_the_page_reads_fully_and_the_filter_links_work(
    new_page, log_in, candidate, hundred, viewport
):
    page = new_page(java_script_enabled=False)
    log_in(page, candidate)
    counts = expected_counts(hundred.item_count)
    page.goto(result_url(hundred))
    expect(page.locator(".result-line")).to_have_count(100)

    page.get_by_role("link", name=f"Incorrect ({counts['incorrect']})").click()
    page.wait_for_url(re.compile(r"\?show=incorrect#items$"))
    expect(visible_lines(page)).to_have_count(counts["incorrect"])
    expect(page.get_by_role("link", name=re.compile(r"^Incorrect"))).to_have_attribute(
        "aria-current", "true"
    )

    line = visible_lines(page).first
    line.locator(".result-line-summary").click()
    expect(line.locator(".explanation")).to_be_visible()
    expect(line.locator(".result-choice").first).to_be_visible()
    assert sideways_scroll(page) <= 0
