"""The assignment form's question picker, in Chromium with JavaScript off: a GET filter by
words, type and section, and only the fields of the way of choosing that is ticked."""

import re

from playwright.sync_api import expect

from tests.e2e.test_student_journey import assert_accessible
from tests.e2e.test_teacher_journey import create_class, log_in, teaching


def test_the_picker_filters_without_javascript_and_hides_the_unused_fields(
    browser, server, create_teacher
):
    password = create_teacher("picker-pia")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, server, "picker-pia", password)
    teaching(page)
    create_class(page, "Picker class")
    page.get_by_role("link", name="Set an assignment").click()
    section_field = page.get_by_label("Section or topic", exact=True)
    number_field = page.get_by_label("Number of questions")
    picker = page.get_by_role("group", name=re.compile("^Questions to include"))
    expect(section_field).to_be_visible()
    expect(picker).to_be_hidden()

    page.get_by_label("The questions I tick below").check()
    expect(section_field).to_be_hidden()
    expect(number_field).to_be_hidden()
    expect(picker).to_be_visible()
    everything = picker.get_by_role("checkbox").count()

    search = page.get_by_role("search", name="Find questions to tick")
    search.get_by_label("Type").select_option(label="Put in order")
    search.get_by_role("button", name="Filter questions").click()
    expect(page.get_by_label("The questions I tick below")).to_be_checked()
    boxes = picker.get_by_role("checkbox")
    expect(boxes.first).to_be_visible()
    assert 0 < boxes.count() < everything
    for label in picker.locator("label").all_inner_texts():
        assert " · Put in order · " in label
    # axe runs as a script, so it looks at the same page in a context with JavaScript on.
    with_script = browser.new_context(storage_state=context.storage_state())
    filtered = with_script.new_page()
    filtered.goto(page.url)
    assert_accessible(filtered, "assignment form, filtered")
    with_script.close()
    context.close()
