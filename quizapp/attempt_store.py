"""Rounds and answers in the database: the one module that inserts or updates them.

Every change of an attempt goes through here (start, answer, submit, settle, rescore),
and the rules it applies are `domain/attempts.py`'s: this module only turns rows into
`attempts.Attempt` values and writes back what the rules decide. A change that finishes
an attempt takes the round's lock first (`SELECT … FOR UPDATE` on PostgreSQL, a write
transaction taken at once on SQLite), then sums the stored answers: no answer committed
by another request can be missed from the score.

Functions add to the session and never commit: the view or command that calls them does.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import abort
from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from quizapp import question_store
from quizapp.domain import attempts, leitner, regrading
from quizapp.domain.assignments import (
    AttemptRules,
    AttemptState,
    Override,
    attempt_state,
    rules_for,
)
from quizapp.domain.attempts import Attempt, Decision, Mode, QuestionState, Status
from quizapp.domain.grading import Grade
from quizapp.domain.live import IDLE_TIMEOUT
from quizapp.domain.questions import Bank, Question, question_from_dict, question_to_dict
from quizapp.domain.rounds import RoundError, RoundSpec, build_round, present
from quizapp.extensions import db
from quizapp.models import (
    MARK_MANUAL,
    MARK_REGRADE,
    MODE_LIVE,
    MODE_TEST,
    Answer,
    Assignment,
    AssignmentOverride,
    Classroom,
    Enrollment,
    LiveSession,
    MarkChange,
    QuestionVersion,
    Regrade,
    Round,
    RoundItem,
    TeacherQuestion,
    User,
)

REVIEW_ROUND_LENGTH = 10


class AttemptError(ValueError):
    """An attempt that cannot start now; the message is shown to the student. `state`, when
    the assignment's rules refused, names its moments in the reader's zone (`state.told`)."""

    def __init__(self, message: str, state: AttemptState | None = None) -> None:
        super().__init__(message)
        self.state = state

    def told(self, show: Callable[[datetime], str]) -> str:
        return str(self) if self.state is None else self.state.told(show)


# --- the rules' view of a round --------------------------------------------------------------


def attempt_of(a_round: Round) -> Attempt:
    """The round as the rules see it: under its student's rules, overrides included."""
    assignment = a_round.assignment
    if assignment is None:
        return Attempt.of(a_round.mode, a_round.created_at, a_round.finished_at)
    return Attempt.under(
        a_round.mode,
        a_round.created_at,
        a_round.finished_at,
        rules_of(assignment, a_round.user_id),
    )


def override_of(row: AssignmentOverride | None) -> Override | None:
    if row is None:
        return None
    return Override(
        extra_time=timedelta(minutes=row.extra_minutes),
        extra_attempts=row.extra_attempts,
        closes_at=row.closes_at,
        due_at=row.due_at,
    )


def rules_of(assignment: Assignment, student_id: int | None = None) -> AttemptRules:
    """The assignment's rules; for a student, their own (`assignments.rules_for`), the one
    source of every deadline, window and count of attempts left that a page or write uses."""
    rules = AttemptRules(
        assignment.opens_at,
        assignment.closes_at,
        assignment.attempts_allowed,
        assignment.due_at,
        assignment.time_limit,
    )
    if student_id is None:
        return rules
    return rules_for(rules, override_of(assignment.override_for(student_id)))


@dataclass(frozen=True)
class Reading:
    """A round as it reads at one moment: what a page shows of its state.

    `withheld` holds the questions whose verdicts the learner may not see now (those of
    their tests in progress, `attempts.withheld_questions`). A round holding an answer to
    one of them keeps its score to itself too, or the score would tell that verdict.
    """

    status: Status
    submitted_at: datetime | None
    score: float | None
    shows_feedback: bool
    withheld: frozenset[str] = frozenset()
    score_hidden: bool = False

    @property
    def is_over(self) -> bool:
        return self.status.is_over

    def shows_verdict(self, item: RoundItem) -> bool:
        return self.shows_feedback and item.question_id not in self.withheld


def read(a_round: Round, now: datetime, withheld: frozenset[str] = frozenset()) -> Reading:
    """The round as it reads at `now`; its items and answers must be loaded."""
    attempt = attempt_of(a_round)
    hidden = any(i.answer is not None and i.question_id in withheld for i in a_round.items)
    score = attempts.effective_score(
        attempt, a_round.score, (i.answer.score for i in a_round.items if i.answer), now
    )
    return Reading(
        status=attempt.status(now),
        submitted_at=attempt.submitted_at(now),
        score=None if hidden else score,
        shows_feedback=attempt.shows_feedback(now),
        withheld=withheld,
        score_hidden=hidden and score is not None,
    )


# --- reading rounds ----------------------------------------------------------------------------


# One query for the round, its items and their answers: every page of a round needs them
# all (progress, the next question), and one joined query costs half of three. Built once:
# building it cost a tenth of a page.
_OWN_ROUND = (
    select(Round)
    .where(Round.id == bindparam("round_id"))
    .options(joinedload(Round.items).joinedload(RoundItem.answer))
)


def own_round_or_404(round_id: int, user: User) -> Round:
    """The round with its items and answers, if it is `user`'s; 404 otherwise.

    Another learner's round gets the same 404 as a missing one, so ids reveal nothing.
    """
    found = db.session.scalars(_OWN_ROUND, {"round_id": round_id}).unique().one_or_none()
    if found is None or found.user_id != user.id:
        abort(404, description="There is no such round among yours.")
    return found


