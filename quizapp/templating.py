"""Template filters and globals every blueprint's pages use, registered once by the factory."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from flask import Flask, url_for
from flask_login import current_user
from markupsafe import Markup

from quizapp.domain import live, markup
from quizapp.domain.grading import (
    describe,
    feedback_for,
    format_score,
    mark_choices,
    response_from_json,
)
from quizapp.domain.percentages import percent_text
from quizapp.domain.questions import TYPE_LABELS, Question, QuestionType, TextFormat
from quizapp.domain.rounds import present
from quizapp.domain.rulebook import check_warnings
from quizapp.domain.timezones import DEFAULT_ZONE, format_moment


def register(app: Flask) -> None:
    app.add_template_filter(rich_text, "rich")
    app.add_template_filter(rich_inline_text, "rich_inline")
    app.add_template_filter(format_when, "when")
    app.add_template_filter(format_duration, "duration")
    app.add_template_filter(format_clock, "clock")
    app.add_template_filter(format_score, "score")
    app.add_template_filter(format_percent, "percent")
    for function in (
        as_a_learner_sees_it,
        your_answer,
        marked_answer,
        answer_feedback,
        right_answer,
        type_label,
        numbered_section,
        section_title,
        section_anchor,
        passage_url,
        question_warnings,
    ):
        app.add_template_global(function)
    app.add_template_global(live.option_label, "option_label")
    # The `when` filter as a function, for a sentence of the rules that names a moment.
    app.add_template_global(format_when, "moment_text")


def question_warnings(question: Question) -> list[str]:
    """What gives the question's answer away by its form (the rulebook's warnings)."""
    return [problem.message for problem in check_warnings(question)]


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


def format_duration(span: timedelta) -> str:
    """A length of time in words, to the minute: '1 hour 5 minutes', '45 minutes', '0 minutes'
    (seconds are dropped, so a countdown never promises time it has not got)."""
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def format_clock(span: timedelta) -> str:
    """A countdown as a clock reads: '1:05:09', '12:34', '0:07' (whole seconds, rounded down)."""
    seconds = max(0, int(span.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


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


def marked_answer(item):
    """The learner's choices marked right or wrong ([] for types without choices to mark)."""
    q = item.question
    return mark_choices(q, response_from_json(q, item.answer.response))


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
