"""Fixtures: a fresh app on its own SQLite file per test, a client, a CLI runner, and `auth`."""

import os

import pytest

from quizapp import create_app
from quizapp.extensions import db
from tests.factories import PASSWORD, create_user


@pytest.fixture
def app_config(tmp_path):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'quizapp.sqlite'}",
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _push_request_context():
    """Overrides pytest-flask's fixture of this name, which pushes one request context for
    the whole test: every client request would then share `g` and the database session,
    and a logged-in user would leak from one client into another. Tests push contexts
    themselves (`with app.app_context():`) where they need one."""
    yield


@pytest.fixture
def client(app):
    """Overrides pytest-flask's `client`, which opens the client as `with app.test_client()`:
    that keeps the last request's app context pushed, and the next request of any other
    client would reuse it (its `g`, so its logged-in user)."""
    return app.test_client()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def register(self, username="ada", password=PASSWORD):
        return self._client.post(
            "/register", data={"username": username, "password": password, "confirm": password}
        )

    def login(self, username="ada", password=PASSWORD):
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def user(app):
    """A learner `ada` with the standard test password, already in the database."""
    with app.app_context():
        ada = create_user("ada")
        db.session.refresh(ada)
        db.session.expunge(ada)  # readable after the context closes
        return ada


@pytest.fixture
def other_client(app):
    """A second browser, for a second learner."""
    return app.test_client()


def require_or_skip(reason: str, env_flag: str) -> None:
    """Skip on a developer's machine; fail in CI, where the flag is set."""
    if os.environ.get(env_flag):
        pytest.fail(f"{reason} ({env_flag} is set, so this may not be skipped)")
    pytest.skip(reason)
