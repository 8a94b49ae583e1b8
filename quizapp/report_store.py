"""Reading answers back for the reports: progress, mistakes, gradebook, item statistics.

Each function runs a fixed number of queries whatever the number of students, rounds
or answers, and hands plain values to the domain modules that compute the figures
(`domain/mastery.py`, `domain/leitner.py`, `domain/gradebook.py`, `domain/item_stats.py`).

Reports read and never write. What a learner may see is `domain/attempts.py`'s to
decide (`attempt_store.withheld_questions`): while a test holding a question is in
progress for a learner, that question stays out of the learner's reports; and what was
answered in a test in progress stays out of the class's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import aliased

from quizapp import attempt_store
from quizapp.domain import attempts, gradebook, item_stats, leitner
from quizapp.domain.assignments import AttemptRules
from quizapp.domain.grading import describe, response_from_json
from quizapp.domain.mastery import RECENT, AnswerRecord
from quizapp.domain.questions import Question, QuestionType, question_from_dict
from quizapp.extensions import db
from quizapp.models import (
    Answer,
    Assignment,
    Classroom,
    Enrollment,
    QuestionVersion,
    Round,
    RoundItem,
    TeacherQuestion,
    User,
)


def _answers(*columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(Answer)
        .join(RoundItem, RoundItem.id == Answer.round_item_id)
        .join(Round, Round.id == RoundItem.round_id)
        .outerjoin(Assignment, Assignment.id == Round.assignment_id)
    )


def _learners_answers(user: User, now: datetime) -> ColumnElement[bool]:
    """The answers of `user` that the learner may see now: none of a withheld question."""
    withheld = attempt_store.withheld_questions(user, now)
    return and_(Round.user_id == user.id, RoundItem.question_id.not_in(sorted(withheld)))


@dataclass(frozen=True)
class QuestionInfo:
    """What the reports say of a question: from the latest snapshot a learner was shown."""

    question_id: str
    prompt: str
    section: str
    topics: tuple[str, ...]
    qtype: str
    text_format: str


def _catalogue(item_ids: Select[Any]) -> dict[str, dict[str, Any]]:
    """The latest snapshot of each question among the round items `item_ids` selects."""
    latest = (
        select(func.max(RoundItem.id))
        .where(RoundItem.id.in_(item_ids.scalar_subquery()))
        .group_by(RoundItem.question_id)
    )
    rows = db.session.execute(
        select(RoundItem.question_id, RoundItem.snapshot).where(RoundItem.id.in_(latest))
    )
    return {question_id: snapshot for question_id, snapshot in rows}


def _info(snapshot: dict[str, Any]) -> QuestionInfo:
    return QuestionInfo(
        question_id=snapshot["id"],
        prompt=snapshot["prompt"],
        section=snapshot.get("section", ""),
        topics=tuple(snapshot.get("topics", ())),
        qtype=snapshot["type"],
        text_format=snapshot.get("text_format", "plain"),
    )


def _records(condition: ColumnElement[bool]) -> tuple[list[AnswerRecord], dict[str, QuestionInfo]]:
    """The visible answers meeting `condition` that mastery counts, as records: two queries.

    Mastery reads only each learner's last RECENT answers to each question
    (`domain/mastery.py`, which applies the rule again); the database drops the older
    ones first, so a class's years of answers do not all travel to Python.
    """
    ranked = (
        _answers(
            Round.user_id.label("learner"),
            RoundItem.question_id.label("question_id"),
            Answer.answered_at.label("at"),
            Answer.score.label("score"),
            func.row_number()
            .over(
                partition_by=(Round.user_id, RoundItem.question_id),
                order_by=(Answer.answered_at.desc(), Answer.id.desc()),
            )
            .label("rank"),
        )
        .where(condition)
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.learner, ranked.c.question_id, ranked.c.at, ranked.c.score).where(
            ranked.c.rank <= RECENT
        )
    ).all()
    if not rows:
        return [], {}
    items = _answers(RoundItem.id).where(condition)
    info = {qid: _info(snapshot) for qid, snapshot in _catalogue(items).items()}
    records = [
        AnswerRecord(
            learner=user_id,
            question_id=qid,
            at=at,
            score=score,
            section=info[qid].section,
            topics=info[qid].topics,
            qtype=info[qid].qtype,
        )
        for user_id, qid, at, score in rows
        if qid in info
    ]
    return records, info


def learner_records(
    user: User, now: datetime
) -> tuple[list[AnswerRecord], dict[str, QuestionInfo]]:
    """The learner's own visible answers, practice and assignments alike."""
    return _records(_learners_answers(user, now))


