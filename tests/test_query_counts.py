"""A request runs as many SQL queries with a bank of 10,000 questions as with the shipped one."""

import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import event

from quizapp import create_app, current_bank
from quizapp.domain.bank import load_bank
from quizapp.extensions import db
from quizapp.models import Round
from quizapp.query_count import HEADER
from tests.factories import PASSWORD, right_form

SHIPPED_BANK = Path(__file__).parents[1] / "questions"
BIG_BANK_SIZE = 10_000
ROUND_LENGTH = 10


@pytest.fixture(scope="module")
def big_bank_dir(tmp_path_factory):
    """The shipped bank plus 10,000 generated questions, each citing a passage verbatim
    (the quotes of the shipped questions, cycled)."""
    root = tmp_path_factory.mktemp("big-bank")
    shutil.copytree(SHIPPED_BANK, root, dirs_exist_ok=True)
    shipped = load_bank(SHIPPED_BANK)
    citations = sorted({(q.section, q.quote) for q in shipped.questions if q.quote})
    questions = [
        {
            "id": f"generated-{number:05d}",
            "type": "single",
            "kind": "fact",
            "prompt": f"Generated question {number}: which passage does this cite?",
            "options": [
                {"text": f"Passage {number}", "correct": True},
                {"text": f"Not passage {number}"},
                {"text": f"Neither, {number}"},
            ],
            "section": section,
            "quote": quote,
            "explanation": f"Question {number} cites section {section}.",
            "difficulty": 1 + number % 3,
            "topics": ["generated"],
        }
        for number, (section, quote) in enumerate(
            (citations[n % len(citations)] for n in range(BIG_BANK_SIZE)), start=1
        )
    ]
    # JSON is YAML, and much quicker to write than yaml.safe_dump makes it.
    text = "questions:\n" + "".join(f"  - {json.dumps(q)}\n" for q in questions)
    (root / "bank" / "99-generated.yaml").write_text(text, encoding="utf-8")
    return root


def count_queries_of_a_session(bank_dir, database_url, username) -> tuple[int, dict[str, int]]:
    """The size of the bank under `bank_dir`, and the queries of each page a new learner
    visits in a round on an app over it."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "QUIZAPP_BANK_DIR": str(bank_dir),
        }
    )
    with app.app_context():
        db.create_all()
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    client = app.test_client()
    form = {"username": username, "password": PASSWORD, "confirm": PASSWORD}
    client.post("/register", data=form)

    counts = {}

    def visit(step, method, url, **kwargs):
        statements.clear()
        response = client.open(url, method=method, **kwargs)
        assert response.status_code in (200, 302), (step, response.status_code)
        counts[step] = len(statements)
        return response

    started = visit("start", "POST", "/rounds", data={"scope": "all", "length": ROUND_LENGTH})
    question_url = started.headers["Location"]
    round_id = int(re.search(r"/rounds/(\d+)/", question_url).group(1))
    visit("home", "GET", "/")
    visit("question", "GET", question_url)
    with app.app_context():
        first = db.session.get(Round, round_id).items[0].question
    visit("answer", "POST", question_url, data=right_form(first))
    visit("feedback", "GET", question_url)
    visit("recap", "GET", f"/review/rounds/{round_id}")
    visit("scores", "GET", "/review/scores")
    with app.app_context():
        db.engine.dispose()
    return len(current_bank_of(app).questions), counts


def current_bank_of(app):
    with app.app_context():
        return current_bank()


def test_a_round_runs_as_many_queries_with_ten_thousand_questions(big_bank_dir, database_url):
    _, shipped = count_queries_of_a_session(SHIPPED_BANK, database_url, "ada")
    big_size, big = count_queries_of_a_session(big_bank_dir, database_url, "bob")

    assert big_size > BIG_BANK_SIZE
    assert big == shipped, (shipped, big)
    assert all(count > 0 for count in shipped.values())


def test_the_query_count_header_only_when_asked(app_config):
    counted = create_app(app_config | {"QUIZAPP_COUNT_QUERIES": True})
    with counted.app_context():
        db.create_all()

    assert counted.test_client().get("/login").headers[HEADER] == "0"
    assert HEADER not in create_app(app_config).test_client().get("/login").headers