def class_attempt_or_404(round_id: int, teacher: User) -> Round:
    """An attempt at one of the teacher's assignments, with its items and answers; else 404."""
    found = (
        db.session.scalars(
            select(Round)
            .where(Round.id == round_id)
            .options(
                joinedload(Round.items).joinedload(RoundItem.answer),
                joinedload(Round.user),
                joinedload(Round.assignment).joinedload(Assignment.classroom),
            )
        )
        .unique()
        .one_or_none()
    )
    if (
        found is None
        or found.assignment is None
        or found.assignment.classroom.teacher_id != teacher.id
    ):
        abort(404, description="There is no such attempt in your classes.")
    return found


def attempts_at(assignment: Assignment) -> list[Round]:
    """Every attempt at the assignment, oldest first, with its student, items and answers."""
    return list(
        db.session.scalars(
            select(Round)
            .where(Round.assignment_id == assignment.id)
            .options(
                selectinload(Round.user), selectinload(Round.items).selectinload(RoundItem.answer)
            )
            .order_by(Round.created_at)
        )
    )


def question_states(a_round: Round) -> list[QuestionState]:
    """Where each question of the round stands (answered, flagged), in order; its items and
    answers must be loaded."""
    return [
        QuestionState(item.position, item.answer is not None, item.flagged)
        for item in a_round.items
    ]


def item_or_404(a_round: Round, position: int) -> RoundItem:
    for item in a_round.items:
        if item.position == position:
            return item
    abort(404, description=f"This round has no question {position}.")


@dataclass(frozen=True)
class RoundSummary:
    """A line of a round list, as it reads now: enough to show and link a round.

    `finished_at` and `score` are the effective ones: an attempt left open at its deadline
    reads as submitted then, with the answers it holds. `score_hidden`: the round holds an
    answer to a question of the learner's tests in progress, so its score waits too.
    """

    id: int
    scope: str
    created_at: datetime
    finished_at: datetime | None
    score: float
    length: int
    answered_count: int
    assignment_id: int | None = None
    score_hidden: bool = False


def rounds_of(user: User, now: datetime, *, in_progress_only: bool = False) -> list[RoundSummary]:
    """The user's rounds, newest first, each with its counts of questions and answers.

    Two queries whatever the number of rounds; the question snapshots are not loaded.
    """
    withheld = sorted(withheld_questions(user, now))
    query = (
        select(
            Round,
            func.count(RoundItem.id),
            func.count(Answer.id),
            func.coalesce(func.sum(Answer.score), 0.0),
            answers_among(withheld),
        )
        .outerjoin(RoundItem, RoundItem.round_id == Round.id)
        .outerjoin(Answer, Answer.round_item_id == RoundItem.id)
        .where(Round.user_id == user.id)
        .options(selectinload(Round.assignment).selectinload(Assignment.overrides))
        .group_by(Round.id)
        .order_by(Round.created_at.desc(), Round.id.desc())
    )
    summaries = []
    for r, length, answered, answered_score, answered_withheld in db.session.execute(query):
        attempt = attempt_of(r)
        if in_progress_only and attempt.is_over(now):
            continue
        score = attempts.effective_score(attempt, r.score, [answered_score], now)
        hidden = score is not None and answered_withheld > 0
        summaries.append(
            RoundSummary(
                r.id,
                r.scope,
                r.created_at,
                attempt.submitted_at(now),
                0.0 if hidden else (score or 0.0),
                length,
                answered,
                r.assignment_id,
                score_hidden=hidden,
            )
        )
    return summaries


def answers_among(question_ids: Sequence[str]) -> Any:
    """In a query over round items joined to their answers: how many answers are to these
    questions."""
    return func.coalesce(
        func.sum(
            case(
                (and_(Answer.id.is_not(None), RoundItem.question_id.in_(question_ids)), 1),
                else_=0,
            )
        ),
        0,
    )


# A student's rules read as columns, for the queries that read many attempts at once:
# select RULE_COLUMNS from a query joined to Assignment and `with_override`, then
# `rules_from_columns` the values (the same rules `rules_of` gives for one row).
RULE_COLUMNS = (
    Assignment.opens_at,
    Assignment.closes_at,
    Assignment.attempts_allowed,
    Assignment.due_at,
    Assignment.time_limit_minutes,
    AssignmentOverride.extra_minutes,
    AssignmentOverride.extra_attempts,
    AssignmentOverride.closes_at,
    AssignmentOverride.due_at,
)


def with_override(query: Any, student_id: Any) -> Any:
    """`query` (joined to Assignment) joined to the override of the student `student_id` names."""
    return query.outerjoin(
        AssignmentOverride,
        and_(
            AssignmentOverride.assignment_id == Assignment.id,
            AssignmentOverride.student_id == student_id,
        ),
    )


def rules_from_columns(values: Sequence[Any]) -> AttemptRules:
    opens, closes, allowed, due, minutes, extra_minutes, extra_attempts, o_closes, o_due = values
    rules = AttemptRules(
        opens, closes, allowed, due, timedelta(minutes=minutes) if minutes is not None else None
    )
    if extra_minutes is None:  # no override row
        return rules
    granted = Override(timedelta(minutes=extra_minutes), extra_attempts, o_closes, o_due)
    return rules_for(rules, granted)


