"""Pages that cache what they render stay correct: every change they show is seen at once.

Caches under test: the result page's body (quizzes.result_page), the history tables and chart
(the candidate's version), the cohort table (the cohort's version), bank-wide figures (the
content version: saves, the admin's actions and imports move it), and the navigation's cohort
link kept in the session (cohorts.context_processors). crss_prep/page_cache.py lists who
moves which version; each writer has a test here.
"""

import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.context_processors import SESSION_KEY
from quizzes.models import Question, QuestionReport, Status, Topic
from tests.banks import topic_bank
from tests.factories import (
    make_bank,
    make_cohort,
    make_exam,
    make_lead,
    make_question,
    make_user,
    take,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def bank():
    return make_bank(topics=2, per_topic=6)


@pytest.fixture
def exam(bank):
    return make_exam(items=4)


def test_a_cached_result_page_links_each_item_to_a_working_report_form(exam):
    """The cached items carry no form (and so no one's CSRF token): each links to its own
    report page, whose form carries the visitor's token."""
    candidate = make_user("reader")
    attempt = take(exam, candidate, right=2)
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate)
    url = reverse("quizzes:attempt_result", args=[attempt.pk])
    client.get(url)  # renders and caches the item list
    page = client.get(url).content.decode()  # served from the cache
    report_url = reverse("quizzes:report_item", args=[attempt.pk, 4])

    assert f'href="{report_url}"' in page
    assert 'name="reason"' not in page
    form = client.get(report_url).content.decode()
    response = client.post(
        report_url, {"reason": "unclear", "csrfmiddlewaretoken": TOKEN.findall(form)[-1]}
    )
    assert response.status_code == 302
    assert QuestionReport.objects.count() == 1

def test_a_cached_result_page_is_not_served_to_another_candidate(exam):
    owner, intruder = make_user("owner"), make_user("intruder")
    attempt = take(exam, owner, right=2)
    client = Client()
    client.force_login(owner)
    url = reverse("quizzes:attempt_result", args=[attempt.pk])
    assert client.get(url).status_code == 200
    client.force_login(intruder)
    assert client.get(url).status_code == 404


def test_history_shows_an_attempt_finished_after_it_was_cached(client, exam):
    candidate = make_user("historian")
    client.force_login(candidate)
    take(exam, candidate, right=1)
    first = client.get(reverse("quizzes:history")).content.decode()
    take(exam, candidate, right=4)
    second = client.get(reverse("quizzes:history")).content.decode()

    assert first.count("Result<span") == 1
    assert second.count("Result<span") == 2
    assert "100 %" in second and "100 %" not in first


def test_the_dashboard_shows_a_members_new_attempt_at_once(client, exam):
    lead, learner = make_lead(), make_user("learner", first_name="Ada", last_name="Byron")
    cohort = make_cohort(lead, members=[learner])
    client.force_login(lead)
    url = reverse("cohorts:dashboard", args=[cohort.pk])
    row = re.compile(r"Ada Byron</a>.*?<td class=\"number\">(\d+)</td>", re.S)

    assert row.search(client.get(url).content.decode()).group(1) == "0"
    take(exam, learner, right=3)
    assert row.search(client.get(url).content.decode()).group(1) == "1"


def test_the_dashboard_shows_a_new_member_at_once(client, exam):
    lead = make_lead()
    cohort = make_cohort(lead)
    client.force_login(lead)
    url = reverse("cohorts:dashboard", args=[cohort.pk])
    assert "No learners have joined" in client.get(url).content.decode()
    cohort.memberships.create(user=make_user("newcomer"))
    assert "newcomer" in client.get(url).content.decode()


def test_history_and_the_lead_see_an_overdue_attempt_closed_late(client, exam):
    """Closing an overdue attempt dates its submit at its deadline, which can be earlier
    than another attempt's submit: a stamp of counts and latest dates did not move, and
    history showed "In progress" with a Resume link for up to an hour."""
    from quizzes import services

    lead, learner = make_lead(), make_user("latecomer")
    cohort = make_cohort(lead, members=[learner])
    other = make_exam(items=4, title="Second exam")
    start = timezone.now() - timedelta(hours=3)
    open_one = services.start_attempt(user=learner, exam=exam, now=start)
    finished = take(other, learner, right=4, now=open_one.deadline + timedelta(minutes=30))
    assert finished.submitted_at > open_one.deadline
    client.force_login(learner)
    history_url = reverse("quizzes:history")
    resume = f'href="{open_one.get_absolute_url()}">Resume'
    assert resume in client.get(history_url).content.decode()
    client.force_login(lead)
    learner_url = reverse("cohorts:learner", args=[cohort.pk, learner.pk])
    assert client.get(learner_url).content.decode().count("In progress") == 1

    call_command("close_overdue_attempts")

    client.force_login(learner)
    assert resume not in client.get(history_url).content.decode()
    client.force_login(lead)
    assert "In progress" not in client.get(learner_url).content.decode()
    dashboard = client.get(reverse("cohorts:dashboard", args=[cohort.pk])).content.decode()
    assert re.search(r"latecomer</a>.*?<td class=\"number\">2</td>", dashboard, re.S)


