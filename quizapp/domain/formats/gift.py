"""Moodle GIFT: read a GIFT file into questions, and write questions as GIFT.

Reading follows Moodle's own reader (qformat_gift), writing adds `// quizapp:` comment
lines that Moodle ignores and `parse` reads back, so that a question survives the round
trip. Every question read is held to the rulebook. An import is all or nothing; each
problem reads `file:line: question 'name': what is wrong`. The whole format as this app
reads and writes it is in `docs/gift-format.md`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PureWindowsPath

from quizapp.domain.formats import ExportResult, ImportResult
from quizapp.domain.grading import fold_text
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
from quizapp.domain.rulebook import (
    DIFFICULTIES,
    DISTRACTORS_MAX,
    ID_FORMAT,
    NUMBER_LIMIT,
    Problem,
    check_question,
    count_problem,
    split_field,
)

# GIFT's escapes, each read as a private-use character while the structure is parsed (as
# Moodle does with its &&nnn; placeholders), so that `\~` is never taken for a `~`.
_ESCAPED = {"\\": "\\", "~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n"}
_PLACEHOLDER = {char: chr(0xE000 + i) for i, char in enumerate(_ESCAPED)}
_UNESCAPE = str.maketrans({_PLACEHOLDER[c]: meaning for c, meaning in _ESCAPED.items()})
_RESERVED = frozenset(_PLACEHOLDER.values())
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_SPECIAL = str.maketrans({c: "\\" + c for c in "~=#{}:"} | {"\n": "\\n", "\r": ""})

_FORMATS = {
    "plain": TextFormat.PLAIN,
    "moodle": TextFormat.PLAIN,
    "markdown": TextFormat.MARKDOWN,
    "html": None,
}
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_WEIGHT = re.compile(r"%(-?[0-9]+(?:\.[0-9]*)?)%")
# What Moodle would take for a weight at the start of an option (its own pattern).
_MOODLE_WEIGHT = re.compile(r"%-*[0-9]{1,2}\.?[0-9]*%")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_META = re.compile(r"//\s*quizapp(?:-(?P<field>[a-z]+))?:(?P<value>.*)")
_META_KEYS = ("type", "kind", "difficulty", "topics", "origin", "weights")
_BLANK = "_____"
# Matches every number a learner can type (grading accepts at most 15 integer digits).
_ANY_NUMBER = (-float(NUMBER_LIMIT), float(NUMBER_LIMIT))
_DERIVED_DECIMALS = 5
_FILE_SUFFIXES = (".gift.txt", ".aiken.txt", ".gift", ".aiken", ".txt")
_DEFAULT_ORIGIN = Origin.TEACHER
# After this many problems, a quote not found is reported without the nearest-text hint.
HINTED_PROBLEMS = 50


# --- ids ------------------------------------------------------------------------------


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits joined by '-', at most 60 characters; may be ''."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].rstrip("-")


def default_question_id(filename: str, number: int) -> str:
    """The id of the `number`th question of a file when the file names none: `quiz-3`."""
    name = PureWindowsPath(filename).name  # splits on both / and \
    for suffix in _FILE_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return f"{slug(name) or 'question'}-{number}"


def _choice_id(index: int) -> str:
    return chr(ord("a") + index) if index < 26 else f"o{index + 1}"


# --- reading --------------------------------------------------------------------------


def parse(text: str, filename: str, bank: Bank, skip_unsupported: bool = False) -> ImportResult:
    """Every question of a GIFT file, or every problem as `file:line: message`
    (`docs/gift-format.md`).

    Essays and descriptions are problems too, unless `skip_unsupported`: then they are left
    out, listed in `skipped`, and the rest is read.
    """
    reader = _Reader(filename, bank)
    questions = reader.read(text)
    unsupported = tuple(text for _, _, text in sorted(reader.unsupported))
    if reader.problems or (unsupported and not skip_unsupported):
        problems = reader.problems + ([] if skip_unsupported else reader.unsupported)
        return ImportResult(
            questions=(),
            problems=tuple(text for _, _, text in sorted(problems)),
            unsupported=0 if skip_unsupported else len(unsupported),
        )
    return ImportResult(questions=tuple(questions), skipped=unsupported)


@dataclass(frozen=True)
class _Span:
    """A piece of a question's text (escapes as placeholders) and where it starts in it."""

    text: str
    start: int

    def cut(self, begin: int, end: int | None = None) -> _Span:
        return _Span(self.text[begin:end], self.start + begin)

    def strip(self) -> _Span:
        lead = len(self.text) - len(self.text.lstrip())
        return _Span(self.text.strip(), self.start + lead)

    def partition(self, separator: str) -> tuple[_Span, _Span | None]:
        index = self.text.find(separator)
        if index < 0:
            return self, None
        return self.cut(0, index), self.cut(index + len(separator))

    def split(self, markers: str) -> list[tuple[str, _Span]]:
        """The pieces each marker opens, as (marker, text); the text before the first has ''."""
        pieces, marker, begin = [], "", 0
        for found in re.finditer(f"[{re.escape(markers)}]", self.text):
            pieces.append((marker, self.cut(begin, found.start())))
            marker, begin = found.group(), found.end()
        pieces.append((marker, self.cut(begin)))
        return pieces


