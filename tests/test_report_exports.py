"""The teacher's CSV downloads: the gradebook and every response of a class.

Builders of data and attempts are shared with tests/test_reports.py.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from quizapp import current_bank, question_store, report_store
from quizapp.domain import csv_export
from quizapp.domain.questions import Choice, QuestionType
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, Round, User, utcnow
from tests.factories import (
    DAY,
    create_assignment,
    create_teacher,
    create_user,
    enroll,
    logged_in,
    make_question,
    own_class,
    percent,
    right_form,
    stored_attempt,
    user_named,
)

BOM = b"\xef\xbb\xbf"

RESPONSES_HEADER = [
    "student",
    "assignment",
    "attempt",
    "started_at",
    "submitted_at",
    "late",
    "position",
    "question_id",
    "version",
    "question",
    "response",
    "right_answer",
    "score",
    "correct",
    "answered_at",
    "automatic_score",
    "marked_by",
    "mark_comment",
]


def parsed(response) -> list[list[str]]:
    """The rows of a CSV download, header first, after its byte-order mark."""
    body = response.get_data()
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM) :].decode("utf-8"), newline="")))


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]


def moment(text: str) -> datetime:
    """An exported timestamp, which must be ISO 8601 in UTC with a Z."""
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text.removesuffix("Z") + "+00:00")


def to_the_second(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(microsecond=0)


# --- the gradebook -----------------------------------------------------------------------------


@pytest.fixture
def graded(app, teacher) -> int:
    """ana: 2 of 3 at Baker, 5 of 5 at Genscher a day late; ben: 2 of 5 at Baker, nothing
    at Genscher, which was due yesterday."""
    class_id = own_class(app, "ana", "ben")
    now = utcnow()
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        baker = create_assignment(classroom, opens_at=now - 7 * DAY)
        genscher = create_assignment(
            classroom, title="Genscher at Tutzing", opens_at=now - 6 * DAY, due_at=now - 2 * DAY
        )
        ana, ben = user_named("ana"), user_named("ben")
        stored_attempt(baker, ana, [1.0, 1.0, 0.0], finished_at=now - 3 * DAY)
        stored_attempt(baker, ben, percent(2), finished_at=now - 3 * DAY)
        stored_attempt(genscher, ana, percent(5), finished_at=now - DAY)
    return class_id


def test_the_gradebook_downloads_as_a_utf8_csv_attachment(app, teacher, graded):
    response = teacher.get(f"/teach/classes/{graded}/gradebook.csv?show=last")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="gradebook-{graded}-last.csv"'
    )


def test_the_gradebook_csv_starts_with_a_bom_and_one_header_row(app, teacher, graded):
    rows = parsed(teacher.get(f"/teach/classes/{graded}/gradebook.csv"))
    header = [
        "student",
        "Baker in Moscow (best, %)",
        "Baker in Moscow status",
        "Genscher at Tutzing (best, %)",
        "Genscher at Tutzing status",
        "average (%)",
    ]
    assert rows[0] == header
    assert rows.count(header) == 1
    assert [row[0] for row in rows[1:]] == ["ana", "ben"]


def test_the_gradebook_csv_holds_percentages_to_one_decimal_and_statuses(app, teacher, graded):
    rows = parsed(teacher.get(f"/teach/classes/{graded}/gradebook.csv"))
    # ana: 2/3 = 66.7, 100 late, average (66.67 + 100) / 2 = 83.3; ben: 40, missing, 40.
    assert rows[1:] == [
        ["ana", "66.7", "Submitted", "100", "Late", "83.3"],
        ["ben", "40", "Submitted", "", "Missing", "40"],
    ]


def test_the_gradebook_csv_follows_the_chosen_policy(app, teacher, graded):
    rows = parsed(teacher.get(f"/teach/classes/{graded}/gradebook.csv?show=average"))
    assert rows[0][1] == "Baker in Moscow (average, %)"


def test_the_gradebook_csv_refuses_an_unknown_policy(app, teacher, graded):
    response = teacher.get(f"/teach/classes/{graded}/gradebook.csv?show=median")
    assert response.status_code == 400
    assert "must be one of best, last, average" in response.get_data(as_text=True)


# --- every response -------------------------------------------------------------------------------


def library_single():
    return next(q for q in current_bank().questions if q.type is QuestionType.SINGLE)


def short_question():
    return make_question(
        "single",
        type=QuestionType.SHORT,
        prompt="In which city did Baker speak on 9 February 1990?",
        choices=(Choice("c1", "Moscow"),),
        answer=("c1",),
    )


@pytest.fixture
def responded(app, teacher):
    """ana plays a practice assignment of tess's single (t-…, right) and short (t-…,
    typed "=1+1", wrong) questions and a library question (right), then starts a second
    attempt and answers its first question only."""
    class_id = own_class(app, "ana", "ben")
    with app.app_context():
        tess = user_named("tess")
        rows = [
            question_store.create_question(tess, make_question("single")),
            question_store.create_question(tess, short_question()),
        ]
        db.session.commit()
        ids = [rows[0].public_id, rows[1].public_id, library_single().id]
        assignment_id = create_assignment(
            db.session.get(Classroom, class_id), question_ids=ids, attempts_allowed=2
        ).id
    ana = logged_in(app, "ana")
    for answers in ([True, "=1+1", True], [True]):
        started = ana.post(f"/assignments/{assignment_id}/attempts")
        assert started.status_code == 302
        with app.app_context():
            a_round = db.session.scalars(select(Round).order_by(Round.id.desc())).first()
            round_id, questions = a_round.id, [i.question for i in a_round.items]
        for position, (question, answer) in enumerate(
            zip(questions, answers, strict=False), start=1
        ):
            data = {"text": answer} if isinstance(answer, str) else right_form(question)
            assert (
                ana.post(f"/rounds/{round_id}/questions/{position}", data=data).status_code == 302
            )
    return class_id, ids


def test_the_responses_download_as_a_utf8_csv_attachment(app, teacher, responded):
    class_id, _ = responded
    response = teacher.get(f"/teach/classes/{class_id}/responses.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="responses-{class_id}.csv"'
    )
    rows = parsed(response)
    assert rows[0] == RESPONSES_HEADER and rows.count(RESPONSES_HEADER) == 1


def test_the_responses_csv_has_a_row_per_item_of_each_attempt(app, teacher, responded):
    class_id, ids = responded
    rows = as_dicts(parsed(teacher.get(f"/teach/classes/{class_id}/responses.csv")))
    assert [(r["student"], r["attempt"], r["position"], r["question_id"]) for r in rows] == [
        ("ana", attempt, str(position), question_id)
        for attempt in ("1", "2")
        for position, question_id in enumerate(ids, start=1)
    ]


def test_the_responses_csv_is_the_same_when_its_rounds_are_read_in_several_queries(
    app, teacher, responded, monkeypatch
):
    """PostgreSQL binds at most 65,535 parameters, so rounds are read in batches."""
    class_id, _ = responded
    whole = teacher.get(f"/teach/classes/{class_id}/responses.csv").get_data()
    monkeypatch.setattr(report_store, "ROUNDS_PER_QUERY", 1)
    assert teacher.get(f"/teach/classes/{class_id}/responses.csv").get_data() == whole


def test_the_responses_download_is_streamed_row_by_row(app, teacher, responded, monkeypatch):
    """A class's year of answers starts downloading before its last row is written."""
    class_id, _ = responded
    monkeypatch.setattr(csv_export, "ROWS_PER_CHUNK", 1)
    response = teacher.get(f"/teach/classes/{class_id}/responses.csv", buffered=False)
    assert response.is_streamed
    chunks = [chunk for chunk in response.response if chunk]
    response.close()
    assert chunks[0].startswith(b"\xef\xbb\xbfstudent,assignment,")
    assert len(chunks) == 6  # one per row of the six, the header with the first


