"""Every admin page a trainer (or an operator) uses works under the strict CSP: it is sent
with the policy, and holds no inline script, no inline style and no event handler."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role, assign_role
from tests.banks import GOOD_TOPIC
from tests.factories import make_exam, make_question, make_topic, make_user
from tests.markup import unsafe_markup

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    topic = make_topic("boundaries", notes="## Notes\n\n**Bold** text.")
    question = make_question(topic, stem="Which *one*?")
    exam = make_exam(items=1, topics={topic: 1})
    return topic, question, exam


def trainer_pages(content) -> list[str]:
    topic, question, exam = content
    return [
        "/admin/",
        "/admin/quizzes/",
        "/admin/quizzes/question/",
        "/admin/quizzes/question/?q=one&status__exact=published",
        "/admin/quizzes/question/add/",
        f"/admin/quizzes/question/{question.pk}/change/",
        f"/admin/quizzes/question/{question.pk}/history/",
        f"/admin/quizzes/question/{question.pk}/preview/",
        "/admin/quizzes/question/import/",
        "/admin/quizzes/topic/",
        "/admin/quizzes/topic/add/",
        f"/admin/quizzes/topic/{topic.pk}/change/",
        "/admin/quizzes/exam/",
        "/admin/quizzes/exam/add/",
        f"/admin/quizzes/exam/{exam.pk}/change/",
        "/admin/password_change/",
    ]


def assert_csp_clean(response) -> None:
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert unsafe_markup(response.text) == [], response.request["PATH_INFO"]


def test_every_trainer_page_works_under_the_csp(client, content):
    trainer = make_user("trainer")
    assign_role(trainer, Role.TRAINER)
    client.force_login(trainer)

    for url in trainer_pages(content):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_csp_clean(response)


def test_superuser_pages_work_under_the_csp(client, content):
    admin = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    for url in [
        *trainer_pages(content),
        "/admin/auth/user/",
        f"/admin/auth/user/{admin.pk}/change/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_csp_clean(response)


def test_admin_login_page_works_under_the_csp(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert_csp_clean(response)


def test_form_with_errors_and_import_results_work_under_the_csp(client, content):
    topic, _, _ = content
    trainer = make_user("trainer")
    assign_role(trainer, Role.TRAINER)
    client.force_login(trainer)

    refused = client.post("/admin/quizzes/question/add/", {"topic": topic.pk})
    checked = client.post(
        "/admin/quizzes/question/import/",
        {"files": [SimpleUploadedFile("sample.yaml", GOOD_TOPIC.encode())], "dry_run": "Check"},
    )
    broken = client.post(
        "/admin/quizzes/question/import/",
        {"files": [SimpleUploadedFile("bad.yaml", b"topic: [")], "dry_run": "Check"},
    )

    for response in (refused, checked, broken):
        assert response.status_code == 200
        assert_csp_clean(response)
    assert checked.context["report"] is not None
    assert broken.context["errors"]
