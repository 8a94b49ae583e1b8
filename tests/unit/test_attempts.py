"""The life of an attempt on a clock the test sets: states, every transition, and answering,
submitting and reading just before, at and just after the deadline."""

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain import attempts
from quizapp.domain.attempts import (
    ALREADY_ANSWERED,
    ALREADY_SUBMITTED,
    Attempt,
    Decision,
    Mode,
    QuestionState,
    Status,
    closed_reason,
)

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DEADLINE = START + timedelta(hours=2)
SECOND = timedelta(seconds=1)

BEFORE, AT, AFTER = DEADLINE - SECOND, DEADLINE, DEADLINE + SECOND


def attempt(mode=Mode.TEST, *, finished=None, deadline=DEADLINE) -> Attempt:
    return Attempt(mode=mode, started_at=START, finished_at=finished, deadline=deadline)


# --- states and the close rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "status"),
    [(BEFORE, Status.IN_PROGRESS), (AT, Status.CLOSED), (AFTER, Status.CLOSED)],
)
def test_an_attempt_left_open_closes_at_its_deadline_itself(now, status):
    assert attempt().status(now) is status


def test_a_submitted_attempt_stays_submitted_past_its_deadline():
    submitted = attempt(finished=START + timedelta(minutes=30))
    assert submitted.status(AFTER) is Status.SUBMITTED
    assert submitted.submitted_at(AFTER) == START + timedelta(minutes=30)


def test_an_attempt_without_a_deadline_never_closes():
    assert attempt(deadline=None).status(START + timedelta(days=3650)) is Status.IN_PROGRESS


@pytest.mark.parametrize(("now", "expected"), [(BEFORE, None), (AT, DEADLINE), (AFTER, DEADLINE)])
def test_an_attempt_left_open_counts_as_submitted_at_its_deadline(now, expected):
    assert attempt().submitted_at(now) == expected
    assert attempts.submitted_at(None, DEADLINE, now) == expected


def test_only_in_progress_is_not_over():
    assert [s.is_over for s in Status] == [False, True, True]


# --- feedback ---------------------------------------------------------------------------------


def test_practice_shows_feedback_at_once():
    assert attempt(Mode.PRACTICE).shows_feedback(BEFORE)


@pytest.mark.parametrize(("now", "shows"), [(BEFORE, False), (AT, True), (AFTER, True)])
def test_a_test_shows_feedback_once_it_closes(now, shows):
    assert attempt(Mode.TEST).shows_feedback(now) is shows


def test_a_submitted_test_shows_feedback_before_its_deadline():
    assert attempt(Mode.TEST, finished=START + SECOND).shows_feedback(BEFORE)


# --- answering --------------------------------------------------------------------------------


def test_an_answer_just_before_the_deadline_is_taken():
    assert attempts.answer(
        attempt(), BEFORE, already_answered=False, unanswered_after=2
    ) == Decision(True)


@pytest.mark.parametrize("now", [AT, AFTER])
def test_an_answer_at_or_after_the_deadline_is_refused_and_settles_the_attempt(now):
    decision = attempts.answer(attempt(), now, already_answered=False, unanswered_after=2)
    assert decision == Decision(False, closed_reason(DEADLINE), finish_at=DEADLINE)
    assert "nothing more can be submitted" in decision.reason


def test_in_practice_the_last_answer_submits_the_attempt_at_that_moment():
    decision = attempts.answer(
        attempt(Mode.PRACTICE), BEFORE, already_answered=False, unanswered_after=0
    )
    assert decision == Decision(True, finish_at=BEFORE)


def test_in_a_test_the_last_answer_leaves_the_attempt_open_for_changes():
    decision = attempts.answer(
        attempt(Mode.TEST), BEFORE, already_answered=False, unanswered_after=0
    )
    assert decision == Decision(True)


def test_in_practice_the_first_answer_counts():
    decision = attempts.answer(
        attempt(Mode.PRACTICE), BEFORE, already_answered=True, unanswered_after=1
    )
    assert decision == Decision(False, ALREADY_ANSWERED)


