"""Item analysis: how hard each question was and whether it separated strong from weak.

The definitions are those of Moodle's quiz statistics report, with every question
worth 1 mark, so an item's score in an attempt is a fraction 0..1 and an attempt's
total is the sum of its item scores:

- facility index: the mean item score over the attempts that contain the item;
- standard deviation: the sample SD of those item scores (divided by n - 1);
- discrimination index: Pearson's r between the item score and the rest-of-test
  score (the attempt's total minus this item's score), over the same attempts.

Using the rest of the test rather than the total keeps an item from correlating with
itself, which would flatter short quizzes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

TOO_EASY = 0.95
TOO_HARD = 0.2
# Fewer attempts than this judge nothing: one wrong answer is not a "too hard" question.
MIN_ATTEMPTS_TO_JUDGE = 5

# Below this a variance or correlation is floating-point noise around zero.
_EPSILON = 1e-12


class Flag(StrEnum):
    """Why an item deserves a second look from its author."""

    TOO_EASY = "too_easy"
    TOO_HARD = "too_hard"
    NEGATIVE_DISCRIMINATION = "negative_discrimination"

    @property
    def label(self) -> str:
        """The flag in words, for a teacher."""
        return _FLAG_LABELS[self]


_FLAG_LABELS = {
    Flag.TOO_EASY: f"Too easy (facility above {TOO_EASY:.0%})",
    Flag.TOO_HARD: f"Too hard (facility below {TOO_HARD:.0%})",
    Flag.NEGATIVE_DISCRIMINATION: "Discriminates negatively: stronger students did worse on it",
}


@dataclass(frozen=True)
class ItemStatistics:
    """One item's statistics; a value is None where too few attempts define it."""

    key: Hashable
    attempts: int
    facility: float | None
    sd: float | None
    discrimination: float | None
    flags: tuple[Flag, ...]

    @property
    def too_few_to_judge(self) -> bool:
        """Fewer than MIN_ATTEMPTS_TO_JUDGE attempts: the item carries no flag either way."""
        return self.attempts < MIN_ATTEMPTS_TO_JUDGE


@dataclass(frozen=True)
class TestStatistics:
    """Statistics of the attempt totals; `max_total` is the most items in any attempt."""

    # Not a pytest test class, though the name starts with "Test".
    __test__ = False

    attempts: int
    mean: float | None
    sd: float | None
    max_total: float


@dataclass(frozen=True)
class SpreadRow:
    """How many responses to a question were this one, and whether it earned full marks."""

    label: str
    count: int
    share: float
    right: bool


def analyse(
    attempts: Sequence[Mapping[Hashable, float]],
) -> tuple[TestStatistics, list[ItemStatistics]]:
    """Statistics of the test and of each item, items in order of first appearance.

    Each attempt maps item key -> score 0..1; an item absent from an attempt was not
    in it and does not count for that item. Flags, once an item has MIN_ATTEMPTS_TO_JUDGE
    attempts: facility above TOO_EASY or below TOO_HARD, then a discrimination below zero.
    Raises ValueError for a score outside 0..1.
    """
    totals: list[float] = []
    pairs: dict[Hashable, list[tuple[float, float]]] = {}
    for attempt in attempts:
        for key, score in attempt.items():
            if not 0.0 <= score <= 1.0:
                raise ValueError(f"score {score!r} for item {key!r} is outside 0..1")
        total = math.fsum(attempt.values())
        totals.append(total)
        for key, score in attempt.items():
            pairs.setdefault(key, []).append((score, total - score))

    test = TestStatistics(
        attempts=len(totals),
        mean=_mean(totals),
        sd=_sample_sd(totals),
        max_total=float(max((len(attempt) for attempt in attempts), default=0)),
    )
    return test, [_item_statistics(key, item_pairs) for key, item_pairs in pairs.items()]


def answer_spread(responses: Iterable[tuple[str, bool]]) -> list[SpreadRow]:
    """Count identical responses, most frequent first, ties by label.

    A response is right if any occurrence of it earned full marks; `share` is its
    count over all responses.
    """
    counts: Counter[str] = Counter()
    right: dict[str, bool] = {}
    for label, is_right in responses:
        counts[label] += 1
        right[label] = right.get(label, False) or is_right
    total = counts.total()
    return [
        SpreadRow(label=label, count=count, share=count / total, right=right[label])
        for label, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _item_statistics(key: Hashable, pairs: Sequence[tuple[float, float]]) -> ItemStatistics:
    scores = [score for score, _ in pairs]
    rests = [rest for _, rest in pairs]
    facility = _mean(scores)
    discrimination = _correlation(scores, rests)
    flags: list[Flag] = []
    if len(pairs) < MIN_ATTEMPTS_TO_JUDGE:
        pass
    elif facility is not None and facility > TOO_EASY:
        flags.append(Flag.TOO_EASY)
    elif facility is not None and facility < TOO_HARD:
        flags.append(Flag.TOO_HARD)
    if len(pairs) >= MIN_ATTEMPTS_TO_JUDGE and discrimination is not None and discrimination < 0:
        flags.append(Flag.NEGATIVE_DISCRIMINATION)
    return ItemStatistics(
        key=key,
        attempts=len(pairs),
        facility=facility,
        sd=_sample_sd(scores),
        discrimination=discrimination,
        flags=tuple(flags),
    )


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _sum_of_squares(values: Sequence[float], mean: float) -> float:
    return math.fsum((value - mean) ** 2 for value in values)


def _sample_sd(values: Sequence[float]) -> float | None:
    """sqrt(sum((x - mean)^2) / (n - 1)); None below two values."""
    if len(values) < 2:
        return None
    variance = _sum_of_squares(values, math.fsum(values) / len(values)) / (len(values) - 1)
    return 0.0 if variance < _EPSILON else math.sqrt(variance)


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r = Sxy / sqrt(Sxx * Syy); None below two pairs or when either variance is 0."""
    n = len(xs)
    if n < 2:
        return None
    mean_x = math.fsum(xs) / n
    mean_y = math.fsum(ys) / n
    sxx = _sum_of_squares(xs, mean_x)
    syy = _sum_of_squares(ys, mean_y)
    if sxx / (n - 1) < _EPSILON or syy / (n - 1) < _EPSILON:
        return None
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    r = sxy / math.sqrt(sxx * syy)
    if abs(r) < _EPSILON:
        return 0.0
    return max(-1.0, min(1.0, r))
