"""Load `questions/` into a `Bank`, checking every rule of `questions/README.md` on the way.

A bank is all or nothing: `load_bank` returns a `Bank` only when it found no problem at
all; otherwise it raises `BankError` listing every problem, each as `path:line: what is
wrong`, so that an author can fix a whole file in one pass.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from quizapp.domain.article import (
    Article,
    ArticleError,
    Paragraph,
    load_article,
    quote_pattern,
)
from quizapp.domain.questions import (
    Bank,
    Choice,
    Claim,
    Event,
    Kind,
    Perspective,
    Question,
    QuestionType,
)

ID_FORMAT = re.compile(r"[a-z0-9-]+")
ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

OPTION_COUNTS = {QuestionType.SINGLE: (2, 6), QuestionType.MULTIPLE: (3, 8)}
ORDERING_ITEMS = (3, 6)
MATCHING_PAIRS = (2, 6)
YEARS = (1800, 2100)
TOLERANCES = (0, 10)
DIFFICULTIES = (1, 3)

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
# Per type: (required fields, optional fields) besides QUESTION_FIELDS.
TYPE_FIELDS: dict[QuestionType, tuple[set[str], set[str]]] = {
    QuestionType.SINGLE: ({"options"}, set()),
    QuestionType.MULTIPLE: ({"options"}, set()),
    QuestionType.TRUE_FALSE: ({"answer"}, set()),
    QuestionType.YEAR: ({"answer"}, {"tolerance"}),
    QuestionType.ORDERING: ({"items"}, set()),
    QuestionType.MATCHING: ({"pairs"}, {"distractors"}),
    QuestionType.CLASSIFY: ({"answer"}, set()),
}
TYPE_SPECIFIC = set().union(*(required | optional for required, optional in TYPE_FIELDS.values()))

# The article's typographic characters and the plain ones authors type instead, one for one
# so that a match in the plain text is a span of the original.
PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "‑": "-"})
PLAIN_SHOWN = "’ ‘ “ ” — – ‑"


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


@dataclass
class _Node:
    """A YAML value and the line it is on: a scalar as YAML reads it (str, int, bool, date…),
    a mapping as dict[key, _Node] (each on its key's line), a sequence as list[_Node]."""

    value: Any
    line: int


class _Problems(list[tuple[str, int, str]]):
    """Each problem as (path, line, the problem as printed)."""

    def add(self, path: Path | str, line: int | None, message: str) -> None:
        self.append(
            (str(path), line or 0, f"{path}:{line}: {message}" if line else f"{path}: {message}")
        )

    def report(self) -> list[str]:
        """The problems file by file, in the order the files were read, each file by line."""
        files: dict[str, int] = {}
        for path, _, _ in self:
            files.setdefault(path, len(files))
        return [text for _, _, text in sorted(self, key=lambda p: (files[p[0]], p[1]))]


def _read_yaml(path: Path, problems: _Problems) -> _Node | None:
    """The document of `path` with its lines, or None (and a problem) if it can't be read."""
    if not path.is_file():
        problems.add(path, None, "missing file")
        return None
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError as error:
        problems.add(path, None, f"not UTF-8 text ({error.reason})")
        return None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = "; ".join(str(part) for part in (error.context, error.problem) if part)
        problems.add(path, mark.line + 1 if mark else None, f"YAML syntax error: {what}")
        return None
    except yaml.YAMLError as error:
        problems.add(path, None, f"YAML error: {error}")
        return None
    if root is None:
        return _Node(None, 1)
    return _convert(root, yaml.SafeLoader(""), path, problems)


def _convert(node: yaml.Node, loader: yaml.SafeLoader, path: Path, problems: _Problems) -> _Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        fields: dict[Any, _Node] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loader, path, problems)
            key_line = key_node.start_mark.line + 1
            if key in fields:
                problems.add(path, key_line, f"'{key}' given twice (also line {fields[key].line})")
            fields[key] = _Node(_convert(value_node, loader, path, problems).value, key_line)
        return _Node(fields, line)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_convert(item, loader, path, problems) for item in node.value], line)
    return _Node(_scalar(node, loader, path, problems), line)


