"""Regrading in Chromium: a teacher changes the key of a question a student has answered in a
test, opens "Regrade attempts" from the question page, reads the dry run, applies it and finds
it in the regrade history; axe on the regrade page before and after."""

import re

from playwright.sync_api import Page, expect

from quizapp import attempt_store, current_bank, question_store
from quizapp.domain.grading import grade
from quizapp.extensions import db
from quizapp.models import MODE_TEST, utcnow
from tests.e2e.test_student_journey import assert_accessible
from tests.e2e.test_teacher_journey import log_in
from tests.factories import (
    create_assignment,
    create_classroom,
    create_user,
    enroll,
    make_question,
    user_named,
)


def taken_test(live_app, teacher: str, student: str) -> int:
    """`student` picked Helmut Kohl (wrong: James Baker is the key) in a submitted test on
    `teacher`'s question: the question's id."""
    with live_app.app_context():
        tess = user_named(teacher)
        row = question_store.create_question(tess, make_question("single"))
        classroom = create_classroom(tess, "Year 13, regrading")
        ria = create_user(student)
        enroll(classroom, ria)
        assignment = create_assignment(
            classroom, title="Regrade test", mode=MODE_TEST, question_ids=[row.public_id]
        )
        attempt = attempt_store.start_attempt(ria, assignment, current_bank(), utcnow(), seed=2)
        db.session.commit()
        item = attempt.items[0]
        kohl = next(c.id for c in item.question.choices if c.text == "Helmut Kohl")
        attempt_store.answer(attempt.id, item.id, kohl, grade(item.question, kohl), utcnow())
        attempt_store.submit(attempt.id, utcnow())
        db.session.commit()
        return row.id


def test_a_teacher_fixes_a_key_and_regrades_the_attempts(
    page: Page, server, live_app, create_teacher
):
    password = create_teacher("rg-tess")
    question_id = taken_test(live_app, "rg-tess", "rg-ria")
    log_in(page, server, "rg-tess", password)
    page.goto(f"{server}/teach/questions/{question_id}")

    page.get_by_role("link", name="Edit").click()
    page.get_by_role("checkbox", name="Option 1 is correct").uncheck()
    page.get_by_role("checkbox", name="Option 2 is correct").check()
    page.get_by_role("button", name="Save the question").click()
    expect(page.locator(".flash")).to_have_text("Saved as version 2.")
    expect(page.locator(".notice")).to_contain_text(
        "1 attempt used an earlier version of this question."
    )

    page.get_by_role("link", name="Regrade attempts").click()
    expect(page.get_by_role("heading", name="Regrade attempts", level=1)).to_be_visible()
    row = page.get_by_role("row", name=re.compile("^rg-ria"))
    expect(row).to_contain_text("Regrade test, attempt 1")
    expect(row.get_by_role("cell").nth(2)).to_have_text("0")  # old mark
    expect(row.get_by_role("cell").nth(3)).to_have_text("1")  # new mark
    assert_accessible(page, "regrade page, dry run")

    page.get_by_role("button", name="Apply regrade").click()
    expect(page.locator(".flash")).to_have_text(
        "Regraded by version 2: 1 mark changed, 0 unchanged, 0 manual marks kept, 0 cannot regrade."
    )
    history = page.get_by_role("region", name="Regrade history")
    expect(history).to_contain_text("rg-ria, Regrade test, attempt 1: 0 → 1")
    expect(page.get_by_role("button", name="Apply regrade")).to_have_count(0)
    assert_accessible(page, "regrade page after applying")

    page.get_by_role("link", name=f"Question t-{question_id}").click()
    expect(page.get_by_role("link", name="Regrade attempts")).to_have_count(0)
    expect(page.get_by_role("region", name="Regrade history")).to_contain_text("by rg-tess")
