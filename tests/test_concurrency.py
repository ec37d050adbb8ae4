"""Races with real threads, each on its own database connection (PostgreSQL and SQLite)."""

import io
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from accounts.roles import Role, assign_role, ensure_roles
from quizzes import services
from quizzes.authoring import banks
from quizzes.authoring.banks import LoadReport, importer, load_bank_paths
from quizzes.authoring.gift.convert import GiftImportError, load_gift
from quizzes.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    AttemptTopicResult,
    Choice,
    Exam,
    Question,
    Status,
    Topic,
)
from quizzes.practice import PracticeRequest, start_practice
from tests.factories import make_bank, make_exam, make_user

IMPORT_URL = "/admin/quizzes/question/import/"

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at the same moment in threads; their results or exceptions, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the test inspects what each thread met
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def exam():
    make_bank(topics=2, per_topic=6)
    return make_exam(items=6)


def test_two_submits_at_once_grade_exactly_once(exam):
    attempt = services.start_attempt(user=make_user(), exam=exam)

    results = race(*[lambda: services.submit_attempt(attempt=attempt)] * 2)

    assert all(isinstance(r, Attempt) for r in results), results
    assert {r.submitted_at for r in results} == {results[0].submitted_at}
    tallies = AttemptTopicResult.objects.filter(attempt=attempt)
    assert sum(t.total for t in tallies) == 6


def test_two_starts_at_once_make_one_attempt(exam):
    user = make_user()

    results = race(*[lambda: services.start_attempt(user=user, exam=exam)] * 2)

    assert all(isinstance(r, Attempt) for r in results), results
    assert results[0].pk == results[1].pk
    assert Attempt.objects.filter(user=user, status=AttemptStatus.IN_PROGRESS).count() == 1


def test_one_practice_form_sent_twice_at_once_starts_one_session(exam):
    user, token = make_user(), uuid.uuid4()
    request = PracticeRequest(
        count=4, topic_ids=frozenset(Topic.objects.values_list("pk", flat=True))
    )

    results = race(*[lambda: start_practice(user=user, request=request, start_token=token)] * 2)

    assert all(isinstance(r, Attempt) for r in results), results
    assert results[0].pk == results[1].pk
    assert Attempt.objects.filter(user=user).count() == 1


def test_saves_racing_a_submit_never_land_after_it(exam):
    attempt = services.start_attempt(user=make_user(), exam=exam)
    saves = [
        (
            lambda n=n: services.save_answer(
                attempt_id=attempt.pk, user=attempt.user, position=n, choice_key="a", sequence=n
            )
        )
        for n in range(1, 6)
    ]

    results = race(lambda: services.submit_attempt(attempt=attempt), *saves)

    attempt.refresh_from_db()
    assert attempt.is_submitted
    for result in results[1:]:
        # Each save landed before the submit or was refused cleanly, as closed.
        assert isinstance(result, services.StoredAnswer | services.AttemptClosed), result
    answered_after = attempt.items.exclude(chosen_key="").filter(
        answered_at__gt=attempt.submitted_at
    )
    assert not answered_after.exists()
    graded = attempt.items.filter(chosen_key="a", is_correct__isnull=True)
    assert not graded.exists()


def test_twenty_saves_of_twenty_items_at_once_are_all_kept():
    """Each on its own connection, numbered in no particular order: none refuses another."""
    make_bank(topics=2, per_topic=12)
    attempt = services.start_attempt(user=make_user(), exam=make_exam(items=20))
    keys = dict(attempt.items.values_list("position", "choice_keys"))
    saves = [
        (
            lambda n=n: services.save_answer(
                attempt_id=attempt.pk,
                user=attempt.user,
                position=n,
                choice_key=keys[n][n % 2],
                sequence=100 - n,  # the later items carry the older numbers
            )
        )
        for n in range(1, 21)
    ]

    results = race(*saves)

    assert all(isinstance(r, services.StoredAnswer) for r in results), results
    chosen = dict(attempt.items.values_list("position", "chosen_key"))
    assert chosen == {n: keys[n][n % 2] for n in range(1, 21)}


