"""Score review and learning, in Chromium: a student misses two questions of an assignment and
gets them back in "Review my mistakes" a day later; the teacher sees the attempt in the
gradebook and the item statistics move when a second student does better; axe-core on every
page of both."""

import re
from dataclasses import dataclass
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from quizapp import question_store
from quizapp.extensions import db
from quizapp.models import Answer, Round, RoundItem, User, utcnow
from tests.e2e.conftest import DOCS
from tests.e2e.test_student_journey import assert_accessible, tab_to
from tests.e2e.test_teacher_journey import log_in, register_student
from tests.factories import (
    DAY,
    create_assignment,
    create_classroom,
    create_user,
    enroll,
    make_question,
    percent,
    stored_attempt,
)

CLASS = "Year 12 History, set R"
TITLE = "Promises of 1990"


@dataclass(frozen=True)
class Planned:
    """A question of the assignment and how a student answers it right or wrong: the label
    of the option to pick, or the year to type."""

    prompt: str
    right: str
    wrong: str
    missed: bool  # the first student gets it wrong


BAKER = Planned(
    "Who, in Moscow on 9 February 1990, said NATO's jurisdiction would not move one inch east?",
    "James Baker",
    "Helmut Kohl",
    missed=True,
)
EXPANSION = Planned(
    "In which year did NATO admit Poland, Hungary and the Czech Republic?",
    "1999",
    "2004",
    missed=True,
)
NARRATIVE = Planned(
    "In the Russian narrative, the West made an implicit, verbal promise not to expand NATO.",
    "True",
    "False",
    missed=False,
)
GENSCHER = Planned(
    "Which West German foreign minister spoke for Bonn in the talks of early 1990?",
    "Hans-Dietrich Genscher",
    "George H.W. Bush",
    missed=False,
)
PLAN = {p.prompt: p for p in (BAKER, EXPANSION, NARRATIVE, GENSCHER)}
MISSED = {p.prompt for p in PLAN.values() if p.missed}


def set_up_class(live_app, teacher_name: str) -> str:
    """The teacher's class with a practice assignment of their four questions (two in section
    1, one in 2.1, one in 3.1); returns the join code."""
    questions = [
        make_question("single", prompt=BAKER.prompt, section="1"),
        make_question(
            "year",
            prompt=EXPANSION.prompt,
            answer=1999,
            section="3.1",
            quote="In 1999 the alliance admitted Poland, Hungary and the Czech Republic",
            explanation="Poland, Hungary and the Czech Republic joined NATO in 1999.",
        ),
        make_question(
            "true_false",
            prompt=NARRATIVE.prompt,
            section="2.1",
            quote="the West made an implicit, verbal promise to the Soviet leadership",
            explanation="That is the Russian reading of the talks of 1990.",
        ),
        make_question(
            "single",
            prompt=GENSCHER.prompt,
            answer="c4",
            quote="made remarks in Moscow and Bonn relating to Soviet security interests",
            explanation="Hans-Dietrich Genscher was West Germany's foreign minister.",
        ),
    ]
    with live_app.app_context():
        teacher = db.session.scalar(select(User).where(User.username == teacher_name))
        rows = [question_store.create_question(teacher, q) for q in questions]
        db.session.commit()
        classroom = create_classroom(teacher, CLASS)
        create_assignment(classroom, title=TITLE, question_ids=[row.public_id for row in rows])
        return classroom.join_code


def let_two_days_pass(live_app, username: str) -> None:
    """Move the student's rounds and answers two days back, as if they had played then."""
    shift = timedelta(days=2)
    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        rounds = db.session.scalars(select(Round).where(Round.user_id == user.id)).all()
        answers = db.session.scalars(
            select(Answer).join(RoundItem).join(Round).where(Round.user_id == user.id)
        ).all()
        for a_round in rounds:
            a_round.created_at -= shift
            if a_round.finished_at is not None:
                a_round.finished_at -= shift
        for answer in answers:
            answer.answered_at -= shift
        db.session.commit()


