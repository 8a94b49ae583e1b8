"""Item statistics of an assignment: facility, spread, discrimination and flags per question
version, over the attempts the teacher chooses.

The table reader is shared with tests/test_reports.py.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp import attempt_store, current_bank, question_store
from quizapp.domain.grading import grade
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, utcnow
from tests.factories import create_assignment, create_teacher, make_question, own_class, user_named
from tests.pages import table

RIGHT = "James Baker"  # the key of make_question("single"); the other options are wrong


def own_questions(app, *prompts: str) -> list[int]:
    """Tess's single-choice questions with these prompts; their row ids."""
    with app.app_context():
        tess = user_named("tess")
        rows = [
            question_store.create_question(tess, make_question("single", prompt=prompt))
            for prompt in prompts
        ]
        db.session.commit()
        return [row.id for row in rows]


def assignment_of(app, class_id: int, question_ids: list[str], **fields) -> int:
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        return create_assignment(classroom, question_ids=question_ids, **fields).id


def play(app, assignment_id: int, username: str, picks: list[str | None]) -> int:
    """`username` starts an attempt and picks these option texts in order (None: leaves the
    question unanswered); an attempt with every question answered is then submitted (a
    test's, as "Submit all and finish" does; a practice one's, by its last answer)."""
    with app.app_context():
        student = user_named(username)
        assignment = db.session.get(Assignment, assignment_id)
        attempt = attempt_store.start_attempt(student, assignment, current_bank(), utcnow(), seed=7)
        db.session.commit()
        for item, pick in zip(attempt.items, picks, strict=True):
            if pick is None:
                continue
            q = item.question
            response = next(c.id for c in q.choices if c.text == pick)
            attempt_store.answer(attempt.id, item.id, response, grade(q, response), utcnow())
            db.session.commit()
        if None not in picks:
            attempt_store.submit(attempt.id, utcnow())
            db.session.commit()
        return attempt.id


def statistics(client, assignment_id: int, attempts: str | None = None):
    query = f"?attempts={attempts}" if attempts else ""
    return client.get(f"/teach/assignments/{assignment_id}/statistics{query}")


def stats_rows(page: str) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table(page, css="item-stats").rows[1:]]


def spread(page: str, number: int) -> list[list[str]]:
    rows = table(page, caption=f"Answers given to question {number}").rows[1:]
    return [[cell.text for cell in row] for row in rows]


def item_section(page: str, number: int) -> str:
    return page.split(f'<section id="item-{number}"')[1].split("</section>")[0]


# --- one analysed test, worked by hand -----------------------------------------------------------

PROMPTS = {
    "E": "Easy: who spoke of “not one inch”?",
    "H": "Hard: who wrote the minutes?",
    "P": "Who met Gorbachev on 9 February?",
    "Q": "Who was Secretary of State?",
    "N": "Who spoke in Moscow, per the archive?",
}

# Item scores of each student's one attempt (1 right, 0 wrong), questions in this order:
#          E  H  P  Q  N   total
#   ana    1  0  0  0  1   2
#   ben    1  0  0  0  0   1
#   cai    1  0  1  1  0   3
#   dan    1  0  1  1  0   3
# Totals: mean 9/4 = 2.25; deviations -0.25 -1.25 0.75 0.75, squares sum 2.75, sample SD
# sqrt(2.75 / 3) = 0.957 -> "0.96".
# E: facility 4/4 = 100%; every score equal, so SD 0 and no discrimination ("—"); too easy.
# H: facility 0/4 = 0%; SD 0, discrimination "—"; too hard.
# P (and Q alike): facility 2/4 = 50%; SD sqrt(((0.5^2) * 4) / 3) = sqrt(1/3) = 0.577 -> "0.58".
#   Rest of test (total - P) = 2 1 2 2, mean 1.75, deviations 0.25 -0.75 0.25 0.25;
#   P deviations -0.5 -0.5 0.5 0.5. Sxy = -0.125 + 0.375 + 0.125 + 0.125 = 0.5,
#   Sxx = 1, Syy = 0.0625 + 0.5625 + 0.0625 + 0.0625 = 0.75: r = 0.5 / sqrt(0.75) = 0.577.
# N: facility 1/4 = 25%; SD sqrt((0.75^2 + 3 * 0.25^2) / 3) = sqrt(0.25) = 0.50.
#   Rest of test = 1 1 3 3, mean 2, deviations -1 -1 1 1; N deviations 0.75 -0.25 -0.25 -0.25.
#   Sxy = -0.75 + 0.25 - 0.25 - 0.25 = -1, Sxx = 0.75, Syy = 4: r = -1 / sqrt(3) = -0.577:
#   negative discrimination.
PICKS = {
    "ana": [RIGHT, "Helmut Kohl", "Helmut Kohl", "Helmut Kohl", RIGHT],
    "ben": [RIGHT, "Helmut Kohl", "Helmut Kohl", "Helmut Kohl", "Helmut Kohl"],
    "cai": [RIGHT, "Helmut Kohl", RIGHT, RIGHT, "Helmut Kohl"],
    "dan": [RIGHT, "Helmut Kohl", RIGHT, RIGHT, "George H.W. Bush"],
}


