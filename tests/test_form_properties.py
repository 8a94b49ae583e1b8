"""Malformed data thrown at the forms outside the teacher's workspace (register, log in,
start a round, move an ordering item): never a 500, and a refused request writes nothing."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Answer, Round, User
from tests.factories import PASSWORD, make_question, start_round_with

TEXT = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["", "ada", "x" * 300, PASSWORD, "all", "section:2", "topic:baker", "10"]),
)
SETTINGS = settings(
    max_examples=int(os.environ.get("QUIZAPP_HYPOTHESIS_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def form_of(names):
    return st.dictionaries(
        st.sampled_from(names), st.one_of(TEXT, st.lists(TEXT, max_size=3)), max_size=len(names)
    )


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@SETTINGS
@given(form=form_of(["username", "password", "confirm", "role", "submit"]))
def test_any_registration_gets_an_answer_and_creates_at_most_one_student(app, form):
    client = app.test_client()
    before = count(app, User)
    response = client.post("/register", data=form)
    assert response.status_code in (302, 400)
    created = count(app, User) - before
    assert created == (1 if response.status_code == 302 else 0)
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(User.role != "student")) == 0


@SETTINGS
@given(form=form_of(["username", "password", "remember", "submit"]), next_=TEXT)
def test_any_login_gets_an_answer_never_a_500(app, user, form, next_):
    client = app.test_client()
    response = client.post("/login", query_string={"next": next_}, data=form)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//")


@pytest.fixture
def learner(app, user):
    client = app.test_client()
    client.post("/login", data={"username": "ada", "password": PASSWORD})
    with app.app_context():
        round_id = start_round_with(
            db.session.get(User, user.id), [make_question("ordering", id="q-order")]
        ).id
    return client, round_id


@SETTINGS
@given(form=form_of(["scope", "length", "submit", "csrf_token"]))
def test_any_new_round_form_gets_an_answer_and_starts_at_most_one_round(app, learner, form):
    client, _ = learner
    before = count(app, Round)
    response = client.post("/rounds", data=form)
    assert response.status_code in (302, 400)
    assert count(app, Round) - before == (1 if response.status_code == 302 else 0)


@SETTINGS
@given(form=form_of(["move", "order", "submit"]))
def test_any_ordering_move_gets_an_answer_and_records_nothing_unless_submitted(app, learner, form):
    client, round_id = learner
    before = count(app, Answer)
    response = client.post(f"/rounds/{round_id}/questions/1", data=form)
    assert response.status_code in (200, 302, 400)
    written = count(app, Answer) - before
    assert written == 0 or (response.status_code == 302 and written == 1)
