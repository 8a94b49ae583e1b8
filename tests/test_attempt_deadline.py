"""An attempt's deadline through the pages, on the app's clock moved by the test: answering
just before it, at it and after it; reading a closed attempt without writing it; and
`flask attempts settle`, which writes it and repairs scores, as often as it is run."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Answer, Assignment, Round, RoundItem
from tests.factories import (
    create_assignment,
    create_classroom,
    create_teacher,
    enroll,
    logged_in,
    right_form,
    user_named,
)

OPENS = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CLOSES = OPENS + timedelta(hours=1)
SECOND = timedelta(seconds=1)


class Clock:
    """The app's clock, set by the test."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(app):
    app.config["QUIZAPP_CLOCK"] = Clock(OPENS + timedelta(minutes=5))
    return app.config["QUIZAPP_CLOCK"]


@pytest.fixture
def attempt(app, user, clock):
    """ada's test attempt at five shipped questions, two answered right: (round id, tab)."""
    with app.app_context():
        classroom = create_classroom(create_teacher())
        enroll(classroom, user_named("ada"))
        from quizapp import current_bank

        ids = [q.id for q in current_bank().questions[:5]]
        assignment_id = create_assignment(
            classroom, mode="test", question_ids=ids, opens_at=OPENS, closes_at=CLOSES
        ).id
    tab = logged_in(app, "ada")
    started = tab.post(f"/assignments/{assignment_id}/attempts")
    round_id = int(re.search(r"/rounds/(\d+)", started.location).group(1))
    for position in (1, 2):
        assert answer(app, tab, round_id, position).status_code == 302
    return round_id, tab


def answer(app, tab, round_id, position):
    with app.app_context():
        question = db.session.get(Round, round_id).items[position - 1].question
    return tab.post(f"/rounds/{round_id}/questions/{position}", data=right_form(question))


def row(app, round_id):
    with app.app_context():
        a_round = db.session.get(Round, round_id)
        answers = db.session.scalar(
            select(func.count(Answer.id))
            .join(RoundItem, RoundItem.id == Answer.round_item_id)
            .where(RoundItem.round_id == round_id)
        )
        return a_round.finished_at, a_round.score, answers


def test_an_answer_a_second_before_the_deadline_counts(app, attempt, clock):
    round_id, tab = attempt
    clock.now = CLOSES - SECOND
    assert answer(app, tab, round_id, 3).status_code == 302
    assert row(app, round_id) == (None, 0.0, 3)


@pytest.mark.parametrize("late", [timedelta(0), SECOND, timedelta(days=3)])
def test_an_answer_at_or_after_the_deadline_is_refused_and_settles_the_attempt(
    app, attempt, clock, late
):
    round_id, tab = attempt
    clock.now = CLOSES + late
    response = answer(app, tab, round_id, 3)
    assert (response.status_code, response.location) == (303, f"/review/rounds/{round_id}")
    recap = tab.get(response.location).get_data(as_text=True)
    assert "nothing more can be submitted" in recap
    assert row(app, round_id) == (CLOSES, 2.0, 2)


def test_a_closed_attempt_reads_as_submitted_at_the_deadline_and_nothing_is_written(
    app, attempt, clock
):
    round_id, tab = attempt
    clock.now = CLOSES + timedelta(hours=5)
    recap = tab.get(f"/review/rounds/{round_id}").get_data(as_text=True)
    assert "Round complete" in recap
    assert "2 out of 5</strong> (40%)" in recap
    assert "counts as submitted then" in recap
    progress = tab.get("/review/scores").get_data(as_text=True)
    assert '<span class="score">2 / 5</span>' in progress
    assert tab.get("/").status_code == 200
    assert row(app, round_id) == (None, 0.0, 2)  # read as closed, not written


def test_submit_after_the_deadline_submits_at_the_deadline(app, attempt, clock):
    round_id, tab = attempt
    clock.now = CLOSES + timedelta(minutes=10)
    tab.post(f"/rounds/{round_id}/submit")
    assert row(app, round_id) == (CLOSES, 2.0, 2)


def test_settle_writes_attempts_left_open_past_their_deadline_and_is_idempotent(
    app, attempt, clock
):
    round_id, _ = attempt
    runner = app.test_cli_runner()
    clock.now = CLOSES - SECOND
    before = runner.invoke(args=["attempts", "settle"])
    assert before.exit_code == 0
    assert "0 attempts settled at their deadline, 0 rescored." in before.output
    assert row(app, round_id) == (None, 0.0, 2)

    clock.now = CLOSES + timedelta(days=1)
    first = runner.invoke(args=["attempts", "settle"])
    assert "1 attempt settled at their deadline, 0 rescored." in first.output
    assert row(app, round_id) == (CLOSES, 2.0, 2)
    again = runner.invoke(args=["attempts", "settle"])
    assert "0 attempts settled at their deadline, 0 rescored." in again.output
    assert row(app, round_id) == (CLOSES, 2.0, 2)


def test_settle_rescores_finished_rounds_whose_score_lost_an_answer(app, attempt, clock):
    round_id, tab = attempt
    for position in (3, 4, 5):
        answer(app, tab, round_id, position)
    tab.post(f"/rounds/{round_id}/submit")
    finished_at, score, _ = row(app, round_id)
    assert finished_at is not None and score == 5.0
    with app.app_context():
        db.session.get(Round, round_id).score = 4.0  # what the old lost update left behind
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["attempts", "settle"])
    assert "0 attempts settled at their deadline, 1 rescored." in result.output
    assert row(app, round_id)[1] == 5.0
    again = app.test_cli_runner().invoke(args=["attempts", "settle"])
    assert "0 rescored" in again.output


def test_the_gradebook_reads_a_closed_attempt_at_the_deadline(app, attempt, clock):
    round_id, _ = attempt
    teacher = logged_in(app, "tess")
    clock.now = CLOSES + timedelta(hours=1)
    with app.app_context():
        class_id = db.session.scalar(select(Assignment.classroom_id))
    page = teacher.get(f"/teach/attempts/{round_id}").get_data(as_text=True)
    assert "<dd>2 / 5</dd>" in page
    book = teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    assert "40%" in book
    assert row(app, round_id) == (None, 0.0, 2)