def class_records(
    classroom: Classroom, now: datetime
) -> tuple[list[AnswerRecord], dict[str, QuestionInfo]]:
    """The answers given to the class's assignments by its students, but those of tests
    still in progress.

    Only assignment attempts: what a student practises alone stays theirs.
    """
    students = select(Enrollment.student_id).where(Enrollment.classroom_id == classroom.id)
    in_class = (
        select(Round.id)
        .join(Assignment, Assignment.id == Round.assignment_id)
        .where(Assignment.classroom_id == classroom.id, Round.user_id.in_(students))
    )
    in_progress = attempt_store.open_test_round_ids(in_class.scalar_subquery(), now)
    return _records(
        and_(
            Assignment.classroom_id == classroom.id,
            Round.user_id.in_(students),
            Round.id.not_in(in_progress),
        )
    )


# --- Review my mistakes ----------------------------------------------------------------------


def review_cards(user: User, now: datetime) -> dict[str, leitner.Card]:
    """The learner's Leitner cards, recomputed from the answers they may see: two queries."""
    rows = db.session.execute(
        _answers(RoundItem.question_id, Answer.answered_at, Answer.correct).where(
            _learners_answers(user, now)
        )
    )
    return leitner.schedule(leitner.Review(qid, at, correct) for qid, at, correct in rows)


def due_count(user: User, now: datetime) -> int:
    return len(leitner.due(review_cards(user, now), now))


def card_questions(user: User, question_ids: Iterable[str], now: datetime) -> dict[str, RoundItem]:
    """For each question, the round item the learner last missed it in (the version they
    missed), among the answers they may see; their last visible one if they never missed it."""
    ids = sorted(set(question_ids))
    if not ids:
        return {}
    visible = _learners_answers(user, now)
    missed = (
        _answers(func.max(RoundItem.id))
        .where(visible, RoundItem.question_id.in_(ids), Answer.correct.is_(False))
        .group_by(RoundItem.question_id)
    )
    items = {
        item.question_id: item
        for item in db.session.scalars(select(RoundItem).where(RoundItem.id.in_(missed)))
    }
    rest = [qid for qid in ids if qid not in items]
    if rest:
        latest = (
            _answers(func.max(RoundItem.id))
            .where(visible, RoundItem.question_id.in_(rest))
            .group_by(RoundItem.question_id)
        )
        items |= {
            item.question_id: item
            for item in db.session.scalars(select(RoundItem).where(RoundItem.id.in_(latest)))
        }
    return items


# --- gradebook ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptRow:
    student_id: int
    assignment_id: int
    result: gradebook.AttemptResult


