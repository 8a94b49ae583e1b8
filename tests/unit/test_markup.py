"""Teacher-written text: plain text escaped, the Markdown subset rendered, nothing executable."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markupsafe import Markup

from quizapp.domain import markup
from quizapp.domain.markup import render, render_inline
from quizapp.domain.questions import TextFormat

MD = TextFormat.MARKDOWN
REL = 'rel="noopener noreferrer nofollow"'
SUBSET_TAGS = {"p", "br", "em", "strong", "code", "ul", "ol", "li", "blockquote", "a"}
SUBSET_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}}

XSS_PAYLOADS = {
    "script tag": "<script>alert(1)</script>",
    "script tag mixed case": "<ScRiPt>alert(1)</sCrIpT>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "html anchor javascript": '<a href="javascript:alert(1)">x</a>',
    "md link javascript": "[x](javascript:alert(1))",
    "md link mixed case": "[x](JaVaScRiPt:alert(1))",
    "md link entity tab": "[x](java&#x09;script:alert(1))",
    "md link entity newline": "[x](java&#10;script:alert(1))",
    "md link raw tab": "[x](java\tscript:alert(1))",
    "md link entity letter": "[x](&#106;avascript:alert(1))",
    "md link named entity colon": "[x](javascript&colon;alert(1))",
    "md link leading space": "[x]( javascript:alert(1))",
    "md link angle brackets": "[x](<javascript:alert(1)>)",
    "md link angle brackets space": "[x](<java script:alert(1)>)",
    "md link vbscript": "[x](vbscript:msgbox(1))",
    "md link data": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md link breaking out of href": '[x](https://example.com/" onmouseover="alert(1))',
    "md link title breaking out": '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
    "svg onload": "<svg onload=alert(1)>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "html data url": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "autolink javascript": "<javascript:alert(1)>",
    "autolink data": "<data:text/html,alert(1)>",
    "reference link javascript": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "reference link entity": "[x][evil]\n\n[evil]: java&#x09;script:alert(1)",
    "image": "![x](https://example.com/a.png)",
    "image javascript": "![x](javascript:alert(1))",
    "html comment": "<!-- <script>alert(1)</script> -->",
    "object": '<object data="javascript:alert(1)"></object>',
    "form action": '<form action="javascript:alert(1)"><button>go</button></form>',
}


class _Elements(HTMLParser):
    """The elements and attributes a browser would build from the output."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def assert_nothing_executable(html: str) -> None:
    for tag, attrs in elements_of(html):
        assert tag in SUBSET_TAGS, f"<{tag}> in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name} on <{tag}> in {html!r}"
            assert name in SUBSET_ATTRIBUTES.get(tag, set()), f"{name} on <{tag}> in {html!r}"
            if name == "href":
                # What a browser acts on: C0 controls and spaces dropped, case folded.
                scheme_part = re.sub(r"[\x00-\x20]", "", value or "").lower()
                assert scheme_part.startswith(("http://", "https://", "mailto:")), html
    for danger in ("<script", "<img", "<svg", "<iframe", "<object", "<form", "<!--"):
        assert danger not in html.lower()


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<p onclick="alert(1)">x</p>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href=" JAVASCRIPT:alert(1)">x</a>',
        '<a href="/relative">x</a>',
        '<p style="color:red">x</p>',
    ],
)
def test_the_check_itself_catches_executable_html(html):
    with pytest.raises(AssertionError):
        assert_nothing_executable(html)


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_markdown_payload_renders_nothing_executable(payload):
    assert_nothing_executable(render(payload, MD))


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_inline_payload_renders_nothing_executable(payload):
    assert_nothing_executable(render_inline(payload, MD))


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_sanitiser_alone_stops_payload_if_the_parser_let_html_through(payload, monkeypatch):
    """Defence in depth: with a parser that passes raw HTML and images, nh3 still cleans."""
    monkeypatch.setattr(markup, "_PARSER", MarkdownIt("commonmark", {"html": True}))
    assert_nothing_executable(render(payload, MD))


def test_raw_html_is_shown_escaped_as_typed():
    assert render("<b>bold</b> & <i>x</i>", MD) == (
        "<p>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;x&lt;/i&gt;</p>"
    )