@dataclass
class _Meta:
    """What the `// quizapp` lines of one question say."""

    line: int = 0
    has_fields: bool = False  # a `// quizapp:` line, not only section and quote
    fields: dict[str, str] = field(default_factory=dict)
    section: str | None = None
    quote: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # where section and quote are


@dataclass(frozen=True)
class _Key:
    type: QuestionType
    answer: object
    choices: tuple[Choice, ...] = ()
    pairs: tuple[Choice, ...] = ()
    tolerance: int = 0


class _Reader:
    """One reading of a GIFT file; `problems` gathers everything wrong with it."""

    def __init__(self, filename: str, bank: Bank) -> None:
        self.filename = filename
        self.bank = bank
        self.problems: list[tuple[int, int, str]] = []
        self.unsupported: list[tuple[int, int, str]] = []  # essays and descriptions
        self.ids: set[str] = set()
        # The next suffix to try for each base id: with many questions of one name, each id
        # is found in one step, not by trying -2, -3, ... again (quadratic in the names).
        self.suffixes: dict[str, int] = {}
        self.number = 0  # questions met so far
        self.topics: tuple[str, ...] = ()  # from the last $CATEGORY

    def add(self, line: int, message: str) -> None:
        self.problems.append((line, len(self.problems), f"{self.filename}:{line}: {message}"))

    def report(self) -> tuple[str, ...]:
        return tuple(text for _, _, text in sorted(self.problems))

    def read(self, text: str) -> list[Question]:
        questions = []
        for block in _blocks(text.removeprefix("\ufeff").splitlines()):
            question = self.read_block(block)
            if question is not None:
                questions.append(question)
        if not self.number and not self.problems:
            self.add(1, "no questions found (GIFT questions end with an answer block {...})")
        return questions

    def read_block(self, block: list[tuple[int, str]]) -> Question | None:
        comments = [(n, line) for n, line in block if line.strip().startswith("//")]
        content = [(n, line) for n, line in block if not line.strip().startswith("//")]
        metadata = [(n, m) for n, line in comments if (m := _META.fullmatch(line.strip()))]
        if not content:
            if metadata:
                self.add(metadata[0][0], "quizapp metadata must come just before its question")
            return None
        for number, line in content:
            reserved = _RESERVED.intersection(line)
            if reserved:
                self.add(number, f"unsupported character U+{ord(min(reserved)):04X}")
                return None
        text, lines = _escaped(content)
        whole = _Span(text, 0).strip()
        if not whole.text.startswith("$CATEGORY:"):
            self.number += 1
        body = _Body(self, lines)
        if whole.text.startswith("$CATEGORY:"):
            self.read_category(body, whole, has_metadata=bool(metadata))
            return None
        return body.read_question(whole, metadata)

    def read_category(self, body: _Body, whole: _Span, *, has_metadata: bool) -> None:
        path = whole.cut(len("$CATEGORY:")).strip()
        if "\n" in path.text:
            self.add(body.line(path), "$CATEGORY stands alone: put a blank line after it")
            return
        if has_metadata:
            self.add(body.line(whole), "quizapp metadata belongs to a question, not a category")
        # Moodle writes a '/' within a category name as '//'.
        parts = [p.replace("//", "/") for p in re.split(r"(?<!/)/(?!/)", _unescape(path.text))]
        topic = slug(parts[-1]) if parts else ""
        self.topics = (topic,) if topic else ()

    def new_id(self, name: str | None) -> str:
        if name and ID_FORMAT.fullmatch(name):
            base = name
        else:
            base = (slug(name) if name else "") or default_question_id(self.filename, self.number)
        question_id, suffix = base, self.suffixes.get(base, 1)
        if suffix > 1:
            question_id = f"{base}-{suffix}"
        while question_id in self.ids:
            suffix += 1
            question_id = f"{base}-{suffix}"
        self.suffixes[base] = suffix
        self.ids.add(question_id)
        return question_id


def _blocks(lines: list[str]) -> Iterable[list[tuple[int, str]]]:
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _escaped(content: list[tuple[int, str]]) -> tuple[str, _Lines]:
    """The lines joined, each escape made one placeholder; and where each line starts."""
    texts = [_ESCAPE.sub(lambda m: _PLACEHOLDER[m[1]], line) for _, line in content]
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 1
    return "\n".join(texts), _Lines(starts, [number for number, _ in content], offset - 1)


@dataclass(frozen=True)
class _Lines:
    """The file line of each character of a question's text: where each line starts."""

    starts: list[int]
    numbers: list[int]
    length: int

    def at(self, offset: int) -> int:
        if not self.numbers:
            return 0
        offset = min(max(offset, 0), max(self.length - 1, 0))
        return self.numbers[bisect_right(self.starts, offset) - 1]


def _unescape(text: str) -> str:
    return text.translate(_UNESCAPE)


def _split_format(text: str) -> tuple[str | None, str]:
    """A leading `[plain]`-style format name, as Moodle reads one, and the text after it."""
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in _FORMATS:
            return text[1:end], text[end + 1 :]
    return None, text


