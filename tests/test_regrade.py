"""Regrading a teacher's question after an edit: the dry run on "Regrade attempts", applying
it, the history, and what follows the new marks (round scores, gradebook, CSV, review,
mastery); manual marks kept unless replaced; answers that cannot regrade and attempts in
progress left as they are; another teacher gets 404; a second apply changes nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp import attempt_store, current_bank, question_store, report_store
from quizapp.domain.grading import grade
from quizapp.domain.questions import Choice
from quizapp.extensions import db
from quizapp.models import (
    MARK_MANUAL,
    MARK_REGRADE,
    MODE_TEST,
    Answer,
    Assignment,
    Classroom,
    MarkChange,
    Regrade,
    Round,
    RoundItem,
    TeacherQuestion,
    utcnow,
)
from tests.factories import (
    at_once,
    create_assignment,
    create_user,
    logged_in,
    make_question,
    own_class,
    user_named,
)
from tests.pages import table

# Version 1 holds Baker (the key), Kohl, Bush and Genscher; version 2 drops Genscher and
# makes Kohl the key: the editor reletters the options a, b, c.
VERSION_2 = replace(
    make_question("single"),
    choices=(
        Choice("a", "James Baker"),
        Choice("b", "Helmut Kohl"),
        Choice("c", "George H.W. Bush"),
    ),
    answer="b",
    explanation="Kohl, as the minutes show.",
)


def start(app, assignment_id: int, username: str) -> tuple[int, int]:
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        attempt = attempt_store.start_attempt(
            user_named(username), assignment, current_bank(), utcnow(), seed=7
        )
        db.session.commit()
        return attempt.id, attempt.items[0].id


def answer(app, round_id: int, item_id: int, pick: str, *, submit: bool = True) -> None:
    with app.app_context():
        item = db.session.get(RoundItem, item_id)
        q = item.question
        response = next(c.id for c in q.choices if c.text == pick)
        attempt_store.answer(round_id, item_id, response, grade(q, response), utcnow())
        db.session.commit()
        if submit:
            attempt_store.submit(round_id, utcnow())
            db.session.commit()


@pytest.fixture
def world(app, teacher):
    """Tess's question t-N in a test her class took: ada picked Kohl (0), bob Baker (1, then
    a manual 0.5), cy Genscher (0), dee picked Kohl and has not submitted; then Tess edited
    the question into VERSION_2."""
    class_id = own_class(app, "ada", "bob", "cy", "dee")
    with app.app_context():
        tess = user_named("tess")
        row = question_store.create_question(tess, make_question("single"))
        db.session.commit()
        classroom = db.session.get(Classroom, class_id)
        assignment = create_assignment(
            classroom, title="Treaty test", mode=MODE_TEST, question_ids=[row.public_id]
        )
        ids = {"question": row.id, "class": class_id, "assignment": assignment.id}
    picks = {"ada": "Helmut Kohl", "bob": "James Baker", "cy": "Hans-Dietrich Genscher"}
    for username, pick in picks.items():
        ids[username] = start(app, ids["assignment"], username)
        answer(app, *ids[username], pick)
    ids["dee"] = start(app, ids["assignment"], "dee")
    answer(app, *ids["dee"], "Helmut Kohl", submit=False)
    with app.app_context():
        attempt_store.change_mark(
            *ids["bob"],
            kind=MARK_MANUAL,
            teacher_id=user_named("tess").id,
            now=utcnow(),
            manual_score=0.5,
            comment="Half: Baker spoke, Kohl decided.",
        )
        question_store.update_question(db.session.get(TeacherQuestion, ids["question"]), VERSION_2)
        db.session.commit()
    return ids


def regrade_page(client, world, **args):
    return client.get(f"/teach/questions/{world['question']}/regrade", query_string=args)


def apply(client, world, *, replace_manual: bool = False, version: str = "2"):
    """Press "Apply regrade" (tests run without CSRF tokens: tests/test_csrf.py checks them)."""
    return client.post(
        f"/teach/questions/{world['question']}/regrade",
        data={"version": version, "replace_manual": "1" if replace_manual else ""},
    )


def dry_run(page: str) -> dict[str, list[str]]:
    rows = table(page, caption="What applying the regrade would do").rows[1:]
    return {row[0].text: [cell.text for cell in row[1:]] for row in rows}


def state(app, world) -> dict:
    """Every answer's (score, version number), every round's score, and the history rows."""
    with app.app_context():
        found = {}
        for username in ("ada", "bob", "cy", "dee"):
            round_id, item_id = world[username]
            item = db.session.get(RoundItem, item_id)
            saved = item.answer
            found[username] = (
                saved.score if saved else None,
                item.version_id,
                db.session.get(Round, round_id).score,
            )
        found["changes"] = db.session.scalar(select(func.count(MarkChange.id)))
        found["regrades"] = db.session.scalar(select(func.count(Regrade.id)))
        return found


def version_ids(app, world) -> tuple[int, int]:
    with app.app_context():
        row = db.session.get(TeacherQuestion, world["question"])
        return row.versions[0].id, row.versions[1].id


def test_the_question_page_offers_regrade_attempts_with_how_many(teacher, world):
    page = teacher.get(f"/teach/questions/{world['question']}").get_data(as_text=True)
    assert "4 attempts used an earlier version of this question." in page
    assert f'href="/teach/questions/{world["question"]}/regrade">Regrade attempts</a>' in page


def test_the_dry_run_lists_each_attempt_and_changes_nothing(app, teacher, world):
    before = state(app, world)
    response = regrade_page(teacher, world)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Regrade attempts</h1>" in page
    assert dry_run(page) == {
        "ada": ["Treaty test, attempt 1", "1", "0", "1", "Mark changes"],
        "bob": [
            "Treaty test, attempt 1",
            "1",
            "0.5",
            "0.5",
            "Manual mark kept; the new automatic grade, 0, is kept beside it",
        ],
        "cy": [
            "Treaty test, attempt 1",
            "1",
            "0",
            "cannot regrade",
            "Cannot regrade: The option chosen, “Hans-Dietrich Genscher”, was removed or "
            "rewritten.",
        ],
        "dee": [
            "Treaty test, attempt 1",
            "1",
            "—",
            "waiting until submitted",
            "In progress: keeps its version; regrade it once submitted.",
        ],
    }
    assert "Apply regrade" in page
    assert state(app, world) == before


def test_the_dry_run_replacing_manual_marks_shows_the_grade(teacher, world):
    page = regrade_page(teacher, world, replace_manual="1").get_data(as_text=True)
    assert dry_run(page)["bob"][2:] == ["0.5", "0", "Manual mark replaced"]
    assert 'name="replace_manual" type="hidden" value="1"' in page


def test_apply_changes_marks_round_scores_and_keeps_what_the_student_saw(app, teacher, world):
    v1, v2 = version_ids(app, world)
    response = apply(teacher, world)
    assert response.status_code == 302
    page = teacher.get(response.location).get_data(as_text=True)
    assert "1 mark changed, 0 unchanged, 1 manual mark kept, 1 cannot regrade" in page
    after = state(app, world)
    assert after["ada"] == (1.0, v2, 1.0)
    assert after["bob"] == (0.5, v2, 0.5)  # the manual mark stands
    assert after["cy"] == (0.0, v1, 0.0)  # cannot regrade: untouched
    assert after["dee"][1] == v1  # in progress: keeps its version
    with app.app_context():
        item = db.session.get(RoundItem, world["ada"][1])
        shown = item.question
        assert {c.text for c in shown.choices} == {
            "James Baker",
            "Helmut Kohl",
            "George H.W. Bush",
            "Hans-Dietrich Genscher",
        }
        assert shown.choice_text(shown.answer) == "Helmut Kohl"
        assert shown.explanation == "Kohl, as the minutes show."
        bob = db.session.scalar(select(Answer).where(Answer.round_item_id == world["bob"][1]))
        assert (bob.score, bob.graded_score) == (0.5, 0.0)
        change = db.session.scalar(select(MarkChange).where(MarkChange.kind == MARK_REGRADE))
        assert (change.old_score, change.new_score, change.answer.item.id) == (
            0.0,
            1.0,
            world["ada"][1],
        )
        assert change.regrade.version_id == v2


def test_the_history_lists_each_regrade_and_its_changes(teacher, world):
    apply(teacher, world)
    page = teacher.get(f"/teach/questions/{world['question']}").get_data(as_text=True)
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Regrade history" not in title and "ada" not in title  # the history is the page's
    history = page.split("Regrade history", 1)[1]
    assert "by tess: graded by version 2." in " ".join(history.split())
    assert "1 changed, 0 unchanged, 1 manual mark kept, 1 cannot regrade." in " ".join(
        history.split()
    )
    assert "ada, Treaty test, attempt 1: 0 → 1" in history


def test_the_gradebook_csv_review_and_mastery_follow_the_new_marks(app, teacher, world):
    def ada_in_csv():
        body = teacher.get(f"/teach/classes/{world['class']}/gradebook.csv").get_data(as_text=True)
        return next(r for r in csv.reader(io.StringIO(body)) if r[0] == "ada")

    assert ada_in_csv()[1] == "0"
    ada = logged_in(app, "ada")
    recap = f"/review/rounds/{world['ada'][0]}"
    assert 'Your score: <strong class="score">0 out of 1</strong>' in ada.get(recap).get_data(
        as_text=True
    )
    with app.app_context():
        before_cards = report_store.review_cards(user_named("ada"), utcnow())
    apply(teacher, world)
    assert ada_in_csv()[1] == "100"
    with app.app_context():
        records, _ = report_store.learner_records(user_named("ada"), utcnow())
        assert [r.score for r in records] == [1.0]
        after_cards = report_store.review_cards(user_named("ada"), utcnow())
    assert after_cards != before_cards
    page = ada.get(recap).get_data(as_text=True)
    assert 'Your score: <strong class="score">1 out of 1</strong>' in page
    assert '<p class="verdict-small">Right</p>' in page
    assert "Kohl, as the minutes show." in page


def test_replace_manual_marks_replaces_them(app, teacher, world):
    apply(teacher, world, replace_manual=True)
    assert state(app, world)["bob"][0] == 0.0
    with app.app_context():
        bob = db.session.scalar(select(Answer).where(Answer.round_item_id == world["bob"][1]))
        assert (bob.marked_by, bob.graded_score) == (None, None)
        assert db.session.scalar(select(Regrade)).replaced_manual


def test_an_attempt_in_progress_is_regradable_once_submitted(app, teacher, world):
    apply(teacher, world)
    assert state(app, world)["dee"][0] == 0.0
    with app.app_context():
        attempt_store.submit(world["dee"][0], utcnow())
        db.session.commit()
    assert dry_run(regrade_page(teacher, world).get_data(as_text=True))["dee"][2:] == [
        "0",
        "1",
        "Mark changes",
    ]
    apply(teacher, world)
    assert state(app, world)["dee"][0] == 1.0


def test_a_second_apply_changes_nothing(app, teacher, world):
    apply(teacher, world)
    before = state(app, world)
    response = apply(teacher, world)
    assert response.status_code == 302
    assert "Nothing to regrade" in teacher.get(response.location).get_data(as_text=True)
    assert state(app, world) == before


def test_an_apply_by_a_version_since_replaced_is_refused(app, teacher, world):
    before = state(app, world)
    response = apply(teacher, world, version="1")
    assert response.status_code == 409
    assert "edited since this dry run" in response.get_data(as_text=True)
    assert state(app, world) == before


def test_another_teacher_gets_404_and_changes_nothing(app, teacher, world):
    with app.app_context():
        create_user("tom", role="teacher")
    tom = logged_in(app, "tom")
    before = state(app, world)
    assert regrade_page(tom, world).status_code == 404
    assert apply(tom, world).status_code == 404
    assert state(app, world) == before


def test_a_question_nobody_answered_has_nothing_to_regrade(app, teacher):
    with app.app_context():
        row = question_store.create_question(user_named("tess"), make_question("single"))
        db.session.commit()
        question_id = row.id
    page = teacher.get(f"/teach/questions/{question_id}").get_data(as_text=True)
    assert "Regrade attempts" not in page
    page = teacher.get(f"/teach/questions/{question_id}/regrade").get_data(as_text=True)
    assert "there is nothing to regrade" in page
    assert "Apply regrade" not in page


def test_two_applies_at_once_regrade_once_and_never_fail(app, teacher, world):
    """A double click: both requests answer with the page, one regrade is written, and each
    mark changes once."""
    other_tab = logged_in(app, "tess")
    statuses = at_once(
        [lambda: apply(teacher, world).status_code, lambda: apply(other_tab, world).status_code]
    )
    assert statuses == [302, 302]
    after = state(app, world)
    assert after["regrades"] == 1
    assert after["ada"][0] == 1.0
    with app.app_context():
        # Once each: ada's mark changed, and bob's automatic grade beside his manual mark.
        assert (
            db.session.scalar(
                select(func.count(MarkChange.id)).where(MarkChange.kind == MARK_REGRADE)
            )
            == 2
        )


def test_an_attempt_over_with_the_question_blank_is_neither_counted_nor_listed(app, teacher):
    """Nothing to regrade: eve submitted without answering, fay's attempt was left open and
    read as closed at the assignment's close (not yet written so); neither is offered."""
    class_id = own_class(app, "eve", "fay")
    with app.app_context():
        row = question_store.create_question(user_named("tess"), make_question("single"))
        db.session.commit()
        assignment = create_assignment(
            db.session.get(Classroom, class_id),
            title="Blank test",
            mode=MODE_TEST,
            question_ids=[row.public_id],
        )
        question_id, assignment_id = row.id, assignment.id
    eve_round, _ = start(app, assignment_id, "eve")
    fay_round, _ = start(app, assignment_id, "fay")
    with app.app_context():
        attempt_store.submit(eve_round, utcnow())
        db.session.get(Assignment, assignment_id).closes_at = utcnow() - timedelta(minutes=1)
        question_store.update_question(db.session.get(TeacherQuestion, question_id), VERSION_2)
        db.session.commit()
        assert db.session.get(Round, fay_round).finished_at is None
    question_page = teacher.get(f"/teach/questions/{question_id}").get_data(as_text=True)
    assert "used an earlier version" not in question_page
    page = teacher.get(f"/teach/questions/{question_id}/regrade").get_data(as_text=True)
    assert "there is nothing to regrade" in page and "Apply regrade" not in page
