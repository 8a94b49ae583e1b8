"""A student takes a test as in Moodle, keyboard only, with JavaScript on and off: skip
question 1, answer 2, flag 3, back to 1 by "Quiz navigation", change an answer, "Summary of
attempt", "Return to attempt", then "Submit all and finish"; the review and the teacher's
gradebook agree. axe-core on every new page."""

import re

import pytest
from playwright.sync_api import Page, expect

from quizapp import current_bank
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import MODE_TEST, Round
from tests.e2e.conftest import DOCS
from tests.e2e.test_student_journey import (
    assert_accessible,
    assert_accessible_as_served,
    tab_to,
)
from tests.e2e.test_teacher_journey import log_in
from tests.factories import (
    PASSWORD,
    create_assignment,
    create_classroom,
    create_user,
    enroll,
    user_named,
)

TITLE = "Tutzing test"


def set_up_test(live_app, teacher: str, student: str) -> int:
    """A teacher's class holding `student`, with a test of three single-choice questions:
    the class id."""
    with live_app.app_context():
        classroom = create_classroom(create_user(teacher, role="teacher"), f"Class of {teacher}")
        enroll(classroom, create_user(student))
        ids = [q.id for q in current_bank().questions if q.type is QuestionType.SINGLE][:3]
        create_assignment(classroom, title=TITLE, mode=MODE_TEST, question_ids=ids, length=3)
        return classroom.id


def options(live_app, student: str) -> list[tuple[str, str]]:
    """(right option, a wrong option) of each question of the student's attempt, as shown."""
    with live_app.app_context():
        a_round = db.session.scalar(db.select(Round).where(Round.user == user_named(student)))
        pairs = []
        for item in a_round.items:
            q = item.question
            wrong = next(c for c in q.choices if c.id != q.answer)
            pairs.append((q.choice_text(q.answer), wrong.text))
        return pairs


def press(page: Page, locator) -> None:
    """Tab to a button or link and press Enter, as a keyboard user does."""
    tab_to(page, locator)
    page.keyboard.press("Enter")


def choose(page: Page, text: str) -> None:
    """Pick the option labelled `text` by keyboard: Tab into the radio group, then arrows."""
    target = page.get_by_label(text, exact=True)
    checked = page.locator('input[name="choice"]:checked')
    tab_to(page, checked if checked.count() else page.locator('input[name="choice"]').first)
    if not checked.count():
        page.keyboard.press("Space")
    for _ in range(8):
        if target.is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrows never reached {text!r}")