def test_two_tabs_changing_one_item_at_once_keep_the_newer_choice(exam):
    attempt = services.start_attempt(user=make_user(), exam=exam)
    older, newer = attempt.items.get(position=1).choice_keys[:2]

    def save(key: str, sequence: int):
        return lambda: services.save_answer(
            attempt_id=attempt.pk, user=attempt.user, position=1, choice_key=key, sequence=sequence
        )

    for _ in range(5):
        results = race(save(older, 10), save(newer, 20))
        assert attempt.items.get(position=1).chosen_key == newer
        # The older one either landed first and was then replaced, or was told of the newer.
        if isinstance(results[0], services.StaleSave):
            assert results[0].current == services.StoredAnswer(1, newer, 20)
        else:
            assert results[0] == services.StoredAnswer(1, older, 10)
        AttemptItem.objects.filter(attempt=attempt).update(chosen_key="", version=0)


# --- bank imports ----------------------------------------------------------------------------
# Two versions of one bank: A holds questions 1-40, B questions 21-60, each with its own topic
# title, texts and exam size. A mix of the two is easy to see: a live question from each
# version, a title from one and texts from the other. C, all 60, is a bank loaded before.

VERSIONS = {"A": range(1, 41), "B": range(21, 61), "C": range(1, 61)}
EXAM_ITEMS = {"A": 5, "B": 7, "C": 9}


def version_yaml(name: str) -> str:
    questions = "".join(
        f"""
  - id: shared-{n:03d}
    kind: recall
    domain: advocacy
    stem: Version {name}, question {n}?
    choices:
      a: Version {name}, answer {n}a
      b: Version {name}, answer {n}b
    answer: a
    explanation: Version {name} explains question {n}.
"""
        for n in VERSIONS[name]
    )
    return (
        f"topic:\n  slug: shared-topic\n  title: Version {name}\nquestions:{questions}"
        "exams:\n  - slug: shared-exam\n"
        f"    title: Version {name} exam\n    items: {EXAM_ITEMS[name]}\n"
        "    minutes: 10\n    pass_mark: 50\n    topics:\n      shared-topic: 1\n"
    )


@pytest.fixture
def versions(tmp_path) -> dict[str, Path]:
    """Each version's file, in a folder of its own (the file names are the same)."""
    paths = {}
    for name in VERSIONS:
        path = tmp_path / name / "shared-topic.yaml"
        path.parent.mkdir()
        path.write_text(version_yaml(name), encoding="utf-8")
        paths[name] = path
    return paths


def expected_state(name: str) -> tuple:
    """``bank_state()`` once version ``name`` alone is loaded."""
    return (
        f"Version {name}",
        [(f"shared-{n:03d}", f"Version {name}, question {n}?") for n in VERSIONS[name]],
        [
            (f"shared-{n:03d}", key, f"Version {name}, answer {n}{key}", key == "a")
            for n in VERSIONS[name]
            for key in "ab"
        ],
        [(f"Version {name} exam", EXAM_ITEMS[name])],
    )


def bank_state() -> tuple:
    """The shared bank as candidates see it: the topic, its live questions, the exam."""
    live = Question.objects.filter(topic__slug="shared-topic").exclude(status=Status.RETIRED)
    return (
        Topic.objects.get(slug="shared-topic").title,
        list(live.order_by("external_id").values_list("external_id", "stem")),
        list(
            Choice.objects.filter(question__in=live)
            .order_by("question__external_id", "key")
            .values_list("question__external_id", "key", "text", "is_correct")
        ),
        list(Exam.objects.filter(slug="shared-exam").values_list("title", "item_count")),
    )


def question_counts(report: LoadReport) -> tuple[int, int, int]:
    return report.questions.created, report.questions.updated, report.questions.retired