def test_history_shows_an_attempt_started_after_it_was_cached(client, exam):
    from quizzes import services

    candidate = make_user("starter")
    client.force_login(candidate)
    assert "No attempts yet" in client.get(reverse("quizzes:history")).content.decode()
    services.start_attempt(user=candidate, exam=exam)
    assert "Resume<span" in client.get(reverse("quizzes:history")).content.decode()


def test_the_dashboard_drops_a_member_who_leaves_or_deletes_their_account(client, exam):
    from cohorts import services

    lead, leaver, deleter = make_lead(), make_user("leaver"), make_user("deleter")
    cohort = make_cohort(lead, members=[leaver, deleter])
    client.force_login(lead)
    url = reverse("cohorts:dashboard", args=[cohort.pk])
    page = client.get(url).content.decode()
    assert "leaver" in page and "deleter" in page

    services.leave_cohort(user=leaver, cohort=cohort)
    deleter.delete()

    page = client.get(url).content.decode()
    assert "leaver" not in page and "deleter" not in page


def test_a_dashboard_sort_that_means_the_default_shares_its_cache_entry(client, exam):
    from cohorts.sorting import normal_sort

    assert normal_sort("no-such-column") == normal_sort(None) == normal_sort("-at_risk")
    assert normal_sort("name") != normal_sort("-name")


def published_count(client, topic) -> str:
    page = client.get(reverse("quizzes:topic_list")).content.decode()
    return re.search(rf"{re.escape(topic.title)}.*?(\d+) question", page, re.S).group(1)


def test_topic_counts_follow_a_question_saved_in_the_admin_way(client, bank):
    topic = bank[0]
    assert published_count(client, topic) == "6"
    make_question(topic)  # a save: the signal moves the content version
    assert published_count(client, topic) == "7"
    question = Question.objects.filter(topic=topic).first()
    question.status = Status.RETIRED
    question.save()
    assert published_count(client, topic) == "6"


def test_the_cohort_link_is_remembered_in_the_session_at_login(client):
    lead, candidate = make_lead(), make_user("plain")
    client.force_login(lead)
    assert client.session[SESSION_KEY] is True
    assert ">Cohorts</a>" in client.get(reverse("home")).content.decode()
    client.force_login(candidate)
    assert client.session[SESSION_KEY] is False
    page = client.get(reverse("home")).content.decode()
    assert ">Cohorts</a>" not in page
    assert ">Join a cohort</a>" in page


def test_topic_counts_follow_a_bank_import(client, write_bank):
    call_command("load_questions", str(write_bank("t.yaml", topic_bank("imported", 3))))
    topic = Topic.objects.get(slug="imported")
    assert published_count(client, topic) == "3"  # now cached

    call_command("load_questions", str(write_bank("t.yaml", topic_bank("imported", 5))))
    assert published_count(client, topic) == "5"


def test_the_taking_pages_cached_items_belong_to_their_own_attempt(exam):
    """The items are cached per attempt id and start time: SQLite can hand a deleted
    attempt's id to a new attempt, which starts at another time and must show its own."""
    from quizzes import services
    from quizzes.models import Attempt, AttemptItem

    attempt = services.start_attempt(user=make_user("taker"), exam=exam, seed=1)
    client = Client()
    client.force_login(attempt.user)

    def stems_shown() -> list[str]:
        page = client.get(reverse("quizzes:take_item", args=[attempt.pk, 1])).text
        data = re.search(r'<script id="attempt-items" type="application/json">(.*?)</script>', page)
        return [item["stem"] for item in json.loads(data.group(1))]

    assert len(stems_shown()) == 4
    # What a new attempt under the same id looks like: other items, another start.
    AttemptItem.objects.filter(attempt=attempt).update(stem="Another question")
    assert "<p>Another question</p>" not in stems_shown()  # the same attempt: cached
    Attempt.objects.filter(pk=attempt.pk).update(started_at=attempt.started_at - timedelta(days=1))

    assert stems_shown() == ["<p>Another question</p>\n"] * 4


def test_mastery_follows_each_submitted_attempt(exam):
    from quizzes import progress

    candidate = make_user("learner")
    assert progress.mastery_for(candidate) == {}
    assert progress.domain_mastery_for(candidate) == {}

    take(exam, candidate, right=4)
    after_one = progress.mastery_for(candidate)
    take(exam, candidate, right=0)
    after_two = progress.mastery_for(candidate)

    assert sum(m.total for m in after_one.values()) == 4
    assert sum(m.total for m in after_two.values()) == 8
    assert sum(m.correct for m in after_two.values()) == 4
    assert sum(m.total for m in progress.domain_mastery_for(candidate).values()) == 8


def test_a_cached_result_page_follows_a_star_removed_from_the_starred_list(client, exam):
    candidate = make_user("stargazer")
    client.force_login(candidate)
    finished = take(exam, candidate, right=2)
    result_url = reverse("quizzes:attempt_result", args=[finished.pk])
    client.post(reverse("quizzes:star_item", args=[finished.pk, 1]), {"starred": "1"})
    assert client.get(result_url).text.count('aria-pressed="true"') == 1

    question_id = finished.items.get(position=1).question_id
    client.post(reverse("quizzes:unstar_question", args=[question_id]))

    assert client.get(result_url).text.count('aria-pressed="true"') == 0
