"""The history page's trend chart: dates on the axis that never overlap, a labelled pass
line, and every point's date and score for screen readers, tooltips and the caption."""

import re
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from django.urls import reverse

from quizzes import charts
from quizzes.charts import text_width, trend_chart
from tests.factories import make_bank, make_exam, make_user, take

START = datetime(2026, 11, 12, 9, 30)


def mocks(count: int, *, every: timedelta = timedelta(hours=11), score=lambda n: 40 + n * 2):
    return [(START + n * every, score(n), score(n) >= 68) for n in range(count)]


def assert_labels_apart(chart) -> None:
    edges = [(t.x - text_width(t.text) / 2, t.x + text_width(t.text) / 2) for t in chart.date_ticks]
    for (_, right), (left, _) in pairwise(edges):
        assert right < left, chart.date_ticks
    assert all(left >= 0 and right <= chart.width for left, right in edges)


def test_no_mocks_make_no_chart():
    assert trend_chart([], pass_mark=68) is None


def test_one_mock_sits_mid_plot_with_its_date_and_name():
    chart = trend_chart([(START, 64, False)], pass_mark=68)

    (point,) = chart.points
    assert point.x == (chart.plot_left + chart.plot_right) / 2
    assert [tick.text for tick in chart.date_ticks] == ["Nov 12"]
    assert point.name == "Nov 12, 2026: 64 %, below the pass mark"


def test_a_pass_is_named_a_pass():
    chart = trend_chart([(START, 72, True)], pass_mark=68)

    assert chart.points[0].name == "Nov 12, 2026: 72 %, a pass"


def test_the_pass_flag_comes_from_the_attempt_not_the_rounded_score():
    """67.6 % rounds to 68 but fails a 68 % pass mark."""
    chart = trend_chart([(START, 68, False)], pass_mark=68)

    assert chart.points[0].name.endswith("68 %, below the pass mark")


@pytest.mark.parametrize("count", [2, 5, 12, 30])
def test_date_labels_never_overlap_and_show_the_first_and_last_dates(count):
    data = mocks(count)
    chart = trend_chart(data, pass_mark=68)

    assert_labels_apart(chart)
    texts = [tick.text for tick in chart.date_ticks]
    assert texts[0] == "Nov 12"
    last_day = data[-1][0]
    assert texts[-1] == f"{last_day:%b} {last_day.day}"
    assert len(texts) == len(set(texts))


def test_thirty_mocks_leave_room_between_labels_and_space_points_evenly():
    chart = trend_chart(mocks(30, every=timedelta(days=1)), pass_mark=68)

    steps = {round(b.x - a.x, 1) for a, b in pairwise(chart.points)}
    assert max(steps) - min(steps) <= 0.2
    assert chart.points[0].x == chart.plot_left
    assert chart.points[-1].x == chart.plot_right
    assert 3 <= len(chart.date_ticks) <= 8
    assert_labels_apart(chart)


def test_mocks_on_one_day_share_one_label_and_their_names_say_the_time():
    data = [
        (START, 50, False),
        (START + timedelta(hours=2), 60, False),
        (START + timedelta(days=3), 70, True),
    ]
    chart = trend_chart(data, pass_mark=68)

    assert [tick.text for tick in chart.date_ticks] == ["Nov 12", "Nov 15"]
    assert chart.points[0].name == "Nov 12, 2026, 09:30: 50 %, below the pass mark"
    assert chart.points[1].name == "Nov 12, 2026, 11:30: 60 %, below the pass mark"
    assert chart.points[2].name == "Nov 15, 2026: 70 %, a pass"


def test_a_single_day_of_mocks_gets_one_date_label():
    chart = trend_chart(mocks(6, every=timedelta(minutes=50)), pass_mark=68)

    assert [tick.text for tick in chart.date_ticks] == ["Nov 12"]


def test_a_last_day_that_began_near_the_start_is_labelled_at_the_last_point():
    data = [(START, 50, False)] + [
        (START + timedelta(days=1, minutes=n), 60, False) for n in range(20)
    ]
    chart = trend_chart(data, pass_mark=68)

    first, last = chart.date_ticks
    assert (first.text, last.text) == ("Nov 12", "Nov 13")
    assert last.point_x == chart.points[-1].x


def test_charts_across_a_new_year_give_the_year():
    data = [(datetime(2026, 12, 30, 10), 60, False), (datetime(2027, 1, 2, 10), 70, True)]
    chart = trend_chart(data, pass_mark=68)

    assert [tick.text for tick in chart.date_ticks] == ["Dec 30, 2026", "Jan 2, 2027"]
    assert_labels_apart(chart)


