"""After a refused form, the focus lands on what went wrong, in Chromium: a screen reader
reads the error first, and the next Tab reaches the way to fix it."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_student_journey import answer_with_keyboard
from tests.e2e.test_teacher_journey import GIFT_FILE, log_in
from tests.factories import PASSWORD as PASSWORD_OF_FACTORIES
from tests.factories import create_classroom, create_user

PASSWORD = "a long enough password"


def test_a_refused_registration_puts_the_focus_on_its_error_summary(page: Page, server):
    page.goto(server + "/register")
    page.get_by_label("Username").fill("focus-fay")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill("another password entirely")
    page.get_by_role("button", name="Create account").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct the following")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()


def test_a_blank_answer_puts_the_focus_on_its_error(page: Page, server):
    page.goto(server + "/register")
    page.get_by_label("Username").fill("focus-finn")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("button", name="Start a round").click()
    # An ordering question always holds an order: it is never blank.
    while page.locator("form.answer-form").get_attribute("data-type") == "ordering":
        answer_with_keyboard(page)
        page.get_by_role("link", name=re.compile("Next question")).click()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("alert")).to_be_focused()


def test_an_import_puts_the_focus_on_its_problems_or_its_preview(
    page: Page, server, create_teacher, tmp_path
):
    log_in(page, server, "focus-flo", create_teacher("focus-flo"))
    page.goto(server + "/teach/import")
    broken = tmp_path / "broken.gift"
    broken.write_bytes(b"::essay:: Tell the story. {}\n")
    page.get_by_label("Question file").set_input_files(broken)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported")
    expect(page.get_by_role("alert")).to_be_focused()

    gift = tmp_path / "week 3.gift"
    gift.write_bytes(GIFT_FILE)
    page.get_by_label("Question file").set_input_files(gift)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name=re.compile("^Preview: 2 questions"))).to_be_focused()


def test_a_true_false_question_without_its_answer_ties_the_problem_to_the_choice(
    page: Page, server, create_teacher
):
    log_in(page, server, "focus-fern", create_teacher("focus-fern"))
    page.goto(server + "/teach/questions/new?type=true_false")
    page.get_by_label("Question", exact=True).fill("The Malta Summit was held in 1989.")
    page.get_by_role("button", name="Preview", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose True or False.")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="The statement is")
    target = page.locator(link.get_attribute("href"))
    expect(target).to_have_count(1)  # the summary's link leads to the choice
    group = page.get_by_role("group", name="The statement is")
    expect(group).to_have_accessible_description("Choose True or False.")
    expect(page.get_by_text("Choose True or False.")).to_have_count(2)  # the summary, the group


def summary_link_leads_to_its_field(page: Page, name: str) -> None:
    link = page.get_by_role("alert").get_by_role("link", name=name)
    expect(page.locator(link.get_attribute("href"))).to_have_count(1)


def test_no_question_ticked_links_the_summary_to_the_question_list(page: Page, server, live_app):
    with live_app.app_context():
        classroom = create_classroom(create_user("focus-fitz", role="teacher"), "Focus class")
        class_id = classroom.id
    log_in(page, server, "focus-fitz", PASSWORD_OF_FACTORIES)
    page.goto(f"{server}/teach/classes/{class_id}/live")
    page.get_by_role("button", name="Open the session").click()
    expect(page.get_by_role("alert")).to_contain_text("Tick at least one question.")
    summary_link_leads_to_its_field(page, "Questions to include")

    page.goto(f"{server}/teach/classes/{class_id}/assignments/new")
    page.get_by_label("Title").fill("Nothing ticked")
    page.get_by_label("The questions I tick below").check()
    page.get_by_role("button", name="Create the assignment").click()
    expect(page.get_by_role("alert")).to_contain_text("Tick at least one question")
    summary_link_leads_to_its_field(page, "Questions")
