"""Learners answering at once lose and duplicate nothing, and the same answer posted twice
at once is recorded once, on the database the run selects (SQLite, then PostgreSQL).

Each learner is a test client of its own in a thread of its own: the app serves them at
once, as a threaded server would.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from quizapp import store
from quizapp.domain.grading import Grade, round_score
from quizapp.extensions import db
from quizapp.models import Answer, Round, RoundItem, User
from tests.factories import PASSWORD, make_question, right_form, start_round_with

LEARNERS = 64
QUESTIONS = [make_question("single"), make_question("year"), make_question("true_false")]


def at_once(calls):
    """Run each call in a thread of its own, all released together; their results in order."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def learners(app):
    """64 learners, each holding a round of QUESTIONS and logged in on two clients (two tabs
    of one browser): a list of (round id, [client, client])."""
    # One cheap scrypt hash for all: 128 logins at the real cost would take half a minute,
    # and password hashing is not what these tests are about.
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
        stale = store.own_round_or_404(round_id, ada).items[0]  # read: no answer yet
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
        assert store.record_answer(stale, "c1", right) is False
        db.session.commit()
    with app.app_context():
        answers = db.session.scalars(select(Answer)).all()
        assert [(a.response, a.score) for a in answers] == [("c2", 0.0)]
        assert db.session.get(Round, round_id).finished_at is None
