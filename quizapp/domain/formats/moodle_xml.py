"""Moodle XML: read a Moodle question export into questions, and write questions as one.

The format is Moodle's own (`question/format/xml/format.php`, and the `ordering` question
type's `import_from_xml`/`export_to_xml`); `docs/moodle-xml.md` describes what each element
becomes here and back. The promises:

- Reading is all or nothing, and every problem reads `file:line: question 'name': what is
  wrong`, the line being the XML parser's line of the element at fault.
- The XML is read by expat through defusedxml: a DTD, an entity declaration or an external
  entity is refused before anything is expanded, so a "billion laughs" or an XXE file
  costs nothing; expat reads in time linear in the file.
- A question of a type or with a feature this app does not have (essay, description,
  cloze, calculated, drag and drop, embedded files and images, numerical units, shortanswer
  wildcards) is "unsupported": a problem like any other, unless the caller asks to skip
  them, in which case the rest is read and each one left out is listed in `skipped`.
- What a question loses on the way in without changing how it is graded (case
  sensitivity, fixed answer order, hints, combined feedback) is listed in `notes`.
- HTML is never kept: it is cleaned by nh3 and written as our Markdown subset, or as plain
  text when it has no markup (`html_text`).
- `export` writes what Moodle 4.x imports, and in each question a `<quizapp>` element that
  Moodle's importer never reads (it looks up only the elements it knows by path), holding
  what Moodle has no place for: the cited section and quote, kind, difficulty, origin, our
  type where Moodle's differs (year, classify) and each choice's id and weight. Reading
  an export back gives the very questions written.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PureWindowsPath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from quizapp.domain.formats import ExportResult, ImportResult
from quizapp.domain.formats.gift import default_question_id, slug
from quizapp.domain.formats.html_text import dropped_tags, escape_markdown, has_markup, to_text
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
    ID_FORMAT,
    NUMBER_LIMIT,
    TOLERANCES,
    YEARS,
    check_question,
    count_problem,
    split_field,
)

# Moodle's question types that have no counterpart here, with what a teacher calls them.
_UNSUPPORTED_TYPES = {
    "essay": "an essay",
    "description": "a description (text without a question)",
    "cloze": "a cloze question (embedded answers)",
    "multianswer": "a cloze question (embedded answers)",
    "calculated": "a calculated question",
    "calculatedsimple": "a simple calculated question",
    "calculatedmulti": "a calculated multichoice question",
    "ddwtos": "a drag and drop into text question",
    "ddimageortext": "a drag and drop onto image question",
    "ddmarker": "a drag and drop markers question",
    "gapselect": "a select missing words question",
    "randomsamatch": "a random short-answer matching question",
    "random": "a random question",
}
_READ_TYPES = {
    "multichoice",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "match",
    "ordering",
}
_TEXT_FORMATS = {"html", "moodle_auto_format", "plain_text", "markdown", "wiki_like"}
# The grades Moodle accepts for an answer (question_bank's fraction options), as fractions;
# an import with any other is refused by Moodle, so export writes no other.
_MOODLE_FRACTIONS = (
    1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25,
    0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0,
)  # fmt: skip
_FRACTION_TOLERANCE = 1e-7
# Matches every number a learner can type, as GIFT's `*` does (grading accepts 15 digits).
_ANY_NUMBER = (-float(NUMBER_LIMIT), float(NUMBER_LIMIT))
_EXTENSION = "quizapp"
_EXTENSION_ATTRIBUTES = ("id", "type", "kind", "difficulty", "origin")
_FULL = Decimal(100)


# --- reading ------------------------------------------------------------------------------


def parse(text: str, filename: str, bank: Bank, skip_unsupported: bool = False) -> ImportResult:
    """Every question of a Moodle XML file, or every problem as `file:line: message`.

    With `skip_unsupported`, questions of types or features this app does not have are left
    out and listed in `skipped`, and the rest is read; without, each is a problem.
    """
    reader = _Reader(filename, bank)
    questions = reader.read(text)
    unsupported = reader.report(reader.unsupported)
    problems = reader.report(reader.problems)
    if not skip_unsupported:
        problems = reader.report(reader.problems + reader.unsupported)
    if problems:
        counted = 0 if skip_unsupported else len(unsupported)
        return ImportResult(questions=(), problems=problems, unsupported=counted)
    return ImportResult(
        questions=tuple(questions),
        skipped=unsupported if skip_unsupported else (),
        notes=reader.report(reader.notes),
    )


class _LineTree(ET.TreeBuilder):
    """Builds the element tree and keeps the line each element starts on (expat's count)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[ET.Element, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[element] = self.parser.parser.CurrentLineNumber if self.parser else 0
        return element


def read_xml(text: str) -> tuple[ET.Element | None, dict[ET.Element, int], tuple[int, str]]:
    """The root element and each element's line, or None and (line, what is wrong).

    DTDs are refused outright (forbid_dtd), and with them every entity declaration: the
    document is never expanded, so an entity bomb or an external entity costs nothing.
    """
    tree = _LineTree()
    parser = DefusedXMLParser(target=tree, forbid_dtd=True)
    tree.parser = parser
    try:
        parser.feed(text.removeprefix("\ufeff"))
        root = parser.close()
    except ET.ParseError as error:
        line = error.position[0] if error.position else 1
        message = str(error).split(": line ")[0]
        return None, {}, (line, f"not well-formed XML: {message}")
    except DefusedXmlException as error:
        line = parser.parser.CurrentLineNumber or 1
        return None, {}, (line, _refusal(error))
    return root, tree.lines, (0, "")


def _refusal(error: DefusedXmlException) -> str:
    name = type(error).__name__
    if name == "DTDForbidden":
        return (
            "a DTD (<!DOCTYPE ...>) is refused: Moodle XML has none, and a DTD can declare "
            "entities that expand without end or read other files"
        )
    if name == "EntitiesForbidden":
        return "an entity declaration (<!ENTITY ...>) is refused"
    return "an external entity or reference is refused: nothing outside the file is read"


class _Reader:
    """One reading of a file; problems, unsupported questions and notes as (line, n, text)."""

    def __init__(self, filename: str, bank: Bank) -> None:
        self.filename = filename
        self.bank = bank
        self.problems: list[tuple[int, int, str]] = []
        self.unsupported: list[tuple[int, int, str]] = []
        self.notes: list[tuple[int, int, str]] = []
        self.lines: dict[ET.Element, int] = {}
        self.ids: set[str] = set()
        self.suffixes: dict[str, int] = {}  # the last suffix given to each base id
        self.number = 0
        self.topics: tuple[str, ...] = ()  # from the last category

    def add(self, where: list[tuple[int, int, str]], line: int, message: str) -> None:
        where.append((line, len(where), f"{self.filename}:{line}: {message}"))

    @staticmethod
    def report(entries: list[tuple[int, int, str]]) -> tuple[str, ...]:
        return tuple(text for _, _, text in sorted(entries))

    def read(self, text: str) -> list[Question]:
        root, self.lines, (line, error) = read_xml(text)
        if root is None:
            self.add(self.problems, line, error)
            return []
        if root.tag != "quiz":
            self.add(
                self.problems,
                self.lines.get(root, 1),
                f"the document is <{root.tag}>, not <quiz>: not a Moodle XML question export",
            )
            return []
        questions = []
        for element in root:
            if element.tag != "question":
                continue  # Moodle reads only <question> elements too
            if element.get("type") == "category":
                self.category(element)
                continue
            self.number += 1
            question = _QuestionReader(self, element).read()
            if question is not None:
                questions.append(question)
        if not self.number and not self.problems:
            self.add(self.problems, 1, "no questions found (Moodle XML holds <question> elements)")
        return questions

    def category(self, element: ET.Element) -> None:
        """`$course$/Top/Treaties` gives the questions after it the topic "treaties"."""
        path = _text(element.find("category"))
        parts = [p for p in path.split("/") if p and not (p.startswith("$") and p.endswith("$"))]
        topic = slug(parts[-1]) if parts else ""
        self.topics = (topic,) if topic else ()

    def new_id(self, wanted: str | None) -> str:
        """`wanted`, or with -2, -3… when taken; the next suffix of each base is remembered,
        so that a thousand questions of one name cost a thousand steps, not a million."""
        base = wanted or default_question_id(_stem(self.filename), self.number)
        question_id, suffix = base, self.suffixes.get(base, 1)
        while question_id in self.ids:
            suffix += 1
            question_id = f"{base}-{suffix}"
        self.suffixes[base] = suffix
        self.ids.add(question_id)
        return question_id


def _stem(filename: str) -> str:
    name = PureWindowsPath(filename).name
    for suffix in (".moodle.xml", ".xml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _text(element: ET.Element | None) -> str:
    """The trimmed `<text>` of an element, as Moodle reads it; '' when there is none."""
    if element is None:
        return ""
    text = element.find("text")
    return (text.text or "").strip() if text is not None else ""


def _flag(element: ET.Element | None, default: bool) -> bool:
    """Moodle's trans_single: 'false', '0' or '' is false, anything else true."""
    if element is None:
        return default
    value = (element.text or "").strip()
    return value not in ("false", "0", "")


@dataclass(frozen=True)
class _Key:
    type: QuestionType
    answer: object
    choices: tuple[Choice, ...] = ()
    pairs: tuple[Choice, ...] = ()
    tolerance: int = 0


@dataclass
class _Extension:
    """What a `<quizapp>` element says, and where."""

    line: int
    values: dict[str, str] = field(default_factory=dict)
    section: str | None = None
    quote: str | None = None
    # (id, weight, right): right marks a single question's key among options worth 100%.
    choices: list[tuple[str, str | None, bool]] = field(default_factory=list)
    pairs: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)


class _QuestionReader:
    """One `<question>`: each problem names it and the line of the element at fault."""

    def __init__(self, reader: _Reader, element: ET.Element) -> None:
        self.reader = reader
        self.element = element
        self.qtype = element.get("type", "")
        self.name = _text(element.find("name"))
        self.label = f"question '{self.name}'" if self.name else f"question {reader.number}"
        self.failed = False
        self.markdown = False
        self.default_format = "html"
        # The line of each field of the question, for the problems the rules find in it.
        self.field_lines: dict[str, int] = {}

    def line(self, element: ET.Element | None = None) -> int:
        return self.reader.lines.get(element if element is not None else self.element, 0)

    def problem(self, element: ET.Element | None, message: str) -> None:
        self.failed = True
        self.reader.add(self.reader.problems, self.line(element), f"{self.label}: {message}")

    def unsupported(self, element: ET.Element | None, message: str) -> None:
        self.failed = True
        self.reader.add(self.reader.unsupported, self.line(element), f"{self.label}: {message}")

    def note(self, element: ET.Element | None, message: str) -> None:
        self.reader.add(self.reader.notes, self.line(element), f"{self.label}: {message}")

    # --- the question ---

    def read(self) -> Question | None:
        if self.qtype in _UNSUPPORTED_TYPES:
            self.unsupported(
                None,
                f'type="{self.qtype}" is {_UNSUPPORTED_TYPES[self.qtype]}, a type this app '
                "does not have",
            )
            return None
        if self.qtype not in _READ_TYPES:
            self.unsupported(None, f'type="{self.qtype}" is a type this app does not have')
            return None
        if not self.files_absent():
            return None
        questiontext = self.element.find("questiontext")
        self.default_format = _format_of(questiontext, "html")
        self.markdown = self.needs_markdown()
        extension = self.extension()
        prompt = self.rich(questiontext, "html")
        self.field_lines["prompt"] = self.line(questiontext)
        feedback = self.element.find("generalfeedback")
        explanation = self.rich(feedback)
        self.field_lines["explanation"] = self.line(feedback)
        key = self.key()
        if key is not None:
            key = self.apply_extension(key, extension)
        section, quote = self.source(extension)
        topics = self.topics(extension)
        self.lost_parts()
        if key is None or self.failed:
            return None
        values = extension.values if extension else {}
        question = Question(
            id=self.reader.new_id(self.wanted_id(extension)),
            type=key.type,
            kind=Kind(values.get("kind", Kind.FACT.value)),
            prompt=prompt,
            section=section,
            quote=quote,
            explanation=explanation,
            answer=key.answer,
            choices=key.choices,
            pairs=key.pairs,
            tolerance=key.tolerance,
            difficulty=int(values.get("difficulty", DIFFICULTIES[0])),
            topics=topics,
            origin=Origin(values.get("origin", Origin.TEACHER.value)),
            text_format=TextFormat.MARKDOWN if self.markdown else TextFormat.PLAIN,
        )
        bank = self.reader.bank
        for problem in check_question(
            question, bank.article, bank.perspectives, require_source=False
        ):
            self.problem_at(self.field_line(problem.field), problem.message)
        return None if self.failed else question

    def field_line(self, field: str) -> int:
        """The line of the element a rulebook field names, else the question's own line."""
        name, index, _ = split_field(field)
        keys = ([f"{name}[{index}]"] if index is not None else []) + [name]
        return next((self.field_lines[k] for k in keys if self.field_lines.get(k)), self.line())

    def wanted_id(self, extension: _Extension | None) -> str | None:
        """Our id from the extension, else Moodle's idnumber, else a slug of the name."""
        if extension is not None and "id" in extension.values:
            return extension.values["id"]
        idnumber = (self.element.findtext("idnumber") or "").strip()
        for candidate in (idnumber, self.name):
            if candidate and ID_FORMAT.fullmatch(candidate) and len(candidate) <= 60:
                return candidate
            if candidate and slug(candidate):
                return slug(candidate)
        return None

    def files_absent(self) -> bool:
        """False (and the question unsupported) when it embeds files or images."""
        for element in self.element.iter():
            if element.tag in ("file", "image", "image_base64"):
                self.unsupported(
                    element,
                    f"embedded files and images (<{element.tag}>) are not supported",
                )
                return False
            text = element.text or ""
            if "@@PLUGINFILE@@" in text:
                self.unsupported(
                    element, "embedded files and images (@@PLUGINFILE@@) are not supported"
                )
                return False
            if element.tag == "text" and "<img" in text.lower():
                self.unsupported(element, "images (<img>) are not supported")
                return False
        return True

    def lost_parts(self) -> None:
        """Notes for what Moodle shows and this app does not keep; grading is unchanged."""
        grade = (self.element.findtext("defaultgrade") or "1").strip()
        try:
            if Decimal(grade) != 1:
                self.note(
                    self.element.find("defaultgrade"),
                    f"worth {grade} marks in Moodle; every question is worth one mark here",
                )
        except InvalidOperation:
            pass  # Moodle's own business: the mark is not ours to read
        for element, default in self.text_elements():
            html = (
                _as_html(_text(element), _format_of(element, default))
                if element is not None
                else None
            )
            lost = dropped_tags(html) if html else []
            if lost:
                tags = ", ".join(f"<{tag}>" for tag in lost)
                self.note(element, f"HTML {tags} is kept as its text only")
        hints = [h for h in self.element.findall("hint") if _text(h)]
        if hints:
            self.note(hints[0], f"{len(hints)} hint(s) for later tries are not kept")
        for name in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            element = self.element.find(name)
            if _text(element) and not _is_moodle_default(name, _text(element)):
                self.note(element, f"<{name}> is not kept (feedback here is per answer)")

    # --- texts ---

    def text_elements(self) -> Iterable[tuple[ET.Element, str]]:
        """Every rich text of the question, with the format it has when it names none."""
        yield self.element.find("questiontext"), "html"
        yield self.element.find("generalfeedback"), self.default_format
        for element in self.element.iter("feedback"):
            yield element, self.default_format
        if self.qtype in ("multichoice", "ordering"):
            for element in self.element.findall("answer"):
                yield element, self.default_format
        if self.qtype in ("matching", "match"):
            for element in self.element.findall("subquestion"):
                yield element, self.default_format

    def needs_markdown(self) -> bool:
        for element, default in self.text_elements():
            if element is None:
                continue
            fmt = _format_of(element, default)
            if fmt == "markdown" and _text(element):
                return True
            html = _as_html(_text(element), fmt)
            if html is not None and has_markup(html):
                return True
        return False

    def rich(self, element: ET.Element | None, default: str | None = None) -> str:
        """A text in the question's format: HTML turned into Markdown or plain text."""
        if element is None:
            return ""
        raw = _text(element)
        fmt = _format_of(element, default or self.default_format)
        html = _as_html(raw, fmt)
        if html is not None:
            return to_text(html, markdown=self.markdown)
        if fmt == "markdown" or not self.markdown:
            return raw
        return escape_markdown(raw)

    # --- the answers ---

    def key(self) -> _Key | None:
        match self.qtype:
            case "multichoice":
                return self.multichoice()
            case "truefalse":
                return self.truefalse()
            case "shortanswer":
                return self.shortanswer()
            case "numerical":
                return self.numerical()
            case "matching" | "match":
                return self.matching()
            case "ordering":
                return self.ordering()
        return None  # pragma: no cover - read() lets only _READ_TYPES through

    def countable(self, qtype: QuestionType, rows: list[ET.Element]) -> bool:
        """False (and the rulebook's problem) when the rows are too few or too many: counted
        before any is read, so that a question of 20,000 options costs no more than that."""
        message = count_problem(qtype, len(rows))
        if message is not None:
            self.problem(None, message)
        return message is None

    def fraction(self, answer: ET.Element, low: int = -100, high: int = 100) -> Decimal | None:
        text = answer.get("fraction", "0").strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.problem(answer, f'fraction="{text}" is not a number')
            return None
        if not value.is_finite() or not low <= value <= high:
            self.problem(answer, f'fraction="{text}" is outside {low} to {high}')
            return None
        return value

    def answers(self) -> list[ET.Element]:
        return self.element.findall("answer")

    def feedback(self, answer: ET.Element) -> str:
        return self.rich(answer.find("feedback"))

    def multichoice(self) -> _Key | None:
        single = _flag(self.element.find("single"), default=True)
        if not _flag(self.element.find("shuffleanswers"), default=False):
            self.note(
                self.element.find("shuffleanswers"),
                "answers in a fixed order in Moodle are shuffled here",
            )
        answers = self.answers()
        if not self.countable(QuestionType.SINGLE if single else QuestionType.MULTIPLE, answers):
            return None
        choices: list[Choice] = []
        fractions: list[Decimal] = []
        for index, answer in enumerate(answers):
            self.field_lines[f"choices[{index}]"] = self.line(answer)
            text = self.rich(answer)
            fraction = self.fraction(answer)
            fractions.append(fraction if fraction is not None else Decimal(0))
            weight = None if not fraction else float(fraction / _FULL)
            choices.append(Choice(_choice_id(index), text, self.feedback(answer), weight))
        if self.failed:
            return None
        if single:
            right = [i for i, f in enumerate(fractions) if f == _FULL]
            if not right:
                self.problem(None, 'no answer gives full marks: give one fraction="100"')
                return None
            first = right[0]
            choices[first] = Choice(choices[first].id, choices[first].text, choices[first].feedback)
            return _Key(QuestionType.SINGLE, choices[first].id, tuple(choices))
        positive = [c for c in choices if c.weight is not None and c.weight > 0]
        return _Key(QuestionType.MULTIPLE, frozenset(c.id for c in positive), tuple(choices))

    def truefalse(self) -> _Key | None:
        found: dict[str, tuple[Decimal, str]] = {}
        for answer in self.answers():
            word = _text(answer)
            if word not in ("true", "false"):
                self.problem(answer, f"a true/false answer is 'true' or 'false', not {word!r}")
                return None
            fraction = self.fraction(answer, low=0)
            if fraction is None:
                return None
            found[word] = (fraction, self.feedback(answer))
            self.field_lines[f"choices[{0 if word == 'true' else 1}]"] = self.line(answer)
        if set(found) != {"true", "false"}:
            self.problem(None, "a true/false question needs a 'true' and a 'false' answer")
            return None
        value = found["true"][0] == _FULL
        if (found["false"][0] == _FULL) == value:
            self.problem(None, 'exactly one of true and false has fraction="100"')
            return None
        on_true, on_false = found["true"][1], found["false"][1]
        if not (on_true or on_false):
            return _Key(QuestionType.TRUE_FALSE, value)
        choices = (Choice("true", "True", on_true), Choice("false", "False", on_false))
        return _Key(QuestionType.TRUE_FALSE, value, choices)

    def shortanswer(self) -> _Key | None:
        usecase = self.element.find("usecase")
        if _flag(usecase, default=False):
            self.note(
                usecase,
                "case sensitivity is not kept: answers here are compared with case folded",
            )
        choices = []
        if not self.countable(QuestionType.SHORT, self.answers()):
            return None
        for index, answer in enumerate(self.answers()):
            self.field_lines[f"choices[{index}]"] = self.line(answer)
            text = _text(answer)
            if "*" in text:
                self.unsupported(
                    answer, f"the wildcard '*' in the short answer {text!r} is not supported"
                )
                return None
            fraction = self.fraction(answer, low=0)
            if fraction is None:
                return None
            weight = None if fraction == _FULL else float(fraction / _FULL)
            choices.append(Choice(_choice_id(index), text, self.feedback(answer), weight))
        full = tuple(c.id for c in choices if c.weight is None)
        return _Key(QuestionType.SHORT, full, tuple(choices))

    def numerical(self) -> _Key | None:
        units = self.element.find("units")
        if units is not None and units.findall("unit"):
            names = ", ".join(
                repr((u.findtext("unit_name") or "").strip()) for u in units.findall("unit")
            )
            self.unsupported(units, f"units ({names}) are not supported: a number here has none")
            return None
        accepted = []
        if not self.countable(QuestionType.NUMERIC, self.answers()):
            return None
        for index, answer in enumerate(self.answers()):
            self.field_lines[f"answer[{index}]"] = self.line(answer)
            fraction = self.fraction(answer, low=0)
            bounds = self.number_range(answer)
            if fraction is None or bounds is None:
                continue
            credit = float(fraction / _FULL)
            accepted.append(NumericAnswer(*bounds, credit=credit, feedback=self.feedback(answer)))
        if self.failed:
            return None
        return _Key(QuestionType.NUMERIC, tuple(accepted))

    def number_range(self, answer: ET.Element) -> tuple[float, float] | None:
        text = _text(answer)
        if text == "*":
            return _ANY_NUMBER
        tolerance_text = (answer.findtext("tolerance") or "0").strip() or "0"
        try:
            value, tolerance = Decimal(text), Decimal(tolerance_text)
        except InvalidOperation:
            self.problem(answer, f"{text!r} ± {tolerance_text!r} is not a number")
            return None
        if not (value.is_finite() and tolerance.is_finite()):
            self.problem(answer, f"{text!r} ± {tolerance_text!r} is not a number")
            return None
        if tolerance < 0:
            self.problem(answer, f"the tolerance {tolerance_text} is negative")
            return None
        low, high = value - tolerance, value + tolerance
        return float(low), float(high)

    def matching(self) -> _Key | None:
        """A row with a left side is a pair, one without is a distractor (Moodle's rule); the
        choices are the right sides in pair order, then the distractors."""
        pairs: list[tuple[str, str, int]] = []
        distractors: list[tuple[str, int]] = []
        rows = self.element.findall("subquestion")
        if not self.countable(QuestionType.MATCHING, [r for r in rows if _text(r)]):
            return None
        for sub in rows:
            left = self.rich(sub)
            right = _text(sub.find("answer"))
            if not left and not right:
                continue  # Moodle skips an empty row too
            if not right:
                self.problem(sub, "a matching pair has no answer")
            elif left:
                pairs.append((left, right, self.line(sub)))
            else:
                distractors.append((right, self.line(sub)))
        if self.failed:
            return None
        rights = [(right, line) for _, right, line in pairs] + distractors
        for index, (_, _, line) in enumerate(pairs):
            self.field_lines[f"pairs[{index}]"] = line
        for index, (_, line) in enumerate(rights):
            self.field_lines[f"choices[{index}]"] = line
        choices = tuple(Choice(_choice_id(i), text) for i, (text, _) in enumerate(rights))
        lefts = tuple(Choice(f"p{i + 1}", left) for i, (left, _, _) in enumerate(pairs))
        answer = {pair.id: choices[i].id for i, pair in enumerate(lefts)}
        return _Key(QuestionType.MATCHING, answer, choices, lefts)

    def ordering(self) -> _Key | None:
        """Moodle's ordering type keeps the items in the right order, as the file lists them."""
        items = []
        if not self.countable(QuestionType.ORDERING, self.answers()):
            return None
        for index, answer in enumerate(self.answers()):
            self.field_lines[f"choices[{index}]"] = self.line(answer)
            text = self.rich(answer)
            if self.feedback(answer):
                self.note(answer.find("feedback"), "feedback on an ordering item is not kept")
            items.append(Choice(_choice_id(index), text))
        count = (self.element.findtext("selectcount") or "").strip()
        select = (self.element.findtext("selecttype") or "").strip().upper()
        if count.isdecimal() and 0 < int(count) < len(items) and select not in ("ALL", "EXACT"):
            self.note(
                self.element.find("selectcount"),
                f"Moodle shows {count} of the {len(items)} items; here all are shown",
            )
        return _Key(QuestionType.ORDERING, tuple(c.id for c in items), tuple(items))

    # --- our own data ---

    def extension(self) -> _Extension | None:
        element = self.element.find(_EXTENSION)
        if element is None:
            return None
        extension = _Extension(line=self.line(element))
        for name, value in element.attrib.items():
            if name not in _EXTENSION_ATTRIBUTES:
                known = ", ".join(_EXTENSION_ATTRIBUTES)
                self.problem(element, f"unknown attribute {name}= on <quizapp> (known: {known})")
            elif (error := _extension_error(name, value)) is not None:
                self.problem(element, error)
            else:
                extension.values[name] = value
        for child in element:
            if child.tag in ("section", "quote"):
                if getattr(extension, child.tag) is not None:
                    self.problem(child, f"<{child.tag}> is given twice")
                setattr(extension, child.tag, (child.text or "").strip())
                extension.lines[child.tag] = self.line(child)
            elif child.tag == "choice":
                right = child.get("right") == "true"
                extension.choices.append((child.get("id", ""), child.get("weight"), right))
            elif child.tag == "pair":
                extension.pairs.append(child.get("id", ""))
            else:
                self.problem(child, f"unknown element <{child.tag}> in <quizapp>")
        return extension

    def apply_extension(self, key: _Key, extension: _Extension | None) -> _Key | None:
        if extension is None:
            return key
        line = extension.line
        wanted = QuestionType(extension.values.get("type", key.type.value))
        if wanted is QuestionType.YEAR and key.type is QuestionType.NUMERIC:
            key = self.year(key)
        elif wanted is QuestionType.CLASSIFY and key.type is QuestionType.SINGLE:
            key = self.classify(key)
        elif wanted is not key.type:
            self.problem_at(
                line,
                f'<quizapp type="{wanted.value}"> does not fit a Moodle {self.qtype} question',
            )
            return None
        if key is None:
            return None
        if extension.choices and key.type is not QuestionType.CLASSIFY:
            key = self.choice_ids(key, extension)
        if key is not None and extension.pairs:
            key = self.pair_ids(key, extension)
        return key

    def problem_at(self, line: int, message: str) -> None:
        self.failed = True
        self.reader.add(self.reader.problems, line, f"{self.label}: {message}")

    def choice_ids(self, key: _Key, extension: _Extension) -> _Key | None:
        """The choices' own ids and exact weights, as the extension lists them."""
        if len(extension.choices) != len(key.choices):
            self.problem_at(
                extension.line,
                f"<quizapp> lists {len(extension.choices)} choices, the question has "
                f"{len(key.choices)}",
            )
            return None
        ids = [choice_id for choice_id, _, _ in extension.choices]
        if len(set(ids)) != len(ids) or not all(ids):
            self.problem_at(extension.line, "<quizapp> choice ids must be given and distinct")
            return None
        choices = []
        for choice, (choice_id, weight_text, _) in zip(key.choices, extension.choices, strict=True):
            weight = None
            if weight_text is not None:
                try:
                    weight = float(Decimal(weight_text))
                except InvalidOperation:
                    self.problem_at(extension.line, f"choice weight {weight_text!r} is no number")
                    return None
            choices.append(Choice(choice_id, choice.text, choice.feedback, weight))
        renamed = {old.id: new.id for old, new in zip(key.choices, choices, strict=True)}
        answer = key.answer
        match key.type:
            case QuestionType.SINGLE:
                answer = renamed[answer]
                marked = [i for i, (_, _, right) in enumerate(extension.choices) if right]
                if marked:
                    # Moodle gives full marks to each option of fraction 100; ours names which
                    # of them is the key (the others are worth 100% as partial credit).
                    full = key.choices[marked[0]]
                    if len(marked) > 1 or not (full.id == key.answer or full.weight == 1.0):
                        self.problem_at(
                            extension.line,
                            '<quizapp> marks as right one option, of fraction="100"',
                        )
                        return None
                    answer = choices[marked[0]].id
            case QuestionType.MULTIPLE:
                answer = frozenset(renamed[i] for i in answer)
            case QuestionType.ORDERING:
                answer = tuple(renamed[i] for i in answer)
            case QuestionType.MATCHING:
                answer = {pair: renamed[choice] for pair, choice in answer.items()}
            case QuestionType.SHORT:
                answer = tuple(c.id for c in choices if c.weight in (None, 1.0))
        return _Key(key.type, answer, tuple(choices), key.pairs, key.tolerance)

    def pair_ids(self, key: _Key, extension: _Extension) -> _Key | None:
        if len(extension.pairs) != len(key.pairs) or len(set(extension.pairs)) != len(key.pairs):
            self.problem_at(
                extension.line, f"<quizapp> must list {len(key.pairs)} distinct pair ids"
            )
            return None
        renamed = {old.id: new for old, new in zip(key.pairs, extension.pairs, strict=True)}
        pairs = tuple(Choice(renamed[p.id], p.text, p.feedback, p.weight) for p in key.pairs)
        answer = {renamed[pair]: choice for pair, choice in key.answer.items()}
        return _Key(key.type, answer, key.choices, pairs, key.tolerance)

    def year(self, key: _Key) -> _Key | None:
        accepted = key.answer
        if len(accepted) == 1 and accepted[0].credit == 1.0 and not accepted[0].feedback:
            low, high = Decimal(repr(accepted[0].low)), Decimal(repr(accepted[0].high))
            year, tolerance = (low + high) / 2, (high - low) / 2
            if (
                year == year.to_integral_value()
                and tolerance == tolerance.to_integral_value()
                and YEARS[0] <= year <= YEARS[1]
                and TOLERANCES[0] <= tolerance <= TOLERANCES[1]
            ):
                return _Key(QuestionType.YEAR, int(year), tolerance=int(tolerance))
        self.problem(
            None,
            f"a year question takes one year {YEARS[0]}-{YEARS[1]} with a whole tolerance "
            f"{TOLERANCES[0]}-{TOLERANCES[1]}, full marks and no feedback",
        )
        return None

    def classify(self, key: _Key) -> _Key | None:
        by_name = {p.name: p.id for p in self.reader.bank.perspectives}
        choices = []
        for choice in key.choices:
            if choice.text not in by_name:
                known = "; ".join(by_name) or "none"
                self.problem(None, f"{choice.text!r} is not the name of a perspective ({known})")
                return None
            if choice.weight is not None:
                self.problem(None, "a classify question takes no partial credit")
                return None
            choices.append(Choice(by_name[choice.text], choice.text, choice.feedback))
        answer = choices[[c.id for c in key.choices].index(key.answer)].id
        return _Key(QuestionType.CLASSIFY, answer, tuple(choices))

    def source(self, extension: _Extension | None) -> tuple[str, str]:
        if extension is None or (extension.section is None and extension.quote is None):
            return "", ""
        if not extension.section or not extension.quote:
            self.problem_at(extension.line, "give <section> and <quote> together, neither empty")
            return "", ""
        self.field_lines["section"] = extension.lines["section"]
        self.field_lines["quote"] = extension.lines["quote"]
        return extension.section, extension.quote

    def topics(self, extension: _Extension | None) -> tuple[str, ...]:
        """The tags (with our data exactly them); else the category's topic and the tags."""
        tags_element = self.element.find("tags")
        tags = [_text(t) for t in tags_element.findall("tag")] if tags_element is not None else []
        self.field_lines["topics"] = self.line(tags_element)
        if extension is not None:
            return tuple(tags)
        topics = list(self.reader.topics) + [slug(t) for t in tags]
        return tuple(dict.fromkeys(t for t in topics if t))


def _as_html(text: str, fmt: str) -> str | None:
    """The text as the HTML Moodle shows, or None for plain text and Markdown. Moodle's
    auto-format is HTML whose line breaks are kept (Moodle's text_to_html adds <br>)."""
    if fmt == "html":
        return text
    if fmt == "moodle_auto_format":
        return text.replace("\n", "<br>\n")
    return None


def _format_of(element: ET.Element | None, default: str) -> str:
    fmt = element.get("format", default) if element is not None else default
    return fmt if fmt in _TEXT_FORMATS else "html"  # Moodle assumes html for any other


def _is_moodle_default(name: str, text: str) -> bool:
    """Moodle fills combined feedback with its own sentences; those are not worth a note."""
    plain = to_text(text, markdown=False)
    return plain in (
        "Your answer is correct.",
        "Your answer is partially correct.",
        "Your answer is incorrect.",
    )


def _extension_error(name: str, value: str) -> str | None:
    allowed: dict[str, list[str]] = {
        "type": [t.value for t in QuestionType],
        "kind": [k.value for k in Kind],
        "origin": [o.value for o in Origin],
        "difficulty": [str(d) for d in range(DIFFICULTIES[0], DIFFICULTIES[1] + 1)],
    }
    if name == "id":
        return None if ID_FORMAT.fullmatch(value) else f"id {value!r} must be [a-z0-9-]+"
    if value not in allowed[name]:
        return f"{name}={value!r} is not one of {', '.join(allowed[name])}"
    return None


def _choice_id(index: int) -> str:
    return chr(ord("a") + index) if index < 26 else f"o{index + 1}"


# --- writing ------------------------------------------------------------------------------


def export(questions: Sequence[Question]) -> ExportResult:
    """The questions as Moodle XML with our `<quizapp>` data; what Moodle would refuse or
    misread (see `_expressible`) is returned in `skipped`."""
    root = ET.Element("quiz")
    root.append(
        ET.Comment(
            " Questions from quizapp. Each <quizapp> element lets quizapp read its question "
            "back unchanged; Moodle does not read it. "
        )
    )
    skipped = []
    exported = 0
    for question in questions:
        element = _write(question) if _expressible(question) else None
        if element is None:
            skipped.append(question)
            continue
        root.append(element)
        exported += 1
    ET.indent(root, space="  ")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        root, encoding="unicode", short_empty_elements=False
    )
    return ExportResult(text=text + "\n", exported=exported, skipped=tuple(skipped))


