"""Teacher-written questions: a form's draft read into a `Question`, and back again.

A teach view turns the submitted form into a `QuestionDraft`, everything as typed, and
calls `build_question`. It reads what was typed (numbers, percentages, topics, the
passage picked) into a question, holds that question to the rulebook (`rulebook.py`, the
rules every way in obeys) and either returns it or raises `DraftError` with every
problem at once, keyed by the draft field it belongs next to.
`draft_from_question` is its inverse, the draft an edit form starts from.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from quizapp.domain.article import Article
from quizapp.domain.grading import ambiguous_comma
from quizapp.domain.questions import (
    Bank,
    Choice,
    Kind,
    NumericAnswer,
    Origin,
    Question,
    QuestionType,
    TextFormat,
)
from quizapp.domain.rulebook import Problem, check_question, quote_span, split_field

# Plain decimals, a comma accepted for the point; within the bank's 15 digits before it.
_NUMBER = re.compile(r"[-+]?[0-9]{1,15}(?:[.,][0-9]{1,20})?")
_PERCENT = re.compile(r"([-+]?[0-9]{1,3}(?:[.,][0-9]{1,20})?)\s*%?")
_WHOLE = re.compile(r"[0-9]{1,4}")
_TOPIC_DROPPED = re.compile(r"[^a-z0-9-]")
_CHOICE_ROWS = {
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.ORDERING,
    QuestionType.SHORT,
}
# Where a problem with the answer is shown, per type.
_ANSWER_FIELD = {
    QuestionType.TRUE_FALSE: "true_false",
    QuestionType.YEAR: "year",
    QuestionType.CLASSIFY: "classify_answer",
    QuestionType.NUMERIC: "numeric",
    QuestionType.MATCHING: "pairs",
}

# --- the draft --------------------------------------------------------------


@dataclass
class ChoiceDraft:
    """An option (single, multiple), an item (ordering) or an accepted answer (short).

    `weight` is a percentage of the mark ("50", "-25", "33.3%"), "" for the type's own rule.
    """

    text: str = ""
    correct: bool = False
    feedback: str = ""
    weight: str = ""

    def is_blank(self) -> bool:
        return not (
            self.correct or self.text.strip() or self.feedback.strip() or self.weight.strip()
        )


@dataclass
class PairDraft:
    """A matching pair: the prompt on the left, its answer on the right."""

    left: str = ""
    right: str = ""

    def is_blank(self) -> bool:
        return not (self.left.strip() or self.right.strip())


@dataclass
class NumericDraft:
    """An accepted range of a numeric question: `value` ± `tolerance`, worth `credit` percent.

    A blank tolerance is 0, a blank credit 100.
    """

    value: str = ""
    tolerance: str = ""
    credit: str = ""
    feedback: str = ""

    def is_blank(self) -> bool:
        return not any(
            part.strip() for part in (self.value, self.tolerance, self.credit, self.feedback)
        )


@dataclass
class QuestionDraft:
    """A question as a teacher typed it into the form: text everywhere, rows as lists.

    Only the fields of `type` are read: the others may keep what the form holds for other
    types. Blank rows (every field empty, `correct` unticked) are ignored.
    """

    type: str = "single"
    kind: str = "fact"
    prompt: str = ""
    explanation: str = ""
    text_format: str = "plain"
    section: str = ""
    quote: str = ""
    topics: str = ""
    difficulty: str | int = "1"
    choices: list[ChoiceDraft] = field(default_factory=list)
    pairs: list[PairDraft] = field(default_factory=list)
    distractors: list[str] = field(default_factory=list)
    true_false: str = ""
    year: str | int = ""
    tolerance: str | int = ""
    numeric: list[NumericDraft] = field(default_factory=list)
    classify_answer: str = ""


class DraftError(ValueError):
    """The draft breaks the rules; `errors` maps a draft field to the messages to show by it."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(
            "; ".join(
                f"{name}: {message}" for name, messages in errors.items() for message in messages
            )
        )


class _Errors(dict[str, list[str]]):
    def add(self, name: str, message: str) -> None:
        self.setdefault(name, []).append(message)


# --- building ---------------------------------------------------------------