def attempts_at(ids: Sequence[int], student: User | None = None) -> list[AttemptRow]:
    """Every attempt at the given assignments (of one student, if named), with its length
    and answered score: one query."""
    if not ids:
        return []
    query = attempt_store.with_override(
        select(
            Round.id,
            Round.user_id,
            Round.assignment_id,
            Round.attempt,
            Round.created_at,
            Round.finished_at,
            Round.score,
            func.count(RoundItem.id),
            func.coalesce(func.sum(Answer.score), 0.0),
            *attempt_store.RULE_COLUMNS,
        ).join(Assignment, Assignment.id == Round.assignment_id),
        Round.user_id,
    )
    query = (
        query.outerjoin(RoundItem, RoundItem.round_id == Round.id)
        .outerjoin(Answer, Answer.round_item_id == RoundItem.id)
        .where(Round.assignment_id.in_(ids))
        .group_by(Round.id, *attempt_store.RULE_COLUMNS)
        .order_by(Round.assignment_id, Round.user_id, Round.attempt)
    )
    if student is not None:
        query = query.where(Round.user_id == student.id)
    return [
        AttemptRow(
            student_id=user_id,
            assignment_id=assignment_id,
            result=gradebook.AttemptResult(
                round_id=round_id,
                attempt=attempt or 1,
                score=score if finished_at is not None else float(answered),
                length=length,
                started_at=created_at,
                finished_at=finished_at,
                # The attempt's own deadline and grace under its student's rules, as
                # attempt_store.attempt_of gives them.
                **deadline_fields(created_at, attempt_store.rules_from_columns(rule_values)),
            ),
        )
        for (
            round_id,
            user_id,
            assignment_id,
            attempt,
            created_at,
            finished_at,
            score,
            length,
            answered,
            *rule_values,
        ) in db.session.execute(query)
    ]


def deadline_fields(started_at: datetime, rules: AttemptRules) -> dict[str, Any]:
    deadline, grace = attempts.deadline_of(started_at, rules.closes_at, rules.time_limit)
    return {"deadline": deadline, "grace": grace}


def deadlines_of(assignment: Assignment, student_id: int | None = None) -> gradebook.Deadlines:
    """The assignment's moments; for a student, their own (an override moves them)."""
    rules = attempt_store.rules_of(assignment, student_id)
    return gradebook.Deadlines(rules.opens_at, rules.due_at, rules.closes_at)


# --- item statistics and responses ---------------------------------------------------------------


@dataclass(frozen=True)
class ItemResponse:
    """One item of one attempt: the question as shown and what the student answered."""

    round_id: int
    position: int
    question_id: str
    version_id: int | None
    question: Question
    response: Any  # the domain response, None if unanswered
    score: float
    correct: bool
    answered_at: datetime | None
    # Whether the response is the key: `correct`, unless a teacher's mark replaced the
    # automatic grade (then the grade kept beside it says).
    matches_key: bool = False
    # A teacher's "Override mark": the automatic grade it replaced, who marked, and why.
    graded_score: float | None = None
    marked_by: str | None = None
    mark_comment: str | None = None

    @property
    def response_text(self) -> str:
        if self.response is None:
            return ""
        return "; ".join(describe(self.question, self.response))

    @property
    def key_text(self) -> str:
        return "; ".join(describe(self.question, self.question.answer))


ROUNDS_PER_QUERY = 20_000  # PostgreSQL takes at most 65,535 bound parameters in a query


def item_responses(round_ids: Sequence[int]) -> list[ItemResponse]:
    """Every item of the given rounds with its answer, in round and position order."""
    return list(iter_item_responses(round_ids))


def iter_item_responses(round_ids: Sequence[int]) -> Iterator[ItemResponse]:
    """`item_responses` one at a time, fetched 1,000 rows at a time, for an export.

    One query per 20,000 rounds: one for any class or assignment short of that.
    """
    ids = sorted(round_ids)
    for start in range(0, len(ids), ROUNDS_PER_QUERY):
        yield from _item_responses(ids[start : start + ROUNDS_PER_QUERY])


def _item_responses(round_ids: Sequence[int]) -> Iterator[ItemResponse]:
    marker = aliased(User)
    rows = db.session.execute(
        select(
            RoundItem.round_id,
            RoundItem.position,
            RoundItem.question_id,
            RoundItem.version_id,
            RoundItem.snapshot,
            Answer.response,
            Answer.score,
            Answer.correct,
            Answer.answered_at,
            Answer.graded_score,
            marker.username,
            Answer.mark_comment,
        )
        .outerjoin(Answer, Answer.round_item_id == RoundItem.id)
        .outerjoin(marker, marker.id == Answer.marked_by)
        .where(RoundItem.round_id.in_(round_ids))
        .order_by(RoundItem.round_id, RoundItem.position),
        execution_options={"yield_per": 1000},
    )
    for (
        round_id,
        position,
        qid,
        version_id,
        snapshot,
        data,
        score,
        correct,
        at,
        graded,
        marked_by,
        comment,
    ) in rows:
        question = question_from_dict(snapshot)
        try:
            response = None if data is None else response_from_json(question, data)
        except ValueError:
            response = None
        yield ItemResponse(
            round_id=round_id,
            position=position,
            question_id=qid,
            version_id=version_id,
            question=question,
            response=response,
            score=score or 0.0,
            correct=bool(correct),
            answered_at=at,
            matches_key=bool(correct) if graded is None else graded == 1.0,
            graded_score=graded,
            marked_by=marked_by,
            mark_comment=comment,
        )