@pytest.fixture
def analysed(app, teacher) -> tuple[int, list[int]]:
    """The assignment of the table above, and its questions' row ids in order; eve has
    an attempt still under way, which is not analysed."""
    class_id = own_class(app, *PICKS, "eve")
    row_ids = own_questions(app, *PROMPTS.values())
    assignment_id = assignment_of(app, class_id, [f"t-{i}" for i in row_ids], mode="test")
    for username, picks in PICKS.items():
        play(app, assignment_id, username, picks)
    play(app, assignment_id, "eve", ["Helmut Kohl", RIGHT, None, None, None])
    return assignment_id, row_ids


@pytest.fixture
def analysed_twice(app, teacher) -> int:
    """The same test taken by twice as many students, each pick of the table above made by
    two of them: enough attempts to judge, with the same facilities and correlations."""
    twins = {f"{name}{n}": picks for name, picks in PICKS.items() for n in (1, 2)}
    class_id = own_class(app, *twins)
    row_ids = own_questions(app, *PROMPTS.values())
    assignment_id = assignment_of(app, class_id, [f"t-{i}" for i in row_ids], mode="test")
    for username, picks in twins.items():
        play(app, assignment_id, username, picks)
    return assignment_id


def test_facility_sd_and_discrimination_are_printed_as_worked_by_hand(app, teacher, analysed):
    assignment_id, _ = analysed
    rows = stats_rows(statistics(teacher, assignment_id).get_data(as_text=True))
    assert [row[:5] for row in rows] == [
        [f"{PROMPTS['E']} (version 1)", "4", "100%", "0.00", "—"],
        [f"{PROMPTS['H']} (version 1)", "4", "0%", "0.00", "—"],
        [f"{PROMPTS['P']} (version 1)", "4", "50%", "0.58", "0.58"],
        [f"{PROMPTS['Q']} (version 1)", "4", "50%", "0.58", "0.58"],
        [f"{PROMPTS['N']} (version 1)", "4", "25%", "0.50", "-0.58"],
    ]


def test_the_summary_counts_submitted_attempts_only(app, teacher, analysed):
    assignment_id, _ = analysed
    page = statistics(teacher, assignment_id).get_data(as_text=True)
    assert "4 submitted attempts analysed (each student&#39;s first attempt)." in page
    assert "Mean score 2.25 out of 5, standard deviation 0.96." in page
    assert "0 questions flagged." in page


def test_four_attempts_are_too_few_to_judge_any_item(app, teacher, analysed):
    """Below five attempts nothing is flagged, not even an item nobody got right."""
    rows = stats_rows(statistics(teacher, analysed[0]).get_data(as_text=True))
    assert [row[5] for row in rows] == ["Too few attempts to judge"] * 5


def test_an_item_everyone_gets_right_is_flagged_too_easy(app, teacher, analysed_twice):
    page = statistics(teacher, analysed_twice).get_data(as_text=True)
    assert "8 submitted attempts analysed" in page and "3 questions flagged." in page
    assert stats_rows(page)[0][5] == "Too easy (facility above 95%)"


def test_an_item_nobody_gets_right_is_flagged_too_hard(app, teacher, analysed_twice):
    rows = stats_rows(statistics(teacher, analysed_twice).get_data(as_text=True))
    assert rows[1][5] == "Too hard (facility below 20%)"


def test_an_item_stronger_students_miss_is_flagged_as_discriminating_negatively(
    app, teacher, analysed_twice
):
    rows = stats_rows(statistics(teacher, analysed_twice).get_data(as_text=True))
    assert rows[4][5] == "Discriminates negatively: stronger students did worse on it"
    assert [rows[2][5], rows[3][5]] == ["", ""]


def test_each_item_links_to_the_editor_of_its_question(app, teacher, analysed):
    assignment_id, row_ids = analysed
    page = statistics(teacher, assignment_id).get_data(as_text=True)
    for number, row_id in enumerate(row_ids, start=1):
        section = item_section(page, number)
        assert f'<a href="/teach/questions/{row_id}/edit">Edit this question' in section


def test_the_spread_counts_each_answer_and_options_nobody_chose(app, teacher, analysed):
    page = statistics(teacher, analysed[0]).get_data(as_text=True)
    assert spread(page, 5) == [
        ["Helmut Kohl", "No", "2", "50%"],
        ["George H.W. Bush", "No", "1", "25%"],
        ["James Baker", "Yes", "1", "25%"],
        ["Hans-Dietrich Genscher", "No", "0", "0%"],
    ]
    chosen, *unchosen = spread(page, 2)
    assert chosen == ["Helmut Kohl", "No", "4", "100%"]
    # Options nobody chose follow, in the order the question showed them.
    assert sorted(unchosen) == [
        ["George H.W. Bush", "No", "0", "0%"],
        ["Hans-Dietrich Genscher", "No", "0", "0%"],
        ["James Baker", "Yes", "0", "0%"],
    ]


