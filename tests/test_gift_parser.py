"""GIFT parsing (pure): Moodle's own fixture files, escapes, formats, types and line numbers."""

import pytest

from quizzes.authoring.gift.parser import (
    UNBALANCED_BRACES,
    FormattedText,
    GiftAnswer,
    GiftCategory,
    GiftQuestion,
    QuestionType,
    TextFormat,
    escape,
    parse_gift,
    unescape,
)
from tests.moodle import moodle_fixture

HTML, MARKDOWN, MOODLE, PLAIN = (
    TextFormat.HTML,
    TextFormat.MARKDOWN,
    TextFormat.MOODLE,
    TextFormat.PLAIN,
)


def moodle_items(name: str) -> list[GiftQuestion | GiftCategory]:
    return parse_gift(moodle_fixture(name).read_text(encoding="utf-8"))


def question(text: str) -> GiftQuestion:
    """The single question a GIFT text holds."""
    (item,) = parse_gift(text)
    assert isinstance(item, GiftQuestion)
    return item


def answer(text: str, correct: bool = False, feedback: str = "", fmt=MOODLE) -> GiftAnswer:
    return GiftAnswer(FormattedText(text, fmt), correct, None, FormattedText(feedback, fmt))


def test_moodle_questions_file_gives_each_question_its_type_title_and_start_line():
    items = moodle_items("questions.gift.txt")

    assert [(q.line, q.title, q.type) for q in items] == [
        (2, "Q8", QuestionType.ESSAY),
        (5, "Moodle activities", QuestionType.MATCHING),
        (14, "Q2", QuestionType.MULTIPLE_CHOICE),
        (22, "colours", QuestionType.MULTIPLE_CHOICE),
        (31, "Q5", QuestionType.NUMERICAL),
        (34, "Shortanswer", QuestionType.SHORT_ANSWER),
        (41, "Q1", QuestionType.TRUE_FALSE),
        (46, "2-08 TSL", QuestionType.TRUE_FALSE),
        (49, "2-08 TSL", QuestionType.TRUE_FALSE),
    ]
    assert [q.comments for q in items][:3] == [
        ("essay",),
        ("question: 2  name: Moodle activities",),
        ("multiple choice with specified feedback for right and wrong answers",),
    ]


def test_moodle_multiple_choice_keeps_per_answer_formats_and_feedback():
    q2 = moodle_items("questions.gift.txt")[2]

    assert q2.stem == FormattedText("What's between orange and green in the spectrum?", MOODLE)
    assert q2.answers == (
        answer("yellow", True, "right; good!"),
        GiftAnswer(
            FormattedText("red", MOODLE), False, None, FormattedText("wrong, it's yellow", HTML)
        ),
        GiftAnswer(
            FormattedText("blue", PLAIN),
            False,
            None,
            FormattedText("wrong, it's yellow", MOODLE),
        ),
    )
    assert q2.general_feedback is None
    assert not q2.is_missing_word


def test_moodle_weighted_answers_carry_their_weights():
    colours = moodle_items("questions.gift.txt")[3]

    assert [(a.text.text, a.weight, a.correct) for a in colours.answers] == [
        ("yellow", 50.0, False),
        ("red", -100.0, False),
        ("off-beige", 50.0, False),
        ("blue", -100.0, False),
    ]
    assert colours.answers[3].text.format == PLAIN


def test_moodle_true_false_feedback_goes_to_the_answer_it_is_shown_for():
    q1 = moodle_items("questions.gift.txt")[6]

    # {FALSE#wrong#right}: the first feedback is for whoever answers True.
    assert [(a.text, a.correct, a.feedback) for a in q1.answers] == [
        (FormattedText("True", PLAIN), False, FormattedText("42 is the Ultimate Answer.", MOODLE)),
        (FormattedText("False", PLAIN), True, FormattedText("You gave the right answer.", MOODLE)),
    ]
    assert q1.general_feedback == FormattedText(
        "This is, of course, a Hitchiker's Guide to the Galaxy reference.", MOODLE
    )


def test_moodle_stray_text_after_a_closing_brace_is_not_a_missing_word():
    items = moodle_items("questions.gift.txt")
    q5, q1 = items[4], items[6]

    assert (q5.text_after_answers, q1.text_after_answers) == ('";', '";')
    assert not q1.is_missing_word


def test_moodle_true_false_short_forms():
    tsl, tsl_again = moodle_items("questions.gift.txt")[7:]

    assert [a.correct for a in tsl.answers] == [True, False]
    assert [a.correct for a in tsl_again.answers] == [True, False]
    assert tsl.stem.text == "TSL is blablabla."


def test_moodle_category_file_reads_category_html_and_escapes():
    items = moodle_items("questions_in_category.gift.txt")

    assert items[0] == GiftCategory(2, "$course$/Default for New Features")
    assert items[0].last_segment == "Default for New Features"
    assert [(q.line, q.title, q.type) for q in items[1:]] == [
        (5, "Moodle activities", QuestionType.MATCHING),
        (14, "Greeting", QuestionType.MULTIPLE_CHOICE),
        (22, "Moodle user", QuestionType.SHORT_ANSWER),
        (27, "Moodle acronym", QuestionType.TRUE_FALSE),
    ]
    greeting = items[2]
    assert greeting.stem == FormattedText(
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this '
        "greeting:</a><br /><br />What language is being spoken?",
        HTML,
    )
    assert [(a.text.text, a.correct, a.feedback.text) for a in greeting.answers] == [
        ("English", False, "Sorry, listen again."),
        ("French", True, "Yes, well done!"),
        ("German", False, "Sorry, listen again."),
        ("Spanish", False, "Sorry, listen again."),
    ]
    # Answers and feedback default to the question text's format.
    assert {a.text.format for a in greeting.answers} == {HTML}
    assert items[4].stem.text.endswith(
        '<span style="font-style: italic;">Modular '
        "Object-Oriented Dynamic Learning Environment</span>."
    )


