"""Fixtures: a fresh app on an empty database per test, a client, a CLI runner, and `auth`.

The suite runs on SQLite, a file per test. `QUIZAPP_TEST_DATABASE=postgresql` runs it on the
PostgreSQL at `QUIZAPP_TEST_POSTGRES_URL` instead, each test in a schema of its own, whose
tables are emptied when it ends (`make test` runs the suite both ways when that URL is set).
"""

import functools
import os
import shutil
import sqlite3
import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from werkzeug.security import generate_password_hash

from quizapp import create_app, models
from quizapp.extensions import db
from quizapp.models import ROLE_TEACHER
from tests.factories import PASSWORD, create_user

DATABASES = ("sqlite", "postgresql")
TEST_DATABASE = os.environ.get("QUIZAPP_TEST_DATABASE") or "sqlite"
POSTGRES_URL = os.environ.get("QUIZAPP_TEST_POSTGRES_URL")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "sqlite: the test is about SQLite itself (its files, its backup API): its app runs "
        "on a SQLite file whatever QUIZAPP_TEST_DATABASE selects",
    )
    if TEST_DATABASE not in DATABASES:
        raise pytest.UsageError(
            f"QUIZAPP_TEST_DATABASE={TEST_DATABASE!r}: choose one of {', '.join(DATABASES)}"
        )
    if TEST_DATABASE == "postgresql":
        if not POSTGRES_URL:
            raise pytest.UsageError(
                "QUIZAPP_TEST_DATABASE=postgresql needs QUIZAPP_TEST_POSTGRES_URL, e.g. "
                "postgresql+psycopg://postgres@127.0.0.1:5432/test"
            )
        try:
            with postgres_admin().connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as error:
            raise pytest.UsageError(
                f"PostgreSQL at {make_url(POSTGRES_URL)!r} is unreachable: {error.orig}"
            ) from None


def pytest_unconfigure(config):
    if _lendable_schemas:
        with postgres_admin().connect() as connection:
            connection.execute(text(f"DROP SCHEMA {', '.join(_lendable_schemas)} CASCADE"))
    if postgres_admin.cache_info().currsize:
        postgres_admin().dispose()


def pytest_report_header(config):
    if TEST_DATABASE == "postgresql":
        return f"test database: PostgreSQL at {make_url(POSTGRES_URL)!r}, a schema per test"
    return "test database: SQLite, a file per test"


# scrypt as the app hashes passwords, at a cost of n = 2**10 where werkzeug's default is
# 2**15: a hash or a check takes about 3 ms of CPU instead of 110, and the suite makes users
# and logs them in thousands of times. `test_auth` checks that the app itself hashes at
# werkzeug's full cost.
TEST_PASSWORD_HASH_METHOD = "scrypt:1024:8:1"


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            models,
            "generate_password_hash",
            functools.partial(generate_password_hash, method=TEST_PASSWORD_HASH_METHOD),
        )
        yield


@functools.cache
def postgres_admin() -> Engine:
    """The test PostgreSQL database, in autocommit, for making and dropping schemas."""
    return create_engine(
        POSTGRES_URL,
        isolation_level="AUTOCOMMIT",
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5},
    )


_postgres_connections: weakref.WeakSet = weakref.WeakSet()


@event.listens_for(Engine, "connect")
def _remember_postgres_connection(dbapi_connection, _record) -> None:
    """Remembered so that a schema's teardown closes every connection a test opened to it,
    wherever it was left (the pool of an app the test built, a disposed pool, a thread): a
    psycopg connection left open for the garbage collector warns, and the warning fails
    whichever later test is running then."""
    if type(dbapi_connection).__module__.startswith("psycopg"):
        _postgres_connections.add(dbapi_connection)


