"""Every page, as each role, on a phone (375 px) and a desktop (1280 px): nothing scrolls
sideways and axe-core finds nothing serious or critical (issue 17, parts 1 and 3).

The data is made in each test's setup through the factories and the exam services: the real
question banks, a candidate with a finished and a running mini mock, a cohort whose lead
sees them and two more learners, and a trainer.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from playwright.sync_api import expect

from accounts.roles import Role, assign_role
from quizzes import services
from quizzes.models import Attempt, Exam, Question, Topic
from quizzes.practice import PracticeRequest, start_practice
from tests.factories import answer, make_cohort, make_lead, make_user, take

from .conftest import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}

# Every element whose right edge passes the viewport, innermost first, for the failure message.
WIDER_THAN_THE_PAGE = """() => {
    const width = document.documentElement.clientWidth;
    const culprits = [];
    for (const element of document.body.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (box.right > width + 0.5 && !element.closest(".table-responsive, .visually-hidden")) {
            const name = element.tagName.toLowerCase()
                + (element.id ? "#" + element.id : "")
                + (element.classList.length ? "." + [...element.classList].join(".") : "");
            culprits.push(`${name} (right edge ${Math.round(box.right)} px)`);
        }
    }
    return culprits.reverse().slice(0, 8);
}"""


@dataclass(frozen=True)
class World:
    candidate: AbstractBaseUser
    lead: AbstractBaseUser
    trainer: AbstractBaseUser
    finished: Attempt  # the candidate's submitted mini mock
    running: Attempt  # the candidate's mini mock in progress
    tutor: Attempt  # the candidate's tutor session, item 1 answered (its feedback shown)
    cohort_id: int
    topic: Topic
    question: Question

    def user_for(self, role: str) -> AbstractBaseUser | None:
        return {"candidate": self.candidate, "lead": self.lead, "trainer": self.trainer}.get(role)


@pytest.fixture
def world(site_data) -> World:
    mini_mock = Exam.objects.get(slug="mini-mock")
    candidate = make_user("pat-candidate", first_name="Pat", last_name="Candidate")
    finished = take(mini_mock, candidate, right=14)
    running = services.start_attempt(user=candidate, exam=mini_mock, seed=4)
    answer(running, 1, running.items.get(position=1).correct_key)
    services.set_marked(attempt_id=running.pk, user=candidate, position=2, marked=True)
    tutor = start_practice(user=candidate, request=PracticeRequest(count=5, tutor=True), seed=2)
    first = tutor.items.get(position=1)
    answer(tutor, 1, next(k for k in first.choice_keys if k != first.correct_key))

    strong = make_user("ana-strong", first_name="Ana", last_name="Strong")
    take(mini_mock, strong, right=23)
    newcomer = make_user("eli-newcomer", first_name="Eli", last_name="Newcomer")
    take(mini_mock, newcomer, right=8)
    lead = make_lead("lee-lead", first_name="Lee", last_name="Lead")
    cohort = make_cohort(lead, name="Spring cohort", members=(candidate, strong, newcomer))

    trainer = make_user("tess-trainer")
    assign_role(trainer, Role.TRAINER)
    return World(
        candidate=candidate,
        lead=lead,
        trainer=trainer,
        finished=finished,
        running=running,
        tutor=tutor,
        cohort_id=cohort.pk,
        topic=Topic.objects.order_by("slug").first(),
        question=finished.items.order_by("position").first().question,
    )


@dataclass(frozen=True)
class Visit:
    role: str  # "anonymous", "candidate", "lead" or "trainer"
    name: str
    path: Callable[[World], str]
    marks: tuple = ()

    def as_param(self):
        return pytest.param(self, id=f"{self.role}-{self.name}", marks=self.marks)


VISITS = [
    Visit("anonymous", "home", lambda w: "/"),
    Visit("anonymous", "login", lambda w: "/accounts/login/"),
    Visit("anonymous", "signup", lambda w: "/accounts/signup/"),
    Visit("anonymous", "password-reset", lambda w: "/accounts/password_reset/"),
    Visit("anonymous", "exam-catalogue", lambda w: "/exams/"),
    Visit("anonymous", "topics", lambda w: "/topics/"),
    Visit("candidate", "home", lambda w: "/"),
    Visit("candidate", "history", lambda w: "/history/"),
    Visit("candidate", "topic", lambda w: w.topic.get_absolute_url()),
    Visit("candidate", "exam-catalogue", lambda w: "/exams/"),
    Visit("candidate", "practice-builder", lambda w: "/practice/"),
    Visit("candidate", "starred", lambda w: "/starred/"),
    Visit("candidate", "taking", lambda w: f"/attempts/{w.running.pk}/items/1/"),
    Visit("candidate", "review", lambda w: f"/attempts/{w.running.pk}/review/"),
    Visit("candidate", "tutor-feedback", lambda w: f"/attempts/{w.tutor.pk}/items/1/"),
    Visit("candidate", "result", lambda w: f"/attempts/{w.finished.pk}/result/"),
    Visit("candidate", "my-data", lambda w: "/accounts/my-data/"),
    Visit("candidate", "join-cohort", lambda w: "/cohorts/join/"),
    Visit("candidate", "password-change", lambda w: "/accounts/password_change/"),
    Visit("lead", "cohort-list", lambda w: "/cohorts/"),
    Visit("lead", "dashboard", lambda w: f"/cohorts/{w.cohort_id}/"),
    Visit("lead", "learner", lambda w: f"/cohorts/{w.cohort_id}/learners/{w.candidate.pk}/"),
    Visit(
        "lead",
        "learner-result",
        lambda w: f"/cohorts/{w.cohort_id}/learners/{w.candidate.pk}/attempts/{w.finished.pk}/",
    ),
    Visit("lead", "questions", lambda w: f"/cohorts/{w.cohort_id}/questions/"),
    Visit("trainer", "admin-index", lambda w: "/admin/"),
    Visit("trainer", "question-list", lambda w: "/admin/quizzes/question/"),
    Visit(
        "trainer", "question-change", lambda w: f"/admin/quizzes/question/{w.question.pk}/change/"
    ),
    Visit("trainer", "exam-change", lambda w: f"/admin/quizzes/exam/{w.finished.exam_id}/change/"),
]


def problems_at(page, viewport: dict) -> list[str]:
    """What is wrong with the page at this window size: sideways scroll and axe findings."""
    width = viewport["width"]
    problems = []
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        culprits = "\n    ".join(page.evaluate(WIDER_THAN_THE_PAGE))
        problems.append(f"{width} px: the page scrolls sideways by {overflow} px\n    {culprits}")
    violations = axe_violations(page)
    if violations:
        problems.append(f"{width} px: axe-core\n{format_violations(violations)}")
    return problems


@pytest.mark.parametrize("visit", [visit.as_param() for visit in VISITS])
def test_the_page_fits_a_phone_and_a_desktop_with_no_serious_axe_finding(
    axe_page, log_in, world, visit
):
    user = world.user_for(visit.role)
    if user is not None:
        log_in(axe_page, user)
    path = visit.path(world)
    problems = []
    for viewport in (PHONE, DESKTOP):
        axe_page.set_viewport_size(viewport)
        response = axe_page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        problems += problems_at(axe_page, viewport)
    assert not problems, f"{visit.role} at {path}:\n" + "\n".join(problems)


# --- the cohort dashboard's table ---------------------------------------------------------


def open_dashboard(page, log_in, world: World, viewport: dict):
    log_in(page, world.lead)
    page.set_viewport_size(viewport)
    page.goto(f"/cohorts/{world.cohort_id}/")
    return page.locator(".table-responsive")


def test_the_whole_dashboard_row_fits_a_desktop(page, log_in, world):
    box = open_dashboard(page, log_in, world, DESKTOP)

    assert box.evaluate("box => box.scrollWidth - box.clientWidth") <= 0
    row = page.locator("tr.learner-row", has_text="Pat Candidate")
    row.scroll_into_view_if_needed()
    for cell in row.locator("th, td").all():  # the name to the risk reasons
        expect(cell).to_be_in_viewport()


def test_on_a_phone_the_dashboard_scrolls_in_its_box_with_the_learner_in_view(page, log_in, world):
    box = open_dashboard(page, log_in, world, PHONE)
    row = page.locator("tr.learner-row", has_text="Pat Candidate")
    row.scroll_into_view_if_needed()
    assert box.evaluate("box => box.scrollWidth - box.clientWidth") > 0
    expect(row.locator(".risk-badge")).not_to_be_in_viewport()

    box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")

    expect(row.locator(".risk-badge")).to_be_in_viewport()
    name = row.get_by_role("link", name="Pat Candidate")
    expect(name).to_be_in_viewport()
    assert name.bounding_box()["x"] >= 0


def test_the_dashboard_headings_keep_their_full_names_and_still_sort(page, log_in, world):
    open_dashboard(page, log_in, world, PHONE)
    topic = Topic.objects.order_by("title").last()

    heading = page.get_by_role("columnheader", name=topic.title)
    expect(heading.get_by_role("link")).to_have_attribute("title", topic.title)
    heading.get_by_role("link").click()

    expect(page.get_by_role("columnheader", name=topic.title)).to_have_attribute(
        "aria-sort", "ascending"
    )
