"""Reading and writing rounds: the one place that turns domain values into rows and back.

Functions here add to the session but never commit: the view that calls them does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from quizapp.domain.grading import Grade, round_score
from quizapp.domain.questions import Bank, question_to_dict
from quizapp.domain.rounds import RoundSpec, build_round
from quizapp.extensions import db
from quizapp.models import Answer, Round, RoundItem, User, utcnow

MAX_ID = 2**63 - 1  # the largest id a database integer column holds


def start_round(user: User, bank: Bank, spec: RoundSpec, seed: int) -> Round:
    """A new round for `user`, built from the bank with `seed`, its questions snapshotted."""
    questions = build_round(bank, spec, random.Random(seed))
    new_round = Round(user=user, seed=seed, section=spec.section, topic=spec.topic)
    new_round.items = [
        RoundItem(position=position, question_id=q.id, snapshot=question_to_dict(q))
        for position, q in enumerate(questions, start=1)
    ]
    db.session.add(new_round)
    return new_round


def own_round_or_404(round_id: int, user: User) -> Round:
    """The round with its items and answers, if it is `user`'s; 404 otherwise.

    Another learner's round gets the same 404 as a missing one, so ids reveal nothing.
    """
    if round_id > MAX_ID:
        abort(404, description="There is no such round among yours.")
    # One query for the round, its items and their answers: every page of a round needs
    # them all (progress, the next question), and one joined query costs half of three.
    found = (
        db.session.scalars(
            select(Round)
            .where(Round.id == round_id)
            .options(joinedload(Round.items).joinedload(RoundItem.answer))
        )
        .unique()
        .one_or_none()
    )
    if found is None or found.user_id != user.id:
        abort(404, description="There is no such round among yours.")
    return found


def item_or_404(a_round: Round, position: int) -> RoundItem:
    for item in a_round.items:
        if item.position == position:
            return item
    abort(404, description=f"This round has no question {position}.")


def record_answer(item: RoundItem, response: Any, grade: Grade) -> bool:
    """Store the answer to `item`; False (and nothing changed) if it already had one.

    The unique constraint on answers.round_item_id settles a race between two submits.
    The last answer of a round closes it with its score in the same savepoint, so a
    round is never left with every answer but no score.
    """
    if item.answer is not None:
        return False
    a_round = item.round
    others = [i.answer for i in a_round.items if i is not item]
    answer = Answer(
        round_item_id=item.id, response=response, score=grade.score, correct=grade.correct
    )
    try:
        with db.session.begin_nested():
            db.session.add(answer)
            if all(other is not None for other in others):
                a_round.finished_at = utcnow()
                a_round.score = round_score([grade.score, *(o.score for o in others if o)])
    except IntegrityError:
        db.session.refresh(a_round)
        return False
    item.answer = answer
    return True


@dataclass(frozen=True)
class RoundSummary:
    """A line of a round list: enough to show and link a round, without its questions."""

    id: int
    scope: str
    created_at: datetime
    finished_at: datetime | None
    score: float
    length: int
    answered_count: int
    assignment_id: int | None = None


def rounds_of(user: User, *, unfinished_only: bool = False) -> list[RoundSummary]:
    """The user's rounds, newest first, each with its counts of questions and answers.

    One query whatever the number of rounds; the question snapshots are not loaded.
    """
    query = (
        select(Round, func.count(RoundItem.id), func.count(Answer.id))
        .outerjoin(RoundItem, RoundItem.round_id == Round.id)
        .outerjoin(Answer, Answer.round_item_id == RoundItem.id)
        .where(Round.user_id == user.id)
        .options(selectinload(Round.assignment))
        .group_by(Round.id)
        .order_by(Round.created_at.desc(), Round.id.desc())
    )
    if unfinished_only:
        query = query.where(Round.finished_at.is_(None))
    return [
        RoundSummary(
            r.id, r.scope, r.created_at, r.finished_at, r.score, length, answered, r.assignment_id
        )
        for r, length, answered in db.session.execute(query)
    ]
