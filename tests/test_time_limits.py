"""Time limits through the pages, on the app's clock moved by the test: the teacher's
"Time limit (minutes)", "Time left" on the page, an answer just within and just past the
limit's grace, reading a timed-out attempt without writing it, the page's save at zero,
the warning before starting close to the close; and the race of the limit passing while
answers are posted. On the database the run selects."""

import random
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from quizapp import current_bank
from quizapp.domain.attempts import LIMIT_GRACE
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import MODE_TEST, Answer, Assignment, Round, RoundItem
from tests.factories import (
    at_once,
    create_assignment,
    create_classroom,
    create_teacher,
    enroll,
    logged_in,
    right_form,
    user_named,
)

OPENS = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
STARTED = OPENS + timedelta(minutes=5)
LIMIT = timedelta(minutes=30)
LIMIT_ENDS = STARTED + LIMIT
SECOND = timedelta(seconds=1)


class Clock:
    """The app's clock, set by the test: stopped at the moment set, or (`running`) going on
    from it as time does."""

    def __init__(self, now: datetime):
        self.set(now)

    def set(self, now: datetime, *, running: bool = False) -> None:
        self.base, self.started, self.running = now, time.monotonic(), running

    def __call__(self) -> datetime:
        if not self.running:
            return self.base
        return self.base + timedelta(seconds=time.monotonic() - self.started)


@pytest.fixture
def clock(app):
    app.config["QUIZAPP_CLOCK"] = Clock(STARTED)
    return app.config["QUIZAPP_CLOCK"]


def timed_test(app, **fields) -> int:
    """ada in tess's class with a 30-minute test of four single-choice questions: its id."""
    with app.app_context():
        classroom = create_classroom(create_teacher())
        enroll(classroom, user_named("ada"))
        ids = [q.id for q in current_bank().questions if q.type is QuestionType.SINGLE][:4]
        values = dict(
            title="Timed test",
            mode=MODE_TEST,
            question_ids=ids,
            opens_at=OPENS,
            time_limit_minutes=30,
            attempts_allowed=0,
        )
        return create_assignment(classroom, **(values | fields)).id


def start(tab, assignment_id) -> int:
    started = tab.post(f"/assignments/{assignment_id}/attempts")
    return int(re.search(r"/rounds/(\d+)", started.location).group(1))


@pytest.fixture
def attempt(app, user, clock):
    assignment_id = timed_test(app)
    tab = logged_in(app, "ada")
    return start(tab, assignment_id), tab


def answer(app, tab, round_id, position, **buttons):
    with app.app_context():
        question = db.session.get(Round, round_id).items[position - 1].question
    data = {**right_form(question), "go": "next", **buttons}
    return tab.post(f"/rounds/{round_id}/questions/{position}", data=data)


def row(app, round_id):
    with app.app_context():
        a_round = db.session.get(Round, round_id)
        answers = db.session.scalar(
            select(func.count(Answer.id))
            .join(RoundItem, RoundItem.id == Answer.round_item_id)
            .where(RoundItem.round_id == round_id)
        )
        return a_round.finished_at, a_round.score, answers


# --- the teacher's form --------------------------------------------------------------------


def assignment_form(**fields):
    return {
        "title": "Timed",
        "mode": "test",
        "attempts_allowed": "1",
        "source": "scope",
        "scope": "all",
        "length": "5",
        **fields,
    }


def test_a_teacher_sets_a_time_limit_and_shuffle(app, teacher):
    with app.app_context():
        class_id = create_classroom(user_named("tess")).id
    form = assignment_form(time_limit="45", shuffle="y")
    response = teacher.post(f"/teach/classes/{class_id}/assignments/new", data=form)
    assert response.status_code == 302
    with app.app_context():
        found = db.session.scalar(select(Assignment))
        assert (found.time_limit_minutes, found.shuffle) == (45, True)
    page = teacher.get(response.location).get_data(as_text=True)
    assert "<dt>Time limit</dt><dd>45 minutes</dd>" in page
    assert "Shuffled for each student" in page


def test_an_assignment_left_without_a_limit_has_none(app, teacher):
    with app.app_context():
        class_id = create_classroom(user_named("tess")).id
    teacher.post(f"/teach/classes/{class_id}/assignments/new", data=assignment_form())
    with app.app_context():
        found = db.session.scalar(select(Assignment))
        assert (found.time_limit_minutes, found.shuffle) == (None, False)