_MOODLE_TYPES = {
    QuestionType.SINGLE: "multichoice",
    QuestionType.MULTIPLE: "multichoice",
    QuestionType.CLASSIFY: "multichoice",
    QuestionType.TRUE_FALSE: "truefalse",
    QuestionType.SHORT: "shortanswer",
    QuestionType.NUMERIC: "numerical",
    QuestionType.YEAR: "numerical",
    QuestionType.MATCHING: "matching",
    QuestionType.ORDERING: "ordering",
}


def _write(question: Question) -> ET.Element:
    fmt = "markdown" if question.text_format is TextFormat.MARKDOWN else "plain_text"
    element = ET.Element("question", type=_MOODLE_TYPES[question.type])
    _text_element(element, "name", question.id)
    _text_element(element, "questiontext", question.prompt, fmt)
    _text_element(element, "generalfeedback", question.explanation, fmt)
    _child(element, "defaultgrade", "1")
    _child(element, "penalty", "0.3333333")
    _child(element, "hidden", "0")
    _child(element, "idnumber", question.id)
    _WRITERS[question.type](element, question, fmt)
    if question.topics:
        tags = ET.SubElement(element, "tags")
        for topic in question.topics:
            _text_element(tags, "tag", topic)
    element.append(_extension(question))
    return element


