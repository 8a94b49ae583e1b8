"""Which questions an attempt gets, and in what order: the teacher's order, or with "Shuffle
questions" an order of each attempt's own; and a fresh random draw for each student when an
assignment takes N questions from a section or topic."""

import pytest

from quizapp import attempt_store, current_bank
from quizapp.extensions import db
from quizapp.models import utcnow
from tests.factories import create_assignment, create_classroom, create_teacher, create_user, enroll

SEEDS = range(1, 7)


@pytest.fixture
def classroom(app):
    """tess's class with six students, s1..s6: (class, students), inside an app context."""
    with app.app_context():
        classroom = create_classroom(create_teacher())
        students = [create_user(f"s{n}") for n in SEEDS]
        for student in students:
            enroll(classroom, student)
        yield classroom, students


def drawn(assignment, students) -> list[list[str]]:
    """The question ids of a new attempt of each student (student n with seed n), in order."""
    rounds = [
        attempt_store.start_attempt(student, assignment, current_bank(), utcnow(), seed=seed)
        for seed, student in zip(SEEDS, students, strict=True)
    ]
    db.session.commit()
    return [[item.question_id for item in r.items] for r in rounds]


def chosen_ids(count: int) -> list[str]:
    return [q.id for q in current_bank().questions[:count]]


def test_chosen_questions_come_in_the_teachers_order_without_shuffle(classroom):
    classroom_, students = classroom
    ids = chosen_ids(8)
    assignment = create_assignment(classroom_, question_ids=ids, length=8)
    assert drawn(assignment, students) == [ids] * len(students)


def test_shuffle_questions_gives_each_student_an_order_of_their_own(classroom):
    classroom_, students = classroom
    ids = chosen_ids(8)
    assignment = create_assignment(classroom_, question_ids=ids, length=8, shuffle=True)
    orders = drawn(assignment, students)
    assert all(sorted(order) == sorted(ids) for order in orders)
    assert len({tuple(order) for order in orders}) > 1
    assert any(order != ids for order in orders)


def test_a_section_assignment_draws_afresh_for_each_student(classroom):
    classroom_, students = classroom
    assignment = create_assignment(classroom_, section="2", length=5)
    draws = drawn(assignment, students)
    assert all(len(d) == 5 and len(set(d)) == 5 for d in draws)
    assert len({frozenset(d) for d in draws}) > 1
