"""Each item of a result links to its own report page: the question as the candidate saw it
and the form (the cached result page carries no form, so no one's CSRF token)."""

import pytest
from django.urls import reverse

from quizzes import services
from tests.factories import make_bank, make_exam, make_user, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    make_bank(topics=1, per_topic=4)
    return make_exam(items=4)


def test_the_report_page_shows_the_item_as_seen_with_its_letters(client, exam):
    candidate = make_user()
    attempt = take(exam, candidate, right=1)
    item = attempt.items.get(position=2)
    client.force_login(candidate)

    page = client.get(reverse("quizzes:report_item", args=[attempt.pk, 2])).text

    assert "Report a problem with item 2" in page
    assert item.stem in page
    first_choice = item.choices[0]["text"]
    assert f'<span class="choice-letter">A.</span> {first_choice}' in page
    assert 'name="reason"' in page and "csrfmiddlewaretoken" in page


def test_an_open_attempt_cannot_be_reported_yet(client, exam):
    candidate = make_user()
    attempt = services.start_attempt(user=candidate, exam=exam)
    client.force_login(candidate)

    response = client.get(reverse("quizzes:report_item", args=[attempt.pk, 1]), follow=True)

    assert services.REPORT_BEFORE_SUBMIT in response.text


def test_another_candidates_item_and_an_unknown_item_are_not_found(client, exam):
    owner, other = make_user(), make_user()
    attempt = take(exam, owner, right=1)
    client.force_login(other)
    assert client.get(reverse("quizzes:report_item", args=[attempt.pk, 1])).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("quizzes:report_item", args=[attempt.pk, 99])).status_code == 404
