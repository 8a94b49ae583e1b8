"""The gradebook: which attempt of a student stands for an assignment, and whether it is late.

Plain values and an explicit `now`, so a test sets the clock. The rules:

- An attempt counts once it is submitted. One left open at its deadline counts as
  submitted then, with what it holds (`domain/attempts.py` decides, for every page).
- The teacher picks what a cell shows: the best attempt (highest share, the earlier on
  a tie), the last one submitted, or the average share of every submitted attempt.
- An attempt submitted after the due time is late. An average is late if any attempt
  in it is.
- With nothing submitted, a cell is in progress (an attempt under way), missing (the
  due or closing time has passed), not started (open), or not open yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from quizapp.domain import attempts


class Policy(StrEnum):
    BEST = "best"
    LAST = "last"
    AVERAGE = "average"

    @property
    def label(self) -> str:
        return {
            Policy.BEST: "Best attempt",
            Policy.LAST: "Last attempt",
            Policy.AVERAGE: "Average of attempts",
        }[self]


class Status(StrEnum):
    DONE = "done"
    LATE = "late"
    IN_PROGRESS = "in_progress"
    MISSING = "missing"
    NOT_STARTED = "not_started"
    UPCOMING = "upcoming"

    @property
    def label(self) -> str:
        return {
            Status.DONE: "Submitted",
            Status.LATE: "Late",
            Status.IN_PROGRESS: "In progress",
            Status.MISSING: "Missing",
            Status.NOT_STARTED: "Not started",
            Status.UPCOMING: "Not open yet",
        }[self]


@dataclass(frozen=True)
class Deadlines:
    opens_at: datetime
    due_at: datetime | None
    closes_at: datetime | None


@dataclass(frozen=True)
class AttemptResult:
    """One attempt of one student at one assignment; `score` is the sum of its answers."""

    round_id: int
    attempt: int
    score: float
    length: int
    started_at: datetime
    finished_at: datetime | None
    deadline: datetime | None = None  # the attempt's own (attempts.deadline_of)
    grace: timedelta = attempts.NO_GRACE

    @property
    def share(self) -> float:
        return self.score / self.length if self.length else 0.0


@dataclass(frozen=True)
class Cell:
    status: Status
    share: float | None  # 0..1 of the attempt (or the average) that stands, None if none
    round_id: int | None  # the attempt to open: the one chosen, or the last submitted
    submitted: int  # attempts that count
    late: bool


def submitted_at(attempt: AttemptResult, now: datetime) -> datetime | None:
    """When the attempt counts as submitted: its own time, or the deadline it was left open at."""
    return attempts.submitted_at(attempt.finished_at, attempt.deadline, now, attempt.grace)


def is_late(attempt: AttemptResult, deadlines: Deadlines, now: datetime) -> bool:
    return submitted_late(submitted_at(attempt, now), deadlines)


def submitted_late(at: datetime | None, deadlines: Deadlines) -> bool:
    """Whether an attempt submitted at `at` (None: not yet) is late: after the due time."""
    return at is not None and deadlines.due_at is not None and at > deadlines.due_at


def cell(
    attempts: Sequence[AttemptResult], deadlines: Deadlines, policy: Policy, now: datetime
) -> Cell:
    """What the gradebook shows for one student and one assignment (rules in the module doc)."""
    counted = [a for a in attempts if submitted_at(a, now) is not None]
    if counted:
        by_time = sorted(counted, key=lambda a: (submitted_at(a, now), a.attempt))
        if policy is Policy.BEST:
            chosen = min(counted, key=lambda a: (-a.share, a.attempt))
            share, late = chosen.share, is_late(chosen, deadlines, now)
        elif policy is Policy.LAST:
            chosen = by_time[-1]
            share, late = chosen.share, is_late(chosen, deadlines, now)
        else:
            chosen = by_time[-1]
            share = sum(a.share for a in counted) / len(counted)
            late = any(is_late(a, deadlines, now) for a in counted)
        status = Status.LATE if late else Status.DONE
        return Cell(status, share, chosen.round_id, len(counted), late)
    under_way = next((a for a in attempts if a.finished_at is None), None)
    if under_way is not None:
        return Cell(Status.IN_PROGRESS, None, under_way.round_id, 0, False)
    passed = [t for t in (deadlines.due_at, deadlines.closes_at) if t is not None and now >= t]
    if passed:
        return Cell(Status.MISSING, None, None, 0, False)
    if now < deadlines.opens_at:
        return Cell(Status.UPCOMING, None, None, 0, False)
    return Cell(Status.NOT_STARTED, None, None, 0, False)


def mean_share(cells: Sequence[Cell]) -> float | None:
    """The mean share of the cells that have one (a column's or a row's average)."""
    shares = [c.share for c in cells if c.share is not None]
    return sum(shares) / len(shares) if shares else None


class AttemptSet(StrEnum):
    """Which submitted attempts item statistics read, as Moodle's report offers."""

    FIRST = "first"
    BEST = "best"
    LAST = "last"
    ALL = "all"

    @property
    def label(self) -> str:
        return {
            AttemptSet.FIRST: "Each student's first attempt",
            AttemptSet.BEST: "Each student's best attempt",
            AttemptSet.LAST: "Each student's last attempt",
            AttemptSet.ALL: "Every attempt",
        }[self]


def choose_attempts(
    attempts: Sequence[tuple[int, AttemptResult]],
    which: AttemptSet,
    now: datetime,
) -> list[AttemptResult]:
    """The submitted attempts `which` names, from (student id, attempt) pairs, by round id.

    First and last go by attempt number; best by share, the earlier attempt on a tie.
    """
    counted: dict[int, list[AttemptResult]] = {}
    for student, attempt in attempts:
        if submitted_at(attempt, now) is not None:
            counted.setdefault(student, []).append(attempt)
    if which is AttemptSet.ALL:
        chosen = [a for own in counted.values() for a in own]
    elif which is AttemptSet.FIRST:
        chosen = [min(own, key=lambda a: a.attempt) for own in counted.values()]
    elif which is AttemptSet.LAST:
        chosen = [max(own, key=lambda a: a.attempt) for own in counted.values()]
    else:
        chosen = [min(own, key=lambda a: (-a.share, a.attempt)) for own in counted.values()]
    return sorted(chosen, key=lambda a: a.round_id)