def test_the_responses_csv_gives_each_answer_its_key_score_and_version(app, teacher, responded):
    class_id, _ = responded
    rows = as_dicts(parsed(teacher.get(f"/teach/classes/{class_id}/responses.csv")))
    with app.app_context():
        library = library_single()
        library_key = library.choice_text(library.answer)
    first = [
        (r["question"], r["response"], r["right_answer"], r["score"], r["correct"], r["version"])
        for r in rows[:3]
    ]
    assert first == [
        ("A single question about Baker in Moscow?", "James Baker", "James Baker", "1", "yes", "1"),
        (
            "In which city did Baker speak on 9 February 1990?",
            "'=1+1",
            "Moscow",
            "0",
            "no",
            "1",
        ),
        (library.prompt, library_key, library_key, "1", "yes", ""),
    ]


def test_an_unanswered_item_has_an_empty_response_score_and_time(app, teacher, responded):
    class_id, _ = responded
    rows = as_dicts(parsed(teacher.get(f"/teach/classes/{class_id}/responses.csv")))
    unanswered = rows[4]
    assert (unanswered["attempt"], unanswered["position"]) == ("2", "2")
    assert (
        unanswered["response"],
        unanswered["score"],
        unanswered["correct"],
        unanswered["answered_at"],
        unanswered["submitted_at"],
    ) == ("", "", "", "", "")
    assert unanswered["right_answer"] == "Moscow"