def build_question(
    draft: QuestionDraft, bank: Bank, question_id: str, *, require_source: bool = True
) -> Question:
    """The draft as a teacher's `Question`, or `DraftError` listing every problem.

    Text is stripped at both ends, a browser's CRLF made a newline; blank rows are
    ignored. What was typed is read here: weights and credits as percentages ("50",
    "-25", "33.3%") kept as fractions; topics as tags (`topic_tags`); a year, a
    tolerance and a difficulty as whole numbers; numeric answers as value ± tolerance.
    Single: the option ticked is the answer, and exactly one is ticked; multiple: those
    ticked; ordering: the items as typed; short: those worth 100%. Choice ids are a, b,
    c… in the order typed, pair ids p1, p2…; right sides come first among a matching
    question's choices, then the distractors.
    The quote may come without a section: the section becomes the one it is in. The
    question keeps the article's own text of the passage. Every other rule is the
    rulebook's, whose problems are mapped onto the form's fields.
    """
    errors = _Errors()
    qtype = _member(draft.type, QuestionType, "type", "Choose a question type.", errors)
    kind = _member(
        draft.kind,
        Kind,
        "kind",
        "Choose whether the question is a fact or an interpretation.",
        errors,
    )
    text_format = _member(
        draft.text_format or "plain",
        TextFormat,
        "text_format",
        "Choose plain text or Markdown.",
        errors,
    )
    difficulty = _whole(draft.difficulty, "difficulty", "Choose a difficulty from 1 to 3.", errors)
    topics = _topics(draft.topics, errors)
    section, quote = _source(draft.section, draft.quote, bank.article)
    key = _answer_key(draft, qtype, bank, errors) if qtype is not None else None
    if qtype is None:
        raise DraftError(dict(errors))
    answer, choices, pairs, tolerance = key or (None, (), (), 0)
    question = Question(
        id=question_id,
        type=qtype,
        kind=kind or Kind.FACT,  # a placeholder: its error is filed already
        prompt=_clean(draft.prompt),
        section=section,
        quote=quote,
        explanation=_clean(draft.explanation),
        answer=answer,
        choices=choices,
        pairs=pairs,
        tolerance=tolerance,
        difficulty=difficulty if difficulty is not None else 1,
        topics=topics,
        origin=Origin.TEACHER,
        text_format=text_format or TextFormat.PLAIN,
    )
    for problem in check_question(
        question,
        bank.article,
        bank.perspectives,
        require_source=require_source,
        answer=key is not None,
    ):
        errors.add(form_field(problem, question), problem.message)
    if errors:
        raise DraftError(dict(errors))
    return question


def form_field(problem: Problem, question: Question) -> str:
    """The draft field next to which the editor shows a rulebook problem."""
    name, index, _ = split_field(problem.field)
    qtype = question.type
    if name in ("answer", "tolerance") and qtype in _ANSWER_FIELD:
        return "tolerance" if name == "tolerance" else _ANSWER_FIELD[qtype]
    if name == "topics":
        return "topics"
    if qtype is QuestionType.MATCHING and name == "choices":
        if index is not None and index < len(question.pairs):
            return "pairs"
        return "distractors"
    if name in ("answer", "choices") and qtype in _CHOICE_ROWS:
        return "choices"
    return name


def _clean(text: str) -> str:
    """Stripped, with a browser's CRLF line ends made plain newlines."""
    return str(text).replace("\r\n", "\n").replace("\r", "\n").strip()


def _member(value: str, enum: Any, name: str, message: str, errors: _Errors) -> Any:
    try:
        return enum(_clean(value))
    except ValueError:
        errors.add(name, message)
        return None


def _whole(value: str | int, name: str, message: str, errors: _Errors) -> int | None:
    """A whole number typed (up to 4 digits), or None after filing `message`."""
    text = _clean(str(value))
    if _WHOLE.fullmatch(text):
        return int(text)
    errors.add(name, message)
    return None


def topic_tags(text: str) -> list[str]:
    """The topics a teacher typed, as tags: lowercase letters, digits and '-'.

    Tags are separated by commas when there is one ("Cold War, Baker" -> cold-war, baker),
    else by spaces ("baker 1990-talks"). Each is lowercased, its accents dropped, its inner
    spaces and underscores made '-', and anything else outside [a-z0-9-] removed ("U.S."
    -> us). Empty pieces (",,") and pieces with nothing left are skipped, repeats kept once.
    """
    tags: list[str] = []
    for piece in _topic_pieces(text):
        tag = _tag(piece)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _topic_pieces(text: str) -> list[str]:
    pieces = text.split(",") if "," in text else text.split()
    return [piece.strip() for piece in pieces if piece.strip()]


def _tag(piece: str) -> str:
    decomposed = unicodedata.normalize("NFKD", "-".join(piece.split()).casefold())
    unaccented = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _TOPIC_DROPPED.sub("", unaccented.replace("_", "-"))


def _topics(text: str, errors: _Errors) -> tuple[str, ...]:
    for piece in _topic_pieces(text):
        if not _tag(piece):
            errors.add("topics", f"“{piece}” has no letters a–z or digits to make a topic of.")
    return tuple(topic_tags(text))