@pytest.mark.parametrize("unanswered_after", [0, 2])
def test_in_a_test_an_answer_is_replaced_until_the_deadline(unanswered_after):
    test = attempt(Mode.TEST)
    kwargs = dict(already_answered=True, unanswered_after=unanswered_after)
    assert attempts.answer(test, BEFORE, **kwargs) == Decision(True)
    assert attempts.answer(test, AT, **kwargs) == Decision(
        False, closed_reason(DEADLINE), finish_at=DEADLINE
    )


def test_no_answer_is_replaced_once_the_test_is_submitted():
    submitted = attempt(Mode.TEST, finished=START + SECOND)
    decision = attempts.answer(submitted, BEFORE, already_answered=True, unanswered_after=0)
    assert decision == Decision(False, ALREADY_SUBMITTED)


# --- flags ----------------------------------------------------------------------------------------


def test_a_flag_is_set_while_the_attempt_is_in_progress():
    assert attempts.flag(attempt(), BEFORE) == Decision(True)


def test_a_flag_is_refused_once_submitted_and_settles_a_closed_attempt():
    assert attempts.flag(attempt(finished=START + SECOND), BEFORE) == Decision(
        False, ALREADY_SUBMITTED
    )
    assert attempts.flag(attempt(), AT) == Decision(
        False, closed_reason(DEADLINE), finish_at=DEADLINE
    )


@pytest.mark.parametrize(
    ("state", "label", "status"),
    [
        (
            QuestionState(3, answered=False, flagged=True),
            "Question 3, flagged, not yet answered",
            "Not yet answered",
        ),
        (QuestionState(1, answered=True), "Question 1, answer saved", "Answer saved"),
        (
            QuestionState(12, answered=True, flagged=True),
            "Question 12, flagged, answer saved",
            "Answer saved",
        ),
    ],
)
def test_a_question_states_where_it_stands_in_words(state, label, status):
    assert (state.label, state.status) == (label, status)


def test_nothing_is_answered_after_the_attempt_was_submitted():
    submitted = attempt(finished=START + SECOND)
    decision = attempts.answer(submitted, BEFORE, already_answered=False, unanswered_after=1)
    assert decision == Decision(False, ALREADY_SUBMITTED)


# --- submitting and settling ----------------------------------------------------------------------


def test_submitting_an_attempt_in_progress_finishes_it_now():
    assert attempts.submit(attempt(), BEFORE) == Decision(True, finish_at=BEFORE)


@pytest.mark.parametrize("now", [AT, AFTER])
def test_submitting_after_the_deadline_finishes_it_at_the_deadline(now):
    assert attempts.submit(attempt(), now) == Decision(True, finish_at=DEADLINE)


def test_submitting_twice_changes_nothing_the_second_time():
    submitted = attempt(finished=BEFORE)
    assert attempts.submit(submitted, AFTER) == Decision(False, ALREADY_SUBMITTED)


@pytest.mark.parametrize(
    ("life", "now", "expected"),
    [
        (attempt(), BEFORE, None),
        (attempt(), AT, DEADLINE),
        (attempt(), AFTER, DEADLINE),
        (attempt(finished=BEFORE), AFTER, None),
        (attempt(deadline=None), AFTER, None),
    ],
)
def test_settling_writes_only_an_attempt_left_open_past_its_deadline(life, now, expected):
    assert attempts.settle(life, now) == expected


# --- scores -----------------------------------------------------------------------------------


def test_a_score_adds_partial_credit_rounded_to_four_decimals():
    assert attempts.score([1.0, 0.0, 0.6667, 0.5]) == 2.1667


def test_a_score_of_no_answers_is_zero():
    assert attempts.score([]) == 0


@pytest.mark.parametrize(
    ("life", "now", "expected"),
    [
        (attempt(), BEFORE, None),  # in progress: no score yet
        (attempt(), AFTER, 1.5),  # closed, not yet settled: the sum of its answers
        (attempt(finished=BEFORE), AFTER, 3.0),  # written: the stored score
    ],
)
def test_the_score_an_attempt_reads_with(life, now, expected):
    assert attempts.effective_score(life, 3.0, [1.0, 0.5], now) == expected


