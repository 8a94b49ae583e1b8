"""Teachers' questions in the database: write, version, retire, browse, import.

A question's text lives in its versions (`question_to_dict` of the Question). Editing a
question that no round has shown rewrites its latest version; once a round has shown
it, an edit adds a version, so past attempts keep what they saw and statistics are kept
per version. Functions add to the session and never commit: the view or command does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from flask import abort
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from quizapp.domain.questions import Bank, Origin, Question, question_to_dict
from quizapp.domain.rulebook import Problem, check_question
from quizapp.extensions import db
from quizapp.models import (
    MAX_ID,
    STATUS_ACTIVE,
    STATUS_RETIRED,
    QuestionVersion,
    RoundItem,
    TeacherQuestion,
    User,
    utcnow,
)

PER_PAGE = 20
TEACHER_PREFIX = "t-"


def public_id(question_id: int) -> str:
    return f"{TEACHER_PREFIX}{question_id}"


def database_id(public: str) -> int | None:
    """The row id behind `t-<id>`, or None if `public` is not a teacher question's id."""
    number = public.removeprefix(TEACHER_PREFIX)
    if public.startswith(TEACHER_PREFIX) and number.isascii() and number.isdigit():
        value = int(number)
        return value if 0 < value <= MAX_ID else None
    return None


def _as_stored(question: Question, row_id: int) -> Question:
    return replace(question, id=public_id(row_id), origin=Origin.TEACHER)


def _copy_columns(row: TeacherQuestion, question: Question) -> None:
    row.type = question.type.value
    row.kind = question.kind.value
    row.section = question.section if question.cites_source else ""
    row.topics = "".join(f",{t}" for t in question.topics) + ("," if question.topics else "")
    row.prompt = question.prompt
    row.updated_at = utcnow()


def create_question(owner: User, question: Question) -> TeacherQuestion:
    """A new question owned by `owner`, its first version holding `question`."""
    row = TeacherQuestion(owner=owner)
    _copy_columns(row, question)
    db.session.add(row)
    db.session.flush()  # the id names the question
    row.versions.append(
        QuestionVersion(number=1, data=question_to_dict(_as_stored(question, row.id)))
    )
    return row


def import_questions(owner: User, questions: Iterable[Question]) -> list[TeacherQuestion]:
    return [create_question(owner, question) for question in questions]


def version_was_shown(version: QuestionVersion) -> bool:
    return bool(db.session.scalar(select(exists().where(RoundItem.version_id == version.id))))


def update_question(row: TeacherQuestion, question: Question) -> QuestionVersion:
    """Save `question` as the text of `row`; a new version once the current one was shown."""
    data = question_to_dict(_as_stored(question, row.id))
    current = row.current
    if current.data == data:
        return current
    _copy_columns(row, question)
    if version_was_shown(current):
        version = QuestionVersion(number=current.number + 1, data=data)
        row.versions.append(version)
        return version
    current.data = data
    current.created_at = utcnow()
    return current


def retire(row: TeacherQuestion) -> None:
    row.status = STATUS_RETIRED
    row.updated_at = utcnow()


def restore(row: TeacherQuestion) -> None:
    row.status = STATUS_ACTIVE
    row.updated_at = utcnow()


def own_question_or_404(question_id: int, teacher: User) -> TeacherQuestion:
    """The teacher's question with its versions; 404 for a missing or another's question."""
    row = db.session.scalars(
        select(TeacherQuestion)
        .where(TeacherQuestion.id == question_id)
        .options(selectinload(TeacherQuestion.versions))
    ).one_or_none()
    if row is None or row.owner_id != teacher.id:
        abort(404, description="There is no such question among yours.")
    return row


def playable_questions(teacher_id: int) -> list[Question]:
    """The current version of each of the teacher's active questions that cites a passage."""
    rows = db.session.scalars(
        select(TeacherQuestion)
        .where(
            TeacherQuestion.owner_id == teacher_id,
            TeacherQuestion.status == STATUS_ACTIVE,
            TeacherQuestion.section != "",
        )
        .options(selectinload(TeacherQuestion.versions))
        .order_by(TeacherQuestion.id)
    )
    return [row.current.as_question for row in rows]


def current_versions(question_ids: Sequence[str]) -> dict[str, QuestionVersion]:
    """The current version of each teacher question named in `question_ids`, by public id."""
    ids = [i for q in question_ids if (i := database_id(q)) is not None]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(TeacherQuestion)
        .where(TeacherQuestion.id.in_(ids))
        .options(selectinload(TeacherQuestion.versions))
    )
    return {row.public_id: row.current for row in rows}


