"""The teacher's reports on a class: the gradebook, an attempt in full, a student's attempts,
the class overview, and the due time set on the assignment form."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from quizapp import question_store
from quizapp.extensions import db
from quizapp.models import Answer, Assignment, Classroom, Round, utcnow
from tests.factories import (
    BAKER_QUOTE,
    DAY,
    create_assignment,
    create_classroom,
    create_teacher,
    create_user,
    enroll,
    logged_in,
    make_question,
    own_class,
    percent,
    questions_of,
    right_form,
    start_round_with,
    stored_attempt,
    user_named,
)
from tests.pages import Cell, table

# --- reading the gradebook -----------------------------------------------------------------


def gradebook_cells(page: str) -> dict[tuple[str, str], Cell]:
    """(student, assignment title) -> the gradebook cell, plus ("Class average", title)."""
    book = table(page, css="gradebook")
    titles = [cell.text for cell in book.rows[0][1:-1]]
    cells = {}
    for row in book.rows[1:]:
        for title, cell in zip(titles, row[1:], strict=False):
            cells[row[0].text, title.split(" due ")[0]] = cell
    return cells


def row_averages(page: str) -> dict[str, str]:
    book = table(page, css="gradebook")
    return {row[0].text: row[-1].text for row in book.rows[1:] if row[0].text != "Class average"}


def round_of(response) -> int:
    """The round a response redirects to (/rounds/<id>...)."""
    return int(re.search(r"/rounds/(\d+)", response.headers["Location"]).group(1))


# --- the gradebook: which attempt each cell shows ------------------------------------------------


@dataclass
class Book:
    class_id: int
    rounds: dict[tuple[str, str, int], int]  # (student, title, attempt) -> round id


@pytest.fixture
def book(app, teacher) -> Book:
    """ana: 40% then 80% at Baker, 100% at Genscher; ben: 80% then 40% at Baker, 20% at Genscher;
    cai: 60% at Baker, nothing at Genscher (open, no due time)."""
    class_id = own_class(app, "ana", "ben", "cai")
    week_ago = utcnow() - 7 * DAY
    plan = {
        ("ana", "Baker in Moscow"): [2, 4],
        ("ben", "Baker in Moscow"): [4, 2],
        ("cai", "Baker in Moscow"): [3],
        ("ana", "Genscher at Tutzing"): [5],
        ("ben", "Genscher at Tutzing"): [1],
    }
    rounds = {}
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        baker = create_assignment(classroom, opens_at=week_ago, attempts_allowed=0)
        genscher = create_assignment(
            classroom, title="Genscher at Tutzing", opens_at=week_ago + DAY, attempts_allowed=0
        )
        by_title = {a.title: a for a in (baker, genscher)}
        for (username, title), rights in plan.items():
            for number, right in enumerate(rights, start=1):
                finished = utcnow() - (4 - number) * DAY
                found = stored_attempt(
                    by_title[title],
                    user_named(username),
                    percent(right),
                    attempt=number,
                    finished_at=finished,
                )
                rounds[username, title, number] = found.id
    return Book(class_id, rounds)


def gradebook(client, book: Book, show: str | None = None):
    query = f"?show={show}" if show else ""
    return client.get(f"/teach/classes/{book.class_id}/gradebook{query}")


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("best", {"ana": ("80%", "100%"), "ben": ("80%", "20%"), "cai": ("60%", "Not started")}),
        ("last", {"ana": ("80%", "100%"), "ben": ("40%", "20%"), "cai": ("60%", "Not started")}),
        (
            "average",
            {"ana": ("60%", "100%"), "ben": ("60%", "20%"), "cai": ("60%", "Not started")},
        ),
    ],
)
def test_each_policy_puts_its_attempts_percentage_in_the_students_cell(
    app, teacher, book, show, expected
):
    cells = gradebook_cells(gradebook(teacher, book, show).get_data(as_text=True))
    shown = {
        student: tuple(
            cells[student, title].text.split(" (")[0]
            for title in ("Baker in Moscow", "Genscher at Tutzing")
        )
        for student in expected
    }
    assert shown == expected


def test_the_gradebook_shows_the_best_attempt_unless_told_otherwise(app, teacher, book):
    cells = gradebook_cells(gradebook(teacher, book).get_data(as_text=True))
    assert cells["ben", "Baker in Moscow"].text.startswith("80%")


def test_a_cell_says_how_many_attempts_count(app, teacher, book):
    cells = gradebook_cells(gradebook(teacher, book).get_data(as_text=True))
    assert cells["ana", "Baker in Moscow"].text == "80% (2 attempts)"
    assert cells["cai", "Baker in Moscow"].text == "60%"


@pytest.mark.parametrize(("show", "attempt"), [("best", 1), ("last", 2), ("average", 2)])
def test_a_cell_links_to_the_attempt_the_policy_chose(app, teacher, book, show, attempt):
    cells = gradebook_cells(gradebook(teacher, book, show).get_data(as_text=True))
    chosen = book.rounds["ben", "Baker in Moscow", attempt]
    assert cells["ben", "Baker in Moscow"].links == [f"/teach/attempts/{chosen}"]


def test_each_row_ends_with_the_mean_of_the_students_cells(app, teacher, book):
    page = gradebook(teacher, book, "last").get_data(as_text=True)
    # ana (80 + 100) / 2, ben (40 + 20) / 2, cai 60 alone: a cell with no score does not count.
    assert row_averages(page) == {"ana": "90%", "ben": "30%", "cai": "60%"}


def test_the_class_average_is_the_mean_of_each_assignments_cells(app, teacher, book):
    cells = gradebook_cells(gradebook(teacher, book, "best").get_data(as_text=True))
    # Baker (80 + 80 + 60) / 3 = 73.3; Genscher (100 + 20) / 2, cai's empty cell left out.
    assert cells["Class average", "Baker in Moscow"].text.startswith("73% ")
    assert cells["Class average", "Genscher at Tutzing"].text.startswith("60% ")


def test_the_class_average_links_to_each_assignments_item_statistics(app, teacher, book):
    cells = gradebook_cells(gradebook(teacher, book).get_data(as_text=True))
    with app.app_context():
        baker = db.session.scalar(select(Assignment).where(Assignment.title == "Baker in Moscow"))
        baker_id = baker.id
    assert (
        f"/teach/assignments/{baker_id}/statistics"
        in cells["Class average", "Baker in Moscow"].links
    )


def test_a_student_row_links_to_the_students_page(app, teacher, book):
    page = gradebook(teacher, book).get_data(as_text=True)
    with app.app_context():
        ana_id = user_named("ana").id
    assert table(page, css="gradebook").row("ana")[0].links == [
        f"/teach/classes/{book.class_id}/students/{ana_id}"
    ]


@pytest.mark.parametrize("show", ["worst", "BEST", ""])
def test_an_unknown_show_value_is_refused_naming_the_allowed_ones(app, teacher, book, show):
    response = teacher.get(f"/teach/classes/{book.class_id}/gradebook?show={show}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "must be one of best, last, average" in page
    assert 'class="gradebook"' not in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Round)) == len(book.rounds)


# --- the gradebook: late, missing, not started, not open, in progress ---------------------------


def one_cell(app, teacher, class_id, **assignment_fields) -> Cell:
    page = teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    return gradebook_cells(page)["ana", assignment_fields.get("title", "Baker in Moscow")]


def assignment_with(app, class_id, **fields) -> Assignment:
    with app.app_context():
        assignment = create_assignment(db.session.get(Classroom, class_id), **fields)
        db.session.refresh(assignment)
        db.session.expunge(assignment)
        return assignment


def due_yesterday(app, class_id) -> Assignment:
    now = utcnow()
    return assignment_with(app, class_id, opens_at=now - 7 * DAY, due_at=now - DAY)


def test_an_attempt_submitted_after_the_due_time_is_tagged_late(app, teacher):
    class_id = own_class(app, "ana")
    assignment = due_yesterday(app, class_id)
    with app.app_context():
        stored_attempt(
            assignment,
            user_named("ana"),
            percent(4),
            finished_at=assignment.due_at + timedelta(hours=1),
        )
    cell = one_cell(app, teacher, class_id)
    assert cell.css == "cell-late"
    assert cell.text == "80% Late"


def test_an_attempt_submitted_before_the_due_time_is_not_late(app, teacher):
    class_id = own_class(app, "ana")
    assignment = due_yesterday(app, class_id)
    with app.app_context():
        stored_attempt(
            assignment, user_named("ana"), percent(4), finished_at=assignment.due_at - DAY
        )
    cell = one_cell(app, teacher, class_id)
    assert cell.css == "cell-done"
    assert cell.text == "80%"


def test_nothing_submitted_by_the_due_time_is_missing_and_counted(app, teacher):
    class_id = own_class(app, "ana", "ben")
    due_yesterday(app, class_id)
    page = teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    cells = gradebook_cells(page)
    assert (cells["ana", "Baker in Moscow"].css, cells["ana", "Baker in Moscow"].text) == (
        "cell-missing",
        "Missing",
    )
    assert "2 missing" in cells["Class average", "Baker in Moscow"].text


def test_nothing_submitted_after_the_close_is_missing(app, teacher):
    class_id = own_class(app, "ana")
    now = utcnow()
    assignment_with(app, class_id, opens_at=now - 7 * DAY, closes_at=now - DAY)
    cell = one_cell(app, teacher, class_id)
    assert (cell.css, cell.text) == ("cell-missing", "Missing")


def test_an_open_assignment_without_due_time_not_yet_started_says_so(app, teacher):
    class_id = own_class(app, "ana")
    assignment_with(app, class_id, opens_at=utcnow() - DAY)
    cell = one_cell(app, teacher, class_id)
    assert (cell.css, cell.text) == ("cell-not_started", "Not started")


def test_an_assignment_opening_later_is_not_open_yet(app, teacher):
    class_id = own_class(app, "ana")
    assignment_with(app, class_id, opens_at=utcnow() + DAY, due_at=utcnow() + 2 * DAY)
    cell = one_cell(app, teacher, class_id)
    assert (cell.css, cell.text) == ("cell-upcoming", "Not open yet")


def test_an_attempt_under_way_shows_in_progress_and_links_to_it(app, teacher):
    class_id = own_class(app, "ana")
    assignment = assignment_with(app, class_id, opens_at=utcnow() - DAY)
    with app.app_context():
        round_id = stored_attempt(assignment, user_named("ana"), [1.0, None, None]).id
    cell = one_cell(app, teacher, class_id)
    assert (cell.css, cell.text) == ("cell-in_progress", "In progress")
    assert cell.links == [f"/teach/attempts/{round_id}"]


def test_an_attempt_under_way_past_the_due_time_is_in_progress_not_missing(app, teacher):
    class_id = own_class(app, "ana")
    assignment = due_yesterday(app, class_id)
    with app.app_context():
        stored_attempt(assignment, user_named("ana"), [1.0, None], started_at=utcnow() - 2 * DAY)
    cell = one_cell(app, teacher, class_id)
    assert (cell.css, cell.text) == ("cell-in_progress", "In progress")


def test_an_attempt_left_open_at_the_close_counts_with_what_it_holds(app, teacher):
    class_id = own_class(app, "ana")
    now = utcnow()
    assignment = assignment_with(app, class_id, opens_at=now - 7 * DAY, closes_at=now - DAY)
    with app.app_context():
        # 2 of 5 answered right, never submitted: 40% once the assignment has closed.
        stored_attempt(assignment, user_named("ana"), [1.0, 1.0, 0.0, None, None])
    cell = one_cell(app, teacher, class_id)
    assert (cell.css, cell.text) == ("cell-done", "40%")


# --- an attempt in full -----------------------------------------------------------------------


def own_test_questions(app) -> list[str]:
    """Two of tess's questions, as t-<id>."""
    with app.app_context():
        tess = user_named("tess")
        rows = [
            question_store.create_question(
                tess,
                make_question(
                    "single",
                    prompt="Who spoke of “not one inch” in Moscow?",
                    explanation="Baker said it to Gorbachev on 9 February 1990.",
                ),
            ),
            question_store.create_question(
                tess,
                make_question(
                    "true_false",
                    prompt="Was the assurance ever written into a treaty?",
                    answer=False,
                    explanation="No treaty recorded it; the 2+4 Treaty covers East Germany only.",
                ),
            ),
        ]
        db.session.commit()
        return [row.public_id for row in rows]


