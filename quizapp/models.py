"""The database: learners, their rounds, the questions each round holds and the answers given.

A round keeps a snapshot of every question as it was presented (choices in their
shown order, answer key included), so a recap shows exactly what the learner saw
even after the bank changes.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from functools import cache, cached_property
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    false,
    select,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime, TypeDecorator
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.clock import utcnow
from quizapp.domain.attempts import Mode
from quizapp.domain.live import IDLE_TIMEOUT
from quizapp.domain.questions import Question, question_from_dict
from quizapp.extensions import db, login_manager

MAX_ID = 2**63 - 1  # the largest id a database integer column holds


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database: SQLite drops the zone, this restores it."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


ROLE_STUDENT = "student"  # everyone who registers through the web
ROLE_TEACHER = "teacher"  # only ever made by `flask users create-teacher`


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default=ROLE_STUDENT)
    # The IANA zone the user reads and types times in (quizapp/domain/timezones.py).
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Every session of the account carries the generation it began in (in the session and
    # remember cookies, through `get_id`), and `load_user` refuses any other: bumping it
    # ends them all, on every host, at no query beyond the one loading the user anyway.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    rounds: Mapped[list[Round]] = relationship(back_populates="user")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}"

    def end_sessions(self) -> None:
        """End every session of this stored account once committed (logging out, a new
        password). An increment in SQL, so two at once both count; the attribute reloads
        after the flush."""
        if sa_inspect(self).persistent:
            self.session_generation = User.session_generation + 1

    def set_password(self, password: str) -> None:
        """A new password ends the account's sessions, however it is set (web or CLI)."""
        # werkzeug's default is scrypt with a random salt.
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_teacher(self) -> bool:
        return self.role == ROLE_TEACHER


def authenticate(username: str, password: str) -> User | None:
    """The account named `username` (stored form) if `password` is its password, else None.

    An unknown name costs the same password-hashing work as a known one (a check against a
    stand-in hash), so the time a failed login takes does not tell which names exist.
    """
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(stand_in_password_hash(), password)
        return None
    return user if user.check_password(password) else None


@cache
def stand_in_password_hash() -> str:
    """A hash of a random password, made as `User.set_password` makes them (so at the same
    cost), once per process."""
    return generate_password_hash(secrets.token_hex(16))


def parse_session_id(session_id: str) -> tuple[int, int] | None:
    """(user id, generation) of a session id `<user id>:<generation>` (see `User.get_id`),
    or None when it is not one."""
    user_id, _, generation = session_id.partition(":")
    if not (user_id.isdecimal() and generation.isdecimal()) or int(user_id) > MAX_ID:
        return None
    return int(user_id), int(generation)


# Built once: every request of a logged-in session runs it (a third faster than
# `session.get`, which builds its statement each time).
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session id `<user id>:<generation>` (see `User.get_id`), if that
    generation is still the account's; None logs the session out."""
    parsed = parse_session_id(session_id)
    if parsed is None:
        return None
    user = db.session.scalars(_USER_BY_ID, {"user_id": parsed[0]}).one_or_none()
    if user is None or user.session_generation != parsed[1]:
        return None
    return user


class Round(db.Model):
    """A round a learner plays: free practice, or one attempt at an assignment."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    seed: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(16))
    topic: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), index=True)
    attempt: Mapped[int | None] = mapped_column(Integer)  # 1-based, for assignment rounds
    # A "Review my mistakes" round: the learner's due questions (see domain/leitner.py).
    is_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    user: Mapped[User] = relationship(back_populates="rounds")
    assignment: Mapped[Assignment | None] = relationship(back_populates="rounds")
    items: Mapped[list[RoundItem]] = relationship(
        back_populates="round", order_by="RoundItem.position", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("assignment_id", "user_id", "attempt"),)

    @property
    def mode(self) -> Mode:
        """A test's feedback waits until it is over; every other round is practice."""
        if self.assignment is not None and self.assignment.mode == MODE_TEST:
            return Mode.TEST
        if self.assignment is not None and self.assignment.mode == MODE_LIVE:
            return Mode.LIVE
        return Mode.PRACTICE

    @property
    def is_test(self) -> bool:
        return self.mode is Mode.TEST

    @property
    def length(self) -> int:
        return len(self.items)

    @property
    def answered_count(self) -> int:
        return sum(1 for item in self.items if item.answer is not None)

    def next_unanswered(self) -> RoundItem | None:
        return next((item for item in self.items if item.answer is None), None)

    @property
    def scope(self) -> str:
        if self.assignment is not None:
            return f"Assignment: {self.assignment.title}"
        if self.is_review:
            return "Review of my mistakes"
        if self.section:
            return f"Section {self.section}"
        if self.topic:
            return f"Topic: {self.topic.replace('-', ' ')}"
        return "All topics"