# Columns rather than objects, and a statement built once: every page and round start asks.
# Tests and live sessions withhold their verdicts while they run.
_UNFINISHED_TEST_ITEMS = with_override(
    select(
        Round.id,
        Round.user_id,
        Round.created_at,
        Assignment.mode,
        RoundItem.question_id,
        *RULE_COLUMNS,
    )
    .join(RoundItem, RoundItem.round_id == Round.id)
    .join(Assignment, Assignment.id == Round.assignment_id),
    Round.user_id,
).where(Round.finished_at.is_(None), Assignment.mode.in_((MODE_TEST, MODE_LIVE)))
_OPEN_TEST_QUESTIONS = _UNFINISHED_TEST_ITEMS.where(Round.user_id == bindparam("user_id"))
_CLASS_OPEN_TEST_QUESTIONS = _UNFINISHED_TEST_ITEMS.where(
    Round.user_id.in_(bindparam("user_ids", expanding=True)), Assignment.mode == MODE_TEST
)


def _withheld_by_round(rows: Any, now: datetime) -> dict[int, tuple[int, frozenset[str]]]:
    """round id -> (its learner, the questions it withholds at `now`), from rows of
    `_UNFINISHED_TEST_ITEMS`; a round that withholds nothing is left out."""
    held: dict[int, tuple[int, Attempt, list[str]]] = {}
    for round_id, user_id, started_at, mode, question_id, *rule_values in rows:
        if round_id not in held:
            life = Attempt.under(Mode(mode), started_at, None, rules_from_columns(rule_values))
            held[round_id] = (user_id, life, [])
        held[round_id][2].append(question_id)
    found = {
        round_id: (user_id, attempts.withheld_questions([(life, ids)], now))
        for round_id, (user_id, life, ids) in held.items()
    }
    return {round_id: pair for round_id, pair in found.items() if pair[1]}


def withheld_questions(user: User, now: datetime) -> frozenset[str]:
    """The questions whose verdicts `user` may not see now: every page that shows a
    learner's answers or draws new questions for them asks this first. One query."""
    rows = db.session.execute(_OPEN_TEST_QUESTIONS, {"user_id": user.id})
    return frozenset().union(*(ids for _, ids in _withheld_by_round(rows, now).values()))


def questions_in_tests_under_way(student_ids: Sequence[int], now: datetime) -> dict[str, int]:
    """question id -> how many of `student_ids` have it in a test under way at `now`: what
    a live session may not show the class (its reveal is on the projector). One query."""
    if not student_ids:
        return {}
    rows = db.session.execute(_CLASS_OPEN_TEST_QUESTIONS, {"user_ids": list(student_ids)})
    students: dict[str, set[int]] = {}
    for user_id, ids in _withheld_by_round(rows, now).values():
        for question_id in ids:
            students.setdefault(question_id, set()).add(user_id)
    return {question_id: len(who) for question_id, who in students.items()}


def open_test_round_ids(round_ids_query: Any, now: datetime) -> list[int]:
    """The ids, among the unfinished test rounds `round_ids_query` selects, of those still in
    progress at `now`: the rounds whose answers nobody may read as verdicts yet."""
    rows = db.session.scalars(
        select(Round)
        .join(Assignment, Assignment.id == Round.assignment_id)
        .where(
            Round.id.in_(round_ids_query),
            Round.finished_at.is_(None),
            Assignment.mode == MODE_TEST,
        )
        .options(joinedload(Round.assignment).selectinload(Assignment.overrides))
    )
    return [r.id for r in rows if attempt_of(r).withholds_verdicts(now)]


# --- starting ----------------------------------------------------------------------------------


_INSERT_ROUND = Round.__table__.insert().returning(Round.__table__.c.id)


def _add(questions: Sequence[Question], versions: dict[str, int], **columns: Any) -> int:
    """Insert the round, then its items, in two statements rather than an ORM object each
    (which cost more than building the round): the round's id."""
    round_id = db.session.execute(_INSERT_ROUND, columns).scalar_one()
    rows = [
        {
            "round_id": round_id,
            "position": position,
            "question_id": q.id,
            "snapshot": question_to_dict(q),
            "version_id": versions.get(q.id),
        }
        for position, q in enumerate(questions, start=1)
    ]
    if rows:
        db.session.execute(RoundItem.__table__.insert(), rows)
    return round_id


@dataclass(frozen=True)
class Started:
    round_id: int
    scope: str
    length: int  # how many questions it holds


def start_round(user: User, bank: Bank, spec: RoundSpec, seed: int, now: datetime) -> Started:
    """A new practice round for `user`, built from the bank with `seed`, its questions
    snapshotted. It never draws a question of the learner's tests in progress."""
    withheld = withheld_questions(user, now)
    spec = RoundSpec(spec.length, spec.section, spec.topic, exclude=spec.exclude | withheld)
    questions = build_round(bank, spec, random.Random(seed))
    fields = {"section": spec.section, "topic": spec.topic}
    round_id = _add(questions, {}, user_id=user.id, seed=seed, created_at=now, **fields)
    return Started(round_id, Round(**fields).scope, len(questions))


