"""Striking out choices in a real browser, on a 375 px phone (issue 20, part 3): by pointer and
by keyboard, kept through a reload and a dropped connection, re-synced in another tab, shown
on the result, without the script too; nothing scrolls sideways and axe finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import Attempt, AttemptItem
from quizzes.strike_out import set_struck

from .conftest import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
ALL_SAVED = "All answers saved"
NOT_SAVED = re.compile(r"^Not saved yet \(1\): offline")
SLOW_SAVE_MS = 15_000


@pytest.fixture
def viewport() -> dict:
    return PHONE


# --- helpers ------------------------------------------------------------------------------


def open_item(page, attempt: Attempt, position: int = 1) -> None:
    """Load an item page and wait until its script has taken over from the plain page."""
    page.goto(f"/attempts/{attempt.pk}/items/{position}/")
    expect(page.get_by_role("heading", name=f"Item {position} of 25")).to_be_visible()
    expect(page.locator("#shortcut-help")).to_be_visible()  # shown by take.js when ready


def strike_button(page, letter: str):
    return page.get_by_role("button", name=f"Strike out choice {letter}", exact=True)


def row(page, index: int):
    return page.locator("#answer-form .choice").nth(index)


def key_at(page, index: int) -> str:
    return page.locator("#answer-form input[name=choice]").nth(index).get_attribute("value")


def stored(attempt: Attempt, position: int = 1) -> tuple[str, str]:
    """(chosen key, struck keys) of one item, as the server holds them."""
    return AttemptItem.objects.values_list("chosen_key", "struck_keys").get(
        attempt=attempt, position=position
    )


def expect_struck(page, index: int, letter: str, struck: bool) -> None:
    """What the candidate sees and hears of one choice: crossed out (and said so in the
    radio's name), its button pressed; or neither."""
    expect(strike_button(page, letter)).to_have_attribute("aria-pressed", str(struck).lower())
    label = row(page, index).locator("label")
    line = label.evaluate("el => getComputedStyle(el).textDecorationLine")
    assert (line == "line-through") is struck, line
    radio = page.locator("#answer-form input[name=choice]").nth(index)
    name = re.compile(r"\(struck out\)$") if struck else re.compile(r"^(?!.*struck out).*$")
    expect(radio).to_have_accessible_name(name)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px wide"


def notice(page):
    return page.locator("#attempt-notice")


# --- pointer, reload, keyboard ------------------------------------------------------------


def test_a_choice_struck_with_the_pointer_is_kept_and_shown_struck_after_a_reload(
    signed_in, attempt
):
    page = signed_in
    open_item(page, attempt, 1)
    answered = key_at(page, 1)
    page.locator("#answer-form label").nth(1).click()  # choose B ...
    expect(page.locator("#save-status")).to_have_text(ALL_SAVED)

    strike_button(page, "B").click()  # ... then strike it: the answer stays
    strike_button(page, "D").click()

    expect(notice(page)).to_have_text("Choice D of item 1 struck out.")
    expect(notice(page)).to_have_attribute("role", "status")
    expect(page.locator("#save-status")).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    struck = "".join(sorted([answered, key_at(page, 3)]))
    assert stored(attempt) == (answered, struck)
    expect_struck(page, 1, "B", True)
    expect_struck(page, 3, "D", True)
    expect_struck(page, 0, "A", False)
    no_sideways_scroll(page)
    for index in range(page.locator("#answer-form .choice").count()):
        box = row(page, index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        button = row(page, index).locator(".strike-button").bounding_box()
        assert button["x"] + button["width"] <= box["x"] + box["width"], button
        assert button["height"] >= 24, button  # WCAG 2.2 target size

    page.reload()
    expect(page.locator("#shortcut-help")).to_be_visible()
    expect_struck(page, 1, "B", True)
    expect_struck(page, 3, "D", True)
    expect(page.locator("#answer-form input[name=choice]").nth(1)).to_be_checked()

    strike_button(page, "B").click()  # restore
    expect(notice(page)).to_have_text("Choice B of item 1 restored.")
    expect(page.locator("#save-status")).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    expect_struck(page, 1, "B", False)
    assert stored(attempt) == (answered, key_at(page, 3))


def test_shift_and_a_letter_strikes_out_while_the_item_has_focus_unless_turned_off(
    signed_in, attempt
):
    page = signed_in
    open_item(page, attempt, 1)
    heading = page.locator("#item-heading")
    heading.focus()

    page.keyboard.press("Shift+C")
    expect_struck(page, 2, "C", True)
    expect(page.locator("#answer-form input[name=choice]:checked")).to_have_count(0)
    page.keyboard.press("c")  # choosing a struck choice: chosen, still struck
    expect(page.locator("#answer-form input[name=choice]").nth(2)).to_be_checked()
    expect(page.locator("#save-status")).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    third = key_at(page, 2)
    assert stored(attempt) == (third, third)
    expect_struck(page, 2, "C", True)

    # Moves need no page load and keep what each item has struck.
    page.keyboard.press("n")
    expect(page.get_by_role("heading", name="Item 2 of 25")).to_be_focused()
    expect(page.locator("#answer-form .choice.is-struck")).to_have_count(0)
    expect(notice(page)).to_have_text("")  # the last item's strike is not said again
    page.keyboard.press("Shift+A")
    expect_struck(page, 0, "A", True)
    first_of_item_2 = key_at(page, 0)
    page.keyboard.press("p")
    expect(page.get_by_role("heading", name="Item 1 of 25")).to_be_focused()
    expect_struck(page, 2, "C", True)

    # The button by keyboard: Tab to it, Space presses it, focus stays on it.
    button = strike_button(page, "A")
    button.focus()
    page.keyboard.press("Space")
    expect(button).to_be_focused()
    expect_struck(page, 0, "A", True)
    expect(page.locator("#save-status")).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    assert stored(attempt, 2) == ("", first_of_item_2)
    assert stored(attempt) == (third, "".join(sorted([third, key_at(page, 0)])))

    # Turned off, Shift+letter does nothing, like the other single-key shortcuts.
    page.get_by_role("button", name="Turn keyboard shortcuts off").click()
    heading.focus()
    page.keyboard.press("Shift+B")
    expect_struck(page, 1, "B", False)
    page.get_by_role("button", name="Turn keyboard shortcuts on").click()
    expect(page.locator("#shortcut-text")).to_contain_text("Shift+A\N{EN DASH}F strike out")


# --- a bad connection, another tab --------------------------------------------------------


def test_a_strike_made_offline_is_kept_and_sent_when_the_line_is_back(signed_in, attempt):
    page = signed_in
    open_item(page, attempt, 1)
    page.context.set_offline(True)

    strike_button(page, "B").click()
    expect(page.locator("#save-status")).to_have_text(NOT_SAVED)
    assert stored(attempt) == ("", "")
    page.get_by_role("link", name="Next", exact=True).click()  # offline: no page load needed
    page.get_by_role("link", name="Previous", exact=True).click()
    expect_struck(page, 1, "B", True)

    page.context.set_offline(False)
    expect(page.locator("#save-status")).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    assert stored(attempt) == ("", key_at(page, 1))
    queued = page.evaluate(
        "() => Object.keys(localStorage).filter((k) => k.startsWith('crss-prep:queue:'))"
    )
    assert queued == []


def test_a_strike_and_a_quick_restore_reach_the_server_in_order(signed_in, attempt):
    """The restore is made while the strike is still on the wire: it waits for it, so the
    server ends with what the candidate last did."""
    page = signed_in
    open_item(page, attempt, 1)
    sent, held = [], []

    def hold_the_first(route) -> None:  # a very slow line for the first send only
        sent.append(route.request.post_data)
        if len(sent) == 1:
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r"/items/1/strike/$"), hold_the_first)
    strike_button(page, "B").click()
    page.wait_for_timeout(100)
    strike_button(page, "B").click()  # restore at once
    page.wait_for_timeout(300)
    assert len(sent) == 1, "the restore overtook the strike on the wire"
    held[0].continue_()

    expect(page.locator("#save-status")).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    key = key_at(page, 1)
    assert sent == [f"strike={key}", f"restore={key}"]
    assert stored(attempt) == ("", "")
    expect_struck(page, 1, "B", False)
    page.unroute_all(behavior="ignoreErrors")