def navigation(page: Page):
    return page.get_by_role("navigation", name="Quiz navigation")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_student_takes_a_test_by_keyboard_and_the_gradebook_agrees(
    browser, server, live_app, javascript
):
    suffix = "js" if javascript else "nojs"
    teacher, student = f"test-tess-{suffix}", f"test-theo-{suffix}"
    class_id = set_up_test(live_app, teacher, student)
    check_accessible = assert_accessible if javascript else assert_accessible_as_served
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, server, student, PASSWORD)
    press(page, page.get_by_role("button", name=f"Start {TITLE}"))
    expect(page.locator("#progress-label")).to_have_text("Question 1 of 3")
    expect(
        navigation(page).get_by_role("button", name="Question 1, not yet answered")
    ).to_be_visible()
    check_accessible(page, "a question of a test")
    right = options(live_app, student)

    # Question 1 skipped, 2 answered (wrongly at first), 3 flagged.
    press(page, page.get_by_role("button", name="Next page"))
    expect(page.locator("#progress-label")).to_have_text("Question 2 of 3")
    choose(page, right[1][1])
    press(page, page.get_by_role("button", name="Next page"))
    expect(page.locator("#progress-label")).to_have_text("Question 3 of 3")
    press(page, page.get_by_role("button", name="Flag question"))
    expect(page.get_by_role("button", name="Remove flag")).to_be_visible()
    nav = navigation(page)
    expect(nav.get_by_role("button", name="Question 1, not yet answered")).to_be_visible()
    expect(nav.get_by_role("button", name="Question 2, answer saved")).to_be_visible()
    expect(nav.get_by_role("button", name="Question 3, flagged, not yet answered")).to_be_visible()
    check_accessible(page, "a flagged question of a test")
    if javascript:  # the README's picture of the navigation
        page.screenshot(path=str(DOCS / "quiz-navigation.png"), full_page=True)

    # Back to 1 by the navigation; answer it; change the answer of 2.
    press(page, nav.get_by_role("button", name="Question 1, not yet answered"))
    expect(page.locator("#progress-label")).to_have_text("Question 1 of 3")
    choose(page, right[0][0])
    press(page, navigation(page).get_by_role("button", name="Question 2, answer saved"))
    expect(page.get_by_label(right[1][1], exact=True)).to_be_checked()
    choose(page, right[1][0])
    press(page, page.get_by_role("button", name="Next page"))
    expect(page.get_by_role("button", name="Next page")).to_have_count(0)
    press(page, page.get_by_role("button", name="Finish attempt…"))

    expect(page.get_by_role("heading", name="Summary of attempt")).to_be_visible()
    rows = page.locator("table.attempt-summary tbody tr")
    expect(rows.nth(0)).to_contain_text("Answer saved")
    expect(rows.nth(1)).to_contain_text("Answer saved")
    expect(rows.nth(2)).to_contain_text("Not yet answered")
    expect(rows.nth(2)).to_contain_text("Flagged")
    expect(page.locator(".verdict-small")).to_have_count(0)
    check_accessible(page, "summary of attempt")
    press(page, page.get_by_role("button", name="Return to attempt"))
    expect(page.locator("#progress-label")).to_have_text("Question 3 of 3")
    press(page, page.get_by_role("button", name="Finish attempt…"))
    press(page, page.get_by_role("button", name="Submit all and finish"))

    expect(page.get_by_role("heading", name="Round complete")).to_be_visible()
    expect(page.locator(".score")).to_have_text("2 out of 3")
    verdicts = page.locator("ol.recap > li")
    expect(verdicts.nth(0).locator(".verdict-small")).to_have_text("Right")
    expect(verdicts.nth(1).locator(".verdict-small")).to_have_text("Right")
    expect(verdicts.nth(2)).to_contain_text("Not answered.")
    check_accessible(page, "a submitted test's review")
    context.close()

    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, server, teacher, PASSWORD)
    page.goto(f"{server}/teach/classes/{class_id}/gradebook")
    row = page.locator("table.gradebook tbody tr").filter(
        has=page.get_by_role("rowheader", name=student, exact=True)
    )
    expect(row.locator("td").first.get_by_role("link")).to_have_text(re.compile(r"^\s*67%,"))
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_flagging_a_question_keeps_the_focus_on_the_toggle_and_says_so(
    browser, server, live_app, javascript
):
    suffix = "js" if javascript else "nojs"
    student = f"flag-fern-{suffix}"
    set_up_test(live_app, f"flag-fay-{suffix}", student)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, server, student, PASSWORD)
    press(page, page.get_by_role("button", name=f"Start {TITLE}"))
    press(page, page.get_by_role("button", name="Flag question"))
    expect(page.get_by_role("button", name="Remove flag")).to_be_focused()
    expect(page.get_by_role("status")).to_have_text("Question 1 is flagged.")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Flag question")).to_be_focused()
    expect(page.get_by_role("status")).to_have_text("Question 1 is no longer flagged.")
    context.close()


def test_a_year_half_typed_gets_the_apps_message_not_the_browsers(browser, server, live_app):
    """The year field's pattern is a hint to the phone's keyboard, not a gate: "89" and
    "Next page" reach the server, which says what a year is (the browser's own bubble
    blocked every button of the page, "Quiz navigation" included, in its own words)."""
    with live_app.app_context():
        classroom = create_classroom(create_user("year-yves", role="teacher"), "Year class")
        enroll(classroom, create_user("year-yola"))
        year = next(q.id for q in current_bank().questions if q.type is QuestionType.YEAR)
        create_assignment(classroom, title=TITLE, mode=MODE_TEST, question_ids=[year], length=1)
    page = browser.new_context().new_page()
    log_in(page, server, "year-yola", PASSWORD)
    press(page, page.get_by_role("button", name=f"Start {TITLE}"))
    page.get_by_label("Year (four digits)").fill("89")
    page.get_by_role("button", name="Finish attempt…").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a year between")
    expect(page.get_by_label("Year (four digits)")).to_have_value("89")
    page.context.close()
