"""The life of an attempt: every rule of a round from its start to its score, in one place.

A round is an attempt: a free practice round, a review of mistakes, or one attempt at an
assignment. Plain values and an explicit `now`, so a test sets the clock. The rules:

- **States.** An attempt is *in progress* until it is submitted. It is *submitted* once
  it has a finish time: the learner pressed Submit, or answered its last question. One
  left open at its *deadline* is *closed*: it counts as submitted at the deadline, with
  the answers it holds, whether or not that has been written yet (reads compute it; the
  next write, or `flask attempts settle`, writes it).
- **The deadline** belongs to the attempt: its start plus its assignment's time limit,
  never past the assignment's closing time (no limit: the close; None: it never closes).
  The end of a time limit allows `LIMIT_GRACE` for the answer the page saves as its clock
  reaches zero: an answer saved within it counts, one saved later is refused, and the
  attempt counts as submitted at the limit itself. The close allows no grace.
- **Answering.** A question can be answered while the attempt is in progress and before
  its deadline (an answer at the deadline is too late). Whether an answer may be
  replaced is a rule of the mode: in practice the first answer counts, and answering the
  last unanswered question submits the attempt; in a test the last saved answer counts,
  a question may be left blank, and only the learner's "Submit all and finish" (or the
  deadline) ends it; in a live session the first answer counts and the session's close
  (its results or its end) is the attempt's deadline.
- **Flags.** In a test the learner may flag a question to come back to, and remove the
  flag, while the attempt is in progress; a flag marks nothing for the score.
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
from datetime import datetime, timedelta
from enum import StrEnum

from quizapp.domain.assignments import AttemptRules, when


class Mode(StrEnum):
    PRACTICE = "practice"  # the verdict after each answer; free rounds and reviews too
    TEST = "test"  # no verdict until the attempt is over
    # A live class session's attempt (domain/live.py): answered only through its session,
    # one question at a time; its verdicts wait for the session's reveal, like a test's.
    LIVE = "live"

    @property
    def first_answer_counts(self) -> bool:
        """Whether an answer, once given, stands: in practice its verdict is shown at once,
        so it cannot be taken back, and in a live session a double tap counts once; in a
        test the last saved answer counts."""
        return self is not Mode.TEST

    @property
    def submits_on_last_answer(self) -> bool:
        """Whether answering the last unanswered question submits the attempt: in practice
        it does; a test waits for "Submit all and finish", so answers can still change; a
        live session's attempt closes with the session (its results or its end), since a
        submitted attempt shows its verdicts and the last question's wait for its reveal."""
        return self is Mode.PRACTICE


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    CLOSED = "closed"  # left open at its deadline: counts as submitted then

    @property
    def is_over(self) -> bool:
        return self is not Status.IN_PROGRESS


NO_GRACE = timedelta(0)
LIMIT_GRACE = timedelta(seconds=5)  # for the answer a page saves as its clock reaches zero


def submitted_at(
    finished_at: datetime | None,
    deadline: datetime | None,
    now: datetime,
    grace: timedelta = NO_GRACE,
) -> datetime | None:
    """The close rule. An attempt counts as submitted at its finish time; one left open
    counts as submitted at its deadline once that and its grace have passed (with no grace:
    at the deadline itself, not a moment later); None while it is in progress."""
    if finished_at is not None:
        return finished_at
    if deadline is not None and now >= deadline + grace:
        return deadline
    return None


def deadline_of(
    started_at: datetime, closes_at: datetime | None, time_limit: timedelta | None
) -> tuple[datetime | None, timedelta]:
    """An attempt's deadline and its grace: the end of its time limit (with `LIMIT_GRACE`)
    unless the assignment closes first (the close, with none)."""
    if time_limit is not None:
        limit_ends = started_at + time_limit
        if closes_at is None or limit_ends < closes_at:
            return limit_ends, LIMIT_GRACE
    return closes_at, NO_GRACE


def time_available(
    now: datetime, closes_at: datetime | None, time_limit: timedelta | None
) -> timedelta | None:
    """How long an attempt started now could last: its time limit, or less when the
    assignment closes sooner (what a learner is told before starting); None: no end."""
    deadline, _ = deadline_of(now, closes_at, time_limit)
    return None if deadline is None else max(NO_GRACE, deadline - now)


