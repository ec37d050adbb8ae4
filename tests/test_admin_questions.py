"""Question admin: every validation rule with its message, a safe save order for choices,
the list, the actions and the candidate's-eye preview."""

import io
import re
import zipfile

import pytest
import yaml
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages

from quizzes.authoring import forms as admin_forms
from quizzes.authoring.admin import (
    EXPORTED,
    NOT_PUBLISHED,
    NOT_RETIRED,
    ONE_QUESTION,
    PARTIAL_FILE_HEADER,
    PUBLISHED,
    RETIRED,
)
from quizzes.authoring.forms import ChoiceDraft, choice_rule_errors
from quizzes.bank_summary import bank_summary
from quizzes.models import Choice, Question, Status
from quizzes.question_rules import (
    correct_choice_problem,
    explanation_problem,
    identical_choices_problem,
    shared_key_problems,
)
from tests.factories import make_question, make_topic, make_user
from tests.markup import XSS_PAYLOADS, unsafe_markup
from tests.question_forms import change_data, form_data

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/quizzes/question/add/"
LIST_URL = "/admin/quizzes/question/"


@pytest.fixture
def topic():
    return make_topic("boundaries", title="Boundaries", source="Boundaries article")


def change_url(question: Question) -> str:
    return f"/admin/quizzes/question/{question.pk}/change/"


def preview_url(question: Question) -> str:
    return f"/admin/quizzes/question/{question.pk}/preview/"


def stored_choices(question: Question) -> list[tuple[str, str, bool]]:
    return list(question.choices.order_by("key").values_list("key", "text", "is_correct"))


def page_errors(response) -> list[str]:
    """Every error message the change form shows: the question's and the choices'."""
    form = response.context["adminform"].form
    errors = [message for messages in form.errors.values() for message in messages]
    for inline in response.context["inline_admin_formsets"]:
        errors.extend(inline.formset.non_form_errors())
        for choice_form in inline.formset.forms:
            errors.extend(m for messages in choice_form.errors.values() for m in messages)
    return errors


FOUR_CHOICES = [
    ("a", "Accept the request", False),
    ("b", "Decline kindly and explain the boundary", True),
    ("c", "Ignore it", False),
    ("d", "Ask your supervisor to accept instead", False),
]


# --- the choice rules, pure -----------------------------------------------------------------


def drafts(*rows: tuple[str, str, bool]) -> list[ChoiceDraft]:
    return [ChoiceDraft(key, text, correct) for key, text, correct in rows]


def this_question(problem: str | None) -> str:
    """A question rule's words as the admin form shows them."""
    return admin_forms.THIS_QUESTION.format(problem=problem)


def unexplained(status: Status) -> str:
    return this_question(explanation_problem("", status))


def test_valid_choices_break_no_rule():
    assert choice_rule_errors(drafts(("a", "Yes", False), ("b", "No", True))) == []


def test_every_broken_rule_is_named_at_once():
    errors = choice_rule_errors(drafts(("a", "Same", True), ("a", " same ", True)))

    assert errors == [
        this_question(correct_choice_problem(2)),
        this_question(shared_key_problems("aa")[0]),
        this_question(identical_choices_problem(["a", "a"])),
    ]


# --- adding a question ----------------------------------------------------------------------


def test_trainer_adds_a_question_with_its_choices(client, trainer, topic):
    response = client.post(ADD_URL, form_data(topic, FOUR_CHOICES))

    assert response.status_code == 302
    question = Question.objects.get(external_id="boundaries-001")
    assert stored_choices(question) == FOUR_CHOICES
    assert question.status == Status.DRAFT


def test_add_page_offers_four_blank_choices_with_their_letters(client, trainer):
    response = client.get(ADD_URL)

    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.initial.get("key") for form in formset.forms] == ["a", "b", "c", "d"]