def test_rejected_link_stays_plain_text():
    assert render("[x](javascript:alert(1))", MD) == "<p>[x](javascript:alert(1))</p>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one\n\ntwo", "<p>one</p>\n<p>two</p>"),
        ("one\ntwo", "<p>one<br>\ntwo</p>"),
        ("*em* _em_", "<p><em>em</em> <em>em</em></p>"),
        ("**strong** __strong__", "<p><strong>strong</strong> <strong>strong</strong></p>"),
        ("`a < b`", "<p><code>a &lt; b</code></p>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
        ("3. three", '<ol start="3">\n<li>three</li>\n</ol>'),
        ("> Baker said", "<blockquote>\n<p>Baker said</p>\n</blockquote>"),
        ("AT&T", "<p>AT&amp;T</p>"),
        ("\\*not em\\*", "<p>*not em*</p>"),
    ],
    ids=[
        "paragraphs",
        "line break",
        "emphasis",
        "strong",
        "inline code",
        "bullets",
        "numbers",
        "numbers from three",
        "block quote",
        "ampersand",
        "backslash escape",
    ],
)
def test_subset_renders(text, expected):
    assert render(text, MD) == expected


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("[the memo](https://example.org/memo)", "https://example.org/memo"),
        ("[plain http](http://example.org/)", "http://example.org/"),
        ("[write](mailto:teacher@example.org)", "mailto:teacher@example.org"),
        ("<https://example.org/a>", "https://example.org/a"),
        ("[memo][m]\n\n[m]: https://example.org/memo", "https://example.org/memo"),
    ],
    ids=["https", "http", "mailto", "autolink", "reference"],
)
def test_allowed_link_gets_rel_nofollow(text, href):
    assert f'<a href="{href}" {REL}>' in render(text, MD)


@pytest.mark.parametrize("text", ["[x](/relative)", "[x](#section)", "[x](//evil.example/)"])
def test_relative_link_is_not_a_link(text):
    assert "<a" not in render(text, MD)


def test_headings_are_not_markdown_and_show_as_written():
    assert render("# Heading", MD) == "<p># Heading</p>"


def test_image_is_never_an_image():
    assert "<img" not in render("![map](https://example.org/map.png)", MD)


def test_inline_renders_without_paragraph():
    assert render_inline("*NATO* in [1990](https://example.org)", MD) == (
        f'<em>NATO</em> in <a href="https://example.org" {REL}>1990</a>'
    )


def test_inline_shows_block_syntax_as_written():
    assert render_inline("- not a list", MD) == "- not a list"


@pytest.mark.parametrize("render_fn", [render, render_inline])
def test_plain_text_is_escaped(render_fn):
    assert render_fn("<b>Kohl</b> & *Genscher*", TextFormat.PLAIN) == (
        "&lt;b&gt;Kohl&lt;/b&gt; &amp; *Genscher*"
    )


@pytest.mark.parametrize("text_format", list(TextFormat))
def test_result_is_markup_so_templates_do_not_escape_it_twice(text_format):
    assert isinstance(render("a & b", text_format), Markup)
    assert isinstance(render_inline("a & b", text_format), Markup)


def test_format_given_as_its_stored_string_is_accepted():
    assert render("*x*", "markdown") == render("*x*", MD)


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        render("x", "html")


def test_rendering_is_pure():
    text = "[memo][m] and *more*\n\n[m]: https://example.org/memo"
    first = render(text, MD)
    render("[m]: https://evil.example/\n\n[memo][m]", MD)
    assert render(text, MD) == first


def test_a_reference_definition_does_not_reach_the_next_render():
    render("[m]: https://example.org/memo", MD)
    assert "<a" not in render("[memo][m]", MD)


MARKDOWN_PIECES = [
    *"<>[]()!*_`#-:;&/\\\"' \t\n=a1",
    *["javascript", "java", "script", "data", "onload", "&#x09;", "&#10;", "&colon;"],
    *["http://", "mailto:", ". "],
]
MARKDOWNISH = st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWNISH)
def test_any_text_renders_only_the_subset(text):
    assert_nothing_executable(render(text, MD))
    assert_nothing_executable(render_inline(text, MD))
