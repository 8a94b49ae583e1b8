"""The gradebook's rules, on a clock the test sets: which attempt stands for a student,
when it counts as submitted, whether it is late, and what a cell says with none."""

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain.gradebook import (
    AttemptResult,
    AttemptSet,
    Cell,
    Deadlines,
    Policy,
    Status,
    cell,
    choose_attempts,
    is_late,
    mean_share,
    submitted_at,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

OPEN = Deadlines(opens_at=NOW - 7 * DAY, due_at=None, closes_at=None)
DUE_YESTERDAY = Deadlines(opens_at=NOW - 7 * DAY, due_at=NOW - DAY, closes_at=None)
DUE_TOMORROW = Deadlines(opens_at=NOW - 7 * DAY, due_at=NOW + DAY, closes_at=None)
CLOSED_YESTERDAY = Deadlines(opens_at=NOW - 7 * DAY, due_at=None, closes_at=NOW - DAY)
DUE_THEN_CLOSED = Deadlines(opens_at=NOW - 7 * DAY, due_at=NOW - 3 * DAY, closes_at=NOW - DAY)
OPENS_TOMORROW = Deadlines(opens_at=NOW + DAY, due_at=NOW + 3 * DAY, closes_at=NOW + 5 * DAY)


def attempt(
    number: int = 1,
    right: float = 4,
    *,
    finished: datetime | None = NOW - 4 * DAY,
    length: int = 5,
    round_id: int | None = None,
    deadline: datetime | None = None,
) -> AttemptResult:
    """Attempt `number` with `right` of `length` marks, submitted at `finished` (None:
    under way) or left open until `deadline`; its round id is 100 + number unless given."""
    return AttemptResult(
        round_id=round_id if round_id is not None else 100 + number,
        attempt=number,
        score=right,
        length=length,
        started_at=NOW - 5 * DAY,
        finished_at=finished,
        deadline=deadline,
    )


# --- an attempt's share -----------------------------------------------------------------------


def test_an_attempts_share_is_its_score_over_its_length():
    assert attempt(right=2, length=5).share == 0.4


def test_an_attempt_without_questions_has_share_zero():
    assert attempt(right=0, length=0).share == 0.0


# --- when an attempt counts as submitted ------------------------------------------------------


def test_a_finished_attempt_is_submitted_when_it_finished():
    submitted = attempt(finished=NOW - 2 * DAY, deadline=NOW - DAY)
    assert submitted_at(submitted, NOW) == NOW - 2 * DAY


def test_an_attempt_left_open_past_its_deadline_is_submitted_at_the_deadline():
    assert submitted_at(attempt(finished=None, deadline=NOW - DAY), NOW) == NOW - DAY


def test_an_open_attempt_before_its_deadline_is_not_submitted():
    assert submitted_at(attempt(finished=None, deadline=NOW + DAY), NOW) is None


def test_an_open_attempt_without_a_deadline_is_not_submitted():
    assert submitted_at(attempt(finished=None), NOW) is None


# --- late -----------------------------------------------------------------------------------


def test_an_attempt_submitted_after_the_due_time_is_late():
    assert is_late(attempt(finished=NOW - DAY + HOUR), DUE_YESTERDAY, NOW)


def test_an_attempt_submitted_before_the_due_time_is_not_late():
    assert not is_late(attempt(finished=NOW - DAY - HOUR), DUE_YESTERDAY, NOW)


def test_an_attempt_submitted_exactly_at_the_due_time_is_not_late():
    assert not is_late(attempt(finished=NOW - DAY), DUE_YESTERDAY, NOW)


def test_nothing_is_late_without_a_due_time():
    assert not is_late(attempt(finished=NOW), OPEN, NOW)


def test_an_attempt_not_yet_submitted_is_not_late_even_past_the_due_time():
    assert not is_late(attempt(finished=None), DUE_YESTERDAY, NOW)


def test_an_attempt_left_open_past_a_close_after_the_due_time_is_late():
    assert is_late(attempt(finished=None, deadline=NOW - DAY), DUE_THEN_CLOSED, NOW)


# --- a cell with nothing submitted --------------------------------------------------------------


def test_nothing_started_before_the_opening_is_not_open_yet():
    assert cell([], OPENS_TOMORROW, Policy.BEST, NOW) == Cell(Status.UPCOMING, None, None, 0, False)


def test_nothing_started_while_open_without_due_time_is_not_started():
    assert cell([], OPEN, Policy.BEST, NOW).status is Status.NOT_STARTED


def test_nothing_started_before_the_due_time_is_not_started():
    assert cell([], DUE_TOMORROW, Policy.BEST, NOW).status is Status.NOT_STARTED


def test_nothing_submitted_by_the_due_time_is_missing():
    assert cell([], DUE_YESTERDAY, Policy.BEST, NOW) == Cell(Status.MISSING, None, None, 0, False)


def test_nothing_submitted_by_the_close_is_missing():
    assert cell([], CLOSED_YESTERDAY, Policy.LAST, NOW).status is Status.MISSING


def test_the_due_time_itself_makes_nothing_submitted_missing():
    due_now = Deadlines(NOW - DAY, NOW, None)
    assert cell([], due_now, Policy.BEST, NOW).status is Status.MISSING
    assert cell([], due_now, Policy.BEST, NOW - timedelta(seconds=1)).status is Status.NOT_STARTED


def test_an_attempt_under_way_is_in_progress_and_opens_that_attempt():
    under_way = attempt(finished=None, round_id=7)
    assert cell([under_way], OPEN, Policy.BEST, NOW) == Cell(Status.IN_PROGRESS, None, 7, 0, False)


def test_an_attempt_under_way_past_the_due_time_is_in_progress_not_missing():
    assert cell([attempt(finished=None)], DUE_YESTERDAY, Policy.BEST, NOW).status is (
        Status.IN_PROGRESS
    )


# --- a cell with attempts submitted -------------------------------------------------------------


@pytest.mark.parametrize("policy", list(Policy))
def test_one_attempt_submitted_in_time_is_done_with_its_share(policy):
    found = cell([attempt(right=4, round_id=9)], DUE_TOMORROW, policy, NOW)
    assert found == Cell(Status.DONE, 0.8, 9, 1, False)


@pytest.mark.parametrize("policy", list(Policy))
def test_one_attempt_submitted_after_the_due_time_is_late(policy):
    found = cell([attempt(right=4, finished=NOW - HOUR)], DUE_YESTERDAY, policy, NOW)
    assert (found.status, found.late, found.share) == (Status.LATE, True, 0.8)


@pytest.mark.parametrize("policy", list(Policy))
def test_an_attempt_left_open_at_the_close_counts_with_what_it_holds(policy):
    found = cell(
        [attempt(right=2, finished=None, deadline=NOW - DAY)], CLOSED_YESTERDAY, policy, NOW
    )
    assert (found.status, found.share, found.submitted) == (Status.DONE, 0.4, 1)


RISING = [attempt(1, right=2, finished=NOW - 3 * DAY), attempt(2, right=4, finished=NOW - 2 * DAY)]
FALLING = [attempt(1, right=4, finished=NOW - 3 * DAY), attempt(2, right=2, finished=NOW - 2 * DAY)]


@pytest.mark.parametrize(
    ("attempts", "policy", "share", "round_id"),
    [
        (RISING, Policy.BEST, 0.8, 102),
        (RISING, Policy.LAST, 0.8, 102),
        (RISING, Policy.AVERAGE, 0.6, 102),
        (FALLING, Policy.BEST, 0.8, 101),
        (FALLING, Policy.LAST, 0.4, 102),
        (FALLING, Policy.AVERAGE, 0.6, 102),
    ],
)
def test_each_policy_picks_its_share_and_the_attempt_to_open(attempts, policy, share, round_id):
    found = cell(attempts, OPEN, policy, NOW)
    assert (found.share, found.round_id, found.submitted) == (pytest.approx(share), round_id, 2)


def test_best_takes_the_earlier_attempt_on_a_tie():
    tied = [attempt(1, right=3), attempt(2, right=3, finished=NOW - DAY)]
    assert cell(tied, OPEN, Policy.BEST, NOW).round_id == 101


def test_last_goes_by_submission_time():
    # Attempt 1 left open until the close, after attempt 2 was submitted.
    out_of_order = [
        attempt(1, right=1, finished=None, deadline=NOW - DAY),
        attempt(2, right=5, finished=NOW - 2 * DAY),
    ]
    found = cell(out_of_order, CLOSED_YESTERDAY, Policy.LAST, NOW)
    assert (found.round_id, found.share) == (101, 0.2)


def test_best_is_late_only_if_the_best_attempt_is():
    on_time_best = [
        attempt(1, right=5, finished=NOW - 2 * DAY),
        attempt(2, right=1, finished=NOW - HOUR),
    ]
    found = cell(on_time_best, DUE_YESTERDAY, Policy.BEST, NOW)
    assert (found.status, found.late) == (Status.DONE, False)


def test_last_is_late_when_the_last_attempt_is():
    found = cell(
        [attempt(1, right=5, finished=NOW - 2 * DAY), attempt(2, right=1, finished=NOW - HOUR)],
        DUE_YESTERDAY,
        Policy.LAST,
        NOW,
    )
    assert (found.status, found.late) == (Status.LATE, True)


def test_an_average_is_late_if_any_attempt_in_it_is():
    found = cell(
        [attempt(1, right=5, finished=NOW - 2 * DAY), attempt(2, right=1, finished=NOW - HOUR)],
        DUE_YESTERDAY,
        Policy.AVERAGE,
        NOW,
    )
    assert found.late and found.status is Status.LATE


def test_an_attempt_under_way_beside_a_submitted_one_does_not_count():
    found = cell([attempt(1, right=4), attempt(2, right=0, finished=None)], OPEN, Policy.LAST, NOW)
    assert (found.status, found.share, found.round_id, found.submitted) == (
        Status.DONE,
        0.8,
        101,
        1,
    )


# --- averages ---------------------------------------------------------------------------------


def test_the_mean_share_leaves_out_cells_without_a_share():
    cells = [
        Cell(Status.DONE, 0.8, 1, 1, False),
        Cell(Status.MISSING, None, None, 0, False),
        Cell(Status.LATE, 0.4, 2, 1, True),
    ]
    assert mean_share(cells) == pytest.approx(0.6)


def test_the_mean_share_of_no_shares_is_none():
    assert mean_share([]) is None
    assert mean_share([Cell(Status.NOT_STARTED, None, None, 0, False)]) is None


def test_a_zero_share_counts_in_the_mean():
    assert (
        mean_share([Cell(Status.DONE, 0.0, 1, 1, False), Cell(Status.DONE, 1.0, 2, 1, False)])
        == 0.5
    )


# --- which attempts item statistics read ----------------------------------------------------------

ANA, BEN, CAI = 1, 2, 3
HISTORY = [
    (ANA, attempt(1, right=2, round_id=11)),
    (ANA, attempt(2, right=5, round_id=14)),
    (ANA, attempt(3, right=3, round_id=17)),
    (BEN, attempt(1, right=4, round_id=12)),
    (BEN, attempt(2, right=4, round_id=15)),  # ties attempt 1
    (CAI, attempt(1, right=1, finished=None, round_id=13)),  # under way: never chosen
]


@pytest.mark.parametrize(
    ("which", "round_ids"),
    [
        (AttemptSet.FIRST, [11, 12]),
        (AttemptSet.LAST, [15, 17]),
        (AttemptSet.BEST, [12, 14]),
        (AttemptSet.ALL, [11, 12, 14, 15, 17]),
    ],
)
def test_choose_attempts_takes_the_named_submitted_attempts_by_round_id(which, round_ids):
    chosen = choose_attempts(HISTORY, which, NOW)
    assert [a.round_id for a in chosen] == round_ids


def test_choose_first_and_last_go_by_attempt_number_not_by_round_id():
    renumbered = [(ANA, attempt(1, round_id=30)), (ANA, attempt(2, round_id=20))]
    assert [a.round_id for a in choose_attempts(renumbered, AttemptSet.FIRST, NOW)] == [30]
    assert [a.round_id for a in choose_attempts(renumbered, AttemptSet.LAST, NOW)] == [20]


def test_choose_attempts_counts_one_left_open_past_the_close():
    left_open = [(CAI, attempt(1, right=1, finished=None, round_id=13, deadline=NOW - DAY))]
    assert choose_attempts(left_open, AttemptSet.FIRST, NOW) == [left_open[0][1]]
    assert choose_attempts(left_open, AttemptSet.FIRST, NOW - 2 * DAY) == []


def test_choose_attempts_of_nobody_is_empty():
    assert choose_attempts([], AttemptSet.ALL, NOW) == []


# --- labels -----------------------------------------------------------------------------------


def test_every_status_policy_and_attempt_set_has_words_for_a_teacher():
    assert [s.label for s in Status] == [
        "Submitted",
        "Late",
        "In progress",
        "Missing",
        "Not started",
        "Not open yet",
    ]
    assert [p.label for p in Policy] == ["Best attempt", "Last attempt", "Average of attempts"]
    assert all(s.label for s in AttemptSet)