def test_two_correct_choices_are_refused_with_the_count(client, trainer, topic):
    choices = [*FOUR_CHOICES[:3], ("d", "Ask your supervisor", True)]

    response = client.post(ADD_URL, form_data(topic, choices))

    assert response.status_code == 200
    assert "This question has 2 choices marked correct; mark exactly one." in page_errors(response)
    assert "This question has 2 choices marked correct; mark exactly one." in response.text
    assert not Question.objects.exists()


def test_no_correct_choice_is_refused(client, trainer, topic):
    choices = [(key, text, False) for key, text, _ in FOUR_CHOICES]

    response = client.post(ADD_URL, form_data(topic, choices))

    assert page_errors(response) == [this_question(correct_choice_problem(0))]
    assert not Question.objects.exists()


def test_one_choice_is_too_few(client, trainer, topic):
    response = client.post(ADD_URL, form_data(topic, [("a", "Only answer", True)]))

    assert page_errors(response) == ["This question has 1 choice; a question needs 2 to 6."]


def test_seven_choices_are_too_many(client, trainer, topic):
    choices = [(key, f"Answer {key}", key == "a") for key in "abcdef"] + [("a", "Extra", False)]

    response = client.post(ADD_URL, form_data(topic, choices))

    assert "This question has 7 choices; a question needs 2 to 6." in page_errors(response)
    assert not Question.objects.exists()


def test_identical_choice_texts_are_refused_whatever_the_case_and_spacing(client, trainer, topic):
    choices = [*FOUR_CHOICES[:3], ("d", "  ignore   IT ", False)]

    response = client.post(ADD_URL, form_data(topic, choices))

    assert page_errors(response) == [
        "This question has choices c and d with the same text; make each choice different."
    ]


def test_two_choices_with_the_same_key_are_refused(client, trainer, topic):
    choices = [*FOUR_CHOICES[:3], ("a", "Something else", False)]

    response = client.post(ADD_URL, form_data(topic, choices))

    assert page_errors(response) == [
        "This question has 2 choices keyed 'a'; give each choice its own letter, a to f."
    ]


def test_a_key_outside_a_to_f_is_refused(client, trainer, topic):
    choices = [*FOUR_CHOICES[:3], ("g", "Something else", False)]

    response = client.post(ADD_URL, form_data(topic, choices))

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Question.objects.exists()


def test_published_question_needs_an_explanation(client, trainer, topic):
    data = form_data(topic, FOUR_CHOICES, status=Status.PUBLISHED, explanation="")

    response = client.post(ADD_URL, data)

    assert page_errors(response) == [unexplained(Status.PUBLISHED)]
    assert not Question.objects.exists()


def test_retired_question_needs_an_explanation_too(client, trainer, topic):
    data = form_data(topic, FOUR_CHOICES, status=Status.RETIRED, explanation="")

    response = client.post(ADD_URL, data)

    assert page_errors(response) == [unexplained(Status.RETIRED)]


def test_draft_may_go_without_an_explanation(client, trainer, topic):
    response = client.post(ADD_URL, form_data(topic, FOUR_CHOICES, explanation=""))

    assert response.status_code == 302
    assert Question.objects.get().explanation == ""


def test_blank_source_takes_the_topics_source(client, trainer, topic):
    client.post(ADD_URL, form_data(topic, FOUR_CHOICES))

    assert Question.objects.get().source == "Boundaries article"


def test_tags_are_typed_with_commas(client, trainer, topic):
    client.post(ADD_URL, form_data(topic, FOUR_CHOICES, tags="supervision, social-media"))

    assert Question.objects.get().tags == ["supervision", "social-media"]


def test_a_tag_that_is_not_a_slug_is_refused(client, trainer, topic):
    response = client.post(ADD_URL, form_data(topic, FOUR_CHOICES, tags="Social Media"))

    assert page_errors(response) == [
        "Tag 'Social Media' is not valid: use lowercase letters, digits and single hyphens."
    ]


def test_an_id_that_is_not_a_slug_is_refused(client, trainer, topic):
    response = client.post(ADD_URL, form_data(topic, FOUR_CHOICES, external_id="Bad id"))

    assert response.status_code == 200
    assert not Question.objects.exists()


