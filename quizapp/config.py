"""Configuration read from the environment, with defaults that need nothing installed."""

import os
import secrets
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_BANK_DIR = PACKAGE_DIR.parent / "questions"


PRODUCTION = "production"
SECRET_KEY_MIN_LENGTH = 32
# The largest request the app reads, its form fields included (Werkzeug's form limit is
# 500 kB otherwise). It leaves room for a 1 MB question file of Cyrillic text previewed
# and sent back url-encoded (each byte as %XX: about 3-4 MB); anything larger gets a 413
# page at once, before a byte of it is parsed. The 1 MB limit on the file's text itself is
# `formats.MAX_IMPORT_BYTES`, on every way in.
MAX_REQUEST_BYTES = 5 * 1024 * 1024


class ConfigError(RuntimeError):
    """A setting that makes the app unsafe or unable to run; the message says which to fix."""


def from_environment(instance_path: str) -> dict:
    """Settings for a real run: every key can be overridden by an environment variable."""
    instance = Path(instance_path)
    return {
        # `production` demands a real SECRET_KEY and sends cookies over HTTPS only.
        "QUIZAPP_ENV": os.environ.get("QUIZAPP_ENV", "development"),
        # Rate-limit counters go to Redis when set, else to the database.
        "QUIZAPP_REDIS_URL": os.environ.get("QUIZAPP_REDIS_URL") or None,
        # How many reverse proxies in front set X-Forwarded-For/-Proto: the client's address
        # is what per-IP rate limits count, so it must be the real one.
        "QUIZAPP_PROXY_COUNT": int(os.environ.get("QUIZAPP_PROXY_COUNT", "0")),
        # Rate limits on POST /login and /register, in the `limits` notation. Per address,
        # a classroom behind one NAT address must get through at the start of a lesson; per
        # username, a guesser gets ten tries a minute and a locked-out owner waits a minute.
        "QUIZAPP_LOGIN_LIMIT_PER_IP": os.environ.get("QUIZAPP_LOGIN_LIMIT_PER_IP", "60 per minute"),
        "QUIZAPP_LOGIN_LIMIT_PER_USERNAME": os.environ.get(
            "QUIZAPP_LOGIN_LIMIT_PER_USERNAME", "10 per minute"
        ),
        # Tries at a live session's 6-digit code, per student: a class shares one address.
        "QUIZAPP_LIVE_JOIN_LIMIT_PER_USER": os.environ.get(
            "QUIZAPP_LIVE_JOIN_LIMIT_PER_USER", "20 per minute"
        ),
        "QUIZAPP_REGISTER_LIMIT_PER_IP": os.environ.get(
            "QUIZAPP_REGISTER_LIMIT_PER_IP", "20 per minute; 200 per day"
        ),
        # Rate limits on POST /classes/join: per account, a guesser of class codes gets ten
        # tries a minute; per address, a classroom joins at once with typos to spare.
        "QUIZAPP_JOIN_LIMIT_PER_USER": os.environ.get(
            "QUIZAPP_JOIN_LIMIT_PER_USER", "10 per minute; 100 per day"
        ),
        "QUIZAPP_JOIN_LIMIT_PER_IP": os.environ.get("QUIZAPP_JOIN_LIMIT_PER_IP", "60 per minute"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "QUIZAPP_DATABASE_URL", f"sqlite:///{instance / 'quizapp.sqlite'}"
        ),
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "QUIZAPP_BANK_DIR": os.environ.get("QUIZAPP_BANK_DIR", str(DEFAULT_BANK_DIR)),
        # The benchmark's X-Query-Count header; off, no query is even counted.
        "QUIZAPP_COUNT_QUERIES": os.environ.get("QUIZAPP_COUNT_QUERIES") == "1",
        # A form's CSRF token is good for as long as its session (the session holds the
        # secret it is checked against). Flask-WTF's hour limit turned a question or a mark
        # comment written over an hour into a refused post that lost what was typed.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": MAX_REQUEST_BYTES,
        "MAX_FORM_MEMORY_SIZE": MAX_REQUEST_BYTES,
    }


def settle(settings: dict, instance: Path) -> None:
    """Settings that follow from the others once the environment and a test config are in.

    Production refuses to start without a strong SECRET_KEY from the environment: the key
    signs the session cookie, so a guessable one lets anyone forge a login. The instance
    file fallback is for development only (one machine; many hosts would each make their
    own key and reject each other's cookies).
    """
    settings.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(settings))
    if settings.get("QUIZAPP_ENV") == PRODUCTION:
        problem = secret_key_problem(settings.get("SECRET_KEY"))
        if problem:
            raise ConfigError(
                f"QUIZAPP_ENV=production needs the SECRET_KEY environment variable: {problem} "
                'Make one with: python -c "import secrets; print(secrets.token_hex(32))"'
            )
        settings["SESSION_COOKIE_SECURE"] = True
        settings["REMEMBER_COOKIE_SECURE"] = True
        settings["PREFERRED_URL_SCHEME"] = "https"
    elif not settings.get("SECRET_KEY"):
        settings["SECRET_KEY"] = instance_secret(instance)


def engine_options(settings: dict) -> dict:
    """A PostgreSQL connection taken from the pool is pinged first, so a server restart
    costs no request an error; a SQLite file has no server to lose, and the ping was a
    statement more on every request."""
    uri = str(settings.get("SQLALCHEMY_DATABASE_URI", ""))
    return {} if uri.startswith("sqlite") else {"pool_pre_ping": True}


def secret_key_problem(key: str | bytes | None) -> str | None:
    """Why `key` is too weak to sign production sessions, or None when it will do."""
    if not key:
        return "it is not set."
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters; use at least {SECRET_KEY_MIN_LENGTH} random ones."
    if len(set(key)) < 8:
        return "it repeats a few characters; use a random one."
    return None


def instance_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so sessions survive a restart of `make run`.

    The file is created readable by its owner only, atomically: of two processes starting
    at once, one writes the key and both use it.
    """
    path = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w") as file:
        file.write(key)
    return key
