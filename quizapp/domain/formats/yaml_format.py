"""Our own YAML: the `questions:` document of `questions/bank/*.yaml`, imported and exported.

`parse` reads a document with the bank loader's checks (`bank.read_question_document`,
contract in `questions/README.md`): quotes verbatim in the article, classify answers among
the perspectives, ids unique within the file. Unlike a bank file, a question may leave out
both `section` and `quote`; it is imported as needing a source.

`export` writes the same kind of document, and parsing it gives back questions equal to
the exported ones, but for what a document does not hold:
- `origin`: every parsed question is Origin.TEACHER, whether it was authored, generated
  or written by a teacher;
- a classify question's choices: they are the importing bank's perspectives, as for every
  classify question, so a question exported from this bank comes back as it was;
- surrounding whitespace of a text, which the loader strips.
Choice ids are written (`id`, `left_id`, `right_id`) only where they differ from those the
loader gives by position (a, b, c…; p1, p2… for pairs), so a bank question is written as
its author wrote it, and a generated question (event ids) or a presented one (c1, c2…)
keeps its own. Question ids are written as they are; the app only makes ids the loader
accepts (`[a-z0-9-]+`: bank ids, `gen-…`, `t-<n>`). Weights are written as percentages
with as many digits as it takes for the same fraction to be read back.

A question the format cannot express is left out of the text and listed in `skipped`:
feedback or a weight on an ordering item, a matching side or a perspective; choices on a
year or numeric question, or on a true/false one other than `true` and `false` carrying
feedback (as GIFT's `{T#wrong#right}` gives); pairs on any type but matching, a tolerance
on any type but year; a section without a quote or the reverse; repeated choice ids; and
an answer key that the document could not give back: an ordering key other than the items
in their order, a matching question whose choices are not its right sides in pair order
followed by the distractors (a shuffled, presented one, or two pairs sharing a right
side), a short key other than the ids of its answers worth full marks, a numeric bound
beyond ±10^15 or not a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import yaml

from quizapp.domain.bank import default_choice_id, default_pair_id, read_question_document
from quizapp.domain.formats import ExportResult, ImportResult
from quizapp.domain.questions import (
    Bank,
    Choice,
    NumericAnswer,
    Origin,
    Question,
    QuestionType,
    TextFormat,
)
from quizapp.domain.rulebook import NUMBER_LIMIT

# Types whose choices are plain texts in the document: no feedback, no weight.
_PLAIN_CHOICES = {QuestionType.ORDERING, QuestionType.MATCHING, QuestionType.CLASSIFY}
_NO_CHOICES = {QuestionType.YEAR, QuestionType.NUMERIC}
# Line breaks besides \n that YAML reads as such (next line, line and paragraph separators).
_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")
# A true/false question's choices, when it has any, carry the feedback for each answer.
_TRUE_FALSE_CHOICES = (("true", "True"), ("false", "False"))


def parse(text: str, filename: str, bank: Bank, skip_unsupported: bool = False) -> ImportResult:
    """Every question of the document, or none and every problem as `filename:line: message`.

    Every type of the document is one this app has, so `skip_unsupported` leaves nothing out.
    """
    questions, problems = read_question_document(
        text, filename, bank, require_source=False, origin=Origin.TEACHER
    )
    if problems:
        return ImportResult(questions=(), problems=tuple(problems))
    return ImportResult(questions=tuple(questions))


def export(questions: Sequence[Question]) -> ExportResult:
    """A `questions:` document of every question the format can express, in the given order."""
    fits = [_expressible(q) for q in questions]
    kept = [q for q, fit in zip(questions, fits, strict=True) if fit]
    skipped = tuple(q for q, fit in zip(questions, fits, strict=True) if not fit)
    text = yaml.dump(
        {"questions": [_question(q) for q in kept]},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1000,  # a quote on one line, as in the bank files, to compare with the article
    )
    # A blank line between questions, as in the bank files; only a question starts at column 2.
    text = text.replace("\n  - id: ", "\n\n  - id: ").replace("questions:\n\n", "questions:\n", 1)
    return ExportResult(text=text, exported=len(kept), skipped=skipped)


# --- what the format can express -------------------------------------------------


def _expressible(question: Question) -> bool:
    qtype = question.type
    ids = [c.id for c in question.choices]
    if len(set(ids)) != len(ids) or len({p.id for p in question.pairs}) != len(question.pairs):
        return False
    if (question.pairs and qtype is not QuestionType.MATCHING) or (
        question.choices and qtype in _NO_CHOICES
    ):
        return False
    if question.tolerance and qtype is not QuestionType.YEAR:
        return False
    if bool(question.section) != bool(question.quote):
        return False
    if qtype in _PLAIN_CHOICES and any(
        c.feedback or c.weight is not None for c in (*question.choices, *question.pairs)
    ):
        return False
    answer = question.answer
    match qtype:
        case QuestionType.TRUE_FALSE:
            shape = tuple((c.id, c.text) for c in question.choices)
            return not question.choices or (
                shape == _TRUE_FALSE_CHOICES
                and any(c.feedback for c in question.choices)
                and all(c.weight is None for c in question.choices)
            )
        case QuestionType.SINGLE:
            return answer in ids
        case QuestionType.MULTIPLE:
            return isinstance(answer, frozenset | set) and answer <= set(ids)
        case QuestionType.ORDERING:
            return tuple(answer) == tuple(ids)
        case QuestionType.MATCHING:
            rights = [c.id for c in question.choices[: len(question.pairs)]]
            return len(rights) == len(question.pairs) and dict(answer) == {
                p.id: right for p, right in zip(question.pairs, rights, strict=True)
            }
        case QuestionType.SHORT:
            return tuple(answer) == _full_marks(question.choices)
        case QuestionType.NUMERIC:
            bounds = [bound for a in answer for bound in (a.low, a.high)]
            return all(-NUMBER_LIMIT <= bound <= NUMBER_LIMIT for bound in bounds)
    return True


def _full_marks(choices: Sequence[Choice]) -> tuple[str, ...]:
    return tuple(c.id for c in choices if c.weight in (None, 1.0))


# --- writing ------------------------------------------------------------------------


def _question(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": question.id,
        "type": question.type.value,
        "kind": question.kind.value,
    }
    if question.text_format is not TextFormat.PLAIN:
        data["text_format"] = question.text_format.value
    data["prompt"] = question.prompt
    data |= _key(question)
    if question.cites_source:
        data["section"] = question.section
        data["quote"] = question.quote
    data["explanation"] = question.explanation
    data["difficulty"] = question.difficulty
    data["topics"] = _Tags(question.topics)
    return data


def _key(question: Question) -> dict[str, Any]:
    """The type's own fields, as `questions/README.md` describes them."""
    answer = question.answer
    match question.type:
        case QuestionType.SINGLE | QuestionType.MULTIPLE:
            right = {answer} if question.type is QuestionType.SINGLE else set(answer)
            return {
                "options": [_option(c, i, c.id in right) for i, c in enumerate(question.choices)]
            }
        case QuestionType.TRUE_FALSE:
            feedback = {f"feedback_{c.id}": c.feedback for c in question.choices if c.feedback}
            return {"answer": answer} | feedback
        case QuestionType.CLASSIFY:
            return {"answer": answer}
        case QuestionType.YEAR:
            return {"answer": answer} | (
                {"tolerance": question.tolerance} if question.tolerance else {}
            )
        case QuestionType.ORDERING:
            return {"items": [_entry(c, i) for i, c in enumerate(question.choices)]}
        case QuestionType.MATCHING:
            return _matching(question)
        case QuestionType.SHORT:
            return {"answers": [_entry(c, i) for i, c in enumerate(question.choices)]}
        case QuestionType.NUMERIC:
            return {"answers": [_numeric(a) for a in answer]}
    raise ValueError(f"unknown question type {question.type!r}")