def start_review_round(
    user: User, cards: Sequence[leitner.Card], items: dict[str, RoundItem], seed: int, now: datetime
) -> int:
    """A round of the given cards' questions, as `items` shows them (the version the
    learner missed), shuffled anew: its id."""
    rng = random.Random(seed)
    chosen = [items[c.question_id] for c in cards[:REVIEW_ROUND_LENGTH] if c.question_id in items]
    return _add(
        [present(source.question, rng) for source in chosen],
        {source.question_id: source.version_id for source in chosen},
        user_id=user.id,
        seed=seed,
        created_at=now,
        is_review=True,
    )


def start_live_round(
    student: User,
    assignment: Assignment,
    questions: Sequence[Question],
    versions: dict[str, int],
    now: datetime,
) -> int:
    """The student's one attempt at a live session's assignment, holding the session's
    questions as presented to everyone (the projector names their options by letter): its
    id. A second join of the same student (two taps at once) meets the unique (assignment,
    student, attempt) constraint and gets the round the first one made."""
    try:
        with db.session.begin_nested():
            return _add(
                questions,
                versions,
                user_id=student.id,
                seed=0,
                created_at=now,
                assignment_id=assignment.id,
                attempt=1,
            )
    except IntegrityError:
        mine = (Round.assignment_id == assignment.id) & (Round.user_id == student.id)
        return db.session.scalars(select(Round.id).where(mine)).one()


def _settle_closed(rounds: Sequence[Round], now: datetime) -> None:
    for a_round in rounds:
        if attempt_of(a_round).status(now) is Status.CLOSED:
            _settle(_lock(a_round.id), now)


def settle_before_new_rules(assignment: Assignment, student_id: int, now: datetime) -> None:
    """Write down the student's attempts at `assignment` closed under their rules so far,
    before an override changes those rules: an override never reopens an attempt."""
    _settle_closed(
        db.session.scalars(
            select(Round).where(
                Round.assignment_id == assignment.id,
                Round.user_id == student_id,
                Round.finished_at.is_(None),
            )
        ).all(),
        now,
    )


def start_attempt(
    student: User, assignment: Assignment, bank: Bank, now: datetime, seed: int
) -> Round:
    """The attempt under way, or a new one if the window and the attempts allow it.

    Raises AttemptError with the reason when neither is possible. Two starts at once
    meet the unique (assignment, student, attempt) constraint: the loser resumes. An
    attempt of the student's left open at its deadline is settled first.
    """
    if assignment.mode == MODE_LIVE:
        raise AttemptError("A live session is played by joining it while it runs.")
    previous = list(
        db.session.scalars(
            select(Round)
            .where(Round.assignment_id == assignment.id, Round.user_id == student.id)
            .order_by(Round.attempt)
        )
    )
    _settle_closed(previous, now)
    under_way = next((r for r in previous if not attempt_of(r).is_over(now)), None)
    state = attempt_state(
        rules_of(assignment, student.id),
        now,
        used=len(previous),
        unfinished=under_way is not None,
    )
    if state.can_resume and under_way is not None:
        return under_way
    if not state.can_start:
        raise AttemptError(state.reason, state)
    rng = random.Random(seed)
    exclude = withheld_questions(student, now) if assignment.mode != MODE_TEST else frozenset()
    questions = assignment_questions(assignment, bank, rng, exclude)
    if assignment.mode == MODE_TEST and _played_live(student, now) & {q.id for q in questions}:
        raise AttemptError(PLAYED_LIVE)
    versions = question_store.current_versions([q.id for q in questions])
    try:
        with db.session.begin_nested():
            round_id = _add(
                questions,
                {qid: v.id for qid, v in versions.items()},
                user_id=student.id,
                seed=seed,
                created_at=now,
                section=assignment.section,
                topic=assignment.topic,
                assignment_id=assignment.id,
                attempt=len(previous) + 1,
            )
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
    return db.session.get(Round, round_id)


# A live session refuses a question in a test under way in its class (`live_store.create`);
# this is the same rule from the test's side.
PLAYED_LIVE = (
    "A question of this test is being played in a live session of your class: its answer "
    "shows in class. Start the test once the session has ended."
)


def _played_live(student: User, now: datetime) -> frozenset[str]:
    """The questions of the live sessions running in the student's classes, whose reveal
    shows their answers on the projector and the phones."""
    rows = db.session.execute(
        select(LiveSession.last_action_at, Assignment.question_ids)
        .join(Assignment, Assignment.id == LiveSession.assignment_id)
        .join(Enrollment, Enrollment.classroom_id == LiveSession.classroom_id)
        .where(
            Enrollment.student_id == student.id,
            LiveSession.running_at(now),
        )
    )
    return frozenset(
        question_id
        for last_action_at, question_ids in rows
        if last_action_at + IDLE_TIMEOUT > now
        for question_id in question_ids
    )


