"""Item analysis against numbers worked out by hand, the working in the comments."""

import math

import pytest

from quizapp.domain import item_stats
from quizapp.domain.item_stats import Flag, SpreadRow, analyse, answer_spread

# Four attempts at three one-mark items:
#
#   attempt   q1  q2  q3   total
#   1          1   1   1     3
#   2          1   0   1     2
#   3          0   1   1     2
#   4          0   0   0     0
FOUR_ATTEMPTS = [
    {"q1": 1.0, "q2": 1.0, "q3": 1.0},
    {"q1": 1.0, "q2": 0.0, "q3": 1.0},
    {"q1": 0.0, "q2": 1.0, "q3": 1.0},
    {"q1": 0.0, "q2": 0.0, "q3": 0.0},
]


def item(items, key):
    return next(stats for stats in items if stats.key == key)


def test_test_statistics_worked_by_hand():
    # totals 3, 2, 2, 0: mean = 7/4 = 1.75
    # deviations 1.25, 0.25, 0.25, -1.75; squares 1.5625 + 0.0625 + 0.0625 + 3.0625 = 4.75
    # sample variance 4.75 / 3; sd = sqrt(4.75 / 3) = 1.258306
    test, _ = analyse(FOUR_ATTEMPTS)

    assert test == item_stats.TestStatistics(
        attempts=4, mean=1.75, sd=pytest.approx(1.258306), max_total=3.0
    )


def test_facility_and_sd_worked_by_hand():
    # q1 scores 1, 1, 0, 0: facility 2/4 = 0.5
    # deviations 0.5, 0.5, -0.5, -0.5; squares sum to 1; sd = sqrt(1/3) = 0.577350
    _, items = analyse(FOUR_ATTEMPTS)

    q1 = item(items, "q1")
    assert (q1.attempts, q1.facility, q1.sd) == (4, 0.5, pytest.approx(0.577350))


def test_discrimination_is_correlation_with_rest_of_test():
    # q1 scores x = 1, 1, 0, 0 (mean 0.5); rest = total - q1 = 2, 1, 2, 0 (mean 1.25)
    # dx = 0.5, 0.5, -0.5, -0.5; dy = 0.75, -0.25, 0.75, -1.25
    # Sxy = 0.375 - 0.125 - 0.375 + 0.625 = 0.5
    # Sxx = 4 * 0.25 = 1; Syy = 0.5625 + 0.0625 + 0.5625 + 1.5625 = 2.75
    # r = 0.5 / sqrt(1 * 2.75) = 1 / sqrt(11) = 0.301511
    # (against the total 3, 2, 2, 0 it would be 1.5 / sqrt(4.75) = 0.688247)
    _, items = analyse(FOUR_ATTEMPTS)

    assert item(items, "q1").discrimination == pytest.approx(0.301511, abs=1e-6)


def test_items_in_order_of_first_appearance():
    _, items = analyse([{"b": 1.0, "a": 0.0}, {"c": 1.0, "a": 1.0}, {"d": 0.0}])

    assert [stats.key for stats in items] == ["b", "a", "c", "d"]


def test_negatively_discriminating_item_is_flagged():
    #   attempt   q1  q2  q3  trap   total   rest of trap
    #   1          1   1   1    0      3         3
    #   2          1   1   0    0      2         2
    #   3          1   0   0    1      2         1
    #   4          0   0   0    0      0         0
    # trap x = 0, 0, 1, 0 (mean 0.25); rest y = 3, 2, 1, 0 (mean 1.5)
    # dx = -0.25, -0.25, 0.75, -0.25; dy = 1.5, 0.5, -0.5, -1.5
    # Sxy = -0.375 - 0.125 - 0.375 + 0.375 = -0.5
    # Sxx = 3 * 0.0625 + 0.5625 = 0.75; Syy = 2.25 + 0.25 + 0.25 + 2.25 = 5
    # r = -0.5 / sqrt(0.75 * 5) = -0.5 / sqrt(3.75) = -0.258199
    attempts = [
        {"q1": 1.0, "q2": 1.0, "q3": 1.0, "trap": 0.0},
        {"q1": 1.0, "q2": 1.0, "q3": 0.0, "trap": 0.0},
        {"q1": 1.0, "q2": 0.0, "q3": 0.0, "trap": 1.0},
        {"q1": 0.0, "q2": 0.0, "q3": 0.0, "trap": 0.0},
    ] * 2  # twice over: enough attempts to judge, and r is the same for a repeated sample

    trap = item(analyse(attempts)[1], "trap")

    assert trap.discrimination == pytest.approx(-0.258199, abs=1e-6)
    assert trap.flags == (Flag.NEGATIVE_DISCRIMINATION,)


