"""Starred questions: starred through an item of the candidate's own attempt, removed from
anywhere, listed at /starred/ and practiced from there; the star button works as a plain
form."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from quizzes import services, stars
from quizzes.models import Attempt, AttemptKind, Question, StarredQuestion, Status
from quizzes.practice import MAX_ITEMS
from tests.factories import make_bank, make_exam, make_user, take

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def exam():
    make_bank(topics=2, per_topic=3)
    return make_exam(items=6)


@pytest.fixture
def result(exam, candidate):
    """The signed-in candidate's submitted attempt, half right."""
    return take(exam, candidate, right=3)


def star_url(attempt: Attempt, position: int) -> str:
    return reverse("quizzes:star_item", args=[attempt.pk, position])


def question_at(attempt: Attempt, position: int) -> int:
    return attempt.items.get(position=position).question_id


def starred_ids(user) -> set[int]:
    return set(StarredQuestion.objects.filter(user=user).values_list("question_id", flat=True))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_candidate_stars_a_question_through_an_item_of_their_own_attempt(
    client, candidate, result
):
    response = client.post(star_url(result, 2), {"starred": "1"})
    expected = reverse("quizzes:attempt_result", args=[result.pk]) + "#item-2"
    assert response.status_code == 302 and response["Location"] == expected
    assert starred_ids(candidate) == {question_at(result, 2)}
    assert messages_of(response) == ["Question starred: practice it from your starred questions."]


def test_the_question_comes_from_the_item_never_from_the_form(client, candidate, result):
    other = Question.objects.exclude(pk__in=result.items.values("question_id")).first()
    client.post(star_url(result, 1), {"starred": "1", "question": other.pk if other else 0})
    assert starred_ids(candidate) == {question_at(result, 1)}


def test_another_candidates_attempt_cannot_be_starred_through(client, candidate, exam):
    theirs = take(exam, make_user(), right=2)
    response = client.post(star_url(theirs, 1), {"starred": "1"}, **JSON)
    assert response.status_code == 404
    assert not StarredQuestion.objects.exists()


def test_an_item_the_attempt_does_not_have_is_a_404(client, candidate, result):
    assert client.post(star_url(result, 99), {"starred": "1"}).status_code == 404
    assert not StarredQuestion.objects.exists()