def assignment_questions(
    assignment: Assignment, bank: Bank, rng: random.Random, exclude: frozenset[str] = frozenset()
) -> list[Question]:
    """The questions of a new attempt, presented (choices shuffled and re-keyed).

    Chosen questions come in the teacher's order, or in an order of the attempt's own
    when the assignment shuffles them, each at its current version; a chosen question
    since retired or left without a passage is left out, and so is one in `exclude`.
    Otherwise the round is built from the shipped bank and the teacher's questions like
    any practice round: a fresh random draw for each attempt (its seed), in its own order.
    """
    teacher_id = assignment.classroom.teacher_id
    if assignment.question_ids:
        shipped = {q.id: q for q in bank.questions}
        own = {q.id: q for q in question_store.playable_questions(teacher_id)}
        chosen = [
            found
            for question_id in assignment.question_ids
            if question_id not in exclude
            and (found := own.get(question_id) or shipped.get(question_id)) is not None
        ]
        if not chosen:
            raise AttemptError("This assignment has no question left to play; tell your teacher.")
        if assignment.shuffle:
            rng.shuffle(chosen)
        return [present(q, rng) for q in chosen]
    spec = RoundSpec(
        length=assignment.length,
        section=assignment.section,
        topic=assignment.topic,
        exclude=exclude,
    )
    try:
        return build_round(question_store.bank_with_teacher(bank, teacher_id), spec, rng)
    except RoundError as error:
        raise AttemptError(str(error)) from None


# --- answering, submitting, settling -------------------------------------------------------


def _write_transaction() -> None:
    """On SQLite, take the database's write lock now if this transaction holds none yet
    (see `_lock`); PostgreSQL locks rows instead."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _lock(round_id: int) -> Round:
    """The round, read afresh under its lock, held until the transaction ends.

    PostgreSQL: `SELECT … FOR UPDATE` waits for any other transaction holding the row.
    SQLite has no row locks: the transaction takes the database's write lock at once
    (`BEGIN IMMEDIATE`) before it reads, so no other write can come between its read
    and its write. (Python's sqlite3 opens a transaction only before a write, so a
    request that has only read holds none yet.)
    """
    _write_transaction()
    return db.session.scalars(_LOCKED_ROUND, {"round_id": round_id}).one()


# Statements of the answer's path built once: building one costs about as much as running it.
_LOCKED_ROUND = (
    select(Round)
    .where(Round.id == bindparam("round_id"))
    .with_for_update(of=Round)
    .execution_options(populate_existing=True)
)
_SAVED_ANSWER = select(Answer).where(Answer.round_item_id == bindparam("item_id"))
# (questions, answers, the first question unanswered but item_id, item_id's position)
_ANSWERS_AROUND_ITEM = (
    select(
        func.count(RoundItem.id),
        func.count(Answer.id),
        func.min(
            case(
                (
                    and_(Answer.id.is_(None), RoundItem.id != bindparam("item_id")),
                    RoundItem.position,
                )
            )
        ),
        func.max(case((RoundItem.id == bindparam("item_id"), RoundItem.position))),
    )
    .select_from(RoundItem)
    .outerjoin(Answer, Answer.round_item_id == RoundItem.id)
    .where(RoundItem.round_id == bindparam("round_id"))
)


def _answers_of(round_id: int) -> tuple[int, int, float]:
    """(questions, answers, sum of answer scores) of the round, read from the database."""
    length, answered, total = db.session.execute(
        select(
            func.count(RoundItem.id),
            func.count(Answer.id),
            func.coalesce(func.sum(Answer.score), 0.0),
        )
        .select_from(RoundItem)
        .outerjoin(Answer, Answer.round_item_id == RoundItem.id)
        .where(RoundItem.round_id == round_id)
    ).one()
    return length, answered, total


def _finish(a_round: Round, at: datetime) -> None:
    """Write the round as finished at `at`, its score summed from the stored answers.

    Called with the round locked and this request's own answer flushed, so the sum holds
    every answer committed before and none can be committed after.
    """
    db.session.flush()
    _, _, total = _answers_of(a_round.id)
    a_round.finished_at = at
    a_round.score = attempts.score([total])


def _settle(a_round: Round, now: datetime) -> bool:
    at = attempts.settle(attempt_of(a_round), now)
    if at is None:
        return False
    _finish(a_round, at)
    return True


@dataclass(frozen=True)
class AnswerOutcome:
    decision: Decision
    next_position: int | None  # the first question still unanswered, None if none is


def answer(
    round_id: int, item_id: int, response: Any, grade: Grade, now: datetime
) -> AnswerOutcome:
    """Store the answer to round item `item_id` if the rules allow it now, under the round's
    lock: a new one, or in a mode where the last answer counts, in place of the one saved.
    The answer that leaves nothing unanswered submits a round whose mode says so. A round
    found left open at its deadline is settled instead, and the answer refused."""
    a_round = _lock(round_id)
    saved = db.session.scalar(_SAVED_ANSWER, {"item_id": item_id})
    was_answered = saved is not None
    length, answered, next_other, position = db.session.execute(
        _ANSWERS_AROUND_ITEM, {"round_id": round_id, "item_id": item_id}
    ).one()
    decision = attempts.answer(
        attempt_of(a_round),
        now,
        already_answered=was_answered,
        unanswered_after=length - answered - (0 if was_answered else 1),
    )
    if decision.allowed:
        if saved is None:
            saved = Answer(round_item_id=item_id)
            db.session.add(saved)
        saved.response = response
        saved.score = grade.score
        saved.correct = grade.correct
        saved.answered_at = now
    if decision.finish_at is not None:
        _finish(a_round, decision.finish_at)
    else:
        db.session.flush()
    # The first question still unanswered, read with the counts above: this item's answer
    # is the only one that changed under the lock.
    left = [next_other] if decision.allowed or was_answered else [next_other, position]
    next_position = min((p for p in left if p is not None), default=None)
    return AnswerOutcome(decision, next_position)


def flag(round_id: int, item_id: int, flagged: bool, now: datetime) -> Decision:
    """Set or remove the flag of round item `item_id` if the rules allow it now, under the
    round's lock (a round found left open at its deadline is settled instead)."""
    a_round = _lock(round_id)
    decision = attempts.flag(attempt_of(a_round), now)
    if decision.allowed:
        item = db.session.get(RoundItem, item_id)
        if item is not None and item.round_id == round_id:
            item.flagged = flagged
    elif decision.finish_at is not None:
        _finish(a_round, decision.finish_at)
    return decision


