"""attempt_store.change_mark, the one writer of a mark once an attempt is over: a manual
mark and a regrade change the answer and the round's score together, keep the automatic
grade beside a manual mark, and write the history; an attempt in progress is refused."""

import pytest

from quizapp.attempt_store import MarkError, change_mark
from quizapp.clock import utcnow
from quizapp.extensions import db
from quizapp.models import MARK_MANUAL, MARK_REGRADE, MODE_TEST, Answer, Round
from tests.factories import (
    create_assignment,
    create_classroom,
    create_teacher,
    enroll,
    stored_attempt,
    user_named,
)


@pytest.fixture
def attempt(app, user):
    """ada's submitted test attempt scored [1, 0, 0.5], and tess: (round id, item ids, tess id)."""
    with app.app_context():
        tess = create_teacher()
        classroom = create_classroom(tess)
        ada = user_named("ada")
        enroll(classroom, ada)
        assignment = create_assignment(classroom, mode=MODE_TEST, section="1", length=3)
        a_round = stored_attempt(assignment, ada, [1.0, 0.0, 0.5], finished_at=utcnow())
        return a_round.id, [item.id for item in a_round.items], tess.id


def answer_of(item_id):
    return db.session.scalar(db.select(Answer).where(Answer.round_item_id == item_id))


def test_a_manual_mark_rescores_the_round_keeps_the_grade_and_writes_history(app, attempt):
    round_id, items, tess = attempt
    with app.app_context():
        change = change_mark(
            round_id,
            items[1],
            kind=MARK_MANUAL,
            teacher_id=tess,
            now=utcnow(),
            manual_score=0.75,
            comment="Half right: Genscher, not Baker.",
        )
        db.session.commit()
        saved = answer_of(items[1])
        assert (saved.score, saved.graded_score, saved.marked_by) == (0.75, 0.0, tess)
        assert saved.mark_comment == "Half right: Genscher, not Baker."
        assert db.session.get(Round, round_id).score == 2.25
        assert (change.old_score, change.new_score, change.kind) == (0.0, 0.75, MARK_MANUAL)


def test_a_regrade_keeps_a_manual_mark_unless_told_otherwise(app, attempt):
    round_id, items, tess = attempt
    with app.app_context():
        change_mark(
            round_id, items[0], kind=MARK_MANUAL, teacher_id=tess, now=utcnow(), manual_score=0.5
        )
        kept = change_mark(
            round_id, items[0], kind=MARK_REGRADE, teacher_id=tess, now=utcnow(), graded_score=0.0
        )
        db.session.commit()
        # The mark that counts stays; the history says what the regrade did beside it.
        assert (kept.old_score, kept.new_score, kept.kind) == (0.5, 0.5, MARK_REGRADE)
        assert kept.comment == "Automatic grade 1 → 0 by the regrade; the manual mark stands."
        assert (answer_of(items[0]).score, answer_of(items[0]).graded_score) == (0.5, 0.0)
        replaced = change_mark(
            round_id,
            items[0],
            kind=MARK_REGRADE,
            teacher_id=tess,
            now=utcnow(),
            graded_score=0.0,
            keep_manual=False,
        )
        db.session.commit()
        assert (replaced.old_score, replaced.new_score) == (0.5, 0.0)
        assert answer_of(items[0]).marked_by is None
        assert db.session.get(Round, round_id).score == 0.5


def test_an_attempt_in_progress_and_a_mark_out_of_range_are_refused(app, attempt):
    round_id, items, tess = attempt
    with app.app_context():
        a_round = db.session.get(Round, round_id)
        a_round.finished_at = None
        db.session.commit()
        with pytest.raises(MarkError, match="still in progress"):
            change_mark(
                round_id,
                items[0],
                kind=MARK_MANUAL,
                teacher_id=tess,
                now=utcnow(),
                manual_score=1.0,
            )
        db.session.rollback()
        assert answer_of(items[0]).score == 1.0
        with pytest.raises(MarkError, match="between 0 and 1"):
            a_round = db.session.get(Round, round_id)
            a_round.finished_at = utcnow()
            db.session.commit()
            change_mark(
                round_id,
                items[0],
                kind=MARK_MANUAL,
                teacher_id=tess,
                now=utcnow(),
                manual_score=1.5,
            )