def test_starring_needs_a_login(client, result):
    client.logout()
    response = client.post(star_url(result, 1), {"starred": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not StarredQuestion.objects.exists()


def test_starring_is_idempotent_and_unstarring_too(client, candidate, result):
    for _ in range(2):
        assert client.post(star_url(result, 3), {"starred": "1"}, **JSON).json() == {
            "position": 3,
            "starred": True,
        }
    assert StarredQuestion.objects.filter(user=candidate).count() == 1
    for _ in range(2):
        assert client.post(star_url(result, 3), {"starred": "0"}, **JSON).json() == {
            "position": 3,
            "starred": False,
        }
    assert not StarredQuestion.objects.exists()


def test_the_same_question_in_two_attempts_keeps_one_star(client, candidate, exam, result):
    second = take(exam, candidate, right=0)
    question = question_at(result, 1)
    position = second.items.get(question_id=question).position
    client.post(star_url(result, 1), {"starred": "1"})
    client.post(star_url(second, position), {"starred": "1"})
    assert starred_ids(candidate) == {question}
    assert stars.starred_positions(second) == frozenset({position})
    assert position in stars.starred_positions(second)
    client.post(star_url(second, position), {"starred": "0"})
    assert 1 not in stars.starred_positions(result)


def test_a_missing_or_odd_star_value_is_refused(client, candidate, result):
    response = client.post(star_url(result, 1), {"starred": "yes"}, **JSON)
    assert response.status_code == 400 and "star" in response.json()["error"]
    response = client.post(star_url(result, 1))
    assert response.status_code == 302
    assert messages_of(response) == ["Say whether to star the question or remove its star."]
    assert not StarredQuestion.objects.exists()


def test_an_item_whose_question_was_deleted_cannot_be_starred(client, candidate, result):
    result.items.filter(position=1).update(question=None)
    response = client.post(star_url(result, 1), {"starred": "1"}, **JSON)
    assert response.status_code == 400
    assert response.json()["error"] == stars.QUESTION_GONE
    assert not StarredQuestion.objects.exists()


def test_a_tutor_page_stars_an_open_attempt_and_returns_to_the_item(client, candidate, exam):
    attempt = services.start_attempt(user=candidate, exam=exam)
    response = client.post(star_url(attempt, 4), {"starred": "1"})
    assert response["Location"] == reverse("quizzes:take_item", args=[attempt.pk, 4])
    assert starred_ids(candidate) == {question_at(attempt, 4)}


def test_a_plain_form_returns_to_next_on_this_site_only(client, candidate, result):
    own = reverse("quizzes:starred_list")
    response = client.post(star_url(result, 1), {"starred": "1", "next": own})
    assert response["Location"] == own
    response = client.post(star_url(result, 1), {"starred": "1", "next": "https://evil.example/"})
    assert response["Location"].startswith(reverse("quizzes:attempt_result", args=[result.pk]))


def test_stars_answer_posts_only(client, candidate, result):
    assert client.get(star_url(result, 1)).status_code == 405
    assert client.get(reverse("quizzes:practice_starred")).status_code == 405


def test_the_starred_list_shows_each_star_with_its_unstar_button(client, candidate, result):
    for position in (1, 2):
        client.post(star_url(result, position), {"starred": "1"})
    theirs = take(result.exam, make_user(), right=1)
    StarredQuestion.objects.create(user=theirs.user, question_id=question_at(theirs, 5))
    page = client.get(reverse("quizzes:starred_list"))
    assert page.status_code == 200
    html = page.content.decode()
    for position in (1, 2):
        item = result.items.select_related("topic").get(position=position)
        assert item.stem in html and item.topic.title in html
        assert reverse("quizzes:unstar_question", args=[item.question_id]) in html
    assert html.count("/remove/") == 2  # two Unstar buttons, none for the other's star
    assert "Practice these" in html and "your 2 starred questions" in html


def test_an_empty_starred_list_says_how_to_star(client, candidate):
    html = client.get(reverse("quizzes:starred_list")).content.decode()
    assert "No starred questions yet" in html and "Practice these" not in html


def test_the_starred_list_needs_a_login(client):
    response = client.get(reverse("quizzes:starred_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unstar_from_the_list_removes_only_the_candidates_own_star(client, candidate, result):
    question = question_at(result, 1)
    StarredQuestion.objects.create(user=candidate, question_id=question)
    other = make_user()
    StarredQuestion.objects.create(user=other, question_id=question)
    response = client.post(reverse("quizzes:unstar_question", args=[question]))
    assert response["Location"] == reverse("quizzes:starred_list")
    assert messages_of(response) == ["Star removed."]
    assert starred_ids(candidate) == set() and starred_ids(other) == {question}
    again = client.post(reverse("quizzes:unstar_question", args=[question]), **JSON)
    assert again.json() == {"question": question, "starred": False}


def test_practice_these_starts_a_session_of_the_starred_questions(client, candidate, result):
    for position in (1, 4, 6):
        client.post(star_url(result, position), {"starred": "1"})
    response = client.post(reverse("quizzes:practice_starred"))
    session = Attempt.objects.for_user(candidate).in_progress().get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert session.kind == AttemptKind.PRACTICE and not session.timed and session.exam is None
    assert set(session.items.values_list("question_id", flat=True)) == starred_ids(candidate)
    assert session.item_count == 3


def test_practice_these_leaves_out_retired_questions(client, candidate, result):
    for position in (1, 2):
        client.post(star_url(result, position), {"starred": "1"})
    retired = Question.objects.get(pk=question_at(result, 2))
    retired.status = Status.RETIRED
    retired.save()
    page = client.get(reverse("quizzes:starred_list")).content.decode()
    assert "no longer in the question bank" in page and "your 1 starred question." in page
    client.post(reverse("quizzes:practice_starred"))
    session = Attempt.objects.for_user(candidate).in_progress().get()
    assert list(session.items.values_list("question_id", flat=True)) == [question_at(result, 1)]


def test_practice_these_with_nothing_to_practice_says_so(client, candidate, result):
    client.post(star_url(result, 1), {"starred": "1"})
    Question.objects.update(status=Status.RETIRED)
    response = client.post(reverse("quizzes:practice_starred"))
    assert response["Location"] == reverse("quizzes:starred_list")
    assert messages_of(response)[-1] == stars.NOTHING_STARRED
    assert not Attempt.objects.for_user(candidate).in_progress().exists()


def test_practice_these_takes_at_most_the_session_maximum(candidate):
    make_bank(topics=1, per_topic=MAX_ITEMS + 3)
    attempt = services.start_attempt(user=candidate, exam=make_exam(items=MAX_ITEMS + 3))
    StarredQuestion.objects.bulk_create(
        StarredQuestion(user=candidate, question_id=pk)
        for pk in attempt.items.values_list("question_id", flat=True)
    )
    services.submit_attempt(attempt=attempt)
    assert stars.practice_starred(user=candidate).item_count == MAX_ITEMS


# --- The partial, as a page renders it, without JavaScript.


class FormReader(HTMLParser):
    """The forms of a page: action, method and fields (inputs and the submit button)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.buttons: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": {}})
        elif tag == "input" and self.forms:
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "button":
            self.buttons.append(attrs)


def render_button(attempt: Attempt, position: int, **extra) -> str:
    request = RequestFactory().get("/")
    request.user = attempt.user
    starred = position in stars.starred_positions(attempt)
    context = {"attempt": attempt, "position": position, "starred": starred, **extra}
    return render_to_string("quizzes/_star_button.html", context, request=request)


def visible_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_star_button_is_a_plain_form_that_works_without_javascript(client, candidate, result):
    html = render_button(result, 2)
    reader = FormReader()
    reader.feed(html)
    (form,) = reader.forms
    (button,) = reader.buttons
    assert form["attrs"]["method"] == "post" and form["attrs"]["action"] == star_url(result, 2)
    assert set(form["fields"]) == {"csrfmiddlewaretoken", "starred"}
    assert button["type"] == "submit" and button["aria-pressed"] == "false"
    assert "Star this question" in visible_text(html)
    assert "<script" not in html and not re.search(r"\son[a-z]+=", html)  # CSP: nothing inline

    # What a browser without scripts sends: the form's own fields.
    response = client.post(form["attrs"]["action"], form["fields"])
    assert response.status_code == 302 and starred_ids(candidate) == {question_at(result, 2)}

    html = render_button(result, 2)
    reader = FormReader()
    reader.feed(html)
    assert reader.buttons[0]["aria-pressed"] == "true"
    assert reader.forms[0]["fields"]["starred"] == "0"
    assert "Starred: remove star" in visible_text(html)
    client.post(reader.forms[0]["attrs"]["action"], reader.forms[0]["fields"])
    assert starred_ids(candidate) == set()


def test_the_star_button_takes_a_ready_made_action_and_a_return_page(client, candidate, result):
    html = render_button(result, 3, star_url="/ready/made/", star_next="/somewhere/")
    reader = FormReader()
    reader.feed(html)
    assert reader.forms[0]["attrs"]["action"] == "/ready/made/"
    assert reader.forms[0]["fields"]["next"] == "/somewhere/"


def test_the_star_script_is_served_as_a_file(client):
    from django.contrib.staticfiles import finders

    path = finders.find("js/star.js")
    assert path, "static/js/star.js is missing"
    with open(path, encoding="utf-8") as script:
        source = script.read()
    assert "data-star-form" in source and "application/json" in source


def test_home_links_to_the_starred_list_after_a_result(client, candidate, result):
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("quizzes:starred_list")}"' in home
