"""A form that starts a practice session, sent twice (a double tap while a slow connection
seems to do nothing, or a retry), starts one session: each start form carries a one-time
token (quizzes/start_tokens.py)."""

import re
import uuid

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt, StarredQuestion
from quizzes.practice import PracticeRequest, start_practice
from tests.factories import make_bank, make_user

pytestmark = pytest.mark.django_db

BUILDER_URL = reverse("quizzes:practice_builder")
STARRED_URL = reverse("quizzes:practice_starred")
TOKEN_FIELD = re.compile(r'<input type="hidden" name="start_token" value="([0-9a-f-]{36})"')


@pytest.fixture
def topics():
    return make_bank(topics=2, per_topic=8)


def builder_data(topics, token=None) -> dict:
    data = {"count": 5, "which": "any", "timing": "untimed", "feedback": "end"}
    data |= {"topics": [topics[0].pk]}
    return data | ({"start_token": token} if token else {})


def sessions_of(user) -> list[Attempt]:
    return list(Attempt.objects.for_user(user))


def test_the_builder_sent_twice_starts_one_session(client, candidate, topics):
    token = TOKEN_FIELD.search(client.get(BUILDER_URL).text)[1]

    first = client.post(BUILDER_URL, builder_data(topics, token))
    second = client.post(BUILDER_URL, builder_data(topics, token))

    (session,) = sessions_of(candidate)
    assert first.url == second.url == session.get_absolute_url()
    assert str(session.start_token) == token


def test_each_view_of_a_start_form_carries_a_new_token(client, candidate, topics):
    tokens = {TOKEN_FIELD.search(client.get(BUILDER_URL).text)[1] for _ in range(2)}

    assert len(tokens) == 2
    assert 'autocomplete="off"' in client.get(BUILDER_URL).text


def test_two_forms_start_two_sessions(client, candidate, topics):
    client.post(BUILDER_URL, builder_data(topics, str(uuid.uuid4())))
    client.post(BUILDER_URL, builder_data(topics, str(uuid.uuid4())))

    assert len(sessions_of(candidate)) == 2


@pytest.mark.parametrize("token", [None, "", "not-a-token", "1" * 200])
def test_a_form_without_a_usable_token_still_starts_a_session(client, candidate, topics, token):
    response = client.post(BUILDER_URL, builder_data(topics, token))

    (session,) = sessions_of(candidate)
    assert response.url == session.get_absolute_url()
    assert session.start_token is None


def test_a_token_whose_session_is_finished_starts_a_new_one(client, candidate, topics):
    token = str(uuid.uuid4())
    client.post(BUILDER_URL, builder_data(topics, token))
    (finished,) = sessions_of(candidate)
    services.submit_attempt(attempt=finished)

    # The builder sent again from the browser's history, after the session was done.
    response = client.post(BUILDER_URL, builder_data(topics, token))

    new = Attempt.objects.for_user(candidate).in_progress().get()
    assert response.url == new.get_absolute_url()
    assert new.pk != finished.pk
    assert new.start_token is None


def test_a_token_is_the_candidates_own(topics):
    token = uuid.uuid4()
    request = PracticeRequest(count=5, topic_ids=frozenset({topics[0].pk}))
    mine = start_practice(user=make_user("first"), request=request, start_token=token)

    theirs = start_practice(user=make_user("second"), request=request, start_token=token)

    assert theirs.pk != mine.pk
    assert theirs.user.username == "second"


def test_the_starred_practice_sent_twice_starts_one_session(client, candidate, topics):
    question = topics[0].questions.first()
    StarredQuestion.objects.create(user=candidate, question=question)
    token = TOKEN_FIELD.search(client.get(reverse("quizzes:starred_list")).text)[1]

    first = client.post(STARRED_URL, {"start_token": token})
    second = client.post(STARRED_URL, {"start_token": token})

    (session,) = sessions_of(candidate)
    assert first.url == second.url == session.get_absolute_url()
