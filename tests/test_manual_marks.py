"""Manual marks ("Override mark") on the teacher's attempt page: the teacher's mark and comment
replace the automatic grade of one answered question of a finished attempt, and every report
follows it (gradebook and its CSV, the responses CSV, item statistics, the student's review,
My progress, mastery and Review my mistakes). Each refusal leaves the database as it was."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from quizapp import attempt_store, create_app, report_store
from quizapp.domain import gradebook
from quizapp.extensions import db
from quizapp.models import (
    MARK_MANUAL,
    MODE_TEST,
    Answer,
    Assignment,
    Classroom,
    MarkChange,
    Round,
    utcnow,
)
from tests.factories import (
    DAY,
    PASSWORD,
    at_once,
    create_assignment,
    create_classroom,
    create_teacher,
    create_user,
    enroll,
    logged_in,
    own_class,
    stored_attempt,
    user_named,
)
from tests.pages import table

COMMENT = "Genscher, not Baker: half of it is right."


@pytest.fixture
def marked(app, teacher):
    """ada's submitted test attempt scored [1, 0, 0.5, not answered] in tess's class, with
    tess logged in (`teacher`): the attempt's facts as a dict."""
    class_id = own_class(app, "ada")
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        assignment = create_assignment(classroom, mode=MODE_TEST, section="1", length=4)
        a_round = stored_attempt(
            assignment, user_named("ada"), [1.0, 0.0, 0.5, None], finished_at=utcnow() - DAY
        )
        return {
            "class_id": class_id,
            "assignment_id": assignment.id,
            "round_id": a_round.id,
            "items": [item.id for item in a_round.items],
            "questions": [item.question_id for item in a_round.items],
        }


def override(client, facts, position, mark, comment=""):
    return client.post(
        f"/teach/attempts/{facts['round_id']}/questions/{position}/mark",
        data={f"q{position}-mark": mark, f"q{position}-comment": comment},
    )


def marks_snapshot(app) -> dict:
    """What a refused mark must leave alone: answers, rounds and the history."""
    with app.app_context():
        return {
            table: sorted(map(repr, db.session.execute(select(*columns)).all()))
            for table, columns in {
                "answers": (
                    Answer.id,
                    Answer.score,
                    Answer.correct,
                    Answer.graded_score,
                    Answer.marked_by,
                    Answer.mark_comment,
                ),
                "rounds": (Round.id, Round.score, Round.finished_at),
                "mark_changes": (MarkChange.id,),
            }.items()
        }


def reopen(app, round_id: int) -> None:
    """The attempt back in progress (not submitted, no deadline)."""
    with app.app_context():
        db.session.execute(update(Round).where(Round.id == round_id).values(finished_at=None))
        db.session.commit()


def parsed_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def page(response) -> str:
    return response.get_data(as_text=True)


# --- the attempt page ------------------------------------------------------------------------


def test_the_attempt_page_offers_a_mark_form_per_answered_question(marked, teacher):
    text = page(teacher.get(f"/teach/attempts/{marked['round_id']}"))
    for position in (1, 2, 3):
        assert (
            f'<label for="q{position}-mark">Mark for question {position} (0 to 1)</label>' in text
        )
    assert "Mark for question 4" not in text
    assert "Not answered. There is no answer to mark." in text
    assert text.count('value="Override mark"') == 3
    assert "No mark of this attempt has been changed." in text


