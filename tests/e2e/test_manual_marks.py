"""Manual marks in Chromium: a teacher, with the keyboard alone, overrides the mark of a
question of a submitted test with a comment on the attempt page (a mark out of range first,
refused in place); the student opens the review of the attempt and reads the teacher's
mark and comment, and the score that counts it. axe on the attempt page (with the error,
then with the mark and its history) and on the student's review."""

import re

from playwright.sync_api import Page, expect

from quizapp.extensions import db
from quizapp.models import MODE_TEST, utcnow
from tests.e2e.test_student_journey import assert_accessible, tab_to
from tests.e2e.test_teacher_journey import log_in
from tests.factories import (
    DAY,
    PASSWORD,
    create_assignment,
    create_classroom,
    create_user,
    enroll,
    stored_attempt,
)

COMMENT = "Genscher, not Baker, but the year is right: half a mark."


def seed_submitted_test(live_app) -> int:
    """mm-sam's submitted test in mm-tia's class, scored [1, 0, 0.5]; its round id."""
    with live_app.app_context():
        teacher = create_user("mm-tia", PASSWORD, role="teacher")
        student = create_user("mm-sam", PASSWORD)
        classroom = create_classroom(teacher, "Year 12, marks")
        enroll(classroom, student)
        assignment = create_assignment(
            classroom, title="Reunification test", mode=MODE_TEST, section="1", length=3
        )
        a_round = stored_attempt(assignment, student, [1.0, 0.0, 0.5], finished_at=utcnow() - DAY)
        db.session.commit()
        return a_round.id


def type_into(page: Page, locator, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_a_teacher_overrides_a_mark_by_keyboard_and_the_student_reads_it(
    page: Page, new_context, server, live_app
):
    round_id = seed_submitted_test(live_app)
    log_in(page, server, "mm-tia", PASSWORD)
    page.goto(f"{server}/teach/attempts/{round_id}")
    expect(page.get_by_role("heading", name="Mark history")).to_be_visible()
    expect(page.get_by_text("No mark of this attempt has been changed.")).to_be_visible()

    mark = page.get_by_label("Mark for question 2 (0 to 1)")
    second = page.get_by_role("group", name="Override the mark of question 2")
    # A mark out of range: refused, with the reason beside the field.
    type_into(page, mark, "2")
    tab_to(page, second.get_by_role("button", name="Override mark"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter the mark as a number from 0 to 1 with at most two decimals, such as 0.75."
    )
    expect(page.get_by_label("Mark for question 2 (0 to 1)")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page, "attempt page with a refused mark")

    type_into(page, page.get_by_label("Mark for question 2 (0 to 1)"), "0.75")
    type_into(page, second.get_by_label("Comment"), COMMENT)
    tab_to(page, second.get_by_role("button", name="Override mark"))
    page.keyboard.press("Enter")

    expect(page.locator(".flash")).to_have_text("Mark for question 2 saved: 0.75.")
    # The page comes back at question 2 with the focus there, not at the top of the page.
    expect(page.locator("#question-2")).to_be_focused()
    expect(page.locator(".facts")).to_contain_text("2.25 / 3")
    marker = re.compile(r"Teacher's mark by mm-tia \(automatic grade: 0\)")
    expect(page.get_by_text(marker)).to_be_visible()
    history = page.get_by_role("table", name=re.compile("^Every change of a mark"))
    row = history.get_by_role("row").nth(1)
    expect(row).to_contain_text("mm-tia")
    expect(row).to_contain_text("Question 2")
    expect(row).to_contain_text("0 → 0.75")
    expect(row).to_contain_text(COMMENT)
    expect(page.get_by_label("Mark for question 2 (0 to 1)")).to_have_value("0.75")
    assert_accessible(page, "attempt page with a teacher's mark and its history")

    student = new_context().new_page()
    log_in(student, server, "mm-sam", PASSWORD)
    student.goto(f"{server}/review/rounds/{round_id}")
    expect(student.locator(".score-line")).to_contain_text("Your score: 2.25 out of 3")
    expect(student.get_by_text(re.compile("^Your teacher's mark: 0.75 out of 1"))).to_contain_text(
        COMMENT
    )
    assert_accessible(student, "the student's review with a teacher's mark")