@pytest.mark.parametrize("typed", ["0", "601", "-5", "half an hour"])
def test_a_time_limit_outside_1_to_600_minutes_is_refused(app, teacher, typed):
    with app.app_context():
        class_id = create_classroom(user_named("tess")).id
    response = teacher.post(
        f"/teach/classes/{class_id}/assignments/new", data=assignment_form(time_limit=typed)
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert ">Time limit (minutes)</a>:" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Assignment.id))) == 0


# --- the student's page ----------------------------------------------------------------------


def test_the_page_shows_the_time_left_and_until_when(app, attempt, clock):
    round_id, tab = attempt
    clock.set(STARTED + timedelta(minutes=17, seconds=30))
    page = tab.get(f"/rounds/{round_id}/questions/1").get_data(as_text=True)
    timer = re.search(r'<div class="time-left" role="timer"[^>]*>(.*?)</div>', page, re.S)
    text = " ".join(re.sub(r"<[^>]+>", "", timer.group(1)).split())
    assert text == "Time left 12:30 (until 30 Nov 2026, 09:35 UTC)"
    assert 'data-seconds="750"' in timer.group(0)
    assert "/static/timer.js" in page


def test_a_timed_practice_shows_the_time_left_beside_its_feedback(app, user, clock):
    tab = logged_in(app, "ada")
    round_id = start(tab, timed_test(app, mode="practice"))
    clock.set(STARTED + timedelta(minutes=10))
    answered = answer(app, tab, round_id, 1)
    assert answered.status_code == 302
    page = tab.get(f"/rounds/{round_id}/questions/1").get_data(as_text=True)
    assert "Right" in page  # the feedback page
    timer = re.search(r'<div class="time-left" role="timer"[^>]*>(.*?)</div>', page, re.S)
    assert " ".join(re.sub(r"<[^>]+>", "", timer.group(1)).split()).startswith("Time left 20:00")
    assert f'data-then="/rounds/{round_id}"' in timer.group(0)
    assert "/static/timer.js" in page


def test_an_untimed_test_shows_no_timer(app, user, clock):
    tab = logged_in(app, "ada")
    round_id = start(tab, timed_test(app, time_limit_minutes=None))
    page = tab.get(f"/rounds/{round_id}/questions/1").get_data(as_text=True)
    assert 'role="timer"' not in page and "timer.js" not in page


def test_an_answer_within_five_seconds_of_the_limit_is_saved(app, attempt, clock):
    round_id, tab = attempt
    clock.set(LIMIT_ENDS + LIMIT_GRACE - timedelta(milliseconds=500))
    assert answer(app, tab, round_id, 1).status_code == 302
    assert row(app, round_id) == (None, 0.0, 1)


def test_an_answer_more_than_five_seconds_after_the_limit_is_refused(app, attempt, clock):
    round_id, tab = attempt
    answer(app, tab, round_id, 1)
    clock.set(LIMIT_ENDS + LIMIT_GRACE + SECOND)
    response = answer(app, tab, round_id, 2)
    assert (response.status_code, response.location) == (303, f"/review/rounds/{round_id}")
    assert "nothing more can be submitted" in tab.get(response.location).get_data(as_text=True)
    assert row(app, round_id) == (LIMIT_ENDS, 1.0, 1)


def test_a_timed_out_attempt_reads_as_submitted_at_the_limit_and_nothing_is_written(
    app, attempt, clock
):
    round_id, tab = attempt
    answer(app, tab, round_id, 1)
    clock.set(LIMIT_ENDS + timedelta(hours=2))
    recap = tab.get(f"/review/rounds/{round_id}").get_data(as_text=True)
    assert "Round complete" in recap and "1 out of 4</strong>" in recap
    assert tab.get(f"/rounds/{round_id}/summary").status_code == 302
    assert tab.get("/").status_code == 200
    assert row(app, round_id) == (None, 0.0, 1)


def test_settle_writes_a_timed_out_attempt_at_its_limit(app, attempt, clock):
    round_id, tab = attempt
    answer(app, tab, round_id, 1)
    runner = app.test_cli_runner()
    clock.set(LIMIT_ENDS + LIMIT_GRACE - SECOND)
    assert "0 attempts settled" in runner.invoke(args=["attempts", "settle"]).output
    assert row(app, round_id) == (None, 0.0, 1)
    clock.set(LIMIT_ENDS + LIMIT_GRACE)
    assert "1 attempt settled" in runner.invoke(args=["attempts", "settle"]).output
    assert row(app, round_id) == (LIMIT_ENDS, 1.0, 1)


