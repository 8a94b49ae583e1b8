"""One rounding for every percentage shown: whole numbers, halves up."""

import pytest

from quizapp.domain.percentages import percent_text, whole_percent


@pytest.mark.parametrize(
    ("share", "shown"),
    [(0.125, 13), (0.285, 29), (0.325, 33), (6.5 / 20, 33), (2 / 3, 67), (0.005, 1), (0, 0)],
)
def test_halves_round_up_whatever_the_float_noise(share, shown):
    assert whole_percent(share) == shown
    assert percent_text(share) == f"{shown}%"
