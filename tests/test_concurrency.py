"""The same answer posted twice at once is recorded once."""

import threading

from sqlalchemy import func, select

from quizapp import store
from quizapp.domain.grading import Grade
from quizapp.extensions import db
from quizapp.models import Answer, Round, User
from tests.factories import PASSWORD, make_question, start_round_with


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
