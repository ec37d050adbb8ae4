"""The candidate's exam loop in a real browser: the journey, time-up, accessibility, phones,
keyboard. The site runs on pytest-django's live server with the real question banks."""

import re
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import Attempt, AttemptStatus, FinishReason

from .conftest import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULT_URL = re.compile(r"/attempts/\d+/result/$")
TIMER_TEXT = re.compile(r"^\d+:\d\d(:\d\d)?$")
PHONE = {"width": 375, "height": 740}
SAVED = "All answers saved"


# --- helpers ------------------------------------------------------------------------------


def remaining_on_screen(page) -> int:
    """The countdown as the candidate sees it, in seconds (once the script has formatted it)."""
    timer = page.locator("#timer")
    expect(timer).to_have_text(TIMER_TEXT)
    seconds = 0
    for part in timer.inner_text().split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def choose(page, index: int) -> str:
    """Click the label of the index-th choice, wait until the server has it; its key."""
    label = page.locator("#answer-form label.form-check-label").nth(index)
    radio_id = label.get_attribute("for")
    label.click()
    expect(page.locator("#save-status")).to_have_text(SAVED)
    radio = page.locator(f"#{radio_id}")
    expect(radio).to_be_checked()
    return radio.get_attribute("value")


def submit_in_dialog(page, *, unanswered: int) -> None:
    """Submit from the review screen: the dialog names the unanswered items; confirm."""
    page.get_by_role("button", name="Submit exam").click()
    dialog = page.get_by_role("dialog", name="Submit your exam?")
    expect(dialog).to_contain_text(f"{unanswered} items are unanswered and will count as wrong.")
    dialog.get_by_role("button", name="Submit exam").click()


def palette_link(page, position: int):
    return page.get_by_role("navigation", name="All items").locator(f"#palette-{position}")


def attempt_of(page) -> Attempt:
    attempt_id = int(re.search(r"/attempts/(\d+)/", page.url).group(1))
    return Attempt.objects.get(pk=attempt_id)


def field_name(label: str) -> re.Pattern:
    """A form field's accessible name (crispy-forms adds "*" to required fields' labels)."""
    return re.compile(rf"^{re.escape(label)}\s*\*?$")


def start_button(page):
    return page.get_by_role("region", name="Mini mock exam").get_by_role(
        "button", name=re.compile(r"^Start exam\b")
    )


def start_mini_mock(page) -> None:
    page.goto("/exams/")
    start_button(page).click()
    expect(page.get_by_role("heading", name="Item 1 of 25")).to_be_visible()


