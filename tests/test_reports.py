import pytest

from quizzes import services
from quizzes.models import QuestionReport, ReportStatus
from tests.factories import make_bank, make_exam, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client):
    make_bank(topics=1, per_topic=4)
    user = make_user()
    client.force_login(user)
    attempt = services.start_attempt(user=user, exam=make_exam(items=3))
    return services.submit_attempt(attempt=attempt)


def test_candidate_reports_a_question_from_the_result_page(client, submitted):
    response = client.post(
        f"/attempts/{submitted.pk}/items/2/report/",
        {"reason": "unclear", "comment": "Two fit"},
        follow=True,
    )

    report = QuestionReport.objects.get()
    assert report.question_id == submitted.items.get(position=2).question_id
    assert (report.reason, report.comment, report.status) == (
        "unclear",
        "Two fit",
        ReportStatus.OPEN,
    )
    assert "your report on item 2 was sent" in response.text


def test_reporting_twice_is_refused_politely(client, submitted):
    for _ in range(2):
        response = client.post(
            f"/attempts/{submitted.pk}/items/1/report/", {"reason": "wrong"}, follow=True
        )

    assert QuestionReport.objects.count() == 1
    assert "already reported" in response.text


def test_report_before_submit_is_refused(client):
    make_bank(topics=1, per_topic=4)
    user = make_user()
    client.force_login(user)
    attempt = services.start_attempt(user=user, exam=make_exam(items=3))

    client.post(f"/attempts/{attempt.pk}/items/1/report/", {"reason": "wrong"})

    assert not QuestionReport.objects.exists()


@pytest.mark.parametrize(
    "data", [{}, {"reason": "rude"}, {"reason": "wrong", "comment": "x" * 1001}]
)
def test_invalid_report_writes_nothing(client, submitted, data):
    client.post(f"/attempts/{submitted.pk}/items/1/report/", data)

    assert not QuestionReport.objects.exists()


def test_cannot_report_on_another_candidates_attempt(client, submitted):
    client.force_login(make_user())

    response = client.post(f"/attempts/{submitted.pk}/items/1/report/", {"reason": "wrong"})

    assert response.status_code == 404
    assert not QuestionReport.objects.exists()
