"""Learners answering at once lose and duplicate nothing, and the same answer posted twice
at once is recorded once, on the database the run selects (SQLite, then PostgreSQL).

Each learner is a test client of its own in a thread of its own: the app serves them at
once, as a threaded server would.
"""

import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, make_url, select
from werkzeug.security import generate_password_hash

from quizapp import attempt_store
from quizapp.domain.attempts import score as round_score
from quizapp.domain.grading import Grade
from quizapp.extensions import LOCKED_RETRY_WAITS, db
from quizapp.models import Answer, Round, RoundItem, User, utcnow
from tests.factories import PASSWORD, at_once, make_question, right_form, start_round_with

LEARNERS = 64
QUESTIONS = [make_question("single"), make_question("year"), make_question("true_false")]


@pytest.fixture
def learners(app):
    """64 learners, each holding a round of QUESTIONS and logged in on two clients (two tabs
    of one browser): a list of (round id, [client, client])."""
    # One cheap scrypt hash for all: 128 logins at the real cost (0.1 s each) would take
    # longer than the tests themselves, and password hashing is not what they are about.
    password_hash = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    with app.app_context():
        users = [
            User(username=f"learner-{n:02d}", password_hash=password_hash) for n in range(LEARNERS)
        ]
        db.session.add_all(users)
        db.session.commit()
        rounds = [(user.username, start_round_with(user, QUESTIONS).id) for user in users]
    playing = []
    for username, round_id in rounds:
        tabs = [app.test_client(), app.test_client()]
        for tab in tabs:
            logged_in = tab.post("/login", data={"username": username, "password": PASSWORD})
            assert logged_in.status_code == 302
        playing.append((round_id, tabs))
    return playing


def answer(client, round_id: int, position: int):
    """Post the right answer to a question; the response is the learner's acknowledgment
    when it is the redirect to that question's feedback."""
    url = f"/rounds/{round_id}/questions/{position}"
    response = client.post(url, data=right_form(QUESTIONS[position - 1]))
    acknowledged = response.status_code == 302 and response.location == url
    return response.status_code, acknowledged


def test_64_learners_answering_at_once_lose_and_duplicate_nothing(app, learners):
    def play(round_id, tabs):
        return [answer(tabs[0], round_id, p) for p in range(1, len(QUESTIONS) + 1)]

    results = [r for rs in at_once([lambda r=r, t=t: play(r, t) for r, t in learners]) for r in rs]

    assert Counter(status for status, _ in results) == {302: LEARNERS * len(QUESTIONS)}
    acknowledged = sum(ok for _, ok in results)
    assert acknowledged == LEARNERS * len(QUESTIONS)
    with app.app_context():
        stored = db.session.execute(select(Answer.round_item_id, Answer.score)).all()
        assert len(stored) == acknowledged
        assert len({item_id for item_id, _ in stored}) == acknowledged
        assert {score for _, score in stored} == {1.0}
        rounds = db.session.scalars(select(Round)).all()
        assert len(rounds) == LEARNERS
        assert all(r.finished_at is not None for r in rounds)
        assert {r.score for r in rounds} == {round_score([1.0] * len(QUESTIONS))}


def test_the_same_answer_posted_twice_at_once_by_64_learners_is_recorded_once_each(app, learners):
    posts = [lambda r=r, tab=tab: answer(tab, r, 1) for r, tabs in learners for tab in tabs]

    results = at_once(posts)

    assert Counter(status for status, _ in results) == {302: 2 * LEARNERS}
    with app.app_context():
        answered = db.session.execute(
            select(RoundItem.round_id, func.count(Answer.id))
            .join(Answer, Answer.round_item_id == RoundItem.id)
            .group_by(RoundItem.round_id)
        ).all()
        assert sorted(answered) == sorted((round_id, 1) for round_id, _ in learners)
        responses = db.session.scalars(select(Answer.response)).all()
        assert set(responses) == {right_form(QUESTIONS[0])["choice"]}


