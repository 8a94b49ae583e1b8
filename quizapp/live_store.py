"""Live sessions in the database: the one module that writes live_sessions, live_steps and
live_participants.

The rules are `domain/live.py`'s: this module turns rows into `live.Session` values and
writes back what the rules decide. A student's answers are rounds and answers like any
other attempt's, written by `attempt_store` (mode "live", one attempt at the session's own
assignment). The session's assignment closes when the session stops taking answers (its
results, its end, or its idle time), so its attempts read as closed then, by the rules of
`domain/attempts.py`, without a write.

Locks: a teacher's change takes the session row's lock (`SELECT … FOR UPDATE` on
PostgreSQL, a write transaction at once on SQLite); an answer takes it shared (`FOR
SHARE`), so answers do not wait for each other on PostgreSQL, but "Close answers" waits
for the answers under way and an answer arriving after it sees the question closed.

Functions add to the session and never commit: the view that calls them does.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Response, abort, jsonify, request
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import IntegrityError

from quizapp import attempt_store
from quizapp.domain import live
from quizapp.domain.grading import Grade
from quizapp.domain.live import IDLE_TIMEOUT, LiveError, Phase
from quizapp.domain.questions import Question, question_from_dict, question_to_dict
from quizapp.domain.timezones import format_moment
from quizapp.extensions import db
from quizapp.models import (
    MODE_LIVE,
    Answer,
    Assignment,
    Classroom,
    Enrollment,
    LiveParticipant,
    LiveSession,
    LiveStep,
    Round,
    RoundItem,
    User,
)

__all__ = ["LiveError"]

# Any number will do: the key of PostgreSQL's advisory lock taken to hand out codes.
_CODE_LOCK = 14_014


def _write_transaction() -> None:
    """On SQLite, take the database's write lock now, before reading what will be written."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _lock(session_id: int, *, shared: bool = False) -> LiveSession:
    _write_transaction()
    found = db.session.scalars(
        select(LiveSession)
        .where(LiveSession.id == session_id)
        .with_for_update(read=shared, of=LiveSession)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if found is None:
        abort(404, description="There is no such live session.")
    return found


# --- the rules' view of a session --------------------------------------------------------------


def rules_from(
    row: LiveSession | Any, step_opened: datetime | None, step_closed: datetime | None
) -> live.Session:
    """A session as the rules see it, from its row (or a row of its columns) and its current
    question's times."""
    return live.Session(
        question_count=row.question_count,
        last_action_at=row.last_action_at,
        seconds_per_question=row.seconds_per_question,
        speed_points=row.speed_points,
        position=row.position,
        opened_at=step_opened,
        closed_at=step_closed,
        results_at=row.results_at,
        ended_at=row.ended_at,
    )


def _current_step(row: LiveSession) -> LiveStep | None:
    if row.position == 0:
        return None
    return db.session.scalar(
        select(LiveStep).where(LiveStep.session_id == row.id, LiveStep.position == row.position)
    )


def rules_of(row: LiveSession) -> live.Session:
    step = _current_step(row)
    return rules_from(row, step.opened_at if step else None, step.closed_at if step else None)


def _write(row: LiveSession, before: live.Session, after: live.Session) -> None:
    """Write what a teacher's action changed, and say so to the polls (a new version)."""
    if after == before:
        return
    if after.position != before.position:
        db.session.add(
            LiveStep(session_id=row.id, position=after.position, opened_at=after.opened_at)
        )
    elif after.closed_at != before.closed_at:
        step = _current_step(row)
        assert step is not None
        step.closed_at = after.closed_at
    row.position = after.position
    row.results_at = after.results_at
    row.ended_at = after.ended_at
    row.last_action_at = after.last_action_at
    row.version += 1
    row.assignment.closes_at = after.answers_close_at


# --- the teacher's side ---------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    seconds_per_question: int | None
    speed_points: bool
    show_top_five: bool


def _running_sessions(now: datetime) -> list[LiveSession]:
    """The sessions running at `now` (those idle past their time read as ended)."""
    rows = db.session.scalars(select(LiveSession).where(LiveSession.running_at(now)))
    return [row for row in rows if row.last_action_at + IDLE_TIMEOUT > now]


def running_session_of(classroom: Classroom, now: datetime) -> LiveSession | None:
    return next((s for s in _running_sessions(now) if s.classroom_id == classroom.id), None)


def create(
    classroom: Classroom,
    questions: Sequence[Question],
    versions: dict[str, int],
    settings: Settings,
    now: datetime,
    rng: random.Random,
) -> LiveSession:
    """A new session of `questions` (presented once, as every phone and the projector show
    them) for the class, with a code no running session holds. Raises LiveError if the
    class has a session running (one at a time per class), or if students of the class
    have one of the questions in a test under way (`live.tests_under_way_problem`).

    Codes are handed out one at a time (PostgreSQL: an advisory lock; SQLite: the write
    lock), so two sessions opened at once cannot draw the same one.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CODE_LOCK})
    else:
        _write_transaction()
    running = _running_sessions(now)
    if any(s.classroom_id == classroom.id for s in running):
        raise LiveError(f"A live session of {classroom.name} is running already: end it first.")
    students = [e.student_id for e in classroom.enrollments]
    problem = live.tests_under_way_problem(
        questions, attempt_store.questions_in_tests_under_way(students, now)
    )
    if problem is not None:
        raise LiveError(problem)
    code = live.new_code(rng, (s.code for s in running))
    assignment = Assignment(
        classroom_id=classroom.id,
        title=live.column_title(
            format_moment(now, classroom.teacher.time_zone),
            {a.title for a in classroom.assignments},
        ),
        mode=MODE_LIVE,
        question_ids=[q.id for q in questions],
        length=len(questions),
        opens_at=now,
        closes_at=now + IDLE_TIMEOUT,
        attempts_allowed=1,
    )
    row = LiveSession(
        classroom_id=classroom.id,
        assignment=assignment,
        code=code,
        questions=[question_to_dict(q) for q in questions],
        version_ids=versions,
        seconds_per_question=settings.seconds_per_question,
        speed_points=settings.speed_points,
        show_top_five=settings.show_top_five,
        question_count=len(questions),
        last_action_at=now,
        created_at=now,
    )
    db.session.add(row)
    db.session.flush()
    return row


def own_session_or_404(session_id: int, teacher: User) -> LiveSession:
    row = db.session.get(LiveSession, session_id)
    if row is None or row.classroom.teacher_id != teacher.id:
        abort(404, description="There is no such live session in your classes.")
    return row


ACTIONS = ("start", "close", "next", "results", "end")


def act(session_id: int, action: str, position: int, now: datetime) -> live.Session:
    """Apply a teacher's action under the session's lock: the session as it becomes.
    Raises LiveError with the reason when the rules refuse it (nothing is written)."""
    row = _lock(session_id)
    before = rules_of(row)
    match action:
        case "start":
            after = before.start(now)
        case "close":
            after = before.close(position, now)
        case "next":
            after = before.next_question(position, now)
        case "results":
            after = before.show_results(position, now)
        case "end":
            after = before.end(now)
        case _:
            raise LiveError("There is no such action.")
    _write(row, before, after)
    return after


def question_at(row: LiveSession, position: int) -> Question:
    return question_from_dict(row.questions[position - 1])


def joined_count(session_id: int) -> int:
    return db.session.scalar(
        select(func.count(LiveParticipant.id)).where(LiveParticipant.session_id == session_id)
    )


def _answers_at(row: LiveSession | Any, position: int) -> Any:
    return (
        select(Answer.response, Answer.score)
        .join(RoundItem, RoundItem.id == Answer.round_item_id)
        .join(Round, Round.id == RoundItem.round_id)
        .where(Round.assignment_id == row.assignment_id, RoundItem.position == position)
    )


def answered_count(row: LiveSession | Any, position: int) -> int:
    if position == 0:
        return 0
    answers = _answers_at(row, position).subquery()
    return db.session.scalar(select(func.count()).select_from(answers))


def answers_at(row: LiveSession, position: int) -> list[tuple[Any, float]]:
    """The class's answers to question `position`: (stored response, score) each."""
    return [(response, score) for response, score in db.session.execute(_answers_at(row, position))]


@dataclass(frozen=True)
class Result:
    participant_id: int
    student_id: int
    name: str
    score: float  # correctness: what the gradebook counts
    points: float  # with speed points, if they are on
    answered: int


def results(row: LiveSession) -> list[Result]:
    """Every participant's score and points in the session, by name. Two queries."""
    rules = rules_of(row)
    opened = dict(
        db.session.execute(
            select(LiveStep.position, LiveStep.opened_at).where(LiveStep.session_id == row.id)
        ).all()
    )
    rows = db.session.execute(
        select(
            LiveParticipant.id,
            User.id,
            User.username,
            RoundItem.position,
            Answer.score,
            Answer.answered_at,
        )
        .join(User, User.id == LiveParticipant.student_id)
        .join(RoundItem, RoundItem.round_id == LiveParticipant.round_id)
        .outerjoin(Answer, Answer.round_item_id == RoundItem.id)
        .where(LiveParticipant.session_id == row.id)
    )
    tally: dict[int, list[Any]] = {}
    for participant_id, student_id, name, position, score, answered_at in rows:
        entry = tally.setdefault(participant_id, [student_id, name, 0.0, 0.0, 0])
        if score is not None:
            entry[2] += score
            entry[3] += rules.points(score, answered_at, opened.get(position))
            entry[4] += 1
    return sorted(
        (
            Result(pid, sid, name, round(score, 4), round(points, 4), answered)
            for pid, (sid, name, score, points, answered) in tally.items()
        ),
        key=lambda r: r.name,
    )


# --- the students' side -------------------------------------------------------------------


def join(student: User, typed_code: str, now: datetime) -> LiveParticipant:
    """The student's place in the running session of their classes with this code (the
    one they had, if they joined before); LiveError with the reason otherwise."""
    code = live.normal_code(typed_code)
    if len(code) != live.CODE_DIGITS:
        raise LiveError("A session code is 6 digits, such as 042917: it is on the projector.")
    row = db.session.scalar(
        select(LiveSession)
        .join(Enrollment, Enrollment.classroom_id == LiveSession.classroom_id)
        .where(
            LiveSession.code == code,
            LiveSession.running_at(now),
            Enrollment.student_id == student.id,
        )
    )
    if row is None or not rules_of(row).is_running(now):
        raise LiveError(
            "No live session of your classes is running with this code. "
            "Check the code on the projector."
        )
    found = participant_of(row.id, student.id)
    if found is not None:
        return found
    if not rules_of(row).takes_newcomers(now):
        raise LiveError(
            "This session has shown its results: it takes no one new. "
            "Ask your teacher for the next one."
        )
    # `create` counted the tests of the students in the class then; one who joined the
    # class since would see the reveal of a question of their test under way.
    if set(row.assignment.question_ids) & set(
        attempt_store.questions_in_tests_under_way([student.id], now)
    ):
        raise LiveError(
            "A question of this session is in a test of yours under way: its answer shows "
            "here. Join once you have submitted the test."
        )
    round_id = attempt_store.start_live_round(
        student,
        row.assignment,
        [question_from_dict(data) for data in row.questions],
        row.version_ids,
        now,
    )
    try:
        with db.session.begin_nested():
            participant = LiveParticipant(
                session_id=row.id, student_id=student.id, round_id=round_id, joined_at=now
            )
            db.session.add(participant)
    except IntegrityError:
        participant = participant_of(row.id, student.id)
        assert participant is not None
    return participant


def participant_of(session_id: int, student_id: int) -> LiveParticipant | None:
    return db.session.scalar(
        select(LiveParticipant).where(
            LiveParticipant.session_id == session_id, LiveParticipant.student_id == student_id
        )
    )


def session_id_of_round(round_id: int) -> int:
    """The live session a live round's answers belong to."""
    return db.session.scalars(
        select(LiveParticipant.session_id).where(LiveParticipant.round_id == round_id)
    ).one()


def participant_or_404(session_id: int, student_id: int) -> LiveParticipant:
    found = participant_of(session_id, student_id)
    if found is None:
        abort(404, description="You have not joined this live session.")
    return found


def answer(
    participant: LiveParticipant,
    position: int,
    response: Any,
    grade: Grade,
    clock: Callable[[], datetime],
) -> str | None:
    """Store the student's answer to question `position` if it is open now: None when it
    is stored, else why not (closed, not open yet, already answered: the first counts).

    "Now" is read once the session's lock is held: an answer that waited for the lock
    while "Close answers" was pressed, or while the timer ran out, finds the question
    closed, as the reveal already shows it."""
    session_id, round_id = participant.session_id, participant.round_id
    row = _lock(session_id, shared=True)
    now = clock()
    refusal = rules_of(row).answer_refusal(position, now)
    if refusal is not None:
        return refusal
    item_id = db.session.scalar(
        select(RoundItem.id).where(RoundItem.round_id == round_id, RoundItem.position == position)
    )
    if item_id is None:
        return f"This session has no question {position}."
    outcome = attempt_store.answer(round_id, item_id, response, grade, now)
    return None if outcome.decision.allowed else outcome.decision.reason


def own_answer(participant: LiveParticipant, position: int) -> tuple[RoundItem, Answer | None]:
    item = db.session.scalar(
        select(RoundItem).where(
            RoundItem.round_id == participant.round_id, RoundItem.position == position
        )
    )
    assert item is not None
    return item, item.answer


# --- polling ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Poll:
    """What a poll answers: the session's state as it reads now, in one short query."""

    version: int
    phase: Phase
    position: int
    # For the projector: students who joined, and answers to the current question.
    joined: int | None = None
    answered: int | None = None

    @property
    def etag(self) -> str:
        counts = "" if self.joined is None else f"-{self.joined}-{self.answered or 0}"
        return f"{self.version}-{self.phase.value}-{self.position}{counts}"

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "phase": self.phase.value,
            "position": self.position,
            "joined": self.joined,
            "answered": self.answered,
        }


