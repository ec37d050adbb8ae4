"""Markup in every authored field, on every page that shows it.

Trainers write topics, questions, choices, explanations and exams; leads name cohorts;
users give their names; candidates write report comments. Each field here holds an attack
payload (script tags, event handlers, ``javascript:`` links, frames, quotes that would end
an attribute, template syntax), and every page that renders the field must show the text,
escaped or sanitized, with none of it live: no tag, no handler, no script URL.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role, assign_role
from quizzes import services
from quizzes.models import QuestionReport, ReportReason
from tests.factories import (
    answer,
    make_cohort,
    make_exam,
    make_lead,
    make_question,
    make_topic,
    make_user,
)
from tests.markup import unsafe_markup

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://example.org></iframe>",
    "<svg onload=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "</textarea><script>alert(1)</script>",
    "{{ request.user.password }}{% debug %}",
]
# Live markup a payload would leave behind if a page did not escape it (each begins with a
# real "<": escaped text may keep its quotes, never its angle brackets).
LIVE_FRAGMENTS = [
    "<script>alert",
    "<img src=x",
    "<iframe",
    "<svg onload",
    '<a href="javascript:',
    "</textarea><script>",
]


class ShownText(HTMLParser):
    """Everything a reader (or a form field) is shown: text, and attribute values such as
    an input's value, with character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend(value for _, value in attrs if value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def shown(page: str) -> str:
    parser = ShownText()
    parser.feed(page)
    parser.close()
    return "".join(parser.text) + "\n" + "\n".join(parser.attributes)


def authored(label: str, payload: str) -> str:
    """A field's value: its label, so a missing field is named, then the payload."""
    return f"{label} {payload}"


def make_world(payload: str) -> dict:
    """Every authored field holds the payload; a learner has a submitted attempt (answered
    wrong, so the topic page lists it) and one in progress, and reported the question."""
    text = {
        label: authored(label, payload)
        for label in [
            "TopicTitle",
            "TopicSource",
            "TopicNotes",
            "Stem",
            "ChoiceA",
            "ChoiceB",
            "FeedbackA",
            "Explanation",
            "ExamTitle",
            "ExamDescription",
            "CohortName",
            "LearnerFirst",
            "LearnerLast",
            "LeadFirst",
            "LeadLast",
            "ReportComment",
        ]
    }
    topic = make_topic(
        "boundaries",
        title=text["TopicTitle"],
        source=text["TopicSource"],
        notes=text["TopicNotes"],
    )
    question = make_question(
        topic, keys="ab", correct="b", stem=text["Stem"], explanation=text["Explanation"]
    )
    question.choices.filter(key="a").update(text=text["ChoiceA"], feedback=text["FeedbackA"])
    question.choices.filter(key="b").update(text=text["ChoiceB"])
    exam = make_exam(items=1, title=text["ExamTitle"], description=text["ExamDescription"])
    learner = make_user("learner", first_name=text["LearnerFirst"], last_name=text["LearnerLast"])
    lead = make_lead("lead", first_name=text["LeadFirst"], last_name=text["LeadLast"])
    cohort = make_cohort(lead, name=text["CohortName"], members=[learner])
    done = services.start_attempt(user=learner, exam=exam)
    answer(done, 1, "a")
    done = services.submit_attempt(attempt=done)
    QuestionReport.objects.create(
        question=question,
        attempt_item=done.items.get(),
        reporter=learner,
        reason=ReportReason.UNCLEAR,
        comment=text["ReportComment"],
    )
    running = services.start_attempt(user=learner, exam=exam)
    trainer = make_user("trainer")
    assign_role(trainer, Role.TRAINER)
    return {
        "text": text,
        "topic": topic,
        "question": question,
        "exam": exam,
        "learner": learner,
        "lead": lead,
        "cohort": cohort,
        "done": done,
        "running": running,
        "users": {
            "anonymous": None,
            "learner": learner,
            "newcomer": make_user("newcomer"),
            "lead": lead,
            "trainer": trainer,
            "operator": make_user("operator", is_staff=True, is_superuser=True),
        },
    }