# --- which attempts ---------------------------------------------------------------------------


@pytest.fixture
def retried(app, teacher) -> int:
    """One question, unlimited attempts: ana wrong then right, ben wrong then right,
    cai right then wrong."""
    class_id = own_class(app, "ana", "ben", "cai")
    (row_id,) = own_questions(app, "Who spoke of “not one inch”?")
    assignment_id = assignment_of(app, class_id, [f"t-{row_id}"], attempts_allowed=0)
    for username, picks in {
        "ana": ["Helmut Kohl", RIGHT],
        "ben": ["Helmut Kohl", RIGHT],
        "cai": [RIGHT, "Helmut Kohl"],
    }.items():
        for pick in picks:
            play(app, assignment_id, username, [pick])
    return assignment_id


@pytest.mark.parametrize(
    ("attempts", "analysed_count", "facility"),
    [
        ("first", "3", "33%"),  # ana 0, ben 0, cai 1
        ("last", "3", "67%"),  # ana 1, ben 1, cai 0
        ("best", "3", "100%"),  # ana 1, ben 1, cai 1
        ("all", "6", "50%"),  # 0 1 0 1 1 0
    ],
)
def test_the_attempts_choice_changes_which_attempts_are_analysed(
    app, teacher, retried, attempts, analysed_count, facility
):
    page = statistics(teacher, retried, attempts).get_data(as_text=True)
    (row,) = stats_rows(page)
    assert row[1:3] == [analysed_count, facility]
    assert f"{analysed_count} submitted attempts analysed" in page


def test_each_students_first_attempt_is_analysed_unless_told_otherwise(app, teacher, retried):
    page = statistics(teacher, retried).get_data(as_text=True)
    assert stats_rows(page)[0][1:3] == ["3", "33%"]
    assert '<option value="first" selected>' in page


@pytest.mark.parametrize("attempts", ["worst", "First", "1"])
def test_an_unknown_attempts_value_is_refused_naming_the_allowed_ones(
    app, teacher, retried, attempts
):
    response = statistics(teacher, retried, attempts)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "must be one of first, best, last, all" in page
    assert "item-stats" not in page


# --- versions and library questions -----------------------------------------------------------


def test_an_edited_question_is_analysed_per_version(app, teacher):
    class_id = own_class(app, "ana", "ben", "cai")
    (row_id,) = own_questions(app, "Old wording?")
    assignment_id = assignment_of(app, class_id, [f"t-{row_id}"], attempts_allowed=0)
    play(app, assignment_id, "ana", [RIGHT])
    play(app, assignment_id, "ben", ["Helmut Kohl"])
    with app.app_context():
        row = question_store.own_question_or_404(row_id, user_named("tess"))
        version = question_store.update_question(row, make_question("single", prompt="New?"))
        db.session.commit()
        assert version.number == 2
    play(app, assignment_id, "cai", [RIGHT])
    play(app, assignment_id, "ana", [RIGHT])
    play(app, assignment_id, "ben", [RIGHT])
    page = statistics(teacher, assignment_id, "all").get_data(as_text=True)
    assert [row[:3] for row in stats_rows(page)] == [
        ["Old wording? (version 1)", "2", "50%"],
        ["New? (version 2)", "3", "100%"],
    ]
    for number in (1, 2):
        assert f'href="/teach/questions/{row_id}/edit"' in item_section(page, number)


def test_a_library_question_links_to_the_library_not_an_editor(app, teacher):
    class_id = own_class(app, "ana")
    with app.app_context():
        library = next(q for q in current_bank().questions if q.type is QuestionType.SINGLE)
        key = library.choice_text(library.answer)
    assignment_id = assignment_of(app, class_id, [library.id])
    play(app, assignment_id, "ana", [key])
    page = statistics(teacher, assignment_id).get_data(as_text=True)
    section = item_section(page, 1)
    assert f'href="/teach/library/{library.id}"' in section
    assert "Edit this question" not in section
    assert stats_rows(page)[0][0] == library.prompt


def test_an_assignment_nobody_submitted_says_so(app, teacher):
    class_id = own_class(app, "ana")
    (row_id,) = own_questions(app, "Who?")
    with app.app_context():
        assignment = create_assignment(
            db.session.get(Classroom, class_id), question_ids=[f"t-{row_id}"], mode="test"
        )
        assignment_id = assignment.id
    play(app, assignment_id, "ana", [None])
    page = statistics(teacher, assignment_id).get_data(as_text=True)
    assert "No submitted attempt to analyse yet." in page


def test_another_teachers_assignment_has_no_statistics_for_you(app, client, auth, analysed):
    with app.app_context():
        create_teacher("olga")
        assignment_ids = db.session.scalars(select(Assignment.id)).all()
    auth.logout()
    auth.login("olga")
    for assignment_id in assignment_ids:
        assert client.get(f"/teach/assignments/{assignment_id}/statistics").status_code == 404
