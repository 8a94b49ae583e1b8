"""Every HTML page of the URL map, as each visitor who may see it, on a phone and a desktop.

The pages are not listed here: each GET rule of `app.url_map` is built with every set of
URL arguments that `sweep_world` offers (a seeded database holding every kind of object in
every state), so a new page joins the sweep by itself. A URL a visitor gets as 200
`text/html` is opened in Chromium at 375 x 740 and at 1280 x 800, and fails on a
horizontal page scroll, on a console error, or on a failed request (a 4xx/5xx or an
aborted load of anything the page asks for). A page no visitor could open fails too, so
a route whose arguments `sweep_world` cannot fill is never silently left out.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from werkzeug.routing import BuildError

from quizapp import attempt_store, class_store, current_bank, live_store, question_store
from quizapp.domain.assignments import Override
from quizapp.domain.grading import grade, parse_response, response_to_json
from quizapp.domain.questions import Choice, QuestionType
from quizapp.domain.rounds import present
from quizapp.extensions import db
from quizapp.models import MARK_MANUAL, MODE_TEST, utcnow
from tests.e2e.conftest import DOCS
from tests.factories import (
    PASSWORD,
    create_assignment,
    create_classroom,
    create_user,
    enroll,
    make_question,
    right_form,
    start_round_with,
    stored_attempt,
    wrong_form,
)

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 800}}
ROLES = ("anonymous", "student", "teacher")
ACCOUNTS = {"student": "sweep-sam", "teacher": "sweep-tia"}
# Endpoints that answer something other than a page (files, downloads).
NOT_PAGES = {"static"}


@dataclass
class World:
    """Sets of URL arguments that name seeded objects together (a round and a position,
    a class and a student); a rule takes every set that holds all of its arguments."""

    argument_sets: list[dict] = field(default_factory=list)
    # The page the README shows on a phone: the long matching question, unanswered.
    phone_showcase: str = ""


def answer_item(item, form: dict, now) -> None:
    """Answer a round item through the store, as the play view does."""
    q = item.question
    values = {name: value if isinstance(value, list) else [value] for name, value in form.items()}
    response = parse_response(q, values)
    attempt_store.answer(
        item.round_id, item.id, response_to_json(q, response), grade(q, response), now
    )
    db.session.commit()


def long_matching_question():
    """A matching question whose options run long, as some of the bank's do and longer."""
    return make_question(
        "matching",
        id="sweep-long-matching",
        choices=tuple(
            Choice(
                f"c{n}",
                f"{name}, who spoke at length in Moscow and Bonn about the future "
                "of the alliance and what its jurisdiction would mean for Europe",
            )
            for n, name in enumerate(("George H.W. Bush", "James Baker", "Helmut Kohl"), 1)
        ),
    )


