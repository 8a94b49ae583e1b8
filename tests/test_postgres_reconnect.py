"""PostgreSQL restarted under a running app: the app reconnects and serves again, without a
restart of its own (the pool pings a connection before lending it, quizapp/config.py).

A restart is simulated by ending, with `pg_terminate_backend`, every server connection the
app holds: what its pool sees is what a restart leaves it, while the server other tests
use keeps running.
"""

import pytest
from sqlalchemy import event, func, make_url, select, text

from quizapp.extensions import db
from quizapp.models import Answer, Round, User
from tests.conftest import POSTGRES_URL, TEST_DATABASE, postgres_admin, require_or_skip
from tests.factories import make_question, right_form, start_round_with


@pytest.fixture
def postgres_app(request):
    """The test's app, which runs on PostgreSQL in the PostgreSQL run only."""
    if TEST_DATABASE != "postgresql":
        if not POSTGRES_URL:
            require_or_skip("QUIZAPP_TEST_POSTGRES_URL is not set", "QUIZAPP_REQUIRE_POSTGRES")
        pytest.skip("PostgreSQL only: runs with QUIZAPP_TEST_DATABASE=postgresql")
    return request.getfixturevalue("app")


def server_pid(app) -> int:
    with app.app_context():
        return db.session.scalar(text("SELECT pg_backend_pid()"))


def end_connections_of(app) -> int:
    """End every server connection of `app`, as a restart of PostgreSQL would; how many."""
    name = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).query["application_name"]
    with postgres_admin().connect() as connection:
        return len(
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = :name"
                ),
                {"name": name},
            ).all()
        )


def test_after_postgresql_drops_its_connections_the_app_serves_again(
    postgres_app, client, auth, user
):
    app = postgres_app
    assert auth.login().status_code == 302
    assert client.get("/").status_code == 200
    before = server_pid(app)

    assert end_connections_of(app) >= 1

    response = client.get("/")
    assert response.status_code == 200
    assert b"Hello, ada" in response.data
    assert server_pid(app) != before


def test_an_answer_posted_after_postgresql_drops_its_connections_is_recorded(
    postgres_app, client, auth, user
):
    app = postgres_app
    question = make_question("single")
    with app.app_context():
        round_id = start_round_with(db.session.get(User, user.id), [question]).id
    auth.login()
    assert client.get(f"/rounds/{round_id}/questions/1").status_code == 200

    assert end_connections_of(app) >= 1

    url = f"/rounds/{round_id}/questions/1"
    response = client.post(url, data=right_form(question))
    assert (response.status_code, response.location) == (302, url)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1


def test_a_request_whose_connection_dies_midway_gets_the_503_page_and_saves_nothing(
    postgres_app, client, auth, user
):
    """A restart in the middle of a request: the server ends the connection between the
    request's statements. The 503 page is drawn without the database (loading the user
    again would fail while the server is down); sent again, the round is started."""
    app = postgres_app
    auth.login()
    ended = []

    def restart_before_the_insert(connection, cursor, statement, *args):
        if statement.startswith("INSERT INTO rounds") and not ended:
            pid = connection.connection.dbapi_connection.info.backend_pid
            with postgres_admin().connect() as admin:
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            ended.append(pid)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", restart_before_the_insert)

    response = client.post("/rounds", data={"scope": "all", "length": "5"})

    assert ended
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Nothing was saved from this request" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Round)) == 0
    assert client.post("/rounds", data={"scope": "all", "length": "5"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Round)) == 1