def submitted_test_attempt(app, class_id, student) -> int:
    """`student` plays a test-mode assignment of two of tess's questions through the pages:
    the first wrong (Helmut Kohl), the second right, then "Submit all and finish"."""
    ids = own_test_questions(app)
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        assignment_id = create_assignment(
            classroom, title="Baker test", mode="test", question_ids=ids
        ).id
    started = student.post(f"/assignments/{assignment_id}/attempts")
    round_id = round_of(started)
    with app.app_context():
        items = db.session.get(Round, round_id).items
        first, second = items[0].question, items[1].question
    kohl = next(c.id for c in first.choices if c.text == "Helmut Kohl")
    student.post(f"/rounds/{round_id}/questions/1", data={"choice": kohl})
    student.post(f"/rounds/{round_id}/questions/2", data=right_form(second))
    student.post(f"/rounds/{round_id}/submit")
    with app.app_context():
        assert db.session.get(Round, round_id).finished_at is not None
    return round_id


def test_a_submitted_test_attempt_shows_answers_keys_explanations_and_quotes(app, teacher):
    class_id = own_class(app, "ana")
    round_id = submitted_test_attempt(app, class_id, logged_in(app, "ana"))
    page = teacher.get(f"/teach/attempts/{round_id}").get_data(as_text=True)
    assert "ana: Baker test, attempt 1" in page
    first, second = page.split('<ol class="recap">')[1].split("<li>")[1:3]
    assert "Who spoke of “not one inch” in Moscow?" in first and "Wrong" in first
    answers = re.sub(r"\s+", " ", html.unescape(first))
    assert re.search(r"Student's answer</dt> <dd><span class=\"answer-line\">Helmut Kohl<", answers)
    assert "Your answer" not in page  # the teacher did not answer it
    assert re.search(r"Correct answer</dt> <dd><span class=\"answer-line\">James Baker<", answers)
    assert "Baker said it to Gorbachev on 9 February 1990." in first
    assert BAKER_QUOTE in first
    assert "Right" in second and "No treaty recorded it" in second
    assert "Score</dt><dd>1 / 2" in page


