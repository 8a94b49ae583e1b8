"""The SQL queries of each request, counted for the benchmark (`QUIZAPP_COUNT_QUERIES=1`).

Off by default, and then nothing is attached: the normal path runs no counting code.
On, every request's response carries its count in the `X-Query-Count` header.
"""

from flask import Flask, g, has_app_context
from sqlalchemy import event

from quizapp.extensions import db

HEADER = "X-Query-Count"


def count_queries(app: Flask) -> None:
    """Count the statements run on the app's engine during each request, and report them."""
    with app.app_context():
        engine = db.engine

    def count(*_args) -> None:
        if has_app_context():
            g.quizapp_query_count = g.get("quizapp_query_count", 0) + 1

    event.listen(engine, "before_cursor_execute", count)

    @app.after_request
    def report(response):
        response.headers[HEADER] = str(g.get("quizapp_query_count", 0))
        return response
