"""HTML from another system (Moodle's editor) turned into our plain text or Markdown subset.

Raw HTML is never kept. The HTML is first cleaned by nh3 against the tags our Markdown
subset can express (`markup.py`): everything else is unwrapped to its text, and scripts and
styles are dropped with their content. What remains is written as:

| HTML                               | Markdown                 | plain text        |
| ---------------------------------- | ------------------------ | ----------------- |
| `<p>`, `<div>`, headings           | a paragraph (blank line) | a blank line      |
| `<br>`                             | a line break             | a line break      |
| `<strong>`, `<b>`                  | `**text**`               | text              |
| `<em>`, `<i>`                      | `*text*`                 | text              |
| `<code>`                           | `` `text` ``             | text              |
| `<a href="https://…">`             | `[text](https://…)`      | text              |
| `<ul>`/`<ol>` with `<li>`          | `- item` / `1. item`     | the same lines    |
| `<blockquote>`                     | `> text`                 | text              |

Whitespace is collapsed as a browser shows it, entities are decoded, and in Markdown the
characters the subset would read as markup (`* _ ` [ ] \\ &`, and a `-`, `+`, `>` or
`1.` opening a line) are escaped. `has_markup` tells whether the Markdown form is needed
at all: text with no emphasis, code, link, list or quote reads the same as plain text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

_KEPT_TAGS = {
    "p",
    "div",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "code",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li"}
_MEANINGLESS = {"span", "html", "head", "body", "meta"}
_MARKUP = {"strong", "b", "em", "i", "code", "a", "ul", "ol", "blockquote"}
_WRAP = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_SPACES = re.compile(r"[ \t\r\n\f]+")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]&<])")
_LINE_START = re.compile(r"^(\s*)([-+>#]|\d+[.)])", re.MULTILINE)


def clean(html: str) -> str:
    """`html` with only the tags we can express, links only to http, https and mailto."""
    return nh3.clean(
        html,
        tags=_KEPT_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        url_relative="deny",
        link_rel=None,
        strip_comments=True,
    )


def has_markup(html: str) -> bool:
    """True when the cleaned HTML holds something only Markdown can show (emphasis, links…)."""
    finder = _TagFinder()
    finder.feed(clean(html))
    finder.close()
    return bool(finder.tags & _MARKUP)


def dropped_tags(html: str) -> list[str]:
    """The tags of `html` that neither Markdown nor plain text can keep, in order (a <span>
    aside: editors sprinkle it without meaning)."""
    finder = _TagFinder()
    finder.feed(html)
    finder.close()
    return sorted(finder.tags - _KEPT_TAGS - _MEANINGLESS)


def to_text(html: str, *, markdown: bool) -> str:
    """The cleaned HTML as our Markdown subset (`markdown=True`) or as plain text."""
    writer = _Writer(markdown)
    writer.feed(clean(html))
    writer.close()
    return writer.result()


def escape_markdown(text: str) -> str:
    """Plain text written so that our Markdown subset shows it as it is."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m[1] + _escape_opening(m[2]), text)


def _escape_opening(mark: str) -> str:
    if mark[0].isdigit():
        return mark[:-1] + "\\" + mark[-1]
    return "\\" + mark


class _TagFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a" or dict(attrs).get("href"):
            self.tags.add(tag)


class _Writer(HTMLParser):
    """Writes blocks as paragraphs and list items, inline markup as Markdown; one buffer per
    open inline tag, so that a tag's text is known when it closes."""

    def __init__(self, markdown: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.markdown = markdown
        self.blocks: list[tuple[str, str]] = []  # ("para" or "item", text), in order
        self.stack: list[tuple[str, str | None, list[str]]] = [("", None, [])]
        self.lists: list[list] = []  # [tag, next number] of each open list
        self.marker: str | None = None  # the list marker of the item being written
        self.quote_depth = 0

    # --- inline content ---

    def handle_data(self, data: str) -> None:
        text = _SPACES.sub(" ", data)
        if self.markdown and self.stack[-1][0] != "code":
            text = escape_markdown(text)
        self.stack[-1][2].append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.stack[-1][2].append("\n")
        elif tag in _BLOCKS:
            self.flush()
            if tag in ("ul", "ol"):
                self.lists.append([tag, 1])
            elif tag == "blockquote":
                self.quote_depth += 1
            elif tag == "li":
                self.marker = "- "
                if self.lists and self.lists[-1][0] == "ol":
                    self.marker = f"{self.lists[-1][1]}. "
                    self.lists[-1][1] += 1
        else:
            self.stack.append((tag, dict(attrs).get("href"), []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.flush()
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            elif tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
        elif len(self.stack) > 1 and self.stack[-1][0] == tag:
            self.close_inline()

    def close_inline(self) -> None:
        tag, href, parts = self.stack.pop()
        text = "".join(parts)
        inner = text.strip(" ")
        if self.markdown and inner.strip():
            lead = " " if text.startswith(" ") else ""
            trail = " " if text.endswith(" ") else ""
            if tag in _WRAP:
                inner = f"{_WRAP[tag]}{inner}{_WRAP[tag]}"
            elif tag == "code":
                fence = "``" if "`" in inner else "`"
                inner = f"{fence}{inner}{fence}"
            elif tag == "a" and href:
                target = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
                inner = f"[{inner}]({target})"
            text = lead + inner + trail
        self.stack[-1][2].append(text)

    # --- blocks ---

    def flush(self) -> None:
        """Ends the paragraph or list item being written, closing any inline tag left open."""
        while len(self.stack) > 1:
            self.close_inline()
        text = _lines("".join(self.stack[0][2]))
        self.stack[0][2].clear()
        if not text:
            return
        if self.marker is not None:
            indent = "   " * max(0, len(self.lists) - 1)
            text = indent + self.marker + text.replace("\n", "\n" + indent + "   ")
        if self.markdown and self.quote_depth:
            prefix = "> " * self.quote_depth
            text = "\n".join(prefix + line for line in text.split("\n"))
        self.blocks.append(("item" if self.marker is not None else "para", text))
        self.marker = None

    def close(self) -> None:
        super().close()
        self.flush()

    def result(self) -> str:
        out: list[str] = []
        previous = None
        for kind, text in self.blocks:
            if out:
                out.append("\n" if kind == previous == "item" else "\n\n")
            out.append(text)
            previous = kind
        return "".join(out).strip()


def _lines(text: str) -> str:
    """Each line without the spaces a browser would not show around it."""
    return "\n".join(line.strip() for line in text.split("\n")).strip("\n")