def _option(choice: Choice, index: int, correct: bool) -> dict[str, Any]:
    data = _ids(choice.id, default_choice_id(index), "id") | {"text": choice.text}
    if correct:
        data["correct"] = True
    return data | _credit(choice.weight, choice.feedback)


def _entry(choice: Choice, index: int) -> str | dict[str, Any]:
    """A text alone, or a mapping when it has an id of its own, a weight or feedback."""
    extra = _ids(choice.id, default_choice_id(index), "id") | _credit(
        choice.weight, choice.feedback
    )
    return {"text": choice.text} | extra if extra else choice.text


def _matching(question: Question) -> dict[str, Any]:
    pairs = []
    for index, (pair, right) in enumerate(zip(question.pairs, question.choices, strict=False)):
        pairs.append(
            {"left": pair.text, "right": right.text}
            | _ids(pair.id, default_pair_id(index), "left_id")
            | _ids(right.id, default_choice_id(index), "right_id")
        )
    offset = len(question.pairs)
    distractors = [_entry(c, offset + i) for i, c in enumerate(question.choices[offset:])]
    return {"pairs": pairs} | ({"distractors": distractors} if distractors else {})


def _numeric(accepted: NumericAnswer) -> float | dict[str, Any]:
    """A number alone when it is all there is, else {value, tolerance?} or {low, high}."""
    low, high = accepted.low, accepted.high
    credit = _credit(None if accepted.credit == 1.0 else accepted.credit, accepted.feedback)
    if low == high:
        return ({"value": _number(low)} | credit) if credit else _number(low)
    middle, spread = (low + high) / 2, (high - low) / 2
    # value ± tolerance only when it gives back the very bounds, and reads better than them.
    if middle - spread == low and middle + spread == high and _round(middle) and _round(spread):
        return {"value": _number(middle), "tolerance": _number(spread)} | credit
    return {"low": _number(low), "high": _number(high)} | credit


def _credit(weight: float | None, feedback: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if weight is not None:
        data["weight"] = _percent(weight)
    if feedback:
        data["feedback"] = feedback
    return data


def _ids(given: str, default: str, name: str) -> dict[str, str]:
    return {} if given == default else {name: given}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _round(value: float) -> bool:
    return float(f"{value:.12g}") == value


class _Tags(list[str]):
    """A list written on one line, `[baker, 1990-talks]`."""


class _Digits(str):
    """A number written with exactly these digits (a percentage such as 33.333333333333336)."""


def _percent(weight: float) -> int | _Digits:
    """The percentage the loader reads back as `weight`: the shortest decimal of the weight,
    its point moved two places, so that no float division can round it differently."""
    percent = Decimal(repr(weight)).scaleb(2).normalize()
    if percent == percent.to_integral_value():
        return int(percent)
    return _Digits(format(percent, "f"))


class _Dumper(yaml.SafeDumper):
    """safe_dump's dumper, with lists indented under their key and multi-line text as blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # PyYAML falls back on a quoted style by itself when a block cannot hold the text. With
    # allow_unicode it writes Unicode's own line breaks raw, and a reader folds them: only
    # double quotes escape them (\N, \L, \P).
    if any(mark in text for mark in _UNICODE_BREAKS):
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_digits(dumper: yaml.SafeDumper, digits: _Digits) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:float", str(digits))


def _represent_tags(dumper: yaml.SafeDumper, tags: _Tags) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", tags, flow_style=True)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Tags, _represent_tags)
_Dumper.add_representer(_Digits, _represent_digits)
