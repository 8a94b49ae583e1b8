"""The baseline: a bare Flask app that returns one constant page, as large as the question page.

What the same gunicorn settings serve when the app does nothing: the ceiling that the
quiz's steps are measured against. `BENCH_PAGE_BYTES` sets the page's size.
"""

import os

from flask import Flask

PAGE_START = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
    "<title>Baseline</title></head><body><p>"
)
PAGE_END = "</p></body></html>\n"


def create_app(size: int | None = None) -> Flask:
    size = size or int(os.environ.get("BENCH_PAGE_BYTES", "8000"))
    filler = "x" * max(0, size - len(PAGE_START) - len(PAGE_END))
    page = PAGE_START + filler + PAGE_END
    app = Flask(__name__)

    @app.get("/")
    def constant_page():
        return page

    return app
