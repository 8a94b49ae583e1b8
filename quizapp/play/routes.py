"""Playing a round: start it, answer one question per page, see why after each answer."""

import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp import attempt_store, class_store, clock, current_bank, report_store
from quizapp.domain import attempts
from quizapp.domain.assignments import when
from quizapp.domain.attempts import Status
from quizapp.domain.grading import InvalidResponse, grade, parse_response, response_to_json
from quizapp.domain.questions import QuestionType
from quizapp.domain.rounds import RoundError
from quizapp.extensions import commit_retrying_if_locked, db
from quizapp.play import bp
from quizapp.play.forms import JoinForm, NewRoundForm
from quizapp.play.ordering import apply_move, current_order, focus_after
from quizapp.security import RateLimit, client_address, current_account, rate_limited

TOO_MANY_JOINS = "Too many attempts to join a class from this account or this network."


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("play/welcome.html")
    return _render_home(NewRoundForm().offer(current_bank()))


@bp.route("/classes/join", methods=["POST"])
@rate_limited(
    RateLimit("QUIZAPP_JOIN_LIMIT_PER_USER", current_account, TOO_MANY_JOINS),
    RateLimit("QUIZAPP_JOIN_LIMIT_PER_IP", client_address, TOO_MANY_JOINS),
)
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


@bp.route("/assignments/<id:assignment_id>/attempts", methods=["POST"])
@login_required
def start_assignment(assignment_id: int):
    assignment = class_store.student_assignment_or_404(assignment_id, current_user)
    try:
        attempt = attempt_store.start_attempt(
            current_user, assignment, current_bank(), clock.now(), seed=secrets.randbits(31)
        )
    except attempt_store.AttemptError as error:
        flash(f"{assignment.title}: {error}", "error")
        return redirect(url_for("play.home"), code=303)
    db.session.commit()
    return redirect(url_for("play.resume", round_id=attempt.id))


@bp.route("/rounds/<id:round_id>/submit", methods=["POST"])
@login_required
def submit(round_id: int):
    a_round = attempt_store.own_round_or_404(round_id, current_user)
    commit_retrying_if_locked(lambda: attempt_store.submit(a_round.id, clock.now()))
    return redirect(url_for("review.recap", round_id=round_id))


@bp.route("/rounds", methods=["POST"])
@login_required
def start():
    form = NewRoundForm().offer(current_bank())
    if not form.validate_on_submit():
        return _render_home(form, status=400)
    try:
        started = attempt_store.start_round(
            current_user, current_bank(), form.spec(), seed=secrets.randbits(31), now=clock.now()
        )
    except RoundError as error:
        form.scope.errors.append(str(error))
        return _render_home(form, status=400)
    round_id, scope, length = started.round_id, started.scope, started.length
    db.session.commit()
    if length < form.length.data:
        flash(
            f"{scope} holds {length} questions that do not repeat "
            f"each other, so this round has {length}.",
            "info",
        )
    return redirect(url_for("play.question", round_id=round_id, position=1))


@bp.route("/rounds/<id:round_id>")
@login_required
def resume(round_id: int):
    a_round = attempt_store.own_round_or_404(round_id, current_user)
    item = a_round.next_unanswered()
    if item is None or attempt_store.attempt_of(a_round).is_over(clock.now()):
        return redirect(url_for("review.recap", round_id=a_round.id))
    return redirect(url_for("play.question", round_id=a_round.id, position=item.position))


@bp.route("/rounds/<id:round_id>/questions/<int:position>", methods=["GET", "POST"])
@login_required
def question(round_id: int, position: int):
    a_round = attempt_store.own_round_or_404(round_id, current_user)
    item = attempt_store.item_or_404(a_round, position)
    now = clock.now()
    attempt = attempt_store.attempt_of(a_round)
    status = attempt.status(now)
    if item.answer is not None:
        if request.method == "POST":
            flash(attempts.ALREADY_ANSWERED, "info")
            return redirect(url_for("play.question", round_id=round_id, position=position))
        reading = attempt_store.read(
            a_round, now, attempt_store.withheld_questions(current_user, now)
        )
        if not reading.shows_verdict(item):
            return render_template("play/saved.html", round=a_round, item=item, reading=reading)
        return render_template("play/feedback.html", round=a_round, item=item)
    if status is not Status.IN_PROGRESS:
        # Submitted, or closed at its deadline, before this question was answered.
        if request.method == "POST":
            if status is Status.CLOSED:
                _answer(a_round, item, None, None, now)
            else:
                flash(attempts.ALREADY_SUBMITTED, "error")
        elif status is Status.CLOSED:
            flash(_closed(a_round), "error")
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
    return _answer(a_round, item, response_to_json(q, response), grade(q, response), now)


def _answer(a_round, item, stored, verdict, now):
    """Store an answer through the attempt's rules, and go where the outcome leads."""
    round_id, position, is_test = a_round.id, item.position, a_round.is_test
    closed = _closed(a_round)  # read before the commit expires the round: no reload then
    outcome = commit_retrying_if_locked(
        lambda: attempt_store.answer(round_id, item.id, stored, verdict, now)
    )
    decision = outcome.decision
    if not decision.allowed:
        if decision.reason == attempts.ALREADY_ANSWERED:
            flash(decision.reason, "info")
            return redirect(url_for("play.question", round_id=round_id, position=position))
        flash(closed if decision.finish_at is not None else decision.reason, "error")
        return redirect(url_for("review.recap", round_id=round_id), code=303)
    if is_test:
        if outcome.next_position is None:
            flash("Every question is answered: your test is submitted.", "success")
            return redirect(url_for("review.recap", round_id=round_id))
        return redirect(url_for("play.question", round_id=round_id, position=outcome.next_position))
    return redirect(url_for("play.question", round_id=round_id, position=position))


def _closed(a_round) -> str:
    """Why an attempt closed at its deadline takes nothing more, named after its assignment."""
    deadline = attempt_store.attempt_of(a_round).deadline
    if deadline is None:
        return attempts.ALREADY_SUBMITTED
    return f"{a_round.assignment.title} closed {when(deadline)}: nothing more can be submitted."


def _render_home(form: NewRoundForm, *, join_form: JoinForm | None = None, status: int = 200):
    now = clock.now()
    unfinished = [
        r
        for r in attempt_store.rounds_of(current_user, now, in_progress_only=True)
        if r.assignment_id is None
    ]
    return (
        render_template(
            "play/home.html",
            form=form,
            join_form=join_form or JoinForm(formdata=None),
            unfinished=unfinished,
            assignments=class_store.assignments_for(current_user, now),
            due=report_store.due_count(current_user, now),
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
