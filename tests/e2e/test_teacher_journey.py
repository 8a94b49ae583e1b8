"""A teacher, in Chromium: write a question citing the article, set it to a class, and see a
student get the teacher's passage and explanation back; axe-core on every teacher page."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DOCS
from tests.e2e.test_student_journey import assert_accessible, tab_to

STUDENT_PASSWORD = "a long enough password"

PROMPT = "Who asked Gorbachev, in Moscow on 9 February 1990, about a unified Germany in NATO?"
OPTIONS = ("James Baker", "Helmut Kohl", "Eduard Shevardnadze", "François Mitterrand")
RIGHT = OPTIONS[0]
EXPLANATION = "James Baker, the US Secretary of State, put the question to Gorbachev in Moscow."
PASSAGE_WORDS = "Baker Gorbachev inch"

GIFT_FILE = b"""// Two questions for the import preview.
::moscow-1990:: Who met Gorbachev in Moscow on 9 February 1990? {=James Baker ~Helmut Kohl}

::malta-year:: The Malta Summit was held in 1989. {T}
"""


def log_in(page: Page, server: str, username: str, password: str) -> None:
    page.goto(server + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Hello, {username}")).to_be_visible()


def register_student(page: Page, server: str, username: str) -> None:
    page.goto(server + "/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(STUDENT_PASSWORD)
    page.get_by_label("Repeat the password").fill(STUDENT_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name=f"Hello, {username}")).to_be_visible()


def teaching(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teaching").click()
    expect(page.get_by_role("heading", name="Teaching", exact=True)).to_be_visible()


def create_class(page: Page, name: str) -> str:
    """From the Teaching dashboard: create a class; returns the join code the page shows."""
    page.get_by_label("Name of the class").fill(name)
    page.get_by_role("button", name="Create the class").click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    code = page.locator("code.join-code").inner_text()
    expect(page.locator(".flash")).to_contain_text(f"Its join code is {code}.")
    return code


def set_assignment(page: Page, title: str, mode: str, *, library: int = 0) -> None:
    """From a class page: an assignment of the teacher's own questions (and `library` shipped
    ones), in `mode` ("Practice" or "Test")."""
    page.get_by_role("link", name="Set an assignment").click()
    expect(page.get_by_role("heading", name=re.compile("^New assignment for"))).to_be_visible()
    page.get_by_label("Title").fill(title)
    page.get_by_label(re.compile(f"^{mode}:")).check()
    page.get_by_label("The questions I tick below").check()
    for box in page.get_by_label(re.compile("^Yours · ")).all():
        box.check()
    for box in page.get_by_label(re.compile("^Library · ")).all()[:library]:
        box.check()
    page.get_by_role("button", name="Create the assignment").click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def join_and_start(page: Page, code: str, class_name: str, title: str) -> None:
    """On the student's home page: join with the code, then start the assignment."""
    page.get_by_label("Class code").fill(code)
    page.get_by_role("button", name="Join the class").click()
    expect(page.locator(".flash")).to_have_text(f"You joined {class_name}.")
    listed = page.locator(".assignment-list li").filter(
        has=page.get_by_role("heading", name=re.compile(re.escape(title)))
    )
    expect(listed).to_contain_text(class_name)
    listed.get_by_role("button", name=f"Start {title}").click()
    expect(page.get_by_role("heading", name=PROMPT, level=1)).to_be_visible()


