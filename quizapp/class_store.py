"""Classes, enrollments and assignments in the database (attempts are `attempt_store`'s).

A teacher sees only their own classes; a student only the assignments of classes they
joined. Functions add to the session and never commit: the view does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from quizapp import attempt_store
from quizapp.domain import attempts
from quizapp.domain.assignments import (
    AttemptRules,
    AttemptState,
    Override,
    attempt_state,
    new_join_code,
    normalise_join_code,
)
from quizapp.extensions import db
from quizapp.models import (
    MODE_LIVE,
    Answer,
    Assignment,
    AssignmentOverride,
    Classroom,
    Enrollment,
    Round,
    RoundItem,
    User,
)

JOIN_CODE_TRIES = 5


class JoinError(ValueError):
    """A join code that lets the student into no class; the message says why."""


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
    classroom = db.session.scalars(
        select(Classroom)
        .where(Classroom.id == class_id)
        .options(
            selectinload(Classroom.enrollments).selectinload(Enrollment.student),
            selectinload(Classroom.assignments).selectinload(Assignment.overrides),
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


NOT_YOUR_ASSIGNMENT = "There is no such assignment among yours."


def own_assignment_or_404(assignment_id: int, teacher: User) -> Assignment:
    assignment = db.get_or_404(
        Assignment,
        assignment_id,
        description=NOT_YOUR_ASSIGNMENT,
        options=[
            selectinload(Assignment.overrides).joinedload(AssignmentOverride.student),
            joinedload(Assignment.classroom)
            .selectinload(Classroom.enrollments)
            .joinedload(Enrollment.student),
        ],
    )
    if assignment.classroom.teacher_id != teacher.id:
        abort(404, description=NOT_YOUR_ASSIGNMENT)
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


@dataclass(frozen=True)
class StudentAssignment:
    """An assignment as its student's home page shows it."""

    assignment: Assignment
    classroom: Classroom
    rules: AttemptRules  # the student's own, overrides included
    state: AttemptState
    used: int
    # The best score of the attempts over, and out of how many questions it was.
    best: tuple[float, int] | None
    last_round_id: int | None
    # How long an attempt started now could last, when the assignment has a time limit.
    time_available: timedelta | None = None

    @property
    def short_of_time(self) -> bool:
        """An attempt started now would close before its time limit is up."""
        limit = self.rules.time_limit
        return limit is not None and self.time_available is not None and self.time_available < limit


def assignments_for(student: User, now: datetime) -> list[StudentAssignment]:
    """Every assignment of the student's classes with what they can do, in three queries."""
    classrooms = list(
        db.session.scalars(
            select(Classroom)
            .join(Enrollment, Enrollment.classroom_id == Classroom.id)
            .where(Enrollment.student_id == student.id)
            .options(selectinload(Classroom.assignments).selectinload(Assignment.overrides))
            .order_by(Classroom.name)
        )
    )
    # A live session's assignment is its gradebook column, played only by joining the session.
    ids = [a.id for c in classrooms for a in c.assignments if a.mode != MODE_LIVE]
    rounds: dict[int, list[tuple[Round, float, int, int]]] = {}
    if ids:
        withheld = sorted(attempt_store.withheld_questions(student, now))
        query = (
            select(
                Round,
                func.coalesce(func.sum(Answer.score), 0.0),
                attempt_store.answers_among(withheld),
                func.count(RoundItem.id),
            )
            .outerjoin(RoundItem, RoundItem.round_id == Round.id)
            .outerjoin(Answer, Answer.round_item_id == RoundItem.id)
            .where(Round.user_id == student.id, Round.assignment_id.in_(ids))
            .group_by(Round.id)
            .order_by(Round.attempt)
        )
        for a_round, answered, answered_withheld, length in db.session.execute(query):
            rounds.setdefault(a_round.assignment_id, []).append(
                (a_round, answered, answered_withheld, length)
            )
    result = []
    for classroom in classrooms:
        for assignment in classroom.assignments:
            if assignment.mode == MODE_LIVE:
                continue
            held = rounds.get(assignment.id, [])
            rules = attempt_store.rules_of(assignment, student.id)
            lives = [(attempt_store.attempt_of(r), r.score, a, w, n) for r, a, w, n in held]
            unfinished = any(not life.is_over(now) for life, *_ in lives)
            # The best score leaves out an attempt holding a withheld answer: it would tell.
            finished = [
                (score, length)
                for life, stored, answered, withheld_answers, length in lives
                if not withheld_answers
                and (score := attempts.effective_score(life, stored, [answered], now)) is not None
            ]
            result.append(
                StudentAssignment(
                    assignment=assignment,
                    classroom=classroom,
                    rules=rules,
                    state=attempt_state(
                        rules,
                        now,
                        used=len(held),
                        unfinished=unfinished,
                    ),
                    used=len(held),
                    best=max(finished) if finished else None,
                    last_round_id=held[-1][0].id if held else None,
                    time_available=attempts.time_available(now, rules.closes_at, rules.time_limit)
                    if rules.time_limit is not None
                    else None,
                )
            )
    return result


def student_assignment_or_404(assignment_id: int, student: User) -> Assignment:
    """The assignment, if it belongs to a class `student` is in; 404 otherwise."""
    assignment = db.session.scalar(
        select(Assignment)
        .join(Enrollment, Enrollment.classroom_id == Assignment.classroom_id)
        .where(Assignment.id == assignment_id, Enrollment.student_id == student.id)
    )
    if assignment is None:
        abort(404, description="There is no such assignment in your classes.")
    return assignment


def save_override(
    assignment: Assignment, student: User, granted: Override, now: datetime
) -> AssignmentOverride:
    """Grant `student` the override on `assignment` (replacing theirs, if any). Their
    attempts already closed are written down first, under the rules they closed by.
    The caller has checked `override_problems` and that the student is in the class."""
    attempt_store.settle_before_new_rules(assignment, student.id, now)
    row = assignment.override_for(student.id)
    if row is None:
        try:
            with db.session.begin_nested():
                row = AssignmentOverride(
                    assignment_id=assignment.id, student_id=student.id, extra_minutes=0
                )
                db.session.add(row)
        except IntegrityError:  # granted by another request at the same moment: update it
            db.session.expire(assignment, ["overrides"])
            row = assignment.override_for(student.id)
            assert row is not None
        else:
            db.session.expire(assignment, ["overrides"])
    row.extra_minutes = int(granted.extra_time / timedelta(minutes=1))
    row.extra_attempts = granted.extra_attempts
    row.closes_at = granted.closes_at
    row.due_at = granted.due_at
    row.updated_at = now
    return row


def remove_override(assignment: Assignment, student_id: int, now: datetime) -> bool:
    """Take back the student's override; False if they had none."""
    row = assignment.override_for(student_id)
    if row is None:
        return False
    attempt_store.settle_before_new_rules(assignment, student_id, now)
    assignment.overrides.remove(row)
    return True


def own_student_or_404(classroom: Classroom, student_id: int) -> User:
    for enrollment in classroom.enrollments:
        if enrollment.student_id == student_id:
            return enrollment.student
    abort(404, description="There is no such student in this class.")
