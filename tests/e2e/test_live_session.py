"""A live session in Chromium: the projector and three students (one with the mouse, one
with the keyboard alone, one with JavaScript off) play three questions to the end; axe-core
on the projector, lobby, question and reveal pages."""

import random
import re

from playwright.sync_api import Browser, Page, expect

from quizapp import current_bank, live_store
from quizapp.extensions import db
from quizapp.models import utcnow
from tests.e2e.conftest import DOCS
from tests.e2e.test_student_journey import assert_accessible, tab_to
from tests.e2e.test_teacher_journey import create_class, log_in, register_student, teaching
from tests.factories import PASSWORD, create_classroom, create_user, enroll

WAIT = 15_000  # the no-JavaScript pages refresh every 3 seconds


def three_questions(live_app) -> list[str]:
    """Prompts of three shipped questions of three types that name options by letter."""
    with live_app.app_context():
        wanted, chosen = ["single", "classify", "true_false"], []
        for q in current_bank().questions:
            if q.type.value in wanted:
                wanted.remove(q.type.value)
                chosen.append(q.prompt)
        return chosen


def answer(page: Page, *, keyboard: bool = False) -> None:
    first = page.locator('input[name="choice"]').first
    if keyboard:
        tab_to(page, first)
        page.keyboard.press("Space")
        tab_to(page, page.get_by_role("button", name="Send answer"))
        page.keyboard.press("Enter")
    else:
        first.check()
        page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Your answer is in.", exact=True)).to_be_visible()


def test_a_class_plays_a_live_session_to_the_end(
    browser: Browser, server, live_app, create_teacher
):
    teacher = browser.new_context().new_page()
    log_in(teacher, server, "lena", create_teacher("lena"))
    teaching(teacher)
    class_code = create_class(teacher, "Year 13 History")

    mouse = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    keys = browser.new_context().new_page()
    no_js = browser.new_context(java_script_enabled=False).new_page()
    students = {"mia": mouse, "kit": keys, "noa": no_js}
    for name, page in students.items():
        register_student(page, server, name)
        page.get_by_label("Class code").fill(class_code)
        page.get_by_role("button", name="Join the class").click()

    teacher.get_by_role("link", name="Start a live session").click()
    for prompt in three_questions(live_app):
        teacher.get_by_label(re.compile(re.escape(prompt))).first.check()
    teacher.get_by_label("Show a top five").check()
    teacher.get_by_role("button", name="Open the session").click()
    expect(teacher.get_by_role("heading", name="Live session", level=1)).to_be_visible()
    expect(teacher.get_by_role("heading", name="Join code")).to_be_visible()
    code = teacher.locator(".live-code").inner_text()
    assert re.fullmatch(r"\d{6}", code)
    qr = teacher.get_by_role("img", name="QR code of the join link")
    expect(qr).to_be_visible()
    # Drawn, not only its alt text: a broken image is "visible" too.
    qr.evaluate("img => img.decode()")
    assert qr.evaluate("img => img.naturalWidth") > 0
    assert_accessible(teacher, "projector lobby")

    for page in students.values():
        page.get_by_role("link", name="Join a live session").click()
        page.get_by_label("Session code").fill(code)
        if page is keys:
            tab_to(page, page.get_by_role("button", name="Join"))
            page.keyboard.press("Enter")
        else:
            page.get_by_role("button", name="Join").click()
        expect(page.get_by_role("heading", name="You are in")).to_be_visible()
    assert_accessible(mouse, "lobby")
    expect(teacher.get_by_text("3 joined")).to_be_visible(timeout=WAIT)

    teacher.get_by_role("button", name="Start").click()
    for position in (1, 2, 3):
        for page in students.values():
            expect(page.get_by_text(f"Question {position} of 3")).to_be_visible(timeout=WAIT)
            expect(page.get_by_role("button", name="Send answer")).to_be_visible()
        if position == 1:
            assert_accessible(mouse, "question")
        answer(mouse)
        answer(keys, keyboard=True)
        answer(no_js)
        expect(teacher.get_by_text("3 of 3 answered")).to_be_visible(timeout=WAIT)
        teacher.get_by_role("button", name="Close answers").click()
        expect(teacher.get_by_text("(right answer)").first).to_be_visible()
        expect(teacher.get_by_text(re.compile("From the article, section"))).to_be_visible()
        for page in students.values():
            expect(page.locator(".verdict")).to_have_text(
                re.compile("Right|Wrong|Partly"), timeout=WAIT
            )
        if position == 1:
            assert_accessible(teacher, "projector reveal")
            assert_accessible(mouse, "reveal")
            teacher.screenshot(path=str(DOCS / "live-projector.png"), full_page=True)
        if position < 3:
            teacher.get_by_role("button", name="Next question").click()
    teacher.get_by_role("button", name="Show results").click()
    expect(teacher.get_by_role("heading", name="Top five")).to_be_visible()
    for page in students.values():
        expect(page.get_by_role("heading", name="Your result")).to_be_visible(timeout=WAIT)
        expect(page.locator(".live-result")).to_contain_text("out of 3")
    assert_accessible(teacher, "projector results")
    teacher.get_by_role("button", name="End session").click()
    expect(teacher.get_by_text("This session has ended.")).to_be_visible()
    teacher.get_by_role("link", name="gradebook").click()
    expect(teacher.get_by_role("columnheader", name=re.compile("Live session"))).to_be_visible()


