"""The cohort dashboard: figures per learner, at-risk flags, sorting, date range, queries."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.dashboard import (
    MOCK_REASON,
    READINESS_REASON,
    cohort_table,
    mastery_band,
    risk_reasons,
)
from cohorts.models import Membership
from cohorts.periods import Period
from cohorts.sorting import columns, parse_sort, sort_rows
from quizzes.bank_summary import bank_summary
from quizzes.readiness import Readiness
from tests.factories import (
    NOW,
    bulk_history,
    make_bank,
    make_cohort,
    make_exam,
    make_lead,
    make_user,
    take,
)

QUERY_BUDGET = 12


# --- at risk: pure, on hand-made examples ---------------------------------------------------


def estimated(chance: int) -> Readiness:
    return Readiness(answers=120, needed=0, chance=chance, score=60, score_low=50, score_high=70)


NOT_ESTIMATED = Readiness(answers=10, needed=30)


def test_readiness_under_half_is_a_risk():
    assert risk_reasons(estimated(49), None, None) == (
        READINESS_REASON.format(chance=49, limit=50),
    )


def test_readiness_of_exactly_half_is_not_a_risk():
    assert risk_reasons(estimated(50), 80, 68) == ()


def test_a_latest_mock_under_its_pass_mark_is_a_risk():
    assert risk_reasons(estimated(90), 67, 68) == (MOCK_REASON.format(score=67, pass_mark=68),)


def test_a_latest_mock_at_the_pass_mark_is_not_a_risk():
    assert risk_reasons(estimated(90), 68, 68) == ()


def test_both_reasons_are_given_when_both_hold():
    assert risk_reasons(estimated(12), 40, 68) == (
        "Readiness 12 % (under 50 %)",
        "Latest mock 40 % (pass mark 68 %)",
    )


def test_too_few_answers_and_no_mock_is_no_risk_yet():
    assert risk_reasons(NOT_ESTIMATED, None, None) == ()


def test_a_failed_mock_is_a_risk_even_before_readiness_is_estimated():
    assert risk_reasons(NOT_ESTIMATED, 52, 68) == ("Latest mock 52 % (pass mark 68 %)",)


@pytest.mark.parametrize(
    ("percent", "band"),
    [(None, "none"), (0, "weak"), (49, "weak"), (50, "fair"), (67, "fair"), (68, "strong")],
)
def test_mastery_bands(percent, band):
    assert mastery_band(percent, pass_mark=68) == band


# --- the page -------------------------------------------------------------------------------


@pytest.fixture
def topics(db):
    return make_bank(topics=2, per_topic=10)


@pytest.fixture
def mock(topics):
    return make_exam(items=20, title="Mini mock", pass_mark=68)


@pytest.fixture
def lead(client, db):
    lead = make_lead()
    client.force_login(lead)
    return lead


def dashboard(client, cohort, **params):
    return client.get(reverse("cohorts:dashboard", args=[cohort.pk]), params)


@pytest.mark.django_db
def test_a_learner_who_fails_their_latest_mock_is_flagged_with_the_reason(
    client, lead, topics, mock
):
    strong, weak = make_user("strong", first_name="Sam"), make_user("weak", first_name="Wes")
    cohort = make_cohort(lead, members=[strong, weak])
    bulk_history([strong], mock, topics, attempts=3, percent=lambda u, a: 90)
    bulk_history([weak], mock, topics, attempts=3, percent=lambda u, a: 80 - 20 * a)

    response = dashboard(client, cohort)

    rows = {row.learner.username: row for row in response.context["rows"]}
    assert rows["weak"].at_risk
    assert rows["weak"].latest_mock == 40
    assert rows["weak"].best_mock == 80
    assert "Latest mock 40 % (pass mark 68 %)" in rows["weak"].risk_reasons
    assert not rows["strong"].at_risk
    assert "Latest mock 40 % (pass mark 68 %)" in response.text
    assert response.text.count('class="badge risk-badge"') == 1


@pytest.mark.django_db
def test_readiness_comes_from_the_stored_tallies(client, lead, topics, mock):
    learner = make_user()
    cohort = make_cohort(lead, members=[learner])
    bulk_history([learner], mock, topics, attempts=5, percent=lambda u, a: 20)

    row = dashboard(client, cohort).context["rows"][0]

    assert row.readiness.is_estimated
    assert row.readiness.chance < 50
    assert row.at_risk
    assert [cell.percent for cell in row.cells] == [20, 20]
    assert [cell.band for cell in row.cells] == ["weak", "weak"]


@pytest.mark.django_db
def test_the_dashboard_shows_every_figure_with_readable_numbers(client, lead, topics, mock):
    learner = make_user("dana", first_name="Dana", last_name="Ito")
    newcomer = make_user("newcomer")
    cohort = make_cohort(lead, name="Tuesday group", members=[learner, newcomer])
    take(mock, learner, right=15)

    response = dashboard(client, cohort)

    text = response.text
    assert response.status_code == 200
    assert "Dana Ito" in text and "newcomer" in text
    assert "75 %" in text  # the latest and best mock
    assert cohort.join_code in text
    assert f"in {topics[0].title}, over" in text  # the grid's numbers for screen readers
    assert "not practiced" in text
    assert "never" in text  # the newcomer's last activity
    assert 'rel="stylesheet" href="/static/css/cohorts.css"' in text
    assert "style=" not in text


@pytest.mark.django_db
def test_drills_count_as_attempts_but_not_as_mocks(client, lead, topics, mock):
    learner = make_user()
    cohort = make_cohort(lead, members=[learner])
    drill = make_exam(items=5, topics={topics[0]: 1})
    take(drill, learner, right=1)

    row = dashboard(client, cohort).context["rows"][0]

    assert row.attempts == 1
    assert row.latest_mock is None
    assert row.best_mock is None
    assert not row.at_risk


# --- sorting --------------------------------------------------------------------------------


@pytest.fixture
def three_learners(lead, topics, mock):
    low, mid, high = make_user("low"), make_user("mid"), make_user("high")
    idle = make_user("idle")
    cohort = make_cohort(lead, members=[low, mid, high, idle])
    # 40 %, 80 % and 100 % right; the better learners practiced later.
    for index, (user, percent) in enumerate([(low, 40), (mid, 80), (high, 100)]):
        bulk_history(
            [user],
            mock,
            topics,
            attempts=5,
            percent=lambda u, a, p=percent: p,
            start=NOW - timedelta(days=30, hours=-index),
        )
    return cohort


def usernames(response) -> list[str]:
    return [row.learner.username for row in response.context["rows"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("readiness", ["low", "mid", "high", "idle"]),
        ("-readiness", ["high", "mid", "low", "idle"]),
        ("name", ["high", "idle", "low", "mid"]),
        ("-name", ["mid", "low", "idle", "high"]),
        ("latest_mock", ["low", "mid", "high", "idle"]),
        ("-best_mock", ["high", "mid", "low", "idle"]),
        ("-attempts", ["high", "low", "mid", "idle"]),
        ("-last_activity", ["high", "mid", "low", "idle"]),
        ("-at_risk", ["low", "high", "idle", "mid"]),
        ("nonsense", ["low", "high", "idle", "mid"]),  # the default: at risk first
    ],
)
def test_sorting_by_each_column(client, three_learners, sort, expected):
    assert usernames(dashboard(client, three_learners, sort=sort)) == expected


@pytest.mark.django_db
def test_sorting_by_a_topic_column(client, three_learners, topics):
    response = dashboard(client, three_learners, sort=f"-topic-{topics[1].pk}")

    assert usernames(response) == ["high", "mid", "low", "idle"]


@pytest.mark.django_db
def test_header_links_sort_and_flip_the_direction_and_keep_the_period(client, three_learners):
    response = dashboard(client, three_learners, sort="readiness", **{"from": "2026-01-01"})

    assert 'aria-sort="ascending"' in response.text
    assert 'href="?from=2026-01-01&amp;sort=-readiness"' in response.text
    assert 'href="?from=2026-01-01&amp;sort=attempts"' in response.text


def test_parse_sort_falls_back_to_at_risk_first():
    assert parse_sort(None) == ("at_risk", True)
    assert parse_sort("-topic-x") == ("at_risk", True)
    assert parse_sort("-topic-12") == ("topic-12", True)


def test_columns_put_the_topic_grid_between_readiness_and_last_activity():
    class FakeTopic:
        pk, title = 7, "Boundaries"

    keys = [column.key for column in columns((FakeTopic(),), "name", {})]

    assert keys == [
        "name",
        "attempts",
        "latest_mock",
        "best_mock",
        "readiness",
        "topic-7",
        "last_activity",
        "at_risk",
    ]


def test_sort_rows_of_nothing():
    assert sort_rows((), "-readiness") == []


# --- the date range -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_date_range_limits_every_figure(client, lead, topics, mock):
    learner = make_user()
    cohort = make_cohort(lead, members=[learner])
    start = NOW - timedelta(days=30)
    # One attempt a day for ten days: 10 %, 20 %, ... 100 %.
    bulk_history(
        [learner], mock, topics, attempts=10, percent=lambda u, a: 10 * (a + 1), per_topic=10
    )
    first_day = timezone.localtime(start).date()

    everything = dashboard(client, cohort).context["rows"][0]
    window = dashboard(
        client,
        cohort,
        **{"from": str(first_day + timedelta(days=2)), "to": str(first_day + timedelta(days=4))},
    )

    row = window.context["rows"][0]
    assert everything.attempts == 10
    assert (everything.latest_mock, everything.best_mock) == (100, 100)
    assert row.attempts == 3
    assert (row.latest_mock, row.best_mock) == (50, 50)
    assert row.cells[0].mastery.total == 30
    assert "Figures count only attempts started from" in window.text


@pytest.mark.django_db
def test_a_reversed_date_range_is_refused_and_ignored(client, lead, topics, mock):
    learner = make_user()
    cohort = make_cohort(lead, members=[learner])
    bulk_history([learner], mock, topics, attempts=2, percent=lambda u, a: 50)

    response = dashboard(client, cohort, **{"from": "2026-02-10", "to": "2026-02-01"})

    assert "The start date must not be after the end date." in response.text
    assert response.context["rows"][0].attempts == 2


def test_period_bounds_are_whole_days_in_the_site_time_zone():
    period = Period(start=date(2026, 2, 1), end=date(2026, 2, 1))

    condition = period.attempts_q("attempts__")

    bounds = dict(condition.children)
    assert bounds["attempts__started_at__lt"] - bounds["attempts__started_at__gte"] == timedelta(
        days=1
    )
    assert bounds["attempts__started_at__gte"].hour == 0


# --- the query budget -----------------------------------------------------------------------


def make_cohort_of(lead, size: int, mock, topics, prefix: str):
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"{prefix}{n:03d}", first_name=f"Learner {n}", password="!")
        for n in range(size)
    )
    cohort = make_cohort(lead, name=f"{size} learners")
    Membership.objects.bulk_create(Membership(cohort=cohort, user=user) for user in users)
    bulk_history(users, mock, topics, attempts=10, percent=lambda u, a: (u * 7 + a * 13) % 101)
    return cohort


@pytest.mark.django_db
def test_the_dashboard_query_count_does_not_grow_with_the_cohort(
    client, lead, mock, django_assert_max_num_queries
):
    topics = make_bank(topics=3, per_topic=4) + list(mock.topics.all())
    small = make_cohort_of(lead, 20, mock, topics, "small")
    large = make_cohort_of(lead, 200, mock, topics, "large")
    bank_summary()  # shared by every page and cached: not the dashboard's own queries

    with django_assert_max_num_queries(QUERY_BUDGET):
        small_response = dashboard(client, small, sort="-readiness")
    with CaptureQueriesContext(connection) as small_queries:
        dashboard(client, small, sort="-readiness")
    with django_assert_max_num_queries(QUERY_BUDGET):
        large_response = dashboard(client, large, sort="-readiness")
    with CaptureQueriesContext(connection) as large_queries:
        dashboard(client, large, sort="-readiness")

    assert len(small_queries) == len(large_queries) <= QUERY_BUDGET
    assert small_response.text.count('class="learner-row') == 20
    assert large_response.text.count('class="learner-row') == 200
    assert all(row.attempts == 10 for row in large_response.context["rows"])


@pytest.mark.django_db
def test_cohort_table_reads_in_a_fixed_number_of_queries(
    lead, mock, topics, django_assert_num_queries
):
    cohort = make_cohort_of(lead, 30, mock, topics, "t")

    bank_summary()  # topics and the reference mock: cached, shared with other pages

    # Learners with figures, their topic tallies and their domain tallies.
    with django_assert_num_queries(3):
        table = cohort_table(cohort)

    assert len(table.rows) == 30
