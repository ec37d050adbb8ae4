"""The star button's script in a real browser, under the site's Content Security Policy, and
the pages of starred questions and due review with axe-core."""

from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import StarredQuestion
from tests.factories import take

from .conftest import axe_violations, format_violations


def test_the_star_script_flips_the_button_without_a_page_load(page, log_in, candidate, mini_mock):
    finished = take(mini_mock, candidate, right=10)
    starred_before = finished.items.get(position=2).question_id
    StarredQuestion.objects.create(user=candidate, question_id=starred_before)
    log_in(page, candidate)
    page.goto("/starred/")  # a page of the site, with a CSRF token in its forms
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    button_html = render_to_string(
        "quizzes/_star_button.html",
        {"attempt": finished, "position": 1, "starred": False, "csrf_token": token},
    )
    page.evaluate(
        "html => document.querySelector('main').insertAdjacentHTML('beforeend', html)",
        button_html,
    )
    page.add_script_tag(url="/static/js/star.js")
    page.evaluate("() => { window.stayedOnThePage = true; }")

    button = page.locator("form[data-star-form] button")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_contain_text("Starred: remove star")
    question = finished.items.get(position=1).question_id
    assert set(
        StarredQuestion.objects.filter(user=candidate).values_list("question_id", flat=True)
    ) == {question, starred_before}

    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_contain_text("Star this question")
    assert page.evaluate("() => window.stayedOnThePage") is True
    assert not StarredQuestion.objects.filter(user=candidate, question_id=question).exists()


def test_the_starred_list_and_the_review_on_home_pass_axe(axe_page, log_in, candidate, mini_mock):
    finished = take(mini_mock, candidate, right=10, now=timezone.now() - timedelta(days=5))
    for position in (1, 2):
        StarredQuestion.objects.create(
            user=candidate, question_id=finished.items.get(position=position).question_id
        )
    log_in(axe_page, candidate)
    problems = []
    for path, text in (("/starred/", "Practice these"), ("/", "due for review today")):
        axe_page.goto(path)
        expect(axe_page.locator("main")).to_contain_text(text)
        violations = axe_violations(axe_page)
        if violations:
            problems.append(f"{path}:\n{format_violations(violations)}")
    assert not problems, "\n".join(problems)


def test_a_result_page_star_flips_at_once_and_stays_after_a_reload(
    page, log_in, candidate, mini_mock
):
    finished = take(mini_mock, candidate, right=10)
    log_in(page, candidate)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/attempts/{finished.pk}/result/")
    page.evaluate("() => { window.stayedOnThePage = true; }")
    page.locator("#item-4 summary").click()
    button = page.locator("#item-4 .star-button")
    expect(button).to_have_accessible_name("Star this question (item 4)")

    button.click()

    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_contain_text("Starred: remove star")
    assert page.evaluate("() => window.stayedOnThePage") is True
    question = finished.items.get(position=4).question_id
    assert list(
        StarredQuestion.objects.filter(user=candidate).values_list("question_id", flat=True)
    ) == [question]
    page.reload()
    page.locator("#item-4 summary").click()
    expect(page.locator("#item-4 .star-button")).to_have_attribute("aria-pressed", "true")
    assert (
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        <= 0
    )
