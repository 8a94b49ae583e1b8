"""Load `questions/` into a `Bank`, checking every rule of `questions/README.md` on the way.

A bank is all or nothing: `load_bank` returns a `Bank` only when it found no problem at
all; otherwise it raises `BankError` listing every problem, each as `path:line: what is
wrong`, so that an author can fix a whole file in one pass. `read_question_document`
applies the same checks to one question file from elsewhere (a teacher's import).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from quizapp.domain.article import (
    Article,
    ArticleError,
    load_article,
)
from quizapp.domain.cues import CueName
from quizapp.domain.grading import format_number
from quizapp.domain.questions import (
    Bank,
    Choice,
    Claim,
    Event,
    Kind,
    NumericAnswer,
    Origin,
    Perspective,
    Question,
    QuestionType,
    TextFormat,
)
from quizapp.domain.rulebook import (
    ID_FORMAT,
    NUMBER_LIMIT,
    OPTION_COUNTS,
    Problem,
    check_question,
    claim_problems,
    quote_problem,
    split_field,
)
from quizapp.domain.yaml_reader import Node, Problems, parse_yaml, read_yaml

ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

EVENT_FIELDS = {"id", "date", "title", "summary", "actors", "section", "quote"}
EVENT_OPTIONAL = {"topics", "speaker", "words"}
PERSPECTIVE_FIELDS = {"id", "name", "held_by", "summary"}
PERSPECTIVE_OPTIONAL = {"claims"}
CLAIM_FIELDS = {"id", "text", "section", "quote"}
QUESTION_FIELDS = {
    "id",
    "type",
    "kind",
    "prompt",
    "section",
    "quote",
    "explanation",
    "difficulty",
    "topics",
}
QUESTION_OPTIONAL = {"text_format", "acknowledged"}
SOURCE_FIELDS = {"section", "quote"}  # optional together in an import (`require_source=False`)
OPTION_FIELDS = ({"text"}, {"correct", "id", "weight", "feedback"})
SHORT_ANSWER_FIELDS = ({"text"}, {"id", "weight", "feedback"})
NUMERIC_ANSWER_FIELDS = {"value", "tolerance", "low", "high", "weight", "feedback"}
# Per type: (required fields, optional fields) besides QUESTION_FIELDS.
TYPE_FIELDS: dict[QuestionType, tuple[set[str], set[str]]] = {
    QuestionType.SINGLE: ({"options"}, set()),
    QuestionType.MULTIPLE: ({"options"}, set()),
    QuestionType.TRUE_FALSE: ({"answer"}, {"feedback_true", "feedback_false"}),
    QuestionType.YEAR: ({"answer"}, {"tolerance"}),
    QuestionType.ORDERING: ({"items"}, set()),
    QuestionType.MATCHING: ({"pairs"}, {"distractors"}),
    QuestionType.CLASSIFY: ({"answer"}, set()),
    QuestionType.SHORT: ({"answers"}, set()),
    QuestionType.NUMERIC: ({"answers"}, set()),
}
TYPE_SPECIFIC = set().union(*(required | optional for required, optional in TYPE_FIELDS.values()))


class BankError(ValueError):
    """The bank under `questions/` breaks the contract; `problems` lists every violation."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class BankSummary:
    """What a valid bank holds, counted; `flask bank check` prints it."""

    events: int
    perspectives: int
    claims: int
    questions: int
    by_type: Mapping[str, int]  # every question type, in QuestionType order, zeros included
    by_kind: Mapping[str, int]  # every kind, zeros included
    by_section: Mapping[str, int]  # sections cited by at least one question, in article order
    uncited_sections: tuple[str, ...]  # sections with paragraphs that no question cites


def load_bank(root: Path) -> Bank:
    """Read and check `root/source`, `timeline.yaml`, `perspectives.yaml` and `bank/*.yaml`.

    Returns the whole bank, or raises `BankError` with every problem found: never a part.
    """
    loader = _BankLoader(Path(root))
    bank = loader.load()
    if loader.problems:
        raise BankError(loader.problems.report())
    return bank


def read_question_document(
    text: str,
    filename: str,
    bank: Bank,
    *,
    require_source: bool,
    origin: Origin = Origin.AUTHORED,
) -> tuple[list[Question], list[str]]:
    """Read a `questions:` document written as a bank file, checked against `bank`.

    Every rule of the bank holds (quotes verbatim in `bank.article`, classify answers among
    `bank.perspectives`, ids unique within the document), except that with
    `require_source=False` a question may leave out both `section` and `quote`: it is read
    with `section == quote == ""` and waits for a teacher to cite a passage. Returns the
    questions read without a problem, each given `origin`, and every problem as
    `filename:line: message`; a caller keeps the questions only when there is no problem.
    """
    loader = _BankLoader(Path(filename), require_source=require_source, origin=origin)
    loader.article = bank.article
    loader.perspective_ids = {p.id for p in bank.perspectives}
    questions = loader.read_questions(filename, list(bank.perspectives), text=text)
    return questions, loader.problems.report()