def test_an_override_is_saved_shown_with_the_grade_beside_it_and_in_the_history(
    app, marked, teacher
):
    response = override(teacher, marked, 2, "0.75", COMMENT)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/teach/attempts/{marked['round_id']}#question-2")
    text = page(teacher.get(response.headers["Location"]))
    assert "Mark for question 2 saved: 0.75." in text
    assert "Score</dt><dd>2.25 / 4" in text
    assert "Teacher's mark</span> by tess (automatic grade: 0)" in text
    assert f"Comment to the student: {COMMENT}" in text
    history = text.split("Mark history", 1)[1]
    assert "<td>tess</td>" in history
    assert 'href="#question-2">Question 2</a>' in history
    assert '<td class="mark">0 → 0.75</td>' in history
    assert f"<td>{COMMENT}</td>" in history
    with app.app_context():
        saved = db.session.scalar(select(Answer).where(Answer.round_item_id == marked["items"][1]))
        assert (saved.score, saved.graded_score, saved.mark_comment) == (0.75, 0.0, COMMENT)
        assert saved.marked_by == user_named("tess").id
        change = db.session.scalar(select(MarkChange))
        assert (change.kind, change.old_score, change.new_score) == (MARK_MANUAL, 0.0, 0.75)


def test_a_mark_typed_with_a_decimal_comma_is_read(app, marked, teacher):
    assert override(teacher, marked, 3, "0,25").status_code == 303
    with app.app_context():
        assert db.session.get(Round, marked["round_id"]).score == 1.25


def test_the_form_shows_the_standing_mark_and_comment_to_change_again(marked, teacher):
    override(teacher, marked, 2, "0.75", COMMENT)
    text = page(teacher.get(f"/teach/attempts/{marked['round_id']}"))
    assert 'name="q2-mark" required size="6" type="text" value="0.75">' in text
    assert f'name="q2-comment" rows="2">\r\n{COMMENT}</textarea>' in text
    override(teacher, marked, 2, "1", "On reflection: all right.")
    text = page(teacher.get(f"/teach/attempts/{marked['round_id']}"))
    assert '<td class="mark">0 → 0.75</td>' in text and '<td class="mark">0.75 → 1</td>' in text


def test_an_attempt_in_progress_shows_why_it_cannot_be_marked(app, marked, teacher):
    reopen(app, marked["round_id"])
    text = page(teacher.get(f"/teach/attempts/{marked['round_id']}"))
    assert "Override mark" not in text
    assert (
        "This attempt is still in progress: its marks can be changed once it is submitted." in text
    )


# --- every report follows the mark ----------------------------------------------------------


def test_gradebook_csv_item_statistics_and_the_student_review_agree_on_the_new_mark(
    app, marked, teacher
):
    class_id, round_id = marked["class_id"], marked["round_id"]
    assert override(teacher, marked, 2, "0.5", COMMENT).status_code == 303

    book = parsed_csv(teacher.get(f"/teach/classes/{class_id}/gradebook.csv"))
    assert book[1][0] == "ada" and float(book[1][1]) == 50.0  # (1 + 0.5 + 0.5) / 4
    assert "50%" in page(teacher.get(f"/teach/classes/{class_id}/gradebook"))

    responses = parsed_csv(teacher.get(f"/teach/classes/{class_id}/responses.csv"))
    header, rows = responses[0], responses[1:]
    second = next(r for r in rows if r[header.index("position")] == "2")
    assert float(second[header.index("score")]) == 0.5
    assert second[header.index("correct")] == "no"
    # The export says whose mark the score is, what it replaced and why.
    assert float(second[header.index("automatic_score")]) == 0.0
    assert second[header.index("marked_by")] == "tess"
    assert second[header.index("mark_comment")] == COMMENT
    first = next(r for r in rows if r[header.index("position")] == "1")
    assert [first[header.index(c)] for c in ("automatic_score", "marked_by", "mark_comment")] == [
        "",
        "",
        "",
    ]

    with app.app_context():
        assignment = db.session.get(Assignment, marked["assignment_id"])
        report = report_store.assignment_statistics(
            assignment, gradebook.AttemptSet.FIRST, utcnow()
        )
        facility = {item.stats.key[0]: item.stats.facility for item in report.items}
        assert facility[marked["questions"][1]] == 0.5
        assert report.test.mean == 2.0
    stats = page(teacher.get(f"/teach/assignments/{marked['assignment_id']}/statistics"))
    rows = [[cell.text for cell in row] for row in table(stats, css="item-stats").rows[1:]]
    second_row = next(row for row in rows if row[0].startswith("Q2?"))
    assert second_row[2] == "50%"  # its facility: 0% before the teacher's mark

    ada = logged_in(app, "ada")
    review = page(ada.get(f"/review/rounds/{round_id}"))
    assert "2 out of 4" in review
    assert "Your teacher's mark: <strong>0.5</strong> out of 1 — " in review
    assert f'<span class="mark-comment">{COMMENT}</span>' in review
    assert review.count("Your teacher's mark") == 1