def _write_multichoice(element: ET.Element, question: Question, fmt: str) -> None:
    _child(element, "single", "false" if question.type is QuestionType.MULTIPLE else "true")
    _child(element, "shuffleanswers", "true")
    _child(element, "answernumbering", "abc")
    for choice, fraction in zip(question.choices, _fractions(question), strict=True):
        _answer(element, fraction, choice.text, choice.feedback, fmt)


def _write_truefalse(element: ET.Element, question: Question, fmt: str) -> None:
    feedback = {c.id: c.feedback for c in question.choices}
    _answer(element, _FULL if question.answer else 0, "true", feedback.get("true", ""), fmt)
    _answer(element, 0 if question.answer else _FULL, "false", feedback.get("false", ""), fmt)


def _write_short(element: ET.Element, question: Question, fmt: str) -> None:
    _child(element, "usecase", "0")
    for choice, fraction in zip(question.choices, _fractions(question), strict=True):
        _answer(element, fraction, choice.text, choice.feedback, fmt, answer_format="plain_text")


def _write_numeric(element: ET.Element, question: Question, fmt: str) -> None:
    if question.type is QuestionType.YEAR:
        accepted = [(Decimal(question.answer), Decimal(question.tolerance), _FULL, "")]
    else:
        accepted = [
            (*_centre(a), Decimal(repr(a.credit)) * 100, a.feedback) for a in question.answer
        ]
    for value, tolerance, fraction, feedback in accepted:
        text = "*" if value is None else _decimal(value)
        answer = _answer(element, fraction, text, feedback, fmt, answer_format="plain_text")
        _child(answer, "tolerance", _decimal(tolerance) if value is not None else "0")
    _child(element, "unitgradingtype", "0")
    _child(element, "unitpenalty", "0.1000000")
    _child(element, "showunits", "3")
    _child(element, "unitsleft", "0")


