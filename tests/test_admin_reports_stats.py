"""Admin: item statistics columns and page; candidates' reports next to the question."""

import pytest
from django.core.cache import cache

from accounts.roles import Role, assign_role, ensure_roles
from quizzes import services
from quizzes.models import QuestionReport, ReportStatus
from tests.factories import answer, make_bank, make_exam, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(client):
    ensure_roles()
    user = make_user("trainer")
    assign_role(user, Role.TRAINER)
    client.force_login(user)
    cache.clear()
    return user


@pytest.fixture
def answered_question():
    make_bank(topics=1, per_topic=2)
    candidate = make_user()
    attempt = services.start_attempt(user=candidate, exam=make_exam(items=2))
    item = attempt.items.get(position=1)
    answer(attempt, 1, item.correct_key)
    attempt = services.submit_attempt(attempt=attempt)
    services.report_question(attempt=attempt, position=1, reason="unclear", comment="Two fit")
    return item.question


def test_changelist_shows_times_answered_percent_correct_and_reports(
    client, trainer, answered_question
):
    response = client.get("/admin/quizzes/question/")

    row = response.text.split(answered_question.external_id, 2)[2].split("</tr>")[0]
    assert '<td class="field-times_answered">1</td>' in row
    assert '<td class="field-percent_correct">100</td>' in row
    assert '<td class="field-open_reports">1</td>' in row


def test_statistics_page_lists_answered_questions(client, trainer, answered_question):
    response = client.get("/admin/quizzes/question/statistics/")

    assert response.status_code == 200
    assert answered_question.external_id in response.text


def test_open_report_is_shown_on_the_question_and_can_be_closed(client, trainer, answered_question):
    page = client.get(f"/admin/quizzes/question/{answered_question.pk}/change/")
    assert "Two fit" in page.text

    report = QuestionReport.objects.get()
    client.post(
        "/admin/quizzes/questionreport/",
        {"action": "close", "_selected_action": [report.pk]},
    )

    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    assert report.closed_at is not None


def test_candidate_cannot_open_the_statistics_page(client, answered_question):
    client.force_login(make_user())

    response = client.get("/admin/quizzes/question/statistics/")

    assert response.status_code == 302
