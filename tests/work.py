"""Work measured in function calls rather than seconds, so that a test of a parser's bounds
gives the same answer on a quiet machine and on a busy one (tests are not timed).

`calls_made` counts every Python and built-in function call an action makes; the count is
the same on every run of the same code. `growth` compares the work at two sizes of input:
about 2 when the work grows linearly, about 4 when it grows with the square.
"""

import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def calls_made(action: Callable[[], T]) -> tuple[T, int]:
    count = 0

    def profile(_frame, event, _arg) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = action()
    finally:
        sys.setprofile(previous)
    return result, count


def growth(action: Callable[[int], object], size: int) -> float:
    """The work of `action(2 * size)` over that of `action(size)`."""
    _, small = calls_made(lambda: action(size))
    _, large = calls_made(lambda: action(2 * size))
    return large / small