def write_question_with_keyboard(page: Page) -> str:
    """On the editor of a single-choice question: prompt, options, the right one ticked, a
    passage found and used, the explanation, a preview; keys only. Returns the passage."""
    tab_to(page, page.get_by_label("Question", exact=True))
    page.keyboard.type(PROMPT)
    for number, text in enumerate(OPTIONS, start=1):
        tab_to(page, page.get_by_label(f"Option {number}", exact=True), limit=120)
        page.keyboard.type(text)
        if text == RIGHT:
            page.keyboard.press("Tab")
            expect(page.get_by_label(f"Option {number} is correct")).to_be_focused()
            page.keyboard.press("Space")
            expect(page.get_by_label(f"Option {number} is correct")).to_be_checked()

    tab_to(page, page.get_by_label("Words to find in the article"), limit=120)
    page.keyboard.type(PASSAGE_WORDS)
    tab_to(page, page.get_by_role("button", name="Find passages"))
    page.keyboard.press("Enter")
    results = page.locator("#passage-results")
    expect(results).to_contain_text(re.compile(r"\d+ passages? found"))
    expect(results).to_be_focused()  # read out, and the hits are next in the tab order
    hits = page.locator(".passage-hits li")
    expect(hits.first).to_contain_text("not one inch")
    assert_accessible(page, "question editor with search hits")
    # The form kept what was typed before the search.
    expect(page.get_by_label("Question", exact=True)).to_have_value(PROMPT)
    expect(page.get_by_label("Option 1 is correct")).to_be_checked()

    hit = hits.first.locator("p")
    passage = hit.inner_text().removeprefix(hit.locator("span").inner_text()).strip()
    page.keyboard.press("Tab")
    expect(hits.first.get_by_role("button", name="Use this passage")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#passage-used")).to_be_focused()
    expect(page.get_by_label("Passage quoted from the article")).to_have_value(passage)
    expect(page.get_by_label("Section of the article")).to_have_value("1")

    tab_to(page, page.get_by_label("Why (shown after the answer)"), limit=120)
    page.keyboard.type(EXPLANATION)
    tab_to(page, page.get_by_role("button", name="Preview", exact=True))
    page.keyboard.press("Enter")
    return passage


def assert_preview_is_the_students_view(page: Page, passage: str) -> None:
    preview = page.locator("section.preview")
    heading = page.get_by_role("heading", name="Preview: what a student sees")
    expect(heading).to_be_focused()
    expect(preview.locator(".preview-prompt")).to_have_text(PROMPT)
    expect(preview.locator(".kind-badge")).to_have_text("Fact: what the article reports")
    for text in OPTIONS:
        option = preview.get_by_label(text, exact=True)
        expect(option).to_be_disabled()
        expect(option).not_to_be_checked()
    expect(preview.locator("dt", has_text="Correct answer").locator("+ dd")).to_have_text(RIGHT)
    expect(preview.get_by_role("heading", name="Why")).to_be_visible()
    expect(preview.locator(".explanation")).to_have_text(EXPLANATION)
    expect(preview.locator(".source-quote blockquote")).to_have_text(passage)
    expect(preview.locator(".source-quote figcaption")).to_contain_text(
        "From the article, section 1"
    )
    expect(preview.get_by_role("link", name=re.compile("Read this passage"))).to_be_visible()


def test_teacher_writes_a_question_sets_it_and_a_student_gets_its_passage(
    page: Page, new_context, server, artifacts, create_teacher
):
    password = create_teacher("teacher-tove")
    log_in(page, server, "teacher-tove", password)
    tab_to(page, page.get_by_role("link", name="Teaching", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Teaching", exact=True)).to_be_visible()
    assert_accessible(page, "teaching dashboard")

    tab_to(page, page.get_by_role("link", name="Write a question"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Write a question")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Multiple choice, one answer"))
    page.keyboard.press("Enter")
    editor = page.get_by_role("heading", name="New question: Multiple choice, one answer")
    expect(editor).to_be_visible()
    assert_accessible(page, "empty question editor")

    passage = write_question_with_keyboard(page)
    assert_preview_is_the_students_view(page, passage)
    expect(page.locator(".preview-box")).to_contain_text("Not saved yet")
    page.screenshot(path=str(artifacts / "teacher-preview.png"), full_page=True)
    box = page.locator(".preview-box").bounding_box()
    width, height = page.viewport_size["width"], box["y"] + box["height"] + 12
    top = {"x": 0, "y": 0, "width": width, "height": height}
    page.screenshot(path=str(DOCS / "teacher-preview.png"), full_page=True, clip=top)
    assert_accessible(page, "question editor with preview")

    tab_to(page, page.get_by_role("button", name="Save the question"), limit=120)
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_have_text("Question saved.")
    expect(page.get_by_role("heading", name=re.compile(r"^Question \S+$"), level=1)).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Active")
    expect(page.locator("section.preview .source-quote blockquote")).to_have_text(passage)
    assert_accessible(page, "question detail")

    teaching(page)
    code = create_class(page, "Year 12 History, group T")
    assert re.fullmatch(r"[A-Z0-9]{8}", code), code
    assert_accessible(page, "class page")
    page.get_by_role("link", name="Set an assignment").click()
    expect(
        page.get_by_role("heading", name="New assignment for Year 12 History, group T")
    ).to_be_visible()
    assert_accessible(page, "new assignment form")
    page.go_back()
    set_assignment(page, "Baker in Moscow", "Practice")
    expect(page.locator(".facts")).to_contain_text("Practice: feedback after each answer")
    expect(page.locator(".facts")).to_contain_text("1 chosen")

    student = new_context().new_page()
    register_student(student, server, "student-sam")
    join_and_start(student, code, "Year 12 History, group T", "Baker in Moscow")
    shown = student.locator("form.answer-form label").all_inner_texts()
    assert sorted(shown) == sorted(OPTIONS)
    student.get_by_label(RIGHT, exact=True).check()
    student.get_by_role("button", name="Submit answer").click()

    expect(student.locator("h1.verdict")).to_have_text("Right")
    expect(student.locator("dt", has_text="Correct answer").locator("+ dd")).to_have_text(RIGHT)
    expect(student.locator(".feedback .explanation")).to_have_text(EXPLANATION)
    expect(student.locator(".source-quote blockquote")).to_have_text(passage)
    student.screenshot(path=str(artifacts / "teacher-question-feedback.png"), full_page=True)
    assert_accessible(student, "feedback on the teacher's question")
    student.get_by_role("link", name=re.compile("Read this passage in the article")).click()
    mark = student.locator("mark#passage")
    expect(mark).to_contain_text(" ".join(passage.split()[:6]))
    expect(mark).to_be_in_viewport()

    page.reload()
    expect(page.locator("table")).to_contain_text("student-sam")


def test_test_mode_assignment_shows_no_verdict_until_submitted(
    page: Page, new_context, server, create_teacher
):
    password = create_teacher("teacher-tess")
    log_in(page, server, "teacher-tess", password)
    page.goto(server + "/teach/questions/new?type=single")
    page.get_by_label("Question", exact=True).fill(PROMPT)
    for number, text in enumerate(OPTIONS, start=1):
        page.get_by_label(f"Option {number}", exact=True).fill(text)
    page.get_by_label("Option 1 is correct").check()
    page.get_by_label("Passage quoted from the article").fill(
        "not one inch of NATO’s present military jurisdiction will spread in an eastern direction"
    )
    page.get_by_label("Why (shown after the answer)").fill(EXPLANATION)
    page.get_by_role("button", name="Save the question").click()
    expect(page.locator(".flash")).to_have_text("Question saved.")
    teaching(page)
    code = create_class(page, "Year 13, group T")
    set_assignment(page, "Baker test", "Test", library=1)
    expect(page.locator(".facts")).to_contain_text("Test: feedback once submitted")
    expect(page.locator(".facts")).to_contain_text("2 chosen")

    student = new_context().new_page()
    register_student(student, server, "student-theo")
    join_and_start(student, code, "Year 13, group T", "Baker test")
    expect(student.get_by_role("complementary", name="About this assignment")).to_contain_text(
        "a test"
    )
    student.get_by_label(RIGHT, exact=True).check()
    student.get_by_role("button", name="Next page").click()

    expect(student.locator("#progress-label")).to_have_text("Question 2 of 2")
    expect(student.locator("h1.verdict")).to_have_count(0)
    expect(student.get_by_role("heading", name="Why")).to_have_count(0)
    assert_accessible(student, "second question of a test")
    student.get_by_role("button", name="Previous page").click()
    expect(student.locator(".question-state")).to_have_text("Answer saved")
    expect(student.get_by_label(RIGHT, exact=True)).to_be_checked()
    expect(student.locator(".source-quote")).to_have_count(0)
    navigation = student.get_by_role("navigation", name="Quiz navigation")
    navigation.get_by_role("button", name="Question 2, not yet answered").click()
    student.get_by_role("button", name="Finish attempt…").click()
    expect(student.get_by_role("heading", name="Summary of attempt")).to_be_visible()
    expect(student.locator("table.attempt-summary")).to_contain_text("Not yet answered")
    student.get_by_role("button", name="Submit all and finish").click()
    expect(student.get_by_role("heading", name="Round complete")).to_be_visible()
    first = student.locator("ol.recap > li").first
    expect(first.locator(".verdict-small")).to_have_text("Right")
    expect(first.locator(".explanation")).to_have_text(EXPLANATION)
    expect(first.locator(".source-quote blockquote")).to_contain_text("not one inch")
    expect(student.locator("ol.recap > li").nth(1)).to_contain_text("Not answered.")
    expect(student.locator(".score")).to_have_text("1 out of 2")
    assert_accessible(student, "test results")


def test_every_teacher_page_passes_axe(page: Page, server, artifacts, create_teacher, tmp_path):
    password = create_teacher("teacher-axel")
    log_in(page, server, "teacher-axel", password)
    teaching(page)
    assert_accessible(page, "teaching dashboard, no class")
    page.get_by_label("Name of the class").fill("   ")  # passes the browser's `required`
    page.get_by_role("button", name="Create the class").click()
    expect(page.locator(".error-summary")).to_contain_text("Name of the class")
    assert_accessible(page, "teaching dashboard, class form with errors")

    page.get_by_role("link", name="Write a question").click()
    expect(page.get_by_role("heading", name="Write a question", level=1)).to_be_visible()
    assert_accessible(page, "choose a question type")
    page.get_by_role("link", name="Multiple choice, one answer").click()
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following")
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.get_by_role("heading", name="Preview: what a student sees")).to_have_count(0)
    page.screenshot(path=str(artifacts / "teacher-editor-errors.png"), full_page=True)
    assert_accessible(page, "question editor with errors")
    page.get_by_label("Words to find in the article").fill("zanzibar")
    page.get_by_role("button", name="Find passages").click()
    expect(page.locator("#passage-results")).to_have_text("0 passages found.")
    assert_accessible(page, "question editor, search without hits")

    teaching(page)
    page.get_by_role("link", name="Import questions").click()
    expect(page.get_by_role("heading", name="Import questions")).to_be_visible()
    assert_accessible(page, "import page")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".error-summary")).to_contain_text("Choose a file to import.")
    assert_accessible(page, "import page with errors")
    gift = tmp_path / "week 3.gift"
    gift.write_bytes(GIFT_FILE)
    page.get_by_label("Question file").set_input_files(gift)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name=re.compile("^Preview: 2 questions"))).to_be_visible()
    expect(page.locator(".import-preview")).to_contain_text("needs a passage")
    page.screenshot(path=str(artifacts / "teacher-import-preview.png"), full_page=True)
    assert_accessible(page, "import preview")
    broken = tmp_path / "broken.gift"
    broken.write_bytes(b"::essay:: Tell the story. {}\n")
    page.get_by_label("Question file").set_input_files(broken)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name=re.compile("^Nothing was imported"))).to_be_visible()
    assert_accessible(page, "import with problems")

    page.get_by_label("Question file").set_input_files(gift)
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("button", name="Import 2 questions").click()
    expect(page.locator(".flash")).to_contain_text("Imported 2 questions")
    expect(page.get_by_role("link", name="Your questions")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("table.bank tbody tr")).to_have_count(2)
    assert_accessible(page, "bank browser, your questions")
    page.get_by_role("link", name=re.compile("^Who met Gorbachev")).click()
    expect(page.locator(".facts")).to_contain_text("Needs a passage")
    assert_accessible(page, "question detail, needing a passage")
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name=re.compile("^Edit question"))).to_be_visible()
    assert_accessible(page, "question editor, editing")

    page.goto(server + "/teach/questions")
    page.get_by_role("link", name="Shipped library").click()
    expect(page.get_by_role("link", name="Shipped library")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page, "bank browser, shipped library")
    page.get_by_label("Type").select_option("ordering")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.bank tbody tr").first).to_contain_text("ordering")
    assert_accessible(page, "bank browser, filtered")
    page.locator("table.bank tbody th a").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Library question"))).to_be_visible()
    assert_accessible(page, "library question")

    teaching(page)
    page.get_by_role("link", name="Export questions").click()
    expect(page.get_by_role("heading", name="Export questions")).to_be_visible()
    assert_accessible(page, "export page")
    page.get_by_label("Format").select_option("gift")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename == "questions.gift.txt"
    exported = Path(download.value.path()).read_text()
    assert "Who met Gorbachev in Moscow on 9 February 1990? {" in exported
    assert "The Malta Summit was held in 1989. {" in exported


def test_the_editor_rows_stack_on_a_phone_with_boxes_a_finger_can_use(
    browser, server, create_teacher
):
    """At 375 px each option is a card: its text box as wide as the screen, its "correct"
    checkbox at least 24 px, each box under its column's name, and nothing wider than the
    screen (five columns left 86 px text boxes and 13 px checkboxes)."""
    page = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    log_in(page, server, "pia", create_teacher("pia"))
    teaching(page)
    page.get_by_role("link", name="Write a question").click()
    page.get_by_role("link", name="Multiple choice, one answer").click()
    text = page.get_by_label("Option 1", exact=True).bounding_box()
    correct = page.get_by_label("Option 1 is correct").bounding_box()
    assert text["width"] >= 280 and text["height"] >= 44
    assert correct["width"] >= 24 and correct["height"] >= 24
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.locator("td[data-label='Correct']").first).to_be_visible()
    assert_accessible(page, "question editor on a phone")