def test_item_everyone_gets_right_is_too_easy_without_discrimination():
    # given scores 1, 1, 1, 1, 1: facility 5/5 = 1 > 0.95; deviations all 0, so sd 0 and,
    # its variance being 0, no correlation with the rest (other = 1, 0, 1, 0, 1).
    attempts = [{"given": 1.0, "other": float(n % 2 == 0)} for n in range(5)]

    given = item(analyse(attempts)[1], "given")

    assert (given.facility, given.sd, given.discrimination) == (1.0, 0.0, None)
    assert given.flags == (Flag.TOO_EASY,)


def test_too_hard_item_is_flagged():
    # hard scores 1, 0, 0, 0, 0, 0, 0: facility 1/7 = 0.142857 < 0.2
    # rest = easy = 1 in every attempt: variance 0, so no discrimination.
    attempts = [{"easy": 1.0, "hard": 1.0}] + [{"easy": 1.0, "hard": 0.0}] * 6

    hard = item(analyse(attempts)[1], "hard")

    assert hard.facility == pytest.approx(0.142857, abs=1e-6)
    assert (hard.discrimination, hard.flags) == (None, (Flag.TOO_HARD,))


def test_too_hard_flag_comes_before_negative_discrimination():
    # hard x = 1, 0, 0, 0, 0, 0 (facility 1/6 = 0.1667); rest = other = 0, 1, 1, 1, 1, 1
    # rest is exactly 1 - x, so r = -1.
    attempts = [{"other": 0.0, "hard": 1.0}] + [{"other": 1.0, "hard": 0.0}] * 5

    hard = item(analyse(attempts)[1], "hard")

    assert hard.discrimination == pytest.approx(-1.0)
    assert hard.flags == (Flag.TOO_HARD, Flag.NEGATIVE_DISCRIMINATION)


@pytest.mark.parametrize(
    ("right", "of", "flags"),
    [(19, 20, ()), (1, 5, ())],
    ids=["facility exactly 0.95", "facility exactly 0.2"],
)
def test_facility_on_a_threshold_is_not_flagged(right, of, flags):
    attempts = [{"q": 1.0}] * right + [{"q": 0.0}] * (of - right)

    assert item(analyse(attempts)[1], "q").flags == flags


@pytest.mark.parametrize("attempts", [1, 4])
def test_fewer_than_five_attempts_are_too_few_to_judge(attempts):
    """One wrong answer is not a "too hard" question, nor one right answer "too easy"."""
    wrong, right = analyse([{"wrong": 0.0, "right": 1.0}] * attempts)[1]

    assert wrong.facility == 0.0 and right.facility == 1.0
    assert (wrong.flags, right.flags) == ((), ())
    assert wrong.too_few_to_judge and right.too_few_to_judge


def test_five_attempts_are_enough_to_judge():
    hard = item(analyse([{"hard": 0.0}] * 5)[1], "hard")

    assert (hard.flags, hard.too_few_to_judge) == ((Flag.TOO_HARD,), False)


def test_partial_credit_worked_by_hand():
    #   attempt   p    r    total   rest of p
    #   1        0.5   0    0.5       0
    #   2        0.5   1    1.5       1
    #   3        1     1    2         1
    #   4        0     0    0         0
    # p = 0.5, 0.5, 1, 0: facility 2/4 = 0.5; dx = 0, 0, 0.5, -0.5; Sxx = 0.5
    # sd = sqrt(0.5 / 3) = 0.408248
    # rest = 0, 1, 1, 0 (mean 0.5); dy = -0.5, 0.5, 0.5, -0.5; Syy = 1
    # Sxy = 0 + 0 + 0.25 + 0.25 = 0.5; r = 0.5 / sqrt(0.5 * 1) = 0.707107
    attempts = [
        {"p": 0.5, "r": 0.0},
        {"p": 0.5, "r": 1.0},
        {"p": 1.0, "r": 1.0},
        {"p": 0.0, "r": 0.0},
    ]

    p = item(analyse(attempts)[1], "p")

    assert p.facility == 0.5
    assert p.sd == pytest.approx(0.408248, abs=1e-6)
    assert p.discrimination == pytest.approx(0.707107, abs=1e-6)