def test_a_test_attempt_under_way_shows_the_teacher_its_answers_so_far(app, teacher):
    class_id = own_class(app, "ana")
    with app.app_context():
        assignment = create_assignment(db.session.get(Classroom, class_id), mode="test")
        ana = user_named("ana")
        round_id = stored_attempt(
            assignment, ana, [0.0, None], questions=[make_question("single"), make_question("year")]
        ).id
    page = teacher.get(f"/teach/attempts/{round_id}").get_data(as_text=True)
    assert "Not yet: 1 of 2 answered" in page
    assert "Wrong" in page and "Not answered." in page


def test_another_teachers_attempt_is_not_found(app, client, auth):
    with app.app_context():
        classroom = create_classroom(create_teacher("tess"))
        create_teacher("olga")
        ana = create_user("ana")
        enroll(classroom, ana)
        round_id = stored_attempt(create_assignment(classroom), ana, [1.0], finished_at=utcnow()).id
    auth.login("olga")
    assert client.get(f"/teach/attempts/{round_id}").status_code == 404


def test_a_students_practice_round_is_not_found_for_their_teacher(app, teacher):
    own_class(app, "ana")
    student = logged_in(app, "ana")
    started = student.post("/rounds", data={"scope": "section:1", "length": "5"})
    round_id = round_of(started)
    assert teacher.get(f"/teach/attempts/{round_id}").status_code == 404


