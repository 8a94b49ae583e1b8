"""Classes, enrollments and assignments in the database, and attempts at an assignment.

A teacher sees only their own classes; a student only the assignments of classes they
joined. Functions add to the session and never commit: the view does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quizapp import question_store
from quizapp.domain.assignments import (
    AttemptRules,
    AttemptState,
    attempt_state,
    new_join_code,
    normalise_join_code,
    when,
)
from quizapp.domain.grading import round_score
from quizapp.domain.questions import Bank, Question, question_to_dict
from quizapp.domain.rounds import RoundError, RoundSpec, build_round, present
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Classroom,
    Enrollment,
    Round,
    RoundItem,
    User,
    utcnow,
)
from quizapp.store import MAX_ID

JOIN_CODE_TRIES = 5


class JoinError(ValueError):
    """A join code that lets the student into no class; the message says why."""


class AttemptError(ValueError):
    """An attempt that cannot start now; the message is shown to the student."""


def create_class(teacher: User, name: str) -> Classroom:
    """A class with a fresh join code (drawn again in the rare case it is taken)."""
    for _ in range(JOIN_CODE_TRIES):
        code = new_join_code()
        taken = db.session.scalar(select(Classroom.id).where(Classroom.join_code == code))
        if taken is None:
            break
    classroom = Classroom(teacher=teacher, name=name.strip(), join_code=code)
    db.session.add(classroom)
    return classroom


def own_class_or_404(class_id: int, teacher: User) -> Classroom:
    if class_id > MAX_ID:
        abort(404, description="There is no such class among yours.")
    classroom = db.session.scalars(
        select(Classroom)
        .where(Classroom.id == class_id)
        .options(
            selectinload(Classroom.enrollments).selectinload(Enrollment.student),
            selectinload(Classroom.assignments),
        )
    ).one_or_none()
    if classroom is None or classroom.teacher_id != teacher.id:
        abort(404, description="There is no such class among yours.")
    return classroom


def classes_of(teacher: User) -> list[tuple[Classroom, int]]:
    """The teacher's classes, each with its number of students, in one query."""
    query = (
        select(Classroom, func.count(Enrollment.id))
        .outerjoin(Enrollment, Enrollment.classroom_id == Classroom.id)
        .where(Classroom.teacher_id == teacher.id)
        .group_by(Classroom.id)
        .order_by(Classroom.name, Classroom.id)
    )
    return [(classroom, count) for classroom, count in db.session.execute(query)]


def own_assignment_or_404(assignment_id: int, teacher: User) -> Assignment:
    if assignment_id > MAX_ID:
        abort(404, description="There is no such assignment among yours.")
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.classroom.teacher_id != teacher.id:
        abort(404, description="There is no such assignment among yours.")
    return assignment


def join_class(student: User, typed_code: str) -> Classroom:
    """Enroll `student` in the class whose code they typed; raises JoinError if none."""
    code = normalise_join_code(typed_code)
    classroom = db.session.scalar(select(Classroom).where(Classroom.join_code == code))
    if classroom is None:
        raise JoinError("No class has that code. Check it with your teacher.")
    if classroom.teacher_id == student.id:
        raise JoinError("This is your own class.")
    already = db.session.scalar(
        select(Enrollment.id).where(
            Enrollment.classroom_id == classroom.id, Enrollment.student_id == student.id
        )
    )
    if already is not None:
        raise JoinError(f"You are already in {classroom.name}.")
    try:
        with db.session.begin_nested():
            db.session.add(Enrollment(classroom_id=classroom.id, student_id=student.id))
    except IntegrityError:
        raise JoinError(f"You are already in {classroom.name}.") from None
    return classroom


def rules_of(assignment: Assignment) -> AttemptRules:
    return AttemptRules(assignment.opens_at, assignment.closes_at, assignment.attempts_allowed)


@dataclass(frozen=True)
class StudentAssignment:
    """An assignment as its student's home page shows it."""

    assignment: Assignment
    classroom: Classroom
    state: AttemptState
    used: int
    best: float | None  # best finished score
    last_round_id: int | None


def assignments_for(student: User, now: datetime) -> list[StudentAssignment]:
    """Every assignment of the student's classes with what they can do, in three queries."""
    classrooms = list(
        db.session.scalars(
            select(Classroom)
            .join(Enrollment, Enrollment.classroom_id == Classroom.id)
            .where(Enrollment.student_id == student.id)
            .options(selectinload(Classroom.assignments))
            .order_by(Classroom.name)
        )
    )
    ids = [a.id for c in classrooms for a in c.assignments]
    rounds: dict[int, list[Round]] = {}
    if ids:
        query = (
            select(Round)
            .where(Round.user_id == student.id, Round.assignment_id.in_(ids))
            .order_by(Round.attempt)
        )
        for a_round in db.session.scalars(query):
            rounds.setdefault(a_round.assignment_id, []).append(a_round)
    result = []
    for classroom in classrooms:
        for assignment in classroom.assignments:
            attempts = rounds.get(assignment.id, [])
            unfinished = any(r.finished_at is None for r in attempts)
            finished = [r.score for r in attempts if r.finished_at is not None]
            result.append(
                StudentAssignment(
                    assignment=assignment,
                    classroom=classroom,
                    state=attempt_state(
                        rules_of(assignment), now, used=len(attempts), unfinished=unfinished
                    ),
                    used=len(attempts),
                    best=max(finished) if finished else None,
                    last_round_id=attempts[-1].id if attempts else None,
                )
            )
    return result