def bank_with_teacher(bank: Bank, teacher_id: int) -> Bank:
    """The shipped bank plus the teacher's playable questions: what an assignment draws on."""
    return replace(bank, questions=bank.questions + tuple(playable_questions(teacher_id)))


def all_questions(owner: User | None = None) -> list[Question]:
    """Every teacher question's current version (one teacher's, when `owner` is given)."""
    return [row.current.as_question for row in all_rows(owner)]


def all_rows(owner: User | None = None) -> list[TeacherQuestion]:
    """Every teacher question with its versions (one teacher's, when `owner` is given)."""
    query = select(TeacherQuestion).options(
        selectinload(TeacherQuestion.versions), selectinload(TeacherQuestion.owner)
    )
    if owner is not None:
        query = query.where(TeacherQuestion.owner_id == owner.id)
    return list(db.session.scalars(query.order_by(TeacherQuestion.id)))


def broken_rules(rows: Iterable[TeacherQuestion], bank: Bank) -> dict[int, list[Problem]]:
    """The rows whose current version breaks a rule of the rulebook, with its problems.

    A question stored before a rule was tightened stays playable (its version is what
    rounds show); the bank browser flags it and `flask questions check` lists it, so that
    its teacher can edit it (the editor then holds it to every rule).
    """
    found = {}
    for row in rows:
        problems = check_question(
            row.current.as_question, bank.article, bank.perspectives, require_source=False
        )
        if problems:
            found[row.id] = problems
    return found


# --- the bank browser ---------------------------------------------------------------------


STATUS_FILTERS = ("active", "retired", "needs-source")


@dataclass(frozen=True)
class Filters:
    """What the bank browser filters on; empty strings mean 'any'."""

    type: str = ""
    kind: str = ""
    section: str = ""
    topic: str = ""
    status: str = ""
    text: str = ""

    def matches(self, question: Question) -> bool:
        """The same filters on a shipped question (which is always active and cited)."""
        if self.type and question.type.value != self.type:
            return False
        if self.kind and question.kind.value != self.kind:
            return False
        if self.section and not (
            question.section == self.section or question.section.startswith(self.section + ".")
        ):
            return False
        if self.topic and self.topic not in question.topics:
            return False
        if self.status in ("retired", "needs-source"):
            return False
        return not self.text or _text_hit(question, self.text)


def _text_hit(question: Question, text: str) -> bool:
    """Every word of `text` in the prompt, case folded (as `browse_own` does in SQL)."""
    prompt = question.prompt.casefold()
    return all(word in prompt for word in text.casefold().split())


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    pages: int
    total: int


def browse_own(teacher: User, filters: Filters, page: int) -> Page:
    """One page of the teacher's questions that pass `filters`, newest first."""
    query = select(TeacherQuestion).where(TeacherQuestion.owner_id == teacher.id)
    if filters.type:
        query = query.where(TeacherQuestion.type == filters.type)
    if filters.kind:
        query = query.where(TeacherQuestion.kind == filters.kind)
    if filters.section:
        query = query.where(
            or_(
                TeacherQuestion.section == filters.section,
                TeacherQuestion.section.startswith(filters.section + ".", autoescape=True),
            )
        )
    if filters.topic:
        query = query.where(TeacherQuestion.topics.contains(f",{filters.topic},", autoescape=True))
    if filters.status == "active":
        query = query.where(TeacherQuestion.status == STATUS_ACTIVE)
    elif filters.status == "retired":
        query = query.where(TeacherQuestion.status == STATUS_RETIRED)
    elif filters.status == "needs-source":
        query = query.where(TeacherQuestion.section == "")
    for word in filters.text.split():
        query = query.where(TeacherQuestion.prompt.icontains(word, autoescape=True))
    query = query.options(selectinload(TeacherQuestion.versions)).order_by(
        TeacherQuestion.updated_at.desc(), TeacherQuestion.id.desc()
    )
    found = db.paginate(query, page=max(1, page), per_page=PER_PAGE, error_out=False)
    if found.pages and page > found.pages:  # past the end (a bookmark, deletions): the last page
        found = db.paginate(query, page=found.pages, per_page=PER_PAGE, error_out=False)
    return Page(list(found.items), found.page, max(1, found.pages), found.total or 0)


def browse_library(bank: Bank, filters: Filters, page: int) -> Page:
    """One page of the shipped questions that pass `filters`, in bank order."""
    hits = [q for q in bank.questions if filters.matches(q)]
    pages = max(1, math.ceil(len(hits) / PER_PAGE))
    page = min(max(1, page), pages)
    return Page(hits[(page - 1) * PER_PAGE : page * PER_PAGE], page, pages, len(hits))