@event.listens_for(Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, _record) -> None:
    """A test's SQLite file need not survive a power cut: no fsync at each commit (which
    took most of the wall time of many tests on a busy disk). What a commit means to other
    connections is unchanged; PostgreSQL's schemas get `synchronous_commit=off` alike."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


_lendable_schemas: list[str] = []  # schemas holding the models' tables and no rows
_model_structure: list[str] = []  # the structure of a schema the models were created in


@contextmanager
def postgres_schema(*, with_tables: bool = False) -> Iterator[str]:
    """A URL whose connections work in a schema of their own in the test database: a new,
    empty one, or (`with_tables`) one holding the models' tables and no rows.

    A schema costs milliseconds where a database costs a second, and emptying its tables
    costs less again than making them: a schema with tables is taken back after the test,
    emptied (DELETE, a few milliseconds where TRUNCATE takes a hundred; its sequences
    restarted, so that ids start at 1 again) and lent to the next, unless the test changed
    its tables, in which case it is dropped. The schema's name is also the connections'
    application name: at the end, the connections a test left open are closed, and ended
    on the server (those of a subprocess too), so that none holds a lock that the DELETE or
    DROP SCHEMA would wait for.
    """
    if with_tables and _lendable_schemas:
        name = _lendable_schemas.pop()
    else:
        name = _new_schema(with_tables)
    url = make_url(POSTGRES_URL).update_query_dict(
        {
            "options": f"-csearch_path={name} -csynchronous_commit=off",
            "application_name": name,
        }
    )
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        _end_connections(name)
        with postgres_admin().connect() as connection:
            if with_tables and _structure(connection, name) == _model_structure[0]:
                in_schema = connection.execution_options(schema_translate_map={None: name})
                for table in reversed(db.metadata.sorted_tables):
                    in_schema.execute(table.delete())
                connection.execute(
                    text(
                        "SELECT setval(schemaname || '.' || sequencename, 1, false)"
                        " FROM pg_sequences WHERE schemaname = :name"
                    ),
                    {"name": name},
                )
                _lendable_schemas.append(name)
            else:
                connection.execute(text(f"DROP SCHEMA {name} CASCADE"))


def _new_schema(with_tables: bool) -> str:
    name = f"t_{uuid.uuid4().hex[:16]}"
    with postgres_admin().connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {name}"))
        if with_tables:
            connection.execute(text(f"SET search_path TO {name}"))
            try:
                db.metadata.create_all(connection)
            finally:
                connection.execute(text("RESET search_path"))
            if not _model_structure:
                _model_structure.append(_structure(connection, name))
    return name


def _structure(connection, schema: str) -> str:
    """The tables, indexes and sequences of `schema` with their columns, and its
    constraints, without its name (from the catalog: information_schema is slow)."""
    return connection.scalar(
        text(
            """
            SELECT string_agg(replace(part, :schema || '.', ''), E'\\n' ORDER BY part)
            FROM (
                SELECT concat_ws(' ', c.relkind, c.relname, a.attname,
                                 format_type(a.atttypid, a.atttypmod), a.attnotnull) AS part
                FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid
                WHERE c.relnamespace = CAST(:schema AS regnamespace)
                  AND a.attnum > 0 AND NOT a.attisdropped
                UNION ALL
                SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                WHERE connamespace = CAST(:schema AS regnamespace)
            ) AS parts
            """
        ),
        {"schema": schema},
    )


def _end_connections(name: str) -> None:
    """Close the connections this process opened with application name `name`, and end
    any other (a subprocess's) on the server."""
    for connection in list(_postgres_connections):
        if not connection.closed and connection.info.parameter_status("application_name") == name:
            connection.close()
    with postgres_admin().connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )


@contextmanager
def empty_database(directory: Path, database: str = TEST_DATABASE) -> Iterator[str]:
    """The URL of an empty database of the selected kind: a SQLite file in `directory`, or
    a PostgreSQL schema that is dropped afterwards."""
    if database == "sqlite":
        yield f"sqlite:///{directory / 'quizapp.sqlite'}"
    else:
        with postgres_schema() as url:
            yield url


@pytest.fixture(scope="session")
def sqlite_with_tables(tmp_path_factory) -> Path:
    """A SQLite file holding the models' tables and no rows, made once per session (per
    xdist worker): a copy costs half a millisecond, making the tables 30."""
    path = tmp_path_factory.mktemp("sqlite-template") / "tables.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    try:
        db.metadata.create_all(engine)
    finally:
        engine.dispose()  # the last connection closed: the WAL is checkpointed into the file
    return path


@pytest.fixture
def database_url(request, tmp_path):
    """An empty database for this test, of the kind the run selects (SQLite for a test
    marked `sqlite`). A test that uses `app` gets one that holds the models' tables
    already, as `app` would make them: a copy of `sqlite_with_tables`, or on PostgreSQL a
    schema from those lent from test to test."""
    database = "sqlite" if request.node.get_closest_marker("sqlite") else TEST_DATABASE
    with_tables = "app" in request.fixturenames
    if database == "postgresql":
        with postgres_schema(with_tables=with_tables) as url:
            yield url
    else:
        with empty_database(tmp_path, database) as url:
            if with_tables:
                template = request.getfixturevalue("sqlite_with_tables")
                shutil.copyfile(template, make_url(url).database)
            yield url


@pytest.fixture
def app_config(database_url):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
    }


class SharedTemplateCode(BytecodeCache):
    """The compiled code of each template, kept in memory for every app of the session.

    Each test builds its app, and each app its own Jinja environment, which would compile
    every template it renders afresh (about 10 ms a page, several pages a test); with this
    cache a template is compiled once per session. Jinja checks each entry against the
    template's source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_template_code = SharedTemplateCode()


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.jinja_env.bytecode_cache = _template_code
    with app.app_context():
        db.create_all()  # the tables are there already (`database_url`): only checked
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
def teacher(app, client, auth):
    """The client, logged in as the teacher `tess`."""
    with app.app_context():
        create_user("tess", role=ROLE_TEACHER)
    auth.login("tess")
    return client


@pytest.fixture
def other_client(app):
    """A second browser, for a second learner."""
    return app.test_client()


def require_or_skip(reason: str, env_flag: str) -> None:
    """Skip on a developer's machine; fail in CI, where the flag is set."""
    if os.environ.get(env_flag):
        pytest.fail(f"{reason} ({env_flag} is set, so this may not be skipped)")
    pytest.skip(reason)
