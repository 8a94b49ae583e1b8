"""When an assignment can be started and answered: its window and its attempts.

Plain values and an explicit `now`, so that a test sets the clock. A learner may
start an attempt while the assignment is open and attempts remain; an attempt
already started is resumed rather than counted again. Nothing is submitted
after the close time, whatever was started before it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from quizapp.domain.timezones import format_moment

# Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


class Window(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class AttemptRules:
    opens_at: datetime
    closes_at: datetime | None
    attempts_allowed: int  # 0: no limit

    def window(self, now: datetime) -> Window:
        if now < self.opens_at:
            return Window.UPCOMING
        if self.closes_at is not None and now >= self.closes_at:
            return Window.CLOSED
        return Window.OPEN

    def attempts_left(self, used: int) -> int | None:
        """None when there is no limit."""
        if self.attempts_allowed == 0:
            return None
        return max(0, self.attempts_allowed - used)


@dataclass(frozen=True)
class AttemptState:
    """What the learner can do now, and a sentence that says why not when they cannot.

    A sentence that names a moment holds `{}` where `moment` goes: `told` writes it as the
    reader's clock shows it (a page passes its time filter); `reason` writes it in UTC.
    """

    window: Window
    can_start: bool
    can_resume: bool
    reason_text: str
    moment: datetime | None = None

    @property
    def reason(self) -> str:
        return self.told(when)

    def told(self, show: Callable[[datetime], str]) -> str:
        return (
            self.reason_text if self.moment is None else self.reason_text.format(show(self.moment))
        )


def attempt_state(
    rules: AttemptRules, now: datetime, *, used: int, unfinished: bool
) -> AttemptState:
    """`used` counts the attempts begun (finished or not); `unfinished` says one is open."""
    window = rules.window(now)
    if window is Window.UPCOMING:
        return AttemptState(window, False, False, "Opens {}.", rules.opens_at)
    if window is Window.CLOSED:
        assert rules.closes_at is not None
        return AttemptState(
            window, False, False, "Closed {}: nothing more can be submitted.", rules.closes_at
        )
    if unfinished:
        return AttemptState(window, False, True, "An attempt is under way.")
    left = rules.attempts_left(used)
    if left == 0:
        plural = "attempt" if rules.attempts_allowed == 1 else "attempts"
        return AttemptState(
            window, False, False, f"You have used your {rules.attempts_allowed} {plural}."
        )
    return AttemptState(window, True, False, "")


def when(moment: datetime) -> str:
    """A moment in a message of the rules: '25 Nov 2026, 14:05 UTC' (pages show moments
    in the reader's zone with the `when` filter; both write them with format_moment)."""
    return format_moment(moment)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """What a student typed, as stored: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")
