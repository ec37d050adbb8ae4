import pytest

from quizzes.scoring import GradedItem, allocate_items, grade, has_passed, score_percent


def test_unanswered_items_count_as_wrong():
    result = grade([GradedItem(1, "a", "a"), GradedItem(1, "b", "")], pass_mark=50)

    assert (result.correct, result.total, result.score, result.passed) == (1, 2, 50, True)


def test_per_topic_tallies():
    items = [GradedItem(1, "a", "a"), GradedItem(2, "b", "c"), GradedItem(2, "d", "d")]

    result = grade(items, pass_mark=68)

    assert [(t.topic_id, t.correct, t.total) for t in result.topics] == [(1, 1, 1), (2, 1, 2)]
    assert result.score == 67
    assert not result.passed


@pytest.mark.parametrize(
    ("correct", "total", "expected"),
    [(17, 25, 68), (0, 10, 0), (10, 10, 100), (2, 3, 67), (1, 8, 13)],
)
def test_score_is_percent_rounded_half_up(correct, total, expected):
    assert score_percent(correct, total) == expected


def test_pass_needs_the_exact_share_not_a_rounded_one():
    assert has_passed(68, 100, 68)
    assert not has_passed(67, 100, 68)
    assert not has_passed(135, 199, 68)  # 67.8 % rounds to 68 but is not a pass
    assert not has_passed(0, 0, 0)


def test_items_are_allocated_in_proportion_to_weights():
    quotas = allocate_items(100, {1: 40, 2: 36, 3: 36, 4: 64}, {1: 40, 2: 36, 3: 36, 4: 64})

    assert sum(quotas.values()) == 100
    assert quotas == {1: 23, 2: 20, 3: 20, 4: 37}


def test_allocation_moves_a_shortfall_to_topics_with_room():
    quotas = allocate_items(10, {1: 1, 2: 1}, {1: 2, 2: 50})

    assert quotas == {1: 2, 2: 8}


def test_allocation_never_exceeds_what_exists():
    assert allocate_items(10, {1: 1}, {1: 3}) == {1: 3}
    assert allocate_items(5, {1: 1, 2: 1}, {1: 0, 2: 0}) == {}
