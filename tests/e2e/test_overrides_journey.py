"""Overrides in Chromium: a teacher grants a student of the class two extra attempts on the
assignment page, finds it listed, opens it to edit, and removes it; the student's home page
follows; axe on the assignment page with its overrides and on the edit page."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_student_journey import assert_accessible
from tests.e2e.test_teacher_journey import (
    create_class,
    log_in,
    register_student,
    set_assignment,
    teaching,
)


def test_a_teacher_grants_edits_and_removes_an_override(
    page: Page, new_context, server, create_teacher
):
    student = new_context().new_page()
    register_student(student, server, "ovr-olive")
    password = create_teacher("ovr-teacher")
    log_in(page, server, "ovr-teacher", password)
    teaching(page)
    code = create_class(page, "Year 11, overrides")
    student.get_by_label("Class code").fill(code)
    student.get_by_role("button", name="Join the class").click()
    set_assignment(page, "Extra chances", "Practice", library=1)
    page.reload()  # the class now has its student

    overrides = page.get_by_role("region", name="Overrides")
    overrides.get_by_label("Student").select_option(label="ovr-olive")
    overrides.get_by_label("Extra attempts").fill("2")
    overrides.get_by_role("button", name="Save the override").click()
    expect(page.locator(".flash")).to_have_text("Override saved for ovr-olive.")
    # Back at the overrides with the focus there, not at the top of the page.
    expect(overrides.get_by_role("heading", name="Overrides")).to_be_focused()
    row = overrides.get_by_role("row", name=re.compile("^ovr-olive"))
    expect(row).to_contain_text("3 (+2)")
    assert_accessible(page, "assignment page with an override")

    student.reload()
    expect(student.locator(".assignment-list")).to_contain_text("Attempts: 0 of 3 (3 left).")

    row.get_by_role("link", name="Edit the override of ovr-olive").click()
    expect(page.get_by_role("heading", name="Override of ovr-olive", level=1)).to_be_visible()
    expect(page.get_by_label("Extra attempts")).to_have_value("2")
    assert_accessible(page, "override edit page")
    page.get_by_label("Extra attempts").fill("1")
    page.get_by_role("button", name="Save the override").click()
    expect(row).to_contain_text("2 (+1)")

    row.get_by_role("button", name="Remove the override of ovr-olive").click()
    expect(page.locator(".flash")).to_have_text("Override removed for ovr-olive.")
    expect(page.get_by_role("region", name="Overrides")).to_contain_text("No override yet.")
    student.reload()
    expect(student.locator(".assignment-list")).to_contain_text("Attempts: 0 of 1 (1 left).")