def _scalar(node: yaml.Node, loader: yaml.SafeLoader, path: Path, problems: _Problems) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        problems.add(path, node.start_mark.line + 1, "a key must be a plain value")
        return f"<{node.id}>"
    try:
        return loader.construct_object(node, deep=True)
    except ValueError:
        # An impossible date such as 1990-02-30 looks like a timestamp to YAML; keep the text
        # so that the date check can say what is wrong with it.
        return node.value
    except yaml.YAMLError as error:
        problems.add(path, node.start_mark.line + 1, f"unsupported YAML value: {error}")
        return node.value


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

    def __init__(self, node: _Node, path: Path, problems: _Problems) -> None:
        self.fields: dict[Any, _Node] = node.value
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

    def integer(self, name: str, bounds: tuple[int, int]) -> int | None:
        node = self.fields.get(name)
        if node is None:
            return None
        low, high = bounds
        if not isinstance(node.value, int) or isinstance(node.value, bool):
            self.problem(name, f"'{name}' must be a whole number, not {_shown(node.value)}")
            return None
        if not low <= node.value <= high:
            self.problem(name, f"'{name}' must be between {low} and {high}, not {node.value}")
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

    def items(self, name: str) -> list[_Node] | None:
        node = self.fields.get(name)
        if node is None:
            return None
        if not isinstance(node.value, list):
            self.problem(name, f"'{name}' must be a list, not {_shown(node.value)}")
            return None
        return node.value

    def labels(self, name: str, what: str, *, tags: bool = False) -> list[_Node] | None:
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
            labels.append(_Node(label, node.line))
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


def _label(node: _Node, what: str, path: Path, problems: _Problems) -> str | None:
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


def _check_distinct(labels: list[_Node], what: str, path: Path, problems: _Problems) -> None:
    seen: dict[str, int] = {}
    for label in labels:
        key = _same_text(label.value)
        if key in seen:
            problems.add(path, label.line, f"{what} {label.value!r} repeats line {seen[key]}")
        else:
            seen[key] = label.line