def test_aware_times_are_shown_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "America/Chicago"
    late_evening_in_chicago = datetime(2026, 11, 13, 3, 0, tzinfo=UTC)
    chart = trend_chart([(late_evening_in_chicago, 64, False)], pass_mark=68)

    assert chart.date_ticks[0].text == "Nov 12"
    assert chart.points[0].name.startswith("Nov 12, 2026")


def test_the_pass_line_is_drawn_at_the_pass_mark_and_labelled():
    chart = trend_chart(mocks(4), pass_mark=68)

    assert chart.pass_y == charts.y_for(68)
    assert chart.pass_label.text == "pass 68 %"
    assert chart.pass_label.y < chart.pass_y  # above the line, where the plot is clear


def test_the_pass_label_moves_off_dots_that_sit_under_it():
    near_the_line = [(START + timedelta(days=n), 72, True) for n in range(4)]
    chart = trend_chart([(START - timedelta(days=1), 20, False), *near_the_line], pass_mark=68)

    label = chart.pass_label
    width = text_width(label.text)
    left = label.x - width if label.anchor == "end" else label.x
    top, bottom = label.y - 0.8 * chart.font_size, label.y + 0.25 * chart.font_size
    covered = [
        p
        for p in chart.points
        if left - p.x <= chart.dot_radius
        and p.x - (left + width) <= chart.dot_radius
        and top - p.y <= chart.dot_radius
        and p.y - bottom <= chart.dot_radius
    ]
    assert covered == []


@pytest.mark.parametrize("pass_mark", [0, 100])
def test_a_pass_mark_at_an_edge_keeps_its_label_on_the_chart(pass_mark):
    chart = trend_chart(mocks(3), pass_mark=pass_mark)

    assert chart.font_size <= chart.pass_label.y <= chart.plot_bottom + 2


def test_labels_render_at_11_px_or_more_in_a_375_px_phones_column():
    """Bootstrap's container leaves 351 px of a 375 px viewport; the browser test measures it."""
    assert charts.FONT_SIZE * 351 / charts.WIDTH >= 11


# --- The history page.


@pytest.fixture
def mock():
    make_bank(topics=2, per_topic=12)
    return make_exam(items=10, title="Mini mock")


@pytest.mark.django_db
def test_history_draws_dates_names_and_a_labelled_pass_line(client, mock):
    candidate = make_user()
    client.force_login(candidate)
    first = datetime(2026, 11, 12, 15, 0, tzinfo=UTC)
    for day, right in enumerate((5, 6, 8)):
        take(mock, candidate, right=right, now=first + timedelta(days=2 * day))

    text = client.get(reverse("quizzes:history")).text

    assert "{#" not in text and "{%" not in text  # no template syntax leaks into the page
    assert text.count('tabindex="0" role="img"') == 3
    assert '<g class="point" tabindex="0" role="img"><title>Nov 12, 2026: 50 %, below' in text
    assert "<title>Nov 16, 2026: 80 %, a pass</title>" in text
    assert re.search(r'<text class="axis date"[^>]*>Nov 12</text>', text)
    assert re.search(r'<text class="axis date"[^>]*>Nov 16</text>', text)
    assert re.search(r'<text class="pass-label"[^>]*>pass 68 %</text>', text)
    assert 'id="trend-caption" aria-live="polite"' in text
    assert re.search(r'<script src="[^"]*js/trend-chart[^"]*\.js" defer></script>', text)
    assert " style=" not in text  # the CSP forbids inline styles
    assert "<td>Not yet a pass</td>" in text and "<td>Pass</td>" in text


@pytest.mark.django_db
def test_history_without_mocks_says_so_neutrally(client, mock):
    client.force_login(make_user())

    text = client.get(reverse("quizzes:history")).text

    assert "No finished mock exams yet: the trend starts with the first one." in text
    assert "trend-chart" not in text


@pytest.mark.django_db
def test_the_cached_trend_table_shows_a_mock_finished_after_it(client, mock):
    candidate = make_user()
    client.force_login(candidate)
    take(mock, candidate, right=5)
    client.get(reverse("quizzes:history"))
    take(mock, candidate, right=9)

    text = client.get(reverse("quizzes:history")).text

    assert text.count('class="dot"') == 2
    start = text.index('class="table table-sm trend-table"')
    table = text[start : text.index("</table>", start)]
    assert table.count("<tr><td>") == 2
