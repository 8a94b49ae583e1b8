"""Configuration read from the environment, with defaults that need nothing installed."""

import os
import secrets
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_BANK_DIR = PACKAGE_DIR.parent / "questions"


def from_environment(instance_path: str) -> dict:
    """Settings for a real run: every key can be overridden by an environment variable."""
    instance = Path(instance_path)
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "QUIZAPP_DATABASE_URL", f"sqlite:///{instance / 'quizapp.sqlite'}"
        ),
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "QUIZAPP_BANK_DIR": os.environ.get("QUIZAPP_BANK_DIR", str(DEFAULT_BANK_DIR)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }


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
