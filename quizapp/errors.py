"""Error pages: a clear message for every refusal, and no half-written data after a crash.

A page that follows a failure (a 500, or the 503 of a database that is busy or out of
reach) is rendered without touching the database: it rolls back what the request began and
shows no account, since loading the user could fail again (while PostgreSQL restarts) and
make the error page raise in turn.
"""

import contextlib
import math

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from quizapp import extensions
from quizapp.extensions import database_unavailable, db, login_manager

TITLES = {
    400: "That request could not be used",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed this way",
    413: "Too large to accept",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "Busy for a moment",
}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = "The form had expired or came from elsewhere. Reload the page and try again."
        return _page(400, message)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        message = (
            f"What was sent is larger than the {limit / 2**20:g} MB this site accepts in one "
            "request, so none of it was read. A question file may hold at most 1 MB of "
            "text: split a larger one into several files."
        )
        return _page(413, message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _page(error.code or 500, error.description)

    @app.errorhandler(SQLAlchemyError)
    def database_error(error: SQLAlchemyError):
        if not database_unavailable(error):
            raise error  # a 500, through the handler below
        wait = math.ceil(extensions.BUSY_TIMEOUT_SECONDS)
        seconds = f"{wait} second{'s' if wait != 1 else ''}"
        message = (
            "The database is busy or restarting. Nothing was saved from this request: "
            f"go back and try again in {seconds}."
        )
        return _page_without_database(503, message, headers={"Retry-After": str(wait)})

    @app.errorhandler(500)
    def server_error(error):
        return _page_without_database(500, "Nothing was saved from this request. Please try again.")


def _page(code: int, message: str):
    title = TITLES.get(code, "Error")
    return render_template("errors/error.html", code=code, title=title, message=message), code


def _page_without_database(code: int, message: str, headers: dict | None = None):
    with contextlib.suppress(SQLAlchemyError):  # a connection gone has nothing to undo
        db.session.rollback()
    # The page is drawn as for a visitor whose account is not known (it is not loaded, nor
    # shown), without ending the session: the visitor is still logged in afterwards.
    login_manager._update_request_context_with_user()
    title = TITLES.get(code, "Error")
    page = render_template(
        "errors/error.html", code=code, title=title, message=message, account_unknown=True
    )
    return page, code, headers or {}