def test_the_responses_csv_times_are_iso_utc_and_match_the_database(app, teacher, responded):
    class_id, _ = responded
    rows = as_dicts(parsed(teacher.get(f"/teach/classes/{class_id}/responses.csv")))
    with app.app_context():
        first = db.session.scalars(select(Round).order_by(Round.id)).first()
        started, finished = first.created_at, first.finished_at
        answered = [item.answer.answered_at for item in first.items]
    row = rows[0]
    assert moment(row["started_at"]) == to_the_second(started)
    assert moment(row["submitted_at"]) == to_the_second(finished)
    assert [moment(r["answered_at"]) for r in rows[:3]] == [to_the_second(a) for a in answered]
    assert row["late"] == "no"


def test_an_attempt_submitted_after_the_due_time_is_late_in_the_responses(app, teacher):
    class_id = own_class(app, "ana")
    now = utcnow()
    with app.app_context():
        assignment = create_assignment(
            db.session.get(Classroom, class_id), opens_at=now - 5 * DAY, due_at=now - 2 * DAY
        )
        stored_attempt(assignment, user_named("ana"), [1.0], finished_at=now - DAY)
    rows = as_dicts(parsed(teacher.get(f"/teach/classes/{class_id}/responses.csv")))
    assert rows[0]["late"] == "yes"
    assert moment(rows[0]["submitted_at"]) == to_the_second(now - DAY)


def test_a_class_without_attempts_downloads_the_header_alone(app, teacher):
    class_id = own_class(app, "ana")
    rows = parsed(teacher.get(f"/teach/classes/{class_id}/responses.csv"))
    assert rows == [RESPONSES_HEADER]


