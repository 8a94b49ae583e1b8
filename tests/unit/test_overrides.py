"""Per-student overrides (domain/assignments.py `rules_for`, `override_problems`) and what
they do to an attempt's life (domain/attempts.py), on an injected clock: an extension
granted mid-attempt, one granted after the close with attempts left, a limit that
reaches past the closing time."""

from datetime import UTC, datetime, timedelta

from quizapp.domain.assignments import (
    AttemptRules,
    Override,
    attempt_state,
    override_problems,
    rules_for,
)
from quizapp.domain.attempts import LIMIT_GRACE, Attempt, Mode, Status

OPENS = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CLOSES = OPENS + timedelta(hours=2)
DUE = OPENS + timedelta(hours=1)
MINUTE = timedelta(minutes=1)

RULES = AttemptRules(OPENS, CLOSES, 1, DUE, 30 * MINUTE)


def test_no_override_leaves_the_rules_as_they_are():
    assert rules_for(RULES, None) == RULES


def test_extra_time_is_added_to_the_time_limit():
    assert rules_for(RULES, Override(extra_time=15 * MINUTE)).time_limit == 45 * MINUTE


def test_extra_attempts_add_to_the_attempts_allowed():
    assert rules_for(RULES, Override(extra_attempts=2)).attempts_allowed == 3


def test_a_later_close_moves_the_due_time_by_as_much():
    own = rules_for(RULES, Override(closes_at=CLOSES + 3 * 60 * MINUTE))
    assert (own.closes_at, own.due_at) == (CLOSES + 180 * MINUTE, DUE + 180 * MINUTE)


def test_a_due_time_set_with_the_later_close_is_kept():
    own = rules_for(RULES, Override(closes_at=CLOSES + 60 * MINUTE, due_at=DUE + 5 * MINUTE))
    assert own.due_at == DUE + 5 * MINUTE


def test_an_extension_granted_mid_attempt_moves_its_deadline():
    started = OPENS + 10 * MINUTE
    now = started + 29 * MINUTE  # a minute before the limit
    before = Attempt.under(Mode.TEST, started, None, RULES)
    after = Attempt.under(
        Mode.TEST, started, None, rules_for(RULES, Override(extra_time=10 * MINUTE))
    )
    later = started + 35 * MINUTE
    assert before.status(later) is Status.CLOSED
    assert after.status(now) is Status.IN_PROGRESS
    assert after.status(later) is Status.IN_PROGRESS
    assert after.deadline == started + 40 * MINUTE
    assert after.status(started + 40 * MINUTE + LIMIT_GRACE) is Status.CLOSED


def test_a_limit_beyond_the_close_ends_at_the_students_own_close():
    started = CLOSES - 10 * MINUTE
    plain = Attempt.under(Mode.TEST, started, None, RULES)
    own = rules_for(RULES, Override(closes_at=CLOSES + 60 * MINUTE))
    extended = Attempt.under(Mode.TEST, started, None, own)
    assert plain.deadline == CLOSES
    assert extended.deadline == started + 30 * MINUTE


def test_a_submitted_attempt_stays_submitted_under_an_override():
    started = OPENS + 10 * MINUTE
    finished = started + 5 * MINUTE
    own = rules_for(RULES, Override(extra_time=60 * MINUTE, closes_at=CLOSES + 60 * MINUTE))
    attempt = Attempt.under(Mode.TEST, started, finished, own)
    assert attempt.status(finished + MINUTE) is Status.SUBMITTED
    assert attempt.submitted_at(finished + MINUTE) == finished


def test_after_the_close_a_later_close_and_an_attempt_left_allow_a_new_attempt():
    now = CLOSES + 30 * MINUTE
    refused = attempt_state(RULES, now, used=1, unfinished=False)
    own = rules_for(RULES, Override(extra_attempts=1, closes_at=CLOSES + 60 * MINUTE))
    allowed = attempt_state(own, now, used=1, unfinished=False)
    assert (refused.can_start, allowed.can_start) == (False, True)


def test_a_later_close_without_an_attempt_left_still_refuses():
    own = rules_for(RULES, Override(closes_at=CLOSES + 60 * MINUTE))
    state = attempt_state(own, CLOSES + 30 * MINUTE, used=1, unfinished=False)
    assert not state.can_start
    assert state.reason == "You have used your 1 attempt."


def test_an_override_that_grants_nothing_is_refused():
    assert "extra_time" in override_problems(RULES, Override())


def test_an_earlier_close_is_refused():
    problems = override_problems(RULES, Override(closes_at=CLOSES - MINUTE))
    assert problems == {"closes_at": "The later closing time must come after the assignment's."}


def test_negative_or_huge_values_are_refused():
    problems = override_problems(RULES, Override(extra_time=-MINUTE, extra_attempts=99))
    assert set(problems) == {"extra_time", "extra_attempts"}


def test_extra_time_without_a_time_limit_is_refused():
    untimed = AttemptRules(OPENS, CLOSES, 1, DUE, None)
    assert override_problems(untimed, Override(extra_time=MINUTE)) == {
        "extra_time": "This assignment has no time limit to extend."
    }


def test_a_due_time_after_the_students_close_is_refused():
    problems = override_problems(RULES, Override(due_at=CLOSES + MINUTE))
    assert problems == {"due_at": "The due time cannot come after the closing time."}
