"""Charts drawn on the server as inline SVG: scores over time, and a share per row as bars.

Each chart is an `<svg role="img">` named by its own `<title>` and `<desc>`, and the desc is
a sentence or two with the main figures, so a screen reader, a printout and a reader who
cannot tell colours apart all get the same facts. The values are also printed as text in
the drawing; colour is never the only carrier.

The markup suits a strict Content-Security-Policy: no script, no `<style>` element and no
`style` attribute, only SVG presentation attributes. Every piece of text from the caller is
escaped. Colours meet WCAG 2.1 contrast against white: at least 4.5:1 for text and 3:1 for
bars, lines and gridlines. The drawing prints at its own size (`width` and `height` in
pixels, equal to the `viewBox`), so its text is FONT_SIZE pixels on every screen: a page
narrower than the chart scrolls the chart inside its own frame rather than shrinking the
labels past reading.

Percentages are whole numbers, halves rounded up (0.125 prints as 13%), by
`quizapp.domain.percentages`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import fmean

from markupsafe import Markup, escape

from quizapp.domain.percentages import percent_text, whole_percent

__all__ = ["Bar", "Chart", "ScorePoint", "bar_chart", "score_chart"]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

# Contrast against white: INK 15.9:1 (text), DATA 8.7:1, GRID 4.5:1, REFERENCE 6.2:1.
INK = "#222"
DATA = "#1f4e79"
GRID = "#767676"
REFERENCE = "#a0461c"
TRACK_FILL = "#f2f2f2"  # decoration only: the track's GRID outline is what shows 0%
FONT_SIZE = 13
# An average glyph is narrower, so text measured this way never runs out of the viewBox.
_CHAR_WIDTH = 0.62 * FONT_SIZE

LABEL_MAX_CHARS = 28
CHART_WIDTH = 640
MIN_TRACK_WIDTH = 240

_CHART_ID = re.compile(r"[a-z][a-z0-9-]*")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Chart:
    """A drawn chart: `svg` prints as is (`{{ chart.svg }}`); `summary` is its text alternative."""

    svg: Markup
    title: str
    summary: str


@dataclass(frozen=True)
class ScorePoint:
    """One finished round or attempt; ValueError if `at` is naive or `share` is not in 0..1."""

    at: datetime
    share: float
    label: str

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError(f"ScorePoint.at must be timezone-aware, got {self.at!r}")
        _check_share(self.share)


@dataclass(frozen=True)
class Bar:
    """One row: a share 0..1, or None when nothing is answered yet; ValueError otherwise."""

    label: str
    share: float | None
    detail: str = ""

    def __post_init__(self) -> None:
        if self.share is not None:
            _check_share(self.share)


def score_chart(
    points: Sequence[ScorePoint], *, chart_id: str, title: str = "Your scores over time"
) -> Chart:
    """Scores over time as a line: one circle per point, oldest left, 0-100% up the side.

    Points are drawn in time order whatever order they come in (ties keep their given
    order), evenly spaced by their rank rather than by date, so rounds played on far-apart
    days do not bunch up. Each circle carries a `<title>` such as
    "3 Nov 2026: 70% — Section 2.1". Dates are shown in UTC. The summary gives the number of
    rounds, the first and last date, and the latest, average (mean of the shares, then
    rounded) and best score. No points give a small chart saying "No finished rounds yet".
    Raises ValueError if `chart_id` is not a safe HTML id (`[a-z][a-z0-9-]*`).
    """
    _check_chart_id(chart_id)
    ordered = sorted(points, key=lambda point: point.at)
    if not ordered:
        return _empty_chart(chart_id, title, "No finished rounds yet")

    summary = _score_summary(ordered)
    width, height = CHART_WIDTH, 280
    left, right, top, bottom = 56, width - 48, 16, height - 48
    plot_width, plot_height = right - left, bottom - top

    def y_of(share: float) -> float:
        return bottom - share * plot_height

    def x_of(rank: int) -> float:
        if len(ordered) == 1:
            return left + plot_width / 2
        return left + rank * plot_width / (len(ordered) - 1)

    parts: list[Markup] = []
    for percent in (0, 25, 50, 75, 100):
        y = y_of(percent / 100)
        parts.append(
            _element(
                "line",
                {"x1": left, "y1": y, "x2": right, "y2": y, "stroke": GRID, "stroke-width": 1},
            )
        )
        parts.append(_text(f"{percent}%", x=left - 8, y=y + FONT_SIZE * 0.35, anchor="end"))

    for rank in _x_label_ranks(len(ordered)):
        parts.append(
            _text(
                _date(ordered[rank].at),
                x=x_of(rank),
                y=bottom + FONT_SIZE + 12,
                anchor="middle",
            )
        )

    coordinates = [(x_of(rank), y_of(point.share)) for rank, point in enumerate(ordered)]
    if len(ordered) > 1:
        parts.append(
            _element(
                "polyline",
                {
                    "points": " ".join(f"{_number(x)},{_number(y)}" for x, y in coordinates),
                    "fill": "none",
                    "stroke": DATA,
                    "stroke-width": 2,
                    "stroke-linejoin": "round",
                },
            )
        )
    for point, (x, y) in zip(ordered, coordinates, strict=True):
        tip = f"{_date(point.at)}: {percent_text(point.share)}"
        if point.label:
            tip += f" — {point.label}"
        parts.append(
            _element(
                "circle",
                {"cx": x, "cy": y, "r": 5, "fill": DATA, "stroke": "#fff", "stroke-width": 1.5},
                _element("title", {}, escape(tip)),
            )
        )
    return _chart(chart_id, title, summary, width, height, parts)


def bar_chart(
    bars: Sequence[Bar], *, chart_id: str, title: str, largest_part: str | None = None
) -> Chart:
    """Horizontal bars, one row per Bar in the given order, on a 0-100% track.

    A row shows its label at the left (cut to 28 characters with "…"; the full label is
    the row's `<title>`), a bar whose length is the share of the track, and the percentage
    and detail as text ("90%, 5 of 8 right"). A row whose share is None gets no bar and
    reads "no answers yet"; its detail is not shown. A dashed line marks 50%. The summary
    names the strongest and weakest rows (the first in the given order on a tie) and how
    many have no answers yet. Bars that split one whole (the answers by option, the students
    by score) have no strongest row: with `largest_part` the summary names the largest one in
    those words ("Most chosen: B, 60% (3 answers)."), or says "No answers yet." when every
    share is 0. No bars give a small chart saying "Nothing to show yet".
    Raises ValueError if `chart_id` is not a safe HTML id (`[a-z][a-z0-9-]*`).
    """
    _check_chart_id(chart_id)
    if not bars:
        return _empty_chart(chart_id, title, "Nothing to show yet")

    values = [_bar_value(bar) for bar in bars]
    track_left = 8 + math.ceil(LABEL_MAX_CHARS * _CHAR_WIDTH) + 12
    value_width = math.ceil(max(len(value) for value in values) * _CHAR_WIDTH)
    # The track takes what the usual width leaves, so text prints at the same size as in
    # the score chart; long details widen the chart rather than squeeze the track.
    track_width = max(MIN_TRACK_WIDTH, CHART_WIDTH - track_left - 8 - value_width - 8)
    value_left = track_left + track_width + 8
    width = value_left + value_width + 8
    row_height, bar_height, top = 30, 16, 28
    height = top + row_height * len(bars) + 8

    parts: list[Markup] = []
    for percent, anchor in ((0, "start"), (50, "middle"), (100, "end")):
        x = track_left + track_width * percent / 100
        parts.append(_text(f"{percent}%", x=x, y=top - 10, anchor=anchor))

    for index, (bar, value) in enumerate(zip(bars, values, strict=True)):
        y = top + index * row_height + (row_height - bar_height) / 2
        text_y = y + bar_height / 2 + FONT_SIZE * 0.35
        row = [
            _element("title", {}, escape(bar.label)),
            _text(_shorten(bar.label), x=8, y=text_y, anchor="start"),
            _element(
                "rect",
                {
                    "class": "chart-track",
                    "x": track_left,
                    "y": y,
                    "width": track_width,
                    "height": bar_height,
                    "fill": TRACK_FILL,
                    "stroke": GRID,
                    "stroke-width": 1,
                },
            ),
        ]
        if bar.share is not None:
            row.append(
                _element(
                    "rect",
                    {
                        "class": "chart-bar",
                        "x": track_left,
                        "y": y,
                        "width": bar.share * track_width,
                        "height": bar_height,
                        "fill": DATA,
                    },
                )
            )
        row.append(_text(value, x=value_left, y=text_y, anchor="start"))
        parts.append(_element("g", {"class": "chart-row"}, *row))

    middle = track_left + track_width / 2
    parts.append(
        _element(
            "line",
            {
                "x1": middle,
                "y1": top - 4,
                "x2": middle,
                "y2": height - 4,
                "stroke": REFERENCE,
                "stroke-width": 1.5,
                "stroke-dasharray": "5 4",
            },
        )
    )
    summary = _bar_summary(bars) if largest_part is None else _part_summary(bars, largest_part)
    return _chart(chart_id, title, summary, width, height, parts)


# --- summaries ----------------------------------------------------------------------


def _score_summary(ordered: Sequence[ScorePoint]) -> str:
    first, last = _date(ordered[0].at), _date(ordered[-1].at)
    shares = [point.share for point in ordered]
    if len(ordered) == 1:
        return f"1 round on {first}. Score {percent_text(shares[0])}."
    span = f"on {first}" if first == last else f"from {first} to {last}"
    return (
        f"{len(ordered)} rounds {span}. Latest score {percent_text(shares[-1])}, "
        f"average {percent_text(fmean(shares))}, best {percent_text(max(shares))}."
    )


def _bar_summary(bars: Sequence[Bar]) -> str:
    answered = [(bar.label, whole_percent(bar.share)) for bar in bars if bar.share is not None]
    unanswered = len(bars) - len(answered)
    if not answered:
        return "No answers yet."
    strongest = max(answered, key=lambda row: row[1])
    weakest = min(answered, key=lambda row: row[1])
    if len(answered) == 1:
        sentences = [f"{strongest[0]}: {strongest[1]}%."]
    elif strongest[1] == weakest[1]:
        sentences = [f"All {len(answered)} with answers at {strongest[1]}%."]
    else:
        sentences = [
            f"Strongest: {strongest[0]}, {strongest[1]}%.",
            f"Weakest: {weakest[0]}, {weakest[1]}%.",
        ]
    if unanswered:
        sentences.append(f"No answers yet for {unanswered} of {len(bars)}.")
    return " ".join(sentences)


def _part_summary(bars: Sequence[Bar], largest_part: str) -> str:
    largest = max(bars, key=lambda bar: bar.share or 0.0)
    if not largest.share:
        return "No answers yet."
    detail = f" ({largest.detail})" if largest.detail else ""
    return f"{largest_part}: {largest.label}, {whole_percent(largest.share)}%{detail}."


def _bar_value(bar: Bar) -> str:
    if bar.share is None:
        return "no answers yet"
    percent = percent_text(bar.share)
    return f"{percent}, {bar.detail}" if bar.detail else percent


# --- drawing ------------------------------------------------------------------------


def _chart(
    chart_id: str, title: str, summary: str, width: int, height: int, parts: Sequence[Markup]
) -> Chart:
    svg = _element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "viewBox": f"0 0 {width} {height}",
            "width": width,
            "height": height,
            "preserveAspectRatio": "xMinYMin meet",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "focusable": "false",
            "class": "chart",
        },
        _element("title", {"id": f"{chart_id}-title"}, escape(title)),
        _element("desc", {"id": f"{chart_id}-desc"}, escape(summary)),
        *parts,
    )
    return Chart(svg=svg, title=title, summary=summary)


def _empty_chart(chart_id: str, title: str, message: str) -> Chart:
    width, height = CHART_WIDTH, 48
    text = _text(message, x=8, y=height / 2 + FONT_SIZE * 0.35, anchor="start")
    return _chart(chart_id, title, f"{message}.", width, height, [text])


def _element(name: str, attributes: Mapping[str, str | float], *children: Markup) -> Markup:
    """One XML element; attribute values are escaped here, children must already be markup."""
    rendered = "".join(
        f' {key}="{escape(_number(value) if not isinstance(value, str) else value)}"'
        for key, value in attributes.items()
    )
    if not children:
        return Markup(f"<{name}{rendered}/>")
    return Markup(f"<{name}{rendered}>") + Markup("").join(children) + Markup(f"</{name}>")


def _text(content: str, *, x: float, y: float, anchor: str) -> Markup:
    return _element(
        "text",
        {"x": x, "y": y, "fill": INK, "font-size": FONT_SIZE, "text-anchor": anchor},
        escape(content),
    )


def _x_label_ranks(count: int) -> list[int]:
    """First, last and up to three evenly spread ranks between, so the dates never overlap."""
    if count <= 5:
        return list(range(count))
    return sorted({round(step * (count - 1) / 4) for step in range(5)})


# --- values ---------------------------------------------------------------------------


def _check_chart_id(chart_id: str) -> None:
    if not _CHART_ID.fullmatch(chart_id):
        raise ValueError(f"chart_id must match [a-z][a-z0-9-]*, got {chart_id!r}")


def _check_share(share: float) -> None:
    if not (isinstance(share, int | float) and 0 <= share <= 1):
        raise ValueError(f"share must be a number from 0 to 1, got {share!r}")


def _number(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: 120, 87.5, 33.33."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _date(moment: datetime) -> str:
    day = moment.astimezone(UTC)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _shorten(label: str) -> str:
    if len(label) <= LABEL_MAX_CHARS:
        return label
    return label[: LABEL_MAX_CHARS - 1].rstrip() + "…"
