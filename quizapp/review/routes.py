"""A learner's own results: past rounds with their scores, and each round's recap."""

from flask import render_template
from flask_login import current_user, login_required

from quizapp import store
from quizapp.review import bp


@bp.route("/scores")
@login_required
def scores():
    return render_template("review/scores.html", rounds=store.rounds_of(current_user))


@bp.route("/rounds/<int:round_id>")
@login_required
def recap(round_id: int):
    a_round = store.own_round_or_404(round_id, current_user)
    return render_template("review/recap.html", round=a_round)