def test_two_submits_of_one_question_at_once_record_one_answer(app, user):
    with app.app_context():
        ada = db.session.get(User, user.id)
        round_id = start_round_with(ada, [make_question("single"), make_question("year")]).id
    clients = [app.test_client() for _ in range(4)]
    for client in clients:
        client.post("/login", data={"username": "ada", "password": PASSWORD})
    start = threading.Barrier(len(clients))
    statuses = []

    def submit(client, choice):
        start.wait()
        response = client.post(f"/rounds/{round_id}/questions/1", data={"choice": choice})
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=submit, args=(c, "c1" if i % 2 else "c2"))
        for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * len(clients)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1
        assert db.session.get(Round, round_id).finished_at is None


def test_an_answer_that_lost_the_race_changes_nothing(app, user):
    """The request that read the question unanswered but inserts second is turned away."""
    with app.app_context():
        ada = db.session.get(User, user.id)
        round_id = start_round_with(ada, [make_question("single")]).id
        stale = attempt_store.own_round_or_404(round_id, ada).items[0]  # read: no answer yet
        with db.engine.begin() as other_request:
            other_request.execute(
                Answer.__table__.insert().values(
                    round_item_id=stale.id,
                    response="c2",
                    score=0.0,
                    correct=False,
                    answered_at=stale.round.created_at,
                )
            )
        right = Grade(score=1.0, right_parts=1, total_parts=1)
        outcome = attempt_store.answer(round_id, stale.id, "c1", right, utcnow())
        assert not outcome.decision.allowed
        db.session.commit()
    with app.app_context():
        answers = db.session.scalars(select(Answer)).all()
        assert [(a.response, a.score) for a in answers] == [("c2", 0.0)]
        assert db.session.get(Round, round_id).finished_at is None


# --- SQLite's write lock --------------------------------------------------------------------
# A write that meets "database is locked" well within the busy timeout is tried again a
# bounded number of times (quizapp.extensions.commit_retrying_if_locked); one that waited the
# whole timeout is not (tests/test_database_unavailable.py).


@pytest.fixture
def impatient_app(app):
    """The test's app whose SQLite connections wait 0.1 s for the write lock, while the app
    still counts with 5 s: a lock error that comes fast, as one on a stale snapshot does.
    Its tries to take the write lock for an answer are counted: `app.write_tries`."""

    def short_busy_timeout(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout=100")

    def count_write_tries(_conn, _cursor, statement, *_):
        if statement.startswith("BEGIN IMMEDIATE"):
            app.write_tries += 1

    app.write_tries = 0
    with app.app_context():
        event.listen(db.engine, "connect", short_busy_timeout)
        event.listen(db.engine, "before_cursor_execute", count_write_tries)
        db.engine.dispose()
    return app


@contextmanager
def write_lock_held(app, seconds: float | None = None) -> Iterator[None]:
    """SQLite's write lock on the app's file, held by another connection for `seconds`
    (or to the end of the block)."""
    path = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(seconds or 0, holder.rollback)
    if seconds:
        release.start()
    try:
        yield
    finally:
        release.cancel()
        if seconds:
            release.join()
        holder.rollback()
        holder.close()


@pytest.fixture
def one_question_round(impatient_app, auth, user):
    """ada, logged in, with a round of one question: its URL and the question."""
    question = make_question("single")
    with impatient_app.app_context():
        round_id = start_round_with(db.session.get(User, user.id), [question]).id
    auth.login()
    return f"/rounds/{round_id}/questions/1", question


def count_answers(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer))


@pytest.mark.sqlite
def test_an_answer_meeting_a_locked_database_is_tried_again_and_recorded_once(
    impatient_app, client, one_question_round
):
    url, question = one_question_round

    with write_lock_held(impatient_app, seconds=0.3):
        response = client.post(url, data=right_form(question))

    assert (response.status_code, response.location) == (302, url)
    assert impatient_app.write_tries > 1
    assert count_answers(impatient_app) == 1


@pytest.mark.sqlite
def test_a_database_locked_past_every_try_gives_a_503_that_saved_nothing(
    impatient_app, client, one_question_round
):
    url, question = one_question_round

    with write_lock_held(impatient_app):
        response = client.post(url, data=right_form(question))

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert b"Nothing was saved" in response.data
    assert impatient_app.write_tries == 1 + len(LOCKED_RETRY_WAITS)
    assert count_answers(impatient_app) == 0
    assert client.post(url, data=right_form(question)).status_code == 302
    assert count_answers(impatient_app) == 1
