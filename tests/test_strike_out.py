"""Striking out a choice (issue 20, part 3): the service, the view (script and plain form), and
where strikes show: the taking page, its JSON, the state endpoint, the result."""

import json
import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.attempt_errors import AttemptClosed, AttemptError
from quizzes.models import Attempt, AttemptItem
from quizzes.strike_out import set_struck
from quizzes.views.strike import INVALID_STRIKE
from tests.factories import answer, make_bank, make_exam, make_user

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}


def url(name, attempt, *args):
    return reverse(f"quizzes:{name}", args=[attempt.pk, *args])


def strike(attempt, position, key, *, struck=True, user=None, now=None):
    set_struck(
        attempt_id=attempt.pk,
        user=user or attempt.user,
        position=position,
        choice_key=key,
        struck=struck,
        now=now,
    )


def struck_keys(attempt, position=1) -> str:
    return AttemptItem.objects.get(attempt=attempt, position=position).struck_keys


def letter_of(attempt, position, key) -> str:
    """The letter (A-F) the item shows ``key`` under (the choices are shuffled)."""
    keys = [choice["key"] for choice in attempt.items.get(position=position).choices]
    return "ABCDEF"[keys.index(key)]


# --- the service ------------------------------------------------------------------------------


def test_strikes_and_restores_keep_the_keys_in_order(attempt):
    strike(attempt, 1, "d")
    strike(attempt, 1, "b")
    strike(attempt, 1, "a")
    assert struck_keys(attempt) == "abd"

    strike(attempt, 1, "b", struck=False)
    assert struck_keys(attempt) == "ad"
    assert struck_keys(attempt, 2) == ""


def test_a_strike_or_restore_sent_twice_changes_nothing_the_second_time(attempt):
    strike(attempt, 1, "c")
    strike(attempt, 1, "c")
    assert struck_keys(attempt) == "c"

    strike(attempt, 1, "a", struck=False)  # never struck
    assert struck_keys(attempt) == "c"


def test_a_strike_is_one_statement(attempt):
    with CaptureQueriesContext(connection) as queries:
        strike(attempt, 2, "b")

    assert len(queries) == 1
    assert struck_keys(attempt, 2) == "b"


def test_striking_the_chosen_choice_keeps_the_answer(attempt):
    answer(attempt, 1, "b", sequence=5)

    strike(attempt, 1, "b")

    item = attempt.items.get(position=1)
    assert (item.chosen_key, item.version, item.struck_keys) == ("b", 5, "b")
    answer(attempt, 1, "c", sequence=6)  # and choosing leaves the strikes alone
    assert struck_keys(attempt) == "b"


@pytest.mark.parametrize("key", ["f", "zz", "A", ""])
def test_a_key_the_item_does_not_have_is_refused(attempt, key):
    with pytest.raises(AttemptError) as refused:
        strike(attempt, 1, key)

    assert refused.value.message == services.UNKNOWN_CHOICE
    assert refused.value.status == 400
    assert struck_keys(attempt) == ""


def test_an_item_the_attempt_does_not_have_is_refused(attempt):
    with pytest.raises(AttemptError) as refused:
        strike(attempt, 99, "a")

    assert refused.value.message == services.UNKNOWN_ITEM.format(position=99)


def test_a_strike_after_submit_is_refused(attempt):
    strike(attempt, 1, "a")
    services.submit_attempt(attempt=attempt)

    with pytest.raises(AttemptClosed) as refused:
        strike(attempt, 1, "b")

    assert refused.value.message == services.ATTEMPT_CLOSED
    assert refused.value.status == 409
    assert struck_keys(attempt) == "a"


def test_a_strike_after_the_deadline_and_grace_is_refused(attempt):
    late = attempt.deadline + services.SAVE_GRACE + timedelta(seconds=1)

    with pytest.raises(AttemptClosed) as refused:
        strike(attempt, 1, "b", now=late)

    assert refused.value.message == services.TIME_UP
    assert struck_keys(attempt) == ""


def test_another_candidates_attempt_is_not_found(attempt):
    with pytest.raises(Attempt.DoesNotExist):
        strike(attempt, 1, "b", user=make_user("intruder"))

    assert struck_keys(attempt) == ""


