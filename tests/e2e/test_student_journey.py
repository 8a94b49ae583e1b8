"""A new student, keyboard only, in Chromium: register, play a whole round, read, score."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

SERIOUS = {"serious", "critical"}


def assert_accessible(page: Page, what: str) -> None:
    """axe-core (bundled, offline) finds no serious or critical violation on the page.
    Callers wait for the page they mean (its heading) after a click: axe run while a
    navigation is under way finds no document."""
    page.wait_for_load_state()
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert not bad, f"{what}: " + "; ".join(f"{v['id']}: {v['help']}" for v in bad)


def assert_accessible_as_served(page: Page, what: str) -> None:
    """`assert_accessible` for a page whose context has JavaScript off, where axe (a script)
    would wait forever: the same URL in a copy of the context with JavaScript on (a GET,
    which never writes), so axe reads the page the server sent."""
    twin_context = page.context.browser.new_context(storage_state=page.context.storage_state())
    try:
        twin = twin_context.new_page()
        twin.goto(page.url)
        assert_accessible(twin, what)
    finally:
        twin_context.close()


def tab_to(page: Page, locator, limit: int = 60) -> None:
    """Press Tab, as a person would, until `locator` has the focus."""
    handle = locator.element_handle()
    for _ in range(limit):
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def answer_with_keyboard(page: Page) -> str:
    """Give some answer to the question on the page using only the keyboard; returns its type."""
    qtype = page.locator("form.answer-form").get_attribute("data-type")
    if qtype in ("single", "classify", "true_false", "multiple"):
        tab_to(page, page.locator('input[name="choice"]').first)
        page.keyboard.press("Space")
    elif qtype == "year":
        tab_to(page, page.locator("#year"))
        page.keyboard.type("1990")
    elif qtype == "short":
        tab_to(page, page.locator("#text"))
        page.keyboard.type("Baker")
    elif qtype == "numeric":
        tab_to(page, page.locator("#number"))
        page.keyboard.type("3")
    elif qtype == "ordering":
        first = page.locator(".order-item .order-text").first.inner_text()
        tab_to(page, page.locator(".order-item").first.locator('button[value^="down:"]'))
        page.keyboard.press("Enter")
        expect(page.locator(".order-item .order-text").nth(1)).to_have_text(first)
        expect(page.locator("#order-status")).to_contain_text(f"{first} moved down")
    elif qtype == "matching":
        for select in page.locator("select").all():
            tab_to(page, select)
            page.keyboard.press("ArrowDown")
            assert select.input_value() != ""
    tab_to(page, page.get_by_role("button", name="Submit answer"))
    page.keyboard.press("Enter")
    return qtype


def test_new_student_plays_a_round_by_keyboard_and_finds_the_score(page: Page, server, artifacts):
    page.goto(server + "/")
    assert_accessible(page, "welcome page")
    tab_to(page, page.get_by_role("link", name="Create an account").first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    assert_accessible(page, "register page")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type("keyboard-kim")
    page.keyboard.press("Tab")
    page.keyboard.type("a long enough password")
    page.keyboard.press("Tab")
    page.keyboard.type("a long enough password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hello, keyboard-kim")).to_be_visible()
    assert_accessible(page, "home page")

    tab_to(page, page.get_by_role("button", name="Start a round"))
    page.keyboard.press("Enter")
    expect(page.locator("#progress-label")).to_have_text("Question 1 of 10")

    seen_types, followed_passage = [], False
    for position in range(1, 11):
        expect(page.locator("#progress-label")).to_have_text(f"Question {position} of 10")
        expect(page.locator("progress")).to_have_attribute("value", str(position - 1))
        if position == 1:
            page.screenshot(path=str(artifacts / "question.png"), full_page=True)
            assert_accessible(page, "question page")
        if page.locator("form.answer-form").get_attribute("data-type") == "ordering":
            assert_accessible(page, "ordering question")
            page.screenshot(path=str(artifacts / "ordering.png"), full_page=True)
        seen_types.append(answer_with_keyboard(page))

        verdict = page.locator("h1.verdict")
        expect(verdict).to_have_text(re.compile(r"^(Right|Wrong|Partly right)"))
        expect(verdict).to_be_focused()  # a screen reader starts at the verdict
        expect(page.get_by_role("heading", name="Why")).to_be_visible()
        quote = page.locator(".source-quote blockquote p").inner_text()
        assert quote.strip()
        if position == 1:
            page.screenshot(path=str(artifacts / "feedback.png"), full_page=True)
            assert_accessible(page, "feedback page")
        if not followed_passage:
            tab_to(page, page.get_by_role("link", name=re.compile("Read this passage")))
            page.keyboard.press("Enter")
            mark = page.locator("mark#passage")
            expect(mark).to_have_text(re.compile(re.escape(" ".join(quote.split()[:4]))))
            expect(mark).to_be_in_viewport()
            assert page.url.endswith("#passage")
            assert_accessible(page, "article with passage")
            page.go_back()
            followed_passage = True
        name = "Next question" if position < 10 else "See your results"
        tab_to(page, page.get_by_role("link", name=name))
        page.keyboard.press("Enter")

    assert "ordering" in seen_types
    expect(page.get_by_role("heading", name="Round complete")).to_be_visible()
    score = page.locator(".score-line .score").inner_text()
    assert re.fullmatch(r"[\d.]+ out of 10", score)
    page.screenshot(path=str(artifacts / "summary.png"), full_page=True)
    assert_accessible(page, "summary page")

    tab_to(page, page.get_by_role("link", name="My progress", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My progress", level=1)).to_be_visible()
    expect(page.locator("table.scores .score").first).to_have_text(score.replace(" out of ", " / "))
    assert_accessible(page, "my progress")


def test_ordering_works_with_javascript_off(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/register")
    page.get_by_label("Username").fill("no-js-nia")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Repeat the password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.get_by_label("Number of questions").select_option("5")
    page.get_by_role("button", name="Start a round").click()
    for _ in range(5):
        if page.locator("form.answer-form").get_attribute("data-type") == "ordering":
            break
        answer_with_keyboard(page)
        page.get_by_role("link", name=re.compile("Next question|See your results")).click()
    assert page.locator("form.answer-form").get_attribute("data-type") == "ordering"
    texts = page.locator(".order-text").all_inner_texts()
    page.locator(".order-item").first.get_by_role("button", name="Move down").click()
    assert page.locator(".order-text").all_inner_texts() == [texts[1], texts[0], *texts[2:]]
    # The reload moves the focus once the page has loaded: wait for it rather than read it.
    expect(page.locator(".order-item button:focus")).to_have_text(re.compile("^Move (down|up)$"))
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name="Why")).to_be_visible()
    context.close()