def _source(section_typed: str, quote_typed: str, article: Article) -> tuple[str, str]:
    """(section, quote) as the question keeps them: with no section chosen, the one the
    quote is in; the quote in the article's own text when it is there. The rulebook
    says what is wrong otherwise."""
    number = _clean(section_typed)
    quote = _clean(quote_typed)
    if not quote:
        return number, ""
    if not number:
        passage = article.find(quote)
        if passage is None:
            return "", quote
        number = passage.section.number
    return number, quote_span(article, number, quote) or quote


# --- the answer key ---------------------------------------------------------

_Key = tuple[Any, tuple[Choice, ...], tuple[Choice, ...], int]


def _answer_key(
    draft: QuestionDraft, qtype: QuestionType, bank: Bank, errors: _Errors
) -> _Key | None:
    """(answer, choices, pairs, tolerance) as typed, or None after filing what cannot be
    read at all (the rulebook judges the rest)."""
    if qtype in _CHOICE_ROWS:
        return _choices_key(draft.choices, qtype, errors)
    if qtype is QuestionType.MATCHING:
        return _matching_key(draft.pairs, draft.distractors)
    if qtype is QuestionType.TRUE_FALSE:
        value = _clean(draft.true_false).lower()
        if value not in ("true", "false"):
            errors.add("true_false", "Choose True or False.")
            return None
        return value == "true", (), (), 0
    if qtype is QuestionType.YEAR:
        year = _whole(draft.year, "year", "Enter a year from 1800 to 2100.", errors)
        tolerance = _whole(
            _clean(str(draft.tolerance)) or "0",
            "tolerance",
            "Enter a tolerance from 0 to 10 years.",
            errors,
        )
        if year is None or tolerance is None:
            return None
        return year, (), (), tolerance
    if qtype is QuestionType.NUMERIC:
        return _numeric_key(draft.numeric, errors)
    answer = _clean(draft.classify_answer)
    if not answer:
        errors.add("classify_answer", "Choose the perspective that holds the claim.")
        return None
    return answer, tuple(Choice(p.id, p.name) for p in bank.perspectives), (), 0


def _rows(rows: Sequence[Any]) -> Iterator[tuple[int, Any]]:
    """The rows that are not blank, each with its place in the form (from 1)."""
    return ((number, row) for number, row in enumerate(rows, start=1) if not row.is_blank())


def _percent(value: str, label: str, what: str, errors: _Errors, name: str) -> float | None:
    """The fraction of a percentage typed as "50", "-25" or "33.3%"; blank is None."""
    text = _clean(value)
    if not text:
        return None
    match = _PERCENT.fullmatch(text)
    if match is None:
        errors.add(name, f"{label}: the {what} must be a percentage, such as 50.")
        return None
    # Decimal, as the bank reads a weight: "33.33" gives the float nearest 0.3333.
    return float(Decimal(match[1].replace(",", ".")) / 100)


