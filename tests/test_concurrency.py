"""The same answer posted twice at once is recorded once."""

import threading

from sqlalchemy import func, select

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
