"""Playing a round: start it, answer one question per page, see why after each answer."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp import attempt_store, class_store, clock, current_bank, live_store, report_store
from quizapp.domain import attempts
from quizapp.domain.attempts import Mode, Status
from quizapp.domain.grading import (
    InvalidResponse,
    grade,
    is_blank,
    parse_response,
    response_to_form,
    response_to_json,
)
from quizapp.domain.questions import QuestionType
from quizapp.domain.rounds import RoundError
from quizapp.extensions import commit_retrying_if_locked, db
from quizapp.play import bp
from quizapp.play.forms import JoinForm, NewRoundForm
from quizapp.play.ordering import apply_move, current_order, focus_after
from quizapp.security import RateLimit, client_address, current_account, rate_limited
from quizapp.templating import format_when

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
        flash(f"{assignment.title}: {error.told(format_when)}", "error")
        return redirect(url_for("play.home"), code=303)
    db.session.commit()
    return redirect(url_for("play.resume", round_id=attempt.id))


@bp.route("/rounds/<id:round_id>/submit", methods=["POST"])
@login_required
def submit(round_id: int):
    """ "Submit all and finish": the attempt is over, its score made from what it holds."""
    a_round = attempt_store.own_round_or_404(round_id, current_user)
    if a_round.mode is Mode.LIVE:
        return _to_live_session(a_round)
    decision = commit_retrying_if_locked(lambda: attempt_store.submit(a_round.id, clock.now()))
    if decision.allowed:
        flash("Your attempt is submitted.", "success")
    return redirect(url_for("review.recap", round_id=round_id))


@bp.route("/rounds/<id:round_id>/summary")
@login_required
def summary(round_id: int):
    """ "Summary of attempt": where each question of a test stands, before submitting it."""
    a_round = attempt_store.own_round_or_404(round_id, current_user)
    if not a_round.is_test or attempt_store.attempt_of(a_round).is_over(clock.now()):
        return redirect(url_for("play.resume", round_id=round_id))
    return render_template(
        "play/summary.html",
        round=a_round,
        states=attempt_store.question_states(a_round),
        timer=_timer(a_round),
        closes_at=_closes_at(a_round),
    )


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
        holds = (
            "1 question that does not repeat another"
            if length == 1
            else f"{length} questions that do not repeat each other"
        )
        flash(f"{scope} holds {holds}, so this round has {length}.", "info")
    return redirect(url_for("play.question", round_id=round_id, position=1))


@bp.route("/rounds/<id:round_id>")
@login_required
def resume(round_id: int):
    """Back into a round: its first unanswered question (a test whose every question has an
    answer: its summary), or its recap once it is over."""
    a_round = attempt_store.own_round_or_404(round_id, current_user)
    if a_round.mode is Mode.LIVE:
        return _to_live_session(a_round)
    item = a_round.next_unanswered()
    if attempt_store.attempt_of(a_round).is_over(clock.now()):
        return redirect(url_for("review.recap", round_id=a_round.id))
    if item is None:
        if a_round.is_test:
            return redirect(url_for("play.summary", round_id=a_round.id))
        return redirect(url_for("review.recap", round_id=a_round.id))
    return redirect(url_for("play.question", round_id=a_round.id, position=item.position))


@bp.route("/rounds/<id:round_id>/questions/<int:position>", methods=["GET", "POST"])
@login_required
def question(round_id: int, position: int):
    a_round = attempt_store.own_round_or_404(round_id, current_user)
    if a_round.mode is Mode.LIVE:
        return _to_live_session(a_round)
    item = attempt_store.item_or_404(a_round, position)
    now = clock.now()
    status = attempt_store.attempt_of(a_round).status(now)
    if status is not Status.IN_PROGRESS and (a_round.is_test or item.answer is None):
        # Submitted, or closed at its deadline: nothing more is saved.
        if request.method == "POST":
            if status is Status.CLOSED:
                _answer(a_round, item, None, None, now)
            else:
                flash(attempts.ALREADY_SUBMITTED, "error")
        elif status is Status.CLOSED:
            flash(_closed(a_round), "error")
        return redirect(url_for("review.recap", round_id=round_id), code=303)
    if a_round.is_test:
        return _test_question(a_round, item, now)
    if item.answer is not None:
        if request.method == "POST":
            flash(attempts.ALREADY_ANSWERED, "info")
            return redirect(url_for("play.question", round_id=round_id, position=position))
        reading = attempt_store.read(
            a_round, now, attempt_store.withheld_questions(current_user, now)
        )
        if not reading.shows_verdict(item):
            return render_template("play/saved.html", round=a_round, item=item, reading=reading)
        return render_template(
            "play/feedback.html", round=a_round, item=item, timer=_timer(a_round)
        )
    current = a_round.next_unanswered()
    if current is not None and current.position != position:
        # Practice questions come in order: an earlier one is still open.
        return redirect(url_for("play.question", round_id=round_id, position=current.position))

    q = item.question
    if request.method == "GET":
        return _render_question(a_round, item, order=[c.id for c in q.choices])
    moved = _move(a_round, item)
    if moved is not None:
        return moved
    try:
        response = parse_response(q, request.form.to_dict(flat=False))
    except InvalidResponse as error:
        return _refuse_response(a_round, item, error)
    return _answer(a_round, item, response_to_json(q, response), grade(q, response), now)


def _test_question(a_round, item, now):
    """A question of a test in progress: shown with the answer saved so far; a post saves
    the page's answer (a blank page saves nothing), sets its flag if asked, and goes where
    the button pressed leads ("Next page", "Previous page", a question of the "Quiz
    navigation", "Finish attempt…")."""
    q = item.question
    if request.method == "GET":
        values = response_to_form(q, item.answer.response) if item.answer else {}
        order = values.get("order") or [c.id for c in q.choices]
        return _render_question(a_round, item, order=order, values=values)
    moved = _move(a_round, item)
    if moved is not None:
        return moved
    form = request.form.to_dict(flat=False)
    round_id, item_id, position = a_round.id, item.id, item.position
    target = _destination(a_round, position, request.form.get("go", "next"))
    flag = {"1": True, "0": False}.get(request.form.get("flag", ""))
    if not is_blank(q, form):
        try:
            response = parse_response(q, form)
        except InvalidResponse as error:
            return _refuse_response(a_round, item, error)
        refused = _answer(a_round, item, response_to_json(q, response), grade(q, response), now)
        if refused is not None:
            return refused
    if request.form.get("go") == "timeup":
        return _time_up(a_round.id, now)
    if flag is not None:
        decision = commit_retrying_if_locked(
            lambda: attempt_store.flag(round_id, item_id, flag, now)
        )
        if not decision.allowed:
            flash(decision.reason, "error")
            return redirect(url_for("review.recap", round_id=round_id), code=303)
        # Said, and the focus put back on the toggle (the "flag" category): a keyboard user
        # is not sent back to the top of the page, and a screen reader hears what changed.
        flash(
            f"Question {position} is flagged."
            if flag
            else f"Question {position} is no longer flagged.",
            "flag",
        )
        return redirect(url_for("play.question", round_id=round_id, position=position))
    return redirect(target)


def _time_up(round_id: int, now):
    """The page's clock reached zero and saved its answer: the attempt is submitted at its
    deadline, or (a clock running ahead of ours) the learner goes back to the question."""
    a_round = attempt_store.own_round_or_404(round_id, current_user)
    life = attempt_store.attempt_of(a_round)
    if life.deadline is None or now < life.deadline:
        return redirect(url_for("play.resume", round_id=round_id))
    commit_retrying_if_locked(lambda: attempt_store.submit(round_id, now))
    flash("Time is up: your attempt was submitted with the answers it held.", "info")
    return redirect(url_for("review.recap", round_id=round_id))


def _destination(a_round, position: int, go: str) -> str:
    """Where a test's button leads: the summary after the last question, or a question."""
    last = a_round.length
    if go == "finish" or (go == "next" and position >= last):
        return url_for("play.summary", round_id=a_round.id)
    if go == "next":
        position += 1
    elif go == "prev":
        position = max(1, position - 1)
    elif go.isascii() and go.isdigit() and 1 <= int(go) <= last:
        position = int(go)
    return url_for("play.question", round_id=a_round.id, position=position)


def _move(a_round, item):
    """A Move up/down of an ordering question without JavaScript: the page again, the item
    moved and nothing saved; None when the post is no move."""
    q = item.question
    if "move" not in request.form or q.type is not QuestionType.ORDERING:
        return None
    order = current_order(q, request.form.getlist("order"))
    order, move = apply_move(order, request.form["move"])
    if move is None:
        error = "That item cannot move that way."
        return _render_question(a_round, item, order=order, error=error, status=400)
    return _render_question(a_round, item, order=order, moved=move)


def _refuse_response(a_round, item, error: InvalidResponse):
    order = current_order(item.question, request.form.getlist("order"))
    return _render_question(a_round, item, order=order, error=str(error), status=400)


def _answer(a_round, item, stored, verdict, now):
    """Store an answer through the attempt's rules. In practice: go where the outcome leads.
    In a test: None once it is saved (the caller moves on), a redirect when refused."""
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
        return None
    return redirect(url_for("play.question", round_id=round_id, position=position))


def _to_live_session(a_round):
    """A live session's round is played only on its session's page, one question at a time
    as the teacher opens it: never through the round pages."""
    session_id = live_store.session_id_of_round(a_round.id)
    return redirect(url_for("play.live_session", session_id=session_id), code=303)


def _closed(a_round) -> str:
    """Why an attempt closed at its deadline takes nothing more, named after its assignment:
    its time limit ran out (the assignment may still be open), or the assignment closed."""
    life = attempt_store.attempt_of(a_round)
    deadline = life.deadline
    if deadline is None:
        return attempts.ALREADY_SUBMITTED
    if life.is_timed():
        return (
            f"Time ran out on this attempt at {a_round.assignment.title} "
            f"({format_when(deadline)}): nothing more can be submitted."
        )
    return (
        f"{a_round.assignment.title} closed {format_when(deadline)}: nothing more can be submitted."
    )


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
            now=now,
        ),
        status,
    )