def answer_by_keyboard(page: Page, text: str) -> None:
    """Pick the option labelled `text` (arrow keys within the radio group, as a person does)
    or type the year `text`, then submit; keys only."""
    if page.locator("form.answer-form").get_attribute("data-type") == "year":
        tab_to(page, page.locator("#year"))
        page.keyboard.type(text)
    else:
        radios = page.locator('input[name="choice"]')
        target = page.get_by_label(text, exact=True)
        tab_to(page, radios.first)
        page.keyboard.press("Space")
        for _ in range(radios.count()):
            if target.is_checked():
                break
            page.keyboard.press("ArrowDown")
        expect(target).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Submit answer"))
    page.keyboard.press("Enter")


def play_assignment(page: Page, code: str, *, miss: set[str]) -> None:
    """From the student's home page: join the class, start the assignment and answer its four
    questions, wrong exactly those whose prompt is in `miss`."""
    page.get_by_label("Class code").fill(code)
    page.get_by_role("button", name="Join the class").click()
    expect(page.locator(".flash")).to_have_text(f"You joined {CLASS}.")
    page.get_by_role("button", name=f"Start {TITLE}").click()
    for position in range(1, 5):
        expect(page.locator("#progress-label")).to_have_text(f"Question {position} of 4")
        prompt = page.locator("h1#prompt").inner_text()
        planned = PLAN[prompt]
        answer_by_keyboard(page, planned.wrong if prompt in miss else planned.right)
        expect(page.locator("h1.verdict")).to_have_text("Wrong" if prompt in miss else "Right")
        page.get_by_role("link", name=re.compile("^(Next question|See your results)$")).click()
    expect(page.get_by_role("heading", name="Round complete")).to_be_visible()
    expect(page.locator(".score-line .score")).to_have_text(f"{4 - len(miss)} out of 4")


def facility(page: Page, prompt: str):
    """The facility cell of the item statistics row of the question `prompt`."""
    row = page.locator("table.item-stats tbody tr").filter(has_text=prompt)
    expect(row).to_have_count(1)
    return row.locator("td").nth(1)


def attempt_link(where, percent: str, student: str):
    """A gradebook cell's link to the attempt, named "50%, student, title" for a screen reader
    (Chromium puts a space before the comma of the visually hidden part)."""
    name = re.compile(rf"^{re.escape(percent)} ?, {re.escape(student)}, {re.escape(TITLE)}$")
    return where.get_by_role("link", name=name)


def expect_gradebook_row(page: Page, student: str, percent: str) -> None:
    """The student's row: their attempt at the one assignment, linked, and their average."""
    row = page.locator("table.gradebook tbody tr").filter(
        has=page.get_by_role("rowheader", name=student, exact=True)
    )
    expect(attempt_link(row, percent, student)).to_be_visible()
    expect(row.locator("td").first).to_have_class("cell-done")
    expect(row.locator("td").last).to_have_text(percent)


