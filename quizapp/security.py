"""Security around every request: response headers (no caching of a logged-in session's
responses among them), the client's real address, and rate limits on logging in,
registering and joining a class.

Rate-limit counters never live in process memory, since the app runs as many workers on many
hosts: they go to Redis when `QUIZAPP_REDIS_URL` is set, else to the `rate_limits` table
through `DatabaseStorage`, a storage scheme of ours for the `limits` library.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, abort, current_app, request, session
from flask_limiter import Limiter
from flask_login import current_user
from limits.errors import ConfigurationError
from limits.storage import Storage
from sqlalchemy import Column, Float, Integer, String, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from quizapp.config import PRODUCTION
from quizapp.extensions import db

# No inline script or style anywhere: every script and stylesheet is a file under static/.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    "Referrer-Policy": "same-origin",  # links out of teachers' Markdown leak no quiz URL
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Production only: a developer's http://127.0.0.1 must not be pinned to HTTPS.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"

DATABASE_STORAGE_URI = "quizapp-db://"


def init_app(app: Flask) -> None:
    """Bind the headers, the proxy fix, the NUL refusal and the rate limits to `app`."""
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
    app.after_request(forbid_storing_private_responses)
    proxies = int(app.config.get("QUIZAPP_PROXY_COUNT") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    init_rate_limits(app)


def refuse_nul_characters() -> None:
    """A 400 for any query or form value (or file name) holding U+0000, which no text a
    person types holds. PostgreSQL cannot store or even compare such a string and fails
    the query, so it would be a 500 there, while SQLite stores it; refused here, it gets
    the same answer on both."""
    values = [v for fields in (request.args, request.form) for _, v in fields.items(multi=True)]
    values += [f.filename or "" for _, f in request.files.items(multi=True)]
    if any("\x00" in value for value in values):
        abort(400, description="The request held a NUL character, which no text may hold.")


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("QUIZAPP_ENV") == PRODUCTION:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def forbid_storing_private_responses(response: Response) -> Response:
    """`Cache-Control: no-store` on every page and download of a logged-in session (HTML
    pages, CSV and question exports), so that neither a shared computer's browser cache nor
    a proxy keeps one for the next person. A view that set its own rule keeps it (a polling
    endpoint may allow revalidation), and static files are nobody's.

    Whether the session is logged in is read from the session cookie, not by loading the
    user: a response (a 503 while the database is down) must not query the database.
    """
    if "Cache-Control" in response.headers or request.endpoint == "static":
        return response
    if session.get("_user_id"):
        response.headers["Cache-Control"] = "no-store"
    return response


# --- rate limits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RateLimit:
    """A limit on POSTs to a view: `setting` names the config key holding the limit
    (`"10 per minute"`, in the `limits` notation; the defaults are in `quizapp.config`),
    `key` says whose requests are counted together, `message` is what the 429 page says."""

    setting: str
    key: Callable[[], str]
    message: str


def rate_limited(*limits: RateLimit) -> Callable:
    """Mark a view as rate-limited; `init_rate_limits` applies the marks to each app."""

    def mark(view: Callable) -> Callable:
        view.rate_limits = limits  # type: ignore[attr-defined]
        return view

    return mark


def client_address() -> str:
    """Requests from one address (behind `QUIZAPP_PROXY_COUNT` proxies, the client's)."""
    return "ip:" + (request.remote_addr or "unknown")


def current_account() -> str:
    """Requests of one logged-in account, from any address (a visitor not logged in counts
    by address: `login_required` turns them away next)."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return client_address()


def init_rate_limits(app: Flask) -> Limiter | None:
    """One Flask-Limiter per app, applying the `rate_limited` marks of its views.

    Not a module-level extension: a `Limiter` keeps its storage and its on/off switch on
    itself, so one shared by several apps (tests build many) would count for the last app
    bound. Limits are off by default under TESTING; `RATELIMIT_ENABLED=True` turns them on.
    """
    config = app.config
    config.setdefault("RATELIMIT_ENABLED", not config.get("TESTING", False))
    if not config["RATELIMIT_ENABLED"]:
        return None
    config.setdefault(
        "RATELIMIT_STORAGE_URI", config.get("QUIZAPP_REDIS_URL") or DATABASE_STORAGE_URI
    )
    config.setdefault("RATELIMIT_KEY_PREFIX", "quizapp")
    config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After on the 429
    # Storage down: count in this process's memory until it is back, rather than fail logins.
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    options = {}
    if config["RATELIMIT_STORAGE_URI"] == DATABASE_STORAGE_URI:
        with app.app_context():
            options["engine"] = db.engine
    limiter = Limiter(client_address, storage_options=options)
    limiter.init_app(app)
    limited = {e for e, view in app.view_functions.items() if getattr(view, "rate_limits", ())}
    # The other views skip the limiter's search for their limits at every request.
    limiter.request_filter(lambda: request.endpoint not in limited)
    for endpoint, view in list(app.view_functions.items()):
        for limit in getattr(view, "rate_limits", ()):
            view = limiter.limit(
                _setting(limit.setting),
                key_func=limit.key,
                methods=["POST"],
                error_message=_retry_message(limiter, limit.message),
            )(view)
        app.view_functions[endpoint] = view
    app.extensions["quizapp.limiter"] = limiter
    return limiter


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _retry_message(limiter: Limiter, message: str) -> Callable[[], str]:
    def with_wait() -> str:
        breached = limiter.current_limit
        if breached is None:
            return message
        seconds = max(1, math.ceil(breached.reset_at - time.time()))
        wait = f"{seconds} seconds" if seconds < 90 else f"{math.ceil(seconds / 60)} minutes"
        return f"{message} Please try again in {wait}."

    return with_wait


# --- the database storage -------------------------------------------------------------------

rate_limits = db.Table(
    "rate_limits",
    Column("key", String(255), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),  # seconds since the epoch
)


class DatabaseStorage(Storage):
    """Fixed-window counters in the `rate_limits` table, for `limits` and Flask-Limiter.

    Registered as the `quizapp-db://` scheme; the engine comes as the `engine` storage
    option. Each hit is one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` statement,
    which SQLite (one writer at a time) and PostgreSQL (a row lock on the key) both run
    atomically, so concurrent workers never lose a count: a counter whose window is over
    restarts inside that same statement. `clock` (seconds since the epoch) is for tests.
    """

    STORAGE_SCHEME = ["quizapp-db"]

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        *,
        engine: Engine | None = None,
        clock: Callable[[], float] = time.time,
        **options,
    ) -> None:
        if engine is None:
            raise ConfigurationError("quizapp-db:// needs the database: the `engine` option")
        if engine.dialect.name not in ("sqlite", "postgresql"):
            raise ConfigurationError(f"quizapp-db:// cannot count on {engine.dialect.name}")
        self.engine = engine
        self.clock = clock
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = self.clock()
        insert = (postgresql if self.engine.dialect.name == "postgresql" else sqlite).insert
        over = rate_limits.c.expires_at <= now
        statement = (
            insert(rate_limits)
            .values(key=_stored(key), count=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[rate_limits.c.key],
                set_={
                    "count": case((over, amount), else_=rate_limits.c.count + amount),
                    "expires_at": case((over, now + expiry), else_=rate_limits.c.expires_at),
                },
            )
            .returning(rate_limits.c.count)
        )
        with self.engine.begin() as connection:
            count = connection.execute(statement).scalar_one()
        if count == amount:
            # A window began: drop the counters whose windows are over, so the table holds
            # only live ones. Its own transaction, after the commit: deleting while holding
            # the row of the hit could deadlock with a worker doing the same the other way.
            with self.engine.begin() as connection:
                connection.execute(delete(rate_limits).where(rate_limits.c.expires_at <= now))
        return count

    def get(self, key: str) -> int:
        with self.engine.connect() as connection:
            count = connection.scalar(select(rate_limits.c.count).where(*self._live(key)))
        return count or 0

    def get_expiry(self, key: str) -> float:
        with self.engine.connect() as connection:
            expiry = connection.scalar(select(rate_limits.c.expires_at).where(*self._live(key)))
        return expiry if expiry is not None else self.clock()

    def check(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.scalar(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as connection:
            return connection.execute(delete(rate_limits)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(rate_limits).where(rate_limits.c.key == _stored(key)))

    def _live(self, key: str) -> tuple:
        return rate_limits.c.key == _stored(key), rate_limits.c.expires_at > self.clock()


def _stored(key: str) -> str:
    """The key as the table holds it: a long one (never from our own limits) is hashed."""
    if len(key) <= 255:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()