def closed_with_an_attempt_left_open(app) -> tuple[int, int, datetime]:
    """ana's attempt, 2 of 5 answered right, left open when the assignment closed yesterday;
    returns the class id, the round id and the closing time."""
    class_id = own_class(app, "ana")
    now = utcnow()
    assignment = assignment_with(app, class_id, opens_at=now - 7 * DAY, closes_at=now - DAY)
    with app.app_context():
        found = stored_attempt(assignment, user_named("ana"), [1.0, 1.0, 0.0, None, None])
        return class_id, found.id, assignment.closes_at


def test_an_attempt_left_open_at_the_close_shows_its_score_in_full(app, teacher):
    _, round_id, closes_at = closed_with_an_attempt_left_open(app)
    page = teacher.get(f"/teach/attempts/{round_id}").get_data(as_text=True)
    assert f"Submitted</dt><dd>{closes_at.strftime('%d %b %Y, %H:%M UTC').lstrip('0')}" in page
    assert "Score</dt><dd>2 / 5" in page


def test_the_student_page_scores_an_attempt_left_open_at_the_close(app, teacher):
    class_id, _, _ = closed_with_an_attempt_left_open(app)
    with app.app_context():
        ana_id = user_named("ana").id
    page = teacher.get(f"/teach/classes/{class_id}/students/{ana_id}").get_data(as_text=True)
    (row,) = table(page, caption="Every attempt of ana").rows[1:]
    assert row[4].text == "2 / 5 (40%)"