def test_missed_questions_come_back_for_review_and_move_the_teachers_reports(
    page: Page, new_context, server, live_app, artifacts, create_teacher
):
    password = create_teacher("tess")
    code = set_up_class(live_app, "tess")

    # A student misses two of the four questions; nothing is due for review yet.
    rita = new_context().new_page()
    register_student(rita, server, "review-rita")
    play_assignment(rita, code, miss=MISSED)
    rita.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(rita.locator(".due-line")).to_have_text(re.compile(r"^No question is due for review\."))
    rita.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Review my mistakes"
    ).click()
    expect(rita.get_by_role("heading", name="Review my mistakes", level=1)).to_be_visible()
    expect(rita.locator(".due-line")).to_contain_text("Nothing is due.")
    queue = rita.locator("table.review-queue tbody tr")
    expect(queue).to_have_count(2)
    assert set(queue.locator("th").all_inner_texts()) == MISSED
    for row in queue.all():
        expect(row.locator("td")).to_have_text(["1", re.compile(r"^(?!Now$).+"), "1"])
    assert_accessible(rita, "review my mistakes, nothing due yet")

    # The teacher finds the attempt in the gradebook, and the two misses in the statistics.
    log_in(page, server, "tess", password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teaching").click()
    page.get_by_role("link", name=CLASS).click()
    expect(page.get_by_role("heading", name=CLASS, level=1)).to_be_visible()
    assert_accessible(page, "class page")
    page.get_by_role("navigation", name=CLASS).get_by_role("link", name="Gradebook").click()
    expect(page.get_by_role("heading", name=f"Gradebook: {CLASS}")).to_be_visible()
    expect_gradebook_row(page, "review-rita", "50%")
    assert_accessible(page, "gradebook")
    attempt_link(page, "50%", "review-rita").click()
    expect(page.get_by_role("heading", name=f"review-rita: {TITLE}, attempt 1")).to_be_visible()
    expect(page.locator(".facts dt", has_text="Score").locator("+ dd")).to_have_text("2 / 4")
    for prompt, planned in PLAN.items():
        answered = page.locator("ol.recap > li").filter(
            has=page.get_by_role("heading", name=prompt, level=2)
        )
        expect(answered.locator(".verdict-small")).to_have_text(
            "Wrong" if planned.missed else "Right"
        )
    assert_accessible(page, "attempt drill-down")
    page.go_back()
    page.get_by_role("link", name=f"Item statistics for {TITLE}").click()
    expect(page.get_by_role("heading", name=f"Item statistics: {TITLE}")).to_be_visible()
    expect(page.locator("main")).to_contain_text("1 submitted attempt analysed")
    for prompt, planned in PLAN.items():
        expect(facility(page, prompt)).to_have_text("0%" if planned.missed else "100%")
    assert_accessible(page, "item statistics")

    # A second student gets everything right: the statistics move.
    raj = new_context().new_page()
    register_student(raj, server, "review-raj")
    play_assignment(raj, code, miss=set())
    page.reload()
    expect(page.locator("main")).to_contain_text("2 submitted attempts analysed")
    for prompt, planned in PLAN.items():
        expect(facility(page, prompt)).to_have_text("50%" if planned.missed else "100%")
        if planned.missed:
            row = page.locator("table.item-stats tbody tr").filter(has_text=prompt)
            expect(row.locator("td").nth(2)).to_have_text("0.71")  # sample SD of 0 and 1
    assert_accessible(page, "item statistics, two attempts")
    page.screenshot(path=str(artifacts / "statistics.png"), full_page=True)

    page.get_by_role("navigation", name=CLASS).get_by_role("link", name="Gradebook").click()
    expect_gradebook_row(page, "review-raj", "100%")
    expect(page.locator("table.gradebook tfoot td").first).to_contain_text("75%")
    page.screenshot(path=str(artifacts / "gradebook.png"), full_page=True)
    page.get_by_role("navigation", name=CLASS).get_by_role("link", name="Class overview").click()
    expect(page.get_by_role("heading", name=f"Class overview: {CLASS}")).to_be_visible()
    section_3_1 = page.locator("table.mastery tbody tr").filter(has_text="3.1 Early Expansion")
    expect(section_3_1.locator("td")).to_have_text(["50%", "1 / 2", "1", "2"])
    assert_accessible(page, "class overview")
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)
    page.get_by_role("navigation", name=CLASS).get_by_role("link", name="Gradebook").click()
    page.get_by_role("link", name="review-rita", exact=True).click()
    expect(page.get_by_role("heading", name=f"review-rita in {CLASS}")).to_be_visible()
    expect(page.locator("table tbody tr").first).to_contain_text("2 / 4 (50%)")
    assert_accessible(page, "student page")

    # Two days later both misses are due; the student reviews them by keyboard, right.
    let_two_days_pass(live_app, "review-rita")
    rita.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    due_line = rita.locator(".due-line")
    expect(due_line).to_contain_text("2 questions you missed are due for review.")
    assert_accessible(rita, "home page with questions due")
    tab_to(rita, due_line.get_by_role("link", name="Review my mistakes"))
    rita.keyboard.press("Enter")
    expect(rita.locator(".due-line")).to_have_text("2 questions due for review.")
    assert_accessible(rita, "review my mistakes, two due")
    rita.screenshot(path=str(artifacts / "mistakes.png"), full_page=True)
    tab_to(rita, rita.get_by_role("button", name="Review 2 due questions now"))
    rita.keyboard.press("Enter")
    reviewed = []
    for position in (1, 2):
        expect(rita.locator("#progress-label")).to_have_text(f"Question {position} of 2")
        prompt = rita.locator("h1#prompt").inner_text()
        reviewed.append(prompt)
        if position == 1:
            assert_accessible(rita, "review question")
        answer_by_keyboard(rita, PLAN[prompt].right)
        verdict = rita.locator("h1.verdict")
        expect(verdict).to_have_text("Right")
        expect(verdict).to_be_focused()
        if position == 1:
            assert_accessible(rita, "review feedback")
        tab_to(
            rita, rita.get_by_role("link", name=re.compile("^(Next question|See your results)$"))
        )
        rita.keyboard.press("Enter")
    assert sorted(reviewed) == sorted(MISSED)
    expect(rita.locator(".score-line .score")).to_have_text("2 out of 2")
    expect(rita.locator(".muted", has_text="Review of my mistakes")).to_be_visible()
    rita.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(rita.locator(".due-line")).to_have_text(re.compile(r"^No question is due for review\."))
    rita.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Review my mistakes"
    ).click()
    expect(rita.locator(".due-line")).to_contain_text("Nothing is due.")
    expect(queue).to_have_count(2)
    for row in queue.all():
        expect(row.locator("td").first).to_have_text("2")  # up a box, due in 3 days

    # A review is the student's own practice: the teacher's reports do not count it.
    page.get_by_role("navigation", name=CLASS).get_by_role("link", name="Gradebook").click()
    expect_gradebook_row(page, "review-rita", "50%")
    page.get_by_role("navigation", name=CLASS).get_by_role("link", name="Class overview").click()
    expect(section_3_1.locator("td")).to_have_text(["50%", "1 / 2", "1", "2"])

    # My progress: both charts with their text alternatives, and the sections table.
    rita.get_by_role("navigation", name="Main").get_by_role("link", name="My progress").click()
    expect(rita.get_by_role("heading", name="My progress", level=1)).to_be_visible()
    score_chart = rita.locator('svg[aria-labelledby="score-chart-title score-chart-desc"]')
    expect(score_chart).to_have_attribute("role", "img")
    expect(rita.get_by_role("img", name=re.compile("^Your scores over time"))).to_be_visible()
    over_time = rita.locator("section", has=rita.get_by_role("heading", name="Scores over time"))
    expect(over_time.locator("figcaption")).to_have_text(
        re.compile(
            r"^2 rounds from .+ to .+\. Latest score 100%, average 75%, best 100%\."
            r" The figures as a table\.$"
        )
    )
    section_chart = rita.locator('svg[aria-labelledby="section-chart-title section-chart-desc"]')
    expect(section_chart).to_have_attribute("role", "img")
    expect(rita.get_by_role("img", name=re.compile("^Your mastery by section"))).to_be_visible()
    by_section = rita.locator("section", has=rita.get_by_role("heading", name="Mastery by section"))
    expect(by_section.locator("figcaption")).to_have_text(
        re.compile(
            r"^Strongest: 2\.1 The Russian/Alternative Narrative, 100%\."
            r" Weakest: 3\.1 Early Expansion \(1999-2004\), 50%\."
            r" No answers yet for \d+ of \d+\. The figures as a table\.$"
        )
    )
    sections = rita.locator("table#sections-table tbody tr")
    expect(sections.filter(has_text=re.compile(r"^1 The Historical Context"))).to_contain_text(
        "67%"
    )
    expect(sections.filter(has_text="2.1 The Russian")).to_contain_text("100%")
    expect(sections.filter(has_text="3.1 Early Expansion")).to_contain_text("50%")
    expect(sections.filter(has_text="No answers yet").first).to_be_visible()
    expect(rita.locator("table#rounds-table tbody tr")).to_have_count(2)
    rita.screenshot(path=str(artifacts / "progress.png"), full_page=True)
    charts_end = by_section.locator("figure").bounding_box()
    top = {"x": 0, "y": 0, "width": rita.viewport_size["width"]}
    top["height"] = charts_end["y"] + charts_end["height"] + 12
    rita.screenshot(path=str(DOCS / "progress.png"), full_page=True, clip=top)
    assert_accessible(rita, "my progress")

    # Printed, the charts and their figures stay and the navigation and forms go.
    rita.emulate_media(media="print")
    expect(score_chart).to_be_visible()
    expect(section_chart).to_be_visible()
    expect(rita.locator("table#sections-table")).to_be_visible()
    expect(rita.get_by_role("navigation", name="Main")).to_be_hidden()
    rita.pdf(path=str(artifacts / "progress.pdf"))
    rita.emulate_media(media="screen")