def test_the_projector_shows_what_to_order_and_match_on_a_phone_too(
    browser: Browser, server, live_app, create_teacher
):
    """An ordering and a matching question open on the projector list their items (the room
    sees what the phones sort), axe-clean and without overflow at 375 px."""
    import random

    from quizapp import clock, live_store
    from quizapp.domain.rounds import present
    from quizapp.extensions import db
    from tests.factories import create_classroom, user_named

    password = create_teacher("lars")
    with live_app.app_context():
        bank = current_bank()
        rng = random.Random(7)
        shown = [
            present(next(q for q in bank.questions if q.type.value == kind), rng)
            for kind in ("ordering", "matching")
        ]
        classroom = create_classroom(user_named("lars"), "Year 11 History")
        session = live_store.create(
            classroom, shown, {}, live_store.Settings(None, False, False), clock.now(), rng
        )
        db.session.commit()
        session_id = session.id
    page = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    log_in(page, server, "lars", password)
    page.goto(f"{server}/teach/live/{session_id}")
    page.get_by_role("button", name="Start").click()
    for number, q in enumerate(shown, start=1):
        expect(page.get_by_text(f"Question {number} of 2")).to_be_visible()
        for item in [*q.pairs, *q.choices]:
            expect(page.locator(".live-options li", has_text=item.text).first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert_accessible(page, f"projector, {q.type.value} question open")
        page.get_by_role("button", name="Close answers").click()
        if number == 1:
            page.get_by_role("button", name="Next question").click()


def projector_on_a_question(browser: Browser, server, live_app, teacher: str, viewport) -> Page:
    """A teacher's projector at `viewport`, on the first question of a session of one
    student (who has joined) holding the bank's question with the longest word."""
    with live_app.app_context():
        classroom = create_classroom(create_user(teacher, role="teacher"), f"Class of {teacher}")
        student = create_user(f"{teacher}-student")
        enroll(classroom, student)
        longest = max(current_bank().questions, key=lambda q: max(map(len, q.prompt.split())))
        session = live_store.create(
            classroom,
            [longest],
            {},
            live_store.Settings(None, False, False),
            utcnow(),
            random.Random(1),
        )
        db.session.commit()
        live_store.join(student, session.code, utcnow())
        live_store.act(session.id, "start", 0, utcnow())
        db.session.commit()
        session_id = session.id
    page = browser.new_context(viewport=viewport).new_page()
    log_in(page, server, teacher, PASSWORD)
    page.goto(f"{server}/teach/live/{session_id}")
    expect(page.get_by_role("button", name="Close answers")).to_be_visible()
    return page


def test_the_projector_reflows_at_320_px_for_the_longest_word_of_the_bank(
    browser: Browser, server, live_app
):
    """320 CSS px is a laptop's projector page zoomed to 400 %: the prompt, in the
    projector's large type, wraps even a word as long as "Russian/alternative"."""
    page = projector_on_a_question(
        browser, server, live_app, "reflow-rae", {"width": 320, "height": 640}
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_projector_counts_in_status_regions(browser: Browser, server, live_app):
    """ "1 joined" and "0 of 1 answered" change in place as students come and answer: a
    screen reader hears them only from a status region, without the focus moving."""
    page = projector_on_a_question(
        browser, server, live_app, "counted-cal", {"width": 1280, "height": 800}
    )
    statuses = page.get_by_role("status")
    expect(statuses.filter(has_text="joined")).to_have_text("1 joined")
    expect(statuses.filter(has_text="answered")).to_have_text("0 of 1 answered")
