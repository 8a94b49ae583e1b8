"""`flask db backup PATH`: a consistent copy of a live SQLite database, a refusal elsewhere."""

import sqlite3
import threading

import pytest

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import User
from tests.factories import make_question, start_round_with

# The copy is SQLite's online backup of the app's own file, so these apps run on SQLite in
# the PostgreSQL run too (the refusal on PostgreSQL is tested below with its URL).
pytestmark = pytest.mark.sqlite

ITEMS_PER_ROUND = 3


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def rows(path, sql):
    with sqlite3.connect(path) as copy:
        return copy.execute(sql).fetchall()


def test_backup_copies_the_database(app, runner, user, tmp_path):
    target = tmp_path / "backups" / "copy.sqlite"

    result = runner.invoke(args=["db", "backup", str(target)])

    assert result.exit_code == 0, result.output
    assert f"to {target}" in result.output
    assert rows(target, "SELECT username FROM users") == [("ada",)]
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]


def test_backup_taken_while_answers_are_written_is_consistent(app, runner, user, tmp_path):
    """Each round is written with its items in one transaction; every copy holds whole
    rounds only, and at least those committed before the copy began."""
    stop = threading.Event()
    committed = []
    failures = []

    def write_rounds():
        try:
            with app.app_context():
                ada = db.session.get(User, user.id)
                questions = [make_question("single")] * ITEMS_PER_ROUND
                while not stop.is_set():
                    committed.append(start_round_with(ada, questions).id)
        except Exception as error:  # reported by the assertion below
            failures.append(error)

    writer = threading.Thread(target=write_rounds)
    writer.start()
    try:
        copies = []
        while len(copies) < 5:
            if len(committed) < 5 * (len(copies) + 1):
                threading.Event().wait(0.01)
                continue
            before = len(committed)
            target = tmp_path / f"copy-{len(copies)}.sqlite"
            result = runner.invoke(args=["db", "backup", str(target)])
            assert result.exit_code == 0, result.output
            copies.append((target, before))
    finally:
        stop.set()
        writer.join()

    assert failures == []
    for target, before in copies:
        counts = rows(target, "SELECT round_id, count(*) FROM round_items GROUP BY round_id")
        assert len(counts) >= before
        assert {count for _, count in counts} == {ITEMS_PER_ROUND}
        assert rows(target, "SELECT count(*) FROM rounds") == [(len(counts),)]
    assert len(rows(copies[-1][0], "SELECT id FROM rounds")) > len(
        rows(copies[0][0], "SELECT id FROM rounds")
    )


def test_backup_replaces_an_older_backup(app, runner, user, tmp_path):
    target = tmp_path / "copy.sqlite"
    target.write_text("yesterday's backup")

    result = runner.invoke(args=["db", "backup", str(target)])

    assert result.exit_code == 0, result.output
    assert rows(target, "SELECT count(*) FROM users") == [(1,)]


def test_backup_refuses_the_live_database_as_target(app, runner, tmp_path):
    result = runner.invoke(args=["db", "backup", str(tmp_path / "quizapp.sqlite")])

    assert result.exit_code == 1
    assert "live database itself" in result.output


def test_backup_refuses_on_postgresql_and_names_pg_dump(app_config, tmp_path):
    url = "postgresql+psycopg://quiz:s3cret@db.example/quizapp"
    app = create_app(app_config | {"SQLALCHEMY_DATABASE_URI": url})

    result = app.test_cli_runner().invoke(args=["db", "backup", str(tmp_path / "x.dump")])

    assert result.exit_code == 1
    assert "pg_dump -Fc -d 'postgresql://quiz@db.example/quizapp'" in result.output
    assert "pg_restore" in result.output
    assert "s3cret" not in result.output
    assert not (tmp_path / "x.dump").exists()
