"""A student's side of a live session: join it with its code, then follow it on the phone.

The session page shows what the session is at: the lobby, the open question with its
answer controls, the wait after answering, the learner's own verdict at the reveal, their
result. A poll (`/live/<id>/state`) tells our script when to reload; without JavaScript
every page but the one where an answer is typed refreshes itself.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from quizapp import clock, live_store
from quizapp.domain.grading import InvalidResponse, grade, parse_response, response_to_json
from quizapp.domain.live import LiveError, Phase
from quizapp.domain.questions import QuestionType
from quizapp.extensions import commit_retrying_if_locked, db
from quizapp.models import parse_session_id
from quizapp.play import bp
from quizapp.play.forms import JoinLiveForm
from quizapp.play.ordering import apply_move, current_order, focus_after
from quizapp.security import RateLimit, rate_limited

TOO_MANY_JOINS = "Too many tries at a session code. Wait a minute, then try again."


def signed_in_user_id() -> str:
    """The logged-in user's session id (`<user id>:<generation>`) from the signed session
    cookie, without loading the user."""
    return str(session.get("_user_id", ""))


def _joiner() -> str:
    """Tries at a code count per account, not per session: logging out and in again (a new
    session generation) gives no fresh tries."""
    signed_in = parse_session_id(signed_in_user_id())
    return f"live-join:{signed_in[0] if signed_in else request.remote_addr}"


@bp.route("/live/join", methods=["GET", "POST"])
@login_required
@rate_limited(RateLimit("QUIZAPP_LIVE_JOIN_LIMIT_PER_USER", _joiner, TOO_MANY_JOINS))
def join_live():
    """The join form (prefilled from the QR code's link); joining is the POST."""
    form = JoinLiveForm(data={"code": request.args.get("code", "")[:24]})
    if request.method == "GET":
        return render_template("play/live_join.html", form=form)
    if not form.validate_on_submit():
        return render_template("play/live_join.html", form=form), 400
    try:
        participant = live_store.join(current_user, form.code.data, clock.now())
    except LiveError as error:
        db.session.rollback()
        form.code.errors = [*form.code.errors, str(error)]
        return render_template("play/live_join.html", form=form), 400
    session_id = participant.session_id
    db.session.commit()
    return redirect(url_for("play.live_session", session_id=session_id), code=303)


@bp.route("/live/<id:session_id>")
@login_required
def live_session(session_id: int):
    participant = live_store.participant_or_404(session_id, current_user.id)
    return _render(participant)


def _render(participant, *, order=None, error=None, moved=None, status=200):
    row = db.session.get(live_store.LiveSession, participant.session_id)
    now = clock.now()
    rules = live_store.rules_of(row)
    phase = rules.phase(now)
    page = {
        "row": row,
        "phase": phase,
        "rules": rules,
        "participant": participant,
        "poll": live_store.poll(row.id, now, student_id=current_user.id),
    }
    if phase in (Phase.QUESTION, Phase.REVEAL):
        item, answer = live_store.own_answer(participant, row.position)
        q = item.question
        page |= {"item": item, "answer": answer, "q": q}
        if phase is Phase.QUESTION and answer is None:
            page |= {
                "order": order or [c.id for c in q.choices],
                "error": error,
                "moved": moved,
                "focus": focus_after(order, moved) if moved else None,
                "values": request.form.to_dict(flat=False) if request.method == "POST" else {},
                "seconds_left": rules.seconds_left(now),
            }
    if phase in (Phase.RESULTS, Phase.ENDED):
        mine = [r for r in live_store.results(row) if r.participant_id == participant.id]
        page["result"] = mine[0] if mine else None
    return render_template("play/live_session.html", **page), status


@bp.route("/live/<id:session_id>/questions/<int:position>", methods=["POST"])
@login_required
def live_answer(session_id: int, position: int):
    participant = live_store.participant_or_404(session_id, current_user.id)
    row = db.session.get(live_store.LiveSession, session_id)
    if not 1 <= position <= row.question_count:
        flash(f"This session has no question {position}.", "error")
        return redirect(url_for("play.live_session", session_id=session_id), code=303)
    q = live_store.question_at(row, position)

    def closed() -> str | None:
        """A move or an incomplete answer is shown back only while its question is open:
        once it is closed, the page it came from is gone, and the reason is what to show."""
        return live_store.rules_of(row).answer_refusal(position, clock.now())

    if "move" in request.form and q.type is QuestionType.ORDERING:
        if (refusal := closed()) is not None:
            return _refused(session_id, refusal)
        order, move = apply_move(
            current_order(q, request.form.getlist("order")), request.form["move"]
        )
        if move is None:
            return _render(
                participant, order=order, error="That item cannot move that way.", status=400
            )
        return _render(participant, order=order, moved=move)
    try:
        response = parse_response(q, request.form.to_dict(flat=False))
    except InvalidResponse as error:
        if (refusal := closed()) is not None:
            return _refused(session_id, refusal)
        order = current_order(q, request.form.getlist("order"))
        return _render(participant, order=order, error=str(error), status=400)
    stored, verdict = response_to_json(q, response), grade(q, response)
    refusal = commit_retrying_if_locked(
        lambda: live_store.answer(participant, position, stored, verdict, clock.now)
    )
    if refusal is not None:
        return _refused(session_id, refusal)
    flash("Your answer is in.", "success")
    return redirect(url_for("play.live_session", session_id=session_id), code=303)


def _refused(session_id: int, reason: str):
    flash(reason, "error")
    return redirect(url_for("play.live_session", session_id=session_id), code=303)


@bp.route("/live/<id:session_id>/state")
def live_state(session_id: int):
    """The poll: authorised by the signed session and the participant row, no user loaded."""
    signed_in = parse_session_id(signed_in_user_id())
    found = None
    if signed_in is not None:
        student_id, generation = signed_in
        found = live_store.poll(
            session_id, clock.now(), student_id=student_id, generation=generation
        )
    return live_store.poll_response(found)
