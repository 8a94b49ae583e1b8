from flask import Blueprint

bp = Blueprint("play", __name__)

from quizapp.play import live, routes  # noqa: E402,F401
