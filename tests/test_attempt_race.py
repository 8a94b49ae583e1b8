"""The last answer of an attempt and Submit arriving together (two tabs, a double click, a
slow phone) store a score that is the sum of the stored answers, and every page shows it:
on the database the run selects (SQLite, then PostgreSQL)."""

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from quizapp import current_bank
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
    wrong_form,
)

TRIES = 50
LENGTH = 5


@pytest.fixture
def race(app, user):
    """ada in tess's class with a test of five single-choice questions and no limit on
    attempts; ada on two tabs, tess on one: (assignment id, class id, tabs, teacher)."""
    with app.app_context():
        classroom = create_classroom(create_teacher())
        enroll(classroom, user_named("ada"))
        ids = [q.id for q in current_bank().questions if q.type is QuestionType.SINGLE][:LENGTH]
        assignment = create_assignment(
            classroom,
            title="Race",
            mode=MODE_TEST,
            question_ids=ids,
            length=LENGTH,
            attempts_allowed=0,
        )
        found = (assignment.id, classroom.id)
    tabs = [logged_in(app, "ada"), logged_in(app, "ada")]
    return found[0], found[1], tabs, logged_in(app, "tess")


def forms_of(app, round_id):
    """The form of each question in order: the first answered wrong, the rest right."""
    with app.app_context():
        items = db.session.get(Round, round_id).items
        return [(wrong_form if item.position == 1 else right_form)(item.question) for item in items]


def stored(app, round_id):
    """(finished, stored score, sum of the stored answers' scores, answers) of a round."""
    with app.app_context():
        a_round = db.session.get(Round, round_id)
        total, count = db.session.execute(
            select(func.coalesce(func.sum(Answer.score), 0.0), func.count(Answer.id))
            .join(RoundItem, RoundItem.id == Answer.round_item_id)
            .where(RoundItem.round_id == round_id)
        ).one()
        return a_round.finished_at is not None, a_round.score, total, count


def play_to_the_last_question(app, tab, assignment_id):
    started = tab.post(f"/assignments/{assignment_id}/attempts")
    round_id = int(re.search(r"/rounds/(\d+)", started.location).group(1))
    forms = forms_of(app, round_id)
    for position in range(1, LENGTH):
        response = tab.post(f"/rounds/{round_id}/questions/{position}", data=forms[position - 1])
        assert response.status_code == 302
    return round_id, forms[-1]


def test_the_last_answer_and_submit_at_once_store_the_sum_of_the_stored_answers(app, race):
    assignment_id, class_id, (tab, other_tab), teacher = race
    outcomes = set()
    for _ in range(TRIES):
        round_id, last = play_to_the_last_question(app, tab, assignment_id)
        statuses = at_once(
            [
                lambda r=round_id, f=last: tab.post(f"/rounds/{r}/questions/{LENGTH}", data=f),
                lambda r=round_id: other_tab.post(f"/rounds/{r}/submit"),
            ]
        )
        # Both redirect: the answer to the recap once Submit came first (303, "submitted").
        assert [r.status_code in (302, 303) for r in statuses] == [True, True]
        finished, score, total, count = stored(app, round_id)
        assert finished
        assert score == total, f"round {round_id}: stored {score}, answers add up to {total}"
        outcomes.add(count)

        recap = tab.get(f"/review/rounds/{round_id}").get_data(as_text=True)
        assert f"{total:g} out of {LENGTH}</strong>" in recap
        progress = tab.get("/review/scores").get_data(as_text=True)
        assert f'<span class="score">{total:g} / {LENGTH}</span>' in progress

        book = teacher.get(f"/teach/classes/{class_id}/gradebook.csv?show=last")
        rows = list(csv.reader(io.StringIO(book.get_data(as_text=True).lstrip("\ufeff"))))
        assert rows[1][0] == "ada"
        assert float(rows[1][1]) == round(total / LENGTH * 100, 1)
        cells = teacher.get(f"/teach/classes/{class_id}/gradebook?show=last")
        assert f">{round(total / LENGTH * 100)}%<" in cells.get_data(as_text=True)
        attempt_page = teacher.get(f"/teach/attempts/{round_id}").get_data(as_text=True)
        assert f"<dd>{total:g} / {LENGTH}</dd>" in attempt_page
    # The last answer was stored (5 answers) or refused as too late (4): never lost silently.
    assert outcomes <= {LENGTH - 1, LENGTH}


def test_a_double_submit_finishes_the_attempt_once(app, race):
    assignment_id, _, (tab, other_tab), _ = race
    round_id, _ = play_to_the_last_question(app, tab, assignment_id)
    statuses = at_once(
        [
            lambda: tab.post(f"/rounds/{round_id}/submit").status_code,
            lambda: other_tab.post(f"/rounds/{round_id}/submit").status_code,
        ]
    )
    assert statuses == [302, 302]
    with app.app_context():
        first = db.session.get(Round, round_id).finished_at
    assert stored(app, round_id)[:3] == (True, LENGTH - 2, LENGTH - 2)
    tab.post(f"/rounds/{round_id}/submit")
    with app.app_context():
        assert db.session.get(Round, round_id).finished_at == first
        assert db.session.get(Assignment, assignment_id).title == "Race"
