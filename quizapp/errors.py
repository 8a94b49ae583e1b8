"""Error pages: a clear message for every refusal, and no half-written data after a crash."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from quizapp.extensions import db

TITLES = {
    400: "That request could not be used",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed this way",
    413: "Too large to accept",
    429: "Too many attempts",
    500: "Something went wrong on our side",
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

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _page(500, "Nothing was saved from this request. Please try again.")


def _page(code: int, message: str):
    title = TITLES.get(code, "Error")
    return render_template("errors/error.html", code=code, title=title, message=message), code
