"""Every route of the teacher's workspace, read from the URL map, tried by an anonymous
visitor, a student, and a teacher who does not own the class, assignment or question.

A new teach route needs a value for each of its URL arguments in `world`, or this
test fails: no teacher route goes untried.
"""

import pytest
from sqlalchemy import func, select

from quizapp import create_app, current_bank, question_store
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, QuestionVersion, TeacherQuestion
from tests.factories import (
    create_assignment,
    create_classroom,
    create_teacher,
    create_user,
    make_question,
)

# URL arguments whose value names something the owning teacher (tess) has.
OWNED = {"class_id", "assignment_id", "question_id"}


def teach_rules():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("teach."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                rules.append((rule.rule, rule.endpoint, method, tuple(sorted(rule.arguments))))
    return rules


RULES = teach_rules()


@pytest.fixture
def world(app):
    """tess owns a class, an assignment and a question; olga is another teacher; ada a student."""
    with app.app_context():
        tess = create_teacher("tess")
        create_teacher("olga")
        create_user("ada")
        classroom = create_classroom(tess)
        assignment = create_assignment(classroom)
        row = question_store.create_question(tess, make_question("single"))
        db.session.commit()
        return {
            "class_id": classroom.id,
            "assignment_id": assignment.id,
            "question_id": row.id,
            "number": 1,
            "library_id": current_bank().questions[0].id,
        }


def url_for_rule(rule: str, endpoint: str, world: dict) -> str:
    url = rule
    for name in ("class_id", "assignment_id", "question_id", "number"):
        if endpoint == "teach.library_question" and name == "question_id":
            url = url.replace("<question_id>", str(world["library_id"]))
        url = url.replace(f"<int:{name}>", str(world[name]))
    assert "<" not in url, f"add a sample value for {rule} to `world` in this test"
    return url


def snapshot(app) -> tuple:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Classroom, Assignment, TeacherQuestion, QuestionVersion)
        ) + (db.session.scalar(select(TeacherQuestion.status)),)


def call(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, data={"name": "x"})


def test_the_url_map_has_teach_routes_to_try():
    assert len(RULES) >= 15


@pytest.mark.parametrize(("rule", "endpoint", "method", "args"), RULES, ids=lambda v: str(v))
def test_anonymous_visitors_are_sent_to_log_in(app, client, world, rule, endpoint, method, args):
    before = snapshot(app)
    response = call(client, method, url_for_rule(rule, endpoint, world))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert snapshot(app) == before


@pytest.mark.parametrize(("rule", "endpoint", "method", "args"), RULES, ids=lambda v: str(v))
def test_students_get_403(app, client, auth, world, rule, endpoint, method, args):
    auth.login("ada")
    before = snapshot(app)
    assert call(client, method, url_for_rule(rule, endpoint, world)).status_code == 403
    assert snapshot(app) == before


@pytest.mark.parametrize(("rule", "endpoint", "method", "args"), RULES, ids=lambda v: str(v))
def test_another_teacher_gets_404_on_what_is_not_theirs(
    app, client, auth, world, rule, endpoint, method, args
):
    auth.login("olga")
    before = snapshot(app)
    response = call(client, method, url_for_rule(rule, endpoint, world))
    if OWNED & set(args) and endpoint != "teach.library_question":
        assert response.status_code == 404
        assert snapshot(app) == before
    else:
        # Her own dashboard, bank, import and export, and the shared library.
        assert response.status_code in (200, 302, 400)
