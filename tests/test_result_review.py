"""The result page built for review (issue 17, part 2): the summary and next steps first,
every item a collapsed line that opens to the choices with their letters, the answer, the
key, the feedback and the explanation; filters and jumps that need no script; a lead's
read-only copy; one cached body per attempt, whatever the filter."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from quizzes import result_page, services
from quizzes.models import Choice, Exam, Question, Selection
from tests.factories import answer, make_cohort, make_exam, make_lead, make_question, make_topic

pytestmark = pytest.mark.django_db

FEEDBACK = {"a": "Tempting, but a gift changes the relationship.", "c": "Right: say no kindly."}
LINE = (
    r'<li class="result-line (?P<classes>[^"]*)" id="item-{position}">'
    r"(?P<body>.*?)</details>\s*</li>"
)
CHOICE = re.compile(
    r'<li class="result-choice(?P<classes>[^"]*)">\s*<span class="choice-letter">(?P<letter>[A-F])'
    r'\.</span>\s*<div class="choice-body">(?P<body>.*?)</div>\s*</li>',
    re.S,
)


@pytest.fixture
def topics():
    """Two topics of four questions; the first question of the first has choice feedback."""
    gifts, records = make_topic("gifts", title="Gifts"), make_topic("records", title="Records")
    questions = [make_question(topic, correct="c") for topic in (gifts, records) for _ in range(4)]
    for key, text in FEEDBACK.items():
        Choice.objects.filter(question=questions[0], key=key).update(feedback=text)
    return gifts, records


@pytest.fixture
def exam(topics):
    return make_exam(items=8, minutes=30, title="Practice set")


@pytest.fixture
def finished(exam, candidate):
    """Submitted: the four gifts items wrong (the one with feedback answered "a"), the records
    items right but the last one blank (3 of 8 right); items 2 and 7 marked for review."""
    attempt = services.start_attempt(user=candidate, exam=exam, seed=3)
    for item in attempt.items.select_related("topic").order_by("position"):
        if item.topic.slug == "gifts":
            key = "a" if item.question.choices.filter(feedback__gt="").exists() else "d"
        elif item.position == max(i.position for i in attempt.items.filter(topic=item.topic)):
            key = ""
        else:
            key = item.correct_key
        if key:
            answer(attempt, item.position, key, sequence=item.position)
    for position in (2, 7):
        services.set_marked(attempt_id=attempt.pk, user=candidate, position=position, marked=True)
    return services.submit_attempt(attempt=attempt)


def result_url(attempt) -> str:
    return reverse("quizzes:attempt_result", args=[attempt.pk])


def line_of(page: str, position: int) -> re.Match:
    found = re.search(LINE.format(position=position), page, re.S)
    assert found, f"no line for item {position}"
    return found


def choices_of(page: str, position: int) -> list[re.Match]:
    return list(CHOICE.finditer(line_of(page, position)["body"]))


def item_with_feedback(attempt):
    return attempt.items.get(question__choices__feedback=FEEDBACK["a"])


# --- summary first -------------------------------------------------------------------------


def test_the_summary_and_next_steps_come_before_the_items(client, finished):
    page = client.get(result_url(finished)).text

    order = [
        page.index(f"Score: {finished.score} %"),
        page.index("3 of 8 correct"),
        page.index("Answered: 7 of 8 (2 marked for review)"),
        page.index("Time used:"),
        page.index("What to do next"),
        page.index('id="topics-heading"'),
        page.index('id="domains-heading"'),
        page.index('id="items-heading"'),
        page.index('id="item-1"'),
    ]
    assert order == sorted(order)


def test_next_steps_drill_the_weakest_topic_and_retake_the_mistakes(client, finished, topics):
    gifts, _ = topics
    drill = make_exam(items=4, topics={gifts: 1}, title="Drill: Gifts")
    make_exam(items=4, title="Retake my mistakes", selection=Selection.MISTAKES)

    page = client.get(result_url(finished)).text

    weakest = "Your weakest topic in this exam: <strong>Gifts</strong>, 0 of 4 right (0&nbsp;%)"
    assert weakest in page
    assert f'href="{gifts.get_absolute_url()}">Study notes' in page
    drill_form = page.index(f'action="{reverse("quizzes:start_exam", args=[drill.slug])}"')
    mistakes = Exam.objects.get(selection=Selection.MISTAKES)
    mistakes_form = page.index(f'action="{reverse("quizzes:start_exam", args=[mistakes.slug])}"')
    assert drill_form < mistakes_form < page.index("Take another exam") < page.index("By topic")


def test_a_perfect_attempt_suggests_no_weak_topic(client, candidate, exam):
    attempt = services.start_attempt(user=candidate, exam=exam)
    for item in attempt.items.all():
        answer(attempt, item.position, item.correct_key, sequence=item.position)
    services.submit_attempt(attempt=attempt)
    make_exam(items=4, title="Retake my mistakes", selection=Selection.MISTAKES)

    page = client.get(result_url(attempt)).text

    assert "Every item right" in page
    assert "weakest topic" not in page
    assert "/start/" not in page  # nothing to retake, no drill
    assert "Take another exam" in page


# --- the items ------------------------------------------------------------------------------


def test_every_item_is_one_collapsed_line_with_number_state_mark_and_topic(client, finished):
    page = client.get(result_url(finished)).text

    assert page.count('<details class="result-details">') == 8
    assert "<details open" not in page and 'class="result-details" open' not in page
    for item in finished.items.select_related("topic"):
        line = line_of(page, item.position)
        summary = re.search(r"<summary[^>]*>(.*?)</summary>", line["body"], re.S)[1]
        text = " ".join(re.sub(r"<[^>]+>", " ", summary).split())
        state = "Correct" if item.is_correct else "Incorrect" if item.chosen_key else "Not answered"
        assert text.startswith(f"Item {item.position} ")
        assert state in text
        assert item.topic.title in text
        assert ("Marked" in text) == item.marked
        assert ("is-marked" in line["classes"]) == item.marked


def test_the_choices_keep_their_letters_in_the_order_shown(client, finished):
    page = client.get(result_url(finished)).text

    for item in finished.items.all():
        shown = [(c["letter"], c["body"]) for c in choices_of(page, item.position)]
        assert [letter for letter, _ in shown] == list("ABCD")
        for (_, body), choice in zip(shown, item.choices, strict=True):
            assert choice["text"] in body


def test_the_chosen_answer_and_the_key_are_marked_in_words(client, finished):
    page = client.get(result_url(finished)).text

    for item in finished.items.all():
        for found, choice in zip(choices_of(page, item.position), item.choices, strict=True):
            is_key, is_chosen = choice["key"] == item.correct_key, choice["key"] == item.chosen_key
            assert ("(correct answer)" in found["body"]) == is_key
            assert ("(your answer)" in found["body"]) == is_chosen
            assert ("is-key" in found["classes"]) == is_key
            assert ("is-chosen-wrong" in found["classes"]) == (is_chosen and not is_key)
        if not item.chosen_key:
            assert "You did not answer this item" in line_of(page, item.position)["body"]
    body = line_of(page, 1)["body"]
    assert "<strong>Why:</strong>" in body
    assert finished.items.get(position=1).explanation in body
    assert "Report a problem with this question" in body


def test_each_choice_shows_its_own_feedback(client, finished):
    item = item_with_feedback(finished)

    page = client.get(result_url(finished)).text

    for found, choice in zip(choices_of(page, item.position), item.choices, strict=True):
        feedback = FEEDBACK.get(choice["key"])
        if feedback:
            assert f'<div class="choice-feedback small"><p>{feedback}</p>' in found["body"]
        else:
            assert "choice-feedback" not in found["body"]
    assert "edited or removed since this exam" not in line_of(page, item.position)["body"]


def test_new_feedback_for_an_unchanged_question_is_shown(client, finished):
    item = item_with_feedback(finished)
    client.get(result_url(finished))  # cached
    choice = item.question.choices.get(key="a")
    choice.feedback = "Better feedback."
    choice.save()  # moves the content version

    body = line_of(client.get(result_url(finished)).text, item.position)["body"]

    assert "Better feedback." in body
    assert FEEDBACK["a"] not in body


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda q: q.choices.filter(key="a").update(text="A new choice"), id="text"),
        pytest.param(lambda q: Question.objects.filter(pk=q.pk).update(stem="New?"), id="stem"),
        pytest.param(
            lambda q: (
                q.choices.update(is_correct=False),
                q.choices.filter(key="a").update(is_correct=True),
            ),
            id="key",
        ),
        pytest.param(lambda q: q.choices.filter(key="d").delete(), id="choice-removed"),
        pytest.param(lambda q: q.delete(), id="question-deleted"),
    ],
)
def test_a_question_changed_after_the_exam_shows_as_it_was_without_feedback(client, finished, edit):
    from crss_prep import page_cache

    item = item_with_feedback(finished)
    edit(item.question)
    page_cache.bump_content()  # bulk updates send no signals; the admin's paths bump

    body = line_of(client.get(result_url(finished)).text, item.position)["body"]

    assert "choice-feedback" not in body
    assert "edited or removed since this exam" in body
    for choice in item.choices:  # the snapshot, as the candidate saw it
        assert choice["text"] in body
    assert item.stem in body


# --- filters and jumps, without a script ------------------------------------------------------


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("incorrect", "incorrect"),
        ("unanswered", "unanswered"),
        ("marked", "marked"),
        ("all", "all"),
        ("everything", "all"),
        ("", "all"),
    ],
)
def test_show_picks_the_filter_on_the_server(client, finished, show, expected):
    page = client.get(result_url(finished), {"show": show}).text

    assert f'<section class="result-review" id="items" data-show="{expected}"' in page
    current = re.findall(r'data-filter="(\w+)"[^>]*aria-current="true"', page)
    assert current == [expected]


def test_each_filter_link_carries_its_count(client, finished):
    page = client.get(result_url(finished)).text

    labels = re.findall(r'href="\?show=(\w+)#items"[^>]*>(\w+) <span class="filter-count">', page)
    counts = dict(re.findall(r'data-filter="(\w+)" data-count="(\d+)"', page))
    assert [name for name, _ in labels] == ["all", "incorrect", "unanswered", "marked"]
    assert counts == {"all": "8", "incorrect": "5", "unanswered": "1", "marked": "2"}
    assert 'All <span class="filter-count">(8)</span>' in page
    assert 'Incorrect <span class="filter-count">(5)</span>' in page


def test_the_lines_carry_the_states_the_filters_hide_them_by(client, finished):
    page = client.get(result_url(finished)).text
    rules = (settings.BASE_DIR / "static" / "css" / "result.css").read_text(encoding="utf-8")

    for item in finished.items.all():
        classes = line_of(page, item.position)["classes"].split()
        state = "correct" if item.is_correct else "wrong" if item.chosen_key else "blank"
        assert f"is-{state}" in classes
    assert '[data-show="incorrect"] :is(.result-line, .jump-cell).is-correct' in rules
    assert '[data-show="unanswered"] :is(.result-line, .jump-cell):not(.is-blank)' in rules
    assert '[data-show="marked"] :is(.result-line, .jump-cell):not(.is-marked)' in rules


def test_an_empty_filter_says_so(client, candidate, exam):
    attempt = services.start_attempt(user=candidate, exam=exam)
    for item in attempt.items.all():
        answer(attempt, item.position, item.correct_key, sequence=item.position)
    services.submit_attempt(attempt=attempt)

    page = client.get(result_url(attempt), {"show": "marked"}).text

    assert '<p class="result-empty" data-empty-for="marked">No items were marked' in page
    assert 'data-empty-for="incorrect">No incorrect items' in page
    assert 'data-empty-for="all"' not in page


def test_a_grid_jumps_to_every_item_with_its_state_in_words(client, finished):
    page = client.get(result_url(finished)).text

    links = re.findall(
        r'<a class="jump-link" href="#item-(\d+)">\d+<span class="jump-symbol" aria-hidden="true">'
        r'&\w+;</span><span class="visually-hidden">, ([^<]+)</span></a>',
        page,
    )
    assert [int(position) for position, _ in links] == list(range(1, 9))
    for item in finished.items.all():
        spoken = dict(links)[str(item.position)]
        state = "correct" if item.is_correct else "incorrect" if item.chosen_key else "not answered"
        assert spoken == state + (", marked for review" if item.marked else "")
        assert f'id="item-{item.position}"' in page
    assert '<script src="/static/js/result-filter.js" defer></script>' in page


def test_a_report_returns_to_its_item(client, finished):
    response = client.post(
        reverse("quizzes:report_item", args=[finished.pk, 3]), {"reason": "unclear"}
    )

    assert response.url == f"{result_url(finished)}#item-3"


# --- a lead's read-only copy --------------------------------------------------------------------


def test_a_lead_sees_the_same_page_read_only_in_the_third_person(client, finished, topics):
    gifts, _ = topics
    make_exam(items=4, topics={gifts: 1}, title="Drill: Gifts")
    lead = make_lead()
    cohort = make_cohort(lead, members=[finished.user])
    client.force_login(lead)

    page = client.get(
        reverse("cohorts:learner_result", args=[cohort.pk, finished.user.pk, finished.pk]),
        {"show": "incorrect"},
    ).text

    assert page.index("Score: ") < page.index("Where to focus") < page.index('id="item-1"')
    assert "Their weakest topic in this exam: <strong>Gifts</strong>" in page
    assert "/start/" not in page and "Take another exam" not in page
    assert "Report a problem" not in page and 'name="reason"' not in page
    assert "(their answer)" in page and "(your answer)" not in page
    assert "They did not answer this item" in page
    assert 'data-show="incorrect"' in page
    assert page.count('<details class="result-details">') == 8
    item = item_with_feedback(finished)
    assert FEEDBACK["a"] in line_of(page, item.position)["body"]


# --- the cache ----------------------------------------------------------------------------------


def test_the_body_is_rendered_once_per_attempt_whatever_the_filter(client, finished, monkeypatch):
    calls = []
    render = result_page.render_body
    monkeypatch.setattr(
        result_page, "render_body", lambda *args, **kw: calls.append(kw) or render(*args, **kw)
    )

    for show in ("", "incorrect", "unanswered", "marked", "all", "nonsense"):
        assert client.get(result_url(finished), {"show": show} if show else {}).status_code == 200
    assert calls == [{"read_only": False, "starred": frozenset()}]

    lead = make_lead()
    cohort = make_cohort(lead, members=[finished.user])
    other = Client()
    other.force_login(lead)
    url = reverse("cohorts:learner_result", args=[cohort.pk, finished.user.pk, finished.pk])
    for show in ("", "incorrect", "marked"):
        assert other.get(url, {"show": show}).status_code == 200
    assert calls == [
        {"read_only": False, "starred": frozenset()},
        {"read_only": True, "starred": frozenset()},
    ]


def test_each_item_has_a_star_button_that_shows_its_state_after_a_star(client, finished):
    page = client.get(result_url(finished)).text
    star_form = re.search(
        r'<form method="post" id="star-form" data-star-form>.*?</form>', page, re.S
    )
    assert star_form and 'name="csrfmiddlewaretoken"' in star_form.group(0)
    assert page.count('form="star-form"') == 8
    assert 'aria-pressed="true"' not in line_of(page, 3)["body"]

    response = client.post(reverse("quizzes:star_item", args=[finished.pk, 3]), {"starred": "1"})
    assert response.status_code == 302
    assert response.url == f"{result_url(finished)}#item-3"
    page = client.get(result_url(finished)).text

    assert 'aria-pressed="true"' in line_of(page, 3)["body"]
    assert page.count('aria-pressed="true"') == 1
    assert f'formaction="{reverse("quizzes:star_item", args=[finished.pk, 3])}"' in page


def test_a_leads_copy_has_no_star_buttons(client, finished):
    lead = make_lead()
    cohort = make_cohort(lead, members=[finished.user])
    client.force_login(lead)
    url = reverse("cohorts:learner_result", args=[cohort.pk, finished.user.pk, finished.pk])

    page = client.get(url).text

    assert "star-form" not in page and "Star this question" not in page
