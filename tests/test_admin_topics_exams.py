"""Topic admin (notes with a safe rendered preview) and exam admin (topics inline)."""

import pytest

from quizzes.authoring import exam_forms as admin_exam_forms
from quizzes.authoring.admin import NOTES_NOT_SAVED
from quizzes.models import Exam, ExamTopic, Status, Topic
from tests.factories import make_exam, make_question, make_topic
from tests.markup import XSS_PAYLOADS, unsafe_markup

pytestmark = pytest.mark.django_db

EXAM_ADD_URL = "/admin/quizzes/exam/add/"


def topic_url(topic: Topic) -> str:
    return f"/admin/quizzes/topic/{topic.pk}/change/"


# --- topics ----------------------------------------------------------------------------------


def test_trainer_adds_a_topic(client, trainer):
    response = client.post(
        "/admin/quizzes/topic/add/",
        {"title": "Power dynamics", "slug": "power-dynamics", "source": "", "notes": "## Hi"},
    )

    assert response.status_code == 302
    assert Topic.objects.get(slug="power-dynamics").notes == "## Hi"


def test_topic_slug_must_be_a_slug(client, trainer):
    response = client.post(
        "/admin/quizzes/topic/add/", {"title": "Power", "slug": "Power_Dynamics", "notes": ""}
    )

    assert response.status_code == 200
    assert not Topic.objects.exists()


def test_topic_page_shows_the_notes_rendered(client, trainer):
    topic = make_topic(notes="## Why it matters\n\nKeep **boundaries** clear.\n\n- one\n- two")

    text = client.get(topic_url(topic)).text

    assert '<div class="markdown-preview"><h2>Why it matters</h2>' in text
    assert "<strong>boundaries</strong>" in text
    assert "<li>one</li>" in text


def test_add_topic_page_explains_the_preview_comes_after_saving(client, trainer):
    assert NOTES_NOT_SAVED in client.get("/admin/quizzes/topic/add/").text


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_topic_notes_preview_neutralises_xss(client, trainer, payload):
    topic = make_topic(notes=f"Intro\n\n{payload}\n\nOutro")

    response = client.get(topic_url(topic))

    assert response.status_code == 200
    assert unsafe_markup(response.text) == []


def test_topic_list_counts_questions(client, trainer):
    topic = make_topic("counted")
    for _ in range(3):
        make_question(topic)

    response = client.get("/admin/quizzes/topic/")

    row = next(row for row in response.context["cl"].result_list if row.pk == topic.pk)
    assert row.question_total == 3


def test_trainer_cannot_delete_a_topic(client, trainer):
    topic = make_topic()

    assert client.get(f"/admin/quizzes/topic/{topic.pk}/delete/").status_code == 403


# --- exams -----------------------------------------------------------------------------------


def exam_data(*, weights: list[tuple[Topic, int]] = (), **fields) -> dict:
    data = {
        "title": "Boundaries drill",
        "slug": "boundaries-drill",
        "description": "",
        "status": Status.PUBLISHED,
        "position": 1,
        "item_count": 2,
        "minutes": 10,
        "pass_mark": 68,
        "selection": "weighted",
        "topic_weights-TOTAL_FORMS": len(weights),
        "topic_weights-INITIAL_FORMS": 0,
        "topic_weights-MIN_NUM_FORMS": 0,
        "topic_weights-MAX_NUM_FORMS": 1000,
    }
    for index, (topic, weight) in enumerate(weights):
        data[f"topic_weights-{index}-topic"] = topic.pk
        data[f"topic_weights-{index}-weight"] = weight
    data.update(fields)
    if data.pop("all_topics", False):
        data["all_topics"] = "on"
    return data


def exam_errors(response) -> list[str]:
    form = response.context["adminform"].form
    errors = [message for messages in form.errors.values() for message in messages]
    for inline in response.context["inline_admin_formsets"]:
        errors.extend(inline.formset.non_form_errors())
        for topic_form in inline.formset.forms:
            errors.extend(m for messages in topic_form.errors.values() for m in messages)
    return errors