class _BankLoader:
    """One reading of a bank directory; `problems` gathers everything wrong with it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems = _Problems()
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

    def top_list(self, path: Path, key: str) -> list[_Node] | None:
        """The list under the file's single top-level `key:`, or None if there is none."""
        document = _read_yaml(path, self.problems)
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

    def record(self, node: _Node, path: Path, what: str) -> _Record | None:
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

    def read_claim(self, node: _Node, path: Path, perspective_id: str | None) -> Claim | None:
        start = len(self.problems)
        record = self.record(node, path, "a claim")
        if record is None:
            return None
        record.check_fields("a claim", CLAIM_FIELDS, set())
        claim_id = self.new_id(record)
        text = record.text("text")
        section, texts = self.cited(record, "quote")
        if len(self.problems) > start:
            return None
        return Claim(claim_id, text, section, texts["quote"], perspective_id)

    def read_questions(self, path: Path, perspectives: list[Perspective]) -> list[Question]:
        questions: list[Question] = []
        for node in self.top_list(path, "questions") or []:
            start = len(self.problems)
            record = self.record(node, path, "a question")
            if record is None:
                continue
            type_name = record.one_of("type", list(QuestionType))
            qtype = QuestionType(type_name) if type_name else None
            if qtype is None:
                record.check_fields("a question", QUESTION_FIELDS, TYPE_SPECIFIC)
            else:
                required, optional = TYPE_FIELDS[qtype]
                record.check_fields(
                    f"a {qtype.value} question",
                    QUESTION_FIELDS | required,
                    optional,
                    TYPE_SPECIFIC - required - optional,
                )
            question_id = self.new_id(record)
            kind = record.one_of("kind", list(Kind))
            fields = {name: record.text(name) for name in ("prompt", "explanation")}
            difficulty = record.integer("difficulty", DIFFICULTIES)
            topics = record.labels("topics", "a topic", tags=True)
            section, texts = self.cited(record, "quote")
            key = self.answer_key(record, qtype, perspectives) if qtype else None
            if len(self.problems) == start and key is not None:
                answer, choices, pairs, tolerance = key
                questions.append(
                    Question(
                        id=question_id,
                        type=qtype,
                        kind=Kind(kind),
                        prompt=fields["prompt"],
                        section=section,
                        quote=texts["quote"],
                        explanation=fields["explanation"],
                        answer=answer,
                        choices=choices,
                        pairs=pairs,
                        tolerance=tolerance,
                        difficulty=difficulty,
                        topics=tuple(t.value for t in topics),
                    )
                )
        return questions

    def answer_key(
        self, record: _Record, qtype: QuestionType, perspectives: list[Perspective]
    ) -> tuple[Any, tuple[Choice, ...], tuple[Choice, ...], int] | None:
        """(answer, choices, pairs, tolerance) of the question, or None if they are broken."""
        if qtype in OPTION_COUNTS:
            return self.options(record, qtype)
        if qtype is QuestionType.TRUE_FALSE:
            answer = record.boolean("answer")
            return None if answer is None else (answer, (), (), 0)
        if qtype is QuestionType.YEAR:
            answer = record.integer("answer", YEARS)
            tolerance = record.integer("tolerance", TOLERANCES) if record.has("tolerance") else 0
            return None if answer is None or tolerance is None else (answer, (), (), tolerance)
        if qtype is QuestionType.ORDERING:
            return self.ordering(record)
        if qtype is QuestionType.MATCHING:
            return self.matching(record)
        return self.classify(record, perspectives)

    def options(self, record: _Record, qtype: QuestionType) -> tuple | None:
        """Single: exactly one correct option; multiple: at least one correct and one not."""
        nodes = record.items("options")
        if nodes is None:
            return None
        low, high = OPTION_COUNTS[qtype]
        if not low <= len(nodes) <= high:
            record.problem(
                "options", f"a {qtype.value} question has {low} to {high} options, not {len(nodes)}"
            )
        texts, correct = [], []
        for node in nodes:
            option = self.record(node, record.path, "an option")
            if option is None:
                continue
            option.check_fields("an option", {"text"}, {"correct"})
            if option.has("text"):
                text = _label(option.fields["text"], "an option's text", record.path, self.problems)
                if text is not None:
                    texts.append(_Node(text, option.line))
            correct.append(option.boolean("correct") if option.has("correct") else False)
        _check_distinct(texts, "option", record.path, self.problems)
        if len(texts) != len(nodes) or None in correct:
            return None
        right = sum(correct)
        if qtype is QuestionType.SINGLE and right != 1:
            record.problem(
                "options", f"a single question has exactly one correct option, not {right}"
            )
            return None
        if qtype is QuestionType.MULTIPLE and right == 0:
            record.problem("options", "a multiple question needs at least one correct option")
            return None
        if qtype is QuestionType.MULTIPLE and right == len(nodes):
            record.problem("options", "a multiple question needs at least one option that is wrong")
            return None
        ids = string.ascii_lowercase
        choices = tuple(Choice(ids[i], text.value) for i, text in enumerate(texts))
        keys = [ids[i] for i, is_correct in enumerate(correct) if is_correct]
        answer = keys[0] if qtype is QuestionType.SINGLE else frozenset(keys)
        return answer, choices, (), 0

    def ordering(self, record: _Record) -> tuple | None:
        items = record.labels("items", "an item")
        if items is None:
            return None
        low, high = ORDERING_ITEMS
        if not low <= len(items) <= high:
            record.problem(
                "items", f"an ordering question has {low} to {high} items, not {len(items)}"
            )
            return None
        choices = tuple(
            Choice(string.ascii_lowercase[i], item.value) for i, item in enumerate(items)
        )
        return tuple(c.id for c in choices), choices, (), 0

    def matching(self, record: _Record) -> tuple | None:
        nodes = record.items("pairs")
        if nodes is None:
            return None
        start = len(self.problems)
        low, high = MATCHING_PAIRS
        if not low <= len(nodes) <= high:
            record.problem(
                "pairs", f"a matching question has {low} to {high} pairs, not {len(nodes)}"
            )
        lefts, rights = [], []
        for node in nodes:
            pair = self.record(node, record.path, "a pair")
            if pair is None:
                continue
            pair.check_fields("a pair", {"left", "right"}, set())
            for side, sides in (("left", lefts), ("right", rights)):
                if pair.has(side):
                    text = _label(pair.fields[side], f"the {side} side", record.path, self.problems)
                    if text is not None:
                        sides.append(_Node(text, pair.fields[side].line))
        _check_distinct(lefts, "left side", record.path, self.problems)
        _check_distinct(rights, "right side", record.path, self.problems)
        distractors = []
        if record.has("distractors"):
            distractors = record.labels("distractors", "a distractor") or []
            answers = {_same_text(r.value) for r in rights}
            for distractor in distractors:
                if _same_text(distractor.value) in answers:
                    self.problems.add(
                        record.path,
                        distractor.line,
                        f"distractor {distractor.value!r} is also a right side of a pair",
                    )
        if len(self.problems) > start:
            return None
        pairs = tuple(Choice(f"p{i + 1}", left.value) for i, left in enumerate(lefts))
        texts = [r.value for r in rights] + [d.value for d in distractors]
        choices = tuple(Choice(string.ascii_lowercase[i], text) for i, text in enumerate(texts))
        answer = {pair.id: choices[i].id for i, pair in enumerate(pairs)}
        return answer, choices, pairs, 0

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

    def cited(self, record: _Record, *fields: str) -> tuple[str | None, dict[str, str | None]]:
        """The record's section and `fields` (quote, words), each checked verbatim in it."""
        section = record.section()
        texts = {name: record.text(name) for name in fields}
        if self.article is None:
            return section, texts
        if section is not None and not self.article.has_section(section):
            found = [p for t in texts.values() if t and (p := self.article.find(t))]
            where = f"; the {fields[0]} is in section {found[0].section.number}" if found else ""
            record.problem("section", f"no section '{section}' in the article{where}")
        for name, text in texts.items():
            if text is not None:
                self.check_passage(record, name, text, section)
        return section, texts

    def check_passage(self, record: _Record, name: str, text: str, section: str | None) -> None:
        """File a problem unless `text` is verbatim in one paragraph of the cited section."""
        assert self.article is not None
        cited = section is not None and self.article.has_section(section)
        if cited and _find_in(self.article.section(section).paragraphs, text):
            return
        passage = self.article.find(text)
        if passage is not None:
            if cited:
                verb = "are" if name == "words" else "is"
                record.problem(
                    name, f"the {name} {verb} in section {passage.section.number}, not {section}"
                )
            return
        record.problem(
            name, f"{name} not found in the article; {_nearest(self.article, text, section)}"
        )


