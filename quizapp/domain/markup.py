"""Teacher-written text as safe HTML: plain text escaped, or a small Markdown subset.

The subset: paragraphs, line breaks (a single newline is a line break, as in a chat
message), *emphasis*, **strong**, `inline code`, bullet and numbered lists, block quotes,
and links to http, https and mailto addresses (inline, reference-style or autolinks), each
with rel="noopener noreferrer nofollow". Nothing else is Markdown here: raw HTML is shown
escaped, as typed; images, tables and code blocks are not parsed; headings are not demoted
but left out, so a line starting with `#` shows as written. A link to any other scheme
(javascript:, data:, vbscript:, relative paths) stays plain text.

Two independent layers, so a bug in one does not become a hole: markdown-it-py with raw
HTML off and only the subset's rules on, then nh3 (ammonia) cleaning the output against
an allow-list of the tags and attributes the subset can produce.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from quizapp.domain.questions import TextFormat

__all__ = ["render", "render_inline"]

LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# Checked on the URL as markdown-it hands it over: entities decoded, then percent-encoded,
# so `java&#x09;script:` arrives as `java%09script:` and fails the match like any scheme
# not listed. Only an allowed scheme at the very start passes; relative URLs do not.
_ALLOWED_URL = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)

_BLOCK_RULES = ["paragraph", "blockquote", "list", "reference"]
_INLINE_RULES = ["text", "newline", "escape", "backticks", "emphasis", "link", "autolink", "entity"]

_ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "code", "ul", "ol", "li", "blockquote", "a"})
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def _is_allowed_link(url: str) -> bool:
    return bool(_ALLOWED_URL.match(url))


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt(
        "zero", {"html": False, "breaks": True, "linkify": False, "typographer": False}
    )
    parser.enable(_BLOCK_RULES + _INLINE_RULES)
    parser.validateLink = _is_allowed_link  # type: ignore[method-assign]
    return parser


# Shared, never mutated after this line: each render gets its own parse state and env.
_PARSER = _build_parser()


def _clean(html: str) -> Markup:
    cleaned = nh3.clean(
        html,
        tags=set(_ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(LINK_SCHEMES),
        url_relative="deny",
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(cleaned.strip())


def render(text: str, text_format: TextFormat) -> Markup:
    """`text` as HTML safe to put in a page, for prompts, explanations and feedback.

    Plain text is escaped and nothing more (newlines stay newlines); Markdown yields block
    HTML (`<p>`, lists, quotes), so put it in a block element. Pure: the same arguments
    give the same result, and nothing from one call (a reference definition, say) reaches
    another.
    """
    if TextFormat(text_format) is TextFormat.PLAIN:
        return escape(text)
    return _clean(_PARSER.render(text))


def render_inline(text: str, text_format: TextFormat) -> Markup:
    """Like `render`, but one run of inline HTML without `<p>`, lists or quotes: for choice
    labels and other places inside a line. Block syntax (`- `, `> `) shows as written."""
    if TextFormat(text_format) is TextFormat.PLAIN:
        return escape(text)
    return _clean(_PARSER.renderInline(text))