def test_item_missing_from_attempts_counts_only_where_present():
    #   attempt   x    y    z    total
    #   1         1    0    -    1
    #   2         0    -    1    1
    #   3         1    1    1    3
    #   4         -   0.5   -    0.5
    # test: mean (1 + 1 + 3 + 0.5) / 4 = 1.375; deviations -0.375, -0.375, 1.625, -0.875
    #   squares 0.140625 + 0.140625 + 2.640625 + 0.765625 = 3.6875; sd = sqrt(3.6875 / 3)
    #   = 1.108678; max_total = 3 items (attempt 3)
    # y in attempts 1, 3, 4: scores 0, 1, 0.5, facility 0.5; dx = -0.5, 0.5, 0; Sxx = 0.5
    #   sd = sqrt(0.5 / 2) = 0.5; rest = 1, 2, 0 (mean 1); dy = 0, 1, -1; Syy = 2
    #   Sxy = 0 + 0.5 + 0 = 0.5; r = 0.5 / sqrt(0.5 * 2) = 0.5
    # z in attempts 2, 3: scores 1, 1, facility 1, sd 0, no discrimination
    attempts = [
        {"x": 1.0, "y": 0.0},
        {"x": 0.0, "z": 1.0},
        {"x": 1.0, "y": 1.0, "z": 1.0},
        {"y": 0.5},
    ]

    test, items = analyse(attempts)

    assert (test.mean, test.max_total) == (1.375, 3.0)
    assert test.sd == pytest.approx(1.108678, abs=1e-6)
    y, z = item(items, "y"), item(items, "z")
    assert (y.attempts, y.facility, y.sd) == (3, 0.5, 0.5)
    assert y.discrimination == pytest.approx(0.5)
    assert (z.attempts, z.facility, z.sd, z.discrimination) == (2, 1.0, 0.0, None)


def test_zero_correlation_is_not_flagged():
    # x in attempts 1-3 of the table above: scores 1, 0, 1 (mean 2/3); rest 0, 1, 2 (mean 1)
    # Sxy = (1/3)(-1) + (-2/3)(0) + (1/3)(1) = 0, so r = 0
    attempts = [{"x": 1.0, "y": 0.0}, {"x": 0.0, "z": 1.0}, {"x": 1.0, "y": 1.0, "z": 1.0}]

    x = item(analyse(attempts)[1], "x")

    assert x.discrimination == 0.0
    assert x.flags == ()


def test_single_attempt_has_no_spread():
    test, items = analyse([{"a": 1.0, "b": 0.0}])

    assert test == item_stats.TestStatistics(attempts=1, mean=1.0, sd=None, max_total=2.0)
    assert [(s.attempts, s.facility, s.sd, s.discrimination) for s in items] == [
        (1, 1.0, None, None),
        (1, 0.0, None, None),
    ]


def test_no_attempts():
    assert analyse([]) == (
        item_stats.TestStatistics(attempts=0, mean=None, sd=None, max_total=0.0),
        [],
    )


def test_floating_noise_counts_as_no_variance():
    # 0.1 + 0.2 is not exactly 0.3; the spread of totals must still be exactly 0.
    attempts = [{"a": 0.1, "b": 0.2}, {"a": 0.1, "b": 0.2}, {"a": 0.1, "b": 0.2}]

    test, items = analyse(attempts)

    assert test.sd == 0.0
    assert all(s.sd == 0.0 and s.discrimination is None for s in items)


@pytest.mark.parametrize("score", [-0.1, 1.5, math.nan])
def test_score_outside_zero_to_one_is_rejected(score):
    with pytest.raises(ValueError, match="outside 0..1"):
        analyse([{"q": score}])


def test_flag_labels_read_as_english():
    assert [flag.label for flag in Flag] == [
        "Too easy (facility above 95%)",
        "Too hard (facility below 20%)",
        "Discriminates negatively: stronger students did worse on it",
    ]


def test_flags_compare_as_their_string_values():
    assert Flag.TOO_EASY == "too_easy"


# --- answer spread ----------------------------------------------------------


def test_spread_counts_identical_responses_most_frequent_first():
    # 6 responses: 1990 three times (3/6 = 0.5), 1991 twice (2/6), 1989 once (1/6)
    responses = [
        ("1990", True),
        ("1991", False),
        ("1990", True),
        ("1989", False),
        ("1991", False),
        ("1990", True),
    ]

    assert answer_spread(responses) == [
        SpreadRow("1990", 3, 0.5, True),
        SpreadRow("1991", 2, pytest.approx(1 / 3), False),
        SpreadRow("1989", 1, pytest.approx(1 / 6), False),
    ]


def test_spread_breaks_ties_by_label():
    rows = answer_spread([("Kohl", False), ("Baker", True), ("Genscher", False)])

    assert [row.label for row in rows] == ["Baker", "Genscher", "Kohl"]


def test_spread_response_is_right_if_any_occurrence_was():
    assert answer_spread([("1990", False), ("1990", True)]) == [SpreadRow("1990", 2, 1.0, True)]


def test_spread_of_no_responses_is_empty():
    assert answer_spread([]) == []
