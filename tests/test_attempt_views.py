"""The exam pages through the test client: access, the no-JavaScript flow, JSON saves."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from quizzes import services
from quizzes.attempt_urls import PER_ATTEMPT, PER_ITEM, attempt_links, item_url
from quizzes.models import Attempt
from tests.factories import answer, make_user

pytestmark = pytest.mark.django_db


def url(name, attempt, *args):
    return reverse(f"quizzes:{name}", args=[attempt.pk, *args])


def test_catalogue_lists_published_exams_with_facts(client, exam):
    response = client.get("/exams/")

    assert response.status_code == 200
    assert "Mini mock" in response.text
    assert "30</strong> minutes" in response.text
    assert "Log in to start" in response.text


def test_start_exam_creates_then_resumes(client, exam, candidate):
    first = client.post(f"/exams/{exam.slug}/start/")
    second = client.post(f"/exams/{exam.slug}/start/")

    attempt = Attempt.objects.get(user=candidate)
    assert first.url == second.url == attempt.get_absolute_url()


def test_start_requires_post_and_login(client, exam):
    assert client.get(f"/exams/{exam.slug}/start/").status_code in (302, 405)
    response = client.post(f"/exams/{exam.slug}/start/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_taking_page_shows_item_n_of_n_and_no_answers(client, attempt):
    item = attempt.items.get(position=2)

    response = client.get(url("take_item", attempt, 2))

    assert response.status_code == 200
    assert "Item 2 of 4" in response.text
    assert item.explanation not in response.text
    assert "correct" not in response.text.lower().replace("incorrect", "")
    for position in range(1, 5):
        assert f'id="palette-{position}"' in response.text


def test_no_page_or_response_reveals_answers_before_submit(client, attempt):
    explanations = list(attempt.items.values_list("explanation", flat=True))
    pages = [url("take_item", attempt, n) for n in range(1, 5)]
    pages += [url("attempt_review", attempt), url("attempt_state", attempt)]

    bodies = [client.get(page).content.decode() for page in pages]
    bodies.append(client.get(url("attempt_result", attempt), follow=True).content.decode())

    for body in bodies:
        assert not any(explanation in body for explanation in explanations)
        assert "correct_key" not in body


def test_plain_form_save_goes_to_the_next_item(client, attempt):
    key = attempt.items.get(position=1).choice_keys[0]

    response = client.post(url("answer_item", attempt, 1), {"choice": key, "sequence": 1})

    assert response.status_code == 302
    assert response.url == url("take_item", attempt, 2)
    assert attempt.items.get(position=1).chosen_key == key
    assert "checked" in client.get(url("take_item", attempt, 1)).text


def test_json_save_answers_with_the_stored_version(client, attempt):
    response = client.post(
        url("answer_item", attempt, 1),
        {"choice": "c", "sequence": 3},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.json() == {"saved": True, "position": 1, "choice": "c", "version": 3}


def test_a_save_arriving_after_a_later_save_of_another_item_is_kept(client, attempt):
    """The reported bug: item 2 saved with sequence 2, then item 1 with sequence 1."""
    for position, choice, sequence in ((2, "b", 2), (1, "a", 1)):
        response = client.post(
            url("answer_item", attempt, position),
            {"choice": choice, "sequence": sequence},
            headers={"Accept": "application/json"},
        )
        assert response.status_code == 200, response.content

    assert dict(attempt.items.exclude(chosen_key="").values_list("position", "chosen_key")) == {
        1: "a",
        2: "b",
    }


def test_json_stale_save_is_409(client, attempt):
    answer(attempt, 1, "a", sequence=4)

    response = client.post(
        url("answer_item", attempt, 1),
        {"choice": "b", "sequence": 2},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 409
    assert "another tab" in response.json()["error"]
    assert response.json()["reason"] == "stale"
    assert (response.json()["choice"], response.json()["version"]) == ("a", 4)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"choice": "a"},
        {"choice": "a", "sequence": "x"},
        {"choice": "zz", "sequence": 1},
        {"choice": "a", "sequence": 2**53},
        {"choice": "a", "sequence": -1},
    ],
)
def test_malformed_saves_are_400_and_write_nothing(client, attempt, data):
    response = client.post(
        url("answer_item", attempt, 1), data, headers={"Accept": "application/json"}
    )

    assert response.status_code == 400
    assert not attempt.items.exclude(chosen_key="").exists()


def test_foreign_choice_is_400(client, attempt):
    response = client.post(
        url("answer_item", attempt, 1),
        {"choice": "f", "sequence": 1},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 400


def test_another_candidates_attempt_is_404_everywhere(client, attempt, exam):
    intruder = make_user()
    client.force_login(intruder)

    for name, args in [
        ("attempt_detail", []),
        ("take_item", [1]),
        ("attempt_review", []),
        ("attempt_state", []),
        ("attempt_result", []),
    ]:
        assert client.get(url(name, attempt, *args)).status_code == 404, name
    for name, args, data in [
        ("answer_item", [1], {"choice": "a", "sequence": 1}),
        ("mark_item", [1], {"marked": "on"}),
        ("submit", [], {}),
    ]:
        assert client.post(url(name, attempt, *args), data).status_code == 404, name
    attempt.refresh_from_db()
    assert not attempt.is_submitted


def test_mark_for_review_shows_on_review_screen(client, attempt):
    client.post(url("mark_item", attempt, 3), {"marked": "on"})

    response = client.get(url("attempt_review", attempt))

    assert attempt.items.get(position=3).marked
    assert '<strong data-count="marked">1</strong> marked' in response.text
    assert f'href="{url("take_item", attempt, 3)}" id="palette-3" class="palette-link marked"' in (
        response.text
    )


def test_submit_twice_leads_to_the_same_single_result(client, attempt):
    first = client.post(url("submit", attempt))
    second = client.post(url("submit", attempt))

    assert first.url == second.url == url("attempt_result", attempt)
    assert attempt.topic_results.count() >= 1
    assert Attempt.objects.get(pk=attempt.pk).is_submitted


def test_result_page_shows_breakdown_and_explanations(client, attempt):
    item = attempt.items.get(position=1)
    answer(attempt, 1, item.correct_key)
    services.submit_attempt(attempt=attempt)

    response = client.get(url("attempt_result", attempt))
    incorrect_only = client.get(url("attempt_result", attempt) + "?show=incorrect")

    assert "Score: 25 %" in response.text
    assert "1 of 4 correct" in response.text
    assert "Not yet a pass" in response.text
    assert "By topic" in response.text
    assert item.explanation in response.text
    # The filter hides the right answers' lines (static/css/result.css), without the script too.
    assert 'data-show="incorrect"' in incorrect_only.text
    assert '<li class="result-line is-correct" id="item-1">' in incorrect_only.text
    assert '<li class="result-line is-blank" id="item-2">' in incorrect_only.text


def test_state_endpoint_reports_remaining_time_and_answers(client, attempt):
    answer(attempt, 2, "d")

    state = client.get(url("attempt_state", attempt)).json()

    assert state["status"] == "in_progress"
    assert 0 < state["remaining_seconds"] <= 30 * 60
    assert state["answers"] == {"2": {"choice": "d", "version": 1}}


@pytest.mark.parametrize("script_prefix", ["/", "/prep/"])
def test_an_attempts_links_are_its_reversed_urls(attempt, script_prefix):
    set_script_prefix(script_prefix)
    try:
        links = attempt_links(attempt)
        reversed_urls = {
            name: reverse(f"quizzes:{view}", args=[attempt.pk, 7])
            for name, view in PER_ITEM.items()
        } | {
            name: reverse(f"quizzes:{view}", args=[attempt.pk])
            for name, view in PER_ATTEMPT.items()
        }
    finally:
        set_script_prefix("/")

    assert {name: item_url(links, name, 7) for name in links} == reversed_urls
    assert links["answer"].startswith(script_prefix)


def test_taking_page_links_lead_to_this_attempts_items(client, attempt):
    page = client.get(url("take_item", attempt, 2)).text

    assert f'href="{url("take_item", attempt, 1)}"' in page
    assert f'href="{url("take_item", attempt, 3)}"' in page
    assert f'action="{url("answer_item", attempt, 2)}"' in page
    assert f'action="{url("mark_item", attempt, 2)}"' in page
    assert f'action="{url("submit", attempt)}"' in page
    assert f'href="{url("attempt_review", attempt)}"' in page


def test_the_time_left_reads_as_minutes_and_seconds_without_the_script(client, attempt):
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=now + timedelta(minutes=25, seconds=7))

    with time_machine.travel(now, tick=False):
        page = client.get(url("take_item", attempt, 1)).text
        review = client.get(url("attempt_review", attempt)).text

    timer = '<span id="timer" role="timer" aria-live="off">25 min 07 s</span>'
    assert timer in page
    assert timer in review
    assert 'data-remaining-seconds="1507"' in page  # what the script counts down from