def submit(round_id: int, now: datetime) -> Decision:
    """Submit the round now under its lock (at its deadline if it was left open there)."""
    a_round = _lock(round_id)
    decision = attempts.submit(attempt_of(a_round), now)
    if decision.finish_at is not None:
        _finish(a_round, decision.finish_at)
    return decision


def rounds_to_settle(now: datetime) -> list[int]:
    """The ids of the rounds that may be left open past their deadline at `now` (the rules
    decide each under its lock): those of assignments closed by then, or timed."""
    return list(
        db.session.scalars(
            select(Round.id)
            .join(Assignment, Assignment.id == Round.assignment_id)
            .where(
                Round.finished_at.is_(None),
                or_(Assignment.closes_at <= now, Assignment.time_limit_minutes.is_not(None)),
            )
            .order_by(Round.id)
        )
    )


def settle(round_id: int, now: datetime) -> bool:
    """Write the round as submitted at its deadline if it was left open past it, under its
    lock: whether it was."""
    return _settle(_lock(round_id), now)


def misscored_rounds() -> list[int]:
    """The ids of the finished rounds whose stored score is not the sum of their answers
    (what a lost update once left behind): one aggregate query, no lock."""
    rows = db.session.execute(
        select(Round.id, Round.score, func.coalesce(func.sum(Answer.score), 0.0))
        .join(RoundItem, RoundItem.round_id == Round.id)
        .outerjoin(Answer, Answer.round_item_id == RoundItem.id)
        .where(Round.finished_at.is_not(None))
        .group_by(Round.id, Round.score)
        .order_by(Round.id)
    ).all()
    return [round_id for round_id, stored, total in rows if stored != attempts.score([total])]


def rescore(round_id: int) -> bool:
    """Give a finished round the sum of its answers as its score, under its lock: whether
    the score changed."""
    a_round = _lock(round_id)
    total = attempts.score([_answers_of(round_id)[2]])
    if a_round.finished_at is None or a_round.score == total:
        return False
    a_round.score = total
    return True


# --- changing a mark after the attempt is over (manual marks, regrades) --------------------


class MarkError(ValueError):
    """A mark that cannot be changed now (the attempt is not over, the item has no answer)."""


def change_mark(
    round_id: int,
    item_id: int,
    *,
    kind: str,
    teacher_id: int,
    now: datetime,
    manual_score: float | None = None,
    graded_score: float | None = None,
    comment: str = "",
    keep_manual: bool = True,
) -> MarkChange | None:
    """Change the mark of the answer to round item `item_id`, under the round's lock, and
    rescore the round from its answers: the one writer of a mark after an attempt is over.

    `kind` MARK_MANUAL: the teacher's `manual_score` (0..1) and `comment` stand in place of
    the automatic grade, which is kept in `graded_score`. MARK_REGRADE: `graded_score` is
    the new automatic grade; it becomes the answer's score unless a manual mark stands and
    `keep_manual` (then only the kept automatic grade changes). A round left open at its
    deadline is settled first; one still in progress is refused (MarkError). Returns the
    history row written, or None when the mark that counts did not change (a regrade under
    a kept manual mark still updates `graded_score`; a teacher's mark and comment saved
    again as they stand change nothing).
    """
    a_round = _lock(round_id)
    _settle(a_round, now)
    if a_round.finished_at is None:
        raise MarkError("This attempt is still in progress: it can be marked once submitted.")
    saved = db.session.scalar(
        select(Answer)
        .join(RoundItem, RoundItem.id == Answer.round_item_id)
        .where(Answer.round_item_id == item_id, RoundItem.round_id == round_id)
        # Read afresh under the lock: a view that loaded the attempt before (to check who
        # may mark it) holds this answer as it was then, and its old mark may be stale.
        .execution_options(populate_existing=True)
    )
    if saved is None:
        raise MarkError("This question was not answered: there is no answer to mark.")
    old = saved.score
    if kind == MARK_MANUAL:
        if manual_score is None or not 0.0 <= manual_score <= 1.0:
            raise MarkError("A mark is between 0 and 1.")
        if (saved.marked_by, saved.mark_comment, old) == (
            teacher_id,
            comment,
            round(manual_score, 4),
        ):
            return None  # the same teacher's same mark and comment, saved again
        if saved.marked_by is None:
            saved.graded_score = saved.score
        saved.marked_by = teacher_id
        saved.mark_comment = comment
        new = round(manual_score, 4)
    else:
        if graded_score is None or not 0.0 <= graded_score <= 1.0:
            raise MarkError("A mark is between 0 and 1.")
        after = regrading.mark_after_regrade(
            regrading.AnswerMark(old, saved.graded_score, saved.marked_by is not None),
            graded_score,
            keep_manual=keep_manual,
        )
        if not after.manual:
            saved.marked_by = None
            saved.mark_comment = None
        elif after.graded != saved.graded_score and not comment:
            # The mark that counts stays; the history still says what the regrade changed.
            comment = (
                f"Automatic grade {_mark(saved.graded_score)} → {_mark(after.graded)} by the "
                "regrade; the manual mark stands."
            )
        saved.graded_score = after.graded
        new = after.score
    saved.score = new
    saved.correct = new == 1.0
    change = None
    if new != old or kind == MARK_MANUAL or comment:
        change = MarkChange(
            answer_id=saved.id,
            kind=kind,
            old_score=old,
            new_score=new,
            comment=comment,
            changed_by=teacher_id,
            changed_at=now,
        )
        db.session.add(change)
    db.session.flush()
    a_round.score = attempts.score([_answers_of(round_id)[2]])
    return change