def _poll_statement(by_student: bool) -> Any:
    """The one query of a poll, built once: the session's columns and its current
    question's times, found only if the session is the poller's."""
    query = (
        select(
            LiveSession.version,
            LiveSession.position,
            LiveSession.question_count,
            LiveSession.seconds_per_question,
            LiveSession.speed_points,
            LiveSession.results_at,
            LiveSession.ended_at,
            LiveSession.last_action_at,
            LiveSession.assignment_id,
            LiveStep.opened_at,
            LiveStep.closed_at,
        )
        .outerjoin(
            LiveStep,
            (LiveStep.session_id == LiveSession.id) & (LiveStep.position == LiveSession.position),
        )
        .where(LiveSession.id == bindparam("session_id"))
    )
    if by_student:
        return query.join(
            LiveParticipant,
            (LiveParticipant.session_id == LiveSession.id)
            & (LiveParticipant.student_id == bindparam("user_id")),
        )
    return query.join(Classroom, Classroom.id == LiveSession.classroom_id).where(
        Classroom.teacher_id == bindparam("user_id")
    )


# Built once: a poll comes about once a second from every phone, and building the query
# object cost more than running it.
_POLL_BY_STUDENT = _poll_statement(by_student=True)
_POLL_BY_SIGNED_IN_STUDENT = _POLL_BY_STUDENT.join(
    User,
    (User.id == LiveParticipant.student_id) & (User.session_generation == bindparam("generation")),
)
_POLL_BY_TEACHER = _poll_statement(by_student=False)