# --- what a learner may see -------------------------------------------------------------------


def test_questions_of_a_test_in_progress_are_withheld_until_it_is_over():
    held = [
        (attempt(Mode.TEST), ["q1", "q2"]),
        (attempt(Mode.PRACTICE), ["q3"]),
        (attempt(Mode.TEST, finished=START + SECOND), ["q4"]),
    ]
    assert attempts.withheld_questions(held, BEFORE) == {"q1", "q2"}
    assert attempts.withheld_questions(held, AT) == frozenset()


def test_a_test_without_a_deadline_withholds_until_submitted():
    held = [(attempt(Mode.TEST, deadline=None), ["q1"])]
    assert attempts.withheld_questions(held, AFTER + timedelta(days=400)) == {"q1"}


# --- time limits ------------------------------------------------------------------------------

LIMIT = timedelta(minutes=30)
LIMIT_ENDS = START + LIMIT


def timed(*, closes_at=None, finished=None, mode=Mode.TEST) -> Attempt:
    return Attempt.of(mode, START, finished, closes_at=closes_at, time_limit=LIMIT)


def test_a_time_limit_inside_the_close_sets_the_deadline_with_a_grace():
    assert attempts.deadline_of(START, DEADLINE, LIMIT) == (LIMIT_ENDS, attempts.LIMIT_GRACE)
    assert attempts.deadline_of(START, None, LIMIT) == (LIMIT_ENDS, attempts.LIMIT_GRACE)
    assert timed(closes_at=DEADLINE).is_timed()


def test_a_time_limit_never_runs_past_the_close():
    closes = START + timedelta(minutes=10)
    assert attempts.deadline_of(START, closes, LIMIT) == (closes, attempts.NO_GRACE)
    assert timed(closes_at=closes).status(closes) is Status.CLOSED


def test_without_a_time_limit_the_deadline_is_the_close():
    assert attempts.deadline_of(START, DEADLINE, None) == (DEADLINE, attempts.NO_GRACE)


@pytest.mark.parametrize("after", [timedelta(0), timedelta(seconds=4.999)])
def test_an_answer_within_the_grace_after_the_limit_counts(after):
    decision = attempts.answer(
        timed(), LIMIT_ENDS + after, already_answered=False, unanswered_after=3
    )
    assert decision == Decision(True)


@pytest.mark.parametrize("after", [attempts.LIMIT_GRACE, timedelta(minutes=5)])
def test_an_answer_more_than_the_grace_after_the_limit_is_refused_and_closes_at_the_limit(after):
    attempt_ = timed()
    now = LIMIT_ENDS + after
    decision = attempts.answer(attempt_, now, already_answered=False, unanswered_after=3)
    assert decision == Decision(False, closed_reason(LIMIT_ENDS), finish_at=LIMIT_ENDS)
    assert attempt_.status(now) is Status.CLOSED
    assert attempt_.submitted_at(now) == LIMIT_ENDS


def test_submitting_in_the_grace_counts_as_submitted_at_the_limit():
    now = LIMIT_ENDS + timedelta(seconds=2)
    assert attempts.submit(timed(), now) == Decision(True, finish_at=LIMIT_ENDS)
    assert attempts.submit(timed(), LIMIT_ENDS - SECOND) == Decision(
        True, finish_at=LIMIT_ENDS - SECOND
    )


def test_time_left_counts_down_to_zero_and_stays_there():
    assert timed().time_left(START + timedelta(minutes=20)) == timedelta(minutes=10)
    assert timed().time_left(LIMIT_ENDS + SECOND) == timedelta(0)
    assert attempt(deadline=None).time_left(START) is None


def test_a_learner_starting_close_to_the_close_has_less_than_the_limit():
    closes = START + timedelta(minutes=12)
    assert attempts.time_available(START, closes, LIMIT) == timedelta(minutes=12)
    assert attempts.time_available(START, DEADLINE, LIMIT) == LIMIT
    assert attempts.time_available(START, None, None) is None
