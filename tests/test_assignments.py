"""A student's side of classes: join with a code, see assignments, play them in practice or
test mode, within their window and their number of attempts."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp import current_bank
from quizapp.extensions import db
from quizapp.models import Answer, Enrollment, Round, User, utcnow
from tests.factories import (
    create_assignment,
    create_classroom,
    create_teacher,
    create_user,
    enroll,
    right_form,
    wrong_form,
)


@pytest.fixture
def classroom(app, user):
    """Tess's class, which the learner `ada` has joined; returns (class id, join code)."""
    with app.app_context():
        tess = create_teacher()
        classroom = create_classroom(tess)
        enroll(classroom, db.session.get(User, user.id))
        return classroom.id, classroom.join_code


@pytest.fixture
def student(client, auth, user):
    auth.login()
    return client


def shipped_ids(app, count=3) -> list[str]:
    with app.app_context():
        return [q.id for q in current_bank().questions[:count]]


def new_assignment(app, class_id, **fields) -> int:
    with app.app_context():
        from quizapp.models import Classroom

        return create_assignment(db.session.get(Classroom, class_id), **fields).id


def the_round(app, round_id):
    with app.app_context():
        found = db.session.get(Round, round_id)
        return [item.question for item in found.items], found.finished_at, found.score


def start(client, assignment_id):
    response = client.post(f"/assignments/{assignment_id}/attempts")
    return response


def round_id_of(response) -> int:
    # /rounds/<id> (resume) is where a started attempt leads
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- joining --------------------------------------------------------------------------------


def test_a_student_joins_a_class_with_its_code_typed_loosely(app, client, auth):
    with app.app_context():
        code = create_classroom(create_teacher()).join_code
    auth.register("bob")
    typed = f" {code[:4].lower()}-{code[4:].lower()} "
    response = client.post("/classes/join", data={"code": typed}, follow_redirects=True)
    assert "You joined Year 12 History." in response.get_data(as_text=True)
    assert count(app, Enrollment) == 1


def test_a_wrong_code_says_so_and_enrolls_nobody(app, client, auth):
    with app.app_context():
        create_classroom(create_teacher())
    auth.register("bob")
    response = client.post("/classes/join", data={"code": "NOPE2345"})
    assert response.status_code == 400
    assert "No class has that code" in response.get_data(as_text=True)
    assert count(app, Enrollment) == 0


def test_joining_twice_says_already_in_and_adds_nothing(app, student, classroom):
    _, code = classroom
    response = student.post("/classes/join", data={"code": code})
    assert response.status_code == 400
    assert "already in Year 12 History" in response.get_data(as_text=True)
    assert count(app, Enrollment) == 1


# --- playing ------------------------------------------------------------------------------


def test_the_home_page_lists_the_assignments_of_the_students_classes(app, student, classroom):
    new_assignment(app, classroom[0], title="Genscher at Tutzing")
    page = student.get("/").get_data(as_text=True)
    assert "Genscher at Tutzing" in page and "Year 12 History" in page
    assert "Attempts: 0 of 1" in page


def test_a_practice_assignment_plays_with_feedback_after_each_answer(app, student, classroom):
    assignment_id = new_assignment(app, classroom[0], question_ids=shipped_ids(app, 2))
    round_id = round_id_of(start(student, assignment_id))
    questions, _, _ = the_round(app, round_id)
    assert [q.id for q in questions] == shipped_ids(app, 2)
    student.post(f"/rounds/{round_id}/questions/1", data=right_form(questions[0]))
    page = student.get(f"/rounds/{round_id}/questions/1").get_data(as_text=True)
    assert "Right" in page and "From the article, section" in page


def test_a_test_shows_no_verdict_until_it_is_submitted(app, student, classroom):
    assignment_id = new_assignment(app, classroom[0], mode="test", question_ids=shipped_ids(app, 3))
    round_id = round_id_of(start(student, assignment_id))
    questions, _, _ = the_round(app, round_id)

    response = student.post(f"/rounds/{round_id}/questions/1", data=right_form(questions[0]))
    assert response.headers["Location"].endswith(f"/rounds/{round_id}/questions/2")
    again = student.get(f"/rounds/{round_id}/questions/1").get_data(as_text=True)
    assert "Answer saved" in again
    for hidden in ("Right", "Wrong", questions[0].explanation, "From the article"):
        assert hidden not in again
    recap = student.get(f"/review/rounds/{round_id}").get_data(as_text=True)
    assert questions[0].explanation not in recap and "Summary of attempt" in recap

    student.post(f"/rounds/{round_id}/questions/2", data=wrong_form(questions[1]))
    summary = student.get(f"/rounds/{round_id}/summary").get_data(as_text=True)
    assert questions[0].explanation not in summary and "Right" not in summary
    student.post(f"/rounds/{round_id}/submit")
    _, finished, score = the_round(app, round_id)
    assert finished is not None and score == 1.0  # question 3 left open scores nothing
    recap = student.get(f"/review/rounds/{round_id}").get_data(as_text=True)
    assert questions[0].explanation in recap and "1 out of 3" in recap
    assert "Not answered." in recap
    assert "Best score: 1 out of 3." in student.get("/").get_data(as_text=True)


