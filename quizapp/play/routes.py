"""Playing a round: start it, answer one question per page, see why after each answer."""

import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp import current_bank, store
from quizapp.domain.grading import (
    InvalidResponse,
    describe,
    grade,
    parse_response,
    response_from_json,
    response_to_json,
)
from quizapp.domain.questions import QuestionType
from quizapp.domain.rounds import RoundError
from quizapp.extensions import db
from quizapp.play import bp
from quizapp.play.forms import NewRoundForm
from quizapp.play.ordering import apply_move, current_order, focus_after


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("play/welcome.html")
    return _render_home(NewRoundForm().offer(current_bank()))


@bp.route("/rounds", methods=["POST"])
@login_required
def start():
    form = NewRoundForm().offer(current_bank())
    if not form.validate_on_submit():
        return _render_home(form, status=400)
    try:
        new_round = store.start_round(
            current_user, current_bank(), form.spec(), seed=secrets.randbits(31)
        )
    except RoundError as error:
        form.scope.errors.append(str(error))
        return _render_home(form, status=400)
    db.session.commit()
    if new_round.length < form.length.data:
        flash(
            f"{new_round.scope} holds {new_round.length} questions that do not repeat "
            f"each other, so this round has {new_round.length}.",
            "info",
        )
    return redirect(url_for("play.question", round_id=new_round.id, position=1))


@bp.route("/rounds/<int:round_id>")
@login_required
def resume(round_id: int):
    a_round = store.own_round_or_404(round_id, current_user)
    item = a_round.next_unanswered()
    if item is None:
        return redirect(url_for("review.recap", round_id=a_round.id))
    return redirect(url_for("play.question", round_id=a_round.id, position=item.position))


@bp.route("/rounds/<int:round_id>/questions/<int:position>", methods=["GET", "POST"])
@login_required
def question(round_id: int, position: int):
    a_round = store.own_round_or_404(round_id, current_user)
    item = store.item_or_404(a_round, position)
    if item.answer is not None:
        if request.method == "POST":
            flash("This question was already answered; your first answer counts.", "info")
            return redirect(url_for("play.question", round_id=round_id, position=position))
        return render_template("play/feedback.html", round=a_round, item=item)
    current = a_round.next_unanswered()
    if current is not None and current.position != position:
        # Questions come in order: an earlier one is still open.
        return redirect(url_for("play.question", round_id=round_id, position=current.position))

    q = item.question
    if request.method == "GET":
        return _render_question(a_round, item, order=[c.id for c in q.choices])

    if "move" in request.form and q.type is QuestionType.ORDERING:
        order = current_order(q, request.form.getlist("order"))
        order, move = apply_move(order, request.form["move"])
        if move is None:
            error = "That item cannot move that way."
            return _render_question(a_round, item, order=order, error=error, status=400)
        return _render_question(a_round, item, order=order, moved=move)

    try:
        response = parse_response(q, request.form.to_dict(flat=False))
    except InvalidResponse as error:
        return _render_question(
            a_round,
            item,
            order=current_order(q, request.form.getlist("order")),
            error=str(error),
            status=400,
        )
    store.record_answer(item, response_to_json(q, response), grade(q, response))
    db.session.commit()
    return redirect(url_for("play.question", round_id=round_id, position=position))


def _render_home(form: NewRoundForm, status: int = 200):
    unfinished = store.rounds_of(current_user, unfinished_only=True)
    return render_template("play/home.html", form=form, unfinished=unfinished), status


def _render_question(a_round, item, *, order, error=None, moved=None, status=200):
    return (
        render_template(
            "play/question.html",
            round=a_round,
            item=item,
            q=item.question,
            order=order,
            error=error,
            moved=moved,
            focus=focus_after(order, moved) if moved else None,
            values=request.form.to_dict(flat=False) if request.method == "POST" else {},
        ),
        status,
    )


@bp.app_template_global()
def your_answer(item) -> list[str]:
    q = item.question
    return describe(q, response_from_json(q, item.answer.response))


@bp.app_template_global()
def right_answer(q) -> list[str]:
    return describe(q, q.answer)


@bp.app_template_filter("score")
def format_score(value: float) -> str:
    """7.0 -> '7', 6.8333 -> '6.83': partial credit shown without noise."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
