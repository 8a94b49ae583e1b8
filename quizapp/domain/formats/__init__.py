"""Import and export formats for questions: our YAML, Moodle GIFT, Aiken and Moodle XML.

Each format module offers `parse(text, filename, bank, skip_unsupported) -> ImportResult`
and `export(questions) -> ExportResult`, and knows nothing of Flask or the database.
`bank` gives the article (a quote is checked verbatim against it) and the
perspectives (classify questions). An import is all or nothing: a caller
stores `questions` only when `problems` is empty. A question of a type this app does not
have (an essay, say) is a problem too, unless `skip_unsupported` asks to leave such
questions out: then the rest is read and each one left out is listed in `skipped`.

A parser reads its own syntax only. Every question it builds goes to
`rulebook.check_question(question, bank.article, bank.perspectives, require_source=False)`,
and each `Problem` is reported at the `file:line` its `field` was written on: the limits,
weights, characters and the quote are the rulebook's, never the format's. A parser that
could build thousands of options asks `rulebook.count_problem` first. `parse` below
refuses a text over `MAX_IMPORT_BYTES` before any parser sees it; every parser is linear
in its input (`python -m bench imports` measures each registered format).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quizapp.domain.questions import Bank, Question, QuestionType


@dataclass(frozen=True)
class ImportResult:
    """What a file would import: every question, or every problem as `file:line: message`.

    A question that cites no passage has `section == quote == ""`
    (`Question.cites_source` is False): it is imported, marked as needing a source,
    and kept out of student rounds until a teacher cites one.
    """

    questions: tuple[Question, ...]
    problems: tuple[str, ...] = ()
    # Questions of types this app does not have, left out on request, as `file:line: …`.
    skipped: tuple[str, ...] = ()
    # What an imported question loses without changing its grading, as `file:line: …`.
    notes: tuple[str, ...] = ()
    # How many of `problems` are questions of types this app does not have (skippable).
    unsupported: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts_by_type(self) -> dict[str, int]:
        counted = Counter(q.type.value for q in self.questions)
        return {t.value: counted[t.value] for t in QuestionType if counted[t.value]}

    @property
    def without_source(self) -> int:
        return sum(not q.cites_source for q in self.questions)


@dataclass(frozen=True)
class ExportResult:
    """The exported text, and the questions the format cannot express (left out, not hidden)."""

    text: str
    exported: int
    skipped: tuple[Question, ...] = ()

    def skipped_by_type(self) -> dict[str, int]:
        return dict(Counter(q.type.value for q in self.skipped))


# The most text an import reads, in UTF-8 bytes, however it comes: an upload, the text a
# preview sends back, a file on the command line. Every parser is linear in its input, so
# this bounds the time an import may take (a few seconds at most).
MAX_IMPORT_BYTES = 1_000_000

Parser = Callable[[str, str, Bank, bool], ImportResult]
Exporter = Callable[[Sequence[Question]], ExportResult]


def _registry() -> dict[str, tuple[Parser, Exporter]]:
    from quizapp.domain.formats import aiken, gift, moodle_xml, yaml_format

    return {
        "yaml": (yaml_format.parse, yaml_format.export),
        "gift": (gift.parse, gift.export),
        "aiken": (aiken.parse, aiken.export),
        "xml": (moodle_xml.parse, moodle_xml.export),
    }


FORMAT_NAMES = ("yaml", "gift", "aiken", "xml")
EXTENSIONS = {"yaml": ".yaml", "gift": ".gift.txt", "aiken": ".aiken.txt", "xml": ".xml"}


def guess_format(filename: str) -> str | None:
    """The format a file name suggests: .yaml/.yml, .gift, .aiken, .xml, or None."""
    name = filename.lower()
    if name.endswith(".xml"):
        return "xml"
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    if name.endswith((".gift", ".gift.txt")):
        return "gift"
    if name.endswith(".aiken.txt") or name.endswith(".aiken"):
        return "aiken"
    return None


def too_large(text: str) -> bool:
    """True when `text` holds more than `MAX_IMPORT_BYTES` once encoded as UTF-8."""
    # No encoding needed when even one byte a character is too many, or four are few enough.
    if len(text) > MAX_IMPORT_BYTES or len(text) * 4 <= MAX_IMPORT_BYTES:
        return len(text) > MAX_IMPORT_BYTES
    return len(text.encode("utf-8", "surrogatepass")) > MAX_IMPORT_BYTES


def parse(
    format_name: str, text: str, filename: str, bank: Bank, *, skip_unsupported: bool = False
) -> ImportResult:
    """The file's questions in `format_name`, or its problems; a text over
    `MAX_IMPORT_BYTES` is refused unread."""
    if too_large(text):
        return ImportResult(
            questions=(),
            problems=(
                f"{filename}: larger than 1 MB of text; split it into smaller files "
                "and import each",
            ),
        )
    return _registry()[format_name][0](text, filename, bank, skip_unsupported)


def export(format_name: str, questions: Sequence[Question]) -> ExportResult:
    return _registry()[format_name][1](questions)