def csrf_token(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def post_answer(page, attempt: Attempt, position: int, choice: str, sequence: int):
    """A save sent the way the page's script sends it (JSON, CSRF header), outside the page."""
    return page.request.post(
        f"/attempts/{attempt.pk}/items/{position}/answer/",
        form={"choice": choice, "sequence": str(sequence)},
        headers={"X-CSRFToken": csrf_token(page), "Accept": "application/json"},
    )


# --- the journey --------------------------------------------------------------------------


def test_sign_up_take_reload_mark_review_submit_and_read_the_result(page, site_data):
    page.goto("/accounts/signup/")
    page.get_by_role("textbox", name=field_name("Username")).fill("new-candidate")
    page.get_by_role("textbox", name=field_name("Email")).fill("new-candidate@example.com")
    page.get_by_role("textbox", name=field_name("Password")).fill("a long Passphrase 42")
    page.get_by_role("textbox", name=field_name("Password confirmation")).fill(
        "a long Passphrase 42"
    )
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Welcome to CRSS Prep, new-candidate")).to_be_visible()
    expect(page.get_by_role("button", name="Log out (new-candidate)")).to_be_attached()

    start_mini_mock(page)
    chosen = {}
    for position in (1, 2, 3):
        expect(page.get_by_role("heading", name=f"Item {position} of 25")).to_be_visible()
        chosen[position] = choose(page, position % 3)
        expect(palette_link(page, position)).to_have_accessible_name(
            re.compile(rf"^{position}\s*, answered$")
        )
        page.get_by_role("link", name="Next", exact=True).click()
    expect(page.get_by_role("heading", name="Item 4 of 25")).to_be_visible()
    attempt = attempt_of(page)
    assert {i.position: i.chosen_key for i in attempt.items.filter(position__lte=3)} == chosen

    before = remaining_on_screen(page)
    # Ten minutes pass (the attempt is moved ten minutes into the past, as the server sees it):
    # the reloaded page must count down from the server's deadline, not start afresh.
    shift = timedelta(minutes=10)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=F("started_at") - shift, deadline=F("deadline") - shift
    )
    page.reload()
    after = remaining_on_screen(page)
    attempt.refresh_from_db()
    server_left = (attempt.deadline - timezone.now()).total_seconds()
    assert 0 < after <= before - 10 * 60 + 1, (before, after)
    assert abs(after - server_left) <= 2, (after, server_left)

    for position, key in chosen.items():
        palette_link(page, position).click()  # the palette is below the item: scrolled down
        expect(page.get_by_role("heading", name=f"Item {position} of 25")).to_be_focused()
        assert page.evaluate("() => window.scrollY") == 0  # the new item from its top
        expect(page.locator(f"#choice-{key}")).to_be_checked()
        expect(page.locator("#answer-form input[name=choice]:checked")).to_have_count(1)

    # On item 3 now: mark it, the palette and the button say so.
    page.get_by_role("button", name="Mark for review").click()
    expect(page.get_by_role("button", name="Unmark")).to_have_attribute("aria-pressed", "true")
    expect(palette_link(page, 3)).to_have_accessible_name(
        re.compile(r"^3\s*, answered, marked for review$")
    )
    expect(palette_link(page, 4)).to_have_accessible_name(re.compile(r"^4\s*, unanswered$"))

    expect(page.locator("#save-status")).to_have_text(SAVED)
    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_role("heading", name="Review and submit")).to_be_visible()
    expect(page.locator("#review-counts")).to_have_text("3 answered · 22 unanswered · 1 marked")
    grid = page.locator("#review-grid li:visible a")
    page.get_by_role("link", name="Marked", exact=True).click()
    expect(grid).to_have_count(1)
    expect(grid.first).to_have_accessible_name(re.compile(r"^3\s*, answered, marked for review$"))
    page.get_by_role("link", name="Unanswered", exact=True).click()
    expect(grid).to_have_count(22)
    expect(grid.first).to_have_accessible_name(re.compile(r"^4\s*, unanswered$"))

    submit_in_dialog(page, unanswered=22)
    page.wait_for_url(RESULT_URL)

    expect(page.get_by_role("heading", name=re.compile(r"^Score: \d+ %$"))).to_be_visible()
    table = page.get_by_role("table", name="Correct answers per topic")
    rows = table.locator("tbody tr")
    expect(rows.first).to_be_visible()
    totals = [int(t.split("/")[1]) for t in rows.locator("td:nth-child(2)").all_inner_texts()]
    assert sum(totals) == 25
    expect(table.get_by_role("link", name=re.compile("^Notes for "))).to_have_count(len(totals))

    explanations = page.locator(".result-line .explanation")  # in each collapsed line
    expect(explanations).to_have_count(25)
    expect(explanations.first).to_contain_text("Why:")
    assert all(len(text) > 20 for text in explanations.all_text_contents())
    expect(page.get_by_text("(your answer)")).to_have_count(3)
    expect(page.get_by_text("(correct answer)")).to_have_count(25)

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.finish_reason == FinishReason.SUBMITTED


# --- time runs out ------------------------------------------------------------------------


def test_the_page_submits_by_itself_at_time_up_and_late_saves_are_refused(
    signed_in, attempt, candidate, mini_mock
):
    page = signed_in
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=4))
    page.goto(f"/attempts/{attempt.pk}/items/1/")
    answered = choose(page, 0)  # still in time

    page.wait_for_url(RESULT_URL, timeout=15_000)
    expect(
        page.get_by_text("time ran out; the attempt was submitted automatically")
    ).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.finish_reason == FinishReason.TIME_UP
    assert attempt.items.get(position=1).chosen_key == answered
    expect(page.locator("#item-1")).to_contain_text("(your answer)")
    closed = {"saved": False, "reason": "closed", "result_url": f"/attempts/{attempt.pk}/result/"}

    # A save arriving after the page submitted: refused, nothing written.
    item = attempt.items.get(position=2)
    response = post_answer(page, attempt, 2, item.choices[0]["key"], sequence=99)
    assert response.status == 409
    assert response.json() == closed | {"error": services.ATTEMPT_CLOSED}

    # A save for an attempt past its deadline (and the grace) that nothing has closed yet.
    late = services.start_attempt(user=candidate, exam=mini_mock, seed=5)
    assert late.pk != attempt.pk
    deadline = timezone.now() - services.SAVE_GRACE - timedelta(seconds=1)
    Attempt.objects.filter(pk=late.pk).update(
        started_at=deadline - timedelta(minutes=30), deadline=deadline
    )
    item = late.items.get(position=1)
    response = post_answer(page, late, 1, item.choices[0]["key"], sequence=1)
    assert response.status == 409
    assert response.json() == closed | {
        "error": services.TIME_UP,
        "result_url": f"/attempts/{late.pk}/result/",
    }
    assert list(attempt.items.exclude(chosen_key="").values_list("position", flat=True)) == [1]
    assert not late.items.exclude(chosen_key="").exists()