def _date_key(date: str) -> tuple[int, int, int]:
    parts = [int(p) for p in date.split("-")] + [0, 0]
    return parts[0], parts[1], parts[2]


def _find_in(paragraphs: Iterable[Paragraph], text: str) -> bool:
    pattern = quote_pattern(text)
    return pattern is not None and any(pattern.search(p.text) for p in paragraphs)


def _paragraphs(article: Article) -> Iterator[tuple[str, Paragraph]]:
    for section in article.sections:
        for paragraph in section.paragraphs:
            yield section.number, paragraph


def _nearest(article: Article, quote: str, section: str | None) -> str:
    """A hint for an author whose quote is not in the article: where it goes astray."""
    hint = _typographic_match(article, quote, section)
    if hint:
        return hint
    words = quote.split()
    # (words matched, in the cited section, section, paragraph text, end of the match)
    best: tuple[int, bool, str, str, int] = (0, False, "", "", 0)
    for number, paragraph in _paragraphs(article):
        matched, end = 0, 0
        while matched < len(words):
            # Whole words only, so that "the West" does not count as the start of "the Western".
            pattern = re.compile(r"\s+".join(map(re.escape, words[: matched + 1])) + r"(?!\S)")
            match = pattern.search(paragraph.text)
            if match is None:
                break
            matched, end = matched + 1, match.end()
        if (matched, number == section) > best[:2]:
            best = (matched, number == section, number, paragraph.text, end)
    matched, _, number, text, end = best
    if matched < 3:
        return _overlap_hint(article, words)
    agreed = " ".join(words[:matched][-4:])
    follows = " ".join(text[end:].split()[:4])
    if not follows:
        return (
            f"its first {matched} words end a paragraph of section {number} (…{agreed}), "
            "and a quote lies within one paragraph"
        )
    diverges = " ".join(words[matched : matched + 4])
    return (
        f"its first {matched} words are in section {number} (…{agreed}), "
        f"then the article has “{follows}” where the quote has “{diverges}”"
    )


def _typographic_match(article: Article, quote: str, section: str | None) -> str | None:
    pattern = quote_pattern(quote.replace("...", "…").translate(PLAIN))
    if pattern is None:
        return None
    found = []
    for number, paragraph in _paragraphs(article):
        match = pattern.search(paragraph.text.translate(PLAIN))
        if match:
            found.append((number != section, number, paragraph.text[match.start() : match.end()]))
    if not found:
        return None
    _, number, original = min(found)
    return (
        f"section {number} has it with typographic characters ({PLAIN_SHOWN}); "
        f"copy it from there: {original}"
    )


def _overlap_hint(article: Article, words: list[str]) -> str:
    wanted = {w.strip(".,;:!?()“”‘’\"'").casefold() for w in words} - {""}
    best: tuple[int, str, str] = (0, "", "")
    for number, paragraph in _paragraphs(article):
        have = {w.strip(".,;:!?()“”‘’\"'").casefold() for w in paragraph.text.split()}
        shared = len(wanted & have)
        if shared > best[0]:
            best = (shared, number, paragraph.text)
    if best[0] < 2:
        return "no paragraph comes close"
    opening = best[2] if len(best[2]) <= 70 else best[2][:70].rsplit(" ", 1)[0] + " …"
    return f"the nearest paragraph is in section {best[1]}: “{opening}”"