def _choices_key(rows: Sequence[ChoiceDraft], qtype: QuestionType, errors: _Errors) -> _Key | None:
    letters = string.ascii_lowercase
    label = {QuestionType.ORDERING: "Item", QuestionType.SHORT: "Answer"}.get(qtype, "Option")
    start = len(errors.get("choices", []))
    read = list(_rows(rows))
    choices = []
    for index, (number, row) in enumerate(read):
        weight = None
        if qtype is not QuestionType.ORDERING:
            weight = _percent(row.weight, f"{label} {number}", "weight", errors, "choices")
        elif row.weight.strip():
            errors.add(
                "choices", f"Item {number}: the items of an ordering question carry no weight."
            )
        choices.append(
            Choice(
                letters[index % 26] * (1 + index // 26),
                _clean(row.text),
                _clean(row.feedback),
                weight,
            )
        )
    if len(errors.get("choices", [])) > start:
        return None
    choices = tuple(choices)
    correct = [c.id for c, (_, row) in zip(choices, read, strict=True) if row.correct]
    if qtype is QuestionType.ORDERING:
        return tuple(c.id for c in choices), choices, (), 0
    if qtype is QuestionType.SHORT:
        return tuple(c.id for c in choices if c.weight in (None, 1.0)), choices, (), 0
    if qtype is QuestionType.SINGLE:
        # With none or several ticked there is no answer: the rulebook says so.
        return correct[0] if len(correct) == 1 else None, choices, (), 0
    return frozenset(correct), choices, (), 0


def _matching_key(rows: Sequence[PairDraft], distractors_typed: Sequence[str]) -> _Key:
    read = [row for _, row in _rows(rows)]
    pairs = tuple(Choice(f"p{i}", _clean(row.left)) for i, row in enumerate(read, start=1))
    texts = [_clean(row.right) for row in read]
    texts += [_clean(typed) for typed in distractors_typed if _clean(typed)]
    letters = string.ascii_lowercase
    choices = tuple(Choice(letters[i % 26] * (1 + i // 26), text) for i, text in enumerate(texts))
    return {pair.id: choices[i].id for i, pair in enumerate(pairs)}, choices, pairs, 0


def _number(text: str) -> Decimal | None:
    return Decimal(text.replace(",", ".")) if _NUMBER.fullmatch(text) else None


def _numeric_key(rows: Sequence[NumericDraft], errors: _Errors) -> _Key | None:
    start = len(errors.get("numeric", []))
    answers: list[NumericAnswer] = []
    for number, row in _rows(rows):
        label = f"Answer {number}"
        typed, typed_tolerance = _clean(row.value), _clean(row.tolerance) or "0"
        value = _number(typed)
        if (refusal := ambiguous_comma(typed)) is not None:
            errors.add("numeric", f"{label}: {refusal}")
            value = None
        elif value is None:
            errors.add("numeric", f"{label} needs a number, such as 12 or -3.5.")
        tolerance = _number(typed_tolerance)
        if (refusal := ambiguous_comma(typed_tolerance)) is not None:
            errors.add("numeric", f"{label}: the tolerance {refusal}")
            tolerance = None
        elif tolerance is None or tolerance < 0:
            errors.add("numeric", f"{label}: the tolerance must be a number, 0 or more.")
            tolerance = None
        credit = _percent(row.credit, label, "credit", errors, "numeric")
        if value is not None and tolerance is not None:
            answers.append(
                NumericAnswer(
                    float(value - tolerance),
                    float(value + tolerance),
                    1.0 if credit is None else credit,
                    _clean(row.feedback),
                )
            )
    if len(errors.get("numeric", [])) > start:
        return None
    return tuple(answers), (), (), 0


# --- back to a draft --------------------------------------------------------


def _decimal_text(number: Decimal) -> str:
    """A decimal written out in full, without trailing zeros: 12, 0.5, -0.0000001."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percent_text(fraction: float | None) -> str:
    """A weight as the form shows it; exact, so that reading it back gives the same float."""
    return "" if fraction is None else _decimal_text(Decimal(repr(fraction)) * 100)


def _choice_draft(choice: Choice, correct: bool) -> ChoiceDraft:
    return ChoiceDraft(choice.text, correct, choice.feedback, _percent_text(choice.weight))


def draft_from_question(question: Question) -> QuestionDraft:
    """The draft an edit form starts from: `build_question` of it gives the question back.

    (With `origin` TEACHER, and choice ids relettered a, b, c… should they differ.) Items
    of an ordering question come in the key's order; a numeric range low..high becomes
    its middle ± half its width.
    """
    draft = QuestionDraft(
        type=question.type.value,
        kind=question.kind.value,
        prompt=question.prompt,
        explanation=question.explanation,
        text_format=question.text_format.value,
        section=question.section,
        quote=question.quote,
        topics=", ".join(question.topics),
        difficulty=str(question.difficulty),
    )
    answer = question.answer
    match question.type:
        case QuestionType.SINGLE:
            draft.choices = [_choice_draft(c, c.id == answer) for c in question.choices]
        case QuestionType.MULTIPLE | QuestionType.SHORT:
            draft.choices = [_choice_draft(c, c.id in answer) for c in question.choices]
        case QuestionType.ORDERING:
            draft.choices = [_choice_draft(question.choice(i), False) for i in answer]
        case QuestionType.MATCHING:
            draft.pairs = [
                PairDraft(p.text, question.choice_text(answer[p.id])) for p in question.pairs
            ]
            used = set(answer.values())
            draft.distractors = [c.text for c in question.choices if c.id not in used]
        case QuestionType.TRUE_FALSE:
            draft.true_false = "true" if answer else "false"
        case QuestionType.YEAR:
            draft.year = str(answer)
            draft.tolerance = str(question.tolerance)
        case QuestionType.NUMERIC:
            draft.numeric = [
                NumericDraft(
                    _decimal_text((Decimal(repr(a.low)) + Decimal(repr(a.high))) / 2),
                    _decimal_text((Decimal(repr(a.high)) - Decimal(repr(a.low))) / 2),
                    _percent_text(a.credit),
                    a.feedback,
                )
                for a in answer
            ]
        case QuestionType.CLASSIFY:
            draft.classify_answer = answer
    return draft