# --- text a spreadsheet would run as a formula -------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil","x")', "+cmd", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("title", FORMULAS)
def test_a_formula_typed_as_an_assignment_title_is_neutralised_in_both_files(app, teacher, title):
    class_id = own_class(app, "ana")
    response = teacher.post(
        f"/teach/classes/{class_id}/assignments/new",
        data={
            "title": title,
            "mode": "practice",
            "attempts_allowed": "1",
            "source": "scope",
            "scope": "section:1",
            "length": "5",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        assert assignment.title == title
        stored_attempt(assignment, user_named("ana"), [1.0], finished_at=utcnow())
    book = parsed(teacher.get(f"/teach/classes/{class_id}/gradebook.csv"))
    assert book[0][1:3] == [f"'{title} (best, %)", f"'{title} status"]
    responses = as_dicts(parsed(teacher.get(f"/teach/classes/{class_id}/responses.csv")))
    assert responses[0]["assignment"] == f"'{title}"


@pytest.mark.parametrize("username", ["=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "\tlead"])
def test_a_formula_in_a_stored_username_is_neutralised_in_both_files(app, teacher, username):
    class_id = own_class(app)
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        student = create_user(username)
        enroll(classroom, student)
        stored_attempt(create_assignment(classroom), student, [1.0], finished_at=utcnow())
    book = parsed(teacher.get(f"/teach/classes/{class_id}/gradebook.csv"))
    responses = as_dicts(parsed(teacher.get(f"/teach/classes/{class_id}/responses.csv")))
    assert book[1][0] == f"'{username}"
    assert responses[0]["student"] == f"'{username}"


def test_a_registered_username_starting_with_a_dash_is_neutralised(app, teacher):
    """The username rules allow a leading dash, and "-1-1" is a formula to a spreadsheet."""
    registering = app.test_client()
    registered = registering.post(
        "/register",
        data={
            "username": "-1-1",
            "password": "correct horse battery",
            "confirm": "correct horse battery",
        },
    )
    assert registered.status_code == 302
    class_id = own_class(app, "-1-1")
    book = parsed(teacher.get(f"/teach/classes/{class_id}/gradebook.csv"))
    assert book[1][0] == "'-1-1"


@pytest.mark.parametrize("username", ["=cmd", "+cmd", "@sum", "a=b"])
def test_registration_refuses_a_username_with_formula_characters(app, client, username):
    response = client.post(
        "/register",
        data={
            "username": username,
            "password": "correct horse battery",
            "confirm": "correct horse battery",
        },
    )
    assert response.status_code == 400
    assert "letters, digits, dots, dashes or underscores" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_formulas_in_a_question_its_key_and_a_response_are_neutralised(app, teacher):
    class_id = own_class(app, "ana")
    question = make_question(
        "single",
        id="q-formula",
        prompt="=1+2",
        choices=(Choice("c1", "@SUM(A1)"), Choice("c2", "+cmd")),
        answer="c1",
    )
    with app.app_context():
        assignment = create_assignment(db.session.get(Classroom, class_id))
        stored_attempt(
            assignment, user_named("ana"), [0.0], finished_at=utcnow(), questions=[question]
        )
    row = as_dicts(parsed(teacher.get(f"/teach/classes/{class_id}/responses.csv")))[0]
    assert (row["question"], row["response"], row["right_answer"]) == (
        "'=1+2",
        "'+cmd",
        "'@SUM(A1)",
    )


# --- who may download ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gradebook.csv", "responses.csv"])
def test_a_student_gets_403_on_the_downloads(app, graded, name):
    assert logged_in(app, "ana").get(f"/teach/classes/{graded}/{name}").status_code == 403


@pytest.mark.parametrize("name", ["gradebook.csv", "responses.csv"])
def test_another_teacher_gets_404_on_the_downloads(app, graded, name):
    with app.app_context():
        create_teacher("olga")
    response = logged_in(app, "olga").get(f"/teach/classes/{graded}/{name}")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")


def test_a_student_who_left_the_class_is_not_exported(app, teacher):
    class_id = own_class(app, "ana", "ben")
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        assignment = create_assignment(classroom)
        for username in ("ana", "ben"):
            stored_attempt(assignment, user_named(username), [1.0], finished_at=utcnow())
        gone = next(e for e in classroom.enrollments if e.student.username == "ben")
        db.session.delete(gone)
        db.session.commit()
    responses = as_dicts(parsed(teacher.get(f"/teach/classes/{class_id}/responses.csv")))
    book = parsed(teacher.get(f"/teach/classes/{class_id}/gradebook.csv"))
    assert [r["student"] for r in responses] == ["ana"]
    assert [row[0] for row in book[1:]] == ["ana"]