def _render_question(a_round, item, *, order, values=None, error=None, moved=None, status=200):
    if values is None:
        values = request.form.to_dict(flat=False) if request.method == "POST" else {}
    return (
        render_template(
            "play/test_question.html" if a_round.is_test else "play/question.html",
            round=a_round,
            item=item,
            q=item.question,
            order=order,
            error=error,
            moved=moved,
            focus=focus_after(order, moved) if moved else None,
            values=values,
            states=attempt_store.question_states(a_round) if a_round.is_test else [],
            timer=_timer(a_round),
            closes_at=_closes_at(a_round),
        ),
        status,
    )


@dataclass(frozen=True)
class Timer:
    """ "Time left" on a timed attempt's page: the time to its deadline, and the deadline."""

    left: timedelta
    deadline: datetime

    @property
    def seconds(self) -> int:
        return int(self.left.total_seconds())


def _closes_at(a_round) -> datetime | None:
    """When the round's assignment closes for its student (an override may move it)."""
    if a_round.assignment is None:
        return None
    return attempt_store.rules_of(a_round.assignment, a_round.user_id).closes_at


def _timer(a_round) -> Timer | None:
    if a_round.assignment is None:
        return None
    if attempt_store.rules_of(a_round.assignment, a_round.user_id).time_limit is None:
        return None
    life = attempt_store.attempt_of(a_round)
    left = life.time_left(clock.now())
    return Timer(left, life.deadline) if left is not None else None
