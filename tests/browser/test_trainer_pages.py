"""Trainer pages in a real browser at 1280 px (issue 17, part 5): the whole question list row
is visible, and the pages that show the question have no serious axe finding."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role, assign_role
from quizzes import services
from quizzes.models import Exam, QuestionReport
from tests.conftest import CONTENT_DIR
from tests.factories import make_user, take

from .conftest import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
OVERFLOW = "box => box.scrollWidth - box.clientWidth"


@pytest.fixture
def trainer(site_data):
    user = make_user("tess-trainer")
    assign_role(user, Role.TRAINER)
    return user


@pytest.fixture
def report(site_data) -> QuestionReport:
    attempt = take(Exam.objects.get(slug="mini-mock"), make_user("pat"), right=0)
    services.report_question(attempt=attempt, position=1, reason="wrong", comment="B fits too")
    return QuestionReport.objects.get()


# Both orders: the longest ids (professional-boundaries-043) sort last.
@pytest.mark.parametrize("order", ["1", "-1"])
def test_the_whole_question_list_row_is_visible_at_1280(axe_page, log_in, trainer, order):
    log_in(axe_page, trainer)
    axe_page.set_viewport_size(DESKTOP)

    axe_page.goto(f"/admin/quizzes/question/?o={order}")

    assert axe_page.locator("#changelist .results").evaluate(OVERFLOW) <= 0
    assert axe_page.locator("th.column-stem_start").is_visible()
    assert axe_page.locator("td.field-preview_link a").first.is_visible()
    assert not axe_violations(axe_page), format_violations(axe_violations(axe_page))


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", ["preview", "report", "statistics"])
def test_the_pages_that_show_the_question_have_no_serious_axe_finding(
    axe_page, log_in, trainer, report, name, width
):
    path = {
        "preview": f"/admin/quizzes/question/{report.question_id}/preview/",
        "report": f"/admin/quizzes/questionreport/{report.pk}/change/",
        "statistics": "/admin/quizzes/question/statistics/",
    }[name]
    log_in(axe_page, trainer)
    axe_page.set_viewport_size({"width": width, "height": 900})

    response = axe_page.goto(path)

    assert response is not None and response.ok
    assert not axe_violations(axe_page), format_violations(axe_violations(axe_page))
    if width == DESKTOP["width"]:
        assert axe_page.evaluate(f"() => ({OVERFLOW})(document.documentElement)") <= 0


def test_the_import_dry_run_lists_the_changes(axe_page, log_in, trainer, tmp_path):
    bank = (CONTENT_DIR / "former-partners.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "former-partners.yaml"
    edited.write_text(bank[: bank.rindex("  - id:")].replace("answer: b", "answer: c", 1))
    log_in(axe_page, trainer)
    axe_page.set_viewport_size(DESKTOP)
    axe_page.goto("/admin/quizzes/question/import/")

    axe_page.set_input_files("input[type=file]", str(edited))
    axe_page.click("input[name=dry_run]")

    expect(axe_page.locator("#changed-heading")).to_contain_text("Questions that would change")
    expect(axe_page.locator("#retired-heading")).to_be_visible()
    expect(axe_page.locator(".field-changes th[scope=row]").first).to_have_text("key")
    assert not axe_violations(axe_page), format_violations(axe_violations(axe_page))
    assert axe_page.evaluate(f"() => ({OVERFLOW})(document.documentElement)") <= 0