def test_a_save_that_fails_is_retried_until_the_server_has_it(signed_in, attempt):
    page = signed_in
    page.goto(f"/attempts/{attempt.pk}/items/1/")
    page.context.set_offline(True)
    label = page.locator("#answer-form label.form-check-label").nth(2)
    label.click()
    expect(page.locator("#save-status")).to_contain_text("Not saved yet (1): offline.")
    assert attempt.items.get(position=1).chosen_key == ""

    page.context.set_offline(False)
    expect(page.locator("#save-status")).to_have_text(SAVED)
    key = page.locator("#" + label.get_attribute("for")).get_attribute("value")
    assert attempt.items.get(position=1).chosen_key == key


# --- accessibility ------------------------------------------------------------------------


def test_axe_finds_no_serious_violations_on_the_exam_pages(axe_page, candidate, log_in):
    page = axe_page
    found = {}

    def check(name: str) -> None:
        violations = axe_violations(page)
        if violations:
            found[name] = format_violations(violations)

    page.goto("/exams/")
    check("catalogue, signed out")
    page.goto("/accounts/signup/")
    check("sign-up")

    log_in(page, candidate)
    page.goto("/exams/")
    check("catalogue")

    start_button(page).click()
    expect(page.get_by_role("heading", name="Item 1 of 25")).to_be_visible()
    choose(page, 1)
    check("taking")
    page.get_by_role("button", name="Mark for review").click()
    expect(page.get_by_role("button", name="Unmark")).to_be_visible()
    check("taking, item marked")
    page.get_by_role("link", name="Next", exact=True).click()
    expect(page.get_by_role("heading", name="Item 2 of 25")).to_be_focused()
    check("taking, moved to item 2 without a page load")

    expect(page.locator("#save-status")).to_have_text(SAVED)
    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_role("heading", name="Review and submit")).to_be_visible()
    check("review")
    page.get_by_role("button", name="Submit exam").click()
    expect(page.get_by_role("dialog", name="Submit your exam?")).to_be_visible()
    check("review, submit dialog open")

    page.get_by_role("dialog").get_by_role("button", name="Submit exam").click()
    page.wait_for_url(RESULT_URL)
    check("result")

    assert not found, "axe-core: serious or critical violations\n\n" + "\n\n".join(
        f"== {name} page ==\n{report}" for name, report in found.items()
    )


# --- phones and keyboards -----------------------------------------------------------------


def test_taking_page_fits_a_375px_phone_and_its_choices_work_by_touch(
    new_page, attempt, candidate, log_in
):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, candidate)
    for path in (f"/attempts/{attempt.pk}/items/1/", f"/attempts/{attempt.pk}/review/"):
        page.goto(path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways: {width} px wide"

    page.goto(f"/attempts/{attempt.pk}/items/1/")
    choices = page.locator("#answer-form .choice")
    assert choices.count() >= 2
    for index in range(choices.count()):
        box = choices.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        assert box["height"] >= 24, box  # WCAG 2.2 target size
        radio = choices.nth(index).locator("input[type=radio]")
        expect(radio).to_be_visible()
        expect(radio).to_be_in_viewport()

    label = page.locator("#answer-form label.form-check-label").nth(1)
    label.tap()
    expect(page.locator("#save-status")).to_have_text(SAVED)
    radio = page.locator("#" + label.get_attribute("for"))
    expect(radio).to_be_checked()
    assert attempt.items.get(position=1).chosen_key == radio.get_attribute("value")


def test_keyboard_reaches_the_choices_with_a_visible_focus_and_answers(signed_in, attempt):
    page = signed_in
    page.goto(f"/attempts/{attempt.pk}/items/1/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name === 'choice'"):
            break
    else:
        pytest.fail("Tab never reached the answer choices")

    focused = page.locator("#answer-form input[name=choice]:focus")
    expect(focused).to_have_count(1)
    outline = focused.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none" and outline[1] != "0px", f"no visible focus outline: {outline}"

    page.keyboard.press("ArrowDown")  # moves to, and selects, the next choice
    expect(page.locator("#save-status")).to_have_text(SAVED)
    checked = page.locator("#answer-form input[name=choice]:checked")
    expect(checked).to_be_focused()
    assert attempt.items.get(position=1).chosen_key == checked.get_attribute("value")
