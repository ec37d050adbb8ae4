"""``lint_questions`` (output, exit status, seeds, the database) and the item-writing flags
in the question admin (issue 16)."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.authoring.lint_admin import FLAGS_NOT_SAVED
from quizzes.models import Choice, Question, Status
from tests.factories import make_question, make_topic, make_user
from tests.lint_samples import GOOD_CHOICES, GOOD_STEM

REPO = Path(__file__).resolve().parent.parent
LIST_URL = "/admin/quizzes/question/"
FLAG_LINE = re.compile(r"^\S+:\d+: [a-z0-9-]+: [a-z-]+: .+$")


# --------------------------------------------------------------------------- the command

BANK = """
topic:
  slug: sample-topic
  title: Sample topic
  source: Sample article
questions:
  - id: sample-001
    kind: application
    domain: professional-responsibility
    stem: {stem}
    choices:
      a: {a}
      b: {b}
      c: {c}
      d: {d}
    answer: b
    explanation: Consulting early is what the overlap needs.
"""


def write_sample(write_bank, stem: str = GOOD_STEM, **choices: str) -> Path:
    texts = GOOD_CHOICES | choices
    return write_bank("sample.yaml", BANK.format(stem=stem, **texts))


@pytest.fixture
def no_seeds(tmp_path, monkeypatch):
    folder = tmp_path / "no-seeds"
    folder.mkdir()
    monkeypatch.setenv("CRSS_SEEDS_DIR", str(folder))
    return folder


def lint(*args) -> tuple[str, str, CommandError | None]:
    out, err = StringIO(), StringIO()
    try:
        call_command("lint_questions", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_the_command_prints_each_flag_then_the_guesser_and_fails(write_bank, no_seeds):
    path = write_sample(write_bank, stem="According to the article, what comes first?")

    out, err, failure = lint(path)

    lines = out.splitlines()
    assert lines == [
        f"{path}:6: sample-001: stem-names-source: the stem names its source "
        "('the article'); stems must stand alone",
        "guesser: 100 %",
    ]
    assert FLAG_LINE.match(lines[0])
    assert failure is not None and failure.returncode == 1
    assert "1 item-writing flag(s) in 1 question(s)" in str(failure)
    assert "seed-copy check was SKIPPED" in err


def test_a_clean_bank_passes_unless_the_guesser_is_over_the_limit(write_bank, no_seeds):
    path = write_sample(write_bank)

    out, _, failure = lint(path)
    assert (out, failure) == ("guesser: 100 %\n", None)

    _, _, failure = lint(path, "--max-guesser", "35")
    assert "the guesser scores 100 %, above the limit of 35 %" in str(failure)


def test_seed_copies_are_found_in_the_seeds_folder(write_bank, tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000_article.txt").write_text("Bring the overlap to her supervisor and plan it.")
    monkeypatch.setenv("CRSS_SEEDS_DIR", str(seeds))

    out, err, failure = lint(write_sample(write_bank))

    assert "sample-001: seed-copy: the choice b shares 8 consecutive words with seed " in out
    assert err == "" and failure is not None


def test_bank_errors_are_reported_and_fail_the_run(write_bank, no_seeds):
    path = write_bank("broken.yaml", BANK.format(stem="What?", a="x", b="y", c="x", d="z"))

    _, err, failure = lint(path)

    assert "with the same text" in err
    assert "1 error(s) in the question banks" in str(failure)


def test_the_exit_status_is_one_with_flags_and_zero_without(write_bank, no_seeds):
    environment = os.environ | {"DJANGO_DEBUG": "1"}
    command = [sys.executable, "manage.py", "lint_questions"]
    clean = write_sample(write_bank)
    clean_run = subprocess.run([*command, clean], cwd=REPO, env=environment, capture_output=True)

    flawed = write_sample(write_bank, stem="What does the author say?")
    flawed_run = subprocess.run([*command, flawed], cwd=REPO, env=environment, capture_output=True)

    assert (clean_run.returncode, clean_run.stdout) == (0, b"guesser: 100 %\n")
    assert flawed_run.returncode == 1


@pytest.mark.django_db
def test_the_command_lints_the_published_questions_in_the_database(no_seeds):
    topic = make_topic("sample")
    make_question(topic, external_id="sample-001", stem="Which answer fits the article?")
    make_question(topic, external_id="sample-002", stem="A draft", status=Status.DRAFT)

    out, _, failure = lint("--database")

    assert out.splitlines() == [
        "database: sample-001: stem-names-source: the stem names its source ('the article'); "
        "stems must stand alone",
        "guesser: 0 %",
    ]
    assert failure is not None


# --------------------------------------------------------------------------- the admin


@pytest.fixture
def trainer(client):
    from accounts.roles import Role, assign_role

    user = make_user("trainer")
    assign_role(user, Role.TRAINER)
    client.force_login(user)
    return user


def saved_question(topic, external_id: str, stem: str = GOOD_STEM) -> Question:
    saved = Question.objects.create(
        external_id=external_id,
        topic=topic,
        stem=stem,
        explanation="Consulting early is what the overlap needs.",
        status=Status.PUBLISHED,
    )
    Choice.objects.bulk_create(
        Choice(question=saved, key=key, text=text, is_correct=key == "b")
        for key, text in GOOD_CHOICES.items()
    )
    return saved


def change_data(saved: Question, **fields) -> dict:
    choices = list(saved.choices.order_by("key"))
    data = {
        "external_id": saved.external_id,
        "topic": saved.topic_id,
        "status": saved.status,
        "kind": saved.kind,
        "domain": saved.domain,
        "tags": "",
        "source": "",
        "stem": saved.stem,
        "explanation": saved.explanation,
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 6,
    } | fields
    for index, choice in enumerate(choices):
        data |= {
            f"choices-{index}-id": choice.pk,
            f"choices-{index}-question": saved.pk,
            f"choices-{index}-key": choice.key,
            f"choices-{index}-text": choice.text,
            f"choices-{index}-feedback": "",
        }
    return data


@pytest.mark.django_db
def test_the_change_page_shows_the_saved_questions_flags(client, trainer, no_seeds):
    topic = make_topic("sample")
    flawed = saved_question(topic, "sample-001", stem="What does the article say?")
    clean = saved_question(topic, "sample-002", stem="Which step comes first here?")

    flawed_page = client.get(f"{LIST_URL}{flawed.pk}/change/").content.decode()
    clean_page = client.get(f"{LIST_URL}{clean.pk}/change/").content.decode()

    assert "<code>stem-names-source</code>" in flawed_page
    assert "guesser (wording only) picks b, the key" in flawed_page
    assert "No item-writing flags." in clean_page
    assert "seed articles were not found" in clean_page


@pytest.mark.django_db
def test_the_add_page_asks_to_save_first(client, trainer):
    page = client.get(f"{LIST_URL}add/").content.decode()

    assert FLAGS_NOT_SAVED in page


@pytest.mark.django_db
def test_the_change_page_shows_the_flags_of_the_saved_text_not_the_unsaved_form(
    client, trainer, no_seeds
):
    clean = saved_question(make_topic("sample"), "sample-001", stem="Which step comes first?")
    # No choice is marked correct: the form is refused and shown again with the new stem.
    data = change_data(clean, stem="What does the article say?")

    response = client.post(f"{LIST_URL}{clean.pk}/change/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "What does the article say?" in page  # the unsaved stem is in the form
    assert "stem-names-source" not in page
    assert "No item-writing flags." in page


@pytest.mark.django_db
def test_the_list_filters_questions_by_flags(client, trainer, no_seeds):
    topic = make_topic("sample")
    saved_question(topic, "sample-001", stem="What does the article say?")
    saved_question(topic, "sample-002", stem="Which step comes first here?")

    flagged = client.get(LIST_URL, {"lint": "yes"}).content.decode()
    clean = client.get(LIST_URL, {"lint": "no"}).content.decode()

    assert "Item-writing flags" in flagged
    assert "sample-001" in flagged and "sample-002" not in flagged
    assert "sample-002" in clean and "sample-001" not in clean


@pytest.mark.django_db
def test_the_flags_filter_reads_the_pool_in_a_fixed_number_of_queries(
    client, trainer, no_seeds, django_assert_num_queries
):
    topic = make_topic("sample")
    saved_question(topic, "sample-001", stem="What does the article say?")
    client.get(LIST_URL, {"lint": "yes"})
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL, {"lint": "yes"})
    for number in range(2, 7):
        saved_question(topic, f"sample-00{number}", stem=f"Which step comes {number}th here?")

    with django_assert_num_queries(len(few)):
        client.get(LIST_URL, {"lint": "yes"})
