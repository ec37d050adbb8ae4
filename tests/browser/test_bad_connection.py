"""The exam page on a bad connection, in a real browser: slow saves, a line that drops, a tab
closed with an answer unsent, two tabs on one attempt, time running out with a save pending;
and the moves between items, the review screen and logging out that the queue relies on.

Network conditions are Chromium's own (a CDP session: latency, offline), under the site's
Content Security Policy. Every check of what the server stored reads the database; the page's
save status ("All answers saved") is only waited on, never trusted alone.
"""

import contextlib
import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    AttemptTopicResult,
    FinishReason,
)

from .conftest import PageProblems, emulate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL_SAVED = "All answers saved"
NOT_SAVED = re.compile(r"^Not saved yet \(\d+\)")
RESULT_URL = re.compile(r"/attempts/\d+/result/$")
ANSWERED_ELSEWHERE = "Item 1 was answered in another tab or window after this one"
TIME_UP_OFFLINE = "Time is up: your exam will be submitted when you are back online."
PHONE = {"width": 375, "height": 740}
SLOW_SAVE_MS = 15_000  # what a status may take to settle on a slow, busy machine


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture
def open_tab():
    """``open_tab(page)``: another tab in the same context (same cookies, same storage); like
    the ``new_page`` fixture, the test fails if it raised a script error or broke the CSP."""
    problems = PageProblems()

    def open_in(page):
        tab = page.context.new_page()
        problems.watch(tab)
        return tab

    yield open_in
    assert not problems.messages, "problems inside a tab:\n" + "\n".join(problems.messages)


def item_url(attempt: Attempt, position: int) -> str:
    return f"/attempts/{attempt.pk}/items/{position}/"


def heading(page, position: int):
    return page.get_by_role("heading", name=re.compile(rf"^Item {position} of 25\b"))


def open_item(page, attempt: Attempt, position: int = 1) -> None:
    """Load an item page and wait until its script has taken over from the plain page."""
    page.goto(item_url(attempt, position))
    expect(heading(page, position)).to_be_visible()
    expect(page.locator("#shortcut-help")).to_be_visible()  # shown by take.js when ready


def save_status(page):
    return page.locator("#save-status")


def radio(page, index: int):
    return page.locator("#answer-form input[name=choice]").nth(index)


def choose(page, index: int) -> str:
    """Click the label of the index-th choice (without waiting for the save); its key."""
    page.locator("#answer-form label.form-check-label").nth(index).click()
    expect(radio(page, index)).to_be_checked()
    return radio(page, index).get_attribute("value")


def next_link(page):
    return page.get_by_role("link", name="Next", exact=True)


def palette_link(page, position: int):
    return page.get_by_role("navigation", name="All items").locator(f"#palette-{position}")


def stored_item(attempt: Attempt, position: int) -> tuple[str, int]:
    """(chosen key, version) of one item, as the server holds it."""
    return AttemptItem.objects.values_list("chosen_key", "version").get(
        attempt=attempt, position=position
    )


def choice_keys(attempt: Attempt, position: int) -> list[str]:
    """The item's choice keys in the order shown (choice 0 is the first on screen)."""
    keys = [c["key"] for c in AttemptItem.objects.get(attempt=attempt, position=position).choices]
    assert len(keys) >= 4
    return keys


def stored(attempt: Attempt) -> dict[int, str]:
    """Position -> chosen key of every item the server holds an answer for."""
    rows = AttemptItem.objects.filter(attempt=attempt).exclude(chosen_key="")
    return dict(rows.values_list("position", "chosen_key"))


def hold_saves(page, position: int) -> list:
    """Hold this page's saves of one item on the wire (a very slow line) until the test lets
    each go with ``continue_()``; the list fills as they leave."""
    held = []
    page.route(re.compile(rf"/items/{position}/answer/$"), lambda route: held.append(route))
    return held


def let_go(page, held: list) -> None:
    """Let the held saves through and stop holding (a save cancelled meanwhile, by the page
    going away, cannot be let through and need not be)."""
    for route in held:
        with contextlib.suppress(PlaywrightError):
            route.continue_()
    page.unroute_all(behavior="ignoreErrors")


