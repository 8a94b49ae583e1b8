"""Extensions, created unbound here and bound to an app in `create_app`."""

import time
from collections.abc import Callable
from typing import TypeVar

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase

T = TypeVar("T")


class Base(DeclarativeBase):
    # Named constraints, so that later migrations can alter them on SQLite and PostgreSQL alike.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to play."
login_manager.login_message_category = "info"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Per-connection SQLite settings: enforce foreign keys (off by default), let readers and
    a writer work at once (WAL), and wait for a lock rather than fail at once."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


# Seconds to wait before each new try when SQLite reports "database is locked".
LOCKED_RETRY_WAITS = (0.05, 0.2, 0.5)


def commit_retrying_if_locked(write: Callable[[], T]) -> T:
    """Run `write` (which adds to the session) and commit, and return what `write` returned.

    Under heavy contention a SQLite writer can wait past the busy timeout and get "database
    is locked" (seen with 64 learners answering ten questions at once in threads). Then
    the session is rolled back and `write` runs again, from objects that reload what they
    read, at most len(LOCKED_RETRY_WAITS) more times; after that the error goes through, a
    500 that saved nothing. Any other error goes through at once.
    """
    for wait in LOCKED_RETRY_WAITS:
        try:
            result = write()
            db.session.commit()
            return result
        except OperationalError as error:
            if "database is locked" not in str(error.orig):
                raise
            db.session.rollback()
            time.sleep(wait)
    result = write()
    db.session.commit()
    return result
