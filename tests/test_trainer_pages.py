"""Trainer pages that show the question (issue 17, part 5): the question list's stem column,
the preview with the key, the import dry run's changes, a report's page and the item
statistics' "too few responses"."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quizzes import services
from quizzes.authoring import views as admin_views
from quizzes.authoring.banks import load_bank_paths
from quizzes.authoring.banks.changes import ChangeKind, compare_question
from quizzes.authoring.item_stats import MIN_RESPONSES, ItemStats, rank_items
from quizzes.authoring.reports import ITEM_GONE, NO_ANSWER
from quizzes.models import Choice, Question, QuestionReport, Status
from quizzes.rendering import plain_excerpt
from quizzes.taking import item_content
from tests.banks import GOOD_TOPIC
from tests.factories import answer, make_bank, make_exam, make_question, make_topic, make_user
from tests.markup import XSS_PAYLOADS, unsafe_markup

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/quizzes/question/"


@pytest.fixture
def topic():
    return make_topic("boundaries", title="Boundaries")


def list_row(text: str, external_id: str) -> str:
    return text.split(f">{external_id}</a>", 1)[1].split("</tr>", 1)[0]


# --- the question list ----------------------------------------------------------------------


def test_plain_excerpt_strips_markdown_and_cuts_at_the_length():
    stem = "Which is **best** when a *former* client [asks](https://example.org) for a ride home?"

    excerpt = plain_excerpt(stem, length=40)

    assert excerpt == "Which is best when a former client asks…"
    assert len(excerpt) == 40


def test_plain_excerpt_keeps_a_short_stem_whole_and_unescaped():
    assert plain_excerpt("Is A & B < C?\n\nPick one.", length=80) == "Is A & B < C? Pick one."


def test_list_shows_the_start_of_the_stem_beside_the_id(client, trainer, topic):
    question = make_question(topic, stem="A **former** partner joins your group. " + "x " * 60)

    text = client.get(LIST_URL).text

    assert '<th scope="col" class="sortable column-stem_start">' not in text  # not sortable
    assert ">Question<" in text
    row = list_row(text, question.external_id)
    cell = row.split('<td class="field-stem_start">', 1)[1].split("</td>", 1)[0]
    assert cell.startswith("A former partner joins your group.")
    assert cell.endswith("…")
    assert len(cell) == 80


def test_list_drops_the_topic_column_and_the_models_menu_to_fit(client, trainer, topic):
    make_question(topic)
    make_question(make_topic())

    response = client.get(LIST_URL)

    assert "column-topic" not in response.text
    assert response.context["is_nav_sidebar_enabled"] is False
    assert 'id="nav-sidebar"' not in response.text
    assert "Boundaries" in response.text.split('id="changelist-filter"', 1)[1]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_list_stem_column_is_escaped(client, trainer, topic, payload):
    make_question(topic, stem=payload)

    assert unsafe_markup(client.get(LIST_URL).text) == []


# --- the preview ----------------------------------------------------------------------------


def preview_url(question) -> str:
    return f"/admin/quizzes/question/{question.pk}/preview/"


def section(text: str, css_class: str) -> str:
    return text.split(f'class="{css_class}"', 1)[1].split("</section>", 1)[0]


def test_preview_shows_the_item_as_the_exam_screen_renders_it(client, trainer, topic):
    question = make_question(topic, stem="Which is **best**?", correct="c")
    Choice.objects.filter(question=question, key="a").update(text="Call *your* supervisor")

    response = client.get(preview_url(question))

    candidate = section(response.text, "candidate-view")
    shown = item_content(
        question.stem, list(question.choices.order_by("key").values("key", "text"))
    )
    assert shown["stem"] in candidate
    for choice in shown["choices"]:
        assert f"{choice['letter']}.</span> {choice['html']}</label>" in candidate
    assert [c["letter"] for c in shown["choices"]] == ["A", "B", "C", "D"]
    assert "correct" not in candidate.lower()
    assert "feedback" not in candidate.lower()


def test_preview_then_shows_trainers_the_key_feedback_and_explanation(client, trainer, topic):
    question = make_question(topic, correct="c", explanation="Because **C** keeps the boundary.")
    Choice.objects.filter(question=question, key="a").update(feedback="A crosses the *line*.")

    text = client.get(preview_url(question)).text

    assert text.index('class="candidate-view"') < text.index('class="trainer-view"')
    trainers = section(text, "trainer-view")
    assert "For trainers" in trainers
    assert "Correct answer:\n      <strong>C</strong>" in trainers
    rows = trainers.split("<tbody>", 1)[1].split("</tr>")
    assert "A crosses the <em>line</em>." in rows[0] and "Wrong" in rows[0]
    assert 'class="trainer-correct"' in rows[2] and "<strong>Correct</strong>" in rows[2]
    assert "No feedback" in rows[1]
    assert "Because <strong>C</strong> keeps the boundary." in trainers


def test_preview_of_a_question_with_no_key_says_so(client, trainer, topic):
    question = make_question(topic, status="draft")
    Choice.objects.filter(question=question).update(is_correct=False)

    trainers = section(client.get(preview_url(question)).text, "trainer-view")

    assert "none marked correct yet" in trainers


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_preview_feedback_is_sanitized(client, trainer, topic, payload):
    question = make_question(topic)
    Choice.objects.filter(question=question).update(feedback=payload)

    assert unsafe_markup(client.get(preview_url(question)).text) == []


# --- the import dry run ---------------------------------------------------------------------

IMPORT_URL = "/admin/quizzes/question/import/"
# sample-001 edited in every field a trainer writes; sample-002 dropped; sample-003 new.
EDITED_TOPIC = (
    GOOD_TOPIC[: GOOD_TOPIC.index("  - id: sample-002")]
    .replace("What should a CRSS do first", "What should a CRSS do **first**")
    .replace(
        "    kind: recall\n    domain: professional-responsibility\n",
        "    kind: application\n    domain: advocacy\n    status: draft\n    tags: [boundaries]\n",
    )
    .replace(
        "      c: Ignore it\n",
        ("      c: {text: Ignore it for now, feedback: Ignoring it lets it grow.}\n"),
    )
    .replace("answer: b", "answer: c")
    .replace("Consulting a supervisor gives perspective.", "Naming it early keeps it small.")
    + """\
  - id: sample-003
    kind: recall
    domain: advocacy
    stem: A new question?
    choices:
      a: Yes
      b: No
    answer: a
    explanation: Because.
