"""Bank import and export in admin: a dry run changes nothing, Apply is atomic, export then
import is an exact round trip, and errors read exactly as load_questions prints them."""

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from quizzes.authoring import forms as admin_forms
from quizzes.authoring import staging
from quizzes.authoring import views as admin_views
from quizzes.authoring.banks import load_bank_paths
from quizzes.models import Choice, Exam, Question, StagedBankFile, Status, Topic
from tests.banks import GOOD_EXAMS, GOOD_TOPIC, topic_bank
from tests.conftest import CONTENT_DIR
from tests.factories import make_user

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/quizzes/question/import/"
EXPORT_URL = "/admin/quizzes/question/export/"
LIST_URL = "/admin/quizzes/question/"


def upload(name: str, text: str | bytes) -> SimpleUploadedFile:
    content = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="application/yaml")


def dry_run(client, *files: SimpleUploadedFile):
    return client.post(IMPORT_URL, {"files": list(files), "dry_run": "Check"})


def apply(client, response):
    return client.post(IMPORT_URL, {"apply": "Apply", "token": response.context["staged"].token})


def database_snapshot() -> tuple:
    return (
        list(Topic.objects.order_by("slug").values_list("slug", "title", "notes")),
        list(
            Question.objects.order_by("external_id").values_list(
                "external_id", "status", "stem", "explanation", "updated_at"
            )
        ),
        list(
            Choice.objects.order_by("question__external_id", "key").values_list(
                "question__external_id", "key", "text", "is_correct"
            )
        ),
        list(Exam.objects.order_by("slug").values_list("slug", "item_count", "position")),
    )


def command_errors(*paths: Path) -> list[str]:
    """What load_questions prints for these files, with each path shown as its file name."""
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("load_questions", *map(str, paths), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    for path in paths:
        lines = [line.replace(str(path), path.name) for line in lines]
    return [*lines, str(raised.value)]


def page_errors(response) -> list[str]:
    return [*response.context["errors"], response.context["errors_summary"]]


# --- the page and who may use it ------------------------------------------------------------


def test_import_page_offers_a_multiple_file_upload(client, trainer):
    response = client.get(IMPORT_URL)

    assert response.status_code == 200
    assert 'type="file"' in response.text
    assert " multiple" in response.text
    assert 'enctype="multipart/form-data"' in response.text


def test_staff_without_content_permissions_cannot_import_or_export(client):
    clerk = make_user("clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_question"))
    client.force_login(clerk)

    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"files": [upload("a.yaml", GOOD_TOPIC)]}).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403
    assert "Import banks" not in client.get(LIST_URL).text


def test_candidate_cannot_reach_import_or_export(client):
    client.force_login(make_user("candidate"))

    for url in (IMPORT_URL, EXPORT_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


# --- dry run ---------------------------------------------------------------------------------


def test_dry_run_shows_counts_and_changes_nothing(client, trainer):
    before = database_snapshot()

    response = dry_run(client, upload("sample.yaml", GOOD_TOPIC), upload("exams.yaml", GOOD_EXAMS))

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.topics.created, report.questions.created, report.exams.created) == (1, 2, 1)
    assert database_snapshot() == before
    assert admin_views.DRY_RUN_DONE in response.text
    assert 'name="apply"' in response.text


def test_dry_run_names_the_questions_it_would_retire(client, trainer, write_bank):
    load_bank_paths([write_bank("sample.yaml", GOOD_TOPIC)])
    without_second = GOOD_TOPIC[: GOOD_TOPIC.index("  - id: sample-002")]

    response = dry_run(client, upload("sample.yaml", without_second))

    assert response.context["report"].questions.retired == 1
    assert response.context["retiring"] == ["sample-002"]
    assert Question.objects.get(external_id="sample-002").status == Status.PUBLISHED


def test_dry_run_errors_read_exactly_as_load_questions_prints_them(client, trainer, write_bank):
    bad = GOOD_TOPIC.replace("answer: b", "answer: z").replace("kind: recall", "kind: trivia")
    path = write_bank("broken-bank.yaml", bad)

    response = dry_run(client, upload("broken-bank.yaml", path.read_text()))

    assert page_errors(response) == command_errors(path)
    assert len(response.context["errors"]) == 2
    assert "broken-bank.yaml:" in response.context["errors"][0]
    assert "staging" not in response.text
    assert 'name="apply"' not in response.text


def test_errors_across_files_name_each_uploaded_file(client, trainer, write_bank):
    first = write_bank("first.yaml", GOOD_TOPIC)
    second = write_bank("second.yaml", GOOD_TOPIC.replace("slug: sample-topic", "slug: other"))

    response = dry_run(
        client, upload("first.yaml", first.read_text()), upload("second.yaml", second.read_text())
    )

    assert page_errors(response) == command_errors(first, second)
    assert "first.yaml:9 and second.yaml:9" in response.context["errors"][0]