def _write_matching(element: ET.Element, question: Question, fmt: str) -> None:
    _child(element, "shuffleanswers", "true")
    for pair in question.pairs:
        sub = _text_element(element, "subquestion", pair.text, fmt)
        _text_element(sub, "answer", question.choice_text(question.answer[pair.id]))
    used = set(question.answer.values())
    for choice in question.choices:
        if choice.id not in used:
            sub = _text_element(element, "subquestion", "", fmt)
            _text_element(sub, "answer", choice.text)


def _write_ordering(element: ET.Element, question: Question, fmt: str) -> None:
    # Every item shown, in a vertical list, graded on items placed in the right relative
    # order as our grader does (Moodle's nearest rule; docs/moodle-xml.md).
    _child(element, "layouttype", "VERTICAL")
    _child(element, "selecttype", "ALL")
    _child(element, "selectcount", "0")
    _child(element, "gradingtype", "RELATIVE_ALL_PREVIOUS_AND_NEXT")
    _child(element, "showgrading", "SHOW")
    _child(element, "numberingstyle", "none")
    for position, choice in enumerate(question.choices, start=1):
        _answer(element, Decimal(position), choice.text, "", fmt, with_feedback=False)


_WRITERS: dict[QuestionType, Callable[[ET.Element, Question, str], None]] = {
    QuestionType.SINGLE: _write_multichoice,
    QuestionType.MULTIPLE: _write_multichoice,
    QuestionType.CLASSIFY: _write_multichoice,
    QuestionType.TRUE_FALSE: _write_truefalse,
    QuestionType.SHORT: _write_short,
    QuestionType.NUMERIC: _write_numeric,
    QuestionType.YEAR: _write_numeric,
    QuestionType.MATCHING: _write_matching,
    QuestionType.ORDERING: _write_ordering,
}


