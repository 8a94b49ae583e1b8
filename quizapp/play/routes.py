"""Playing a round: start it, answer one question per page, see why after each answer."""

import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp import class_store, current_bank, report_store, store
from quizapp.domain import markup
from quizapp.domain.assignments import when
from quizapp.domain.grading import (
    InvalidResponse,
    describe,
    feedback_for,
    grade,
    parse_response,
    response_from_json,
    response_to_json,
)
from quizapp.domain.questions import QuestionType, TextFormat
from quizapp.domain.rounds import RoundError
from quizapp.extensions import commit_retrying_if_locked, db
from quizapp.models import utcnow
from quizapp.play import bp
from quizapp.play.forms import NewRoundForm
from quizapp.play.ordering import apply_move, current_order, focus_after
from quizapp.teach.forms import JoinForm


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("play/welcome.html")
    return _render_home(NewRoundForm().offer(current_bank()))


@bp.route("/classes/join", methods=["POST"])
@login_required
def join_class():
    form = JoinForm()
    if not form.validate_on_submit():
        return _render_home(NewRoundForm().offer(current_bank()), join_form=form, status=400)
    try:
        classroom = class_store.join_class(current_user, form.code.data)
    except class_store.JoinError as error:
        form.code.errors.append(str(error))
        return _render_home(NewRoundForm().offer(current_bank()), join_form=form, status=400)
    db.session.commit()
    flash(f"You joined {classroom.name}.", "success")
    return redirect(url_for("play.home"))


@bp.route("/assignments/<int:assignment_id>/attempts", methods=["POST"])
@login_required
def start_assignment(assignment_id: int):
    assignment = class_store.student_assignment_or_404(assignment_id, current_user)
    try:
        attempt = class_store.start_attempt(
            current_user, assignment, current_bank(), utcnow(), seed=secrets.randbits(31)
        )
    except class_store.AttemptError as error:
        flash(f"{assignment.title}: {error}", "error")
        return redirect(url_for("play.home"), code=303)
    db.session.commit()
    return redirect(url_for("play.resume", round_id=attempt.id))


@bp.route("/rounds/<int:round_id>/submit", methods=["POST"])
@login_required
def submit(round_id: int):
    a_round = store.own_round_or_404(round_id, current_user)
    now = utcnow()
    if class_store.closed_unfinished(a_round, now):
        class_store.submit(a_round, at=a_round.assignment.closes_at)
        db.session.commit()
    elif class_store.accepts_answers(a_round, now) is None:
        class_store.submit(a_round)
        db.session.commit()
    return redirect(url_for("review.recap", round_id=a_round.id))


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
    now = utcnow()
    if class_store.closed_unfinished(a_round, now):
        closed = class_store.accepts_answers(a_round, now)
        class_store.submit(a_round, at=a_round.assignment.closes_at)
        db.session.commit()
        flash(closed, "error")
        return redirect(url_for("review.recap", round_id=round_id), code=303)
    if item.answer is not None:
        if request.method == "POST":
            flash("This question was already answered; your first answer counts.", "info")
            return redirect(url_for("play.question", round_id=round_id, position=position))
        if not a_round.shows_feedback:
            return render_template("play/saved.html", round=a_round, item=item)
        return render_template("play/feedback.html", round=a_round, item=item)
    if a_round.finished_at is not None:
        # Submitted (or closed) before this question was answered.
        if request.method == "POST":
            flash("This attempt was already submitted: nothing more can be submitted.", "error")
        return redirect(url_for("review.recap", round_id=round_id), code=303)
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
    is_test = a_round.is_test  # read before the commit expires the round: no reload then
    stored, verdict = response_to_json(q, response), grade(q, response)
    commit_retrying_if_locked(lambda: store.record_answer(item, stored, verdict))
    if is_test:
        following = a_round.next_unanswered()
        if following is None:
            flash("Every question is answered: your test is submitted.", "success")
            return redirect(url_for("review.recap", round_id=round_id))
        return redirect(url_for("play.question", round_id=round_id, position=following.position))
    return redirect(url_for("play.question", round_id=round_id, position=position))


def _render_home(form: NewRoundForm, *, join_form: JoinForm | None = None, status: int = 200):
    if class_store.submit_closed_attempts(current_user, utcnow()):
        db.session.commit()
    unfinished = [
        r for r in store.rounds_of(current_user, unfinished_only=True) if r.assignment_id is None
    ]
    return (
        render_template(
            "play/home.html",
            form=form,
            join_form=join_form or JoinForm(formdata=None),
            unfinished=unfinished,
            assignments=class_store.assignments_for(current_user, utcnow()),
            due=report_store.due_count(current_user, utcnow()),
        ),
        status,
    )


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
def answer_feedback(item) -> list[str]:
    q = item.question
    return feedback_for(q, response_from_json(q, item.answer.response))


@bp.app_template_global()
def right_answer(q) -> list[str]:
    return describe(q, q.answer)


@bp.app_template_filter("rich")
def rich_text(text: str, text_format: str = "plain"):
    """Teacher text in its format: plain escaped, Markdown as the sanitised subset."""
    return markup.render(text, TextFormat(text_format))


@bp.app_template_filter("rich_inline")
def rich_inline_text(text: str, text_format: str = "plain"):
    return markup.render_inline(text, TextFormat(text_format))


@bp.app_template_filter("when")
def format_when(moment) -> str:
    return when(moment)


@bp.app_template_filter("score")
def format_score(value: float) -> str:
    """7.0 -> '7', 6.8333 -> '6.83': partial credit shown without noise."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
