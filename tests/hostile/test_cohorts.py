"""Hostile requests on cohorts: create, join, confirm, leave, extra time, the code, lead
pages and exports."""

import pytest
from django.urls import reverse

from accounts.models import CandidateProfile
from cohorts.forms import PERIOD_OUT_OF_RANGE
from cohorts.models import Cohort
from tests.hostile.helpers import HUGE, LONG, logged_in, param, writes_nothing

pytestmark = pytest.mark.django_db


def test_control_a_lead_creates_and_a_candidate_joins(hostile, world):
    logged_in(hostile, world.lead)
    created = hostile.post("/cohorts/new/", {"name": "Spring group"})
    logged_in(hostile, world.candidate)
    joined = hostile.post(
        "/cohorts/join/confirm/", {"code": world.other_cohort.join_code, "confirm": "on"}
    )

    assert (created.status_code, joined.status_code) == (302, 302)
    assert Cohort.objects.filter(name="Spring group").exists()
    assert world.other_cohort.members.filter(pk=world.candidate.pk).exists()


@pytest.mark.parametrize(
    "name",
    [
        param("empty", ""),
        param("blank", "   "),
        param("121-chars", "n" * 121),
        param("very-long", LONG),
        param("nul", "Evening\x00group"),
        param("list-ending-empty", ["Spring group", ""]),
    ],
)
def test_creating_a_cohort_refuses_hostile_names(hostile, world, name):
    logged_in(hostile, world.lead)

    with writes_nothing():
        response = hostile.post("/cohorts/new/", {"name": name})

    assert response.status_code == 400
    assert response.context["form"].errors["name"]


def test_a_candidate_cannot_create_a_cohort(hostile, world):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        assert hostile.post("/cohorts/new/", {"name": "Sneaky"}).status_code == 403


@pytest.mark.parametrize(
    ("path", "data"),
    [
        param("create", "/cohorts/new/", {"name": "Trainer's own"}),
        param("new-code", "/cohorts/{cohort}/code/", {}),
        param(
            "extra-time",
            "/cohorts/{cohort}/learners/{member}/extra-time/",
            {"extra_time_percent": "200"},
        ),
    ],
)
def test_a_trainer_cannot_act_as_a_lead(hostile, world, path, data):
    logged_in(hostile, world.trainer)
    url = path.format(cohort=world.cohort.pk, member=world.candidate.pk)

    with writes_nothing():
        assert hostile.post(url, data).status_code == 403


def join_data(world, data: dict) -> dict:
    """Placeholders: ``OTHER`` is a code the candidate may use, ``EXPIRED`` an old one."""
    codes = {"OTHER": world.other_cohort.join_code, "EXPIRED": world.expired.join_code}

    def fill(value):
        if isinstance(value, list):
            return [fill(v) for v in value]
        return codes.get(value, value)

    return {key: fill(value) for key, value in data.items()}


@pytest.mark.parametrize(
    ("path", "data"),
    [
        param("nothing", "join", {}),
        param("empty", "join", {"code": ""}),
        param("blank", "join", {"code": "  -  "}),
        param("33-chars", "join", {"code": "K" * 33}),
        param("very-long", "join", {"code": LONG}),
        param("nul", "join", {"code": "K7QX\x002MPR"}),
        param("list", "join", {"code": ["OTHER", "WRONGCODE"]}),
        param("wrong", "join", {"code": "WRONGCODE"}),
        param("expired", "join", {"code": "EXPIRED"}),
        param("confirm-missing", "join/confirm", {"code": "OTHER"}),
        param("confirm-false", "join/confirm", {"code": "OTHER", "confirm": "false"}),
        param("confirm-no-code", "join/confirm", {"confirm": "on"}),
        param("confirm-wrong", "join/confirm", {"code": "WRONGCODE", "confirm": "on"}),
        param("confirm-very-long", "join/confirm", {"code": LONG, "confirm": "on"}),
        param("confirm-nul", "join/confirm", {"code": "K7QX\x002MPR", "confirm": "on"}),
        param("confirm-expired", "join/confirm", {"code": "EXPIRED", "confirm": "on"}),
        param("confirm-list", "join/confirm", {"code": ["OTHER", "WRONGCODE"], "confirm": "on"}),
    ],
)
def test_joining_refuses_hostile_codes(hostile, world, path, data):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = hostile.post(f"/cohorts/{path}/", join_data(world, data))

    assert response.status_code == 400
    assert response.context["form"].errors


@pytest.mark.parametrize(
    "cohort",
    [param("not-a-member", "other"), param("unknown", "missing"), param("huge-id", "huge")],
)
def test_leaving_a_cohort_one_is_not_in_is_a_404(hostile, world, cohort):
    logged_in(hostile, world.candidate)
    cohort_id = {"other": world.other_cohort.pk, "missing": world.expired.pk + 100, "huge": HUGE}

    with writes_nothing():
        response = hostile.post(f"/cohorts/{cohort_id[cohort]}/leave/")

    assert response.status_code == 404


def extra_time_url(world, cohort="own", learner="member") -> str:
    cohorts = {"own": world.cohort.pk, "other": world.other_cohort.pk, "huge": HUGE}
    learners = {
        "member": world.candidate.pk,
        "outsider": world.intruder.pk,
        "missing": world.trainer.pk + 100,
        "huge": HUGE,
    }
    return reverse("cohorts:extra_time", args=[cohorts[cohort], learners[learner]])


