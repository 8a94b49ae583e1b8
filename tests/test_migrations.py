"""The schema comes only from the migrations: `flask db upgrade` on an empty database gives
exactly the models, on SQLite and (when configured, as in CI) on PostgreSQL."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from quizapp import create_app
from quizapp.extensions import db
from tests.conftest import require_or_skip

POSTGRES_URL = os.environ.get("QUIZAPP_TEST_POSTGRES_URL")


def assert_upgrade_gives_the_models(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
            tables = set(inspect(connection).get_table_names())
        assert differences == []
        assert tables == set(db.metadata.tables) | {"alembic_version"}
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) == {"alembic_version"}
        db.engine.dispose()


def test_upgrade_on_empty_sqlite_gives_exactly_the_models(tmp_path):
    assert_upgrade_gives_the_models(f"sqlite:///{tmp_path / 'empty.sqlite'}")


@pytest.fixture
def empty_postgres_url():
    if not POSTGRES_URL:
        require_or_skip("QUIZAPP_TEST_POSTGRES_URL is not set", "QUIZAPP_REQUIRE_POSTGRES")
    name = f"quizapp_migration_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_on_empty_postgres_gives_exactly_the_models(empty_postgres_url):
    assert_upgrade_gives_the_models(empty_postgres_url)