@dataclass(frozen=True)
class MarkHistoryRow:
    position: int  # the question's number in the attempt
    change: MarkChange  # its `teacher` loaded


def mark_history(round_id: int) -> list[MarkHistoryRow]:
    """Every change of a mark in the round, oldest first, with who made it: one query."""
    rows = db.session.execute(
        select(RoundItem.position, MarkChange)
        .join(Answer, Answer.id == MarkChange.answer_id)
        .join(RoundItem, RoundItem.id == Answer.round_item_id)
        .where(RoundItem.round_id == round_id)
        .options(joinedload(MarkChange.teacher))
        # Written under the round's lock, so ids are in the order the marks changed in (a
        # request's clock is read before it waits for the lock).
        .order_by(MarkChange.id)
    ).all()
    return [MarkHistoryRow(position, change) for position, change in rows]


# --- regrading a teacher's question after an edit --------------------------------------------

# What a regrade does, or would do, to one answer (`RegradeRow.status`, `regrade_item`).
REGRADE_CHANGED = "changed"  # the mark that counts changes
REGRADE_UNCHANGED = "unchanged"  # graded again, the same mark
REGRADE_KEPT = "kept"  # a manual mark stands; only the automatic grade kept beside it changes
REGRADE_CANNOT = "cannot"  # the response means nothing under the new version (`reason`)
REGRADE_WAITING = "waiting"  # the attempt is in progress: it keeps its version until submitted
REGRADE_DONE = "done"  # graded by this version already (a second apply, a race)


@dataclass(frozen=True)
class RegradeRow:
    """One answer a regrade by the question's current version would touch (the dry run).
    `new_score` None: nothing changes (waiting, cannot)."""

    round_id: int
    student: str
    attempt: str
    version: int
    old_score: float | None
    new_score: float | None
    status: str
    manual: bool = False
    reason: str = ""
    graded: float | None = None  # the new automatic grade (beside a manual mark kept)


def _earlier_items(question: TeacherQuestion) -> Any:
    """The items of attempts at the owner's assignments that showed an earlier version."""
    earlier = [v.id for v in question.versions if v.id != question.current.id]
    return (
        select(RoundItem)
        .join(Round, Round.id == RoundItem.round_id)
        .join(Assignment, Assignment.id == Round.assignment_id)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .where(RoundItem.version_id.in_(earlier), Classroom.teacher_id == question.owner_id)
    )


def attempts_on_earlier_versions(question: TeacherQuestion, now: datetime) -> int:
    """How many attempts hold an answer to an earlier version of the question, or may
    still give one (in progress at `now`): what "Regrade attempts" offers. An attempt over
    (submitted, or closed at its deadline and not yet written so) with the question left
    blank has nothing to regrade and is not counted, as the dry run does not list it."""
    items = _earlier_items(question).outerjoin(Answer, Answer.round_item_id == RoundItem.id)
    answered = set(
        db.session.scalars(
            items.where(Answer.id.is_not(None)).with_only_columns(RoundItem.round_id)
        )
    )
    unfinished = db.session.scalars(
        items.where(Answer.id.is_(None), Round.finished_at.is_(None))
        .with_only_columns(Round)
        .options(joinedload(Round.assignment).selectinload(Assignment.overrides))
    ).unique()
    waiting = {r.id for r in unfinished if not attempt_of(r).is_over(now)}
    return len(answered | waiting)


def regrade_plan(
    question: TeacherQuestion, now: datetime, *, keep_manual: bool
) -> list[RegradeRow]:
    """The dry run of a regrade by the question's current version, as it reads at `now`:
    what `regrade_question` would do to each answer. Writes nothing."""
    new = question.current.as_question
    numbers = {v.id: v.number for v in question.versions}
    items = db.session.scalars(
        _earlier_items(question)
        .options(
            joinedload(RoundItem.answer),
            joinedload(RoundItem.round).joinedload(Round.user),
            joinedload(RoundItem.round)
            .joinedload(Round.assignment)
            .selectinload(Assignment.overrides),
        )
        .order_by(Round.id, RoundItem.position)
    ).unique()
    rows = []
    for item in items:
        a_round, saved = item.round, item.answer
        shown = dict(
            round_id=a_round.id,
            student=a_round.user.username,
            attempt=f"{a_round.assignment.title}, attempt {a_round.attempt}",
            version=numbers[item.version_id],
        )
        if not attempt_of(a_round).is_over(now):
            rows.append(RegradeRow(**shown, old_score=None, new_score=None, status=REGRADE_WAITING))
            continue
        if saved is None:
            continue
        result = regrading.regrade(question_from_dict(item.snapshot), saved.response, new)
        manual = saved.is_marked_by_hand
        if isinstance(result, regrading.CannotRegrade):
            status, new_score, reason = REGRADE_CANNOT, None, result.reason
        else:
            status, new_score = _regrade_outcome(saved, result.grade.score, keep_manual)
            reason = ""
        rows.append(
            RegradeRow(
                **shown,
                old_score=saved.score,
                new_score=new_score,
                status=status,
                manual=manual,
                reason=reason,
                graded=None if isinstance(result, regrading.CannotRegrade) else result.grade.score,
            )
        )
    return rows


