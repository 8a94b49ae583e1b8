"""URL converters: the `id` converter matches a database id, 1 to the largest a column holds.

A larger number would overflow the database's integer and fail inside the query; with
this converter it matches no route, so the visitor gets the ordinary 404 and no query runs.
"""

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from quizapp.models import MAX_ID


class IdConverter(IntegerConverter):
    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def register(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