# What each import reports when it runs alone on an empty database (40 created), and when it
# runs after the other one has committed: 20 new, 20 shared and changed, 20 retired.
FIRST, SECOND = (40, 0, 0), (20, 20, 20)


@pytest.fixture
def paused_import(monkeypatch):
    """Stops the import of version A inside its transaction, questions written, until
    ``resume`` is set (``paused`` tells that it got there). Other imports run through."""
    paused, resume = threading.Event(), threading.Event()
    write_exams = importer.write_exams

    def write_exams_after_resume(specs, tally):
        if any(spec.title == "Version A exam" for spec in specs):
            paused.set()
            resume.wait(timeout=60)
        write_exams(specs, tally)

    monkeypatch.setattr(importer, "write_exams", write_exams_after_resume)
    return paused, resume


WAITING_FOR_THE_BANKS = """
    SELECT count(*) FROM pg_locks
    WHERE locktype = 'advisory' AND NOT granted AND objid = %s
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


def wait_until_blocked_on_the_banks(paused: threading.Event) -> None:
    """Return once a second import is waiting for the banks that version A holds."""
    assert paused.wait(timeout=60)
    if connection.vendor != "postgresql":
        # SQLite has no view of a writer waiting at BEGIN IMMEDIATE: give it time to get there.
        time.sleep(0.5)
        return
    for _ in range(600):
        with connection.cursor() as cursor:
            cursor.execute(WAITING_FOR_THE_BANKS, [importer.BANK_IMPORT_LOCK])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("no import ever waited for the banks")


def test_two_imports_at_once_leave_exactly_one_version(versions):
    results = race(*[lambda name=name: load_bank_paths([versions[name]]) for name in "AB"])

    assert all(isinstance(r, LoadReport) for r in results), results
    # One ran after the other had committed, never beside it: ...
    counts = {name: question_counts(r) for name, r in zip("AB", results, strict=True)}
    assert set(counts.values()) == {FIRST, SECOND}, counts
    # ... and the bank is exactly the version of the one that ran last.
    last = next(name for name, seen in counts.items() if seen == SECOND)
    assert bank_state() == expected_state(last)


def test_two_imports_over_a_loaded_bank_leave_exactly_one_version(versions):
    load_bank_paths([versions["C"]])

    results = race(*[lambda name=name: load_bank_paths([versions[name]]) for name in "AB"])

    assert all(isinstance(r, LoadReport) for r in results), results
    assert bank_state() in (expected_state("A"), expected_state("B"))


def test_an_import_waits_for_the_one_holding_the_banks(versions, paused_import):
    paused, resume = paused_import

    def load_b_once_a_holds_the_banks():
        assert paused.wait(timeout=60)
        return load_bank_paths([versions["B"]])

    def resume_a_once_b_waits():
        wait_until_blocked_on_the_banks(paused)
        resume.set()

    results = race(
        lambda: load_bank_paths([versions["A"]]),
        load_b_once_a_holds_the_banks,
        resume_a_once_b_waits,
    )

    assert [question_counts(r) for r in results[:2]] == [FIRST, SECOND], results
    assert bank_state() == expected_state("B")


def give_up_waiting_at_once(monkeypatch) -> None:
    """Imports stop waiting for the banks after 50 ms instead of 20 s, on connections opened
    from now on (PostgreSQL: the importer's lock_timeout; SQLite: the busy timeout)."""
    monkeypatch.setattr(importer, "LOCK_WAIT_SECONDS", 0.05)
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.05)


def test_an_import_that_waits_too_long_fails_cleanly(versions, paused_import, monkeypatch):
    paused, resume = paused_import
    give_up_waiting_at_once(monkeypatch)

    def load_b_then_resume_a():
        assert paused.wait(timeout=60)
        try:
            return run_load_questions(versions["B"])
        finally:
            resume.set()

    results = race(lambda: load_bank_paths([versions["A"]]), load_b_then_resume_a)

    assert question_counts(results[0]) == FIRST
    assert isinstance(results[1], tuple), results[1]  # not an exception
    failed, stderr = results[1]
    assert failed
    assert stderr == f"{versions['B']}:1: {importer.BANKS_BUSY}\n"
    assert bank_state() == expected_state("A")


