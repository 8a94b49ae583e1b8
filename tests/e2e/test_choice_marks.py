"""Per-choice marks in feedback, in Chromium: after a multiple-choice or ordering question
the learner reads which of their own choices were right, in words, and axe finds nothing
serious on that page."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_student_journey import answer_with_keyboard, assert_accessible

MARKED_TYPES = {"multiple", "ordering", "matching"}


def test_feedback_marks_each_choice_right_or_wrong_in_words(page: Page, server):
    page.goto(server + "/register")
    page.get_by_label("Username").fill("marked-mo")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Repeat the password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    # Section 3.1 holds three multiple-choice questions and an ordering one.
    page.get_by_label("What to practise").select_option(label="3.1 Early Expansion (1999-2004)")
    page.get_by_role("button", name="Start a round").click()

    marked = []
    for _ in range(10):
        qtype = answer_with_keyboard(page)
        expect(page.get_by_role("heading", name="Why")).to_be_visible()
        if qtype in MARKED_TYPES:
            items = page.locator(".marked-choices li")
            expect(items.first).to_be_visible()
            for text in items.all_inner_texts():
                assert re.match(r"^(Right|Wrong): .+ \(.+\)$", text), text
            if not marked:
                assert_accessible(page, f"feedback on a {qtype} question")
            marked.append(qtype)
        else:
            expect(page.locator(".marked-choices")).to_have_count(0)
        link = page.get_by_role("link", name=re.compile("Next question|See your results"))
        if link.inner_text().startswith("See your results"):
            break
        link.click()
    assert marked, "the round held no multiple-choice, matching or ordering question"