@pytest.mark.parametrize("stored", ["ba", "f", "aa", "x", "abcde"])
def test_the_database_refuses_struck_keys_out_of_order_or_not_the_items(attempt, stored):
    item = attempt.items.get(position=1)  # keys a-d
    with pytest.raises(IntegrityError), transaction.atomic():
        AttemptItem.objects.filter(pk=item.pk).update(struck_keys=stored)


# --- the view -----------------------------------------------------------------------------------


def test_a_json_strike_and_restore_answer_what_was_stored(client, attempt):
    struck = client.post(url("strike_item", attempt, 2), {"strike": "c"}, headers=JSON)
    assert struck.status_code == 200
    assert struck.json() == {"position": 2, "choice": "c", "struck": True}
    assert struck_keys(attempt, 2) == "c"

    restored = client.post(url("strike_item", attempt, 2), {"restore": "c"}, headers=JSON)
    assert restored.json() == {"position": 2, "choice": "c", "struck": False}
    assert struck_keys(attempt, 2) == ""


@pytest.mark.parametrize(
    "data",
    [{"strike": "f"}, {"restore": "f"}],
    ids=["strike", "restore"],
)
def test_a_foreign_key_is_400_with_a_message(client, attempt, data):
    response = client.post(url("strike_item", attempt, 1), data, headers=JSON)

    assert response.status_code == 400
    assert response.json() == {"saved": False, "error": services.UNKNOWN_CHOICE}
    assert struck_keys(attempt) == ""


@pytest.mark.parametrize(
    "data",
    [{}, {"strike": "a", "restore": "b"}, {"strike": "zz"}, {"strike": ""}, {"choice": "a"}],
)
def test_malformed_strikes_are_400_and_write_nothing(client, attempt, data):
    response = client.post(url("strike_item", attempt, 1), data, headers=JSON)

    assert response.status_code == 400
    assert response.json()["error"] == INVALID_STRIKE
    assert not attempt.items.exclude(struck_keys="").exists()


def test_a_strike_of_an_unknown_item_is_400(client, attempt):
    response = client.post(url("strike_item", attempt, 9), {"strike": "a"}, headers=JSON)

    assert response.status_code == 400
    assert response.json()["error"] == services.UNKNOWN_ITEM.format(position=9)


def test_a_strike_on_a_submitted_attempt_is_409_closed(client, attempt):
    services.submit_attempt(attempt=attempt)

    response = client.post(url("strike_item", attempt, 1), {"strike": "a"}, headers=JSON)

    assert response.status_code == 409
    assert response.json() == {
        "saved": False,
        "error": services.ATTEMPT_CLOSED,
        "reason": "closed",
        "result_url": url("attempt_result", attempt),
    }
    assert struck_keys(attempt) == ""


def test_another_candidates_attempt_is_404(client, attempt):
    client.force_login(make_user("intruder"))

    for headers in (JSON, {}):
        response = client.post(url("strike_item", attempt, 1), {"strike": "a"}, headers=headers)
        assert response.status_code == 404
    assert struck_keys(attempt) == ""


def test_a_strike_needs_a_post_a_login_and_the_csrf_token(attempt):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(attempt.user)
    assert strict.get(url("strike_item", attempt, 1)).status_code == 405
    assert strict.post(url("strike_item", attempt, 1), {"strike": "a"}).status_code == 403

    anonymous = Client().post(url("strike_item", attempt, 1), {"strike": "a"})
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous.url
    assert struck_keys(attempt) == ""


def test_the_plain_form_goes_back_to_the_items_button(client, attempt):
    response = client.post(url("strike_item", attempt, 3), {"strike": "b"})

    assert response.status_code == 302
    assert response.url == url("take_item", attempt, 3) + "#strike-b"
    assert struck_keys(attempt, 3) == "b"
    restored = client.post(url("strike_item", attempt, 3), {"restore": "b"})
    assert restored.url == url("take_item", attempt, 3) + "#strike-b"
    assert struck_keys(attempt, 3) == ""


def test_a_refused_plain_form_says_why_on_the_item(client, attempt):
    response = client.post(url("strike_item", attempt, 1), {"strike": "f"}, follow=True)

    assert response.redirect_chain[-1][0] == url("take_item", attempt, 1)
    assert services.UNKNOWN_CHOICE in response.text