def test_an_attempt_id_beyond_any_database_integer_is_not_found(app, teacher):
    assert teacher.get(f"/teach/attempts/{2**63}").status_code == 404


# --- a student's attempts ----------------------------------------------------------------------


def test_the_student_page_lists_that_students_attempts_only(app, teacher, book):
    with app.app_context():
        ben_id = user_named("ben").id
    page = teacher.get(f"/teach/classes/{book.class_id}/students/{ben_id}").get_data(as_text=True)
    listed = {int(n) for n in re.findall(r'href="/teach/attempts/(\d+)"', page)}
    bens = {round_id for (who, _, _), round_id in book.rounds.items() if who == "ben"}
    assert listed == bens
    rows = table(page, caption="Every attempt of ben").rows[1:]
    assert [(r[0].text, r[1].text, r[4].text) for r in rows] == [
        ("Baker in Moscow", "1", "4 / 5 (80%)"),
        ("Baker in Moscow", "2", "2 / 5 (40%)"),
        ("Genscher at Tutzing", "1", "1 / 5 (20%)"),
    ]


def test_a_student_of_another_class_is_not_found_on_this_class_page(app, teacher):
    class_id = own_class(app, "ana")
    own_class(app, "zoe", name="Year 13")
    with app.app_context():
        zoe_id = user_named("zoe").id
    response = teacher.get(f"/teach/classes/{class_id}/students/{zoe_id}")
    assert response.status_code == 404
    assert "There is no such student in this class." in response.get_data(as_text=True)


# --- the class overview ---------------------------------------------------------------------


def overview_sections(client, class_id) -> dict[str, str]:
    page = client.get(f"/teach/classes/{class_id}/overview").get_data(as_text=True)
    rows = table(page, caption="Mastery by section across the class").rows[1:]
    return {row[0].text.split()[0]: row[1].text for row in rows}


def test_the_overview_counts_only_answers_to_this_class_assignments(app, teacher):
    class_id = own_class(app, "ana")
    other_id = own_class(app, "ana", name="Year 13")
    with app.app_context():
        ana = user_named("ana")
        mine = create_assignment(db.session.get(Classroom, class_id), section="1")
        theirs = create_assignment(db.session.get(Classroom, other_id), section="1")
        stored_attempt(mine, ana, [1.0, 0.0], finished_at=utcnow())
        # The same student, in the teacher's other class: all right in sections 1 and 3.1.
        stored_attempt(
            theirs,
            ana,
            [1.0, 1.0, 1.0],
            finished_at=utcnow(),
            questions=[*questions_of("1", 2, prefix="other"), *questions_of("3.1", 1)],
        )
        # Her own practice, wrong, in section 2.1.
        practice = start_round_with(ana, questions_of("2.1", 1))
        db.session.add(
            Answer(round_item_id=practice.items[0].id, response="c2", score=0.0, correct=False)
        )
        db.session.commit()
    assert overview_sections(teacher, class_id) == {"1": "50%"}


