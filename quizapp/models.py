"""The database: learners, their rounds, the questions each round holds and the answers given.

A round keeps a snapshot of every question as it was presented (choices in their
shown order, answer key included), so a recap shows exactly what the learner saw
even after the bank changes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.domain.questions import Question, question_from_dict
from quizapp.extensions import db, login_manager


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="student")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    rounds: Mapped[list[Round]] = relationship(back_populates="user")

    def set_password(self, password: str) -> None:
        # werkzeug's default is scrypt with a random salt.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


class Round(db.Model):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    seed: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(16))
    topic: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    score: Mapped[float] = mapped_column(Float, default=0.0)

    user: Mapped[User] = relationship(back_populates="rounds")
    items: Mapped[list[RoundItem]] = relationship(
        back_populates="round", order_by="RoundItem.position", cascade="all, delete-orphan"
    )

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

    round: Mapped[Round] = relationship(back_populates="items")
    answer: Mapped[Answer | None] = relationship(back_populates="item", uselist=False)

    @property
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
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    item: Mapped[RoundItem] = relationship(back_populates="answer")
