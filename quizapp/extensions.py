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
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
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


# How long a SQLite writer waits for another's lock before it gives up ("database is
# locked"); also how long the 503 page asks to wait before trying again, on either database.
BUSY_TIMEOUT_SECONDS = 5.0


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Per-connection SQLite settings: enforce foreign keys (off by default), let readers and
    a writer work at once (WAL), and wait for a lock rather than fail at once."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
        cursor.close()


# Seconds to wait before each new try when SQLite reports "database is locked".
LOCKED_RETRY_WAITS = (0.05, 0.2, 0.5)


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` says the database cannot serve now but may in a moment, so the
    request deserves a 503 and a try again, not a 500: SQLite's write lock held past the
    busy timeout or its file out of reach; PostgreSQL refusing or dropping the connection
    (a restart), or a deadlock or serialization failure; no pooled connection free."""
    if isinstance(error, PoolTimeoutError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if type(error.orig).__module__.startswith("sqlite3"):
        message = str(error.orig)
        return any(sign in message for sign in _SQLITE_UNAVAILABLE)
    # psycopg's OperationalError is the connection's and the server's state, never a
    # mistake in a statement (those are ProgrammingError, DataError, IntegrityError...).
    return True


_SQLITE_UNAVAILABLE = ("database is locked", "database is busy", "unable to open database")


def _locked(error: OperationalError) -> bool:
    return "database is locked" in str(error.orig)


def commit_retrying_if_locked(write: Callable[[], T]) -> T:
    """Run `write` (which adds to the session) and commit, and return what `write` returned.

    Under contention a SQLite write can fail with "database is locked" at once, without
    waiting (a transaction whose snapshot another writer made stale: SQLite does not wait
    then, as it would be no use). Then the session is rolled back and `write` runs again,
    from objects that reload what they read, at most len(LOCKED_RETRY_WAITS) more times,
    as long as the busy timeout has not passed since the first try. A try that waited out
    the whole busy timeout is not repeated: a writer holding the lock that long will not
    let go in the next few seconds either, and four waits made a 21-second 500. The error
    goes through (`quizapp.errors` answers it with a 503 that saved nothing) within about
    the busy timeout. Any other error goes through at once.
    """
    started = time.monotonic()
    for wait in LOCKED_RETRY_WAITS:
        try:
            result = write()
            db.session.commit()
            return result
        except OperationalError as error:
            if not _locked(error):
                raise
            db.session.rollback()
            if time.monotonic() - started + wait >= BUSY_TIMEOUT_SECONDS:
                raise
            time.sleep(wait)
    result = write()
    db.session.commit()
    return result
