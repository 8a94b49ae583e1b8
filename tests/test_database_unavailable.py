"""A database that is busy or out of reach: the request gets a 503 page with `Retry-After`
that says when to try again, rendered without touching the database, and nothing is
half-written.

On SQLite, another process holding the write lock past the busy timeout; on both databases,
a database that cannot be reached at all (a PostgreSQL restarting, a missing file). The
busy timeout is shortened here so that the tests wait a fraction of a second, not 5 s.
"""

import sqlite3
import time

import pytest
from sqlalchemy import event, func, make_url, select

from quizapp import create_app, extensions
from quizapp.extensions import db
from quizapp.models import Answer, Round, User
from tests.conftest import TEST_DATABASE
from tests.factories import PASSWORD, logged_in, make_question, right_form, start_round_with

BUSY_TIMEOUT = 0.4  # seconds, in place of the 5 s of production


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def assert_busy_page(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"  # the busy timeout, in whole seconds
    html = response.get_data(as_text=True)
    assert "Nothing was saved from this request" in html
    assert "try again in 1 second" in html
    assert "Log in" not in html  # the page does not pretend the visitor is logged out


@pytest.fixture
def sqlite_app(app, monkeypatch):
    """The test's app on SQLite, with a short busy timeout on every new connection."""
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "sqlite":
        pytest.skip("SQLite's write lock: runs with QUIZAPP_TEST_DATABASE=sqlite")
    monkeypatch.setattr(extensions, "BUSY_TIMEOUT_SECONDS", BUSY_TIMEOUT)
    with app.app_context():
        db.engine.dispose()  # the pool's connections were made with the old timeout
    return app


@pytest.fixture
def write_lock(sqlite_app):
    """Take SQLite's write lock from another connection, as a long writer in another
    process would; `release()` lets go of it."""
    path = make_url(sqlite_app.config["SQLALCHEMY_DATABASE_URI"]).database

    class Lock:
        def __init__(self):
            self.connection = sqlite3.connect(path, isolation_level=None)

        def take(self):
            self.connection.execute("BEGIN IMMEDIATE")

        def release(self):
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")

    lock = Lock()
    yield lock
    lock.release()
    lock.connection.close()


def test_starting_a_round_while_the_database_is_locked_gets_a_503_and_saves_nothing(
    sqlite_app, user, write_lock
):
    client = logged_in(sqlite_app, "ada")
    write_lock.take()

    started = time.monotonic()
    response = client.post("/rounds", data={"scope": "all", "length": "5"})
    elapsed = time.monotonic() - started

    assert_busy_page(response)
    assert elapsed < BUSY_TIMEOUT * 2.5
    write_lock.release()
    assert count(sqlite_app, Round) == 0
    assert client.post("/rounds", data={"scope": "all", "length": "5"}).status_code == 302
    assert count(sqlite_app, Round) == 1


def test_an_answer_while_the_database_is_locked_gets_a_503_within_the_busy_timeout(
    sqlite_app, user, write_lock
):
    question = make_question("single")
    with sqlite_app.app_context():
        round_id = start_round_with(db.session.get(User, user.id), [question]).id
    client = logged_in(sqlite_app, "ada")
    url = f"/rounds/{round_id}/questions/1"
    assert client.get(url).status_code == 200
    tries = []
    with sqlite_app.app_context():
        event.listen(
            db.engine,
            "before_cursor_execute",
            lambda _c, _k, statement, *_: tries.append(statement.startswith("BEGIN IMMEDIATE")),
        )
    write_lock.take()

    started = time.monotonic()
    response = client.post(url, data=right_form(question))
    elapsed = time.monotonic() - started

    assert_busy_page(response)
    # One wait of the busy timeout, not one per retry (four of them took 21 s).
    assert elapsed < BUSY_TIMEOUT * 2.5
    assert sum(tries) == 1  # a try that waited out the busy timeout is not repeated
    write_lock.release()
    assert count(sqlite_app, Answer) == 0
    # Sent again once the lock is gone, the answer is taken: nothing was lost.
    assert client.post(url, data=right_form(question)).status_code == 302
    assert count(sqlite_app, Answer) == 1


def test_a_locked_database_gets_the_busy_page_on_every_write(sqlite_app, user, write_lock):
    client = logged_in(sqlite_app, "ada")
    write_lock.take()
    assert_busy_page(client.post("/logout"))
    write_lock.release()
    assert client.get("/review/scores").status_code == 200  # the logout was not saved


# --- a database out of reach ----------------------------------------------------------------


def unreachable_url(tmp_path) -> str:
    if TEST_DATABASE == "postgresql":
        # Nothing listens on port 1: connecting fails at once, as during a restart.
        return "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2"
    return f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'quizapp.sqlite'}"


@pytest.fixture
def cut_off(app, app_config, tmp_path, user):
    """A logged-in browser, and the same app's settings on a database that cannot be
    reached; how many times that app tried to connect."""
    client = logged_in(app, "ada")
    down = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": unreachable_url(tmp_path)})
    attempts = []
    with down.app_context():
        event.listen(db.engine, "do_connect", lambda *args: attempts.append(1))
    cookie = client.get_cookie("session").value
    browser = down.test_client()
    browser.set_cookie("session", cookie)
    yield browser, attempts
    with down.app_context():
        db.engine.dispose()


def test_a_page_while_the_database_cannot_be_reached_gets_the_503_page(cut_off, monkeypatch):
    monkeypatch.setattr(extensions, "BUSY_TIMEOUT_SECONDS", BUSY_TIMEOUT)
    browser, attempts = cut_off

    response = browser.get("/review/scores")

    assert_busy_page(response)
    assert len(attempts) == 1  # loading the user; the error page did not try again
    assert response.headers["Cache-Control"] == "no-store"


def test_a_form_post_while_the_database_cannot_be_reached_gets_the_503_page(cut_off):
    browser, attempts = cut_off
    response = browser.post("/rounds", data={"scope": "all", "length": "5"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "try again in 5 seconds" in response.get_data(as_text=True)
    assert len(attempts) == 1


def test_logging_in_while_the_database_cannot_be_reached_gets_the_503_page(app_config, tmp_path):
    down = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": unreachable_url(tmp_path)})
    response = down.test_client().post("/login", data={"username": "ada", "password": PASSWORD})
    assert response.status_code == 503
    with down.app_context():
        db.engine.dispose()