def summary(bank: Bank) -> BankSummary:
    """Count events, perspectives, claims and questions (by type, kind and cited section)."""
    cited = Counter(q.section for q in bank.questions)
    return BankSummary(
        events=len(bank.events),
        perspectives=len(bank.perspectives),
        claims=len(bank.claims),
        questions=len(bank.questions),
        by_type={t.value: sum(q.type is t for q in bank.questions) for t in QuestionType},
        by_kind={k.value: sum(q.kind is k for q in bank.questions) for k in Kind},
        by_section={s.number: cited[s.number] for s in bank.article.sections if cited[s.number]},
        uncited_sections=tuple(
            s.number for s in bank.article.sections if s.paragraphs and not cited[s.number]
        ),
    )


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(name), sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


class _Record:
    """One YAML mapping of the bank (an event, a question, an option…), read field by field.

    Every getter checks its field and returns the value, or None after filing a problem
    (or silently when the field is absent: `check_fields` reports missing ones).
    """

    def __init__(self, node: Node, path: Path | str, problems: Problems) -> None:
        self.fields: dict[Any, Node] = node.value
        self.line = node.line
        self.path = path
        self.problems = problems

    def problem(self, name: str | None, message: str) -> None:
        self.problems.add(self.path, self.line_of(name), message)

    def line_of(self, name: str | None) -> int:
        node = self.fields.get(name) if name else None
        return node.line if node else self.line

    def has(self, name: str) -> bool:
        return name in self.fields

    def check_fields(
        self, what: str, required: set[str], optional: set[str], elsewhere: Iterable[str] = ()
    ) -> None:
        """File missing required fields and unknown ones; `elsewhere` are valid for other types."""
        for name in sorted(required - self.fields.keys()):
            self.problem(None, f"{what} is missing field '{name}'")
        known = required | optional
        for name in self.fields:
            if name in known:
                continue
            if name in elsewhere:
                self.problem(name, f"field '{name}' does not belong to {what}")
            else:
                self.problem(name, f"unknown field '{name}'{_suggest(name, known)}")

    def text(self, name: str) -> str | None:
        node = self.fields.get(name)
        if node is None:
            return None
        if not isinstance(node.value, str):
            self.problem(name, f"'{name}' must be text, not {_shown(node.value)}")
            return None
        if not node.value.strip():
            self.problem(name, f"'{name}' is empty")
            return None
        return node.value.strip()

    def ident(self, name: str = "id") -> str | None:
        value = self.text(name)
        if value is not None and not ID_FORMAT.fullmatch(value):
            self.problem(name, f"'{name}' {value!r} must be lowercase letters, digits and '-'")
            return None
        return value

    def section(self, name: str = "section") -> str | None:
        """A section number: text such as "2.1", or an unquoted whole number such as 5."""
        node = self.fields.get(name)
        if node is not None and isinstance(node.value, int) and not isinstance(node.value, bool):
            return str(node.value)
        if node is not None and isinstance(node.value, float):
            self.problem(name, f"quote the section number: '{name}: \"{node.value}\"'")
            return None
        return self.text(name)

    def one_of(self, name: str, allowed: Iterable[str]) -> str | None:
        value = self.text(name)
        allowed = list(allowed)
        if value is not None and value not in allowed:
            self.problem(name, f"'{name}' must be one of {', '.join(allowed)}, not {value!r}")
            return None
        return value

    def integer(self, name: str) -> int | None:
        """A whole number (the rulebook checks its bounds)."""
        node = self.fields.get(name)
        if node is None:
            return None
        if not isinstance(node.value, int) or isinstance(node.value, bool):
            self.problem(name, f"'{name}' must be a whole number, not {_shown(node.value)}")
            return None
        return node.value

    def boolean(self, name: str) -> bool | None:
        node = self.fields.get(name)
        if node is None:
            return None
        if not isinstance(node.value, bool):
            self.problem(name, f"'{name}' must be true or false, not {_shown(node.value)}")
            return None
        return node.value

    def number(self, name: str) -> float | None:
        """A number from -10^15 to 10^15, an int or a float, returned as a float."""
        node = self.fields.get(name)
        if node is None:
            return None
        if not _is_number(node.value):
            self.problem(name, f"'{name}' must be a number, not {_shown(node.value)}")
            return None
        # A comparison rather than math.isfinite: an int of 400 digits is no float.
        if not -NUMBER_LIMIT <= node.value <= NUMBER_LIMIT:
            self.problem(name, f"'{name}' must be a number from -10^15 to 10^15")
            return None
        return float(node.value)

    def percentage(self, name: str) -> float | None:
        """A percentage from -100 to 100 (`weight: 50`), returned as a fraction (0.5).

        Read from the digits as written, so that `33.33` gives the float nearest 0.3333
        and the exporter can write any fraction back exactly.
        """
        node = self.fields.get(name)
        if node is None:
            return None
        if not _is_number(node.value):
            self.problem(
                name,
                f"'{name}' must be a percentage, a number such as 50 or -25, "
                f"not {_shown(node.value)}",
            )
            return None
        # The rulebook checks the range; here only that it is a number at all.
        if not -NUMBER_LIMIT <= node.value <= NUMBER_LIMIT:  # false for nan too
            self.problem(name, f"'{name}' must be a percentage, such as 50 or -25")
            return None
        return float(_exact(node) / 100)

    def date(self, name: str) -> str | None:
        """An ISO date as precise as known (YYYY, YYYY-MM, YYYY-MM-DD), as a string."""
        node = self.fields.get(name)
        if node is None:
            return None
        value = node.value
        if isinstance(value, dt.datetime):
            self.problem(name, f"'{name}' must be a date without a time, not {value}")
            return None
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        match = ISO_DATE.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            self.problem(name, f"'{name}' must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
            return None
        year, month, day = (int(part) if part else 1 for part in match.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            self.problem(name, f"'{name}' {value!r} is not a real calendar date")
            return None
        return value

    def items(self, name: str) -> list[Node] | None:
        node = self.fields.get(name)
        if node is None:
            return None
        if not isinstance(node.value, list):
            self.problem(name, f"'{name}' must be a list, not {_shown(node.value)}")
            return None
        return node.value

    def labels(self, name: str, what: str, *, tags: bool = False) -> list[Node] | None:
        """A list of short texts (a whole number is read as text), all distinct and not empty.

        Returns the nodes with their values as text; `tags` also asks for the id format.
        """
        nodes = self.items(name)
        if nodes is None:
            return None
        labels = []
        for node in nodes:
            label = _label(node, what, self.path, self.problems)
            if label is None:
                continue
            if tags and not ID_FORMAT.fullmatch(label):
                self.problems.add(
                    self.path,
                    node.line,
                    f"{what} {label!r} must be lowercase letters, digits and '-'",
                )
                continue
            labels.append(Node(label, node.line))
        _check_distinct(labels, what, self.path, self.problems)
        return labels if len(labels) == len(nodes) else None


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (quote it if it is text)"
    return f"{type(value).__name__} {value!r}"


def default_choice_id(index: int) -> str:
    """The id of the choice at `index` (from 0) when the file gives none: a … z, aa, ab …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = string.ascii_lowercase[rest] + letters
    return letters


def default_pair_id(index: int) -> str:
    """The id of a matching question's pair at `index` (from 0) when the file gives none."""
    return f"p{index + 1}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _exact(node: Node) -> Decimal:
    """A finite number as written in the file (`33.33` is 33.33, not the float near it)."""
    if isinstance(node.value, int):
        return Decimal(node.value)
    try:
        written = Decimal(node.raw or "")
    except InvalidOperation:
        written = None
    # YAML also reads forms Decimal does not (sexagesimal 1:30.5); fall back on the float.
    if written is None or not written.is_finite() or float(written) != node.value:
        return Decimal(repr(node.value))
    return written


def _label(node: Node, what: str, path: Path | str, problems: Problems) -> str | None:
    """A short text: a string, or a whole number such as a year; None (and a problem) if not."""
    value = node.value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        problems.add(path, node.line, f"{what} must be text, not {_shown(value)}")
        return None
    if not value.strip():
        problems.add(path, node.line, f"{what} is empty")
        return None
    return value.strip()


def _check_distinct(labels: list[Node], what: str, path: Path | str, problems: Problems) -> None:
    seen: dict[str, int] = {}
    for label in labels:
        key = _same_text(label.value)
        if key in seen:
            problems.add(path, label.line, f"{what} {label.value!r} repeats line {seen[key]}")
        else:
            seen[key] = label.line


class _BankLoader:
    """One reading of a bank directory; `problems` gathers everything wrong with it."""

    def __init__(
        self, root: Path, *, require_source: bool = True, origin: Origin = Origin.AUTHORED
    ) -> None:
        self.root = root
        self.require_source = require_source
        self.origin = origin
        self.problems = Problems()
        self.article: Article | None = None
        self.ids: dict[str, str] = {}  # id -> where it was first used
        self.perspective_ids: set[str] | None = None  # None: perspectives.yaml unreadable

    def load(self) -> Bank:
        source = self.root / "source"
        try:
            self.article = load_article(source)
        except ArticleError as error:
            self.problems.append((str(source), 0, str(error)))
        events = self.read_events(self.root / "timeline.yaml")
        perspectives = self.read_perspectives(self.root / "perspectives.yaml")
        questions = []
        for path in self.bank_files(self.root / "bank"):
            questions.extend(self.read_questions(path, perspectives))
        return Bank(tuple(events), tuple(perspectives), tuple(questions), self.article)

    def bank_files(self, directory: Path) -> list[Path]:
        if not directory.is_dir():
            self.problems.add(directory, None, "missing directory of question files")
            return []
        for path in sorted(directory.glob("*.yml")):
            self.problems.add(path, None, "not read: question files end in .yaml")
        files = sorted(directory.glob("*.yaml"))
        if not files:
            self.problems.add(directory, None, "no question files (*.yaml)")
        return files

    def top_list(self, path: Path | str, key: str, text: str | None = None) -> list[Node] | None:
        """The list under the file's single top-level `key:`, or None if there is none.

        The file is read from `path`, unless its `text` is given.
        """
        if text is None:
            document = read_yaml(Path(path), self.problems)
        else:
            document = parse_yaml(text, path, self.problems)
        if document is None:
            return None
        if not isinstance(document.value, dict):
            self.problems.add(path, document.line, f"expected '{key}:' at the top of the file")
            return None
        for name, node in document.value.items():
            if name != key:
                self.problems.add(
                    path, node.line, f"unknown top-level key '{name}'{_suggest(name, [key])}"
                )
        node = document.value.get(key)
        if node is None:
            self.problems.add(path, document.line, f"expected '{key}:' at the top of the file")
            return None
        if not isinstance(node.value, list):
            self.problems.add(path, node.line, f"'{key}' must be a list, not {_shown(node.value)}")
            return None
        return node.value

    def record(self, node: Node, path: Path | str, what: str) -> _Record | None:
        if not isinstance(node.value, dict):
            self.problems.add(
                path, node.line, f"{what} must be a mapping, not {_shown(node.value)}"
            )
            return None
        return _Record(node, path, self.problems)

    def new_id(self, record: _Record) -> str | None:
        """The record's id, checked for its format and for being unique across the bank."""
        value = record.ident("id")
        if value is None:
            return None
        here = f"{record.path}:{record.line_of('id')}"
        if value in self.ids:
            record.problem("id", f"id '{value}' is already used at {self.ids[value]}")
            return None
        self.ids[value] = here
        return value

    def read_events(self, path: Path) -> list[Event]:
        events: list[Event] = []
        previous: tuple[str, str] | None = None  # (id, date) of the event listed before
        for node in self.top_list(path, "events") or []:
            start = len(self.problems)
            record = self.record(node, path, "an event")
            if record is None:
                continue
            record.check_fields("an event", EVENT_FIELDS, EVENT_OPTIONAL)
            event_id = self.new_id(record)
            date = record.date("date")
            if date is not None:
                if previous and _date_key(date) < _date_key(previous[1]):
                    record.problem(
                        "date",
                        f"event {event_id or '?'} ({date}) is listed after {previous[0]} "
                        f"({previous[1]}): events go in chronological order",
                    )
                previous = (event_id or "?", date)
            if record.has("speaker") != record.has("words"):
                record.problem(None, "set both 'speaker' and 'words', or neither")
            fields = {name: record.text(name) for name in ("title", "summary", "speaker")}
            actors = record.labels("actors", "an actor")
            topics = record.labels("topics", "a topic", tags=True) if record.has("topics") else []
            section, texts = self.cited(record, "quote", "words")
            if len(self.problems) == start:
                events.append(
                    Event(
                        id=event_id,
                        date=date,
                        title=fields["title"],
                        summary=fields["summary"],
                        actors=tuple(a.value for a in actors),
                        section=section,
                        quote=texts["quote"],
                        topics=tuple(t.value for t in topics),
                        speaker=fields["speaker"],
                        words=texts["words"],
                    )
                )
        return events

    def read_perspectives(self, path: Path) -> list[Perspective]:
        perspectives: list[Perspective] = []
        nodes = self.top_list(path, "perspectives")
        if nodes is None:
            return perspectives
        self.perspective_ids = set()
        for node in nodes:
            start = len(self.problems)
            record = self.record(node, path, "a perspective")
            if record is None:
                continue
            record.check_fields("a perspective", PERSPECTIVE_FIELDS, PERSPECTIVE_OPTIONAL)
            perspective_id = self.new_id(record)
            if perspective_id is not None:
                self.perspective_ids.add(perspective_id)
            fields = {name: record.text(name) for name in ("name", "held_by", "summary")}
            claims = [
                claim
                for claim_node in (record.items("claims") or [])
                if (claim := self.read_claim(claim_node, path, perspective_id)) is not None
            ]
            if len(self.problems) == start:
                perspectives.append(
                    Perspective(
                        id=perspective_id,
                        name=fields["name"],
                        held_by=fields["held_by"],
                        summary=fields["summary"],
                        claims=tuple(claims),
                    )
                )
        return perspectives

    def read_claim(self, node: Node, path: Path, perspective_id: str | None) -> Claim | None:
        start = len(self.problems)
        record = self.record(node, path, "a claim")
        if record is None:
            return None
        record.check_fields("a claim", CLAIM_FIELDS, {"not_distinctive"})
        claim_id = self.new_id(record)
        text = record.text("text")
        reason = record.text("not_distinctive") if record.has("not_distinctive") else ""
        section, texts = self.cited(record, "quote")
        if len(self.problems) > start:
            return None
        return Claim(claim_id, text, section, texts["quote"], perspective_id, reason or "")

    def read_questions(
        self, path: Path | str, perspectives: list[Perspective], text: str | None = None
    ) -> list[Question]:
        questions: list[Question] = []
        for node in self.top_list(path, "questions", text) or []:
            question = self.read_question(node, path, perspectives)
            if question is not None:
                questions.append(question)
        return questions

    def read_question(
        self, node: Node, path: Path | str, perspectives: list[Perspective]
    ) -> Question | None:
        start = len(self.problems)
        record = self.record(node, path, "a question")
        if record is None:
            return None
        required, optional = QUESTION_FIELDS, QUESTION_OPTIONAL
        if not self.require_source:
            # An imported question may still wait for its passage and its explanation
            # (plain GIFT and Aiken carry neither); it stays out of rounds until then.
            waiting = SOURCE_FIELDS | {"explanation"}
            required, optional = required - waiting, optional | waiting
            if _blank(record.fields.get("explanation")):
                record.fields.pop("explanation", None)
        type_name = record.one_of("type", list(QuestionType))
        qtype = QuestionType(type_name) if type_name else None
        if qtype is None:
            record.check_fields("a question", required, optional | TYPE_SPECIFIC)
        else:
            type_required, type_optional = TYPE_FIELDS[qtype]
            record.check_fields(
                f"a {qtype.value} question",
                required | type_required,
                optional | type_optional,
                TYPE_SPECIFIC - type_required - type_optional,
            )
        question_id = self.new_id(record)
        kind = record.one_of("kind", list(Kind))
        text_format = record.one_of("text_format", list(TextFormat))
        fields = {name: record.text(name) for name in ("prompt", "explanation")}
        fields["explanation"] = fields["explanation"] or ""
        difficulty = record.integer("difficulty")
        topics = record.labels("topics", "a topic", tags=True)
        section, quote = self.source(record)
        acknowledged = self.acknowledged(record)
        key = self.answer_key(record, qtype, perspectives) if qtype else None
        if len(self.problems) > start:
            return None
        answer, choices, pairs, tolerance = key or (None, (), (), 0)
        question = Question(
            id=question_id,
            type=qtype,
            kind=Kind(kind),
            prompt=fields["prompt"],
            section=section,
            quote=quote,
            explanation=fields["explanation"],
            answer=answer,
            choices=choices,
            pairs=pairs,
            tolerance=tolerance,
            difficulty=difficulty,
            topics=tuple(t.value for t in topics),
            origin=self.origin,
            text_format=TextFormat(text_format or TextFormat.PLAIN),
            acknowledged=acknowledged,
        )
        problems = check_question(
            question,
            self.article,
            (),  # a classify answer is checked against every perspective id, in `classify`
            require_source=self.require_source,
            hint=len(self.problems) < HINTED_PROBLEMS,
            answer=key is not None,
        )
        problems += claim_problems(question, [c for p in perspectives for c in p.claims])
        for problem in problems:
            self.problems.add(path, _line_of(problem, record, question), problem.message)
        return None if problems or key is None else question

    def acknowledged(self, record: _Record) -> tuple[tuple[str, str], ...]:
        """The cues a question keeps on purpose: `acknowledged: {cue-name: reason}`."""
        node = record.fields.get("acknowledged")
        if node is None:
            return ()
        if not isinstance(node.value, dict):
            record.problem("acknowledged", "'acknowledged' maps a cue's name to the reason")
            return ()
        pairs = []
        names = [cue.value for cue in CueName]
        for name_node, reason in node.value.items():
            name = getattr(name_node, "value", name_node)
            text = getattr(reason, "value", reason)
            if name not in names:
                record.problem(
                    "acknowledged",
                    f"'{name}' is not a cue; the cues are {', '.join(names)}",
                )
            elif not isinstance(text, str) or not text.strip():
                record.problem("acknowledged", f"say why the cue '{name}' is kept")
            else:
                pairs.append((name, text.strip()))
        return tuple(pairs)

    def source(self, record: _Record) -> tuple[str, str]:
        """The question's section and quote as written ("" when left out); the rulebook
        checks them."""
        section = record.section() if record.has("section") else ""
        quote = record.text("quote") if record.has("quote") else ""
        return section or "", quote or ""

    def answer_key(
        self, record: _Record, qtype: QuestionType, perspectives: list[Perspective]
    ) -> tuple[Any, tuple[Choice, ...], tuple[Choice, ...], int] | None:
        """(answer, choices, pairs, tolerance) of the question, or None if they are broken."""
        if qtype in OPTION_COUNTS:
            return self.options(record, qtype)
        if qtype is QuestionType.TRUE_FALSE:
            return self.true_false(record)
        if qtype is QuestionType.YEAR:
            answer = record.integer("answer")
            tolerance = record.integer("tolerance") if record.has("tolerance") else 0
            return None if answer is None or tolerance is None else (answer, (), (), tolerance)
        if qtype is QuestionType.ORDERING:
            return self.ordering(record)
        if qtype is QuestionType.MATCHING:
            return self.matching(record)
        if qtype is QuestionType.SHORT:
            return self.short(record)
        if qtype is QuestionType.NUMERIC:
            return self.numeric(record)
        return self.classify(record, perspectives)

    def entry(
        self, node: Node, path: Path | str, what: str, optional: set[str]
    ) -> tuple[Node | None, _Record | None]:
        """An entry written as a text alone, or as a mapping of `text` and `optional` fields.

        Returns its text (None after a problem) and the mapping, if it is one.
        """
        if not isinstance(node.value, dict):
            text = _label(node, what, path, self.problems)
            return (None if text is None else Node(text, node.line)), None
        entry = _Record(node, path, self.problems)
        entry.check_fields(what, {"text"}, optional)
        field = entry.fields.get("text")
        text = None if field is None else _label(field, f"{what}'s text", path, self.problems)
        return (None if text is None or field is None else Node(text, field.line)), entry

    def choice(self, entry: _Record | None, text: str, default_id: str) -> Choice | None:
        """The choice of an entry: its `id` (else `default_id`), `weight` and `feedback`."""
        if entry is None:
            return Choice(default_id, text)
        start = len(self.problems)
        choice_id = entry.ident("id") if entry.has("id") else default_id
        weight = entry.percentage("weight")
        feedback = entry.text("feedback") if entry.has("feedback") else ""
        if len(self.problems) > start:
            return None
        return Choice(choice_id, text, feedback or "", weight)

    def options(self, record: _Record, qtype: QuestionType) -> tuple | None:
        """The options as written; single: the one marked correct is the answer (None when
        there is not exactly one, which the rulebook reports), multiple: those marked."""
        nodes = record.items("options")
        if nodes is None:
            return None
        start = len(self.problems)
        texts, correct, entries = [], [], []
        for index, node in enumerate(nodes):
            option = self.record(node, record.path, "an option")
            if option is None:
                continue
            option.check_fields("an option", *OPTION_FIELDS)
            if option.has("text"):
                text = _label(option.fields["text"], "an option's text", record.path, self.problems)
                if text is not None:
                    texts.append(Node(text, option.line))
                    entries.append((option, text, default_choice_id(index)))
            correct.append(option.boolean("correct") if option.has("correct") else False)
        if len(texts) != len(nodes) or None in correct:
            return None
        choices = [self.choice(option, text, default) for option, text, default in entries]
        if len(self.problems) > start or None in choices:
            return None
        self.check_ids(
            [(c.id, option) for c, (option, _, _) in zip(choices, entries, strict=True)], "option"
        )
        keys = [
            choice.id for choice, is_correct in zip(choices, correct, strict=True) if is_correct
        ]
        if qtype is QuestionType.SINGLE:
            return (keys[0] if len(keys) == 1 else None), tuple(choices), (), 0
        answer = frozenset(keys)
        return answer, tuple(choices), (), 0

    def check_ids(self, ids: list[tuple[str, _Record | None]], what: str) -> None:
        """File a problem for a choice id used twice in one question (an `id` or a default)."""
        seen: set[str] = set()
        for choice_id, entry in ids:
            if choice_id in seen and entry is not None:
                entry.problem("id" if entry.has("id") else None, _twice(what, choice_id))
            seen.add(choice_id)

    def true_false(self, record: _Record) -> tuple | None:
        """The answer; `feedback_true`/`_false`, shown to a learner who answered True/False,
        become the choices `true` and `false` (the form's values) carrying it."""
        answer = record.boolean("answer")
        feedback = {
            value: record.text(f"feedback_{value}") if record.has(f"feedback_{value}") else ""
            for value in ("true", "false")
        }
        if answer is None or None in feedback.values():
            return None
        if not any(feedback.values()):
            return answer, (), (), 0
        choices = tuple(Choice(value, value.title(), text) for value, text in feedback.items())
        return answer, choices, (), 0

    def ordering(self, record: _Record) -> tuple | None:
        nodes = record.items("items")
        if nodes is None:
            return None
        entries = [self.entry(node, record.path, "an item", {"id"}) for node in nodes]
        texts = [text for text, _ in entries if text is not None]
        if len(texts) != len(nodes):
            return None
        choices = [
            self.choice(entry, text.value, default_choice_id(i))
            for i, (text, entry) in enumerate(entries)
        ]
        if None in choices:
            return None
        self.check_ids([(c.id, e) for c, (_, e) in zip(choices, entries, strict=True)], "item")
        return tuple(c.id for c in choices), tuple(choices), (), 0

    def matching(self, record: _Record) -> tuple | None:
        nodes = record.items("pairs")
        if nodes is None:
            return None
        start = len(self.problems)
        lefts, rights, pair_records = [], [], []
        for node in nodes:
            pair = self.record(node, record.path, "a pair")
            if pair is None:
                continue
            pair.check_fields("a pair", {"left", "right"}, {"left_id", "right_id"})
            pair_records.append(pair)
            for side, sides in (("left", lefts), ("right", rights)):
                if pair.has(side):
                    text = _label(pair.fields[side], f"the {side} side", record.path, self.problems)
                    if text is not None:
                        sides.append(Node(text, pair.fields[side].line))
        distractors: list[tuple[Node | None, _Record | None]] = []
        if record.has("distractors"):
            nodes_of_distractors = record.items("distractors") or []
            distractors = [
                self.entry(node, record.path, "a distractor", {"id"})
                for node in nodes_of_distractors
            ]
        pair_ids = [pair.ident("left_id") if pair.has("left_id") else None for pair in pair_records]
        right_ids = [
            pair.ident("right_id") if pair.has("right_id") else None for pair in pair_records
        ]
        if len(self.problems) > start:
            return None
        pairs = [
            Choice(pair_id or default_pair_id(i), left.value)
            for i, (pair_id, left) in enumerate(zip(pair_ids, lefts, strict=True))
        ]
        choices = [
            Choice(right_id or default_choice_id(i), right.value)
            for i, (right_id, right) in enumerate(zip(right_ids, rights, strict=True))
        ]
        choices += [
            self.choice(entry, text.value, default_choice_id(len(rights) + i))
            for i, (text, entry) in enumerate(distractors)
        ]
        if None in choices:
            return None
        self.check_pair_ids(pairs, choices, pair_records, [e for _, e in distractors])
        answer = {pair.id: choices[i].id for i, pair in enumerate(pairs)}
        return answer, tuple(choices), tuple(pairs), 0

    def check_pair_ids(
        self,
        pairs: list[Choice],
        choices: list[Choice],
        pair_records: list[_Record],
        distractors: list[_Record | None],
    ) -> None:
        """Pair ids (`left_id`, else p1, p2…) and choice ids (`right_id`, a distractor's
        `id`, else a, b, c…) are each distinct within the question."""
        sides = [
            (pair.id, entry, "left_id") for pair, entry in zip(pairs, pair_records, strict=True)
        ]
        seen: set[str] = set()
        for pair_id, entry, name in sides:
            if pair_id in seen:
                entry.problem(name if entry.has(name) else None, _twice("pair", pair_id, "p1, p2"))
            seen.add(pair_id)
        rights = [
            (c.id, entry, "right_id")
            for c, entry in zip(choices[: len(pair_records)], pair_records, strict=True)
        ]
        others = [
            (c.id, e, "id") for c, e in zip(choices[len(pair_records) :], distractors, strict=True)
        ]
        seen = set()
        for choice_id, entry, name in rights + others:
            if choice_id in seen and entry is not None:
                entry.problem(name if entry.has(name) else None, _twice("choice", choice_id))
            seen.add(choice_id)

    def classify(self, record: _Record, perspectives: list[Perspective]) -> tuple | None:
        answer = record.text("answer")
        if answer is None or self.perspective_ids is None:
            return None
        if answer not in self.perspective_ids:
            known = ", ".join(sorted(self.perspective_ids)) or "none"
            record.problem("answer", f"answer {answer!r} is not a perspective id ({known})")
            return None
        choices = tuple(Choice(p.id, p.name) for p in perspectives)
        return answer, choices, (), 0

    def short(self, record: _Record) -> tuple | None:
        """Accepted answers; the key is the ids of those worth full marks (no weight, or 100)."""
        nodes = record.items("answers")
        if nodes is None:
            return None
        start = len(self.problems)
        entries = [
            self.entry(node, record.path, "an answer", SHORT_ANSWER_FIELDS[1]) for node in nodes
        ]
        texts = [text for text, _ in entries if text is not None]
        if len(texts) != len(nodes):
            return None
        choices = [
            self.choice(entry, text.value, default_choice_id(i))
            for i, (text, entry) in enumerate(entries)
        ]
        if len(self.problems) > start or None in choices:
            return None
        self.check_ids([(c.id, e) for c, (_, e) in zip(choices, entries, strict=True)], "answer")
        answer = tuple(c.id for c in choices if c.weight in (None, 1.0))
        return answer, tuple(choices), (), 0

    def numeric(self, record: _Record) -> tuple | None:
        """Accepted numbers or ranges; the key is all of them."""
        nodes = record.items("answers")
        if nodes is None:
            return None
        start = len(self.problems)
        answers = [self.numeric_answer(node, record.path) for node in nodes]
        if len(self.problems) > start or None in answers:
            return None
        return tuple(answers), (), (), 0

    def numeric_answer(self, node: Node, path: Path | str) -> NumericAnswer | None:
        """A number alone, {value, tolerance?} or {low, high}, with `weight` and `feedback`."""
        if _is_number(node.value):
            node = Node({"value": node}, node.line)
        if not isinstance(node.value, dict):
            self.problems.add(
                path,
                node.line,
                f"an answer must be a number or a mapping, not {_shown(node.value)}",
            )
            return None
        start = len(self.problems)
        entry = _Record(node, path, self.problems)
        entry.check_fields("an answer", set(), NUMERIC_ANSWER_FIELDS)
        by_value = entry.has("value") and not (entry.has("low") or entry.has("high"))
        by_range = entry.has("low") and entry.has("high") and not entry.has("value")
        if not (by_value or by_range) or (by_range and entry.has("tolerance")):
            entry.problem(None, "an answer gives 'value' (and 'tolerance'), or 'low' and 'high'")
            return None
        credit = entry.percentage("weight")
        feedback = entry.text("feedback") if entry.has("feedback") else ""
        if by_value:
            value = entry.number("value")
            tolerance = entry.number("tolerance") if entry.has("tolerance") else 0.0
            if tolerance is not None and tolerance < 0:
                entry.problem(
                    "tolerance", f"'tolerance' must be 0 or more, not {format_number(tolerance)}"
                )
            if len(self.problems) > start:
                return None
            low, high = value - tolerance, value + tolerance
        else:
            low, high = entry.number("low"), entry.number("high")
            if low is not None and high is not None and low > high:
                entry.problem(
                    "high",
                    f"'high' ({format_number(high)}) is below 'low' ({format_number(low)})",
                )
        if len(self.problems) > start:
            return None
        return NumericAnswer(low, high, 1.0 if credit is None else credit, feedback or "")

    def cited(self, record: _Record, *fields: str) -> tuple[str | None, dict[str, str | None]]:
        """The record's section and `fields` (quote, words), each checked verbatim in it."""
        section = record.section()
        texts = {name: record.text(name) for name in fields}
        if self.article is None or section is None:
            return section, texts
        for name, text in texts.items():
            if text is None:
                continue
            problem = quote_problem(
                self.article, section, text, what=name, hint=len(self.problems) < HINTED_PROBLEMS
            )
            if problem is not None:
                record.problem(problem.field, problem.message)
                if problem.field == "section" and not self.article.has_section(section):
                    break  # one problem for a section the article does not have
        return section, texts


# Where the rows of each type are written: the list a `choices[i]` of the rulebook is in.
_ROWS = {
    QuestionType.SINGLE: "options",
    QuestionType.MULTIPLE: "options",
    QuestionType.ORDERING: "items",
    QuestionType.SHORT: "answers",
    QuestionType.NUMERIC: "answers",
    QuestionType.MATCHING: "pairs",
}
# After this many problems, a quote not found is reported without the nearest-text hint.
HINTED_PROBLEMS = 50


def _line_of(problem: Problem, record: _Record, question: Question) -> int:
    """The line of the question's file that a rulebook problem is about."""
    name, index, part = split_field(problem.field)
    rows = _ROWS.get(question.type)
    if name == "topics":
        return _item_line(record, "topics", index, None)
    if name not in ("choices", "pairs", "answer") or rows is None:
        return record.line_of(name if record.has(name) else None)
    if index is None:
        return record.line_of("answer" if record.has("answer") else rows)
    if question.type is not QuestionType.MATCHING:
        return _item_line(record, rows, index, part or "text")
    if name == "pairs":
        return _item_line(record, "pairs", index, "left")
    if index < len(question.pairs):
        return _item_line(record, "pairs", index, "right")
    return _item_line(record, "distractors", index - len(question.pairs), "text")


def _item_line(record: _Record, name: str, index: int | None, key: str | None) -> int:
    """The line of `record[name][index][key]`, or the nearest enclosing line written."""
    node = record.fields.get(name)
    if node is None:
        return record.line
    items = node.value if isinstance(node.value, list) else []
    if index is None or index >= len(items):
        return node.line
    item = items[index]
    if isinstance(item.value, dict) and key is not None:
        found = item.value.get(key) or item.value.get("value") or item.value.get("text")
        return found.line if found is not None else item.line
    return item.line


def _twice(what: str, choice_id: str, defaults: str = "a, b, c") -> str:
    return (
        f"{what} id '{choice_id}' is used twice in this question "
        f"(one without an id gets it from its place: {defaults}…)"
    )


def _blank(node: Node | None) -> bool:
    return node is not None and isinstance(node.value, str) and not node.value.strip()


def _date_key(date: str) -> tuple[int, int, int]:
    parts = [int(p) for p in date.split("-")] + [0, 0]
    return parts[0], parts[1], parts[2]
