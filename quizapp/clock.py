"""The app's clock: every view and command reads the time here, so a flow test can move it.

`QUIZAPP_CLOCK` in the app's config is a callable returning an aware UTC datetime; it is
`utcnow` unless a test config sets another.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app


def utcnow() -> datetime:
    return datetime.now(UTC)


def now() -> datetime:
    """The time as the running app sees it."""
    return current_app.config.get("QUIZAPP_CLOCK", utcnow)()