@dataclass(frozen=True)
class Attempt:
    """What the rules need to know of one attempt."""

    mode: Mode
    started_at: datetime
    finished_at: datetime | None = None
    deadline: datetime | None = None
    grace: timedelta = NO_GRACE

    @classmethod
    def of(
        cls,
        mode: Mode,
        started_at: datetime,
        finished_at: datetime | None = None,
        *,
        closes_at: datetime | None = None,
        time_limit: timedelta | None = None,
    ) -> Attempt:
        """An attempt whose deadline comes from its assignment's close and time limit."""
        deadline, grace = deadline_of(started_at, closes_at, time_limit)
        return cls(mode, started_at, finished_at, deadline, grace)

    @classmethod
    def under(
        cls,
        mode: Mode,
        started_at: datetime,
        finished_at: datetime | None,
        rules: AttemptRules,
    ) -> Attempt:
        """An attempt under one student's rules (`assignments.rules_for`): its deadline
        follows their close and time limit, overrides included."""
        return cls.of(
            mode, started_at, finished_at, closes_at=rules.closes_at, time_limit=rules.time_limit
        )

    def status(self, now: datetime) -> Status:
        if self.finished_at is not None:
            return Status.SUBMITTED
        if self.submitted_at(now) is not None:
            return Status.CLOSED
        return Status.IN_PROGRESS

    def is_over(self, now: datetime) -> bool:
        return self.status(now).is_over

    def submitted_at(self, now: datetime) -> datetime | None:
        return submitted_at(self.finished_at, self.deadline, now, self.grace)

    def time_left(self, now: datetime) -> timedelta | None:
        """Until the deadline, never below zero; None when there is none."""
        return None if self.deadline is None else max(NO_GRACE, self.deadline - now)

    def is_timed(self) -> bool:
        """Whether its deadline is the end of a time limit (which the page counts down)."""
        return self.grace > NO_GRACE

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


def _refuse_unless_in_progress(attempt: Attempt, now: datetime) -> Decision | None:
    """The refusal of any change to an attempt that is over; None while it is in progress.
    One found closed at its deadline is to be settled there (`finish_at`)."""
    status = attempt.status(now)
    if status is Status.SUBMITTED:
        return Decision(False, ALREADY_SUBMITTED)
    if status is Status.CLOSED:
        assert attempt.deadline is not None
        return Decision(False, closed_reason(attempt.deadline), finish_at=attempt.deadline)
    return None


def answer(
    attempt: Attempt, now: datetime, *, already_answered: bool, unanswered_after: int
) -> Decision:
    """May a question be answered now, or its answer replaced? `unanswered_after` counts
    the questions that would still be unanswered once this answer is stored: at 0 a mode
    that submits on the last answer submits the attempt."""
    refused = _refuse_unless_in_progress(attempt, now)
    if refused is not None:
        return refused
    if already_answered and attempt.mode.first_answer_counts:
        return Decision(False, ALREADY_ANSWERED)
    finishes = attempt.mode.submits_on_last_answer and unanswered_after == 0
    return Decision(True, finish_at=_finish_time(attempt, now) if finishes else None)


def flag(attempt: Attempt, now: datetime) -> Decision:
    """May a question's flag be set or removed now? While the attempt is in progress."""
    return _refuse_unless_in_progress(attempt, now) or Decision(True)


def submit(attempt: Attempt, now: datetime) -> Decision:
    """Submit now: an attempt in progress finishes now (at its deadline if submitted in
    the grace after it), one left open at its deadline finishes at the deadline, one
    already submitted stays as it is."""
    status = attempt.status(now)
    if status is Status.SUBMITTED:
        return Decision(False, ALREADY_SUBMITTED)
    if status is Status.CLOSED:
        return Decision(True, finish_at=attempt.deadline)
    return Decision(True, finish_at=_finish_time(attempt, now))


def _finish_time(attempt: Attempt, now: datetime) -> datetime:
    """When an attempt finished now counts as submitted: now, or its deadline when now is
    in the grace after it."""
    if attempt.deadline is not None and now > attempt.deadline:
        return attempt.deadline
    return now


def settle(attempt: Attempt, now: datetime) -> datetime | None:
    """The finish time to write for an attempt left open at its deadline; None otherwise."""
    return attempt.deadline if attempt.status(now) is Status.CLOSED else None


@dataclass(frozen=True)
class QuestionState:
    """Where one question of an attempt stands for its learner, in Moodle's words: the
    navigation and the "Summary of attempt" say it in text, not colour alone."""

    position: int
    answered: bool
    flagged: bool = False

    @property
    def status(self) -> str:
        return "Answer saved" if self.answered else "Not yet answered"

    @property
    def state_words(self) -> str:
        """What follows the number in the navigation entry's name: ', flagged, answer saved'."""
        return (", flagged" if self.flagged else "") + ", " + self.status.lower()

    @property
    def label(self) -> str:
        """The navigation entry's name: 'Question 3, flagged, not yet answered'."""
        return f"Question {self.position}{self.state_words}"


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
