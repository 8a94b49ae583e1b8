"""Overrides through the pages, on the app's clock moved by the test: the teacher grants
one student extra time, extra attempts or a later close on the assignment page, edits and
removes it; the student's home page, their attempt and the gradebook follow it; and the
refusals (another teacher's class, a student, bad values). On the database the run selects."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp import current_bank
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import MODE_TEST, AssignmentOverride, Round
from tests.factories import (
    at_once,
    create_assignment,
    create_classroom,
    create_user,
    enroll,
    logged_in,
    user_named,
)
from tests.test_time_limits import OPENS, STARTED, Clock, answer, start

CLOSES = OPENS + timedelta(hours=2)
DUE = OPENS + timedelta(hours=1)


@pytest.fixture
def clock(app):
    app.config["QUIZAPP_CLOCK"] = Clock(STARTED)
    return app.config["QUIZAPP_CLOCK"]


@pytest.fixture
def assignment_id(app, teacher, user, clock):
    """Tess's 30-minute test of four questions for ada: one attempt, due at 10:00, closing
    at 11:00 UTC."""
    with app.app_context():
        classroom = create_classroom(user_named("tess"))
        enroll(classroom, user_named("ada"))
        ids = [q.id for q in current_bank().questions if q.type is QuestionType.SINGLE][:4]
        return create_assignment(
            classroom,
            title="Timed test",
            mode=MODE_TEST,
            question_ids=ids,
            opens_at=OPENS,
            closes_at=CLOSES,
            due_at=DUE,
            time_limit_minutes=30,
            attempts_allowed=1,
        ).id


def grant(client, assignment_id, student_id, **fields):
    data = {"student": str(student_id), "extra_time": "0", "extra_attempts": "0", **fields}
    return client.post(f"/teach/assignments/{assignment_id}/overrides", data=data)


def ada_id(app) -> int:
    with app.app_context():
        return user_named("ada").id


def overrides(app) -> list[tuple[int, int, object, object]]:
    with app.app_context():
        rows = db.session.scalars(select(AssignmentOverride)).all()
        return [(o.extra_minutes, o.extra_attempts, o.closes_at, o.due_at) for o in rows]


def test_a_teacher_grants_an_override_and_sees_it_listed(app, teacher, assignment_id):
    response = grant(
        teacher, assignment_id, ada_id(app), extra_time="15", closes_at="2026-11-30T12:00"
    )
    assert response.status_code == 302
    assert overrides(app) == [(15, 0, CLOSES + timedelta(hours=1), None)]
    page = teacher.get(response.location).get_data(as_text=True)
    listed = page[page.index('id="overrides-heading"') :]
    assert '<th scope="row">ada</th>' in listed
    assert "45 minutes (+15 min)" in listed
    # The due time moved with the close: 10:00 + 1 h.
    assert "30 Nov 2026, 11:00 UTC" in listed and "30 Nov 2026, 12:00 UTC" in listed


def test_the_edit_page_shows_the_override_and_saving_again_replaces_it(app, teacher, assignment_id):
    grant(teacher, assignment_id, ada_id(app), extra_time="15")
    page = teacher.get(f"/teach/assignments/{assignment_id}/overrides/{ada_id(app)}")
    assert page.status_code == 200
    assert 'value="15"' in page.get_data(as_text=True)
    grant(teacher, assignment_id, ada_id(app), extra_time="20", extra_attempts="1")
    assert overrides(app) == [(20, 1, None, None)]


def test_a_teacher_removes_an_override(app, teacher, assignment_id):
    grant(teacher, assignment_id, ada_id(app), extra_attempts="2")
    response = teacher.post(f"/teach/assignments/{assignment_id}/overrides/{ada_id(app)}/remove")
    assert response.status_code == 302
    assert overrides(app) == []
    assert "No override yet." in teacher.get(response.location).get_data(as_text=True)
    again = teacher.post(f"/teach/assignments/{assignment_id}/overrides/{ada_id(app)}/remove")
    assert again.status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"extra_time": "-5"}, "Number must be between 0 and 1440."),
        ({"extra_attempts": "many"}, "Not a valid integer value."),
        ({"closes_at": "2026-11-30T10:30"}, "The later closing time must come after"),
        ({"due_at": "2026-11-30T11:30"}, "The due time cannot come after the closing time."),
        ({}, "Grant extra time, extra attempts or a later closing time."),
    ],
)
def test_bad_values_are_refused_with_a_message_and_nothing_saved(
    app, teacher, assignment_id, fields, message
):
    response = grant(teacher, assignment_id, ada_id(app), **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert overrides(app) == []


def test_a_student_outside_the_class_cannot_be_granted_one(app, teacher, assignment_id):
    with app.app_context():
        outsider = create_user("eve").id
    response = grant(teacher, assignment_id, outsider, extra_attempts="1")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert overrides(app) == []


def test_a_forged_override_for_another_teachers_class_is_refused(app, assignment_id):
    with app.app_context():
        create_user("tom", role="teacher")
    tom = logged_in(app, "tom")
    assert grant(tom, assignment_id, ada_id(app), extra_attempts="5").status_code == 404
    assert tom.get(f"/teach/assignments/{assignment_id}/overrides/{ada_id(app)}").status_code == 404
    assert overrides(app) == []


def test_a_student_cannot_grant_themself_an_override(app, assignment_id):
    ada = logged_in(app, "ada")
    assert grant(ada, assignment_id, ada_id(app), extra_attempts="5").status_code == 403
    assert overrides(app) == []


def test_the_home_page_shows_the_students_own_close_due_time_and_attempts(
    app, teacher, assignment_id
):
    grant(
        teacher,
        assignment_id,
        ada_id(app),
        extra_time="10",
        extra_attempts="2",
        closes_at="2026-11-30T12:00",
    )
    page = logged_in(app, "ada").get("/").get_data(as_text=True)
    assert "Open until 30 Nov 2026, 12:00 UTC." in page
    assert "Due 30 Nov 2026, 11:00 UTC." in page
    assert "Attempts: 0 of 3 (3 left)." in page
    assert "Time limit: 40 minutes." in page


def test_an_extension_granted_mid_attempt_lets_the_student_answer_on(
    app, teacher, assignment_id, clock
):
    tab = logged_in(app, "ada")
    round_id = start(tab, assignment_id)
    clock.set(STARTED + timedelta(minutes=29))
    grant(teacher, assignment_id, ada_id(app), extra_time="10")
    clock.set(STARTED + timedelta(minutes=35))
    assert answer(app, tab, round_id, 1).status_code == 302
    with app.app_context():
        assert db.session.get(Round, round_id).finished_at is None


def test_an_override_after_the_deadline_does_not_reopen_the_attempt_but_allows_another(
    app, teacher, assignment_id, clock
):
    tab = logged_in(app, "ada")
    first = start(tab, assignment_id)
    clock.set(STARTED + timedelta(minutes=45))  # past the 30-minute limit
    grant(teacher, assignment_id, ada_id(app), extra_time="30", extra_attempts="1")
    with app.app_context():
        assert db.session.get(Round, first).finished_at == STARTED + timedelta(minutes=30)
    refused = answer(app, tab, first, 1)
    assert refused.status_code == 303
    second = start(tab, assignment_id)
    assert second != first
    with app.app_context():
        assert db.session.get(Round, second).attempt == 2


def test_an_override_never_reopens_a_submitted_attempt(app, teacher, assignment_id, clock):
    tab = logged_in(app, "ada")
    round_id = start(tab, assignment_id)
    tab.post(f"/rounds/{round_id}/submit")
    with app.app_context():
        submitted = db.session.get(Round, round_id).finished_at
    assert submitted is not None
    grant(teacher, assignment_id, ada_id(app), extra_time="60")
    assert answer(app, tab, round_id, 1).status_code == 303
    with app.app_context():
        assert db.session.get(Round, round_id).finished_at == submitted


def test_the_gradebook_takes_the_students_moved_due_time(app, teacher, assignment_id, clock):
    with app.app_context():
        class_id = db.session.get(
            Round.assignment.property.mapper.class_, assignment_id
        ).classroom_id
    tab = logged_in(app, "ada")
    clock.set(DUE + timedelta(minutes=10))  # after the due time, before the close
    round_id = start(tab, assignment_id)
    tab.post(f"/rounds/{round_id}/submit")
    late = teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    late_attempt = teacher.get(f"/teach/attempts/{round_id}").get_data(as_text=True)
    grant(teacher, assignment_id, ada_id(app), closes_at="2026-11-30T12:00")
    on_time = teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    on_time_attempt = teacher.get(f"/teach/attempts/{round_id}").get_data(as_text=True)
    assert "tag-late" in late and "tag-late" not in on_time
    assert "(due 30 Nov 2026, 10:00 UTC)" in late_attempt
    assert "tag-late" not in on_time_attempt


def test_reading_the_pages_of_overrides_writes_nothing(app, teacher, assignment_id):
    grant(teacher, assignment_id, ada_id(app), extra_attempts="1")
    with app.app_context():
        before = db.session.scalar(select(func.max(AssignmentOverride.updated_at)))
    teacher.get(f"/teach/assignments/{assignment_id}")
    teacher.get(f"/teach/assignments/{assignment_id}/overrides/{ada_id(app)}")
    with app.app_context():
        assert db.session.scalar(select(func.max(AssignmentOverride.updated_at))) == before


def test_two_grants_at_once_leave_one_override_and_no_error(app, teacher, assignment_id):
    other_tab = logged_in(app, "tess")
    student_id = ada_id(app)
    for _ in range(20):
        statuses = at_once(
            [
                lambda: grant(teacher, assignment_id, student_id, extra_attempts="1").status_code,
                lambda: grant(other_tab, assignment_id, student_id, extra_attempts="2").status_code,
            ]
        )
        assert statuses == [302, 302]
        saved = overrides(app)
        assert len(saved) == 1 and saved[0][1] in (1, 2)
        teacher.post(f"/teach/assignments/{assignment_id}/overrides/{student_id}/remove")


@pytest.mark.parametrize("typed", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_a_closing_time_no_zone_can_show_is_refused_and_nothing_is_saved(
    app, teacher, assignment_id, typed
):
    # Saved, 31 Dec 9999 23:59 UTC made every page showing it in a zone east of UTC a 500
    # (OverflowError); typed in such a zone, 1 Jan 0001 did the same at once.
    response = grant(teacher, assignment_id, ada_id(app), closes_at=typed)
    assert response.status_code == 400
    assert "Choose a time between the years 1900 and 9998" in response.get_data(as_text=True)
    assert overrides(app) == []