def test_the_overview_counts_partial_credit_as_item_statistics_do(app, teacher):
    """Two thirds of the marks is 67 % on the overview, as on item statistics, not 0 %."""
    class_id = own_class(app, "ana")
    with app.app_context():
        assignment = create_assignment(db.session.get(Classroom, class_id), section="1")
        stored_attempt(assignment, user_named("ana"), [2 / 3], finished_at=utcnow())
        assignment_id = assignment.id
    assert overview_sections(teacher, class_id) == {"1": "67%"}
    statistics = teacher.get(f"/teach/assignments/{assignment_id}/statistics")
    assert "<td>67%</td>" in statistics.get_data(as_text=True)


def test_the_overview_names_the_least_understood_section_first(app, teacher):
    class_id = own_class(app, "ana", "ben")
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        assignment = create_assignment(classroom, section=None)
        questions = [*questions_of("1", 2), *questions_of("2.1", 2), *questions_of("3.1", 2)]
        for username, scores in {
            "ana": [1.0, 1.0, 0.0, 0.0, 1.0, 0.0],
            "ben": [1.0, 1.0, 0.0, 1.0, 1.0, 1.0],
        }.items():
            stored_attempt(
                assignment, user_named(username), scores, finished_at=utcnow(), questions=questions
            )
    page = teacher.get(f"/teach/classes/{class_id}/overview").get_data(as_text=True)
    least = page.split("Least understood:")[1].split("</p>")[0]
    named = re.findall(r'<a href="[^"]*">([\d.]+) [^<]*</a> \((\d+%), (\d+) students?\)', least)
    assert named == [("2.1", "25%", "2"), ("3.1", "75%", "2"), ("1", "100%", "2")]


def test_the_overview_leaves_out_a_test_still_under_way(app, teacher):
    class_id = own_class(app, "ana")
    with app.app_context():
        assignment = create_assignment(db.session.get(Classroom, class_id), mode="test")
        stored_attempt(assignment, user_named("ana"), [1.0, 0.0, None])
    page = teacher.get(f"/teach/classes/{class_id}/overview").get_data(as_text=True)
    assert "No answers to this class's assignments yet." in page


def test_the_overview_counts_a_test_left_open_when_its_assignment_closed(app, teacher):
    class_id = own_class(app, "ana")
    now = utcnow()
    with app.app_context():
        assignment = create_assignment(
            db.session.get(Classroom, class_id),
            mode="test",
            opens_at=now - 7 * DAY,
            closes_at=now - DAY,
        )
        stored_attempt(assignment, user_named("ana"), [1.0, 0.0, None], started_at=now - 3 * DAY)
    cells = gradebook_cells(
        teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    )
    assert cells["ana", "Baker in Moscow"].text == "33%"
    assert overview_sections(teacher, class_id) == {"1": "50%"}


# --- who may see the reports -----------------------------------------------------------------


@pytest.fixture
def reports(app, teacher, book) -> list[str]:
    """Every report path of tess's class."""
    with app.app_context():
        ana_id = user_named("ana").id
        assignment_id = db.session.scalar(select(Assignment.id).limit(1))
    round_id = book.rounds["ana", "Baker in Moscow", 1]
    base = f"/teach/classes/{book.class_id}"
    return [
        f"{base}/gradebook",
        f"{base}/gradebook.csv",
        f"{base}/responses.csv",
        f"{base}/overview",
        f"{base}/students/{ana_id}",
        f"/teach/attempts/{round_id}",
        f"/teach/assignments/{assignment_id}/statistics",
    ]


def test_the_teacher_reaches_every_report_of_their_class(app, teacher, reports):
    assert {path: teacher.get(path).status_code for path in reports} == dict.fromkeys(reports, 200)


def test_a_student_of_the_class_gets_403_on_every_report(app, reports):
    ana = logged_in(app, "ana")
    assert {path: ana.get(path).status_code for path in reports} == dict.fromkeys(reports, 403)


def test_another_teacher_gets_404_on_every_report(app, reports):
    with app.app_context():
        create_teacher("olga")
    olga = logged_in(app, "olga")
    assert {path: olga.get(path).status_code for path in reports} == dict.fromkeys(reports, 404)


