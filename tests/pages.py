"""Reading the tables of a page as a person would: cell text without the visually hidden
parts, each cell's class and links."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    """A table cell: its text without the visually hidden parts, its class and its links."""

    tag: str
    css: str
    text: str = ""
    links: list[str] = field(default_factory=list)


@dataclass
class Table:
    css: str
    caption: str = ""
    rows: list[list[Cell]] = field(default_factory=list)

    def row(self, first: str) -> list[Cell]:
        """The one row whose first cell reads `first`."""
        found = [r for r in self.rows if r and r[0].text == first]
        assert len(found) == 1, f"{len(found)} rows start with {first!r}"
        return found[0]


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self._table: Table | None = None
        self._cell: Cell | None = None
        self._in_caption = False
        self._spans: list[bool] = []  # for each open span: is it visually hidden?

    def handle_starttag(self, tag, attrs):
        css = dict(attrs).get("class") or ""
        if tag == "table":
            self._table = Table(css)
            self.tables.append(self._table)
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._table is not None:
            self._table.rows.append([])
        elif tag in ("td", "th") and self._table is not None and self._table.rows:
            self._cell = Cell(tag, css)
            self._table.rows[-1].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell.links.append(dict(attrs).get("href") or "")
        elif tag == "span":
            self._spans.append("visually-hidden" in css.split())
        elif tag == "br" and self._cell is not None:
            self._cell.text += " "

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._cell.text = " ".join(self._cell.text.split())
            self._cell = None
        elif tag == "span" and self._spans:
            self._spans.pop()

    def handle_data(self, data):
        if self._in_caption and self._table is not None:
            self._table.caption += data
        elif self._cell is not None and not any(self._spans):
            self._cell.text += data


def tables(page: str) -> list[Table]:
    parser = _TableParser()
    parser.feed(page)
    return parser.tables


def table(page: str, *, css: str | None = None, caption: str | None = None) -> Table:
    """The one table of the page with that class, or whose caption starts with `caption`."""
    found = [
        t
        for t in tables(page)
        if (css is None or css in t.css.split())
        and (caption is None or " ".join(t.caption.split()).startswith(caption))
    ]
    assert len(found) == 1, f"{len(found)} tables match class={css!r} caption={caption!r}"
    return found[0]
