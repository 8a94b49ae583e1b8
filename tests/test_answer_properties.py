"""Malformed answers thrown at the answer endpoint: never a 500, never a partial write."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Answer, User
from tests.factories import PASSWORD, make_question, start_round_with
from tests.unit.test_grading_properties import FORMS, TYPES


@pytest.fixture
def playing(app, client, user):
    """A logged-in learner with a round of one question of each type; its id."""
    with app.app_context():
        ada = db.session.get(User, user.id)
        round_id = start_round_with(ada, [make_question(t, id=f"q-{t}") for t in TYPES]).id
    client.post("/login", data={"username": "ada", "password": PASSWORD})
    return round_id


def count_answers(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.integers(min_value=-1, max_value=9), form=FORMS)
def test_no_form_gets_a_server_error_or_a_half_written_answer(app, client, playing, position, form):
    before = count_answers(app)
    response = client.post(f"/rounds/{playing}/questions/{position}", data=form)
    assert response.status_code in (302, 400, 404)
    written = count_answers(app) - before
    assert written == 0 or (response.status_code == 302 and written == 1)