class _Body:
    """One question block: its text with escapes as placeholders, and the file line of each
    character, so that every problem names the line it is on."""

    def __init__(self, reader: _Reader, lines: _Lines) -> None:
        self.reader = reader
        self.lines = lines
        self.label = f"question {reader.number}"  # until its name is read
        self.format = TextFormat.PLAIN
        self.failed = False
        self.rows: list[int] = []  # the line of each choice, in the order of the choices

    def line(self, span: _Span | int) -> int:
        offset = span if isinstance(span, int) else span.start
        return self.lines.at(offset)

    def problem(self, at: _Span | int, message: str) -> None:
        self.failed = True
        self.reader.add(self.line(at), f"{self.label}: {message}")

    def unsupported(self, at: _Span | int, message: str) -> None:
        """A question of a type this app does not have: skippable, unlike a problem."""
        self.failed = True
        line = self.line(at)
        where = self.reader.unsupported
        where.append((line, len(where), f"{self.reader.filename}:{line}: {self.label}: {message}"))

    # --- the question ---

    def read_question(self, whole: _Span, metadata: list[tuple[int, re.Match]]) -> Question | None:
        name, rest = self.read_name(whole)
        question_id = self.reader.new_id(name)
        meta = self.read_metadata(metadata)
        section, quote = self.source(meta)
        parts = self.answer_block(rest) if rest is not None else None
        if parts is None:
            return None
        prompt_span, block = parts
        block, explanation_span = self.general_feedback(block)
        prompt = self.prompt(prompt_span)
        explanation = self.text(explanation_span) if explanation_span is not None else ""
        key = self.answers(block)
        if key is not None:
            key = self.apply_type(key, meta, block)
        if key is None or self.failed:
            return None
        fields = meta.fields if meta else {}
        question = Question(
            id=question_id,
            type=key.type,
            kind=Kind(fields.get("kind", Kind.FACT.value)),
            prompt=prompt,
            section=section,
            quote=quote,
            explanation=explanation,
            answer=key.answer,
            choices=key.choices,
            pairs=key.pairs,
            tolerance=key.tolerance,
            difficulty=int(fields.get("difficulty", 1)),
            topics=self.topics(meta),
            origin=Origin(fields.get("origin", _DEFAULT_ORIGIN.value)),
            text_format=self.format,
        )
        for problem in check_question(
            question,
            self.reader.bank.article,
            self.reader.bank.perspectives,
            require_source=False,
            hint=len(self.reader.problems) < HINTED_PROBLEMS,
        ):
            self.problem_at(
                self.line_of(problem, meta, prompt_span, explanation_span, block), problem.message
            )
        return None if self.failed else question

    def line_of(
        self,
        problem: Problem,
        meta: _Meta | None,
        prompt: _Span,
        explanation: _Span | None,
        block: _Span,
    ) -> int:
        """The file line a rulebook problem is about: the metadata line of the source, the
        prompt, the general feedback, or the option (else the answer block)."""
        name, index, _ = split_field(problem.field)
        if name in ("section", "quote") and meta is not None:
            return meta.lines.get(name) or meta.lines.get("quote") or meta.line
        if name in ("difficulty", "topics", "kind") and meta is not None:
            return meta.line
        if name == "prompt":
            return self.line(prompt)
        if name == "explanation" and explanation is not None:
            return self.line(explanation)
        if name == "choices" and index is not None and index < len(self.rows):
            return self.rows[index]
        return self.line(block)

    def topics(self, meta: _Meta | None) -> tuple[str, ...]:
        """The category's topic; with a `// quizapp:` line exactly the topics it lists."""
        if meta is None or not meta.has_fields:
            return self.reader.topics
        return tuple(meta.fields["topics"].split(",")) if "topics" in meta.fields else ()

    def read_name(self, whole: _Span) -> tuple[str | None, _Span | None]:
        if not whole.text.startswith("::"):
            return None, whole
        end = whole.text.find("::", 2)
        if end < 0:
            self.problem(whole, "the question name has no closing '::'")
            return None, None
        name = _unescape(whole.text[2:end]).strip()
        if name:  # an empty name is no name, as in Moodle
            self.label = f"question '{name}'"
        return name or None, whole.cut(end + 2).strip()

    def answer_block(self, rest: _Span) -> tuple[_Span, _Span] | None:
        """The prompt (with `_____` where a missing word's block stood) and the block's text."""
        text = rest.text
        opening, closing = text.find("{"), text.find("}")
        if opening < 0 and closing < 0:
            self.unsupported(
                rest,
                "description (text without an answer block {...}) is not supported: "
                "a question needs answers",
            )
            return None
        if opening < 0 or (0 <= closing < opening):
            self.problem(rest.start + closing, "'}' without an opening '{' (write \\} for a brace)")
            return None
        if closing < 0:
            self.problem(rest.start + opening, "unclosed '{': the answer block has no closing '}'")
            return None
        nested = text.find("{", opening + 1)
        if 0 <= nested < closing:
            self.problem(rest.start + nested, "'{' inside the answer block (write \\{ for a brace)")
            return None
        after = rest.cut(closing + 1)
        if "{" in after.text or "}" in after.text:
            self.problem(
                after,
                "a second answer block: GIFT has one per question (write \\{ \\} for braces)",
            )
            return None
        block = rest.cut(opening + 1, closing)
        stray = next((i for i, char in enumerate(after.text) if char in "#=~"), None)
        if stray is not None:
            self.problem(
                after.start + stray,
                f"{after.text.strip()[:40]!r} after the answer block's closing '}}': feedback "
                "and answers go inside the braces (write \\# \\= \\~ for the characters)",
            )
            return None
        if after.text.strip():
            # Moodle's missing-word form: the block stands for a blank in the sentence.
            prompt = _Span(text[:opening] + _BLANK + after.text, rest.start)
        else:
            prompt = rest.cut(0, opening)
        return prompt, block

    def general_feedback(self, block: _Span) -> tuple[_Span, _Span | None]:
        index = block.text.rfind("####")
        if index < 0:
            return block.strip(), None
        return block.cut(0, index).strip(), block.cut(index + 4)

    def prompt(self, span: _Span) -> str:
        span = span.strip()
        name, text = _split_format(span.text)
        if name == "html":
            self.problem(span, "HTML question text is not supported; use [markdown]")
        elif name is not None:
            self.format = _FORMATS[name]
        prompt = _unescape(text).strip()
        if not prompt:
            self.problem(span, "the question has no text")
        return prompt

    def text(self, span: _Span) -> str:
        """A text of the question (option, feedback...), in the question's format."""
        span = span.strip()
        name, text = _split_format(span.text)
        if name == "html":
            self.problem(span, "HTML text is not supported; use [markdown]")
        elif name is not None and _FORMATS[name] is not self.format:
            self.problem(span, f"[{name}] differs from the question's format [{self.format.value}]")
        return _unescape(text).strip()

    # --- the answer block ---

    def too_many(self, qtype: QuestionType, block: _Span, markers: str, spare: int = 0) -> bool:
        """True, after the rulebook's problem, when a block has more options than any
        question may, counted by the `markers` that open them (less `spare`, entries that
        may be something else, such as a matching question's distractors): a block of half
        a million is refused before it is split."""
        count = sum(block.text.count(marker) for marker in markers) - spare
        message = count_problem(qtype, count)
        if message is None or count < 2:
            return False
        self.problem(block, message)
        return True

    def answers(self, block: _Span) -> _Key | None:
        text = block.text
        if not text:
            self.unsupported(
                block, "essay question ({}) is not supported: a question needs answers"
            )
            return None
        if text.startswith("#"):
            return self.numeric(block.cut(1))
        if "~" in text:
            return self.multiple_choice(block)
        if "=" in text and "->" in text:
            return self.matching(block)
        word = text.split("#", 1)[0].strip() if text.find("#") > 0 else text
        if word in _TRUE_FALSE:
            return self.true_false(block)
        return self.short(block)

    def weight(self, span: _Span) -> tuple[float | None, _Span]:
        """The `%w%` weight opening `span`, as a fraction, and the text after it."""
        match = _WEIGHT.match(span.text)
        if match is None:
            return None, span
        # The rulebook checks the range (options -100..100, answers 0..100).
        return float(Decimal(match[1]) / 100), span.cut(match.end())

    def option(self, span: _Span) -> tuple[str, str]:
        """The text and the feedback of an option or answer."""
        text_span, feedback_span = span.partition("#")
        text = self.text(text_span)
        if not text:
            self.problem(span, "an answer is empty")
        return text, self.text(feedback_span) if feedback_span is not None else ""

    def multiple_choice(self, block: _Span) -> _Key | None:
        qtype = QuestionType.SINGLE if "=" in block.text else QuestionType.MULTIPLE
        if self.too_many(qtype, block, "~="):
            return None
        pieces = block.split("~=")
        if pieces[0][1].text.strip():
            self.problem(pieces[0][1], "an option begins with '=' (right) or '~' (wrong)")
        pieces = pieces[1:]
        choices, right = [], []
        for index, (marker, span) in enumerate(pieces):
            span = span.strip()
            weight = None
            if marker == "=":
                if _WEIGHT.match(span.text):
                    self.problem(
                        span, "Moodle reads no weight after '=': write ~%50%text for partial credit"
                    )
                right.append(index)
            else:
                weight, span = self.weight(span)
            text, feedback = self.option(span)
            choices.append(Choice(_choice_id(index), text, feedback, weight))
            self.rows.append(self.line(span))
        if right:
            # Moodle's single choice: the first '=' is the key; another '=' is worth 100%.
            extra = set(right[1:])
            choices = [
                Choice(c.id, c.text, c.feedback, 1.0) if i in extra else c
                for i, c in enumerate(choices)
            ]
            return _Key(QuestionType.SINGLE, choices[right[0]].id, tuple(choices))
        positive = [c for c in choices if c.weight is not None and c.weight > 0]
        if not positive:
            self.problem(block, "no right answer: mark one with '=', or give weights such as ~%50%")
            return None
        answer = frozenset(c.id for c in positive)
        return _Key(QuestionType.MULTIPLE, answer, tuple(choices))

    def matching(self, block: _Span) -> _Key | None:
        if self.too_many(QuestionType.MATCHING, block, "=", spare=DISTRACTORS_MAX):
            return None
        pieces = block.split("=")
        if not pieces[0][1].text.strip():
            pieces = pieces[1:]
        lefts: list[str] = []
        rights: list[str] = []
        distractors: list[str] = []
        for _, span in pieces:
            span = span.strip()
            left, right = span.partition("->")
            if right is None:
                self.problem(span, "a matching pair is written '=left -> right'")
                continue
            right_text = _unescape(right.text).strip()
            if not right_text:
                self.problem(span, "a matching pair has nothing after '->'")
                continue
            left_text = self.text(left)
            if not left_text:
                distractors.append((self.line(span), right_text))
            else:
                lefts.append(left_text)
                rights.append((self.line(span), right_text))
        if self.failed:
            return None
        # The right sides in pair order, then the distractors: repeats are the rulebook's.
        texts = rights + distractors
        self.rows = [line for line, _ in texts]
        choices = tuple(Choice(_choice_id(i), text) for i, (_, text) in enumerate(texts))
        pairs = tuple(Choice(f"p{i + 1}", left) for i, left in enumerate(lefts))
        answer = {pair.id: choices[i].id for i, pair in enumerate(pairs)}
        return _Key(QuestionType.MATCHING, answer, choices, pairs)

    def true_false(self, block: _Span) -> _Key | None:
        word, rest = block.partition("#")
        value = _TRUE_FALSE[word.text.strip()]
        wrong_span, right_span = rest.partition("#") if rest is not None else (None, None)
        wrong = self.text(wrong_span) if wrong_span is not None else ""
        right = self.text(right_span) if right_span is not None else ""
        if not (wrong or right):
            return _Key(QuestionType.TRUE_FALSE, value)
        on_true, on_false = (right, wrong) if value else (wrong, right)
        choices = (Choice("true", "True", on_true), Choice("false", "False", on_false))
        return _Key(QuestionType.TRUE_FALSE, value, choices)

    def short(self, block: _Span) -> _Key | None:
        if self.too_many(QuestionType.SHORT, block, "="):
            return None
        pieces = block.split("=")
        if not pieces[0][1].text.strip():
            pieces = pieces[1:]
        choices = []
        for index, (_, span) in enumerate(pieces):
            weight, span = self.weight(span.strip())
            text, feedback = self.option(span)
            choices.append(Choice(_choice_id(index), text, feedback, weight))
            self.rows.append(self.line(span))
        full = tuple(c.id for c in choices if c.weight in (None, 1.0))
        return _Key(QuestionType.SHORT, full, tuple(choices))

    def numeric(self, block: _Span) -> _Key | None:
        block, other = block.partition("~")
        catch_all: list[NumericAnswer] = []
        if other is not None:
            before, feedback = other.partition("#")
            if before.text.strip() or "~" in other.text:
                self.problem(other, "after '~' a numeric question takes only '#feedback'")
            text = self.text(feedback) if feedback is not None else ""
            catch_all.append(NumericAnswer(*_ANY_NUMBER, credit=0.0, feedback=text))
        if self.too_many(QuestionType.NUMERIC, block, "="):
            return None
        pieces = block.split("=")
        if not pieces[0][1].text.strip():
            pieces = pieces[1:]
        if not pieces:
            self.problem(block, "a numeric question needs an accepted number, such as {#1822}")
            return None
        answers = []
        for _, span in pieces:
            weight, span = self.weight(span.strip())
            value_span, feedback_span = span.partition("#")
            accepted = self.number_range(value_span.strip())
            feedback = self.text(feedback_span) if feedback_span is not None else ""
            if accepted is not None:
                credit = 1.0 if weight is None else weight
                answers.append(NumericAnswer(*accepted, credit=credit, feedback=feedback))
        return _Key(QuestionType.NUMERIC, tuple(answers + catch_all))

    def number_range(self, span: _Span) -> tuple[float, float] | None:
        text = _unescape(span.text).strip()
        if text == "*":
            return _ANY_NUMBER
        if text.find("..") > 0:
            low_text, high_text = text.split("..", 1)
            low, high = self.number(span, low_text), self.number(span, high_text)
            if low is None or high is None:
                return None
            if low > high:
                self.problem(span, f"the range {text} runs backwards")
                return None
        elif text.find(":") > 0:
            value_text, tolerance_text = text.split(":", 1)
            value, tolerance = self.number(span, value_text), self.number(span, tolerance_text)
            if value is None or tolerance is None:
                return None
            if tolerance < 0:
                self.problem(span, f"the tolerance {tolerance_text.strip()} is negative")
                return None
            low, high = value - tolerance, value + tolerance
        else:
            low = high = self.number(span, text)
            if low is None:
                return None
        if max(abs(low), abs(high)) > NUMBER_LIMIT:
            self.problem(span, f"{text} is beyond ±10^15, more than a learner can type")
            return None
        return float(low), float(high)

    def number(self, span: _Span, text: str) -> Decimal | None:
        text = text.strip()
        if not _NUMBER.fullmatch(text):
            self.problem(span, f"{text!r} is not a number (write 1822, 1822:2 or 1820..1824)")
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            self.problem(span, f"{text!r} is not a number")
            return None
        if number.copy_abs() > NUMBER_LIMIT:
            self.problem(span, f"{text} is beyond ±10^15, more than a learner can type")
            return None
        return number

    # --- metadata ---

    def read_metadata(self, lines: list[tuple[int, re.Match]]) -> _Meta | None:
        if not lines:
            return None
        meta = _Meta(line=lines[0][0])
        for number, match in lines:
            where, value = match["field"], match["value"].strip()
            if where is None:
                meta.has_fields = True
                self.meta_fields(number, value, meta)
            elif where in ("section", "quote"):
                if getattr(meta, where) is not None:
                    self.problem_at(number, f"'quizapp-{where}:' given twice")
                elif not value:
                    self.problem_at(number, f"'quizapp-{where}:' is empty")
                setattr(meta, where, _unescape_comment(value))
                meta.lines[where] = number
            else:
                self.problem_at(
                    number,
                    f"unknown metadata 'quizapp-{where}:' "
                    "(known: quizapp:, quizapp-section:, quizapp-quote:)",
                )
        return meta

    def problem_at(self, line: int, message: str) -> None:
        self.failed = True
        self.reader.add(line, f"{self.label}: {message}")

    def meta_fields(self, line: int, value: str, meta: _Meta) -> None:
        for token in value.split():
            key, equals, item = token.partition("=")
            if not equals or not item:
                self.problem_at(line, f"quizapp metadata {token!r} is not key=value")
            elif key not in _META_KEYS:
                self.problem_at(
                    line, f"unknown quizapp key {key!r} (known: {', '.join(_META_KEYS)})"
                )
            elif key in meta.fields:
                self.problem_at(line, f"quizapp key {key!r} given twice")
            elif (error := _meta_error(key, item)) is not None:
                self.problem_at(line, error)
            else:
                meta.fields[key] = item

    def apply_type(self, key: _Key, meta: _Meta | None, block: _Span) -> _Key | None:
        """The question as the metadata's type reads it (year and classify need it)."""
        fields = meta.fields if meta else {}
        derived = fields.get("weights") == "derived"
        if derived and key.type is not QuestionType.MULTIPLE:
            self.problem_at(meta.line, "weights=derived belongs to a multiple question only")
            return None
        wanted = QuestionType(fields["type"]) if "type" in fields else key.type
        if wanted is QuestionType.YEAR and key.type is QuestionType.NUMERIC:
            return self.year(key, block)
        if wanted is QuestionType.CLASSIFY and key.type is QuestionType.SINGLE:
            return self.classify(key, block)
        if wanted is not key.type:
            self.problem_at(
                meta.line,
                f"the quizapp metadata says type={wanted.value}, but the answer block makes "
                f"a {key.type.value} question",
            )
            return None
        if derived:
            return self.unweighted(key, block)
        return key

    def unweighted(self, key: _Key, block: _Span) -> _Key | None:
        """A multiple question whose weights were written from our rule, read back without."""
        right = [c for c in key.choices if c.id in key.answer]
        wrong = [c for c in key.choices if c.id not in key.answer]
        for choice in key.choices:
            share = 1 / len(right) if choice in right else -1 / len(wrong)
            if choice.weight is None or abs(choice.weight - share) > 1e-6:
                self.problem(
                    block,
                    f"weights=derived, but option {choice.text!r} has weight "
                    f"{_percent(choice.weight or 0.0)}%, not {_derived_percent(share)}%",
                )
                return None
        choices = tuple(Choice(c.id, c.text, c.feedback) for c in key.choices)
        return _Key(QuestionType.MULTIPLE, key.answer, choices)

    def year(self, key: _Key, block: _Span) -> _Key | None:
        accepted = key.answer
        if len(accepted) == 1 and accepted[0].credit == 1.0 and not accepted[0].feedback:
            low, high = Decimal(repr(accepted[0].low)), Decimal(repr(accepted[0].high))
            year, tolerance = (low + high) / 2, (high - low) / 2
            if year == year.to_integral_value() and tolerance == tolerance.to_integral_value():
                return _Key(QuestionType.YEAR, int(year), tolerance=int(tolerance))
        self.problem(
            block,
            "a year question takes one whole year with a whole tolerance and no feedback, "
            "such as {#1990:1}",
        )
        return None

    def classify(self, key: _Key, block: _Span) -> _Key | None:
        if any(c.weight is not None for c in key.choices):
            self.problem(block, "a classify question takes no weights")
            return None
        by_name = {p.name: p.id for p in self.reader.bank.perspectives}
        choices = []
        for choice in key.choices:
            if choice.text not in by_name:
                known = "; ".join(by_name) or "none"
                self.problem(
                    block, f"{choice.text!r} is not the name of a perspective (names: {known})"
                )
                return None
            choices.append(Choice(by_name[choice.text], choice.text, choice.feedback))
        answer = choices[[c.id for c in key.choices].index(key.answer)].id
        return _Key(QuestionType.CLASSIFY, answer, tuple(choices))

    def source(self, meta: _Meta | None) -> tuple[str, str]:
        if meta is None or (meta.section is None and meta.quote is None):
            return "", ""
        if meta.section is None or meta.quote is None:
            missing = "quizapp-quote" if meta.section is not None else "quizapp-section"
            self.problem_at(meta.line, f"'{missing}:' is missing: give section and quote together")
            return "", ""
        return meta.section, meta.quote