def test_my_progress_mastery_and_mistakes_follow_a_mark_raised_to_full(app, marked, teacher):
    wrong_question = marked["questions"][1]
    with app.app_context():
        ada = user_named("ada")
        assert wrong_question in report_store.review_cards(ada, utcnow())
    assert override(teacher, marked, 2, "1").status_code == 303
    with app.app_context():
        ada = user_named("ada")
        now = utcnow()
        assert wrong_question not in report_store.review_cards(ada, now)
        records, _ = report_store.learner_records(ada, now)
        assert {r.question_id: r.score for r in records}[wrong_question] == 1.0
        summary = next(r for r in attempt_store.rounds_of(ada, now) if r.id == marked["round_id"])
        assert summary.score == 2.5
    progress = page(logged_in(app, "ada").get("/review/scores"))
    assert '<span class="score">2.5 / 4</span> (63%)' in progress


# --- refusals: a clear error, nothing changed ------------------------------------------------

MARK_MESSAGE = "Enter the mark as a number from 0 to 1 with at most two decimals, such as 0.75."


@pytest.mark.parametrize(
    ("mark", "comment", "message"),
    [
        ("about half", "", MARK_MESSAGE),
        ("1.5", "", MARK_MESSAGE),
        ("-0.25", "", MARK_MESSAGE),
        ("nan", "", MARK_MESSAGE),
        ("inf", "", MARK_MESSAGE),
        ("", "", MARK_MESSAGE),
        ("0.999", "", MARK_MESSAGE),  # every page would show 1, while it counts as less
        ("0.5", "x" * 2001, "A comment is at most 2000 characters long."),
    ],
    ids=["words", "above-one", "negative", "nan", "inf", "empty", "three-decimals", "long-comment"],
)
def test_a_bad_mark_or_comment_is_refused_and_nothing_changes(
    app, marked, teacher, mark, comment, message
):
    before = marks_snapshot(app)
    response = override(teacher, marked, 2, mark, comment)
    assert response.status_code == 400
    text = page(response)
    assert message in text
    assert "Please correct the following" in text
    assert 'aria-invalid="true"' in text
    assert marks_snapshot(app) == before


def test_an_attempt_in_progress_is_refused_and_nothing_changes(app, marked, teacher):
    reopen(app, marked["round_id"])
    before = marks_snapshot(app)
    response = override(teacher, marked, 1, "0.5")
    assert response.status_code == 400
    assert "Question 1: This attempt is still in progress" in page(response)
    assert marks_snapshot(app) == before


@pytest.mark.parametrize(
    ("position", "status", "message"),
    [
        (4, 400, "Question 4: This question was not answered"),
        (9, 404, "This round has no question 9."),
    ],
    ids=["unanswered", "not-in-the-attempt"],
)
def test_a_question_without_an_answer_to_mark_is_refused_and_nothing_changes(
    app, marked, teacher, position, status, message
):
    before = marks_snapshot(app)
    response = override(teacher, marked, position, "0.5")
    assert response.status_code == status
    assert message in page(response)
    assert marks_snapshot(app) == before


def test_another_teachers_forged_mark_is_not_found_and_changes_nothing(app, marked):
    with app.app_context():
        create_teacher("olga")
    before = marks_snapshot(app)
    response = override(logged_in(app, "olga"), marked, 2, "1", "forged")
    assert response.status_code == 404
    assert marks_snapshot(app) == before


