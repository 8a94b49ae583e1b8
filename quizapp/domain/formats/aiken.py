"""Aiken: Moodle's simplest import format, single-choice questions only.

    In which city did Baker meet Gorbachev on 9 February 1990?
    A. Moscow
    B) Berlin
    ANSWER: A

A question is its text (one line or more), then its options, each `A. text` or
`A) text` with the letters in order from A, then `ANSWER: X`. Blank lines between
questions are customary and ignored. Aiken carries nothing else: a question is read as a
single-choice `fact` of difficulty 1 with choices `a`, `b`, ... (the letters in lower
case), no explanation, no feedback, no weights, no topics and no source
(`section == quote == ""`), `origin` teacher, its id `<file>-<n>` (the file name without
`.aiken.txt`/`.txt`, n its number in the file).

Reading is all or nothing; each problem is `file:line: question n: what is wrong`: an
option before any question text, option letters out of order, no `ANSWER:` line, an
answer letter that is not among the options; and whatever the rulebook refuses (fewer than
2 options, a control character, a text too long…), on the line of the text at fault.

Writing exports each single question whose texts fit on Aiken's lines (prompt lines not
blank and not taken for an option or an answer, one-line options, at most 26); every other
question, and every other type, is returned in `skipped`. A written question keeps its
prompt, its option texts and which option is right, nothing more.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field

from quizapp.domain.formats import ExportResult, ImportResult
from quizapp.domain.formats.gift import default_question_id
from quizapp.domain.questions import Bank, Choice, Kind, Origin, Question, QuestionType
from quizapp.domain.rulebook import check_question, count_problem, split_field

_OPTION = re.compile(r"(?P<letter>[A-Z])[.)][ \t]+(?P<text>.*)")
_ANSWER = re.compile(r"ANSWER:(?P<letter>.*)")
_ANSWER_ANY_CASE = re.compile(r"answer\s*:", re.IGNORECASE)
_LETTERS = string.ascii_uppercase


@dataclass
class _Draft:
    """A question being read: the line it starts on, its text and its options so far."""

    number: int
    line: int
    text: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line of each option


def parse(text: str, filename: str, bank: Bank, skip_unsupported: bool = False) -> ImportResult:
    """Every question of an Aiken file, or every problem as `file:line: message`.

    `bank` is not needed (Aiken cites no source) and is taken for the common signature, as is
    `skip_unsupported`: Aiken holds only single-choice questions, which this app has.
    """
    reader = _Reader(filename)
    questions = reader.read(text.removeprefix("\ufeff").splitlines())
    if reader.problems:
        return ImportResult(questions=(), problems=tuple(reader.problems))
    return ImportResult(questions=tuple(questions))


class _Reader:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[str] = []
        self.count = 0

    def problem(self, line: int, draft: _Draft | None, message: str) -> None:
        label = f"question {draft.number}: " if draft is not None else ""
        self.problems.append(f"{self.filename}:{line}: {label}{message}")

    def read(self, lines: list[str]) -> list[Question]:
        questions: list[Question] = []
        draft: _Draft | None = None
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line:
                continue
            option = _OPTION.fullmatch(line)
            answer = _ANSWER.fullmatch(line)
            if answer is not None:
                if draft is None:
                    self.problem(number, None, "ANSWER line without a question before it")
                else:
                    question = self.finish(draft, number, answer["letter"].strip())
                    if question is not None:
                        questions.append(question)
                draft = None
            elif option is not None:
                if draft is None or not draft.text:
                    self.problem(number, draft, "an option comes before any question text")
                    continue
                expected = _LETTERS[len(draft.options)] if len(draft.options) < 26 else "?"
                if option["letter"] != expected:
                    self.problem(
                        number,
                        draft,
                        f"option letter {option['letter']} is out of order: expected {expected}",
                    )
                draft.options.append(option["text"].strip())
                draft.lines.append(number)
            else:
                if _ANSWER_ANY_CASE.match(line):
                    self.problem(number, draft, "write the answer line as 'ANSWER: B'")
                    draft = None
                    continue
                if draft is not None and draft.options:
                    self.problem(draft.line, draft, "no ANSWER line after the options")
                    draft = None
                if draft is None:
                    self.count += 1
                    draft = _Draft(self.count, number)
                draft.text.append(line)
        if draft is not None:
            self.problem(draft.line, draft, "no ANSWER line: the file ends first")
        if not self.count and not self.problems:
            self.problems.append(f"{self.filename}:1: no questions found")
        return questions

    def finish(self, draft: _Draft, line: int, letter: str) -> Question | None:
        too_many = count_problem(QuestionType.SINGLE, len(draft.options))
        if too_many is not None and len(draft.options) > 2:
            self.problem(line, draft, too_many)
            return None
        letters = _LETTERS[: len(draft.options)]
        if not letters:
            self.problem(line, draft, "a question needs options before its ANSWER line")
            return None
        if len(letter) != 1 or letter not in letters:
            self.problem(
                line,
                draft,
                f"answer {letter!r} is not among the options {letters[0]}-{letters[-1]}",
            )
            return None
        choices = tuple(Choice(_LETTERS[i].lower(), t) for i, t in enumerate(draft.options))
        question = Question(
            id=default_question_id(self.filename, draft.number),
            type=QuestionType.SINGLE,
            kind=Kind.FACT,
            prompt="\n".join(draft.text),
            section="",
            quote="",
            explanation="",
            answer=letter.lower(),
            choices=choices,
            origin=Origin.TEACHER,
        )
        problems = check_question(question, None, require_source=False)
        for problem in problems:
            name, index, _ = split_field(problem.field)
            at = draft.line if name == "prompt" else line
            if name == "choices" and index is not None and index < len(draft.lines):
                at = draft.lines[index]
            self.problem(at, draft, problem.message)
        return None if problems else question


def export(questions: Sequence[Question]) -> ExportResult:
    """The single questions as Aiken; every other question is returned in `skipped`."""
    blocks, skipped = [], []
    for question in questions:
        if _expressible(question):
            blocks.append(_write(question))
        else:
            skipped.append(question)
    text = "\n\n".join(blocks) + ("\n" if blocks else "")
    return ExportResult(text=text, exported=len(blocks), skipped=tuple(skipped))


def _write(question: Question) -> str:
    lines = question.prompt.split("\n")
    answer = ""
    for index, choice in enumerate(question.choices):
        lines.append(f"{_LETTERS[index]}. {choice.text}")
        if choice.id == question.answer:
            answer = _LETTERS[index]
    lines.append(f"ANSWER: {answer}")
    return "\n".join(lines)


def _expressible(question: Question) -> bool:
    """A single question whose prompt and options read back the same from Aiken's lines."""
    if question.type is not QuestionType.SINGLE:
        return False
    if not 2 <= len(question.choices) <= len(_LETTERS):
        return False
    if question.answer not in {c.id for c in question.choices}:
        return False
    for line in question.prompt.split("\n"):
        if not line.strip() or line != line.strip():
            return False
        if _OPTION.fullmatch(line) or _ANSWER.fullmatch(line) or _ANSWER_ANY_CASE.match(line):
            return False
    return all(c.text.strip() == c.text and c.text and "\n" not in c.text for c in question.choices)
