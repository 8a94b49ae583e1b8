"""The teacher's side of a live session: open it for a class, and run it on the projector."""

from __future__ import annotations

import io
import random
import secrets

import segno
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp import class_store, clock, current_bank, live_store, question_store
from quizapp.domain import live
from quizapp.domain.charts import Bar, bar_chart
from quizapp.domain.live import LiveError, Phase
from quizapp.domain.rounds import present
from quizapp.extensions import commit_retrying_if_locked, db
from quizapp.teach import bp
from quizapp.teach.forms import LiveSessionForm


@bp.route("/classes/<id:class_id>/live", methods=["GET", "POST"])
def new_live_session(class_id: int):
    classroom = class_store.own_class_or_404(class_id, current_user)
    bank = current_bank()
    own = question_store.playable_questions(current_user.id)
    by_id = {q.id: q for q in own} | {q.id: q for q in bank.questions}
    form = LiveSessionForm()
    form.question_ids.choices = [(q.id, f"Yours · {q.section} · {q.prompt}") for q in own] + [
        (q.id, f"Library · {q.section} · {q.prompt}") for q in bank.questions
    ]
    if form.validate_on_submit():
        rng = random.Random(secrets.randbits(31))
        questions = [present(by_id[qid], rng) for qid in form.question_ids.data]
        versions = question_store.current_versions([q.id for q in questions])
        settings = live_store.Settings(
            form.seconds_per_question.data, form.speed_points.data, form.show_top_five.data
        )
        try:
            row = live_store.create(
                classroom,
                questions,
                {qid: v.id for qid, v in versions.items()},
                settings,
                clock.now(),
                rng,
            )
        except LiveError as error:
            db.session.rollback()
            form.question_ids.errors = [*form.question_ids.errors, str(error)]
        else:
            session_id = row.id
            db.session.commit()
            return redirect(url_for("teach.projector", session_id=session_id), code=303)
    status = 400 if form.is_submitted() else 200
    running = live_store.running_session_of(classroom, clock.now())
    return (
        render_template("teach/live_new.html", classroom=classroom, form=form, running=running),
        status,
    )


@bp.route("/live/<id:session_id>")
def projector(session_id: int):
    row = live_store.own_session_or_404(session_id, current_user)
    now = clock.now()
    rules = live_store.rules_of(row)
    phase = rules.phase(now)
    joined = live_store.joined_count(row.id)
    page = {
        "row": row,
        "rules": rules,
        "phase": phase,
        "joined": joined,
        "poll": live_store.poll(row.id, now, teacher_id=current_user.id),
        "join_url": url_for("play.join_live", code=row.code, _external=True),
    }
    if phase in (Phase.QUESTION, Phase.REVEAL):
        q = live_store.question_at(row, row.position)
        page |= {"q": q, "answered": live_store.answered_count(row, row.position)}
        page["seconds_left"] = rules.seconds_left(now)
        if phase is Phase.REVEAL:
            answers = live_store.answers_at(row, row.position)
            bars = live.split(q, answers)
            page |= {"bars": bars, "chart": _split_chart(bars, len(answers), row.position)}
    if phase in (Phase.RESULTS, Phase.ENDED):
        results = live_store.results(row)
        page |= {"results": results, "chart": _results_chart(results, row.question_count)}
        if row.show_top_five:
            page["top"] = live.top([live.Standing(r.name, r.points, r.answered) for r in results])
    return render_template("teach/live_projector.html", **page)


def _split_chart(bars: list[live.Split], answered: int, position: int):
    """Each bar's share is of the students who answered: a multiple-answer response counts
    on every option it ticks, so the bars' counts add up to more than that."""
    return bar_chart(
        [
            Bar(
                f"{b.name}{' ✓ right answer' if b.right else ''}",
                b.count / answered if answered else 0.0,
                f"{b.count} answer{'s' if b.count != 1 else ''}",
            )
            for b in bars
        ],
        chart_id=f"split-{position}",
        title=f"How the class answered question {position}",
        largest_part="Most chosen",
    )


def _results_chart(results: list[live_store.Result], question_count: int):
    bands = live.score_bands([r.score for r in results], question_count)
    total = len(results)
    return bar_chart(
        [
            Bar(
                f"{label} right",
                count / total if total else 0.0,
                f"{count} student{'s' if count != 1 else ''}",
            )
            for label, count in bands
        ],
        chart_id="live-results",
        title="The class's scores",
        largest_part="Most common",
    )


@bp.route("/live/<id:session_id>/qr.svg")
def join_qr(session_id: int):
    """The QR code of the join link, made here (no outside service sees the code)."""
    row = live_store.own_session_or_404(session_id, current_user)
    url = url_for("play.join_live", code=row.code, _external=True)
    # A file of its own, shown by an <img>: it needs the SVG namespace (which segno's
    # svg_inline leaves out, for SVG inside HTML) and a viewBox to scale to the img's size.
    svg = io.BytesIO()
    segno.make(url, error="m").save(
        svg,
        kind="svg",
        scale=8,
        title="QR code of the join link",
        svgclass="qr-code",
        xmldecl=False,
        omitsize=True,
        nl=False,
    )
    # It spells the session's code: kept by no cache, as every page of a logged-in session.
    return svg.getvalue(), 200, {"Content-Type": "image/svg+xml", "Cache-Control": "no-store"}


@bp.route("/live/<id:session_id>/state")
def projector_state(session_id: int):
    found = live_store.poll(session_id, clock.now(), teacher_id=current_user.id)
    return live_store.poll_response(found)


@bp.route("/live/<id:session_id>/<action>", methods=["POST"])
def act(session_id: int, action: str):
    """A button of the projector page: start, close, next, results or end. "Close answers",
    "Next question" and "Show results" send the question they were shown with."""
    row = live_store.own_session_or_404(session_id, current_user)
    if action not in live_store.ACTIONS:
        abort(404, description="There is no such action.")
    position = request.form.get("position", type=int) or 0
    row_id = row.id
    try:
        commit_retrying_if_locked(lambda: live_store.act(row_id, action, position, clock.now()))
    except LiveError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("teach.projector", session_id=session_id), code=303)