def test_the_page_saving_at_zero_submits_the_attempt_at_the_limit(app, attempt, clock):
    round_id, tab = attempt
    clock.set(LIMIT_ENDS + timedelta(milliseconds=300))
    response = answer(app, tab, round_id, 1, go="timeup")
    assert response.location == f"/review/rounds/{round_id}"
    assert row(app, round_id) == (LIMIT_ENDS, 1.0, 1)


def test_a_page_saving_early_by_its_own_clock_goes_back_to_the_attempt(app, attempt, clock):
    round_id, tab = attempt
    clock.set(LIMIT_ENDS - 2 * SECOND)
    response = answer(app, tab, round_id, 1, go="timeup")
    assert response.location == f"/rounds/{round_id}"
    assert row(app, round_id) == (None, 0.0, 1)


def test_a_limit_never_runs_past_the_close(app, user, clock):
    closes = STARTED + timedelta(minutes=10)
    tab = logged_in(app, "ada")
    round_id = start(tab, timed_test(app, closes_at=closes))
    page = tab.get(f"/rounds/{round_id}/questions/1").get_data(as_text=True)
    assert "Time left 10:00" in " ".join(re.sub(r"<[^>]+>", "", page).split())
    clock.set(closes)
    assert answer(app, tab, round_id, 1).status_code == 303
    assert row(app, round_id) == (closes, 0.0, 0)


def test_a_student_is_told_before_starting_when_less_time_is_left_than_the_limit(app, user, clock):
    timed_test(app, closes_at=STARTED + timedelta(minutes=12))
    tab = logged_in(app, "ada")
    home = " ".join(re.sub(r"<[^>]+>", "", tab.get("/").get_data(as_text=True)).split())
    assert "Time limit: 30 minutes." in home
    assert (
        "Less time than the limit: Timed test closes 30 Nov 2026, 09:17 UTC, so an attempt "
        "started now has 12 minutes, not 30 minutes." in home
    )


def test_no_warning_when_the_whole_limit_fits_before_the_close(app, user, clock):
    timed_test(app, closes_at=STARTED + timedelta(hours=2))
    home = logged_in(app, "ada").get("/").get_data(as_text=True)
    assert "Time limit: 30 minutes." in home and "Less time than the limit" not in home


# --- the race of the limit passing while answers are posted ---------------------------------

TRIES = 50


def test_the_limit_passing_while_answers_are_posted_never_both_stores_and_refuses(app, user, clock):
    assignment_id = timed_test(app)
    tabs = [logged_in(app, "ada"), logged_in(app, "ada")]
    rng = random.Random(13)
    seen = set()
    for n in range(TRIES):
        started = STARTED + n * timedelta(days=1)
        clock.set(started)
        round_id = start(tabs[0], assignment_id)
        ends = started + LIMIT + LIMIT_GRACE
        # The grace ends within a few milliseconds of the posts, before or after.
        clock.set(ends - timedelta(milliseconds=rng.uniform(-5, 40)), running=True)
        responses = at_once(
            [
                lambda t=tab, p=position, r=round_id: answer(app, t, r, p)
                for position, tab in [(1, tabs[0]), (2, tabs[1])]
            ]
        )
        with app.app_context():
            stored = set(
                db.session.scalars(
                    select(RoundItem.position)
                    .join(Answer, Answer.round_item_id == RoundItem.id)
                    .where(RoundItem.round_id == round_id)
                )
            )
            finished_at = db.session.get(Round, round_id).finished_at
        for position, response in zip((1, 2), responses, strict=True):
            assert response.status_code in (302, 303), response.status_code
            saved = response.status_code == 302
            assert saved == (position in stored), f"try {n}: question {position}"
            seen.add(saved)
            if not saved:
                assert finished_at == started + LIMIT
    assert seen == {True, False}, "the limit never passed during the posts: no race was run"


def test_an_answer_after_the_limit_is_told_the_time_ran_out_not_that_the_test_closed(
    app, attempt, clock
):
    round_id, tab = attempt
    clock.set(LIMIT_ENDS + LIMIT_GRACE + SECOND)
    recap = tab.get(answer(app, tab, round_id, 1).location).get_data(as_text=True)
    # The assignment is still open (another attempt may start): only this attempt's time is up.
    assert "Time ran out on this attempt at Timed test" in recap
    assert "Timed test closed" not in recap