def _meta_error(key: str, value: str) -> str | None:
    """What is wrong with a `// quizapp:` value, or None."""
    allowed: dict[str, Iterable[str]] = {
        "type": [t.value for t in QuestionType if t is not QuestionType.ORDERING],
        "kind": [k.value for k in Kind],
        "origin": [o.value for o in Origin],
        "weights": ["derived"],
        "difficulty": [str(d) for d in range(DIFFICULTIES[0], DIFFICULTIES[1] + 1)],
    }
    if key == "type" and value == QuestionType.ORDERING.value:
        return "GIFT cannot hold an ordering question"
    if key == "topics":
        bad = [t for t in value.split(",") if not ID_FORMAT.fullmatch(t)]
        return f"topic {bad[0]!r} must be lowercase letters, digits and '-'" if bad else None
    if value not in allowed[key]:
        return f"{key}={value} is not one of {', '.join(allowed[key])}"
    return None


def _unescape_comment(text: str) -> str:
    return re.sub(r"\\([\\n])", lambda m: "\n" if m[1] == "n" else "\\", text)


def _escape_comment(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


# --- writing --------------------------------------------------------------------------


def export(questions: Sequence[Question]) -> ExportResult:
    """The questions as GIFT with our metadata comments; ordering (and any question GIFT
    would misread, see `docs/gift-format.md`) is returned in `skipped`."""
    blocks, skipped = [], []
    for question in questions:
        block = _write(question)
        if block is None:
            skipped.append(question)
        else:
            blocks.append(block)
    header = (
        "// Questions from quizapp in Moodle's GIFT format. The '// quizapp' comment lines\n"
        "// let quizapp read each question back unchanged; Moodle ignores them."
    )
    text = "\n\n".join([header, *blocks]) + "\n"
    return ExportResult(text=text, exported=len(blocks), skipped=tuple(skipped))


def _write(question: Question) -> str | None:
    if not _expressible(question):
        return None
    tag = f"[{question.text_format.value}]"
    answers = _write_answers(question, tag)
    lines = _write_metadata(question)
    lines.append(f"::{_escape(question.id)}::{tag}{_escape(question.prompt)} {{{answers[0]}")
    lines.extend(f"\t{line}" for line in answers[1:])
    if question.explanation:
        lines.append(f"\t####{_text(question.explanation, tag)}")
    lines.append("}")
    return "\n".join(lines)


def _write_metadata(question: Question) -> list[str]:
    fields = [
        f"type={question.type.value}",
        f"kind={question.kind.value}",
        f"difficulty={question.difficulty}",
    ]
    if question.topics:
        fields.append(f"topics={','.join(question.topics)}")
    if question.origin is not _DEFAULT_ORIGIN:
        fields.append(f"origin={question.origin.value}")
    if question.type is QuestionType.MULTIPLE and not _weighted(question):
        fields.append("weights=derived")
    lines = [f"// quizapp: {' '.join(fields)}"]
    if question.section:
        lines.append(f"// quizapp-section: {_escape_comment(question.section)}")
    if question.quote:
        lines.append(f"// quizapp-quote: {_escape_comment(question.quote)}")
    return lines


def _write_answers(question: Question, tag: str) -> list[str]:
    """The text after `{` on the prompt's line, then one line per answer."""
    match question.type:
        case QuestionType.SINGLE | QuestionType.CLASSIFY:
            return ["", *(_single_option(question, c, tag) for c in question.choices)]
        case QuestionType.MULTIPLE:
            return ["", *(_multiple_option(question, c, tag) for c in question.choices)]
        case QuestionType.TRUE_FALSE:
            return ["", _true_false(question, tag)]
        case QuestionType.SHORT:
            return ["", *(_short_answer(c, tag) for c in question.choices)]
        case QuestionType.NUMERIC:
            return ["#", *(_numeric_answer(a, tag) for a in question.answer)]
        case QuestionType.YEAR:
            tolerance = f":{question.tolerance}" if question.tolerance else ""
            return ["#", f"={question.answer}{tolerance}"]
        case QuestionType.MATCHING:
            return ["", *_matching_lines(question, tag)]
    raise ValueError(f"GIFT cannot write a {question.type.value} question")


def _single_option(question: Question, choice: Choice, tag: str) -> str:
    if choice.id == question.answer:
        marker = "="
    elif choice.weight is None or question.type is QuestionType.CLASSIFY:
        marker = "~"
    else:
        marker = f"~%{_percent(choice.weight)}%"
    return marker + _option(choice, tag)


def _multiple_option(question: Question, choice: Choice, tag: str) -> str:
    if _weighted(question):
        weight = "" if choice.weight is None else f"%{_percent(choice.weight)}%"
        return f"~{weight}{_option(choice, tag)}"
    right = len(question.answer)
    wrong = len(question.choices) - right
    share = 1 / right if choice.id in question.answer else -1 / wrong
    return f"~%{_derived_percent(share)}%{_option(choice, tag)}"


def _true_false(question: Question, tag: str) -> str:
    feedback = {c.id: c.feedback for c in question.choices}
    on_true, on_false = feedback.get("true", ""), feedback.get("false", "")
    right, wrong = (on_true, on_false) if question.answer else (on_false, on_true)
    line = "TRUE" if question.answer else "FALSE"
    if wrong or right:
        line += f"#{_text(wrong, tag)}"
    if right:
        line += f"#{_text(right, tag)}"
    return line


def _short_answer(choice: Choice, tag: str) -> str:
    return f"={_weight_prefix(choice.weight)}{_option(choice, tag)}"


def _numeric_answer(accepted: NumericAnswer, tag: str) -> str:
    prefix = _weight_prefix(None if accepted.credit == 1.0 else accepted.credit)
    feedback = f"#{_text(accepted.feedback, tag)}" if accepted.feedback else ""
    return f"={prefix}{_number_range(accepted.low, accepted.high)}{feedback}"


def _number_range(low: float, high: float) -> str:
    if (low, high) == _ANY_NUMBER:
        return "*"
    if low == high:
        return _decimal(Decimal(repr(low)))
    exact_low, exact_high = Decimal(repr(low)), Decimal(repr(high))
    middle = (exact_low + exact_high) / 2
    tolerance = exact_high - middle
    if float(middle - tolerance) == low and float(middle + tolerance) == high:
        return f"{_decimal(middle)}:{_decimal(tolerance)}"
    return f"{_decimal(exact_low)}..{_decimal(exact_high)}"


def _matching_lines(question: Question, tag: str) -> list[str]:
    lines = [
        f"={_text(pair.text, tag)} -> {_escape(question.choice_text(question.answer[pair.id]))}"
        for pair in question.pairs
    ]
    used = set(question.answer.values())
    lines.extend(f"= -> {_escape(c.text)}" for c in question.choices if c.id not in used)
    return lines


def _option(choice: Choice, tag: str) -> str:
    feedback = f"#{_text(choice.feedback, tag)}" if choice.feedback else ""
    return _text(choice.text, tag) + feedback


def _weight_prefix(weight: float | None) -> str:
    return "" if weight is None else f"%{_percent(weight)}%"


def _weighted(question: Question) -> bool:
    return any(c.weight is not None for c in question.choices)


def _expressible(question: Question) -> bool:
    """False for what GIFT cannot hold, or Moodle would misread or refuse (see
    `docs/gift-format.md`), so that everything written reads back."""
    texts = [question.prompt, *(c.text for c in question.choices + question.pairs)]
    if not all(text.strip() for text in texts):
        return False
    match question.type:
        case QuestionType.SINGLE | QuestionType.CLASSIFY:
            # The answer is written '=', which carries no weight: it reads back as full marks.
            return (
                _options_fit(question, low=-1.0)
                and question.answer in _ids(question)
                and question.choice(question.answer).weight in (None, 1.0)
            )
        case QuestionType.MULTIPLE:
            if not (_options_fit(question, low=-1.0) and question.answer <= _ids(question)):
                return False
            if not _weighted(question):
                return bool(question.answer)
            positive = sum(Decimal(repr(c.weight)) for c in question.choices if (c.weight or 0) > 0)
            return round(positive, 4) == 1
        case QuestionType.SHORT:
            texts = [t for c in question.choices for t in (c.text, c.feedback)]
            return (
                _options_fit(question, low=0.0, least=1)
                and not any("->" in t for t in texts)
                and any(c.weight in (None, 1.0) for c in question.choices)
            )
        case QuestionType.NUMERIC:
            answers = question.answer
            return (
                any(a.credit == 1.0 for a in answers)
                and all(0.0 <= a.credit <= 1.0 for a in answers)
                and all(-NUMBER_LIMIT <= a.low <= a.high <= NUMBER_LIMIT for a in answers)
            )
        case QuestionType.MATCHING:
            used = list(question.answer.values())
            rights = {fold_text(c.text) for c in question.choices if c.id in used}
            return (
                len(question.pairs) >= 2
                # Moodle lets two pairs share a right side; the rulebook does not.
                and len(set(used)) == len(used) == len(rights)
                and not any("->" in p.text for p in question.pairs)
                and not any(c.feedback or c.weight is not None for c in question.choices)
                and not any(p.feedback or p.weight is not None for p in question.pairs)
                and set(question.answer.values()) <= _ids(question)
            )
        case QuestionType.TRUE_FALSE | QuestionType.YEAR:
            return True
    return False  # ordering: GIFT has no such question


def _options_fit(question: Question, low: float, least: int = 2) -> bool:
    """Enough options, none read as a weight by Moodle, every weight within low..100%."""
    return len(question.choices) >= least and all(
        not _looks_weighted(c.text) and (c.weight is None or low <= c.weight <= 1.0)
        for c in question.choices
    )


def _ids(question: Question) -> set[str]:
    return {c.id for c in question.choices}


def _looks_weighted(text: str) -> bool:
    return bool(_MOODLE_WEIGHT.match(text) or _WEIGHT.match(text))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").translate(_SPECIAL)


def _text(text: str, tag: str) -> str:
    """A text of the question, escaped; a leading `[plain]`-like word is kept by a tag first."""
    name, _ = _split_format(text)
    return (tag if name is not None else "") + _escape(text)


def _percent(fraction: float) -> str:
    """0.5 -> '50', 1/3 -> '33.33333333333333': exact, so that it reads back as the same float."""
    return _decimal(Decimal(repr(fraction)) * 100)


def _derived_percent(fraction: float) -> str:
    return _decimal(round(Decimal(repr(fraction)) * 100, _DERIVED_DECIMALS))


def _decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text