def test_the_same_mark_and_comment_saved_again_change_nothing(app, marked, teacher):
    assert override(teacher, marked, 2, "0.5", COMMENT).status_code == 303
    before = marks_snapshot(app)
    again = override(teacher, marked, 2, "0.50", COMMENT)
    assert again.status_code == 303
    assert marks_snapshot(app) == before  # no "0.5 → 0.5" row in the history
    text = page(teacher.get(again.location))
    assert "Question 2: that mark and comment stand already; nothing changed." in text
    # A new comment on the same mark is a change, and the history keeps it.
    assert override(teacher, marked, 2, "0.5", "Reread the passage.").status_code == 303
    assert marks_snapshot(app) != before


def test_a_student_cannot_mark_even_their_own_attempt(app, marked):
    before = marks_snapshot(app)
    response = override(logged_in(app, "ada"), marked, 2, "1")
    assert response.status_code == 403
    assert marks_snapshot(app) == before


def test_a_mark_posted_without_a_csrf_token_is_refused(app_config, tmp_path):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
        tess = create_teacher()
        classroom = create_classroom(tess)
        ada = create_user("ada")
        enroll(classroom, ada)
        assignment = create_assignment(classroom, mode=MODE_TEST, section="1", length=2)
        round_id = stored_attempt(assignment, ada, [1.0, 0.0], finished_at=utcnow()).id
    client = app.test_client()
    login_page = page(client.get("/login"))
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"username": "tess", "password": PASSWORD, "csrf_token": token})
    before = marks_snapshot(app)
    response = client.post(
        f"/teach/attempts/{round_id}/questions/2/mark", data={"q2-mark": "1", "q2-comment": ""}
    )
    assert response.status_code == 400
    assert "Reload the page and try again" in page(response)
    assert marks_snapshot(app) == before
    # With the token the attempt page gives, the same mark is taken.
    attempt_page = page(client.get(f"/teach/attempts/{round_id}"))
    token = attempt_page.split('id="q2-csrf_token" name="q2-csrf_token" type="hidden" value="')[
        1
    ].split('"')[0]
    response = client.post(
        f"/teach/attempts/{round_id}/questions/2/mark",
        data={"q2-mark": "1", "q2-comment": "", "q2-csrf_token": token},
    )
    assert response.status_code == 303


# --- plain text, and a mark read afresh ------------------------------------------------------


def test_a_comment_of_2000_characters_with_line_breaks_is_taken_as_typed(app, marked, teacher):
    comment = "Line one.\r\n" + "x" * 1990  # 2000 characters as the browser counts them
    assert override(teacher, marked, 2, "0.5", comment).status_code == 303
    with app.app_context():
        saved = db.session.scalar(select(Answer).where(Answer.round_item_id == marked["items"][1]))
        assert saved.mark_comment == comment.replace("\r\n", "\n")


def test_a_comment_is_plain_text_escaped_for_teacher_and_student(app, marked, teacher):
    comment = '<script>alert("x")</script> <b>bold</b>'
    assert override(teacher, marked, 2, "0.5", comment).status_code == 303
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;"
    teacher_page = page(teacher.get(f"/teach/attempts/{marked['round_id']}"))
    student_page = page(logged_in(app, "ada").get(f"/review/rounds/{marked['round_id']}"))
    for text in (teacher_page, student_page):
        assert escaped in text
        assert "<script>alert" not in text and "<b>bold</b>" not in text