# --- changing a question: the save order ----------------------------------------------------


@pytest.fixture
def question(topic):
    return make_question(topic, correct="b", keys="abcd", status=Status.PUBLISHED)


def test_moving_the_correct_mark_from_b_to_a_saves(client, trainer, question):
    data = change_data(question, {"a": {"is_correct": True}, "b": {"is_correct": False}})

    response = client.post(change_url(question), data)

    assert response.status_code == 302, page_errors(response)
    assert [key for key, _, correct in stored_choices(question) if correct] == ["a"]


def test_moving_the_correct_mark_from_b_to_d_saves(client, trainer, question):
    data = change_data(question, {"d": {"is_correct": True}, "b": {"is_correct": False}})

    response = client.post(change_url(question), data)

    assert response.status_code == 302, page_errors(response)
    assert [key for key, _, correct in stored_choices(question) if correct] == ["d"]


def test_swapping_two_keys_saves(client, trainer, question):
    before = dict((key, text) for key, text, _ in stored_choices(question))

    response = client.post(
        change_url(question), change_data(question, {"a": {"key": "b"}, "b": {"key": "a"}})
    )

    assert response.status_code == 302, page_errors(response)
    after = dict((key, text) for key, text, _ in stored_choices(question))
    assert after == {**before, "a": before["b"], "b": before["a"]}
    assert [key for key, _, correct in stored_choices(question) if correct] == ["a"]


def test_rotating_every_key_saves(client, trainer, question):
    rotation = {"a": "b", "b": "c", "c": "d", "d": "a"}

    response = client.post(
        change_url(question),
        change_data(question, {old: {"key": new} for old, new in rotation.items()}),
    )

    assert response.status_code == 302, page_errors(response)
    assert [key for key, _, correct in stored_choices(question) if correct] == ["c"]


def test_swapping_two_texts_saves(client, trainer, question):
    texts = dict((key, text) for key, text, _ in stored_choices(question))

    response = client.post(
        change_url(question),
        change_data(question, {"a": {"text": texts["c"]}, "c": {"text": texts["a"]}}),
    )

    assert response.status_code == 302, page_errors(response)
    after = dict((key, text) for key, text, _ in stored_choices(question))
    assert (after["a"], after["c"]) == (texts["c"], texts["a"])


def test_removing_the_correct_choice_and_marking_another_saves(client, trainer, question):
    data = change_data(question, {"b": {"DELETE": True}, "c": {"is_correct": True}})

    response = client.post(change_url(question), data)

    assert response.status_code == 302, page_errors(response)
    assert [(key, correct) for key, _, correct in stored_choices(question)] == [
        ("a", False),
        ("c", True),
        ("d", False),
    ]


def test_rewritten_choices_keep_their_ids(client, trainer, question):
    ids = dict(question.choices.values_list("key", "pk"))

    client.post(
        change_url(question),
        change_data(question, {"a": {"is_correct": True}, "b": {"is_correct": False}}),
    )

    assert dict(question.choices.values_list("key", "pk")) == ids


def test_a_change_that_breaks_a_rule_changes_nothing(client, trainer, question):
    before = stored_choices(question)

    response = client.post(change_url(question), change_data(question, {"a": {"is_correct": True}}))

    assert page_errors(response) == [this_question(correct_choice_problem(2))]
    assert stored_choices(question) == before


def test_removing_choices_below_two_is_refused(client, trainer, topic):
    question = make_question(topic, correct="a", keys="abc")

    response = client.post(
        change_url(question), change_data(question, {"b": {"DELETE": True}, "c": {"DELETE": True}})
    )

    assert page_errors(response) == ["This question has 1 choice; a question needs 2 to 6."]
    assert question.choices.count() == 3


