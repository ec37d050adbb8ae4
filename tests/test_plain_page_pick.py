"""Without the script, Mark and Strike out are buttons of the answer form: a choice picked but
not saved yet comes along with them and is saved first, so that pressing them never loses it
(issue 14: nothing is lost, with or without JavaScript)."""

import re

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import AttemptItem
from quizzes.practice import PracticeRequest, start_practice
from tests.factories import answer, make_bank

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}


def url(name, attempt, *args):
    return reverse(f"quizzes:{name}", args=[attempt.pk, *args])


def stored(attempt, position) -> tuple[str, bool, str]:
    """(chosen key, marked, struck keys) of one item."""
    item = AttemptItem.objects.get(attempt=attempt, position=position)
    return item.chosen_key, item.marked, item.struck_keys


def test_a_strike_saves_the_choice_picked_with_it(client, attempt):
    response = client.post(
        url("strike_item", attempt, 3), {"choice": "b", "sequence": 1, "strike": "c"}
    )

    assert response.url == url("take_item", attempt, 3) + "#strike-c"
    assert stored(attempt, 3) == ("b", False, "c")


def test_a_mark_saves_the_choice_picked_with_it(client, attempt):
    response = client.post(
        url("mark_item", attempt, 2), {"choice": "d", "sequence": 1, "marked": "on"}
    )

    assert response.url == url("take_item", attempt, 2)
    assert stored(attempt, 2) == ("d", True, "")
    client.post(url("mark_item", attempt, 2), {"choice": "d", "sequence": 2, "marked": ""})
    assert stored(attempt, 2) == ("d", False, "")


def test_a_mark_or_strike_without_a_pick_leaves_the_answer_alone(client, attempt):
    answer(attempt, 4, "a")

    client.post(url("mark_item", attempt, 4), {"sequence": 9, "marked": "on"})
    client.post(url("strike_item", attempt, 4), {"sequence": 9, "strike": "b"})

    assert stored(attempt, 4) == ("a", True, "b")


def test_a_pick_older_than_the_items_answer_is_refused_and_nothing_changes(client, attempt):
    # Another tab saved item 1 twice since this page was drawn (sequence 1).
    answer(attempt, 1, "a", sequence=1)
    answer(attempt, 1, "c", sequence=2)

    response = client.post(
        url("mark_item", attempt, 1), {"choice": "b", "sequence": 1, "marked": "on"}, follow=True
    )

    assert response.redirect_chain[-1][0] == url("take_item", attempt, 1)
    assert "another tab" in response.text
    assert stored(attempt, 1) == ("c", False, "")


def test_a_pick_after_the_deadline_is_refused_like_a_save(client, attempt):
    services.submit_attempt(attempt=attempt)

    response = client.post(
        url("strike_item", attempt, 1), {"choice": "b", "sequence": 1, "strike": "c"}
    )

    assert response.url == url("attempt_detail", attempt)
    assert stored(attempt, 1) == ("", False, "")


def test_the_scripts_json_strike_never_saves_a_choice(client, attempt):
    response = client.post(
        url("strike_item", attempt, 3), {"choice": "b", "sequence": 1, "strike": "c"}, headers=JSON
    )

    assert response.json() == {"position": 3, "choice": "c", "struck": True}
    assert stored(attempt, 3) == ("", False, "c")


def test_in_a_tutor_session_a_strike_does_not_check_the_pick(client, candidate):
    topics = make_bank(topics=1, per_topic=10)
    request = PracticeRequest(count=5, topic_ids=frozenset({topics[0].pk}), tutor=True)
    session = start_practice(user=candidate, request=request, seed=3)

    client.post(url("strike_item", session, 1), {"choice": "b", "sequence": 1, "strike": "c"})

    # Saving a tutor item's choice checks it; only "Check answer" does that.
    assert stored(session, 1) == ("", False, "c")


def test_the_page_makes_mark_and_strike_buttons_of_the_answer_form(client, attempt):
    page = client.get(url("take_item", attempt, 2)).text

    form = re.search(r'<form method="post" action="[^"]*" id="answer-form".*?</form>', page, re.S)[
        0
    ]
    buttons = re.findall(r"<button [^>]*>", form)
    # Enter on a radio presses the form's first button: a save, never a strike.
    assert 'name="go" value="next"' in buttons[0]
    assert 'tabindex="-1" aria-hidden="true"' in buttons[0]
    strikes = [button for button in buttons if "strike-button" in button]
    assert len(strikes) == len(attempt.items.get(position=2).choices)
    assert all(f'formaction="{url("strike_item", attempt, 2)}"' in button for button in strikes)
    mark = re.search(r'<button [^>]*id="mark-button"[^>]*>', page)[0]
    assert f'form="answer-form" formaction="{url("mark_item", attempt, 2)}"' in mark
    assert 'name="marked" value="on"' in mark
    assert 'id="strike-form"' not in page and 'id="mark-form"' not in page