# --- the gradebook of a class further into the term ----------------------------------------------


def test_the_gradebook_marks_late_and_missing_work_and_switches_policy(
    page: Page, server, live_app, create_teacher, artifacts
):
    """Three assignments and four students built in the database: the teacher reads best
    attempts, sees late and missing work marked, switches to last attempts by keyboard and
    opens a late attempt."""
    now = utcnow()
    password = create_teacher("tara")
    with live_app.app_context():
        tara = db.session.scalar(select(User).where(User.username == "tara"))
        classroom = create_classroom(tara, "Year 13, set T")
        names = ["amira", "bogdan", "chloe", "dmitri"]
        students = {name: create_user(name) for name in names}
        for student in students.values():
            enroll(classroom, student)
        week1 = create_assignment(
            classroom, title="Week 1: Moscow", attempts_allowed=0, opens_at=now - 20 * DAY
        )
        week2 = create_assignment(
            classroom,
            title="Week 2: Two Plus Four",
            section="2.1",
            opens_at=now - 14 * DAY,
            due_at=now - 7 * DAY,
        )
        week3 = create_assignment(
            classroom, title="Week 3: 1999", section="3.1", opens_at=now - 2 * DAY
        )
        stored_attempt(week1, students["amira"], percent(2), finished_at=now - 18 * DAY)
        stored_attempt(week1, students["amira"], percent(5), attempt=2, finished_at=now - 16 * DAY)
        stored_attempt(week1, students["amira"], percent(3), attempt=3, finished_at=now - 15 * DAY)
        stored_attempt(week1, students["bogdan"], percent(4), finished_at=now - 17 * DAY)
        stored_attempt(week1, students["chloe"], percent(1), finished_at=now - 17 * DAY)
        stored_attempt(week2, students["amira"], percent(4), finished_at=now - 9 * DAY)
        late = stored_attempt(week2, students["bogdan"], percent(3), finished_at=now - 5 * DAY).id
        stored_attempt(week3, students["chloe"], [1.0, 0.0, None, None, None])
        class_id = classroom.id

    log_in(page, server, "tara", password)
    page.goto(f"{server}/teach/classes/{class_id}")
    page.get_by_role("navigation", name="Year 13, set T").get_by_role(
        "link", name="Gradebook"
    ).click()
    expect(page.get_by_role("heading", name="Gradebook: Year 13, set T")).to_be_visible()
    amira = page.locator("table.gradebook tbody tr").filter(has_text="amira")
    expect(amira.locator("td").nth(0)).to_contain_text("100%")  # her best of three
    expect(amira.locator("td").nth(0)).to_contain_text("(3 attempts)")
    bogdan = page.locator("table.gradebook tbody tr").filter(has_text="bogdan")
    expect(bogdan.locator("td").nth(1)).to_contain_text("60%")
    expect(bogdan.locator("td").nth(1)).to_contain_text("Late")
    chloe = page.locator("table.gradebook tbody tr").filter(has_text="chloe")
    expect(chloe.locator("td").nth(1)).to_have_text("Missing")
    expect(chloe.locator("td").nth(2)).to_contain_text("In progress")
    dmitri = page.locator("table.gradebook tbody tr").filter(has_text="dmitri")
    expect(dmitri.locator("td").nth(0)).to_have_text("Not started")
    assert_accessible(page, "gradebook with late and missing work")
    page.screenshot(path=str(DOCS / "gradebook.png"), full_page=True)

    tab_to(page, page.get_by_label("Each cell shows"))
    page.keyboard.press("ArrowDown")  # Best attempt -> Last attempt
    tab_to(page, page.get_by_role("button", name="Show"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Each cell shows")).to_have_value("last")
    expect(amira.locator("td").nth(0)).to_contain_text("60%")  # her last: 3 of 5

    bogdan.get_by_role("link", name=re.compile("60%")).click()
    expect(page.get_by_role("heading", name=re.compile("bogdan: Week 2"))).to_be_visible()
    assert page.url.endswith(f"/teach/attempts/{late}")
    expect(page.locator(".tag-late")).to_have_text("Late")
    assert_accessible(page, "a late attempt in full")
    page.screenshot(path=str(artifacts / "late-attempt.png"), full_page=True)
