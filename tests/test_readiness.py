"""Readiness maths on known inputs (pure, no database)."""

import pytest

from quizzes.readiness import (
    MIN_ANSWERS,
    Evidence,
    Mastery,
    estimate_readiness,
    recent_mastery,
)

WEIGHTS = {1: 40, 2: 60}


def mastery(**topics):
    return {int(t[1:]): Mastery(int(t[1:]), c, n) for t, (c, n) in topics.items()}


def test_readiness_all_correct_is_near_certain():
    result = estimate_readiness(mastery(t1=(40, 40), t2=(60, 60)), WEIGHTS, pass_mark=68)

    assert result.chance >= 99
    assert result.score_low <= result.score <= result.score_high


def test_readiness_all_wrong_is_near_zero():
    result = estimate_readiness(mastery(t1=(0, 40), t2=(0, 60)), WEIGHTS, pass_mark=68)

    assert result.chance <= 1
    assert result.score_high < 68


def test_readiness_mixed_near_the_pass_mark_is_uncertain():
    result = estimate_readiness(mastery(t1=(27, 40), t2=(41, 60)), WEIGHTS, pass_mark=68)

    assert 35 <= result.chance <= 65
    assert result.score_low < 68 < result.score_high


def test_readiness_with_few_answers_says_how_many_more_are_needed():
    result = estimate_readiness(mastery(t1=(5, 5), t2=(3, 5)), WEIGHTS, pass_mark=68)

    assert not result.is_estimated
    assert result.needed == MIN_ANSWERS - 10


def test_readiness_range_narrows_with_more_answers():
    few = estimate_readiness(mastery(t1=(15, 20), t2=(22, 30)), WEIGHTS, pass_mark=68)
    many = estimate_readiness(mastery(t1=(150, 200), t2=(225, 300)), WEIGHTS, pass_mark=68)

    assert many.score_high - many.score_low < few.score_high - few.score_low


def test_readiness_weights_topics_like_the_mock():
    strong_in_heavy = estimate_readiness(mastery(t1=(20, 40), t2=(57, 60)), WEIGHTS, pass_mark=68)
    strong_in_light = estimate_readiness(mastery(t1=(38, 40), t2=(30, 60)), WEIGHTS, pass_mark=68)

    assert strong_in_heavy.chance > strong_in_light.chance


def test_readiness_moves_up_with_better_results():
    before = estimate_readiness(mastery(t1=(25, 40), t2=(38, 60)), WEIGHTS, pass_mark=68)
    after = estimate_readiness(mastery(t1=(32, 40), t2=(50, 60)), WEIGHTS, pass_mark=68)

    assert after.chance > before.chance


def test_recent_mastery_uses_the_latest_answers_first():
    newest_first = [Evidence(1, 10, 10), Evidence(1, 50, 50), Evidence(1, 0, 100)]

    result = recent_mastery(newest_first, window=50)

    assert result[1] == Mastery(1, 60, 60)


@pytest.mark.parametrize(("correct", "total", "percent"), [(0, 0, None), (1, 3, 33), (2, 3, 67)])
def test_mastery_percent(correct, total, percent):
    assert Mastery(1, correct, total).percent == percent


def test_recent_mastery_learns_only_from_answered_items():
    # A mock left blank after one answer, then a drill: the blank items are not evidence.
    newest_first = [Evidence(1, 7, 20), Evidence(1, 0, 1), Evidence(2, 0, 0)]

    result = recent_mastery(newest_first)

    assert result[1] == Mastery(1, 7, 21)
    assert 2 not in result  # answered nothing in topic 2: no figure at all, not 0 %


def test_the_likely_range_is_a_real_interval_even_far_from_the_pass_mark():
    # Few answers, nearly all wrong: the chance rounds to 0, the score range does not collapse.
    result = estimate_readiness(mastery(t1=(4, 20), t2=(6, 20)), WEIGHTS, pass_mark=68)

    assert result.chance == 0
    assert result.score_high - result.score_low >= 10
    assert result.score_low <= result.score <= result.score_high


def test_a_topic_with_few_answers_leans_on_the_candidates_other_topics():
    # Strong everywhere practiced; one answer in topic 2: it is not taken for a coin toss.
    result = estimate_readiness(mastery(t1=(57, 60), t2=(1, 1)), WEIGHTS, pass_mark=68)

    assert result.score >= 85