# --- where strikes show ------------------------------------------------------------------------


def choice_row(page: str, key: str) -> str:
    """The taking page's row of one choice, from its opening tag to its button's end."""
    match = re.search(
        rf'<div class="form-check choice[^"]*">\s*<input[^>]* id="choice-{key}".*?</button>',
        page,
        re.S,
    )
    assert match, f"no row for choice {key}"
    return match.group(0)


def test_the_taking_page_shows_struck_choices_after_a_reload(client, attempt):
    strike(attempt, 2, "c")
    letter = letter_of(attempt, 2, "c")

    page = client.get(url("take_item", attempt, 2)).text

    struck, other = choice_row(page, "c"), choice_row(page, "a")
    assert 'class="form-check choice is-struck"' in struck
    assert '<span class="visually-hidden struck-note"> (struck out)</span>' in struck
    assert 'name="restore" value="c" aria-pressed="true"' in struck
    assert f'Strike out<span class="visually-hidden"> choice {letter}</span>' in struck
    assert 'class="form-check choice"' in other
    assert '<span class="visually-hidden struck-note" hidden> (struck out)</span>' in other
    assert 'name="strike" value="a" aria-pressed="false"' in other
    assert f'formaction="{url("strike_item", attempt, 2)}"' in other
    assert "Shift+A\N{EN DASH}F strike out" in page


def test_the_page_state_carries_every_items_struck_keys(client, attempt):
    strike(attempt, 1, "d")
    strike(attempt, 1, "a")
    strike(attempt, 3, "b")

    page = client.get(url("take_item", attempt, 2)).text

    state = json.loads(re.search(r'id="attempt-state"[^>]*>(.*?)</script>', page, re.S)[1])
    assert [item[3] for item in state["items"]] == ["ad", "", "b", ""]
    assert state["urls"]["strike"] == url("strike_item", attempt, 999).replace("999", "{n}")


def test_the_state_endpoint_reports_struck_keys_for_other_tabs(client, attempt):
    strike(attempt, 2, "b")
    strike(attempt, 2, "d")

    state = client.get(url("attempt_state", attempt)).json()

    assert state["struck"] == {"2": "bd"}


def test_the_result_shows_struck_choices_struck(client, attempt):
    item = attempt.items.get(position=1)
    wrong = next(key for key in item.choice_keys if key != item.correct_key)
    strike(attempt, 1, wrong)
    strike(attempt, 1, item.correct_key)  # ruled out the right answer: shown too
    services.submit_attempt(attempt=attempt)

    page = client.get(url("attempt_result", attempt)).text

    assert page.count('<span class="visually-hidden"> (struck out)</span>') == 2
    assert page.count(" is-struck") == 2
    assert re.search(r'class="result-choice is-key is-struck"', page)
    assert re.search(r'class="result-choice is-struck"', page)


def test_the_strike_endpoint_costs_the_same_whatever_the_attempt_size(
    client, candidate, django_assert_num_queries
):
    make_bank(topics=4, per_topic=25)
    small = services.start_attempt(user=candidate, exam=make_exam(items=10, title="Ten"))
    large = services.start_attempt(user=candidate, exam=make_exam(items=100, title="Hundred"))

    def strike_request(attempt, key):
        response = client.post(url("strike_item", attempt, 7), {"strike": key}, headers=JSON)
        assert response.status_code == 200
        return response

    keys = {a.pk: a.items.get(position=7).choice_keys for a in (small, large)}
    strike_request(small, keys[small.pk][0])
    with CaptureQueriesContext(connection) as captured:
        strike_request(small, keys[small.pk][1])
    small_count = len(captured)  # read now: the next request clears the connection's log
    strike_request(large, keys[large.pk][0])
    with django_assert_num_queries(small_count):
        strike_request(large, keys[large.pk][1])


def test_a_struck_choice_still_counts_when_it_is_the_answer(attempt):
    """Strikes are a note to oneself: the grade reads only the answer."""
    item = attempt.items.get(position=1)
    answer(attempt, 1, item.correct_key)
    strike(attempt, 1, item.correct_key)

    graded = services.submit_attempt(attempt=attempt, now=timezone.now())

    assert graded.correct_count == 1