def test_one_bad_file_among_good_ones_writes_nothing(client, trainer):
    before = database_snapshot()

    response = dry_run(
        client,
        upload("good.yaml", topic_bank("good-topic", 3)),
        upload("bad.yaml", "topic: [unclosed"),
    )

    assert response.context["errors"]
    assert response.context["report"] is None
    assert database_snapshot() == before


def test_yaml_syntax_error_is_reported_with_the_file_name_and_line(client, trainer, write_bank):
    path = write_bank("syntax.yaml", "topic:\n  slug: x\n   title: y\n")

    response = dry_run(client, upload("syntax.yaml", path.read_text()))

    assert page_errors(response) == command_errors(path)
    assert response.context["errors"][0].startswith("syntax.yaml:")


# --- upload checks ---------------------------------------------------------------------------


def test_a_file_over_two_mebibytes_is_refused_by_name(client, trainer):
    big = b"# " + b"x" * (2 * 1024 * 1024)

    response = dry_run(client, upload("huge.yaml", big))

    assert response.context["form"].errors["files"] == [
        admin_forms.FILE_TOO_LARGE.format(name="huge.yaml", size=len(big) / 1024 / 1024)
    ]
    assert "huge.yaml” is 2.0 MiB; a bank file may be at most 2 MiB" in response.text


def test_a_file_that_is_not_yaml_is_refused(client, trainer):
    response = dry_run(client, upload("notes.txt", "hello"))

    assert response.context["form"].errors["files"] == [
        admin_forms.NOT_A_BANK_FILE.format(name="notes.txt")
    ]


def test_two_files_with_the_same_name_are_refused(client, trainer):
    response = dry_run(client, upload("a.yaml", GOOD_TOPIC), upload("a.yaml", GOOD_EXAMS))

    assert response.context["form"].errors["files"] == [
        admin_forms.SAME_FILE_NAME.format(name="a.yaml")
    ]


def test_submitting_no_file_asks_for_one(client, trainer):
    response = client.post(IMPORT_URL, {"dry_run": "Check"})

    assert response.status_code == 200
    assert response.context["form"].errors["files"]


def test_a_broken_zip_is_refused(client, trainer):
    response = dry_run(client, upload("banks.zip", b"not a zip"))

    assert response.context["form"].errors["files"] == [
        admin_forms.NOT_A_ZIP.format(name="banks.zip")
    ]


def test_zip_members_that_are_not_banks_are_ignored(client, trainer):
    archive = make_zip(
        {
            "banks/sample.yaml": GOOD_TOPIC,
            "__MACOSX/banks/._sample.yaml": "junk",
            "README.txt": "read me",
        }
    )

    response = dry_run(client, upload("banks.zip", archive))

    assert response.context["names"] == ("banks.zip/banks/sample.yaml",)
    assert response.context["report"].questions.created == 2


def test_a_zip_member_over_two_mebibytes_is_refused_by_name(client, trainer):
    big = "# " + "x" * (2 * 1024 * 1024)

    response = dry_run(client, upload("banks.zip", make_zip({"big.yaml": big})))

    assert response.context["form"].errors["files"] == [
        admin_forms.FILE_TOO_LARGE.format(name="banks.zip/big.yaml", size=len(big) / 1024 / 1024)
    ]


def test_a_zip_with_too_many_bank_files_is_refused_before_reading_them(client, trainer):
    count = admin_forms.MAX_UPLOAD_FILES + 1
    archive = make_zip({f"bank-{n}.yaml": GOOD_EXAMS for n in range(count)})

    response = dry_run(client, upload("banks.zip", archive))

    assert response.context["form"].errors["files"] == [
        admin_forms.TOO_MANY_FILES.format(limit=admin_forms.MAX_UPLOAD_FILES, count=count)
    ]


def test_a_zip_without_bank_files_is_refused(client, trainer):
    response = dry_run(client, upload("banks.zip", make_zip({"README.txt": "hi"})))

    assert response.context["form"].errors["files"] == [
        admin_forms.EMPTY_ZIP.format(name="banks.zip")
    ]


def make_zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# --- apply -----------------------------------------------------------------------------------


def test_apply_writes_what_the_dry_run_showed(client, trainer):
    checked = dry_run(client, upload("sample.yaml", GOOD_TOPIC), upload("exams.yaml", GOOD_EXAMS))

    response = apply(client, checked)

    assert response.status_code == 302
    assert response.url == LIST_URL
    assert set(Question.objects.values_list("external_id", flat=True)) == {
        "sample-001",
        "sample-002",
    }
    assert Exam.objects.filter(slug="sample-exam").exists()
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert notes == [
        "Banks imported. topics: 1 created, 0 updated, 0 unchanged, 0 retired; "
        "questions: 2 created, 0 updated, 0 unchanged, 0 retired; "
        "exams: 1 created, 0 updated, 0 unchanged, 0 retired"
    ]
    assert staging.SESSION_KEY not in client.session
    assert not StagedBankFile.objects.exists()


