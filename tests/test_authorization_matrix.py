"""Who may do what: every route of the URL map, with every method, tried by five visitors,
against a small world where rounds, classes, assignments and questions belong to someone.

The answer each visitor gets is declared once, in `EXPECTED`. A route the URL map has and
`EXPECTED` lacks fails `test_every_route_is_declared` (and each of its cells), so a new
route cannot go untried. A refusal must leave the database exactly as it was.
"""

import random
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from werkzeug.security import generate_password_hash

from quizapp import attempt_store, create_app, current_bank, live_store, question_store
from quizapp.extensions import db
from quizapp.models import (
    ROLE_TEACHER,
    Assignment,
    AssignmentOverride,
    Enrollment,
    User,
    utcnow,
)
from tests.factories import (
    PASSWORD,
    create_assignment,
    create_classroom,
    make_question,
    start_round_with,
)

# The visitors. ada owns the round and is in tess's class; bob is in no class and has no
# round; tess owns the class, the assignment and the question; olga owns nothing of them.
ROLES = ("anonymous", "student", "other_student", "teacher", "other_teacher")
ACCOUNTS = {
    "student": "ada",
    "other_student": "bob",
    "teacher": "tess",
    "other_teacher": "olga",
}

LOGIN = "login"  # a redirect to the login page, to come back after logging in
PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashed once: scrypt is slow on purpose