def _extension(question: Question) -> ET.Element:
    element = ET.Element(
        _EXTENSION,
        id=question.id,
        type=question.type.value,
        kind=question.kind.value,
        difficulty=str(question.difficulty),
        origin=question.origin.value,
    )
    if question.cites_source:
        _child(element, "section", question.section)
        _child(element, "quote", question.quote)
    if question.type not in (QuestionType.CLASSIFY, QuestionType.TRUE_FALSE):
        for choice in question.choices:
            entry = ET.SubElement(element, "choice", id=choice.id)
            if choice.weight is not None:
                entry.set("weight", repr(choice.weight))
            if question.type is QuestionType.SINGLE and choice.id == question.answer:
                entry.set("right", "true")
    for pair in question.pairs:
        ET.SubElement(element, "pair", id=pair.id)
    return element


def _child(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _text_element(parent: ET.Element, tag: str, text: str, fmt: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, format=fmt) if fmt else ET.SubElement(parent, tag)
    _child(element, "text", text)
    return element


def _answer(
    parent: ET.Element,
    fraction: Decimal | int,
    text: str,
    feedback: str,
    fmt: str,
    *,
    answer_format: str | None = None,
    with_feedback: bool = True,
) -> ET.Element:
    element = ET.SubElement(
        parent, "answer", fraction=_decimal(Decimal(fraction)), format=answer_format or fmt
    )
    _child(element, "text", text)
    if with_feedback:
        _text_element(element, "feedback", feedback, fmt)
    return element


def _fractions(question: Question) -> list[Decimal]:
    """Each choice's grade in percent, as Moodle reads it."""
    weights = [c.weight for c in question.choices]
    if question.type is QuestionType.MULTIPLE and all(w is None for w in weights):
        # Our partial-credit rule, written as Moodle's weights (see grading.grade).
        right = len(question.answer)
        wrong = max(len(question.choices) - right, 1)
        return [
            _percent(1 / right) if c.id in question.answer else _percent(-1 / wrong)
            for c in question.choices
        ]
    if question.type in (QuestionType.SINGLE, QuestionType.CLASSIFY):
        return [
            _FULL if c.id == question.answer else _percent(c.weight or 0.0)
            for c in question.choices
        ]
    if question.type is QuestionType.SHORT:
        return [_FULL if c.weight is None else _percent(c.weight) for c in question.choices]
    return [_percent(c.weight or 0.0) for c in question.choices]


def _percent(fraction: float) -> Decimal:
    """0.5 -> 50, 1/3 -> 33.33333333333333: the shortest decimal, read back as the same float."""
    return Decimal(repr(fraction)).scaleb(2)


def _centre(accepted: NumericAnswer) -> tuple[Decimal | None, Decimal]:
    """A range as Moodle's value ± tolerance; None for the range of every number."""
    if (accepted.low, accepted.high) == _ANY_NUMBER:
        return None, Decimal(0)
    low, high = Decimal(repr(accepted.low)), Decimal(repr(accepted.high))
    return (low + high) / 2, (high - low) / 2


def _decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


# --- what Moodle XML can carry ------------------------------------------------------------


def _expressible(question: Question) -> bool:
    """False for what Moodle would refuse or we could not read back as it is: a grade not in
    Moodle's list, text XML cannot hold or that Moodle would trim, a shape only our YAML has."""
    texts = [question.prompt, question.explanation, question.section, question.quote]
    texts += [t for c in question.choices + question.pairs for t in (c.text, c.feedback)]
    texts += [a.feedback for a in question.answer] if question.type is QuestionType.NUMERIC else []
    if not all(_xml_safe(t) and t == t.strip() for t in texts) or not question.prompt:
        return False
    if not all(ID_FORMAT.fullmatch(t) for t in question.topics):
        return False
    if any(not c.text for c in question.choices + question.pairs):
        return False
    if question.type is not QuestionType.MATCHING and question.pairs:
        return False
    if question.tolerance and question.type is not QuestionType.YEAR:
        return False
    ids = [c.id for c in question.choices]
    if len(set(ids)) != len(ids) or len({p.id for p in question.pairs}) != len(question.pairs):
        return False
    check = _SHAPES.get(question.type)
    if check is None or not check(question):
        return False
    if question.type in (QuestionType.SINGLE, QuestionType.CLASSIFY, QuestionType.MULTIPLE) or (
        question.type is QuestionType.SHORT
    ):
        return all(_moodle_grade(f) for f in _fractions(question))
    return True


def _moodle_grade(percent: Decimal) -> bool:
    fraction = abs(float(percent) / 100)
    return any(abs(fraction - allowed) < _FRACTION_TOLERANCE for allowed in _MOODLE_FRACTIONS)


def _xml_safe(text: str) -> bool:
    """No character XML 1.0 cannot hold, and no carriage return (a parser reads it as \\n)."""
    return not any(
        (ord(c) < 0x20 and c not in "\t\n") or 0xD800 <= ord(c) <= 0xDFFF or c in "\ufffe\uffff"
        for c in text
    )


def _single_shape(question: Question) -> bool:
    ids = {c.id for c in question.choices}
    return (
        len(question.choices) >= 2
        and question.answer in ids
        and question.choice(question.answer).weight in (None, 1.0)
        and all(c.weight is None or -1.0 <= c.weight <= 1.0 for c in question.choices)
    )


def _classify_shape(question: Question) -> bool:
    return _single_shape(question) and all(c.weight is None for c in question.choices)


def _multiple_shape(question: Question) -> bool:
    ids = {c.id for c in question.choices}
    if len(question.choices) < 2 or not question.answer or not set(question.answer) <= ids:
        return False
    weights = [c.weight for c in question.choices]
    if all(w is None for w in weights):
        return True
    positive = [c for c in question.choices if (c.weight or 0) > 0]
    total = sum((Decimal(repr(c.weight)) for c in positive), Decimal(0))
    return (
        round(total, 4) == 1
        and {c.id for c in positive} == set(question.answer)
        and all(w is None or -1.0 <= w <= 1.0 for w in weights)
    )


def _true_false_shape(question: Question) -> bool:
    shape = tuple((c.id, c.text) for c in question.choices)
    return not question.choices or (
        shape == (("true", "True"), ("false", "False"))
        and any(c.feedback for c in question.choices)
        and all(c.weight is None for c in question.choices)
    )


def _short_shape(question: Question) -> bool:
    return (
        bool(question.choices)
        and tuple(question.answer)
        == tuple(c.id for c in question.choices if c.weight in (None, 1.0))
        and bool(question.answer)
        and all(c.weight is None or 0.0 <= c.weight <= 1.0 for c in question.choices)
        and not any("*" in c.text for c in question.choices)
    )


def _numeric_shape(question: Question) -> bool:
    answers = question.answer
    if not answers or not any(a.credit == 1.0 for a in answers):
        return False
    for accepted in answers:
        if not (
            0.0 <= accepted.credit <= 1.0 and _moodle_grade(Decimal(repr(accepted.credit)) * 100)
        ):
            return False
        if not -NUMBER_LIMIT <= accepted.low <= accepted.high <= NUMBER_LIMIT:
            return False
        value, tolerance = _centre(accepted)
        if value is not None and (
            float(value - tolerance) != accepted.low or float(value + tolerance) != accepted.high
        ):
            return False
    return True


def _year_shape(question: Question) -> bool:
    return not question.choices and isinstance(question.answer, int)


def _matching_shape(question: Question) -> bool:
    """The choices are the pairs' right sides in pair order, then the distractors, all
    different: the order and sharing a Moodle row gives back."""
    rights = [c.id for c in question.choices[: len(question.pairs)]]
    texts = [c.text for c in question.choices]
    return (
        len(question.pairs) >= 2
        and len(set(texts)) == len(texts)
        and not any(c.feedback or c.weight is not None for c in question.choices + question.pairs)
        and len(rights) == len(question.pairs)
        and dict(question.answer) == {p.id: r for p, r in zip(question.pairs, rights, strict=True)}
    )


def _ordering_shape(question: Question) -> bool:
    return (
        len(question.choices) >= 2
        and tuple(question.answer) == tuple(c.id for c in question.choices)
        and not any(c.feedback or c.weight is not None for c in question.choices)
    )


_SHAPES: dict[QuestionType, Callable[[Question], bool]] = {
    QuestionType.SINGLE: _single_shape,
    QuestionType.CLASSIFY: _classify_shape,
    QuestionType.MULTIPLE: _multiple_shape,
    QuestionType.TRUE_FALSE: _true_false_shape,
    QuestionType.SHORT: _short_shape,
    QuestionType.NUMERIC: _numeric_shape,
    QuestionType.YEAR: _year_shape,
    QuestionType.MATCHING: _matching_shape,
    QuestionType.ORDERING: _ordering_shape,
}