def test_apply_is_atomic_when_writing_fails_midway(client, trainer, monkeypatch):
    checked = dry_run(client, upload("sample.yaml", GOOD_TOPIC), upload("exams.yaml", GOOD_EXAMS))
    before = database_snapshot()

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    # Topics and questions are written before exams: fail after them.
    monkeypatch.setattr("quizzes.authoring.banks.importer.write_exams", fail)
    with pytest.raises(RuntimeError):
        apply(client, checked)

    assert database_snapshot() == before


def test_apply_writes_nothing_when_one_file_has_become_bad(client, trainer):
    checked = dry_run(
        client, upload("good.yaml", topic_bank("good-topic", 3)), upload("other.yaml", GOOD_TOPIC)
    )
    staged = checked.context["staged"]
    StagedBankFile.objects.filter(token=staged.token, position=1).update(
        content=b"topic: [unclosed"
    )
    before = database_snapshot()

    response = apply(client, checked)

    assert response.status_code == 200
    assert response.context["errors"][0].startswith("other.yaml:")
    assert database_snapshot() == before


def test_apply_with_a_stale_token_writes_nothing(client, trainer):
    dry_run(client, upload("sample.yaml", GOOD_TOPIC))

    response = client.post(IMPORT_URL, {"apply": "Apply", "token": "x" * 32}, follow=True)

    assert admin_views.IMPORT_EXPIRED in response.text
    assert not Question.objects.exists()


def test_apply_twice_writes_once(client, trainer):
    checked = dry_run(client, upload("sample.yaml", GOOD_TOPIC))
    apply(client, checked)

    response = apply(client, checked)

    assert response.status_code == 302
    assert response.url == IMPORT_URL
    assert Question.objects.count() == 2


def test_dry_run_with_no_changes_offers_no_apply(client, trainer):
    checked = dry_run(client, upload("sample.yaml", GOOD_TOPIC))
    apply(client, checked)

    response = dry_run(client, upload("sample.yaml", GOOD_TOPIC))

    assert response.context["report"].changes == 0
    assert admin_views.NO_CHANGES in response.text
    assert 'name="apply"' not in response.text


# --- export and the round trip ---------------------------------------------------------------


def test_export_downloads_a_dated_zip_of_every_bank(client, trainer):
    load_bank_paths([CONTENT_DIR])

    response = client.get(EXPORT_URL)

    name = f"crss-banks-{timezone.localdate():%Y%m%d}.zip"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
    assert "exams.yaml" in names
    assert {f"{slug}.yaml" for slug in Topic.objects.values_list("slug", flat=True)} <= names


def test_export_then_import_of_the_zip_reports_no_changes(client, trainer):
    load_bank_paths([CONTENT_DIR])
    before = database_snapshot()
    archive = client.get(EXPORT_URL).content

    response = dry_run(client, upload("crss-banks.zip", archive))

    assert response.context["errors"] == []
    report = response.context["report"]
    assert report.changes == 0
    assert report.questions.unchanged == Question.objects.count()
    assert admin_views.NO_CHANGES in response.text
    assert database_snapshot() == before


def test_export_then_import_of_the_unzipped_files_reports_no_changes(client, trainer):
    load_bank_paths([CONTENT_DIR])
    with zipfile.ZipFile(io.BytesIO(client.get(EXPORT_URL).content)) as archive:
        files = [upload(name, archive.read(name)) for name in archive.namelist()]

    response = dry_run(client, *files)

    assert response.context["report"].changes == 0


def test_questions_written_in_admin_survive_the_round_trip(client, trainer):
    topic = Topic.objects.create(slug="boundaries", title="Boundaries", source="An article")
    data = {
        "external_id": "boundaries-001",
        "topic": topic.pk,
        "status": Status.PUBLISHED,
        "kind": "recall",
        "domain": "mentoring",
        "tags": "supervision, social-media",
        "source": "",
        "stem": "  Which **one**?  \n",
        "explanation": "Because.",
        "choices-TOTAL_FORMS": 3,
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 6,
        "choices-0-key": "a",
        "choices-0-text": "This one",
        "choices-0-is_correct": "on",
        "choices-0-feedback": "Right: it says so.",
        "choices-1-key": "b",
        "choices-1-text": "That one",
        "choices-2-key": "c",
        "choices-2-text": "Neither: 'quoted' & <odd>",
    }
    assert client.post("/admin/quizzes/question/add/", data).status_code == 302

    response = dry_run(client, upload("all.zip", client.get(EXPORT_URL).content))

    assert response.context["errors"] == []
    assert response.context["report"].changes == 0