def teacher_version_numbers(teacher_id: int) -> dict[int, tuple[int, int]]:
    """version id -> (question id, version number) of every version of the teacher's
    questions, the only versioned questions their assignments hold: one query."""
    rows = db.session.execute(
        select(QuestionVersion.id, QuestionVersion.question_id, QuestionVersion.number)
        .join(TeacherQuestion, TeacherQuestion.id == QuestionVersion.question_id)
        .where(TeacherQuestion.owner_id == teacher_id)
    )
    return {vid: (qid, number) for vid, qid, number in rows}


def version_numbers(version_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """version id -> (teacher question id, version number), in one query."""
    ids = sorted(set(version_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(QuestionVersion.id, QuestionVersion.question_id, QuestionVersion.number).where(
            QuestionVersion.id.in_(ids)
        )
    )
    return {vid: (qid, number) for vid, qid, number in rows}


@dataclass(frozen=True)
class ItemReport:
    """One question version of an assignment: its statistics and how the answers spread."""

    question: Question  # as last shown
    version: int | None  # a teacher's question's version number
    teacher_question_id: int | None  # to link to the editor; None for a library question
    stats: item_stats.ItemStatistics
    spread: list[item_stats.SpreadRow]


@dataclass(frozen=True)
class AssignmentStatistics:
    test: item_stats.TestStatistics
    items: list[ItemReport]


def assignment_statistics(
    assignment: Assignment, which: gradebook.AttemptSet, now: datetime
) -> AssignmentStatistics:
    """Item analysis of the attempts `which` names, per question version: four queries."""
    rows = attempts_at([assignment.id])
    chosen = gradebook.choose_attempts([(row.student_id, row.result) for row in rows], which, now)
    responses = item_responses([a.round_id for a in chosen])
    by_attempt: dict[int, dict[Any, float]] = {}
    by_key: dict[Any, list[ItemResponse]] = {}
    for response in responses:
        key = (response.question_id, response.version_id)
        by_attempt.setdefault(response.round_id, {})[key] = response.score
        by_key.setdefault(key, []).append(response)
    test, items = item_stats.analyse(list(by_attempt.values()))
    versions = version_numbers(vid for _, vid in by_key if vid is not None)
    reports = []
    for stats in items:
        shown = by_key[stats.key]
        version_id = stats.key[1]
        teacher_question_id, number = versions.get(version_id, (None, None))
        reports.append(
            ItemReport(
                question=shown[-1].question,
                version=number,
                teacher_question_id=teacher_question_id,
                stats=stats,
                spread=_spread(shown),
            )
        )
    return AssignmentStatistics(test, reports)


def _spread(shown: Sequence[ItemResponse]) -> list[item_stats.SpreadRow]:
    """How the answers spread; for a one-choice question, every option, chosen or not."""
    rows = item_stats.answer_spread((r.response_text or "No answer", r.matches_key) for r in shown)
    question = shown[-1].question
    if question.type in (QuestionType.SINGLE, QuestionType.CLASSIFY, QuestionType.TRUE_FALSE):
        key = set(describe(question, question.answer))
        options = (
            ["True", "False"]
            if question.type is QuestionType.TRUE_FALSE
            else [c.text for c in question.choices]
        )
        seen = {row.label for row in rows}
        rows += [item_stats.SpreadRow(o, 0, 0.0, o in key) for o in options if o not in seen]
    return rows