def test_editing_only_the_stem_leaves_the_choices_alone(client, trainer, question):
    before = list(question.choices.values_list("pk", "key", "text", "is_correct"))

    response = client.post(change_url(question), change_data(question, stem="A clearer stem?"))

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.stem == "A clearer stem?"
    assert list(question.choices.values_list("pk", "key", "text", "is_correct")) == before


def test_unpublishing_the_explanation_of_a_published_question_is_refused(client, trainer, question):
    response = client.post(change_url(question), change_data(question, explanation=""))

    assert page_errors(response) == [unexplained(Status.PUBLISHED)]


# --- the list -------------------------------------------------------------------------------


def test_list_shows_id_stem_kind_status_and_empty_statistics(client, trainer, question):
    response = client.get(LIST_URL)

    assert response.status_code == 200
    text = response.text
    assert question.external_id in text
    assert question.stem in text
    assert question.get_kind_display() in text
    assert "times answered" in text.lower() and "% correct" in text
    assert "—" in text
    assert f'href="{preview_url(question)}"' in text


def test_list_offers_import_and_export_buttons(client, trainer):
    text = client.get(LIST_URL).text

    assert 'href="/admin/quizzes/question/import/"' in text
    assert 'href="/admin/quizzes/question/export/"' in text


def test_list_searches_ids_and_stem_text(client, trainer, topic):
    wanted = make_question(topic, stem="Your former partner joins your group.")
    other = make_question(topic, stem="Something unrelated.")

    by_text = client.get(LIST_URL, {"q": "former partner"}).context["cl"].result_list
    by_id = client.get(LIST_URL, {"q": other.external_id}).context["cl"].result_list

    assert list(by_text) == [wanted]
    assert list(by_id) == [other]


def test_list_filters_by_topic_domain_kind_and_status(client, trainer, topic):
    other_topic = make_topic("power")
    recall = make_question(topic, kind="recall", domain="advocacy", status=Status.DRAFT)
    make_question(other_topic, kind="application", domain="mentoring")

    filters = {
        "topic__id__exact": topic.pk,
        "domain__exact": "advocacy",
        "kind__exact": "recall",
        "status__exact": "draft",
    }
    for name, value in filters.items():
        results = client.get(LIST_URL, {name: value}).context["cl"].result_list
        assert list(results) == [recall], name


def test_trainer_gets_no_delete_action(client, trainer, question):
    actions = client.get(LIST_URL).context["action_form"].fields["action"].choices

    assert "delete_selected" not in [name for name, _ in actions]
    assert {"publish", "retire", "export_selected"} <= {name for name, _ in actions}


# --- actions --------------------------------------------------------------------------------


