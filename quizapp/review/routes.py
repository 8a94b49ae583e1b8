"""A learner's own results: progress with mastery and charts, each round's recap, and the
review of their mistakes scheduled in Leitner boxes. Every page here only reads."""

import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp import attempt_store, clock, current_bank, report_store
from quizapp.domain import charts, leitner, mastery
from quizapp.extensions import db
from quizapp.review import bp


@bp.route("/scores")
@login_required
def scores():
    """My progress: every round, scores over time, and mastery by section, topic and type."""
    now = clock.now()
    rounds = attempt_store.rounds_of(current_user, now)
    records, _ = report_store.learner_records(current_user, now)
    sections = mastery.section_bars(mastery.by_section(records), current_bank())
    points = [
        charts.ScorePoint(r.finished_at, r.score / r.length, r.scope)
        for r in rounds
        if r.finished_at is not None and r.length and not r.score_hidden
    ]
    return render_template(
        "review/scores.html",
        rounds=rounds,
        score_chart=charts.score_chart(points, chart_id="score-chart"),
        section_chart=charts.bar_chart(
            sections, chart_id="section-chart", title="Your mastery by section of the article"
        ),
        sections=sections,
        topics=mastery.by_topic(records),
        types=mastery.by_type(records),
        weakest=mastery.weakest(mastery.by_section(records)),
        recent=mastery.RECENT,
    )


@bp.route("/rounds/<id:round_id>")
@login_required
def recap(round_id: int):
    a_round = attempt_store.own_round_or_404(round_id, current_user)
    now = clock.now()
    reading = attempt_store.read(a_round, now, attempt_store.withheld_questions(current_user, now))
    return render_template("review/recap.html", round=a_round, reading=reading)


@bp.route("/mistakes")
@login_required
def mistakes():
    """Review my mistakes: what is due, the boxes, and when the next question comes due."""
    now = clock.now()
    cards = report_store.review_cards(current_user, now)
    waiting = sorted(
        (c for c in cards.values() if not c.learned), key=lambda c: (c.due_at, c.question_id)
    )
    questions = report_store.card_questions(current_user, (c.question_id for c in waiting), now)
    return render_template(
        "review/mistakes.html",
        now=now,
        due=leitner.due(cards, now),
        waiting=waiting,
        learned=sum(1 for c in cards.values() if c.learned),
        boxes=leitner.by_box(cards),
        next_due=leitner.next_due(cards, now),
        questions=questions,
        intervals=leitner.INTERVALS,
        round_length=attempt_store.REVIEW_ROUND_LENGTH,
    )


@bp.route("/mistakes", methods=["POST"])
@login_required
def review_mistakes():
    """Start a round of the questions due, or with `early`, of the soonest waiting ones."""
    now = clock.now()
    cards = report_store.review_cards(current_user, now)
    chosen = leitner.due(cards, now)
    if not chosen and request.form.get("early") == "1":
        chosen = sorted(
            (c for c in cards.values() if not c.learned), key=lambda c: (c.due_at, c.question_id)
        )
    if not chosen:
        flash("Nothing to review: no question you missed is waiting.", "info")
        return redirect(url_for("review.mistakes"), code=303)
    chosen = chosen[: attempt_store.REVIEW_ROUND_LENGTH]
    items = report_store.card_questions(current_user, (c.question_id for c in chosen), now)
    round_id = attempt_store.start_review_round(
        current_user, chosen, items, seed=secrets.randbits(31), now=now
    )
    db.session.commit()
    return redirect(url_for("play.question", round_id=round_id, position=1))