def pages(world) -> list[tuple[str, str, str, dict | None, tuple[str, ...]]]:
    """(who, method, url, data, the fields the page shows) for every page that renders an
    authored field."""
    topic, question, exam = world["topic"], world["question"], world["exam"]
    learner, cohort, done, running = (
        world["learner"],
        world["cohort"],
        world["done"],
        world["running"],
    )
    question_choices = ("Stem", "ChoiceA", "ChoiceB", "Explanation")
    admin = "/admin/quizzes"
    return [
        ("anonymous", "get", "/", None, ("TopicTitle",)),
        ("anonymous", "get", "/topics/", None, ("TopicTitle",)),
        ("anonymous", "get", "/exams/", None, ("ExamTitle", "ExamDescription")),
        ("learner", "get", "/", None, ("TopicTitle", "ExamTitle")),
        ("learner", "get", "/topics/", None, ("TopicTitle",)),
        (
            "learner",
            "get",
            topic.get_absolute_url(),
            None,
            ("TopicTitle", "TopicSource", "TopicNotes", *question_choices),
        ),
        ("learner", "get", "/exams/", None, ("ExamTitle", "ExamDescription")),
        ("learner", "get", "/history/", None, ("ExamTitle", "TopicTitle")),
        (
            "learner",
            "get",
            reverse("quizzes:take_item", args=[running.pk, 1]),
            None,
            ("ExamTitle", "Stem", "ChoiceA", "ChoiceB"),
        ),
        (
            "learner",
            "get",
            reverse("quizzes:attempt_review", args=[running.pk]),
            None,
            ("ExamTitle",),
        ),
        (
            "learner",
            "get",
            reverse("quizzes:attempt_result", args=[done.pk]),
            None,
            ("TopicTitle", *question_choices),
        ),
        ("learner", "get", "/cohorts/join/", None, ("CohortName",)),
        ("learner", "get", reverse("cohorts:leave", args=[cohort.pk]), None, ("CohortName",)),
        ("learner", "get", "/accounts/my-data/", None, ()),
        (
            "newcomer",
            "post",
            "/cohorts/join/",
            {"code": cohort.join_code},
            ("CohortName", "LeadFirst", "LeadLast"),
        ),
        ("lead", "get", "/cohorts/", None, ("CohortName",)),
        (
            "lead",
            "get",
            cohort.get_absolute_url(),
            None,
            ("CohortName", "LearnerFirst", "LearnerLast", "TopicTitle"),
        ),
        (
            "lead",
            "get",
            reverse("cohorts:questions", args=[cohort.pk]),
            None,
            ("CohortName", *question_choices),
        ),
        (
            "lead",
            "get",
            reverse("cohorts:learner", args=[cohort.pk, learner.pk]),
            None,
            ("CohortName", "LearnerFirst", "LearnerLast", "ExamTitle"),
        ),
        (
            "lead",
            "get",
            reverse("cohorts:learner_result", args=[cohort.pk, learner.pk, done.pk]),
            None,
            ("LearnerFirst", "LearnerLast", "ExamTitle", *question_choices),
        ),
        ("trainer", "get", f"{admin}/question/{question.pk}/preview/", None, question_choices),
        # The list shows the start of the stem (Markdown stripped); topic is no longer a column.
        ("trainer", "get", f"{admin}/question/", None, ("Stem",)),
        ("trainer", "get", f"{admin}/question/?q=Stem", None, ("Stem",)),
        (
            "trainer",
            "get",
            f"{admin}/question/{question.pk}/change/",
            None,
            (*question_choices, "FeedbackA", "ReportComment"),
        ),
        ("trainer", "get", f"{admin}/topic/", None, ("TopicTitle",)),
        (
            "trainer",
            "get",
            f"{admin}/topic/{topic.pk}/change/",
            None,
            ("TopicTitle", "TopicSource", "TopicNotes"),
        ),
        ("trainer", "get", f"{admin}/exam/", None, ("ExamTitle",)),
        (
            "trainer",
            "get",
            f"{admin}/exam/{exam.pk}/change/",
            None,
            ("ExamTitle", "ExamDescription"),
        ),
        ("trainer", "get", f"{admin}/questionreport/", None, ("ReportComment",)),
        ("operator", "get", "/admin/cohorts/cohort/", None, ("CohortName",)),
        ("operator", "get", f"/admin/cohorts/cohort/{cohort.pk}/change/", None, ("CohortName",)),
        (
            "operator",
            "get",
            f"/admin/auth/user/{learner.pk}/change/",
            None,
            ("LearnerFirst", "LearnerLast"),
        ),
    ]


JSON_DATA = re.compile(r'<script id="[\w-]+" type="application/json">(.*?)</script>', re.S)


def live_markup(page: str) -> list[str]:
    """What of a payload is live in the page: tags, handlers, script URLs; also in the HTML
    that a page's JSON data carries for its script to show (the taking page's items)."""
    found = unsafe_markup(page)
    found += [f"raw {fragment}" for fragment in LIVE_FRAGMENTS if fragment in page]
    for data in JSON_DATA.findall(page):
        for html in strings_in(json.loads(data)):
            found += [f"in JSON data: {problem}" for problem in live_markup(html)]
    return found


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for part in value for text in strings_in(part)]
    return []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_page_shows_authored_markup_as_text_and_never_live(payload):
    world = make_world(payload)
    clients = {}
    for who, user in world["users"].items():
        clients[who] = Client()
        if user is not None:
            clients[who].force_login(user)
    problems = {}

    for who, method, url, data, labels in pages(world):
        response = getattr(clients[who], method)(url, data)
        page = response.content.decode()
        missing = [label for label in labels if world["text"][label] not in shown(page)]
        found = live_markup(page)
        if response.status_code != 200 or missing or found:
            problems[f"{who} {url}"] = (response.status_code, missing, found)

    assert problems == {}


def test_the_checks_would_catch_a_page_that_did_not_escape():
    page = '<p>Stem <img src=x onerror=alert(1)></p><a href="javascript:alert(1)">x</a>'
    data = json.dumps({"items": [{"stem": "<svg onload=alert(1)>"}]}).replace("<", "\\u003C")
    in_json = f'<script id="attempt-data" type="application/json">{data}</script>'

    assert "in JSON data: svg onload=" in live_markup(in_json)
    assert "img onerror=" in live_markup(page)
    assert "raw <img src=x" in live_markup(page)
    assert 'raw <a href="javascript:' in live_markup(page)
    assert authored("Stem", "<b>x</b>") in shown("<p>Stem &lt;b&gt;x&lt;/b&gt;</p>")
    assert authored("Stem", "<b>x</b>") not in shown("<p>Stem <b>x</b></p>")