def test_an_anonymous_visitor_is_sent_to_log_in_from_every_report(app, reports):
    anonymous = app.test_client()
    for path in reports:
        response = anonymous.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


# --- the due time on the assignment form ---------------------------------------------------------


def assignment_form(**changes) -> dict:
    return {
        "title": "Due soon",
        "mode": "practice",
        "attempts_allowed": "1",
        "source": "scope",
        "scope": "section:1",
        "length": "5",
    } | changes


def test_the_due_time_typed_on_the_form_is_saved_as_utc(app, teacher):
    class_id = own_class(app)
    response = teacher.post(
        f"/teach/classes/{class_id}/assignments/new",
        data=assignment_form(
            opens_at="2030-01-01T09:00", due_at="2030-01-08T17:30", closes_at="2030-01-15T09:00"
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(Assignment))
        assert saved.due_at.isoformat() == "2030-01-08T17:30:00+00:00"


def test_an_assignment_without_due_time_has_none(app, teacher):
    class_id = own_class(app)
    teacher.post(f"/teach/classes/{class_id}/assignments/new", data=assignment_form())
    with app.app_context():
        assert db.session.scalar(select(Assignment)).due_at is None


@pytest.mark.parametrize(
    ("times", "message"),
    [
        (
            {"opens_at": "2030-01-08T09:00", "due_at": "2030-01-01T09:00"},
            "The due time must come after the opening time.",
        ),
        (
            {"opens_at": "2030-01-08T09:00", "due_at": "2030-01-08T09:00"},
            "The due time must come after the opening time.",
        ),
        (
            {"closes_at": "2030-01-08T09:00", "due_at": "2030-01-08T09:01"},
            "The due time cannot come after the closing time.",
        ),
    ],
)
def test_a_due_time_outside_the_window_is_refused_and_nothing_is_written(
    app, teacher, times, message
):
    class_id = own_class(app)
    response = teacher.post(
        f"/teach/classes/{class_id}/assignments/new", data=assignment_form(**times)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_a_due_time_before_an_opening_left_empty_for_now_is_refused(app, teacher):
    class_id = own_class(app)
    yesterday = (utcnow() - DAY).strftime("%Y-%m-%dT%H:%M")
    response = teacher.post(
        f"/teach/classes/{class_id}/assignments/new", data=assignment_form(due_at=yesterday)
    )
    assert response.status_code == 400
    assert "The due time must come after the opening time." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_the_due_time_shows_under_its_assignment_in_the_gradebook(app, teacher):
    class_id = own_class(app, "ana")
    assignment_with(
        app, class_id, opens_at=utcnow() - DAY, due_at=datetime.fromisoformat("2031-03-09T14:05Z")
    )
    page = teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    assert (
        table(page, css="gradebook").rows[0][1].text == "Baker in Moscow due 9 Mar 2031, 14:05 UTC"
    )


def test_the_teachers_view_of_an_attempt_marks_each_choice(app, teacher):
    class_id = own_class(app, "ana")
    student = logged_in(app, "ana")
    with app.app_context():
        row = question_store.create_question(user_named("tess"), make_question("multiple"))
        classroom = db.session.get(Classroom, class_id)
        assignment_id = create_assignment(
            classroom, title="Ticks", mode="test", question_ids=[row.public_id]
        ).id
        db.session.commit()
    round_id = round_of(student.post(f"/assignments/{assignment_id}/attempts"))
    with app.app_context():
        question = db.session.get(Round, round_id).items[0].question
    ticked = [c.id for c in question.choices if c.text in ("James Baker", "Helmut Kohl")]
    student.post(f"/rounds/{round_id}/questions/1", data={"choice": ticked})
    page = teacher.get(f"/teach/attempts/{round_id}").get_data(as_text=True)
    assert 'class="mark">Right:</strong> James Baker' in page
    assert 'class="mark">Wrong:</strong> Helmut Kohl' in page
    assert 'class="mark">Wrong:</strong> Hans-Dietrich Genscher' in page
