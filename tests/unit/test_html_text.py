"""HTML from Moodle's editor as our Markdown subset or plain text: never raw HTML."""

import pytest

from quizapp.domain.formats.html_text import escape_markdown, has_markup, to_text
from quizapp.domain.markup import render
from quizapp.domain.questions import TextFormat


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>Baker <strong>met</strong> Gorbachev</p>", "Baker **met** Gorbachev"),
        ("<p>Baker <b>met <i>him</i> </b>there</p>", "Baker **met *him*** there"),
        ("<p>One</p><p>Two<br>lines</p>", "One\n\nTwo\nlines"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<ol><li>x<ul><li>y</li></ul></li><li>z</li></ol>", "1. x\n   - y\n2. z"),
        ('<a href="https://example.org/a b">site</a>', "[site](https://example.org/a%20b)"),
        ('<a href="javascript:alert(1)">site</a>', "site"),
        ("<code>a*b</code>", "`a*b`"),
        ("<blockquote><p>q</p></blockquote>", "> q"),
        ("<h2>Title</h2><p>text</p>", "Title\n\ntext"),
        ("<p>2 * 3 &amp; [x]</p>", "2 \\* 3 \\& \\[x\\]"),
        ("<div>1. not a list</div>", "1\\. not a list"),
        ("<script>alert(1)</script><style>p{}</style>Left", "Left"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "ab"),
    ],
)
def test_html_becomes_markdown(html, markdown):
    assert to_text(html, markdown=True) == markdown


def test_plain_text_keeps_the_words_and_paragraphs_only():
    html = '<p>Baker <b>met</b> <a href="https://x.org">him</a> &amp; 2 * 3</p><ul><li>a</li></ul>'
    assert to_text(html, markdown=False) == "Baker met him & 2 * 3\n\n- a"


def test_markup_is_found_only_where_markdown_is_needed():
    assert has_markup("<p>Baker <em>met</em> him</p>")
    assert has_markup('<a href="https://x.org">x</a>')
    assert not has_markup("<p>Baker met him</p><p>Two<br>lines</p>")
    assert not has_markup('<span style="color:red">red</span><img src="x.png">')


@pytest.mark.parametrize("text", ["*not emphasis*", "[not](a link)", "- not a list", "a & b"])
def test_escaped_plain_text_renders_as_typed(text):
    assert render(escape_markdown(text), TextFormat.MARKDOWN).striptags() == text
