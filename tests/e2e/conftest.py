"""Browser tests: the app served by a real server thread, driven in Debian's Chromium."""

import os
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import ROLE_TEACHER
from tests.conftest import empty_database, require_or_skip
from tests.factories import PASSWORD, create_user

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The README's screenshots are taken by the browser tests: into docs/ when
# QUIZAPP_UPDATE_SCREENSHOTS=1 (`make screenshots`), else into test-artifacts/, so that a test
# run leaves the working tree as it found it.
DOCS = (
    Path(__file__).resolve().parents[2] / "docs"
    if os.environ.get("QUIZAPP_UPDATE_SCREENSHOTS") == "1"
    else ARTIFACTS / "docs"
)
DOCS.mkdir(parents=True, exist_ok=True)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _chromium_present():
    if not os.path.exists(CHROMIUM):
        require_or_skip(f"Chromium not found at {CHROMIUM}", "QUIZAPP_REQUIRE_BROWSER")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app the server runs, on its own database of the kind the run selects (a SQLite
    file or a PostgreSQL schema), its schema made by the migrations."""
    with empty_database(tmp_path_factory.mktemp("e2e")) as url:
        app = create_app({"SECRET_KEY": "e2e-secret", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def server(live_app):
    """The app on 127.0.0.1 and a free port, CSRF on."""
    http = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def create_teacher(live_app):
    """Make a teacher account in the served app's database (there is no sign-up for
    teachers); returns the password to log in with."""

    def make(username: str) -> str:
        with live_app.app_context():
            create_user(username, PASSWORD, role=ROLE_TEACHER)
        return PASSWORD

    return make
