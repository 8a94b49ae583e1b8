"""A learner's own results: progress with mastery and charts, each round's recap, and the
review of their mistakes scheduled in Leitner boxes."""

import math
import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp import class_store, current_bank, report_store, store
from quizapp.domain import charts, leitner, mastery
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import utcnow
from quizapp.review import bp
from quizapp.source.routes import section_title
from quizapp.teach.question_forms import TYPE_LABELS


@bp.app_template_filter("percent")
def format_percent(share: float) -> str:
    """0.666 -> '67%', 0.625 -> '63%' (halves up, as the charts and the CSV read)."""
    return f"{math.floor(share * 100 + 0.5)}%"


@bp.app_template_global()
def type_label(value: str) -> str:
    try:
        return TYPE_LABELS[QuestionType(value)]
    except ValueError:
        return value


@bp.route("/scores")
@login_required
def scores():
    """My progress: every round, scores over time, and mastery by section, topic and type."""
    _submit_closed_attempts()
    rounds = store.rounds_of(current_user)
    records, _ = report_store.learner_records(current_user)
    sections = section_bars(mastery.by_section(records))
    points = [
        charts.ScorePoint(r.finished_at, r.score / r.length, r.scope)
        for r in rounds
        if r.finished_at is not None and r.length
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


@bp.app_template_global()
def numbered_section(number: str) -> str:
    """'2.1 The Genscher formula', or the bare number of a section the article lacks."""
    return f"{number} {section_title(number)}".strip()


def section_bars(masteries: list[mastery.Mastery]) -> list[charts.Bar]:
    """A bar per section a question cites, answered or not yet, in article order."""
    found = {m.label: m for m in masteries}
    cited = {q.section for q in current_bank().questions if q.section} | set(found)
    return [
        charts.Bar(
            numbered_section(number),
            found[number].share if number in found else None,
            f"{found[number].right} of {found[number].counted} recent answers right"
            if number in found
            else "",
        )
        for number in sorted(cited, key=mastery.section_sort_key)
    ]


def _submit_closed_attempts() -> None:
    """An attempt left open at its assignment's close counts from then on: settle it first."""
    if class_store.submit_closed_attempts(current_user, utcnow()):
        db.session.commit()


@bp.route("/rounds/<int:round_id>")
@login_required
def recap(round_id: int):
    a_round = store.own_round_or_404(round_id, current_user)
    if class_store.closed_unfinished(a_round, utcnow()):
        class_store.submit(a_round, at=a_round.assignment.closes_at)
        db.session.commit()
    return render_template("review/recap.html", round=a_round)


@bp.route("/mistakes")
@login_required
def mistakes():
    """Review my mistakes: what is due, the boxes, and when the next question comes due."""
    _submit_closed_attempts()
    now = utcnow()
    cards = report_store.review_cards(current_user)
    waiting = sorted(
        (c for c in cards.values() if not c.learned), key=lambda c: (c.due_at, c.question_id)
    )
    questions = report_store.card_questions(current_user, (c.question_id for c in waiting))
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
        round_length=report_store.REVIEW_ROUND_LENGTH,
    )


@bp.route("/mistakes", methods=["POST"])
@login_required
def review_mistakes():
    """Start a round of the questions due, or with `early`, of the soonest waiting ones."""
    _submit_closed_attempts()
    now = utcnow()
    cards = report_store.review_cards(current_user)
    chosen = leitner.due(cards, now)
    if not chosen and request.form.get("early") == "1":
        chosen = sorted(
            (c for c in cards.values() if not c.learned), key=lambda c: (c.due_at, c.question_id)
        )
    if not chosen:
        flash("Nothing to review: no question you missed is waiting.", "info")
        return redirect(url_for("review.mistakes"), code=303)
    new_round = report_store.start_review_round(current_user, chosen, seed=secrets.randbits(31))
    db.session.commit()
    return redirect(url_for("play.question", round_id=new_round.id, position=1))