def wait_until(page, condition, timeout_ms: int = 10_000) -> None:
    """Let the page's events run (route handlers among them) until ``condition()`` holds."""
    for _ in range(timeout_ms // 50):
        if condition():
            return
        page.wait_for_timeout(50)
    pytest.fail("the condition never held")


def queue_entries(page) -> dict[str, dict]:
    return page.evaluate(
        """() => Object.fromEntries(Object.keys(localStorage)
                .filter((key) => key.startsWith("crss-prep:queue:"))
                .map((key) => [key, JSON.parse(localStorage.getItem(key))]))"""
    )


def past_the_deadline(attempt: Attempt) -> int:
    """How far (ms) the page's clock must jump to pass the attempt's deadline as it started."""
    return int((attempt.deadline - timezone.now()).total_seconds() * 1000) + 2_000


def reaches_the_result(page) -> None:
    """At time-up two paths lead to the result (the countdown's submit, and the re-sync that
    finds the attempt closed); either may cut the other's navigation short, so the URL is
    awaited, not one navigation."""
    expect(page).to_have_url(RESULT_URL, timeout=SLOW_SAVE_MS)
    expect(page.get_by_role("heading", name=re.compile(r"^Score: \d+ %$"))).to_be_visible()


def record_submits(page) -> list[str]:
    """The URLs of the submits (POST .../submit/) the page sends from now on."""
    submits = []

    def record(request) -> None:
        if request.method == "POST" and request.url.endswith("/submit/"):
            submits.append(request.url)

    page.on("request", record)
    return submits


def move_deadline(attempt: Attempt, deadline) -> None:
    """Set the deadline the server goes by (the page keeps the one it was given)."""
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=deadline - timedelta(minutes=30), deadline=deadline
    )


def assert_submitted_once(attempt: Attempt, reason: str) -> None:
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.finish_reason == reason
    topics = set(attempt.items.values_list("topic_id", flat=True))
    results = list(AttemptTopicResult.objects.filter(attempt=attempt))
    assert sorted(r.topic_id for r in results) == sorted(topics)  # one row per topic: once
    assert sum(r.total for r in results) == attempt.item_count


# --- slow and broken connections ----------------------------------------------------------


def test_ten_answers_chosen_and_left_at_once_at_300_ms_latency_are_all_stored(signed_in, attempt):
    page = signed_in
    emulate(page, latency=300)
    open_item(page, attempt, 1)
    chosen = {}
    for position in range(1, 11):
        expect(heading(page, position)).to_be_visible()
        chosen[position] = choose(page, position % 4)
        next_link(page).click()  # at once: the save is still on the wire
    expect(heading(page, 11)).to_be_visible()

    expect(save_status(page)).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    assert stored(attempt) == chosen
    assert queue_entries(page) == {}


def test_an_answer_chosen_offline_is_kept_and_sent_when_the_line_is_back(signed_in, attempt):
    page = signed_in
    open_item(page, attempt, 1)
    page.context.set_offline(True)
    key = choose(page, 2)
    expect(save_status(page)).to_have_text(NOT_SAVED)
    assert stored(attempt) == {}

    page.context.set_offline(False)
    expect(save_status(page)).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    assert stored(attempt) == {1: key}


def test_an_answer_chosen_after_the_session_lapsed_waits_for_the_next_login(
    signed_in, attempt, candidate, log_in
):
    """The server answers a lapsed session with the login page (a redirect to a 200 of
    HTML): that is not an acknowledgement, and the answer must stay queued."""
    page = signed_in
    open_item(page, attempt, 1)
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    key = choose(page, 1)
    expect(save_status(page)).to_contain_text("you are signed out", timeout=SLOW_SAVE_MS)
    assert stored(attempt) == {}
    assert len(queue_entries(page)) == 1

    log_in(page, candidate)  # as in another tab: the page itself stays, and retries
    expect(save_status(page)).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    assert stored(attempt) == {1: key}
    assert queue_entries(page) == {}