def run_action(client, action: str, questions: list[Question]):
    return client.post(
        LIST_URL,
        {"action": action, "_selected_action": [q.pk for q in questions], "index": 0},
        follow=action != "export_selected",
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_publish_refuses_questions_without_explanation_and_names_them(client, trainer, topic):
    ready = make_question(topic, status=Status.DRAFT)
    unexplained = make_question(topic, status=Status.DRAFT, explanation="")

    response = run_action(client, "publish", [ready, unexplained])

    ready.refresh_from_db()
    unexplained.refresh_from_db()
    assert ready.status == Status.PUBLISHED
    assert unexplained.status == Status.DRAFT
    refusal = NOT_PUBLISHED.format(
        ids=unexplained.external_id,
        subject=ONE_QUESTION,
        problem=explanation_problem("", Status.PUBLISHED),
    )
    assert refusal in response.text.replace("&#x27;", "'")
    assert PUBLISHED.format(count=1) in response.text


def test_publish_refuses_a_question_without_a_correct_choice(client, trainer, topic):
    broken = make_question(topic, status=Status.DRAFT)
    broken.choices.update(is_correct=False)

    response = run_action(client, "publish", [broken])

    broken.refresh_from_db()
    assert broken.status == Status.DRAFT
    assert broken.external_id in response.text
    assert "Published" not in messages_of(response)[-1]


def test_retire_takes_questions_out_of_the_pool(client, trainer, question):
    assert bank_summary().topics[0].published_count == 1  # cached before the action
    response = run_action(client, "retire", [question])

    question.refresh_from_db()
    assert question.status == Status.RETIRED
    assert bank_summary().topics[0].published_count == 0
    assert RETIRED.format(count=1) in response.text.replace("&#x27;", "'")


def test_retire_leaves_a_draft_without_explanation_as_it_is(client, trainer, topic):
    draft = make_question(topic, status=Status.DRAFT, explanation="")

    response = run_action(client, "retire", [draft])

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    refusal = NOT_RETIRED.format(
        ids=draft.external_id, subject=ONE_QUESTION, problem=explanation_problem("", Status.RETIRED)
    )
    assert refusal in response.text


def test_actions_are_logged_in_the_admin_history(client, trainer, question):
    run_action(client, "retire", [question])

    entry = LogEntry.objects.get(object_id=str(question.pk))
    assert entry.user == trainer
    assert "Retired" in entry.change_message


def test_export_selected_from_one_topic_downloads_a_yaml_file(client, trainer, topic, question):
    other = make_question(topic)

    response = run_action(client, "export_selected", [question, other])

    assert response["Content-Disposition"] == 'attachment; filename="boundaries.yaml"'
    document = yaml.safe_load(response.content)
    assert [q["id"] for q in document["questions"]] == sorted(
        [question.external_id, other.external_id]
    )
    assert not response.content.decode().startswith("#")
    assert messages_of(response) == [EXPORTED.format(count=2)]


def test_export_of_part_of_a_topic_warns_that_loading_it_retires_the_rest(
    client, trainer, topic, question
):
    make_question(topic)

    response = run_action(client, "export_selected", [question])

    assert response.content.decode().startswith(PARTIAL_FILE_HEADER)
    notes = messages_of(response)
    assert notes[0] == EXPORTED.format(count=1)
    assert "retires that topic's other questions" in notes[0]
    assert "boundaries" in notes[1]


def test_export_selected_from_several_topics_downloads_a_zip(client, trainer, question):
    elsewhere = make_question(make_topic("power"))

    response = run_action(client, "export_selected", [question, elsewhere])

    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["boundaries.yaml", "power.yaml"]


# --- preview --------------------------------------------------------------------------------


def test_change_page_links_to_the_preview(client, trainer, question):
    assert f'href="{preview_url(question)}"' in client.get(change_url(question)).text


def test_preview_shows_stem_and_choices_with_no_answer_marked(client, trainer, question):
    response = client.get(preview_url(question))

    assert response.status_code == 200
    assert response.templates[0].name == "admin/quizzes/question/preview.html"
    text = response.text
    assert question.stem in text
    for choice in question.choices.all():
        assert choice.text in text
    assert text.count('type="radio"') == 4
    assert len(re.findall(r'<input type="radio"[^>]* disabled>', text)) == 4
    assert "checked" not in text
    candidate_view = text.split('class="candidate-view"', 1)[1].split("</section>", 1)[0]
    assert "correct" not in candidate_view.lower()


def test_preview_renders_markdown(client, trainer, topic):
    question = make_question(topic, stem="Which is **best**?")
    Choice.objects.filter(question=question, key="a").update(text="Call *your* supervisor")

    text = client.get(preview_url(question)).text

    assert "<strong>best</strong>" in text
    assert "Call <em>your</em> supervisor" in text


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_preview_neutralises_xss_in_every_field(client, trainer, topic, payload):
    question = make_question(topic, stem=payload, explanation=payload)
    Choice.objects.filter(question=question, key="a").update(text=payload)

    response = client.get(preview_url(question))

    assert response.status_code == 200
    assert unsafe_markup(response.text) == []


def test_preview_of_unknown_question_is_404(client, trainer):
    assert client.get("/admin/quizzes/question/999999/preview/").status_code == 404


def test_candidate_cannot_open_the_preview(client, question):
    client.force_login(make_user("candidate"))

    response = client.get(preview_url(question))

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