def test_control_a_lead_sets_extra_time(hostile, world):
    logged_in(hostile, world.lead)

    response = hostile.post(extra_time_url(world), {"extra_time_percent": "25"})

    assert response.status_code == 302
    assert CandidateProfile.objects.get(user=world.candidate).extra_time_percent == 25


@pytest.mark.parametrize(
    "value",
    [
        param("text", "abc"),
        param("empty", ""),
        param("negative", "-1"),
        param("over-200", "201"),
        param("huge", str(HUGE)),
        param("decimal", "1.5"),
        param("list", ["10", "x"]),
        param("nul", "1\x00"),
        param("very-long", "9" * 5000),
    ],
)
def test_extra_time_refuses_hostile_values(hostile, world, value):
    logged_in(hostile, world.lead)

    with writes_nothing():
        response = hostile.post(extra_time_url(world), {"extra_time_percent": value})

    assert response.status_code == 400
    assert response.context["extra_time_form"].errors


@pytest.mark.parametrize(
    ("cohort", "learner"),
    [
        param("outsider-in-own-cohort", "own", "outsider"),
        param("other-leads-cohort", "other", "outsider"),
        param("unknown-learner", "own", "missing"),
        param("huge-ids", "huge", "huge"),
    ],
)
def test_extra_time_for_someone_else_is_a_404(hostile, world, cohort, learner):
    logged_in(hostile, world.lead)

    with writes_nothing():
        response = hostile.post(
            extra_time_url(world, cohort, learner), {"extra_time_percent": "50"}
        )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "cohort", "method", "status"),
    [
        param("other-leads-cohort", "lead", "other", "post", 404),
        param("unknown-cohort", "lead", "missing", "post", 404),
        param("huge-id", "lead", "huge", "post", 404),
        param("candidate", "candidate", "own", "post", 403),
        param("get", "lead", "own", "get", 405),
    ],
)
def test_regenerating_a_code_refuses_others(hostile, world, who, cohort, method, status):
    logged_in(hostile, getattr(world, who))
    ids = {"own": world.cohort.pk, "other": world.other_cohort.pk}
    ids |= {"missing": world.expired.pk + 100, "huge": HUGE}

    with writes_nothing():
        response = getattr(hostile, method)(f"/cohorts/{ids[cohort]}/code/")

    assert response.status_code == status


def body(response) -> bytes:
    """The whole body, streamed or not: a stream that fails fails here."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


LEAD_PAGES = ["", "questions/", "export.csv", "attempts.csv"]


@pytest.mark.parametrize("page", LEAD_PAGES)
@pytest.mark.parametrize(
    "query",
    [
        param("end-of-calendar", "from=9999-12-31&to=9999-12-31"),
        param("start-of-calendar", "from=0001-01-01&to=0001-01-02"),
        param("not-dates", "from=abc&to=2026-13-45"),
        param("reversed", "from=2026-03-01&to=2026-02-01"),
        param("huge-number", f"from={HUGE}&to=-{HUGE}"),
        param("lists", "from=2026-01-01&from=x&to=&to=2026-02-01"),
        param("long-sort", f"sort={'-' * 3000}name"),
        param("unknown-sort", "sort=-password&sort=__class__"),
        param("superscript-topic-sort", "sort=topic-%C2%B2"),
        param("unknown-topic-sort", "sort=-topic-99999999999999999999"),
    ],
)
def test_lead_pages_and_exports_survive_hostile_queries(hostile, world, page, query):
    logged_in(hostile, world.lead)

    with writes_nothing():
        response = hostile.get(f"/cohorts/{world.cohort.pk}/{page}?{query}")

    assert response.status_code == 200
    assert body(response)


def test_a_date_at_the_end_of_the_calendar_is_refused_with_a_message(hostile, world):
    logged_in(hostile, world.lead)

    response = hostile.get(f"/cohorts/{world.cohort.pk}/?to=9999-12-31")

    assert PERIOD_OUT_OF_RANGE in response.content.decode()
    assert not response.context["period"].is_bounded


@pytest.mark.parametrize("page", [*LEAD_PAGES, "learners/1/"])
@pytest.mark.parametrize("cohort", ["other", "huge"])
def test_lead_pages_of_other_or_unknown_cohorts_are_404(hostile, world, page, cohort):
    logged_in(hostile, world.lead)
    cohort_id = {"other": world.other_cohort.pk, "huge": HUGE}[cohort]

    with writes_nothing():
        assert hostile.get(f"/cohorts/{cohort_id}/{page}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        param("learner-outsider", "learners/{intruder}/"),
        param("learner-huge", f"learners/{HUGE}/"),
        param("result-of-outsider", "learners/{intruder}/attempts/{foreign}/"),
        param("result-huge-attempt", f"learners/{{candidate}}/attempts/{HUGE}/"),
        param("result-in-progress", "learners/{candidate}/attempts/{attempt}/"),
    ],
)
def test_learner_pages_refuse_foreign_ids(hostile, world, path):
    logged_in(hostile, world.lead)
    ids = {
        "intruder": world.intruder.pk,
        "candidate": world.candidate.pk,
        "foreign": world.foreign.pk,
        "attempt": world.attempt.pk,
    }

    with writes_nothing():
        response = hostile.get(f"/cohorts/{world.cohort.pk}/" + path.format(**ids))

    assert response.status_code == 404
