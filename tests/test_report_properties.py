"""Arbitrary query strings and form data thrown at the report pages and the review of
mistakes: a page or a clear 400, never a 500, and nothing written."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Answer, Round, User
from tests.factories import create_assignment, create_classroom, create_user, enroll

SETTINGS = settings(
    max_examples=int(os.environ.get("QUIZAPP_HYPOTHESIS_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["best", "last", "average", "first", "all", "BEST", " best", "", "0"]),
)


@pytest.fixture
def world(app, teacher):
    """tess's class with ada in it and one assignment: the ids the report URLs take."""
    with app.app_context():
        tess = db.session.scalar(select(User).where(User.username == "tess"))
        classroom = create_classroom(tess)
        enroll(classroom, create_user("ada"))
        assignment = create_assignment(classroom)
        return teacher, classroom.id, assignment.id


def clear_refusal(message: str, response) -> bool:
    """The page names what is allowed (or the NUL character every request is refused for)."""
    page = response.get_data(as_text=True)
    return message in page or "NUL character" in page


def rows(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Round.id))),
            db.session.scalar(select(func.count(Answer.id))),
        )


@SETTINGS
@given(show=VALUES)
def test_any_gradebook_choice_gets_the_page_or_a_clear_400(app, world, show):
    client, class_id, _ = world
    for path in ("gradebook", "gradebook.csv"):
        response = client.get(f"/teach/classes/{class_id}/{path}", query_string={"show": show})
        assert response.status_code in (200, 400)
        if response.status_code == 400:
            assert clear_refusal("must be one of best, last, average", response)


@SETTINGS
@given(attempts=VALUES)
def test_any_choice_of_attempts_gets_the_statistics_or_a_clear_400(app, world, attempts):
    client, _, assignment_id = world
    response = client.get(
        f"/teach/assignments/{assignment_id}/statistics", query_string={"attempts": attempts}
    )
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert clear_refusal("must be one of first, best, last, all", response)


@SETTINGS
@given(form=st.dictionaries(st.sampled_from(["early", "csrf_token", "x"]), VALUES, max_size=3))
def test_any_review_request_with_nothing_missed_starts_nothing(app, client, auth, form):
    auth.register("rex")
    before = rows(app)
    response = client.post("/review/mistakes", data=form)
    if response.status_code == 400:
        assert clear_refusal("NUL character", response)
    else:
        assert response.status_code == 303
    assert rows(app) == before