def test_escaped_characters_are_text_not_syntax():
    q = question(
        r"::Ti\:tle:: Is 1 \= 1 \{really\} \~ \# \\ here\non two lines?"
        "{=yes \\# sure # it is \\= so ~no}"
    )

    assert q.title == "Ti:tle"
    assert q.stem.text == "Is 1 = 1 {really} ~ # \\ here\non two lines?"
    assert q.answers == (answer("yes # sure", True, "it is = so"), answer("no"))


def test_unknown_escapes_keep_their_backslash():
    assert unescape(r"a \* b \\* c") == r"a \* b \* c"


def test_escape_writes_every_special_character_and_line_break():
    assert escape("a:b#c=d{e}f~g\\h\ni\r\nj") == r"a\:b\#c\=d\{e\}f\~g\\h\ni\nj"
    assert unescape(escape("a:b#c=d{e}f~g\\h\ni \\n")) == "a:b#c=d{e}f~g\\h\ni \\n"


def test_blank_lines_separate_questions_and_comments_vanish_inside_them():
    items = parse_gift(
        "// crss: kind=application\n"
        "::First::\n"
        "Which one\n"
        "// a note in the middle\n"
        "is right?\n"
        "{\n"
        "  =this # good\n"
        "  ~that\n"
        "  #### Because.\n"
        "}\n"
        "\n"
        "\n"
        "   \n"
        "Untitled one? {=yes ~no}\n"
    )

    first, second = items
    assert (first.line, first.title, first.comments) == (2, "First", ("crss: kind=application",))
    assert first.stem.text == "Which one\nis right?"
    assert first.answers == (answer("this", True, "good"), answer("that"))
    assert first.general_feedback == FormattedText("Because.", MOODLE)
    assert (second.line, second.title, second.stem.text) == (14, "", "Untitled one?")


def test_windows_line_ends_and_a_byte_order_mark_are_read():
    items = parse_gift("\ufeff::A:: One?{=x ~y}\r\n\r\n::B:: Two?{T}\r\n")

    assert [(q.line, q.title) for q in items] == [(1, "A"), (3, "B")]


def test_category_line_switches_without_a_blank_line_before_the_question():
    items = parse_gift("$CATEGORY: $course$/top/power-dynamics\n// crss: kind=recall\nQ?{=a ~b}")

    assert items[0] == GiftCategory(1, "$course$/top/power-dynamics")
    assert items[0].last_segment == "power-dynamics"
    assert (items[1].line, items[1].comments) == (3, ("crss: kind=recall",))


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ("", QuestionType.ESSAY),
        ("#3:2", QuestionType.NUMERICAL),
        ("=a -> b =c -> d", QuestionType.MATCHING),
        ("=cat =dog", QuestionType.SHORT_ANSWER),
        ("true", QuestionType.SHORT_ANSWER),  # Moodle reads only T, TRUE, F and FALSE
        ("T", QuestionType.TRUE_FALSE),
        ("TRUE", QuestionType.TRUE_FALSE),
        ("F#no#yes", QuestionType.TRUE_FALSE),
        ("FALSE", QuestionType.TRUE_FALSE),
        ("=a ~b", QuestionType.MULTIPLE_CHOICE),
        ("~a ~b", QuestionType.MULTIPLE_CHOICE),
    ],
)
def test_question_type_follows_moodles_rules(answers, expected):
    assert question(f"Q? {{{answers}}}").type == expected


def test_text_after_the_answers_makes_a_missing_word_question():
    q = question("Grant is {~buried =entombed ~living} in Grant's tomb.")

    assert q.is_missing_word
    assert q.text_after_answers == "in Grant's tomb."


def test_question_without_answers_is_a_description():
    assert question("Just some text.").type == QuestionType.DESCRIPTION


@pytest.mark.parametrize("text", ["Q? {=a ~b", "Q? =a ~b}", "Q? } {=a ~b"])
def test_unbalanced_braces_make_a_broken_question(text):
    q = question(text)

    assert (q.type, q.problem) == (QuestionType.BROKEN, UNBALANCED_BRACES)


def test_format_markers_apply_to_stem_answers_feedback_and_general_feedback():
    q = question("[markdown]**Bold**?{=[html]<b>a</b>#[plain]<i> ~b ####[html]<p>why</p>}")

    assert q.stem == FormattedText("**Bold**?", MARKDOWN)
    assert q.answers[0].text == FormattedText("<b>a</b>", HTML)
    assert q.answers[0].feedback == FormattedText("<i>", PLAIN)
    assert q.answers[1].text == FormattedText("b", MARKDOWN)
    assert q.general_feedback == FormattedText("<p>why</p>", HTML)


def test_text_before_the_first_answer_marker_is_a_wrong_answer_as_in_moodle():
    q = question("Q? {first ~second =third}")

    assert [(a.text.text, a.correct) for a in q.answers] == [
        ("first", False),
        ("second", False),
        ("third", True),
    ]