"""
)


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/yaml")


def test_compare_question_lists_each_field_that_differs_in_reading_order():
    row = (1, "recall", "advocacy", "published", "Stem?", "Why.", "Source", ["a"])
    choices = [("a", "Yes", True, ""), ("b", "No", False, "")]

    change = compare_question(
        "x-001",
        before=row,
        after=(1, "recall", "advocacy", "draft", "Stem, edited?", "Why.", "Source", ["a", "b"]),
        choices_before=choices,
        choices_after=[
            ("a", "Yes", False, "Not so."),
            ("b", "No!", True, ""),
            ("c", "Hm", False, ""),
        ],
    )

    assert change.kind == ChangeKind.CHANGED
    assert [(f.name, f.before, f.after) for f in change.fields] == [
        ("stem", "Stem?", "Stem, edited?"),
        ("key", "A", "B"),
        ("choice A feedback", "(none)", "Not so."),
        ("choice B", "No", "No!"),
        ("choice C", "(none)", "Hm"),
        ("status", "published", "draft"),
        ("tags", "a", "a, b"),
    ]


def test_the_importer_reports_new_changed_and_retired_questions(write_bank):
    load_bank_paths([write_bank("sample.yaml", GOOD_TOPIC)])

    report = load_bank_paths([write_bank("edited.yaml", EDITED_TOPIC)], dry_run=True)

    kinds = {change.external_id: change.kind for change in report.question_changes}
    assert kinds == {
        "sample-001": ChangeKind.CHANGED,
        "sample-002": ChangeKind.RETIRED,
        "sample-003": ChangeKind.NEW,
    }


def test_dry_run_shows_per_question_what_would_change_field_by_field(client, trainer, write_bank):
    load_bank_paths([write_bank("sample.yaml", GOOD_TOPIC)])

    response = client.post(
        IMPORT_URL, {"files": [upload("sample.yaml", EDITED_TOPIC)], "dry_run": "Check"}
    )

    text = response.text
    changed = text.split('id="changed-heading"', 1)[1].split("</section>", 1)[0]
    assert "Questions that would change (1)" in changed
    assert (
        "<code>sample-001</code>: stem, key, choice C, choice C feedback, explanation, status, "
        "kind, domain, tags</summary>" in changed
    )
    rows = [
        re.sub(r"<[^>]+>", "|", row).split("|")
        for row in changed.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")[:-1]
    ]
    cells = {row[2]: (row[4], row[6]) for row in (r for r in rows if len(r) > 6)}
    assert cells["key"] == ("B", "C")
    assert cells["choice C"] == ("Ignore it", "Ignore it for now")
    assert cells["choice C feedback"] == ("(none)", "Ignoring it lets it grow.")
    assert cells["explanation"][1] == "Naming it early keeps it small."
    assert cells["status"] == ("published", "draft")
    assert cells["kind"] == ("recall", "application")
    assert cells["domain"] == ("professional-responsibility", "advocacy")
    assert cells["tags"] == ("(none)", "boundaries")
    assert "What should a CRSS do **first** about" in changed
    assert "New questions (1)" in text and "<code>sample-003</code>" in text
    retired = text.split('id="retired-heading"', 1)[1].split("</section>", 1)[0]
    assert "Questions that would be retired (1)" in retired and "<code>sample-002</code>" in retired
    assert Question.objects.get(external_id="sample-001").status == Status.PUBLISHED


def test_dry_run_of_a_first_import_lists_only_new_questions(client, trainer):
    response = client.post(
        IMPORT_URL, {"files": [upload("sample.yaml", GOOD_TOPIC)], "dry_run": "Check"}
    )

    assert "New questions (2)" in response.text
    assert 'id="changed-heading"' not in response.text
    assert 'id="retired-heading"' not in response.text


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_dry_run_changes_are_escaped(client, trainer, write_bank, payload):
    load_bank_paths([write_bank("sample.yaml", GOOD_TOPIC)])
    edited = GOOD_TOPIC.replace("Dana needs housing help. What do you do?", json.dumps(payload))

    response = client.post(IMPORT_URL, {"files": [upload("sample.yaml", edited)], "dry_run": "C"})

    assert "Questions that would change (1)" in response.text
    assert unsafe_markup(response.text) == []


# --- a report's page ------------------------------------------------------------------------


def reported(*, choose=None) -> QuestionReport:
    """A report on item 1 of a submitted attempt; ``choose(item)`` gives the key chosen there
    (none: left blank)."""
    make_bank(topics=1, per_topic=2)
    attempt = services.start_attempt(user=make_user(), exam=make_exam(items=2))
    item = attempt.items.get(position=1)
    if choose is not None:
        answer(attempt, 1, choose(item))
    attempt = services.submit_attempt(attempt=attempt)
    services.report_question(attempt=attempt, position=1, reason="wrong", comment="B fits too")
    return QuestionReport.objects.select_related("attempt_item").get(attempt_item=item)


def a_wrong_key(item) -> str:
    return next(key for key in item.choice_keys if key != item.correct_key)


def report_page(client, report: QuestionReport) -> str:
    response = client.get(f"/admin/quizzes/questionreport/{report.pk}/change/")
    assert response.status_code == 200
    return response.text


def field_box(text: str, name: str) -> str:
    return text.split(f"field-{name}", 1)[1].split('<div class="form-row', 1)[0]


def test_report_page_shows_the_item_as_the_reporter_saw_it_with_the_key(client, trainer):
    report = reported()
    item = report.attempt_item
    Question.objects.filter(pk=item.question_id).update(stem="Edited since the attempt?")

    text = report_page(client, report)

    seen = field_box(text, "question_as_seen")
    shown = item_content(item.stem, item.choices)
    assert shown["stem"] in seen and "Edited since" not in seen
    choices = seen.split("<li ")[1:]
    assert len(choices) == len(item.choices)
    for choice, row in zip(shown["choices"], choices, strict=True):
        assert f"{choice['letter']}.</span> {choice['html']}" in row
        assert ("report-key" in row) == (choice["key"] == item.correct_key)
        assert "report-chosen" not in row


def test_report_page_shows_the_reporters_wrong_answer(client, trainer):
    report = reported(choose=a_wrong_key)
    item = report.attempt_item
    letter = "ABCDEF"[item.choice_keys.index(item.chosen_key)]

    text = report_page(client, report)

    assert f"<strong>{letter}.</strong>" in field_box(text, "chosen_answer")
    assert "(wrong)" in field_box(text, "chosen_answer")
    chosen_rows = [row for row in text.split("<li ") if "report-chosen" in row]
    assert len(chosen_rows) == 1 and f"{letter}.</span>" in chosen_rows[0]


def test_report_page_says_when_the_reporter_left_the_item_blank(client, trainer):
    text = report_page(client, reported())

    assert NO_ANSWER in field_box(text, "chosen_answer")


def test_report_page_links_to_the_question_and_its_statistics(client, trainer):
    report = reported()
    question_id = report.question_id

    text = report_page(client, report)

    links = field_box(text, "question_links")
    assert f'href="/admin/quizzes/question/{question_id}/change/"' in links
    statistics = f"/admin/quizzes/question/statistics/#item-{question_id}"
    assert f'href="{statistics}"' in links
    assert f'id="item-{question_id}"' in client.get(statistics.split("#")[0]).text


def test_report_page_of_a_deleted_attempt_says_the_item_is_gone(client, trainer):
    report = reported()
    report.attempt_item.attempt.delete()
    report.refresh_from_db()

    text = report_page(client, report)

    assert ITEM_GONE in field_box(text, "question_as_seen")


@pytest.mark.parametrize("payload", XSS_PAYLOADS[:6])
def test_report_page_is_sanitized(client, trainer, payload):
    report = reported()
    item = report.attempt_item
    item.stem = payload
    item.choices = [{**choice, "text": payload} for choice in item.choices]
    item.save()

    assert unsafe_markup(report_page(client, report)) == []


# --- item statistics ------------------------------------------------------------------------

STATISTICS_URL = "/admin/quizzes/question/statistics/"


def stats(question_id: int, *, responses: int, correct: int, discrimination=None) -> ItemStats:
    return ItemStats(question_id, responses, correct, discrimination)


def test_items_with_too_few_responses_get_no_flags():
    assert stats(1, responses=MIN_RESPONSES - 1, correct=0).flags == []
    assert stats(1, responses=MIN_RESPONSES, correct=0).flags == ["too hard"]


def test_rank_items_ranks_only_items_with_enough_responses(topic):
    few_and_bad = make_question(topic, external_id="a-few")
    many_and_bad = make_question(topic, external_id="b-bad")
    many_and_fine = make_question(topic, external_id="c-fine")
    rows = [
        (few_and_bad, stats(1, responses=5, correct=0, discrimination=-80)),
        (many_and_fine, stats(3, responses=40, correct=24, discrimination=30)),
        (many_and_bad, stats(2, responses=MIN_RESPONSES, correct=3, discrimination=-20)),
    ]

    ranked, too_few = rank_items(rows)

    assert [question for question, _ in ranked] == [many_and_bad, many_and_fine]
    assert [question for question, _ in too_few] == [few_and_bad]


def test_statistics_page_lists_items_with_few_responses_as_too_few_not_ranked(
    client, trainer, topic, monkeypatch
):
    few = make_question(topic, external_id="few-responses")
    many = make_question(topic, external_id="many-responses")
    figures = {
        few.pk: stats(few.pk, responses=5, correct=0, discrimination=-100),
        many.pk: stats(many.pk, responses=MIN_RESPONSES, correct=28, discrimination=10),
    }
    monkeypatch.setattr(admin_views, "item_statistics", lambda: figures)

    text = client.get(STATISTICS_URL).text

    ranked = text.split('id="item-statistics"', 1)[1].split("</table>", 1)[0]
    unranked = text.split('id="too-few-responses"', 1)[1].split("</table>", 1)[0]
    assert "many-responses" in ranked and "few-responses" not in ranked
    assert "few-responses" in unranked and "many-responses" not in unranked
    assert "too few responses" in unranked and "too hard" not in unranked
    assert "too easy" in ranked
    assert f"Ranked: at least {MIN_RESPONSES} responses (1)" in text
    assert f"Too few responses to rank: under {MIN_RESPONSES} (1)" in text


def test_statistics_page_with_only_few_responses_ranks_nothing(client, trainer, topic, monkeypatch):
    few = make_question(topic)
    figures = {few.pk: stats(few.pk, responses=3, correct=0, discrimination=-100)}
    monkeypatch.setattr(admin_views, "item_statistics", lambda: figures)

    text = client.get(STATISTICS_URL).text

    assert f"No question has {MIN_RESPONSES} responses" in text
    assert few.external_id in text.split('id="too-few-responses"', 1)[1]
