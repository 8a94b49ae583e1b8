"""When an assignment can be started and answered: its window and its attempts.

Plain values and an explicit `now`, so that a test sets the clock. A learner may
start an attempt while the assignment is open and attempts remain; an attempt
already started is resumed rather than counted again. Nothing is submitted
after the close time, whatever was started before it.

A teacher's override for one student (`Override`) gives extra time (added to the time
limit), extra attempts, and a later closing time, which moves the due time by as much
unless the override names a due time of its own. `rules_for` turns an assignment's rules
and a student's override into that student's rules: every deadline, window and count of
attempts left is read from them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
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
    due_at: datetime | None = None
    time_limit: timedelta | None = None

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


@dataclass(frozen=True)
class Override:
    """What a teacher granted one student on one assignment (nothing granted: all empty)."""

    extra_time: timedelta = timedelta(0)
    extra_attempts: int = 0
    closes_at: datetime | None = None  # a later close for this student
    due_at: datetime | None = None  # a due time of its own; None: moved with the close


def rules_for(rules: AttemptRules, override: Override | None) -> AttemptRules:
    """One student's rules: the assignment's with their override applied.

    Extra time lengthens a time limit (none stays none); extra attempts add to a limit (no
    limit stays none); a later close replaces the close, and moves the due time by the
    same amount unless the override sets one.
    """
    if override is None:
        return rules
    limit = rules.time_limit + override.extra_time if rules.time_limit is not None else None
    allowed = rules.attempts_allowed + override.extra_attempts if rules.attempts_allowed else 0
    closes, due = rules.closes_at, rules.due_at
    if override.closes_at is not None:
        if due is not None and closes is not None:
            due = due + (override.closes_at - closes)
        closes = override.closes_at
    if override.due_at is not None:
        due = override.due_at
    return AttemptRules(rules.opens_at, closes, allowed, due, limit)


MAX_EXTRA_MINUTES = 24 * 60
MAX_EXTRA_ATTEMPTS = 20


def override_problems(rules: AttemptRules, override: Override) -> dict[str, str]:
    """What is wrong with an override of the assignment `rules`, by field; empty if nothing.

    An override only ever gives more: each part must add to what the assignment has."""
    problems: dict[str, str] = {}
    minutes = override.extra_time / timedelta(minutes=1)
    if minutes < 0 or minutes > MAX_EXTRA_MINUTES:
        problems["extra_time"] = f"Extra time is 0 to {MAX_EXTRA_MINUTES} minutes."
    elif minutes and rules.time_limit is None:
        problems["extra_time"] = "This assignment has no time limit to extend."
    if not 0 <= override.extra_attempts <= MAX_EXTRA_ATTEMPTS:
        problems["extra_attempts"] = f"Extra attempts are 0 to {MAX_EXTRA_ATTEMPTS}."
    elif override.extra_attempts and rules.attempts_allowed == 0:
        problems["extra_attempts"] = "This assignment already allows any number of attempts."
    if override.closes_at is not None:
        if rules.closes_at is None:
            problems["closes_at"] = "This assignment never closes: there is no close to move."
        elif override.closes_at <= rules.closes_at:
            problems["closes_at"] = "The later closing time must come after the assignment's."
    if override.due_at is not None:
        closes = rules_for(rules, override).closes_at
        if override.due_at <= rules.opens_at:
            problems["due_at"] = "The due time must come after the opening time."
        elif closes is not None and override.due_at > closes:
            problems["due_at"] = "The due time cannot come after the closing time."
    if not problems and rules_for(rules, override) == rules:
        problems["extra_time"] = "Grant extra time, extra attempts or a later closing time."
    return problems


def when(moment: datetime) -> str:
    """A moment in a message of the rules: '25 Nov 2026, 14:05 UTC' (pages show moments
    in the reader's zone with the `when` filter; both write them with format_moment)."""
    return format_moment(moment)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """What a student typed, as stored: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")
