"""Hostile requests on the admin: bank import, GIFT import, the question form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.roles import Role, assign_role
from quizzes.authoring import views as admin_views
from quizzes.models import Question, StagedBankFile, Topic
from tests.banks import GOOD_TOPIC
from tests.factories import make_user
from tests.hostile.helpers import HUGE, LONG, logged_in, messages_of, param, writes_nothing
from tests.question_forms import change_data, form_data

pytestmark = pytest.mark.django_db


IMPORT_URL = "/admin/quizzes/question/import/"
GIFT_URL = "/admin/quizzes/question/import-gift/"


ANCHORS = "a: &a [1, 2]\nb: [*a, *a]\ntopic:\n  slug: x\n  title: *a\n"


def yaml_upload(content: str | bytes, name: str = "bank.yaml") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/yaml")


def import_problems(response) -> list:
    """What the import page lists as wrong: form errors or bank errors."""
    form_errors = response.context["form"].errors.get("files", [])
    return [*form_errors, *response.context.get("errors", [])]


def test_control_a_good_bank_passes_the_dry_run(hostile, world):
    logged_in(hostile, world.trainer)

    response = hostile.post(IMPORT_URL, {"files": [yaml_upload(GOOD_TOPIC)]})

    assert response.status_code == 200
    assert import_problems(response) == []
    assert response.context["staged"] is not None


@pytest.mark.parametrize(
    "content",
    [
        param("empty", ""),
        param("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"),
        param("not-utf8", "topic:\n  title: Caf\xe9\n".encode("latin-1")),
        param("anchors-and-aliases", ANCHORS),
        param("a-list", "- one\n- two\n"),
        param("deep-nesting", "[" * 5000 + "]" * 5000),
        param("tab-indented", "topic:\n\tslug: x\n"),
        param(
            "nul-in-quoted-text",
            GOOD_TOPIC.replace(
                "stem: Dana needs housing help. What do you do?",
                'stem: "Dana\\0 needs housing help. What do you do?"',
            ),
        ),
        param(
            "slug-over-60",
            GOOD_TOPIC.replace("slug: sample-topic", "slug: " + "s" * 100),
        ),
        param(
            "title-over-200",
            GOOD_TOPIC.replace("title: Sample topic", "title: " + "T" * 300),
        ),
        param(
            "id-over-100",
            GOOD_TOPIC.replace("sample-001", "q" * 150),
        ),
        param(
            "source-over-300",
            GOOD_TOPIC.replace("source: Sample article", "source: " + "S" * 400),
        ),
    ],
)
def test_bank_import_refuses_hostile_files(hostile, world, content):
    logged_in(hostile, world.trainer)

    with writes_nothing():
        response = hostile.post(IMPORT_URL, {"files": [yaml_upload(content)]})

    assert response.status_code == 200
    assert import_problems(response)
    assert response.context["staged"] is None
    assert not StagedBankFile.objects.exists(), "nothing stays staged"


@pytest.mark.parametrize(
    "token",
    [
        param("missing", None),
        param("empty", ""),
        param("very-long", LONG),
        param("path-traversal", "../../../../etc/passwd"),
        param("list", ["x" * 32, "y" * 32]),
        param("another-trainers", "FOREIGN"),
    ],
)
def test_applying_an_import_refuses_tokens_not_of_this_session(hostile, world, token):
    other = make_user("other-trainer")
    assign_role(other, Role.TRAINER)
    other_client = logged_in(Client(), other)
    foreign = other_client.post(IMPORT_URL, {"files": [yaml_upload(GOOD_TOPIC)]})
    if token == "FOREIGN":
        token = foreign.context["staged"].token
    logged_in(hostile, world.trainer)
    data = {"apply": "Apply"} | ({} if token is None else {"token": token})

    with writes_nothing():
        response = hostile.post(IMPORT_URL, data)

    assert response.status_code == 302
    assert messages_of(response) == [admin_views.IMPORT_EXPIRED]


GIFT = "::Q1:: Dana needs housing help. What do you do? {=Connect her ~Let her stay}"


def gift_upload(content: str | bytes = GIFT, name: str = "week1.gift") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_control_a_good_gift_file_passes_the_dry_run(hostile, world):
    logged_in(hostile, world.trainer)

    response = hostile.post(GIFT_URL, {"file": gift_upload(), "topic": "two-choices"})

    assert response.status_code == 200
    assert response.context["staged"] is not None


@pytest.mark.parametrize(
    ("file", "topic", "field"),
    [
        param("no-file", None, "two-choices", "file"),
        param("no-topic", GIFT, None, "topic"),
        param("topic-markup", GIFT, "<script>alert(1)</script>", "topic"),
        param("topic-over-60", GIFT, "t" * 61, "topic"),
        param("topic-very-long", GIFT, LONG, "topic"),
        param("topic-list", GIFT, ["two-choices", "Not a slug"], "topic"),
        param("empty-file", "", "two-choices", "file"),
        param("nul-in-file", GIFT.replace("Dana", "Da\x00na"), "two-choices", "file"),
        param("binary-file", b"\xff\xfe\x00\x00garbage", "two-choices", "file"),
    ],
)
def test_gift_import_refuses_hostile_input(hostile, world, file, topic, field):
    logged_in(hostile, world.trainer)
    data = {"file": gift_upload(file)} if file is not None else {}
    if topic is not None:
        data["topic"] = topic

    with writes_nothing():
        response = hostile.post(GIFT_URL, data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not StagedBankFile.objects.exists()


def test_gift_file_of_garbage_stages_nothing(hostile, world):
    logged_in(hostile, world.trainer)

    with writes_nothing():
        response = hostile.post(
            GIFT_URL, {"file": gift_upload("{{{{ ~~~ }}}} ::: ==="), "topic": "x"}
        )

    assert response.status_code == 200
    assert response.context.get("staged") is None
    assert not StagedBankFile.objects.exists()


CHOICES = [("a", "Keep it professional", True), ("b", "Accept the request", False)]


def test_control_the_good_question_form_saves(hostile, world):
    logged_in(hostile, world.trainer)
    topic = Topic.objects.get(slug="two-choices")

    response = hostile.post("/admin/quizzes/question/add/", form_data(topic, CHOICES))

    assert response.status_code == 302
    assert Question.objects.filter(external_id="boundaries-001").exists()


@pytest.mark.parametrize(
    "changes",
    [
        param("total-forms-text", {"choices-TOTAL_FORMS": "abc"}),
        param("total-forms-huge", {"choices-TOTAL_FORMS": str(HUGE)}),
        param("total-forms-negative", {"choices-TOTAL_FORMS": "-1"}),
        param("management-form-missing", {"choices-TOTAL_FORMS": None}),
        param("topic-text", {"topic": "abc"}),
        param("topic-huge", {"topic": str(HUGE)}),
        param("topic-unknown", {"topic": "999999"}),
        param("topic-list", {"topic": ["1", "abc"]}),
        param("stem-very-long", {"stem": LONG}),
        param("stem-nul", {"stem": "Which\x00one?"}),
        param("external-id-markup", {"external_id": "<b>x</b>"}),
        param("status-unknown", {"status": "deleted"}),
        param("tags-markup", {"tags": "<script>, ok"}),
        param("choice-key-unknown", {"choices-0-key": "z"}),
        param("choice-key-list", {"choices-0-key": ["a", "zz"]}),
        param("choice-text-very-long", {"choices-0-text": LONG}),
    ],
)
def test_question_form_refuses_hostile_input(hostile, world, changes):
    logged_in(hostile, world.trainer)
    data = form_data(Topic.objects.get(slug="two-choices"), CHOICES)
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value

    with writes_nothing():
        response = hostile.post("/admin/quizzes/question/add/", data)

    assert response.status_code == 200
    assert response.context["errors"]


def choice_rows(question: Question) -> list[tuple]:
    return list(question.choices.order_by("key").values_list("pk", "key", "text", "is_correct"))


def test_question_form_never_reaches_a_choice_of_another_question(hostile, world):
    """Django's inline formset does not find a foreign choice id among this question's
    choices: the row is dropped, and the other question is untouched."""
    logged_in(hostile, world.trainer)
    question, other = Question.objects.filter(topic__slug="two-choices")[:2]
    before = (choice_rows(question), choice_rows(other))
    data = change_data(question)
    data["choices-0-id"] = other.choices.get(key="a").pk
    data["choices-0-text"] = "Rewritten through another question"

    response = hostile.post(f"/admin/quizzes/question/{question.pk}/change/", data)

    assert response.status_code in {200, 302}
    assert (choice_rows(question), choice_rows(other)) == before


@pytest.mark.parametrize("path", [f"{HUGE}/preview/", "999999/preview/", f"{HUGE}/change/"])
def test_admin_question_pages_of_unknown_ids_are_clean(hostile, world, path):
    logged_in(hostile, world.trainer)

    with writes_nothing():
        response = hostile.get(f"/admin/quizzes/question/{path}")

    assert response.status_code in {302, 404}
