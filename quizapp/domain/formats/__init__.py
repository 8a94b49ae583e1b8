"""Import and export formats for questions: our YAML, Moodle GIFT and Aiken.

Each format module offers `parse(text, filename, bank) -> ImportResult` and
`export(questions) -> ExportResult`, and knows nothing of Flask or the database.
`bank` gives the article (a quote is checked verbatim against it) and the
perspectives (classify questions). An import is all or nothing: a caller
stores `questions` only when `problems` is empty.
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


Parser = Callable[[str, str, Bank], ImportResult]
Exporter = Callable[[Sequence[Question]], ExportResult]


def _registry() -> dict[str, tuple[Parser, Exporter]]:
    from quizapp.domain.formats import aiken, gift, yaml_format

    return {
        "yaml": (yaml_format.parse, yaml_format.export),
        "gift": (gift.parse, gift.export),
        "aiken": (aiken.parse, aiken.export),
    }


FORMAT_NAMES = ("yaml", "gift", "aiken")
EXTENSIONS = {"yaml": ".yaml", "gift": ".gift.txt", "aiken": ".aiken.txt"}


def guess_format(filename: str) -> str | None:
    """The format a file name suggests: .yaml/.yml, .gift, or None when it cannot tell."""
    name = filename.lower()
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    if name.endswith((".gift", ".gift.txt")):
        return "gift"
    if name.endswith(".aiken.txt") or name.endswith(".aiken"):
        return "aiken"
    return None


def parse(format_name: str, text: str, filename: str, bank: Bank) -> ImportResult:
    return _registry()[format_name][0](text, filename, bank)


def export(format_name: str, questions: Sequence[Question]) -> ExportResult:
    return _registry()[format_name][1](questions)