def test_answering_every_question_of_a_test_leaves_it_open_until_submitted(app, student, classroom):
    assignment_id = new_assignment(app, classroom[0], mode="test", question_ids=shipped_ids(app, 1))
    round_id = round_id_of(start(student, assignment_id))
    questions, _, _ = the_round(app, round_id)
    response = student.post(f"/rounds/{round_id}/questions/1", data=right_form(questions[0]))
    assert response.headers["Location"] == f"/rounds/{round_id}/summary"
    assert the_round(app, round_id)[1] is None
    submitted = student.post(f"/rounds/{round_id}/submit", follow_redirects=True)
    assert "Your attempt is submitted." in submitted.get_data(as_text=True)
    _, finished, score = the_round(app, round_id)
    assert finished is not None and score == 1.0


def test_no_attempt_past_the_number_allowed(app, student, classroom):
    assignment_id = new_assignment(app, classroom[0], question_ids=shipped_ids(app, 1))
    round_id = round_id_of(start(student, assignment_id))
    questions, _, _ = the_round(app, round_id)
    student.post(f"/rounds/{round_id}/questions/1", data=right_form(questions[0]))
    response = start(student, assignment_id)
    assert response.status_code == 303
    home = student.get("/").get_data(as_text=True)
    assert "You have used your 1 attempt." in home
    assert count(app, Round) == 1


def test_starting_again_resumes_the_attempt_under_way(app, student, classroom):
    assignment_id = new_assignment(app, classroom[0], attempts_allowed=3)
    first = round_id_of(start(student, assignment_id))
    again = round_id_of(start(student, assignment_id))
    assert first == again and count(app, Round) == 1


def test_an_assignment_not_yet_open_cannot_be_started(app, student, classroom):
    opens = utcnow() + timedelta(days=2)
    assignment_id = new_assignment(app, classroom[0], opens_at=opens)
    start(student, assignment_id)
    assert count(app, Round) == 0
    assert "Opens " in student.get("/").get_data(as_text=True)


def test_after_the_close_nothing_more_is_submitted_and_the_page_says_so(app, student, classroom):
    assignment_id = new_assignment(app, classroom[0], question_ids=shipped_ids(app, 2))
    round_id = round_id_of(start(student, assignment_id))
    questions, _, _ = the_round(app, round_id)
    student.post(f"/rounds/{round_id}/questions/1", data=right_form(questions[0]))
    with app.app_context():
        from quizapp.models import Assignment

        db.session.get(Assignment, assignment_id).closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()

    response = student.post(
        f"/rounds/{round_id}/questions/2", data=right_form(questions[1]), follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "nothing more can be submitted" in page
    assert count(app, Answer) == 1
    _, finished, score = the_round(app, round_id)
    assert finished is not None and score == 1.0
    assert "Closed " in student.get("/").get_data(as_text=True)
    assert start(student, assignment_id).status_code == 303
    assert count(app, Round) == 1


def test_a_scope_assignment_builds_a_round_of_its_section(app, student, classroom):
    assignment_id = new_assignment(app, classroom[0], section="2", length=6)
    round_id = round_id_of(start(student, assignment_id))
    questions, _, _ = the_round(app, round_id)
    assert questions and all(q.section.split(".")[0] == "2" for q in questions)


# --- who may -------------------------------------------------------------------------------


def test_an_assignment_of_a_class_the_student_is_not_in_is_not_found(app, client, auth, classroom):
    assignment_id = new_assignment(app, classroom[0])
    auth.register("bob")
    assert client.post(f"/assignments/{assignment_id}/attempts").status_code == 404
    assert "Baker in Moscow" not in client.get("/").get_data(as_text=True)
    assert count(app, Round) == 0


def test_another_students_attempt_is_not_found(app, client, auth, classroom):
    assignment_id = new_assignment(app, classroom[0])
    auth.login()
    round_id = round_id_of(start(client, assignment_id))
    auth.logout()
    with app.app_context():
        from quizapp.models import Classroom

        enroll(db.session.get(Classroom, classroom[0]), create_user("bob"))
    auth.login("bob")
    assert client.get(f"/rounds/{round_id}/questions/1").status_code == 404
    assert client.post(f"/rounds/{round_id}/submit").status_code == 404
    assert client.get(f"/review/rounds/{round_id}").status_code == 404
