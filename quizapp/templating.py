"""Template filters and globals every blueprint's pages use, registered once by the factory."""

from __future__ import annotations

import random
from datetime import datetime

from flask import Flask, url_for
from flask_login import current_user
from markupsafe import Markup

from quizapp.domain import markup
from quizapp.domain.grading import describe, feedback_for, response_from_json
from quizapp.domain.percentages import percent_text
from quizapp.domain.questions import TYPE_LABELS, Question, QuestionType, TextFormat
from quizapp.domain.rounds import present
from quizapp.domain.timezones import DEFAULT_ZONE, format_moment


def register(app: Flask) -> None:
    app.add_template_filter(rich_text, "rich")
    app.add_template_filter(rich_inline_text, "rich_inline")
    app.add_template_filter(format_when, "when")
    app.add_template_filter(format_score, "score")
    app.add_template_filter(format_percent, "percent")
    for function in (
        as_a_learner_sees_it,
        your_answer,
        answer_feedback,
        right_answer,
        type_label,
        numbered_section,
        section_title,
        section_anchor,
        passage_url,
    ):
        app.add_template_global(function)


def rich_text(text: str, text_format: str = "plain") -> Markup:
    """Teacher text in its format: plain escaped, Markdown as the sanitised subset."""
    return markup.render(text, TextFormat(text_format))


def rich_inline_text(text: str, text_format: str = "plain") -> Markup:
    return markup.render_inline(text, TextFormat(text_format))


def format_when(moment: datetime) -> str:
    """The one way a page shows a moment: on the reader's wall clock, the zone named
    (UTC for a visitor who is not logged in)."""
    zone = current_user.time_zone if current_user.is_authenticated else DEFAULT_ZONE
    return format_moment(moment, zone)


def format_score(value: float) -> str:
    """7.0 -> '7', 6.8333 -> '6.83': partial credit shown without noise."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_percent(share: float) -> str:
    """0.666 -> '67%', 0.625 -> '63%': the one rounding of every percentage shown."""
    return percent_text(share)


def as_a_learner_sees_it(question: Question) -> Question:
    """The question presented as in a round (choices shuffled, an ordering question never
    in its solved order), the same way each time it is previewed."""
    return present(question, random.Random(question.id))


def your_answer(item) -> list[str]:
    q = item.question
    return describe(q, response_from_json(q, item.answer.response))


def answer_feedback(item) -> list[str]:
    q = item.question
    return feedback_for(q, response_from_json(q, item.answer.response))


def right_answer(q: Question) -> list[str]:
    return describe(q, q.answer)


def type_label(value: str) -> str:
    try:
        return TYPE_LABELS[QuestionType(value)]
    except ValueError:
        return value


def _article():
    from quizapp import current_bank

    return current_bank().article


def section_title(number: str) -> str:
    return _article().section_title(number)


def numbered_section(number: str) -> str:
    """'2.1 The Genscher formula', or the bare number of a section the article lacks."""
    return _article().numbered_title(number)


def section_anchor(number: str) -> str:
    return "s-" + number.replace(".", "-")


def passage_url(quote: str) -> str:
    """A link into the viewer that highlights `quote` and scrolls to it."""
    return url_for("source.article", quote=quote, _anchor="passage")
