"""Server-drawn SVG charts: well-formed, named for screen readers, CSP-safe, values right."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

import pytest
from markupsafe import Markup

from quizapp.domain.charts import Bar, Chart, ScorePoint, bar_chart, score_chart

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"

# --- factories --------------------------------------------------------------


def point(day, share, label="Section 2.1", hour=12):
    return ScorePoint(at=datetime(2026, 11, day, hour, tzinfo=UTC), share=share, label=label)


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def circle_titles(root):
    return [c.find("svg:title", NS).text for c in root.iter(f"{SVG}circle")]


def rows(root):
    return root.findall("svg:g[@class='chart-row']", NS)


def width_of(row, cls):
    rect = row.find(f"svg:rect[@class='{cls}']", NS)
    return None if rect is None else float(rect.get("width"))


def every_chart():
    charts = {
        "no-scores": score_chart([], chart_id="scores-empty"),
        "one-score": score_chart([point(3, 0.5)], chart_id="scores-one"),
        "scores": score_chart([point(3, 0.5), point(4, 0.75), point(9, 1.0)], chart_id="scores"),
        "no-bars": bar_chart([], chart_id="bars-empty", title="Sections"),
        "bars": bar_chart(
            [Bar("2.1 The Genscher formula", 0.9, "9 of 10 right"), Bar("4", None)],
            chart_id="bars",
            title="Sections",
        ),
    }
    return [pytest.param(chart, id=name) for name, chart in charts.items()]


# --- the svg element -------------------------------------------------------------


@pytest.mark.parametrize("chart", every_chart())
def test_chart_is_well_formed_svg_drawn_at_its_own_size(chart):
    """Width and height in pixels equal the viewBox: the labels print at FONT_SIZE px."""
    root = parse(chart)
    assert isinstance(chart.svg, Markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox").startswith("0 0 ")
    assert f"0 0 {root.get('width')} {root.get('height')}" == root.get("viewBox")
    assert root.get("preserveAspectRatio") == "xMinYMin meet"
    assert root.get("focusable") == "false"


@pytest.mark.parametrize("chart", every_chart())
def test_chart_is_an_image_named_by_its_title_and_summary(chart):
    root = parse(chart)
    chart_id = root.find("svg:title", NS).get("id").removesuffix("-title")
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert root.find(f"svg:title[@id='{chart_id}-title']", NS).text == chart.title
    assert root.find(f"svg:desc[@id='{chart_id}-desc']", NS).text == chart.summary
    assert chart.summary


@pytest.mark.parametrize("chart", every_chart())
def test_chart_has_no_inline_style_or_script(chart):
    root = parse(chart)
    elements = list(root.iter())
    assert all("style" not in element.attrib for element in elements)
    assert not [e for e in elements if e.tag in (f"{SVG}style", f"{SVG}script")]
    assert "style" not in str(chart.svg)


@pytest.mark.parametrize("chart_id", ["", "Scores", "1chart", "chart id", 'a"b', "a_b", "a\n"])
@pytest.mark.parametrize("draw", ["score", "bar"])
def test_unsafe_chart_id_is_refused(draw, chart_id):
    with pytest.raises(ValueError, match="chart_id"):
        if draw == "score":
            score_chart([point(3, 0.5)], chart_id=chart_id)
        else:
            bar_chart([Bar("A", 0.5)], chart_id=chart_id, title="T")


@pytest.mark.parametrize("share", [-0.01, 1.01, float("nan")])
def test_share_outside_zero_to_one_is_refused(share):
    with pytest.raises(ValueError, match="share"):
        Bar("A", share)
    with pytest.raises(ValueError, match="share"):
        point(3, share)


def test_naive_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        ScorePoint(at=datetime(2026, 11, 3), share=0.5, label="A")


# --- escaping --------------------------------------------------------------------


def test_hostile_text_in_a_bar_chart_is_escaped():
    chart = bar_chart([Bar(HOSTILE, 0.5, HOSTILE)], chart_id="bars", title=HOSTILE)
    root = parse(chart)
    assert "<script>" not in str(chart.svg)
    assert root.find("svg:title", NS).text == HOSTILE
    assert rows(root)[0].find("svg:title", NS).text == HOSTILE
    assert HOSTILE in root.find("svg:desc", NS).text


def test_hostile_text_in_a_score_chart_is_escaped():
    chart = score_chart([point(3, 0.5, label=HOSTILE)], chart_id="scores", title=HOSTILE)
    root = parse(chart)
    assert "<script>" not in str(chart.svg)
    assert root.find("svg:title", NS).text == HOSTILE
    assert circle_titles(root) == [f"3 Nov 2026: 50% — {HOSTILE}"]


# --- score chart -----------------------------------------------------------------


def test_score_chart_draws_one_circle_per_point_each_with_its_title():
    points = [point(3, 0.7, "Section 2.1"), point(5, 0.25, "Assignment: Week 1"), point(9, 1.0)]
    root = parse(score_chart(points, chart_id="scores"))
    assert circle_titles(root) == [
        "3 Nov 2026: 70% — Section 2.1",
        "5 Nov 2026: 25% — Assignment: Week 1",
        "9 Nov 2026: 100% — Section 2.1",
    ]


def test_score_chart_joins_the_points_with_one_line_through_their_centres():
    root = parse(score_chart([point(3, 0.7), point(5, 0.25), point(9, 1.0)], chart_id="s"))
    centres = [(c.get("cx"), c.get("cy")) for c in root.iter(f"{SVG}circle")]
    line = root.find("svg:polyline", NS)
    assert [tuple(pair.split(",")) for pair in line.get("points").split()] == centres


def test_score_chart_puts_points_given_out_of_order_in_time_order():
    points = [point(9, 0.9, "C"), point(3, 0.3, "A"), point(5, 0.5, "B")]
    root = parse(score_chart(points, chart_id="scores"))
    circles = list(root.iter(f"{SVG}circle"))
    assert [c.find("svg:title", NS).text[-1] for c in circles] == ["A", "B", "C"]
    xs = [float(c.get("cx")) for c in circles]
    assert xs == sorted(xs)


def test_score_chart_spaces_rounds_evenly_whatever_their_dates():
    points = [point(1, 0.5), point(2, 0.5), point(30, 0.5)]
    xs = [float(c.get("cx")) for c in parse(score_chart(points, chart_id="s")).iter(f"{SVG}circle")]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])


def test_score_chart_draws_higher_scores_higher_on_a_0_to_100_grid():
    root = parse(score_chart([point(3, 0.0), point(4, 0.5), point(5, 1.0)], chart_id="s"))
    ys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    gridlines = sorted(float(line.get("y1")) for line in root.iter(f"{SVG}line"))
    assert len(gridlines) == 5
    assert ys == [gridlines[4], gridlines[2], gridlines[0]]
    labels = {text.text for text in root.iter(f"{SVG}text")}
    assert {"0%", "25%", "50%", "75%", "100%"} <= labels


def test_score_chart_labels_at_least_the_first_and_last_date():
    points = [point(day, 0.5) for day in range(1, 13)]
    labels = [text.text for text in parse(score_chart(points, chart_id="s")).iter(f"{SVG}text")]
    dates = [label for label in labels if label.endswith("Nov 2026")]
    assert dates[0] == "1 Nov 2026"
    assert dates[-1] == "12 Nov 2026"
    assert len(dates) <= 5


def test_score_chart_summary_gives_count_dates_latest_average_and_best():
    points = [point(25, 0.7), point(3, 0.4), point(10, 0.9), point(12, 0.6)]
    chart = score_chart(points, chart_id="scores")
    assert chart.summary == (
        "4 rounds from 3 Nov 2026 to 25 Nov 2026. Latest score 70%, average 65%, best 90%."
    )


def test_score_chart_summary_rounds_half_up():
    chart = score_chart([point(3, 0.125), point(4, 0.285)], chart_id="scores")
    assert chart.summary.endswith("Latest score 29%, average 21%, best 29%.")


def test_score_chart_shows_dates_in_utc():
    late_evening_in_new_york = datetime(2026, 11, 3, 22, tzinfo=timezone(timedelta(hours=-5)))
    chart = score_chart([ScorePoint(late_evening_in_new_york, 0.5, "A")], chart_id="s")
    assert circle_titles(parse(chart)) == ["4 Nov 2026: 50% — A"]


def test_score_chart_of_rounds_on_one_day_says_so():
    chart = score_chart([point(3, 0.5, hour=9), point(3, 0.7, hour=10)], chart_id="s")
    assert chart.summary.startswith("2 rounds on 3 Nov 2026.")


def test_score_chart_of_one_point_draws_just_the_circle():
    chart = score_chart([point(3, 0.8)], chart_id="scores")
    root = parse(chart)
    assert len(list(root.iter(f"{SVG}circle"))) == 1
    assert root.find("svg:polyline", NS) is None
    assert chart.summary == "1 round on 3 Nov 2026. Score 80%."


def test_score_chart_without_points_says_no_finished_rounds_yet():
    chart = score_chart([], chart_id="scores")
    root = parse(chart)
    assert chart.title == "Your scores over time"
    assert chart.summary == "No finished rounds yet."
    assert [text.text for text in root.iter(f"{SVG}text")] == ["No finished rounds yet"]
    assert root.find("svg:circle", NS) is None


# --- bar chart -------------------------------------------------------------------


@pytest.mark.parametrize("share", [0.0, 0.25, 0.5, 0.9, 1.0])
def test_bar_length_is_its_share_of_the_track(share):
    row = rows(parse(bar_chart([Bar("A", share)], chart_id="bars", title="T")))[0]
    track = width_of(row, "chart-track")
    assert width_of(row, "chart-bar") == pytest.approx(share * track, abs=1)


def test_bar_starts_where_its_track_starts():
    row = rows(parse(bar_chart([Bar("A", 0.5)], chart_id="bars", title="T")))[0]
    track = row.find("svg:rect[@class='chart-track']", NS)
    bar = row.find("svg:rect[@class='chart-bar']", NS)
    assert (bar.get("x"), bar.get("y")) == (track.get("x"), track.get("y"))


def test_bar_chart_draws_one_row_per_bar_in_the_given_order():
    bars = [Bar("Zeta", 0.1), Bar("Alpha", 0.9), Bar("Mu", None)]
    root = parse(bar_chart(bars, chart_id="bars", title="T"))
    assert [row.find("svg:title", NS).text for row in rows(root)] == ["Zeta", "Alpha", "Mu"]


def test_bar_chart_grows_taller_with_more_bars():
    def height(count):
        chart = bar_chart([Bar(f"S{i}", 0.5) for i in range(count)], chart_id="b", title="T")
        return float(parse(chart).get("viewBox").split()[3])

    assert height(2) < height(3) < height(10)


def test_bar_prints_its_percentage_and_detail_as_text():
    row = rows(parse(bar_chart([Bar("A", 0.625, "5 of 8 right")], chart_id="b", title="T")))[0]
    assert "63%, 5 of 8 right" in [text.text for text in row.iter(f"{SVG}text")]


def test_bar_without_answers_draws_no_bar_and_says_so():
    row = rows(parse(bar_chart([Bar("A", None, "0 of 0")], chart_id="b", title="T")))[0]
    assert width_of(row, "chart-bar") is None
    assert width_of(row, "chart-track") > 0
    assert "no answers yet" in [text.text for text in row.iter(f"{SVG}text")]


def test_long_label_is_shortened_on_screen_but_whole_in_its_title():
    label = "2.1 The Genscher formula and the Tutzing speech"
    row = rows(parse(bar_chart([Bar(label, 0.5)], chart_id="b", title="T")))[0]
    drawn = [text.text for text in row.iter(f"{SVG}text")][0]
    assert row.find("svg:title", NS).text == label
    assert drawn.endswith("…")
    assert len(drawn) <= 28
    assert label.startswith(drawn[:-1])


def test_bar_chart_marks_fifty_percent_with_a_dashed_line():
    root = parse(bar_chart([Bar("A", 0.2)], chart_id="b", title="T"))
    row = rows(root)[0]
    track = row.find("svg:rect[@class='chart-track']", NS)
    middle = float(track.get("x")) + float(track.get("width")) / 2
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert [float(line.get("x1")) for line in dashed] == [pytest.approx(middle)]


def test_bar_chart_summary_names_strongest_weakest_and_unanswered():
    bars = [
        Bar("1 Context", 0.6),
        Bar("2.1 The Genscher formula", 0.9),
        Bar("3 Sources", None),
        Bar("4 Interpretations", 0.3),
        Bar("5 Aftermath", None),
    ]
    chart = bar_chart(bars, chart_id="bars", title="Sections")
    assert chart.summary == (
        "Strongest: 2.1 The Genscher formula, 90%. Weakest: 4 Interpretations, 30%. "
        "No answers yet for 2 of 5."
    )


def test_bar_chart_summary_breaks_ties_by_given_order():
    bars = [Bar("A", 0.5), Bar("B", 0.9), Bar("C", 0.9), Bar("D", 0.5)]
    summary = bar_chart(bars, chart_id="bars", title="T").summary
    assert summary == "Strongest: B, 90%. Weakest: A, 50%."


@pytest.mark.parametrize(
    ("bars", "summary"),
    [
        ([Bar("A", 0.5)], "A: 50%."),
        ([Bar("A", 0.5), Bar("B", 0.5)], "All 2 with answers at 50%."),
        ([Bar("A", None), Bar("B", None)], "No answers yet."),
        ([Bar("A", 0.8), Bar("B", None)], "A: 80%. No answers yet for 1 of 2."),
    ],
)
def test_bar_chart_summary_of_few_answers(bars, summary):
    assert bar_chart(bars, chart_id="bars", title="T").summary == summary


def test_bar_chart_without_bars_says_nothing_to_show_yet():
    chart = bar_chart([], chart_id="bars", title="Sections")
    root = parse(chart)
    assert chart.summary == "Nothing to show yet."
    assert [text.text for text in root.iter(f"{SVG}text")] == ["Nothing to show yet"]
    assert rows(root) == []


def test_long_detail_widens_the_chart_instead_of_squeezing_the_track():
    def measure(detail):
        root = parse(bar_chart([Bar("A", 0.5, detail)], chart_id="b", title="T"))
        return float(root.get("viewBox").split()[2]), width_of(rows(root)[0], "chart-track")

    short_width, short_track = measure("5 of 8 right")
    long_width, long_track = measure("5 of 8 right, last answered on 25 Nov 2026 by 30 students")
    assert long_width > short_width
    assert long_track >= 240
