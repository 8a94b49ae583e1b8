"""The source article, split into its numbered sections, and the search for a verbatim quote.

The article is the authority for every question: a quote counts only if it is
found in one paragraph of it, word for word (runs of whitespace aside).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

HEADING = re.compile(r"^# (?P<number>\d+(?:\.\d+)?) (?P<title>.+)$")


class ArticleError(ValueError):
    """The source files are malformed; the message names the file and line."""


@dataclass(frozen=True)
class Paragraph:
    text: str
    is_item: bool = False  # a bullet of a list


@dataclass(frozen=True)
class Section:
    number: str  # "0" is the introduction before section 1
    title: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def anchor(self) -> str:
        return "s-" + self.number.replace(".", "-")

    @property
    def level(self) -> int:
        return self.number.count(".") + 1


@dataclass(frozen=True)
class Passage:
    """Where a quote lies: its section, its paragraph and the span within that paragraph."""

    section: Section
    paragraph: int
    start: int
    end: int


def section_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


@dataclass(frozen=True)
class Article:
    sections: tuple[Section, ...]

    def section(self, number: str) -> Section:
        for section in self.sections:
            if section.number == number:
                return section
        raise KeyError(number)

    def has_section(self, number: str) -> bool:
        return any(s.number == number for s in self.sections)

    def find(self, quote: str) -> Passage | None:
        """The first paragraph holding `quote` verbatim, whitespace aside; None if none does."""
        pattern = quote_pattern(quote)
        if pattern is None:
            return None
        for section in self.sections:
            for index, paragraph in enumerate(section.paragraphs):
                match = pattern.search(paragraph.text)
                if match:
                    return Passage(section, index, match.start(), match.end())
        return None


def quote_pattern(quote: str) -> re.Pattern[str] | None:
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def load_article(directory: Path) -> Article:
    """Read `questions/source/*.md`: each file one section, `# NUMBER TITLE` then paragraphs.

    Paragraphs are separated by blank lines; a paragraph starting `- ` is a list item.
    """
    sections = []
    for path in sorted(directory.glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        heading = HEADING.match(lines[0]) if lines else None
        if heading is None:
            raise ArticleError(f"{path}:1: the first line must be '# NUMBER TITLE'")
        paragraphs = []
        for line in lines[1:]:
            if not line.strip():
                continue
            if line.startswith("- "):
                paragraphs.append(Paragraph(line[2:].strip(), is_item=True))
            else:
                paragraphs.append(Paragraph(line.strip()))
        sections.append(Section(heading["number"], heading["title"].strip(), tuple(paragraphs)))
    if not sections:
        raise ArticleError(f"{directory}: no section files (*.md)")
    numbers = [s.number for s in sections]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise ArticleError(f"{directory}: section numbers used twice: {', '.join(duplicates)}")
    return Article(tuple(sorted(sections, key=lambda s: section_key(s.number))))