def test_a_gift_import_that_waits_too_long_fails_cleanly(versions, paused_import, monkeypatch):
    paused, resume = paused_import
    give_up_waiting_at_once(monkeypatch)

    def gift_then_resume_a():
        assert paused.wait(timeout=60)
        try:
            return load_gift("::Fresh:: A?{=a ~b}", filename="x.gift", topic_slug="gift-topic")
        finally:
            resume.set()

    results = race(lambda: load_bank_paths([versions["A"]]), gift_then_resume_a)

    assert question_counts(results[0]) == FIRST
    assert isinstance(results[1], GiftImportError), results[1]
    assert str(results[1]) == f"x.gift: {importer.BANKS_BUSY}"
    assert not Topic.objects.filter(slug="gift-topic").exists()


def run_load_questions(path: Path) -> tuple[bool, str]:
    """load_questions as a trainer runs it: (failed, what it printed on stderr)."""
    stderr = io.StringIO()
    try:
        call_command("load_questions", str(path), stdout=io.StringIO(), stderr=stderr)
    except CommandError:
        return True, stderr.getvalue()
    return False, stderr.getvalue()


# --- the same, through the admin import page ---------------------------------------------------


@pytest.fixture
def trainer_checked() -> Callable[[Path], tuple[Client, str]]:
    """A trainer's browser after a dry run of a bank file: (the client, its Apply token)."""
    ensure_roles()  # a post_migrate handler makes the role groups: here whatever a flush left

    def checked(path: Path) -> tuple[Client, str]:
        trainer = make_user(f"trainer-{path.parent.name.lower()}")
        assign_role(trainer, Role.TRAINER)
        client = Client()
        client.force_login(trainer)
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        response = client.post(IMPORT_URL, {"files": [upload], "dry_run": "Check"})
        return client, response.context["staged"].token

    return checked


def apply_staged(client: Client, token: str):
    return client.post(IMPORT_URL, {"apply": "Apply", "token": token})


def test_two_trainers_applying_at_once_leave_exactly_one_version(versions, trainer_checked):
    checked = [trainer_checked(versions[name]) for name in "AB"]

    responses = race(*[lambda c=c: apply_staged(*c) for c in checked])

    # Both applied (no 500: the test client would raise it); one waited for the other.
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    assert bank_state() in (expected_state("A"), expected_state("B"))


def test_a_trainer_whose_import_waits_too_long_sees_a_clean_error(
    versions, paused_import, trainer_checked, monkeypatch
):
    paused, resume = paused_import
    client, token = trainer_checked(versions["B"])
    give_up_waiting_at_once(monkeypatch)
    a_committed = threading.Event()
    import_banks = banks.import_banks

    def import_then_let_a_commit(bank_files, **options):
        try:
            return import_banks(bank_files, **options)
        except Exception:  # BanksBusy, or what the test is there to catch
            # On SQLite the page's own writes (its session) wait for A's transaction too.
            resume.set()
            a_committed.wait(timeout=60)
            raise

    monkeypatch.setattr(banks, "import_banks", import_then_let_a_commit)

    def load_a():
        try:
            return load_bank_paths([versions["A"]])
        finally:
            a_committed.set()

    def apply_b_while_a_holds_the_banks():
        assert paused.wait(timeout=60)
        return apply_staged(client, token)

    results = race(load_a, apply_b_while_a_holds_the_banks)

    assert question_counts(results[0]) == FIRST
    response = results[1]
    assert getattr(response, "status_code", response) == 200
    assert response.context["errors"] == [f"shared-topic.yaml:1: {importer.BANKS_BUSY}"]
    assert bank_state() == expected_state("A")
