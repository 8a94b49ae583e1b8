"""Percentages as people read them: whole numbers, halves rounded up.

Every percentage the app shows (pages, chart labels and summaries, feedback) comes from
`whole_percent`, so one score never reads 32 % on one page and 33 % on another. The share
is rounded to 9 places first so that float noise (0.285 * 100 = 28.499999999999996)
cannot push a half below the rounding line. CSV exports keep their own one-decimal figure
(`round(share * 100, 1)`), which is data for a spreadsheet, not a reading.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["percent_text", "whole_percent"]


def whole_percent(share: float) -> int:
    """0.125 -> 13, 0.285 -> 29, 0.325 -> 33, 2/3 -> 67."""
    exact = Decimal(repr(round(share * 100, 9)))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_text(share: float) -> str:
    """0.325 -> '33%'."""
    return f"{whole_percent(share)}%"