def poll(
    session_id: int,
    now: datetime,
    *,
    student_id: int | None = None,
    generation: int | None = None,
    teacher_id: int | None = None,
) -> Poll | None:
    """The session's state for a poll by its participant `student_id` (whose session is of
    the account's `generation`, when given: a session ended by logging out polls nothing)
    or its teacher `teacher_id`; None if the session is not theirs to poll. No user is
    loaded."""
    if student_id is not None:
        statement = _POLL_BY_STUDENT if generation is None else _POLL_BY_SIGNED_IN_STUDENT
        parameters = {"session_id": session_id, "user_id": student_id, "generation": generation}
    else:
        statement, parameters = _POLL_BY_TEACHER, {"session_id": session_id, "user_id": teacher_id}
    found = db.session.connection().execute(statement, parameters).one_or_none()
    if found is None:
        return None
    rules = rules_from(found, found.opened_at, found.closed_at)
    phase = rules.phase(now)
    if teacher_id is None:
        return Poll(found.version, phase, found.position)
    answered = answered_count(found, found.position) if phase is Phase.QUESTION else None
    return Poll(found.version, phase, found.position, joined_count(session_id), answered)


def poll_response(found: Poll | None) -> tuple[Response, int] | Response:
    """A poll's answer: the state as JSON with its ETag, or 304 when the client has it."""
    if found is None:
        return jsonify(error="There is no such live session of yours."), 404
    response = jsonify(found.as_json())
    response.set_etag(found.etag)
    response.headers["Cache-Control"] = "no-cache, private"
    return response.make_conditional(request)
