"""The source article, split into its numbered sections, and the search for a verbatim quote.

The article is the authority for every question: a quote counts only if it is
found in one paragraph of it, word for word (runs of whitespace aside).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
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

    def find(self, quote: str, section: str | None = None) -> Passage | None:
        """The first paragraph holding `quote` verbatim, whitespace aside (of `section`
        alone, when given); None if none does.

        A plain substring search in paragraphs whose runs of whitespace are made one
        space: an import checks thousands of quotes, and compiling a pattern for each
        cost more than the search.
        """
        wanted = " ".join(quote.split())
        if not wanted:
            return None
        for where, index, flat, offsets in self._flat_paragraphs:
            if section is not None and where.number != section:
                continue
            start = flat.find(wanted)
            if start >= 0:
                return Passage(where, index, offsets[start], offsets[start + len(wanted) - 1] + 1)
        return None

    @cached_property
    def _flat_paragraphs(self) -> list[tuple[Section, int, str, list[int]]]:
        """Each paragraph with its whitespace runs made one space, and where each of its
        characters is in the paragraph's own text."""
        flat = []
        for section in self.sections:
            for index, paragraph in enumerate(section.paragraphs):
                chars, offsets = [], []
                for match in re.finditer(r"\S+", paragraph.text):
                    if chars:
                        chars.append(" ")
                        offsets.append(match.start() - 1)
                    chars.append(match.group())
                    offsets.extend(range(match.start(), match.end()))
                flat.append((section, index, "".join(chars), offsets))
        return flat


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


# --- the passage picker -----------------------------------------------------

# The article's typographic characters and what people type instead, one for one, so that a
# query typed with a straight apostrophe finds "NATO’s".
_TYPED = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "‑": "-"})

# Words ending in a full stop that do not end a sentence, even before a capital.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "al",
        "cf",
        "gen",
        "sen",
        "rep",
        "gov",
        "pres",
        "lt",
        "col",
        "capt",
        "rev",
        "fig",
        "approx",
        "inc",
        "ltd",
        "corp",
        "dept",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")  # U.S.  H.W.  e.g.  J.
_OPENERS = "“‘\"'(["
_SENTENCE_END = re.compile(r"[.!?][”’\"')\]]*(?=\s)")
_MOST_SENTENCES_PER_HIT = 3


@dataclass(frozen=True)
class PassageHit:
    """Sentences of one paragraph, verbatim: `paragraph[start:end] == text`.

    `text` is usable as a question's quote for `section` as it is.
    """

    section: str  # the section number
    title: str
    text: str
    paragraph: str  # the whole paragraph, for context
    paragraph_index: int  # its position in the section, as `Passage.paragraph`
    start: int
    end: int


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, covering it but the spaces between.

    A sentence ends at . ! or ? (with any closing quotes or brackets after it) followed
    by a space and a capital, a digit or an opening quote. A full stop does not end one
    after an abbreviation ("Mr.", "et al.") or initials ("U.S.", "George H.W. Bush"), nor
    in an ellipsis or a decimal number (no space follows the point).
    """
    spans = []
    start = _skip_spaces(text, 0)
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        following = _skip_spaces(text, end)
        if following >= len(text) or not _starts_sentence(text[following : following + 8]):
            continue
        if text[match.start()] == "." and _is_abbreviation(text[start : match.start() + 1]):
            continue
        spans.append((start, end))
        start = following
    if start < len(text.rstrip()):
        spans.append((start, len(text.rstrip())))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each verbatim (see `sentence_spans`)."""
    return [text[start:end] for start, end in sentence_spans(text)]


def _skip_spaces(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _starts_sentence(rest: str) -> bool:
    first = rest.lstrip(_OPENERS)[:1]
    return first.isupper() or first.isdigit()


def _is_abbreviation(sentence: str) -> bool:
    """Whether the last word of `sentence`, which ends in a full stop, is not a sentence end."""
    if sentence.endswith(".."):
        return True  # an ellipsis typed as three full stops
    word = sentence.split()[-1].lstrip(_OPENERS)
    return _INITIALS.fullmatch(word) is not None or word[:-1].casefold() in _ABBREVIATIONS


def search_passages(
    article: Article, query: str, *, section: str | None = None, limit: int = 20
) -> list[PassageHit]:
    """The sentences of the article holding every word of `query`, in article order.

    A word matches where a word of the article starts with it, case aside, and a straight
    quote or hyphen matches a typographic one ("nato's" finds “NATO’s”). When no single
    sentence holds every word, the fewest consecutive sentences of one paragraph that do
    (at most 3) make one hit. `section` keeps to that section and its subsections ("2"
    searches 2.1 to 2.3); with it, an empty query lists every sentence there. Without a
    section an empty query finds nothing. At most `limit` hits.
    """
    words = query.translate(_TYPED).casefold().split()
    if limit <= 0 or (not words and section is None):
        return []
    patterns = [re.compile(r"(?<!\w)" + re.escape(word)) for word in words]
    hits: list[PassageHit] = []
    for chosen in article.sections:
        if section is not None and not (
            chosen.number == section or chosen.number.startswith(section + ".")
        ):
            continue
        for index, paragraph in enumerate(chosen.paragraphs):
            text = paragraph.text
            for start, end in _matching_runs(text, sentence_spans(text), patterns):
                hits.append(
                    PassageHit(
                        chosen.number, chosen.title, text[start:end], text, index, start, end
                    )
                )
                if len(hits) == limit:
                    return hits
    return hits


def _matching_runs(
    text: str, spans: list[tuple[int, int]], patterns: list[re.Pattern[str]]
) -> list[tuple[int, int]]:
    """The shortest runs of consecutive sentences that together match every pattern."""
    if not patterns:
        return spans
    found = [
        {i for i, p in enumerate(patterns) if p.search(text[s:e].translate(_TYPED).casefold())}
        for s, e in spans
    ]
    ends: dict[int, int] = {}  # first sentence of a run -> its last sentence
    for first in range(len(spans)):
        covered: set[int] = set()
        for last in range(first, min(len(spans), first + _MOST_SENTENCES_PER_HIT)):
            covered |= found[last]
            if len(covered) == len(patterns):
                ends[first] = last
                break
    # A run is shortest unless the run from the next sentence ends at the same place.
    return [
        (spans[first][0], spans[last][1])
        for first, last in ends.items()
        if ends.get(first + 1) != last
    ]
