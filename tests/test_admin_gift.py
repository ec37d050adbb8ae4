"""GIFT import in admin: the same dry run and Apply as the YAML import."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role, assign_role, ensure_roles
from quizzes.models import Question, Status
from tests.conftest import REPO
from tests.factories import make_topic, make_user

pytestmark = pytest.mark.django_db

MOODLE_FIXTURES = REPO.parent / "shared" / "moodle-gift"
GIFT = """// crss: kind=application domain=advocacy
::Housing::Dana needs housing help. What do you do?{
=Connect her with resources#Right: advocate through channels.
~Let her stay at your home
####Advocate through proper channels.}

::Essay:: How are you? {}
"""


@pytest.fixture
def trainer(client):
    ensure_roles()
    user = make_user("gift-trainer")
    assign_role(user, Role.TRAINER)
    client.force_login(user)
    make_topic("power-dynamics")
    return user


def upload(client, text: str, name: str = "week1.gift.txt", topic: str = "power-dynamics"):
    gift = SimpleUploadedFile(name, text.encode(), content_type="text/plain")
    return client.post("/admin/quizzes/question/import-gift/", {"file": gift, "topic": topic})


def test_gift_dry_run_lists_skips_and_writes_nothing(client, trainer):
    response = upload(client, GIFT)

    assert response.status_code == 200
    assert "week1.gift.txt:7: skipped &#x27;Essay&#x27;" in response.text
    assert "Dry run: nothing was written" in response.text
    assert not Question.objects.exists()


def test_gift_apply_imports_drafts(client, trainer):
    response = upload(client, GIFT)
    token = response.context["staged"].token

    client.post("/admin/quizzes/question/import/", {"apply": "1", "token": token})

    question = Question.objects.get()
    assert question.status == Status.DRAFT
    assert (question.kind, question.domain) == ("application", "advocacy")
    assert question.choices.get(is_correct=True).feedback == "Right: advocate through channels."


def test_gift_file_that_is_not_utf8_is_refused(client, trainer):
    gift = SimpleUploadedFile("latin.gift", "Caf\xe9 {=a ~b}".encode("latin-1"))

    response = client.post("/admin/quizzes/question/import-gift/", {"file": gift, "topic": "x"})

    assert "is not UTF-8 text" in response.text
    assert not Question.objects.exists()


def test_moodle_fixture_dry_run_in_admin(client, trainer):
    path = MOODLE_FIXTURES / "questions.gift.txt"
    if not path.exists():
        pytest.skip(f"Moodle fixtures not found at {path}")

    response = upload(client, Path(path).read_text(), name="questions.gift.txt")

    assert "skipped &#x27;Q5&#x27;: numerical questions are not supported" in response.text
    assert not Question.objects.exists()


def test_candidate_cannot_import_gift(client):
    client.force_login(make_user())

    response = upload(client, GIFT)

    assert response.status_code == 302
    assert not Question.objects.exists()
