from flask import Blueprint

bp = Blueprint("source", __name__)

from quizapp.source import routes  # noqa: E402,F401