def seed_world(app) -> World:
    world = World()
    sets = world.argument_sets
    now = utcnow()
    rng = random.Random(16)
    with app.app_context():
        student = create_user(ACCOUNTS["student"], PASSWORD)
        teacher = create_user(ACCOUNTS["teacher"], PASSWORD, role="teacher")
        newcomer = create_user("sweep-nia", PASSWORD)
        bank = current_bank()

        # The teacher's own questions: one per type, one retired, one edited twice.
        own = [
            question_store.create_question(teacher, make_question(t.value, id=f"sweep-{t.value}"))
            for t in QuestionType
            if t not in (QuestionType.SHORT, QuestionType.NUMERIC)
        ]
        own.append(question_store.create_question(teacher, long_matching_question()))
        db.session.commit()
        question_store.retire(own[1])
        question_store.update_question(
            own[0], make_question("single", prompt="Who spoke of “not one inch”, edited?")
        )
        db.session.commit()
        for row in own:
            for version in row.versions:
                sets.append({"question_id": row.id, "number": version.number})
        for q in bank.questions:
            sets.append({"question_id": q.id})

        # A practice round under way holding a question of every type, every matching
        # question of the bank and a long one; its first half answered, right and wrong
        # (their feedback pages).
        by_type = {}
        for q in bank.questions:
            by_type.setdefault(q.type, q)
        chosen = list(by_type.values()) + [
            q
            for q in bank.questions
            if q.type is QuestionType.MATCHING and q.id not in {c.id for c in by_type.values()}
        ]
        chosen.append(long_matching_question())
        under_way = start_round_with(student, [present(q, rng) for q in chosen])
        for n, item in enumerate(under_way.items[: len(chosen) // 2]):
            answer_item(item, (right_form if n % 2 else wrong_form)(item.question), now)
        for item in under_way.items:
            sets.append({"round_id": under_way.id, "position": item.position})
        # A round opens only its first unanswered question: one round per question, so
        # each is seen unanswered (the long matching one is the README's phone screenshot).
        for q in chosen:
            single = start_round_with(student, [present(q, rng)])
            sets.append({"round_id": single.id, "position": 1})
        world.phone_showcase = f"/rounds/{single.id}/questions/1"

        # A finished round with partial credit.
        finished = start_round_with(
            student, [make_question(t) for t in ("multiple", "ordering", "matching", "single")]
        )
        for item in finished.items:
            q = item.question
            form = right_form(q) if q.type is not QuestionType.MULTIPLE else {"choice": ["c1"]}
            answer_item(item, form, now)
        sets.append({"round_id": finished.id, "position": 1})

        # Classes: one with assignments in every state, one empty.
        classroom = create_classroom(teacher, "Year 12 History, the long afternoon group")
        empty = create_classroom(teacher, "An empty class")
        enroll(classroom, student)
        enroll(classroom, newcomer)
        sets += [{"class_id": empty.id}]
        for who in (student, newcomer):
            sets.append({"class_id": classroom.id, "student_id": who.id})
        day = timedelta(days=1)
        assignments = [
            create_assignment(classroom, title="Open practice", opens_at=now - day),
            create_assignment(
                classroom,
                title="A test of ticked questions",
                opens_at=now - day,
                mode=MODE_TEST,
                question_ids=[q.id for q in chosen[:4]] + [own[0].public_id],
                section=None,
                length=5,
                attempts_allowed=2,
            ),
            create_assignment(classroom, title="Not open yet", opens_at=now + 3 * day),
            create_assignment(
                classroom,
                title="Closed, late work marked",
                opens_at=now - 9 * day,
                due_at=now - 6 * day,
                closes_at=now - 2 * day,
                attempts_allowed=0,
            ),
        ]
        closed = assignments[3]
        submitted = stored_attempt(
            closed,
            student,
            [1.0, 0.5, 2 / 3, 0.0, None],
            started_at=now - 5 * day,
            finished_at=now - 5 * day + timedelta(minutes=9),
        )
        # A teacher's mark with a long comment on it (the attempt page, the student's review).
        attempt_store.change_mark(
            submitted.id,
            submitted.items[3].id,
            kind=MARK_MANUAL,
            teacher_id=teacher.id,
            now=now - 4 * day,
            manual_score=0.75,
            comment="Half of it is right: the treaty was signed in Moscow on 12 September "
            "1990, not in Bonn.\nSee https://en.wikipedia.org/wiki/Treaty_on_the_Final_Settlement"
            "_with_Respect_to_Germany_and_its_long_name",
        )
        db.session.commit()
        sets.append({"round_id": submitted.id, "position": 1})
        left_open = stored_attempt(
            closed, student, [1.0, None, None], attempt=2, started_at=now - 3 * day
        )
        test_round = attempt_store.start_attempt(student, assignments[1], bank, now, seed=3)
        db.session.commit()
        answer_item(test_round.items[0], wrong_form(test_round.items[0].question), now)
        practice = attempt_store.start_attempt(student, assignments[0], bank, now, seed=4)
        db.session.commit()
        for item in practice.items:
            answer_item(item, right_form(item.question), now)
        for a_round in (test_round, practice, left_open):
            sets.append({"round_id": a_round.id, "position": 1})
            sets.append({"round_id": a_round.id, "position": 2})
        for assignment in assignments:
            sets.append({"class_id": classroom.id, "assignment_id": assignment.id})
        # Overrides: an extra attempt at the test, a later close of the closed assignment.
        class_store.save_override(assignments[1], student, Override(extra_attempts=1), now)
        class_store.save_override(closed, student, Override(closes_at=now + day), now)
        db.session.commit()
        for assignment in (assignments[1], closed):
            sets.append({"assignment_id": assignment.id, "student_id": student.id})

        # Regrading: a test taken on the edited question's version 2, which is edited again
        # (key changed), regraded (the history), then edited once more, so "Regrade attempts"
        # lists the submitted attempt to regrade and the test under way as waiting.
        regraded = create_assignment(
            classroom,
            title="A regraded test",
            opens_at=now - day,
            mode=MODE_TEST,
            question_ids=[own[0].public_id],
            section=None,
            length=1,
        )
        taken = attempt_store.start_attempt(student, regraded, bank, now, seed=6)
        db.session.commit()
        answer_item(taken.items[0], wrong_form(taken.items[0].question), now)
        attempt_store.submit(taken.id, now)
        db.session.commit()
        for number, key in ((3, "c2"), (4, "c3")):
            question_store.update_question(
                own[0], make_question("single", answer=key, explanation=f"Key of version {number}.")
            )
            db.session.commit()
            if number == 3:
                attempt_store.regrade_question(
                    own[0], teacher_id=teacher.id, now=now, keep_manual=True
                )
                db.session.commit()

        # A live session the student has joined, on its first question: questions that are
        # not in the test under way (a live session refuses those).
        session = live_store.create(
            classroom, chosen[4:7], {}, live_store.Settings(30, False, False), now, random.Random(5)
        )
        db.session.commit()
        live_store.join(student, session.code, now)
        db.session.commit()
        live_store.act(session.id, "start", 0, now)
        db.session.commit()
        sets.append({"session_id": session.id})
    return world


@pytest.fixture(scope="module")
def sweep_world(live_app) -> World:
    return seed_world(live_app)


def page_urls(app, world: World) -> dict[str, list[str]]:
    """Every GET rule's URLs, built with each argument set that fills it, by endpoint."""
    adapter = app.url_map.bind("127.0.0.1")
    urls: dict[str, list[str]] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        built = urls.setdefault(rule.endpoint, [])
        candidates = [s for s in world.argument_sets if rule.arguments <= s.keys()]
        for values in candidates if rule.arguments else [{}]:
            try:
                url = adapter.build(rule.endpoint, {k: values[k] for k in rule.arguments})
            except (BuildError, ValueError):
                continue
            if url not in built:
                built.append(url)
    return urls


def logged_in_state(browser: Browser, server: str, role: str) -> dict | None:
    if role == "anonymous":
        return None
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/login")
    page.get_by_label("Username").fill(ACCOUNTS[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(server + "/")
    state = context.storage_state()
    context.close()
    return state


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const scrolls = (el) => el.parentElement && el.parentElement !== document.body
    && (getComputedStyle(el.parentElement).overflowX !== 'visible' || scrolls(el.parentElement));
  const past = (el) => el.getBoundingClientRect().right > width + 1;
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => past(el) && !scrolls(el))
    .filter((el) => ![...el.children].some((c) => past(c) && !scrolls(c)))
    .slice(0, 4)
    .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
      + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
  return document.documentElement.scrollWidth + 'px wide: ' + wide.join(', ');
}"""


# Chart text as rendered: its font size times the scale the SVG is drawn at.
SMALL_CHART_TEXT = """() => [...document.querySelectorAll('svg text')]
  .map((t) => [t.textContent, t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize)])
  .filter(([, px]) => px < 12)
  .map(([text, px]) => `"${text}" at ${px.toFixed(1)}px`)"""

# The icon a browser asks for: the page's own, or /favicon.ico when it names none.
ICON = """() => (document.querySelector('link[rel~="icon"]') || {}).href
  || new URL('/favicon.ico', location.href).href"""


def problems_of_page(page: Page, url: str) -> list[str]:
    """Open `url`; what is wrong with it: overflow, console errors, failed requests
    (the icon too, which headless Chromium does not ask for), chart text under 12 px."""
    problems: list[str] = []

    def on_console(message):
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    def on_response(response):
        if response.status >= 400:
            problems.append(f"{response.status} for {response.url}")

    def on_failed(request):
        # ERR_ABORTED: a request still in flight when the sweep moves on (the icon, often).
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"request failed: {request.url} ({request.failure})")

    def on_page_error(error):
        problems.append(f"page error: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    try:
        page.goto(url, wait_until="load")
        overflow = page.evaluate(OVERFLOW)
        if overflow:
            problems.append(f"horizontal scroll: {overflow}")
        small = page.evaluate(SMALL_CHART_TEXT)
        if small:
            problems.append(f"chart text under 12 px: {', '.join(small[:3])}")
        icon = page.context.request.get(page.evaluate(ICON))
        if icon.status >= 400:
            problems.append(f"{icon.status} for the icon {icon.url}")
        icon.dispose()
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_page_error)
        page.remove_listener("response", on_response)
        page.remove_listener("requestfailed", on_failed)
    return problems


def contexts(browser: Browser, server: str):
    """One browser context per visitor and viewport, logged in once per visitor."""
    for role in ROLES:
        state = logged_in_state(browser, server, role)
        for viewport_name, viewport in VIEWPORTS.items():
            yield role, viewport_name, browser.new_context(viewport=viewport, storage_state=state)


def probe(context: BrowserContext, url: str) -> tuple[bool, bool]:
    """(answered, is a page): whether the visitor gets a 2xx/3xx, and a 200 HTML page."""
    response = context.request.get(url, max_redirects=0)
    content_type = response.headers.get("content-type", "")
    answer = (
        response.status < 400,
        response.status == 200 and content_type.startswith("text/html"),
    )
    response.dispose()
    return answer


def test_every_page_fits_a_phone_and_a_desktop_without_errors(
    browser, server, live_app, sweep_world
):
    urls = page_urls(live_app, sweep_world)
    failures: list[str] = []
    answered: dict[str, set[str]] = {endpoint: set() for endpoint in urls}
    visits = 0
    for role, viewport, context in contexts(browser, server):
        page = context.new_page()
        for endpoint, paths in urls.items():
            for path in paths:
                ok, is_page = probe(context, server + path)
                if ok:
                    answered[endpoint].add(role)
                if not is_page:
                    continue
                visits += 1
                for problem in problems_of_page(page, server + path):
                    failures.append(f"{path} as {role} on a {viewport}: {problem}")
        if (role, viewport) == ("student", "phone"):
            page.goto(server + sweep_world.phone_showcase)
            page.screenshot(path=str(DOCS / "phone-question.png"))
        context.close()
    unseen = sorted(endpoint for endpoint, roles in answered.items() if not roles)
    assert not unseen, f"no visitor could open these pages; seed what they need: {unseen}"
    assert visits > 50
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