def _mark(score: float | None) -> str:
    return "none" if score is None else f"{score:g}"


def _regrade_outcome(saved: Answer, graded: float, keep_manual: bool) -> tuple[str, float]:
    """(status, mark that counts after) of a regrade giving `graded` to a saved answer, by
    the rule `change_mark` applies (`regrading.mark_after_regrade`)."""
    before = regrading.AnswerMark(saved.score, saved.graded_score, saved.is_marked_by_hand)
    after = regrading.mark_after_regrade(before, graded, keep_manual=keep_manual)
    if after.manual:
        return REGRADE_KEPT, after.score
    return (REGRADE_CHANGED if after.score != saved.score else REGRADE_UNCHANGED), after.score


def regrade_question(
    question: TeacherQuestion, *, teacher_id: int, now: datetime, keep_manual: bool
) -> Regrade | None:
    """Regrade every answer to an earlier version of the question by its current version,
    each under its round's lock, and keep the history: the `Regrade` written, or None when
    there was nothing to regrade (then nothing is written: a second apply changes nothing).
    Attempts in progress keep their version; answers that cannot regrade keep theirs."""
    _write_transaction()
    version = question.current
    record = Regrade(
        question_id=question.id,
        version_id=version.id,
        teacher_id=teacher_id,
        created_at=now,
        replaced_manual=not keep_manual,
        changed=0,
        unchanged=0,
        kept_manual=0,
        cannot=0,
    )
    db.session.add(record)
    db.session.flush()
    targets = db.session.execute(
        _earlier_items(question)
        .with_only_columns(RoundItem.round_id, RoundItem.id)
        .order_by(RoundItem.round_id, RoundItem.id)
    ).all()
    for round_id, item_id in targets:  # rounds locked in id order: two regrades never deadlock
        regrade_item(round_id, item_id, record, version, now=now, keep_manual=keep_manual)
    if record.changed + record.unchanged + record.kept_manual == 0:
        db.session.delete(record)
        db.session.flush()
        return None
    return record


def regrade_item(
    round_id: int,
    item_id: int,
    record: Regrade,
    version: QuestionVersion,
    *,
    now: datetime,
    keep_manual: bool,
) -> str:
    """Regrade the answer to round item `item_id` by `version` under the round's lock, as
    part of `record` (whose counts it adds to): what it did (a REGRADE_* status).

    The item then keeps the question as the student saw it with the new key, and names
    `version`, so no regrade by that version offers it again. A round left open at its
    deadline is settled first; one in progress is left as it is.
    """
    a_round = _lock(round_id)
    _settle(a_round, now)
    if a_round.finished_at is None:
        return REGRADE_WAITING
    item = db.session.scalars(
        select(RoundItem)
        .where(RoundItem.id == item_id, RoundItem.round_id == round_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if item is None or item.version_id == version.id:
        return REGRADE_DONE
    saved = db.session.scalars(
        select(Answer)
        .where(Answer.round_item_id == item_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if saved is None:
        return REGRADE_DONE
    result = regrading.regrade(
        question_from_dict(item.snapshot), saved.response, version.as_question
    )
    if isinstance(result, regrading.CannotRegrade):
        record.cannot += 1
        return REGRADE_CANNOT
    status, _ = _regrade_outcome(saved, result.grade.score, keep_manual)
    item.snapshot = question_to_dict(result.shown)
    item.version_id = version.id
    change = change_mark(
        round_id,
        item_id,
        kind=MARK_REGRADE,
        teacher_id=record.teacher_id,
        now=now,
        graded_score=result.grade.score,
        keep_manual=keep_manual,
    )
    if change is not None:
        change.regrade_id = record.id
    if status == REGRADE_KEPT:
        record.kept_manual += 1
    elif status == REGRADE_CHANGED:
        record.changed += 1
    else:
        record.unchanged += 1
    return status


def regrades_of(question: TeacherQuestion) -> list[Regrade]:
    """The question's regrades, newest first, each with its mark changes and whose they were."""
    return list(
        db.session.scalars(
            select(Regrade)
            .where(Regrade.question_id == question.id)
            .options(
                selectinload(Regrade.teacher),
                selectinload(Regrade.version),
                selectinload(Regrade.changes)
                .joinedload(MarkChange.answer)
                .joinedload(Answer.item)
                .joinedload(RoundItem.round)
                .options(joinedload(Round.user), joinedload(Round.assignment)),
            )
            .order_by(Regrade.created_at.desc(), Regrade.id.desc())
        )
    )