def test_moving_on_offline_needs_no_page_load_and_the_answer_follows(signed_in, attempt):
    page = signed_in
    open_item(page, attempt, 1)
    page.context.set_offline(True)
    key = choose(page, 1)
    next_link(page).click()  # offline: a page load would fail
    expect(heading(page, 2)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{item_url(attempt, 2)}$"))
    expect(save_status(page)).to_have_text(NOT_SAVED)
    assert stored(attempt) == {}

    page.context.set_offline(False)
    palette_link(page, 5).click()
    expect(heading(page, 5)).to_be_visible()
    expect(save_status(page)).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    assert stored(attempt) == {1: key}
    expect(palette_link(page, 1)).to_have_accessible_name(re.compile(r"^1\s*, answered$"))


def test_an_answer_left_unsent_in_a_closed_tab_is_sent_when_the_attempt_is_opened_again(
    signed_in, attempt, open_tab
):
    page = signed_in
    context = page.context
    open_item(page, attempt, 1)
    context.set_offline(True)
    key = choose(page, 3)
    expect(save_status(page)).to_have_text(NOT_SAVED)
    page.close(run_before_unload=False)  # a keepalive send as it goes would fail: offline
    assert stored(attempt) == {}

    context.set_offline(False)
    again = open_tab(page)
    # The item itself, not the attempt's address: that one redirects to the first item the
    # server holds no answer for, and the closed tab's send may still land before it.
    again.goto(item_url(attempt, 1))
    expect(heading(again, 1)).to_be_visible()
    expect(save_status(again)).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    assert stored(attempt) == {1: key}
    expect(again.locator(f"#choice-{key}")).to_be_checked()
    assert queue_entries(again) == {}


# --- two tabs on one attempt ---------------------------------------------------------------


def test_of_two_tabs_the_later_choice_wins_whatever_order_the_saves_arrive_in(
    signed_in, attempt, open_tab
):
    tab_a = signed_in
    tab_b = open_tab(tab_a)
    open_item(tab_a, attempt, 1)
    open_item(tab_b, attempt, 1)  # loaded before A chooses: it knows no answer for item 1
    keys = choice_keys(attempt, 1)

    # In order: A chooses, then B. B's choice is the newer one and is kept.
    choose(tab_a, 0)
    expect(save_status(tab_a)).to_have_text(ALL_SAVED)
    assert stored(attempt) == {1: keys[0]}
    choose(tab_b, 1)
    expect(save_status(tab_b)).to_have_text(ALL_SAVED)
    assert stored(attempt) == {1: keys[1]}

    # Out of order: A's choice leaves first but is held up on the way; B chooses later and
    # its save lands first. A's older choice then arrives: refused, B's stays.
    held = hold_saves(tab_a, 1)
    choose(tab_a, 2)
    wait_until(tab_a, lambda: held)
    choose(tab_b, 3)
    expect(save_status(tab_b)).to_have_text(ALL_SAVED)
    newer = stored_item(attempt, 1)
    assert newer == (keys[3], newer[1])

    let_go(tab_a, held)
    expect(tab_a.locator("#attempt-notice")).to_contain_text(ANSWERED_ELSEWHERE)
    expect(tab_a.locator(f"#choice-{keys[3]}")).to_be_checked()
    expect(save_status(tab_a)).to_have_text(ALL_SAVED)
    assert stored_item(attempt, 1) == newer

    # A's line drops; A chooses, then B (later, online). When A is back, the older choice
    # must not win, and A must show what the server kept, and say why.
    line_a = emulate(tab_a, offline=True)
    tab_a.evaluate("() => { document.getElementById('attempt-notice').textContent = ''; }")
    choose(tab_a, 0)
    expect(save_status(tab_a)).to_have_text(NOT_SAVED)
    choose(tab_b, 1)
    expect(save_status(tab_b)).to_have_text(ALL_SAVED)
    newest = stored_item(attempt, 1)
    assert newest[0] == keys[1] and newest[1] > newer[1]

    line_a(offline=False)
    expect(tab_a.locator(f"#choice-{keys[1]}")).to_be_checked(timeout=SLOW_SAVE_MS)
    expect(tab_a.locator("#attempt-notice")).to_contain_text(ANSWERED_ELSEWHERE)
    expect(save_status(tab_a)).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    expect(save_status(tab_b)).to_have_text(ALL_SAVED)
    assert stored_item(attempt, 1) == newest
    assert queue_entries(tab_a) == {}

    tab_a.reload()
    expect(tab_a.locator(f"#choice-{keys[1]}")).to_be_checked()


def test_a_tab_that_sends_the_other_tabs_newer_choice_from_the_shared_queue_shows_it(
    signed_in, attempt, open_tab
):
    tab_a = signed_in
    tab_b = open_tab(tab_a)
    open_item(tab_a, attempt, 1)
    open_item(tab_b, attempt, 1)
    keys = choice_keys(attempt, 1)

    line_a = emulate(tab_a, offline=True)
    choose(tab_a, 0)
    expect(save_status(tab_a)).to_have_text(NOT_SAVED)
    # B chooses later: its entry replaces A's in the queue the tabs share; B's own send is
    # held up on the way, so A, back online first, sends B's choice.
    held = hold_saves(tab_b, 1)
    choose(tab_b, 1)
    wait_until(tab_b, lambda: held)
    assert [e["choice"] for e in queue_entries(tab_a).values()] == [keys[1]]

    line_a(offline=False)
    expect(save_status(tab_a)).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    assert stored(attempt) == {1: keys[1]}
    expect(tab_a.locator(f"#choice-{keys[1]}")).to_be_checked()
    expect(tab_a.locator("#attempt-notice")).to_contain_text(ANSWERED_ELSEWHERE)
    expect(palette_link(tab_a, 1)).to_have_accessible_name(re.compile(r"^1\s*, answered$"))

    let_go(tab_b, held)
    expect(save_status(tab_b)).to_have_text(ALL_SAVED)
    expect(tab_b.locator(f"#choice-{keys[1]}")).to_be_checked()
    assert stored(attempt) == {1: keys[1]}
    assert queue_entries(tab_b) == {}


# --- time runs out with a save pending ----------------------------------------------------


def test_an_answer_still_offline_at_time_up_does_not_count_and_the_result_says_so(
    signed_in, attempt
):
    page = signed_in
    page.clock.install()  # the page's clock: time-up comes when the test says
    open_item(page, attempt, 1)
    page.context.set_offline(True)
    choose(page, 1)
    expect(save_status(page)).to_have_text(NOT_SAVED)

    # Time runs out while the line is down; by the time it is back the grace is over too.
    page.clock.fast_forward(past_the_deadline(attempt))
    expect(save_status(page)).to_have_text(TIME_UP_OFFLINE)
    move_deadline(attempt, timezone.now() - timedelta(seconds=10))
    page.context.set_offline(False)

    reaches_the_result(page)
    notice = page.get_by_role("status").filter(has_text="Not counted")
    expect(notice).to_have_text(re.compile(r"^Not counted: your answer to item 1 \(B\) "))
    expect(page.locator(".result-notice")).to_be_visible()
    assert stored(attempt) == {}
    assert_submitted_once(attempt, FinishReason.TIME_UP)
    assert queue_entries(page) == {}


def test_an_answer_offline_at_time_up_counts_if_the_line_is_back_within_the_grace(
    signed_in, attempt
):
    page = signed_in
    page.clock.install()
    open_item(page, attempt, 1)
    page.context.set_offline(True)
    key = choose(page, 3)
    page.clock.fast_forward(past_the_deadline(attempt))
    expect(save_status(page)).to_have_text(TIME_UP_OFFLINE)

    # The deadline has just passed on the server too; the line is back within the grace, but
    # slow: the save is held on the wire. The page must not submit before it has landed.
    page.clock.pause_at(page.evaluate("() => Date.now()") + 10)  # no give-up timer fires
    held, submits = hold_saves(page, 1), record_submits(page)
    move_deadline(attempt, timezone.now())
    page.context.set_offline(False)
    wait_until(page, lambda: held)
    page.wait_for_timeout(300)  # a moment for a premature submit to show itself
    assert submits == [], "the page submitted with a save in time still on the wire"
    let_go(page, held)

    reaches_the_result(page)
    expect(page.locator("#item-1")).to_contain_text("(your answer)")
    expect(page.locator(".result-notice")).to_be_hidden()
    assert stored(attempt) == {1: key}
    assert_submitted_once(attempt, FinishReason.TIME_UP)
    assert queue_entries(page) == {}
    assert len(submits) == 1


def test_an_answer_on_the_wire_at_time_up_lands_in_the_grace_and_counts(signed_in, attempt):
    page = signed_in
    page.clock.install()
    open_item(page, attempt, 1)
    emulate(page, latency=1_000)
    key = choose(page, 2)  # the save takes a second to arrive
    move_deadline(attempt, timezone.now())
    page.clock.fast_forward(past_the_deadline(attempt))

    reaches_the_result(page)
    expect(page.locator("#item-1")).to_contain_text("(your answer)")
    expect(page.locator(".result-notice")).to_be_hidden()
    assert stored(attempt) == {1: key}
    assert_submitted_once(attempt, FinishReason.TIME_UP)


# --- moving between items -----------------------------------------------------------------


def test_moves_need_no_page_load_keep_their_urls_and_the_shortcuts_work(signed_in, attempt):
    page = signed_in
    open_item(page, attempt, 1)
    page.evaluate("() => { window.__marker = 1; }")
    item_heading = page.locator("#item-heading")

    next_link(page).click()
    expect(heading(page, 2)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{item_url(attempt, 2)}$"))
    expect(item_heading).to_be_focused()
    palette_link(page, 7).click()
    expect(heading(page, 7)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{item_url(attempt, 7)}$"))
    expect(item_heading).to_be_focused()
    page.get_by_role("link", name="Previous", exact=True).click()
    expect(heading(page, 6)).to_be_visible()
    expect(item_heading).to_be_focused()
    assert page.evaluate("() => window.__marker") == 1

    page.go_back()
    expect(heading(page, 7)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{item_url(attempt, 7)}$"))
    page.go_back()
    expect(heading(page, 2)).to_be_visible()
    assert page.evaluate("() => window.__marker") == 1
    page.reload()
    expect(heading(page, 2)).to_be_visible()
    expect(page.locator("#shortcut-help")).to_be_visible()
    assert page.evaluate("() => window.__marker") is None

    # Keys while the item has focus.
    item_heading.focus()
    page.keyboard.press("b")
    expect(radio(page, 1)).to_be_checked()
    second = radio(page, 1).get_attribute("value")
    page.keyboard.press("n")
    expect(heading(page, 3)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{item_url(attempt, 3)}$"))
    page.keyboard.press("m")
    expect(page.locator("#mark-button")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("p")
    expect(heading(page, 2)).to_be_visible()
    expect(radio(page, 1)).to_be_checked()
    expect(save_status(page)).to_have_text(ALL_SAVED)
    assert stored(attempt) == {2: second}
    assert list(attempt.items.filter(marked=True).values_list("position", flat=True)) == [3]

    # Turned off, the same keys do nothing.
    page.get_by_role("button", name="Turn keyboard shortcuts off").click()
    expect(page.locator("#shortcut-toggle")).to_have_attribute("aria-pressed", "false")
    item_heading.focus()
    for key in ("c", "n", "p", "m"):
        page.keyboard.press(key)
    expect(heading(page, 2)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{item_url(attempt, 2)}$"))
    expect(radio(page, 1)).to_be_checked()
    expect(page.locator("#mark-button")).to_have_attribute("aria-pressed", "false")
    assert stored(attempt) == {2: second}
    assert not attempt.items.filter(position=2, marked=True).exists()


# --- the review screen --------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [PHONE])
def test_review_on_a_phone_counts_filters_and_submits_once_after_a_dialog(
    signed_in, attempt, candidate
):
    page = signed_in
    for position in (1, 2, 3):
        key = AttemptItem.objects.get(attempt=attempt, position=position).choices[0]["key"]
        services.save_answer(
            attempt_id=attempt.pk, user=candidate, position=position, choice_key=key, sequence=1
        )
    for position in (2, 5):
        services.set_marked(
            attempt_id=attempt.pk, user=attempt.user, position=position, marked=True
        )
    submits = record_submits(page)

    page.goto(f"/attempts/{attempt.pk}/review/")
    expect(page.get_by_role("heading", name="Review and submit")).to_be_visible()
    page.evaluate("() => { window.__marker = 1; }")
    counts = page.locator("#review-counts")
    expect(counts).to_have_text("3 answered · 22 unanswered · 2 marked")
    submit = page.locator("#submit-form").get_by_role("button", name="Submit exam")
    expect(submit).to_be_in_viewport()
    assert page.evaluate("() => window.scrollY") == 0

    cells = page.locator("#review-grid li")
    expect(cells.locator("visible=true")).to_have_count(25)
    page.get_by_role("link", name="Unanswered", exact=True).click()
    expect(cells.locator("visible=true")).to_have_count(22)
    expect(page).to_have_url(re.compile(r"\?show=unanswered$"))
    expect(page.locator("#palette-4")).to_be_visible()
    expect(page.locator("#palette-1")).to_be_hidden()
    page.get_by_role("link", name="Marked", exact=True).click()
    expect(cells.locator("visible=true")).to_have_count(2)
    expect(page.locator("#palette-2")).to_be_visible()
    expect(page.locator("#palette-5")).to_be_visible()
    page.get_by_role("link", name="All", exact=True).click()
    expect(cells.locator("visible=true")).to_have_count(25)
    assert page.evaluate("() => window.__marker") == 1

    submit.click()
    dialog = page.get_by_role("dialog", name="Submit your exam?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("22 items are unanswered")
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.IN_PROGRESS  # asked only
    dialog.get_by_role("button", name="Submit exam").click()
    page.wait_for_url(RESULT_URL)
    expect(page.get_by_role("heading", name=re.compile(r"^Score: \d+ %$"))).to_be_visible()
    assert len(submits) == 1, submits
    assert_submitted_once(attempt, FinishReason.SUBMITTED)


def test_submitting_from_the_review_waits_for_a_save_still_on_the_wire(signed_in, attempt):
    page = signed_in
    open_item(page, attempt, 4)
    # A line that takes the save nowhere, then (on the review page) holds it up on the way.
    held, holding = [], []

    def slow_line(route):
        if holding:
            held.append(route)
        else:
            route.abort("internetdisconnected")

    page.route(re.compile(r"/items/4/answer/$"), slow_line)
    key = choose(page, 1)
    expect(save_status(page)).to_have_text(NOT_SAVED)
    holding.append(True)
    submits = record_submits(page)

    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_role("heading", name="Review and submit")).to_be_visible()
    expect(page.locator("#review-counts")).to_contain_text("1 answered")  # counted as chosen
    wait_until(page, lambda: held)  # the review page sends what is queued as it loads
    page.locator("#submit-form").get_by_role("button", name="Submit exam").click()
    dialog = page.get_by_role("dialog", name="Submit your exam?")
    expect(dialog).to_contain_text("24 items are unanswered")
    dialog.get_by_role("button", name="Submit exam").click()
    page.wait_for_timeout(300)  # a moment for a premature answer to show itself
    expect(page.locator("#submit-dialog-wait")).to_be_empty()
    assert submits == [], "the page submitted with a save still on the wire"

    let_go(page, held)
    page.wait_for_url(RESULT_URL, timeout=SLOW_SAVE_MS)
    assert stored(attempt) == {4: key}
    assert_submitted_once(attempt, FinishReason.SUBMITTED)
    assert len(submits) == 1


# --- logging out --------------------------------------------------------------------------


def test_logging_out_clears_the_answers_queued_on_this_device(signed_in, attempt, candidate):
    page = signed_in
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with answers unsaved?"
    open_item(page, attempt, 1)
    # An answer that cannot get through (the server unreachable, the browser still online).
    page.route(re.compile(r"/answer/$"), lambda route: route.abort("internetdisconnected"))
    choose(page, 1)
    expect(save_status(page)).to_have_text(NOT_SAVED)
    # And one queued for another attempt of this candidate's, from an earlier visit.
    other = f"crss-prep:queue:{candidate.pk}:{attempt.pk + 1000}:answer:1"
    entry = {"kind": "answer", "position": 1, "choice": "a", "letter": "A", "sequence": 1}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [other, json.dumps(entry)])
    assert len(queue_entries(page)) == 2

    page.get_by_role("button", name=f"Log out ({candidate.username})").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")
    ).to_be_visible()
    assert page.evaluate("() => localStorage.length") == 0


def test_a_choice_made_before_the_page_script_took_over_is_kept_and_saved(signed_in, attempt):
    """A tap while the script still loads (a slow phone): the plain page's radio is checked
    before take.js runs. The script must keep that choice and save it, not redraw the item
    from the server's (empty) answer."""
    page = signed_in
    held = []
    page.route("**/js/take*.js", lambda route: held.append(route))
    page.goto(item_url(attempt, 1), wait_until="commit")  # "load" would wait for the script
    expect(heading(page, 1)).to_be_visible()
    key = choose(page, 2)  # the plain page: no script has taken over yet
    assert held, "take.js was not requested"
    for route in held:
        route.continue_()

    expect(page.locator("#shortcut-help")).to_be_visible()  # the script took over
    expect(radio(page, 2)).to_be_checked()
    expect(save_status(page)).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    assert stored(attempt) == {1: key}