def student_assignment_or_404(assignment_id: int, student: User) -> Assignment:
    """The assignment, if it belongs to a class `student` is in; 404 otherwise."""
    if assignment_id > MAX_ID:
        abort(404, description="There is no such assignment in your classes.")
    assignment = db.session.scalar(
        select(Assignment)
        .join(Enrollment, Enrollment.classroom_id == Assignment.classroom_id)
        .where(Assignment.id == assignment_id, Enrollment.student_id == student.id)
    )
    if assignment is None:
        abort(404, description="There is no such assignment in your classes.")
    return assignment


def start_attempt(
    student: User, assignment: Assignment, bank: Bank, now: datetime, seed: int
) -> Round:
    """The attempt under way, or a new one if the window and the attempts allow it.

    Raises AttemptError with the reason when neither is possible. Two starts at once
    meet the unique (assignment, student, attempt) constraint: the loser resumes.
    """
    attempts = list(
        db.session.scalars(
            select(Round)
            .where(Round.assignment_id == assignment.id, Round.user_id == student.id)
            .order_by(Round.attempt)
        )
    )
    unfinished = next((r for r in attempts if r.finished_at is None), None)
    state = attempt_state(
        rules_of(assignment), now, used=len(attempts), unfinished=unfinished is not None
    )
    if state.can_resume and unfinished is not None:
        return unfinished
    if not state.can_start:
        raise AttemptError(state.reason)
    rng = random.Random(seed)
    questions = assignment_questions(assignment, bank, rng)
    versions = question_store.current_versions([q.id for q in questions])
    # Ids rather than objects: a relationship would put the round in the session's flush
    # before the savepoint below that guards the attempt number.
    new_round = Round(
        user_id=student.id,
        seed=seed,
        section=assignment.section,
        topic=assignment.topic,
        assignment_id=assignment.id,
        attempt=len(attempts) + 1,
    )
    new_round.items = [
        RoundItem(
            position=position,
            question_id=q.id,
            snapshot=question_to_dict(q),
            version_id=versions[q.id].id if q.id in versions else None,
        )
        for position, q in enumerate(questions, start=1)
    ]
    try:
        with db.session.begin_nested():
            db.session.add(new_round)
    except IntegrityError:
        again = db.session.scalar(
            select(Round).where(
                Round.assignment_id == assignment.id,
                Round.user_id == student.id,
                Round.finished_at.is_(None),
            )
        )
        if again is None:
            raise AttemptError("Another attempt was started at the same moment.") from None
        return again
    return new_round


def assignment_questions(assignment: Assignment, bank: Bank, rng: random.Random) -> list[Question]:
    """The questions of a new attempt, presented (choices shuffled and re-keyed).

    Chosen questions come in the teacher's order, each at its current version; a chosen
    question since retired or left without a passage is left out. Otherwise the round is
    built from the shipped bank and the teacher's questions like any practice round.
    """
    teacher_id = assignment.classroom.teacher_id
    if assignment.question_ids:
        shipped = {q.id: q for q in bank.questions}
        own = {q.id: q for q in question_store.playable_questions(teacher_id)}
        chosen = [
            found
            for question_id in assignment.question_ids
            if (found := own.get(question_id) or shipped.get(question_id)) is not None
        ]
        if not chosen:
            raise AttemptError("This assignment has no question left to play; tell your teacher.")
        return [present(q, rng) for q in chosen]
    spec = RoundSpec(length=assignment.length, section=assignment.section, topic=assignment.topic)
    try:
        return build_round(question_store.bank_with_teacher(bank, teacher_id), spec, rng)
    except RoundError as error:
        raise AttemptError(str(error)) from None


def accepts_answers(a_round: Round, now: datetime) -> str | None:
    """None if the round takes answers now; otherwise the sentence that says why not."""
    if a_round.finished_at is not None:
        return "This round is finished."
    assignment = a_round.assignment
    if assignment is not None and assignment.closes_at is not None and now >= assignment.closes_at:
        return (
            f"{assignment.title} closed {when(assignment.closes_at)}: "
            "nothing more can be submitted."
        )
    return None


def closed_unfinished(a_round: Round, now: datetime) -> bool:
    """An attempt left open when its assignment closed: it counts as submitted at the close."""
    assignment = a_round.assignment
    return (
        a_round.finished_at is None
        and assignment is not None
        and assignment.closes_at is not None
        and now >= assignment.closes_at
    )


def submit(a_round: Round, at: datetime | None = None) -> None:
    """Finish the round (now, or at `at`); unanswered questions score nothing."""
    if a_round.finished_at is None:
        a_round.finished_at = at or utcnow()
        a_round.score = round_score(i.answer.score for i in a_round.items if i.answer)


def submit_closed_attempts(student: User, now: datetime) -> int:
    """Submit, at their close, the student's attempts left open when the assignment closed.

    The reports read only submitted attempts, so they run this first: one query, and
    usually nothing to do. Returns how many were submitted (the caller commits).
    """
    left_open = db.session.scalars(
        select(Round)
        .join(Assignment, Assignment.id == Round.assignment_id)
        .where(
            Round.user_id == student.id,
            Round.finished_at.is_(None),
            Assignment.closes_at.is_not(None),
            Assignment.closes_at <= now,
        )
        .options(selectinload(Round.assignment), selectinload(Round.items))
    ).all()
    for a_round in left_open:
        submit(a_round, at=a_round.assignment.closes_at)
    return len(left_open)