def test_another_tab_takes_the_strikes_when_it_re_syncs(signed_in, attempt):
    page = signed_in
    open_item(page, attempt, 1)
    other = page.context.new_page()
    open_item(other, attempt, 1)

    strike_button(page, "D").click()
    expect(page.locator("#save-status")).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    other.evaluate("() => window.dispatchEvent(new Event('online'))")  # as on coming back

    expect_struck(other, 3, "D", True)
    other.close()


# --- the result, the plain page, accessibility --------------------------------------------


def test_the_result_shows_the_struck_choices_struck(signed_in, attempt):
    page = signed_in
    item = attempt.items.get(position=2)
    set_struck(
        attempt_id=attempt.pk,
        user=attempt.user,
        position=2,
        choice_key=item.correct_key,
        struck=True,
    )
    services.submit_attempt(attempt=attempt)

    page.goto(f"/attempts/{attempt.pk}/result/")
    line = page.locator("#item-2")
    line.locator("summary").click()
    key = line.locator(".result-choice.is-key")
    expect(key).to_contain_text("(struck out)")
    text = key.locator(".choice-text")
    assert text.evaluate("el => getComputedStyle(el).textDecorationLine") == "line-through"
    no_sideways_scroll(page)


def test_without_the_script_the_buttons_post_and_the_item_comes_back_struck(
    new_page, attempt, candidate, log_in
):
    page = new_page(java_script_enabled=False)
    log_in(page, candidate)
    page.goto(f"/attempts/{attempt.pk}/items/3/")

    strike_button(page, "C").click()

    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/items/3/#strike-\w$"))
    expect(strike_button(page, "C")).to_have_attribute("aria-pressed", "true")
    expect(row(page, 2)).to_have_class(re.compile(r"\bis-struck\b"))
    key = key_at(page, 2)
    assert stored(attempt, 3) == ("", key)

    strike_button(page, "C").click()
    expect(strike_button(page, "C")).to_have_attribute("aria-pressed", "false")
    assert stored(attempt, 3) == ("", "")
    no_sideways_scroll(page)


