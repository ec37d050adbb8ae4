"""The practice builder on a phone: pick a topic, a length and the timing, start, and land on
the first item; ask for more than the pool holds and be told how many there are."""

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, AttemptKind, Topic

from .conftest import axe_violations, emulate, format_violations

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def viewport() -> dict:
    return PHONE


def overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_a_candidate_builds_an_untimed_session_on_one_topic(axe_page, log_in, candidate):
    topic = Topic.objects.order_by("title").first()
    log_in(axe_page, candidate)
    axe_page.goto("/practice/")
    assert overflow(axe_page) <= 0
    violations = axe_violations(axe_page)
    assert not violations, format_violations(violations)

    axe_page.get_by_label(topic.title, exact=False).first.check()
    axe_page.get_by_label("Number of items").fill("5")
    axe_page.get_by_label("Untimed").check()
    axe_page.get_by_label("At the end, as in the exam").check()
    axe_page.get_by_role("button", name="Start the session").click()

    expect(axe_page.locator("#item-heading")).to_contain_text("Item 1 of 5")
    attempt = Attempt.objects.get(user=candidate)
    assert (attempt.kind, attempt.timed, attempt.item_count) == (AttemptKind.PRACTICE, False, 5)
    assert set(attempt.items.values_list("topic_id", flat=True)) == {topic.pk}
    expect(axe_page.locator("#timer")).to_be_hidden()
    assert overflow(axe_page) <= 0


def test_asking_for_more_than_a_topic_holds_says_how_many_it_holds(page, log_in, candidate):
    topic = Topic.objects.order_by("title").first()
    held = topic.questions.filter(status="published").count()
    log_in(page, candidate)
    page.goto("/practice/")

    page.get_by_label(topic.title, exact=False).first.check()
    page.get_by_label("Number of items").fill("100")
    page.get_by_role("button", name="Start the session").click()

    expect(page.get_by_role("alert")).to_contain_text(f"Only {held} questions match")
    assert not Attempt.objects.exists()
    assert overflow(page) <= 0


def test_a_double_tap_on_a_slow_connection_starts_one_session(page, log_in, candidate):
    topic = Topic.objects.order_by("title").first()
    log_in(page, candidate)
    page.goto("/practice/")
    page.get_by_label(topic.title, exact=False).first.check()
    page.get_by_label("Number of items").fill("5")
    emulate(page, latency=600)
    starts = []
    page.on("request", lambda r: starts.append(r) if r.method == "POST" else None)

    start = page.get_by_role("button", name="Start the session")
    start.scroll_into_view_if_needed()
    box = start.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(150)  # the first tap seems to do nothing: tap again
    page.mouse.click(x, y)

    expect(page.locator("#item-heading")).to_contain_text("Item 1 of 5", timeout=15_000)
    assert len(starts) == 2, "the browser sent the form once: nothing was tested"
    assert Attempt.objects.filter(user=candidate).count() == 1
