"""The database: learners, their rounds, the questions each round holds and the answers given.

A round keeps a snapshot of every question as it was presented (choices in their
shown order, answer key included), so a recap shows exactly what the learner saw
even after the bank changes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime, TypeDecorator
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.clock import utcnow
from quizapp.domain.attempts import Mode
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

    rounds: Mapped[list[Round]] = relationship(back_populates="user")

    def set_password(self, password: str) -> None:
        # werkzeug's default is scrypt with a random salt.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_teacher(self) -> bool:
        return self.role == ROLE_TEACHER


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


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

    item: Mapped[RoundItem] = relationship(back_populates="answer")


# --- teachers: questions, classes, assignments ------------------------------------------

STATUS_ACTIVE = "active"
STATUS_RETIRED = "retired"
MODE_PRACTICE = "practice"  # feedback after each answer
MODE_TEST = "test"  # feedback once the attempt is submitted


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
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="assignments")
    rounds: Mapped[list[Round]] = relationship(back_populates="assignment")