def test_without_the_script_a_picked_choice_survives_a_strike_a_mark_and_enter(
    new_page, attempt, candidate, log_in
):
    page = new_page(java_script_enabled=False)
    log_in(page, candidate)
    page.goto(f"/attempts/{attempt.pk}/items/3/")
    radios = page.locator("#answer-form input[name=choice]")

    radios.nth(1).check()  # picked, not saved: the plain page has no script to send it
    strike_button(page, "C").click()

    expect(strike_button(page, "C")).to_have_attribute("aria-pressed", "true")
    expect(radios.nth(1)).to_be_checked()
    assert stored(attempt, 3) == (key_at(page, 1), key_at(page, 2))

    radios.nth(3).check()
    page.get_by_role("button", name="Mark for review").click()
    expect(page.get_by_role("button", name="Unmark")).to_be_visible()
    expect(radios.nth(3)).to_be_checked()
    assert stored(attempt, 3)[0] == key_at(page, 3)

    radios.nth(0).check()
    radios.nth(0).press("Enter")  # the form's first button: save and go on, not a strike
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/items/4/$"))
    assert stored(attempt, 3) == (key_at_item(attempt, 3, 0), key_at_item(attempt, 3, 2))
    no_sideways_scroll(page)


def key_at_item(attempt: Attempt, position: int, index: int) -> str:
    """The key of the ``index``-th choice (as shown) of the item at ``position``."""
    return AttemptItem.objects.get(attempt=attempt, position=position).choices[index]["key"]


def test_axe_finds_nothing_on_an_item_with_a_struck_choice(axe_page, attempt, candidate, log_in):
    page = axe_page
    log_in(page, candidate)
    open_item(page, attempt, 1)
    page.locator("#answer-form label").nth(0).click()
    strike_button(page, "B").click()
    strike_button(page, "A").click()  # the chosen one too
    expect(page.locator("#save-status")).to_have_text(ALL_SAVED, timeout=SLOW_SAVE_MS)
    strike_button(page, "C").focus()

    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    no_sideways_scroll(page)
    page.reload()  # as the server draws it
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
