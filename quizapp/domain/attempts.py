"""The life of an attempt: every rule of a round from its start to its score, in one place.

A round is an attempt: a free practice round, a review of mistakes, or one attempt at an
assignment. Plain values and an explicit `now`, so a test sets the clock. The rules:

- **States.** An attempt is *in progress* until it is submitted. It is *submitted* once
  it has a finish time: the learner pressed Submit, or answered its last question. One
  left open at its *deadline* is *closed*: it counts as submitted at the deadline, with
  the answers it holds, whether or not that has been written yet (reads compute it; the
  next write, or `flask attempts settle`, writes it).
- **The deadline** belongs to the attempt. Today it is its assignment's closing time
  (None: it never closes); time limits and extensions will set it per attempt.
- **Answering.** A question can be answered while the attempt is in progress and before
  its deadline (an answer at the deadline is too late). Whether an answer may be
  replaced is a rule of the mode: in both modes today the first answer counts. Answering
  the last unanswered question submits the attempt.
- **Feedback.** Practice shows each verdict at once; a test shows none until it is over
  (submitted or closed).
- **The score** is the sum of the answers' scores (partial credit as given), rounded to
  4 decimals, out of the number of questions: unanswered questions score nothing. It is
  computed from the stored answers when the attempt is finished, under its lock.
- **What a learner may see.** While a test holding a question (any version) is in
  progress for a learner, that question's verdicts, answers and explanations are withheld
  from the learner everywhere (reviews, mastery, charts, recaps), and new practice or
  review rounds do not draw it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from quizapp.domain.assignments import when


class Mode(StrEnum):
    PRACTICE = "practice"  # the verdict after each answer; free rounds and reviews too
    TEST = "test"  # no verdict until the attempt is over
    # A live class session's attempt (domain/live.py): answered only through its session,
    # one question at a time; its verdicts wait for the session's reveal, like a test's.
    LIVE = "live"

    @property
    def first_answer_counts(self) -> bool:
        """Whether an answer, once given, stands (True in both modes today)."""
        return True


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    CLOSED = "closed"  # left open at its deadline: counts as submitted then

    @property
    def is_over(self) -> bool:
        return self is not Status.IN_PROGRESS


def submitted_at(
    finished_at: datetime | None, deadline: datetime | None, now: datetime
) -> datetime | None:
    """The close rule. An attempt counts as submitted at its finish time; one left open
    counts as submitted at its deadline once that has come (at the deadline itself, not a
    moment later); None while it is in progress."""
    if finished_at is not None:
        return finished_at
    if deadline is not None and now >= deadline:
        return deadline
    return None


@dataclass(frozen=True)
class Attempt:
    """What the rules need to know of one attempt."""

    mode: Mode
    started_at: datetime
    finished_at: datetime | None = None
    deadline: datetime | None = None

    def status(self, now: datetime) -> Status:
        if self.finished_at is not None:
            return Status.SUBMITTED
        if submitted_at(None, self.deadline, now) is not None:
            return Status.CLOSED
        return Status.IN_PROGRESS

    def is_over(self, now: datetime) -> bool:
        return self.status(now).is_over

    def submitted_at(self, now: datetime) -> datetime | None:
        return submitted_at(self.finished_at, self.deadline, now)

    def shows_feedback(self, now: datetime) -> bool:
        return self.mode is Mode.PRACTICE or self.is_over(now)

    def withholds_verdicts(self, now: datetime) -> bool:
        """A test (or live session) still in progress: its questions' verdicts are the
        learner's to wait for."""
        return self.mode is not Mode.PRACTICE and not self.is_over(now)


@dataclass(frozen=True)
class Decision:
    """The outcome of a request to change an attempt.

    `allowed` says whether the change asked for is made; `reason` says why not, in a
    sentence for the learner; `finish_at`, when set, is the finish time to write now (the
    attempt is submitted by this change, or settled at its deadline).
    """

    allowed: bool
    reason: str = ""
    finish_at: datetime | None = None


ALREADY_SUBMITTED = "This attempt was already submitted: nothing more can be submitted."
ALREADY_ANSWERED = "This question was already answered; your first answer counts."


def closed_reason(deadline: datetime) -> str:
    return f"Closed {when(deadline)}: nothing more can be submitted."


def answer(
    attempt: Attempt, now: datetime, *, already_answered: bool, unanswered_after: int
) -> Decision:
    """May a question be answered now? `unanswered_after` counts the questions that would
    still be unanswered once this answer is stored: at 0 the attempt is submitted."""
    status = attempt.status(now)
    if status is Status.SUBMITTED:
        return Decision(False, ALREADY_SUBMITTED)
    if status is Status.CLOSED:
        assert attempt.deadline is not None
        return Decision(False, closed_reason(attempt.deadline), finish_at=attempt.deadline)
    if already_answered and attempt.mode.first_answer_counts:
        return Decision(False, ALREADY_ANSWERED)
    return Decision(True, finish_at=now if unanswered_after == 0 else None)


def submit(attempt: Attempt, now: datetime) -> Decision:
    """Submit now: an attempt in progress finishes now, one left open at its deadline
    finishes at the deadline, one already submitted stays as it is."""
    status = attempt.status(now)
    if status is Status.SUBMITTED:
        return Decision(False, ALREADY_SUBMITTED)
    if status is Status.CLOSED:
        return Decision(True, finish_at=attempt.deadline)
    return Decision(True, finish_at=now)


def settle(attempt: Attempt, now: datetime) -> datetime | None:
    """The finish time to write for an attempt left open at its deadline; None otherwise."""
    return attempt.deadline if attempt.status(now) is Status.CLOSED else None


def score(answer_scores: Iterable[float]) -> float:
    """The score of an attempt: the sum of its answers' scores, rounded to 4 decimals."""
    return round(sum(answer_scores), 4)


def effective_score(
    attempt: Attempt, stored_score: float, answer_scores: Iterable[float], now: datetime
) -> float | None:
    """The score an attempt holds as it reads now: the stored one once it is written as
    submitted, the sum of its answers once it is closed but not yet settled, None while it
    is in progress."""
    status = attempt.status(now)
    if status is Status.SUBMITTED:
        return stored_score
    if status is Status.CLOSED:
        return score(answer_scores)
    return None


def withheld_questions(
    attempts: Iterable[tuple[Attempt, Iterable[str]]], now: datetime
) -> frozenset[str]:
    """The question ids a learner may not see verdicts of now: those of their tests in
    progress, from (attempt, question ids it holds) pairs of that learner."""
    return frozenset(
        question_id
        for attempt, question_ids in attempts
        if attempt.withholds_verdicts(now)
        for question_id in question_ids
    )