class RoundItem(db.Model):
    __tablename__ = "round_items"
    __table_args__ = (UniqueConstraint("round_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1-based
    question_id: Mapped[str] = mapped_column(String(200), index=True)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Set for a teacher's question: the version shown, which statistics are kept per.
    version_id: Mapped[int | None] = mapped_column(ForeignKey("question_versions.id"), index=True)
    # In a test: the learner flagged the question to come back to it.
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    round: Mapped[Round] = relationship(back_populates="items")
    answer: Mapped[Answer | None] = relationship(back_populates="item", uselist=False)

    @cached_property  # a snapshot never changes; a page reads its question many times
    def question(self) -> Question:
        return question_from_dict(self.snapshot)


class Answer(db.Model):
    """One answer per round item: the unique constraint is what makes a double submit count once."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_item_id: Mapped[int] = mapped_column(ForeignKey("round_items.id"), unique=True)
    response: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    correct: Mapped[bool]
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # A teacher's manual mark ("Override mark"): `score` is then the teacher's, and
    # `graded_score` keeps what the automatic grading gives (a regrade updates it); both
    # None/None while no manual mark stands. Every change is a row of `mark_changes`.
    graded_score: Mapped[float | None] = mapped_column(Float)
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    mark_comment: Mapped[str | None] = mapped_column(Text)

    item: Mapped[RoundItem] = relationship(back_populates="answer")
    changes: Mapped[list[MarkChange]] = relationship(
        back_populates="answer", order_by="MarkChange.id", cascade="all, delete-orphan"
    )

    @property
    def is_marked_by_hand(self) -> bool:
        return self.marked_by is not None


MARK_MANUAL = "manual"  # a teacher's "Override mark"
MARK_REGRADE = "regrade"  # a regrade after the question was edited


class MarkChange(db.Model):
    """One change of an answer's mark, kept for ever: who changed what, when and why.
    Written only by attempt_store (`change_mark`)."""

    __tablename__ = "mark_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # MARK_MANUAL or MARK_REGRADE
    old_score: Mapped[float] = mapped_column(Float)
    new_score: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    changed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The regrade this change was part of (None for a manual mark).
    regrade_id: Mapped[int | None] = mapped_column(ForeignKey("regrades.id"), index=True)

    answer: Mapped[Answer] = relationship(back_populates="changes")
    teacher: Mapped[User] = relationship()
    regrade: Mapped[Regrade | None] = relationship(back_populates="changes")


class Regrade(db.Model):
    """One regrade of a teacher's question's answers by one of its versions, kept for ever:
    who ran it, when, whether manual marks were replaced, and how many answers it changed,
    left at their mark, kept under a manual mark or could not regrade. Its mark changes
    link back to it. Written only by attempt_store (`regrade_item`, `record_regrade`)."""

    __tablename__ = "regrades"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("teacher_questions.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    replaced_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    kept_manual: Mapped[int] = mapped_column(Integer, default=0)
    cannot: Mapped[int] = mapped_column(Integer, default=0)

    version: Mapped[QuestionVersion] = relationship()
    teacher: Mapped[User] = relationship()
    changes: Mapped[list[MarkChange]] = relationship(
        back_populates="regrade", order_by="MarkChange.id"
    )


# --- teachers: questions, classes, assignments ------------------------------------------

STATUS_ACTIVE = "active"
STATUS_RETIRED = "retired"
MODE_PRACTICE = "practice"  # feedback after each answer
MODE_TEST = "test"  # feedback once the attempt is submitted
MODE_LIVE = "live"  # a live session's own column: its attempts are made only by joining it


class TeacherQuestion(db.Model):
    """A question a teacher wrote or imported; its text lives in its versions.

    Editing a question that learners have seen adds a version, so an attempt keeps the
    version it showed. A question is retired rather than deleted. The columns beside
    the versions repeat what the bank browser filters on.
    """

    __tablename__ = "teacher_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=STATUS_ACTIVE)
    type: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    section: Mapped[str] = mapped_column(String(16), default="")  # "" until a passage is cited
    topics: Mapped[str] = mapped_column(String(400), default="")  # ",tag,tag," for LIKE
    prompt: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    owner: Mapped[User] = relationship()
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question",
        order_by="QuestionVersion.number",
        cascade="all, delete-orphan",
    )

    @property
    def current(self) -> QuestionVersion:
        return self.versions[-1]

    @property
    def public_id(self) -> str:
        return f"t-{self.id}"

    @property
    def cites_source(self) -> bool:
        return bool(self.section)


class QuestionVersion(db.Model):
    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("teacher_questions.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1-based
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # question_to_dict of the version
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    question: Mapped[TeacherQuestion] = relationship(back_populates="versions")

    @property
    def as_question(self) -> Question:
        return question_from_dict(self.data)


class Classroom(db.Model):
    """A teacher's class; students join it once with its code."""

    __tablename__ = "classrooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    teacher: Mapped[User] = relationship()
    enrollments: Mapped[list[Enrollment]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="classroom",
        order_by="Assignment.opens_at",
        cascade="all, delete-orphan",
    )


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("classroom_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="enrollments")
    student: Mapped[User] = relationship()


class Assignment(db.Model):
    """A round a teacher sets a class: chosen questions, or a scope and a length.

    `question_ids` lists the chosen questions in order (a bank id, or `t-<id>` for a
    teacher's question); when it is empty the round is built from `section`/`topic`.
    `attempts_allowed` 0 means no limit; `closes_at` None means it never closes;
    `due_at` None means nothing is ever late.
    """

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    mode: Mapped[str] = mapped_column(String(16), default=MODE_PRACTICE)
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    section: Mapped[str | None] = mapped_column(String(16))
    topic: Mapped[str | None] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(Integer, default=10)
    opens_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Attempts finished after `due_at` (and before the close) are marked late; None: no due date.
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=1)
    # Minutes an attempt may last (never past `closes_at`); None: no time limit.
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    # Each student's attempt gets the questions in an order of its own.
    shuffle: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="assignments")

    @property
    def time_limit(self) -> timedelta | None:
        if self.time_limit_minutes is None:
            return None
        return timedelta(minutes=self.time_limit_minutes)

    rounds: Mapped[list[Round]] = relationship(back_populates="assignment")
    overrides: Mapped[list[AssignmentOverride]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan"
    )

    def override_for(self, student_id: int) -> AssignmentOverride | None:
        return next((o for o in self.overrides if o.student_id == student_id), None)


class AssignmentOverride(db.Model):
    """What a teacher granted one student on one assignment (rules: domain/assignments.py
    `rules_for`); written by class_store."""

    __tablename__ = "assignment_overrides"
    __table_args__ = (UniqueConstraint("assignment_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    extra_attempts: Mapped[int] = mapped_column(Integer, default=0)
    closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="overrides")
    student: Mapped[User] = relationship()


# --- live class sessions (rules: domain/live.py; writer: live_store.py) -------------------


class LiveSession(db.Model):
    """A live session of a class: its state, which every worker reads from here.

    Its questions are presented once (`questions`: snapshots in the order and with the
    choices every phone and the projector show) and its students' answers are rounds of
    its own assignment (mode "live"), a gradebook column of its own. `version` grows at
    each change the teacher makes, and is the polls' ETag.
    """

    __tablename__ = "live_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), unique=True)
    code: Mapped[str] = mapped_column(String(6), index=True)
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    version_ids: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    question_count: Mapped[int] = mapped_column(Integer)
    seconds_per_question: Mapped[int | None] = mapped_column(Integer)
    speed_points: Mapped[bool] = mapped_column(Boolean, default=False)
    show_top_five: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)  # 0: the lobby
    results_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_action_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    classroom: Mapped[Classroom] = relationship()
    assignment: Mapped[Assignment] = relationship()
    steps: Mapped[list[LiveStep]] = relationship(
        order_by="LiveStep.position", cascade="all, delete-orphan"
    )

    @classmethod
    def running_at(cls, now: datetime) -> ColumnElement[bool]:
        """The SQL condition of a session running at `now`: not ended, and not idle past
        its time (`live.Session.is_running` reads the same of one row)."""
        return and_(cls.ended_at.is_(None), cls.last_action_at > now - IDLE_TIMEOUT)


class LiveStep(db.Model):
    """One question of a live session as it was played: when it opened and was closed."""

    __tablename__ = "live_steps"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1-based
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # "Close answers" pressed


class LiveParticipant(db.Model):
    """A student who joined a live session, with the round their answers go to."""

    __tablename__ = "live_participants"
    __table_args__ = (UniqueConstraint("session_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), unique=True)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
