"""Tutor mode in a real browser on a 375 px phone (issue 20, part 2): a candidate builds a
10-item untimed tutor session on one topic, sees the verdict, the key and why after each
answer, strikes out a choice, stars an item and finishes; offline, the answer waits on the
device and is checked once the line is back; nothing scrolls sideways and axe finds nothing
serious on an item with its feedback shown."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, AttemptItem, AttemptKind, AttemptStatus, StarredQuestion, Topic
from quizzes.practice import PracticeRequest, start_practice

from .conftest import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
VERDICT = re.compile(r"^(Correct|Not quite: the answer is [A-F])$")
OFFLINE = "Saved on this device; it will be checked once you are back online."
SLOW_SAVE_MS = 15_000


@pytest.fixture
def viewport() -> dict:
    return PHONE


@pytest.fixture
def session(candidate) -> Attempt:
    topic = Topic.objects.order_by("title").first()
    request = PracticeRequest(count=10, topic_ids=frozenset({topic.pk}), tutor=True)
    return start_practice(user=candidate, request=request, seed=3)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px wide"


def stored(attempt: Attempt, position: int) -> AttemptItem:
    return AttemptItem.objects.get(attempt=attempt, position=position)


def radios(page):
    return page.locator("#answer-form input[name=choice]")


def expect_checked(page, attempt: Attempt, position: int) -> None:
    """The item on screen shows its checked answer: the verdict (focused, and said), the key
    marked, the choices closed, the explanation and the notes link."""
    expect(page.locator("#feedback")).to_be_visible(timeout=SLOW_SAVE_MS)
    item = stored(attempt, position)
    letter = "ABCDEF"[[c["key"] for c in item.choices].index(item.correct_key)]
    verdict = (
        "Correct" if item.chosen_key == item.correct_key else f"Not quite: the answer is {letter}"
    )
    summary = page.locator("#feedback-summary")
    expect(summary).to_have_text(verdict, timeout=SLOW_SAVE_MS)
    expect(page.locator("#feedback")).to_be_visible()
    expect(page.locator("#feedback-explanation")).to_contain_text(
        item.explanation.split("\n")[0][:40]
    )
    expect(page.locator("#feedback-notes")).to_have_attribute("href", item.topic.get_absolute_url())
    key_radio = page.locator(f"#choice-{item.correct_key}")
    expect(key_radio).to_have_accessible_name(re.compile(r"\(correct answer\)"))
    for index in range(radios(page).count()):
        expect(radios(page).nth(index)).to_be_disabled()
    assert item.is_correct == (item.chosen_key == item.correct_key)


def test_a_candidate_builds_a_tutor_session_and_learns_after_each_answer(page, log_in, candidate):
    topic = Topic.objects.order_by("title").first()
    log_in(page, candidate)
    page.goto("/practice/")
    page.get_by_label(topic.title, exact=False).first.check()
    page.get_by_label("Number of items").fill("10")
    page.get_by_label("Untimed").check()
    page.get_by_label("After each answer: tutor mode", exact=False).check()
    page.get_by_role("button", name="Start the session").click()

    expect(page.locator("#item-heading")).to_contain_text("Item 1 of 10")
    attempt = Attempt.objects.get(user=candidate)
    assert (attempt.kind, attempt.timed, attempt.item_count) == (AttemptKind.TUTOR, False, 10)
    expect(page.locator("#shortcut-help")).to_be_visible()  # take.js took over
    expect(page.locator("#feedback")).to_be_hidden()

    # Item 1: strike a choice out (the button), then answer by pointer.
    page.get_by_role("button", name="Strike out choice D", exact=True).click()
    expect(page.locator("#save-status")).to_have_text("All answers saved", timeout=SLOW_SAVE_MS)
    page.locator("#answer-form label").nth(0).click()
    expect_checked(page, attempt, 1)
    expect(page.locator("#feedback-summary")).to_be_focused()
    expect(page.locator("#tutor-verdict")).to_have_text(VERDICT)
    assert stored(attempt, 1).struck_keys == stored(attempt, 1).choices[3]["key"]
    no_sideways_scroll(page)

    # Star it from the feedback.
    star = page.locator("#feedback").get_by_role("button", name="Star this question")
    star.click()
    expect(page.locator("#feedback .star-button")).to_have_attribute("aria-pressed", "true")
    assert StarredQuestion.objects.filter(
        user=candidate, question_id=stored(attempt, 1).question_id
    ).exists()

    # Items 2 to 10 by keyboard: Shift+letter strikes out on item 2, a letter answers.
    for position in range(2, 11):
        page.keyboard.press("n")
        heading = page.get_by_role("heading", name=f"Item {position} of 10")
        expect(heading).to_be_focused()
        expect(page.locator("#feedback")).to_be_hidden()  # nothing shown before an answer
        if position == 2:
            page.keyboard.press("Shift+B")
            expect(page.get_by_role("button", name="Strike out choice B")).to_have_attribute(
                "aria-pressed", "true"
            )
        page.keyboard.press("abcd"[position % 4])
        expect_checked(page, attempt, position)
        # A checked answer is final: another letter changes nothing.
        chosen = stored(attempt, position).chosen_key
        page.keyboard.press("abcd"[(position + 1) % 4])
        expect(page.locator(f"#choice-{chosen}")).to_be_checked()
        expect(page.locator("#answer-form input[name=choice]:checked")).to_have_count(1)
    expect(page.locator("#save-status")).to_have_text("All answers saved", timeout=SLOW_SAVE_MS)
    assert all(item.chosen_key for item in attempt.items.all())

    # Back to item 1 without a page load: its feedback, and its star, as they were.
    page.locator("#palette-1").click()
    expect_checked(page, attempt, 1)
    expect(page.locator("#feedback .star-button")).to_have_attribute("aria-pressed", "true")
    page.locator("#palette-2").click()
    expect(page.locator("#feedback .star-button")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#feedback form[data-star-form]")).to_have_attribute(
        "action", f"/attempts/{attempt.pk}/items/2/star/"
    )
    no_sideways_scroll(page)

    # Finish.
    page.get_by_role("link", name="Review and submit").click()
    page.locator("#submit-form").get_by_role("button", name="Submit exam").click()
    dialog = page.get_by_role("dialog", name="Submit your exam?")
    dialog.get_by_role("button", name="Submit exam").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Score: \d+ %$"))).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.answered_count == 10
    no_sideways_scroll(page)


def test_an_answer_chosen_offline_is_checked_once_the_line_is_back(page, log_in, session):
    log_in(page, session.user)
    page.goto(f"/attempts/{session.pk}/items/1/")
    expect(page.locator("#shortcut-help")).to_be_visible()
    page.context.set_offline(True)

    page.locator("#answer-form label").nth(1).click()

    expect(page.locator("#tutor-pending")).to_have_text(OFFLINE)
    expect(page.locator("#feedback")).to_be_hidden()
    assert not stored(session, 1).chosen_key
    no_sideways_scroll(page)

    page.context.set_offline(False)
    expect_checked(page, session, 1)
    expect(page.locator("#tutor-pending")).to_have_text("")
    assert stored(session, 1).chosen_key == radios(page).nth(1).get_attribute("value")


def test_without_the_script_a_check_shows_the_feedback_and_a_next_link(new_page, log_in, session):
    page = new_page(java_script_enabled=False)
    log_in(page, session.user)
    page.goto(f"/attempts/{session.pk}/items/4/")

    page.locator("#answer-form label").nth(2).click()
    page.get_by_role("button", name="Check answer").click()

    expect(page).to_have_url(re.compile(rf"/attempts/{session.pk}/items/4/#feedback$"))
    expect_checked(page, session, 4)
    expect(page.get_by_role("link", name="Next", exact=True)).to_have_attribute(
        "href", f"/attempts/{session.pk}/items/5/"
    )
    no_sideways_scroll(page)


def test_axe_finds_nothing_serious_on_a_tutor_item_with_its_feedback(axe_page, log_in, session):
    page = axe_page
    log_in(page, session.user)
    page.goto(f"/attempts/{session.pk}/items/1/")
    expect(page.locator("#shortcut-help")).to_be_visible()
    page.locator("#answer-form label").nth(0).click()
    expect_checked(page, session, 1)

    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    no_sideways_scroll(page)
    page.reload()  # as the server draws it
    expect_checked(page, session, 1)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