@pytest.fixture
def topic():
    topic = make_topic("boundaries")
    for _ in range(3):
        make_question(topic)
    return topic


def test_trainer_adds_an_exam_with_weighted_topics(client, trainer, topic):
    other = make_topic("power")
    make_question(other)

    response = client.post(EXAM_ADD_URL, exam_data(weights=[(topic, 3), (other, 1)]))

    assert response.status_code == 302, exam_errors(response)
    exam = Exam.objects.get(slug="boundaries-drill")
    assert not exam.all_topics
    assert sorted(exam.topic_weights.values_list("topic__slug", "weight")) == [
        ("boundaries", 3),
        ("power", 1),
    ]


def test_exam_over_all_topics_needs_no_weights(client, trainer, topic):
    response = client.post(EXAM_ADD_URL, exam_data(all_topics=True))

    assert response.status_code == 302, exam_errors(response)
    assert Exam.objects.get().all_topics


def test_exam_with_all_topics_and_weights_is_refused(client, trainer, topic):
    response = client.post(EXAM_ADD_URL, exam_data(all_topics=True, weights=[(topic, 1)]))

    assert exam_errors(response) == [admin_exam_forms.EXAM_TOPICS_BOTH]
    assert not Exam.objects.exists()


def test_exam_with_no_topics_is_refused(client, trainer, topic):
    response = client.post(EXAM_ADD_URL, exam_data())

    assert exam_errors(response) == [admin_exam_forms.EXAM_TOPICS_NONE]


def test_exam_listing_a_topic_twice_is_refused(client, trainer, topic):
    response = client.post(EXAM_ADD_URL, exam_data(weights=[(topic, 1), (topic, 2)]))

    assert exam_errors(response) == [admin_exam_forms.EXAM_TOPIC_TWICE.format(topic=topic)]


def test_published_exam_larger_than_its_pool_is_refused(client, trainer, topic):
    response = client.post(EXAM_ADD_URL, exam_data(item_count=4, weights=[(topic, 1)]))

    assert exam_errors(response) == [
        admin_exam_forms.EXAM_TOO_FEW_QUESTIONS.format(items=4, available=3)
    ]


def test_draft_exam_may_be_larger_than_its_pool(client, trainer, topic):
    data = exam_data(item_count=4, status=Status.DRAFT, weights=[(topic, 1)])

    response = client.post(EXAM_ADD_URL, data)

    assert response.status_code == 302, exam_errors(response)


def test_exam_longer_than_a_day_is_refused(client, trainer, topic):
    response = client.post(EXAM_ADD_URL, exam_data(minutes=24 * 60 + 1, weights=[(topic, 1)]))

    assert response.status_code == 200
    assert "minutes" in response.context["adminform"].form.errors


def test_trainer_removes_a_topic_from_an_exam(client, trainer, topic):
    other = make_topic("power")
    make_question(other)
    exam = make_exam(items=1, topics={topic: 1, other: 1}, slug="drill")
    rows = list(exam.topic_weights.order_by("topic__slug"))
    data = exam_data(slug="drill", item_count=1)
    data |= {"topic_weights-TOTAL_FORMS": 2, "topic_weights-INITIAL_FORMS": 2}
    for index, row in enumerate(rows):
        data |= {
            f"topic_weights-{index}-id": row.pk,
            f"topic_weights-{index}-exam": exam.pk,
            f"topic_weights-{index}-topic": row.topic_id,
            f"topic_weights-{index}-weight": row.weight,
        }
    data["topic_weights-1-DELETE"] = "on"

    response = client.post(f"/admin/quizzes/exam/{exam.pk}/change/", data)

    assert response.status_code == 302, exam_errors(response)
    assert list(ExamTopic.objects.filter(exam=exam).values_list("topic__slug", flat=True)) == [
        "boundaries"
    ]


def test_trainer_cannot_delete_an_exam(client, trainer):
    exam = make_exam(items=1)

    assert client.get(f"/admin/quizzes/exam/{exam.pk}/delete/").status_code == 403