# (endpoint, method): what anonymous, student, other student, teacher, other teacher get.
# 200/302/303 are the page or its redirect; 400 a form refused (the test posts no fields);
# 403 a student on a teacher's page; 404 what is someone else's, answered as if missing.
EXPECTED = {
    ("static", "GET"): (200, 200, 200, 200, 200),
    ("play.home", "GET"): (200, 200, 200, 200, 200),
    ("source.article", "GET"): (200, 200, 200, 200, 200),
    ("auth.login", "GET"): (200, 302, 302, 302, 302),
    ("auth.login", "POST"): (400, 302, 302, 302, 302),
    ("auth.register", "GET"): (200, 302, 302, 302, 302),
    ("auth.register", "POST"): (400, 302, 302, 302, 302),
    ("auth.logout", "POST"): (LOGIN, 302, 302, 302, 302),
    # Account settings: each user's own.
    ("account.settings", "GET"): (LOGIN, 200, 200, 200, 200),
    ("account.change_password", "POST"): (LOGIN, 400, 400, 400, 400),
    ("account.time_zone", "POST"): (LOGIN, 400, 400, 400, 400),
    # A learner's own rounds.
    ("play.start", "POST"): (LOGIN, 302, 302, 302, 302),  # a round of the form's defaults
    ("play.resume", "GET"): (LOGIN, 302, 404, 404, 404),
    ("play.question", "GET"): (LOGIN, 200, 404, 404, 404),
    ("play.question", "POST"): (LOGIN, 400, 404, 404, 404),
    ("play.submit", "POST"): (LOGIN, 302, 404, 404, 404),
    ("play.summary", "GET"): (LOGIN, 302, 404, 404, 404),  # a practice round: to its question
    ("review.scores", "GET"): (LOGIN, 200, 200, 200, 200),
    ("review.recap", "GET"): (LOGIN, 200, 404, 404, 404),
    ("review.mistakes", "GET"): (LOGIN, 200, 200, 200, 200),
    ("review.review_mistakes", "POST"): (LOGIN, 303, 303, 303, 303),  # nothing is due
    # Classes a student joins, and their assignments.
    ("play.join_class", "POST"): (LOGIN, 400, 400, 400, 400),
    ("play.start_assignment", "POST"): (LOGIN, 302, 404, 404, 404),
    # The teacher's workspace: a teacher's own things, never another teacher's.
    ("teach.dashboard", "GET"): (LOGIN, 403, 403, 200, 200),
    ("teach.create_class", "POST"): (LOGIN, 403, 403, 400, 400),
    ("teach.classroom", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.new_assignment", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.new_assignment", "POST"): (LOGIN, 403, 403, 400, 404),
    ("teach.assignment", "GET"): (LOGIN, 403, 403, 200, 404),
    # Overrides on tess's assignment (ada has one).
    ("teach.save_override", "POST"): (LOGIN, 403, 403, 400, 404),
    ("teach.edit_override", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.remove_override", "POST"): (LOGIN, 403, 403, 302, 404),
    # Reports: the gradebook, exports, overview, a student, an attempt, item statistics.
    ("teach.gradebook_page", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.gradebook_csv", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.responses_csv", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.class_overview", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.student_page", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.attempt", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.override_mark", "POST"): (LOGIN, 403, 403, 400, 404),  # no mark: the form refused
    ("teach.statistics", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.questions", "GET"): (LOGIN, 403, 403, 200, 200),
    ("teach.new_question", "GET"): (LOGIN, 403, 403, 200, 200),
    ("teach.new_question", "POST"): (LOGIN, 403, 403, 200, 200),  # the choice of type
    ("teach.question", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.edit_question", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.edit_question", "POST"): (LOGIN, 403, 403, 400, 404),
    ("teach.version", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.retire", "POST"): (LOGIN, 403, 403, 302, 404),
    ("teach.cite_suggested", "POST"): (LOGIN, 403, 403, 302, 404),
    ("teach.cite_all_suggested", "POST"): (LOGIN, 403, 403, 302, 302),
    ("teach.restore", "POST"): (LOGIN, 403, 403, 302, 404),
    # Regrading tess's question after an edit: the dry run, and applying it (no version posted).
    ("teach.regrade", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.apply_regrade", "POST"): (LOGIN, 403, 403, 400, 404),
    ("teach.library_question", "GET"): (LOGIN, 403, 403, 200, 200),
    ("teach.import_questions", "GET"): (LOGIN, 403, 403, 200, 200),
    ("teach.import_questions", "POST"): (LOGIN, 403, 403, 400, 400),
    ("teach.export_questions", "GET"): (LOGIN, 403, 403, 200, 200),
    # Live sessions: tess's session of her class, which ada has joined.
    ("play.join_live", "GET"): (LOGIN, 200, 200, 200, 200),
    ("play.join_live", "POST"): (LOGIN, 400, 400, 400, 400),
    ("play.live_session", "GET"): (LOGIN, 200, 404, 404, 404),
    # The session is in its lobby: ada's empty answer to question 1 is told it is not open.
    ("play.live_answer", "POST"): (LOGIN, 303, 404, 404, 404),
    ("play.live_state", "GET"): (404, 200, 404, 404, 404),  # a poll: no login page
    ("teach.new_live_session", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.new_live_session", "POST"): (LOGIN, 403, 403, 400, 404),
    ("teach.projector", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.join_qr", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.projector_state", "GET"): (LOGIN, 403, 403, 200, 404),
    ("teach.act", "POST"): (LOGIN, 403, 403, 303, 404),  # "start"
}


def url_map_routes() -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every rule and method of the app, HEAD and OPTIONS aside."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


ROUTES = url_map_routes()


@pytest.fixture
def world(app):
    """The owned things, and the value each URL argument takes to name them."""
    with app.app_context():
        users = {
            name: User(username=name, role=role, password_hash=PASSWORD_HASH)
            for name, role in [
                ("ada", "student"),
                ("bob", "student"),
                ("tess", ROLE_TEACHER),
                ("olga", ROLE_TEACHER),
            ]
        }
        db.session.add_all(users.values())
        db.session.commit()
        classroom = create_classroom(users["tess"])
        db.session.add(Enrollment(classroom=classroom, student=users["ada"]))
        assignment = create_assignment(classroom)
        db.session.add(
            AssignmentOverride(assignment=assignment, student=users["ada"], extra_attempts=1)
        )
        question = question_store.create_question(users["tess"], make_question("single"))
        a_round = start_round_with(users["ada"], [make_question("single")])
        db.session.commit()
        attempt = attempt_store.start_attempt(
            users["ada"], assignment, current_bank(), utcnow(), seed=1
        )
        db.session.commit()
        session = live_store.create(
            classroom,
            [make_question("single")],
            {},
            live_store.Settings(None, False, False),
            utcnow(),
            random.Random(1),
        )
        db.session.commit()
        live_store.join(users["ada"], session.code, utcnow())
        db.session.commit()
        return {
            "user_ids": {name: user.id for name, user in users.items()},
            "arguments": {
                "round_id": a_round.id,
                "position": 1,
                "class_id": classroom.id,
                "assignment_id": assignment.id,
                "question_id": question.id,
                "number": 1,
                "filename": "app.css",
                "student_id": users["ada"].id,
                "session_id": session.id,
                "action": "start",
            },
            "attempt_round_id": attempt.id,
            "library_question_id": current_bank().questions[0].id,
        }


def url_for_rule(endpoint: str, rule: str, world: dict) -> str:
    arguments = dict(world["arguments"])
    if endpoint == "teach.library_question":
        arguments["question_id"] = world["library_question_id"]
    if endpoint in ("teach.attempt", "teach.override_mark"):
        arguments["round_id"] = world["attempt_round_id"]
    url = rule
    for name, value in arguments.items():
        for converter in ("", "int:", "id:", "path:"):
            url = url.replace(f"<{converter}{name}>", str(value))
    assert "<" not in url, f"give {rule}'s arguments a value in `world`"
    return url


def visit(app, client, role: str, world: dict, endpoint: str, method: str, rule: str):
    if role != "anonymous":
        user_id = world["user_ids"][ACCOUNTS[role]]
        with client.session_transaction() as session:
            session["_user_id"] = f"{user_id}:0"  # generation 0: a new account
            session["_fresh"] = True
    url = url_for_rule(endpoint, rule, world)
    response = client.open(url, method=method, data={} if method == "POST" else None)
    response.close()
    return response


def database_snapshot(app) -> dict:
    with app.app_context():
        return {
            table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables
        }


def outcome(response):
    if response.status_code == 302 and response.headers["Location"].startswith("/login?next="):
        return LOGIN
    return response.status_code


def test_every_route_is_declared():
    declared = set(EXPECTED)
    routed = {(endpoint, method) for endpoint, method, _ in ROUTES}
    assert routed - declared == set(), "declare what each visitor gets in EXPECTED"
    assert declared - routed == set(), "EXPECTED names a route the app no longer has"


def test_the_url_map_has_routes_of_every_blueprint():
    blueprints = {endpoint.partition(".")[0] for endpoint, _, _ in ROUTES}
    assert {"account", "auth", "play", "review", "source", "teach", "static"} <= blueprints
    assert sum(endpoint.startswith("teach.") for endpoint, _, _ in ROUTES) >= 15


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method", "rule"), ROUTES, ids=lambda v: str(v))
def test_each_visitor_gets_what_is_declared(app, client, world, endpoint, method, rule, role):
    if (endpoint, method) not in EXPECTED:
        pytest.fail(f"{method} {rule} ({endpoint}) has no line in EXPECTED")
    expected = EXPECTED[(endpoint, method)][ROLES.index(role)]
    before = database_snapshot(app)
    response = visit(app, client, role, world, endpoint, method, rule)
    assert outcome(response) == expected
    if expected in (LOGIN, 403, 404):
        assert database_snapshot(app) == before, "a refused request changed the database"


GET_ROUTES = [(endpoint, rule) for endpoint, method, rule in ROUTES if method == "GET"]


@pytest.mark.parametrize("role", ROLES)
def test_no_get_writes_to_the_database(app, client, world, role):
    """Reads never write: every GET page of the URL map, as each visitor, with an attempt
    left open past its assignment's close (which pages read as closed), issues no INSERT,
    UPDATE or DELETE."""
    with app.app_context():
        assignment = db.session.get(Assignment, world["arguments"]["assignment_id"])
        assignment.opens_at = utcnow() - timedelta(days=2)
        assignment.closes_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        engine = db.engine
    writes = []

    def record_writes(_conn, _cursor, statement, *_):
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement.split("\n", 1)[0])

    event.listen(engine, "before_cursor_execute", record_writes)
    try:
        for endpoint, rule in GET_ROUTES:
            response = visit(app, client, role, world, endpoint, "GET", rule)
            assert response.status_code < 500, rule
            assert writes == [], f"GET {rule} as {role} wrote: {writes}"
    finally:
        event.remove(engine, "before_cursor_execute", record_writes)
    assert len(GET_ROUTES) >= 20
