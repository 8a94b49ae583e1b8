"""A timed test's "Time left" in Chromium: the timer is found by its role and its quoted
name, on the question pages and the "Summary of attempt", with JavaScript on and off."""

import pytest
from playwright.sync_api import expect

from quizapp import current_bank
from quizapp.domain.questions import QuestionType
from quizapp.models import MODE_TEST
from tests.e2e.test_teacher_journey import log_in
from tests.factories import (
    PASSWORD,
    create_assignment,
    create_classroom,
    create_user,
    enroll,
)

TITLE = "Timed Tutzing test"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_time_left_is_a_timer_named_time_left(browser, server, live_app, javascript):
    student = f"timer-tim-{'js' if javascript else 'nojs'}"
    with live_app.app_context():
        classroom = create_classroom(create_user(f"{student}-teacher", role="teacher"))
        enroll(classroom, create_user(student))
        ids = [q.id for q in current_bank().questions if q.type is QuestionType.SINGLE][:2]
        create_assignment(
            classroom,
            title=TITLE,
            mode=MODE_TEST,
            question_ids=ids,
            length=2,
            time_limit_minutes=30,
        )
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, server, student, PASSWORD)
    page.get_by_role("button", name=f"Start {TITLE}").click()
    expect(page.get_by_role("timer", name="Time left")).to_contain_text("29:")
    page.get_by_role("button", name="Next page").click()
    page.get_by_role("button", name="Finish attempt…").click()
    expect(page.get_by_role("heading", name="Summary of attempt")).to_be_visible()
    expect(page.get_by_role("timer", name="Time left")).to_be_visible()
    context.close()