def test_change_mark_reads_the_answer_afresh_under_the_lock(app, marked):
    """A view loads the attempt (to check who may mark it) before change_mark locks the
    round: a mark changed by another request in between is the old mark of the history."""
    with app.app_context():
        tess = user_named("tess")
        seen = attempt_store.class_attempt_or_404(marked["round_id"], tess)
        item = seen.items[1]  # held, as the view holds the item it marks
        with db.engine.begin() as other:  # another request commits a mark meanwhile
            other.execute(
                update(Answer)
                .where(Answer.round_item_id == marked["items"][1])
                .values(score=0.25, graded_score=0.0, marked_by=tess.id, mark_comment="first")
            )
        change = attempt_store.change_mark(
            marked["round_id"],
            marked["items"][1],
            kind=MARK_MANUAL,
            teacher_id=tess.id,
            now=utcnow(),
            manual_score=0.5,
        )
        db.session.commit()
        assert change.old_score == 0.25
        assert item.answer.score == 0.5
        saved = db.session.scalar(select(Answer).where(Answer.round_item_id == marked["items"][1]))
        assert saved.graded_score == 0.0  # the automatic grade, not the other teacher's mark
        assert db.session.get(Round, marked["round_id"]).score == 2.0


def test_an_attempt_left_open_past_its_close_can_be_marked(app, teacher):
    class_id = own_class(app, "ada")
    with app.app_context():
        assignment = create_assignment(
            db.session.get(Classroom, class_id),
            mode=MODE_TEST,
            section="1",
            length=2,
            opens_at=utcnow() - 3 * DAY,
            closes_at=utcnow() - timedelta(hours=1),
        )
        round_id = stored_attempt(
            assignment, user_named("ada"), [1.0, 0.0], started_at=utcnow() - 2 * DAY
        ).id
    text = page(teacher.get(f"/teach/attempts/{round_id}"))
    assert "Mark for question 2 (0 to 1)" in text
    response = teacher.post(
        f"/teach/attempts/{round_id}/questions/2/mark", data={"q2-mark": "1", "q2-comment": ""}
    )
    assert response.status_code == 303
    with app.app_context():
        a_round = db.session.get(Round, round_id)
        assert a_round.finished_at is not None and a_round.score == 2.0


def test_a_mark_of_minus_zero_is_stored_as_zero(app, marked, teacher):
    assert override(teacher, marked, 1, "-0").status_code == 303
    with app.app_context():
        saved = db.session.scalar(select(Answer).where(Answer.round_item_id == marked["items"][0]))
        assert str(saved.score) == "0.0"
    assert "0 → -0" not in page(teacher.get(f"/teach/attempts/{marked['round_id']}"))


def test_item_statistics_say_which_answer_is_the_key_whatever_the_teacher_marked(
    app, marked, teacher
):
    """A full mark for a wrong option does not make it "Right" in the spread of answers,
    nor does a lower mark for the key make the key wrong: the spread reads the grade kept
    beside the teacher's mark."""
    assert override(teacher, marked, 1, "0.5").status_code == 303  # the key, marked down
    assert override(teacher, marked, 2, "1").status_code == 303  # a wrong option, marked up
    with app.app_context():
        assignment = db.session.get(Assignment, marked["assignment_id"])
        report = report_store.assignment_statistics(
            assignment, gradebook.AttemptSet.FIRST, utcnow()
        )
        chosen = {
            item.stats.key[0]: next(row for row in item.spread if row.count)
            for item in report.items
        }
    assert chosen[marked["questions"][0]].right is True
    assert chosen[marked["questions"][1]].right is False


@pytest.mark.parametrize("attempt", range(10))
def test_two_marks_at_once_on_two_questions_both_count_in_the_score(app, marked, attempt):
    """Two teacher tabs mark questions 2 and 3 at the same moment: each mark is stored and
    the round's score is the sum of its answers with both, never one lost update."""
    tabs = [logged_in(app, "tess"), logged_in(app, "tess")]
    statuses = at_once(
        [
            lambda: override(tabs[0], marked, 2, "1").status_code,
            lambda: override(tabs[1], marked, 3, "1").status_code,
        ]
    )
    assert statuses == [303, 303]
    with app.app_context():
        assert db.session.get(Round, marked["round_id"]).score == 3.0  # 1 + 1 + 1 + blank
        assert db.session.scalar(select(func.count(MarkChange.id))) == 2
