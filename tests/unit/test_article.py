"""The article split into sections: complete, in order, and searchable for verbatim quotes."""

from pathlib import Path

import pytest

from quizapp.domain.article import load_article

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = load_article(ROOT / "questions" / "source")
ORIGINAL = ROOT.parent / "shared" / "source" / "000_a0a59b90dd94d1d7.txt"


def test_sections_run_from_the_introduction_to_the_conclusion_in_order():
    numbers = [s.number for s in ARTICLE.sections]
    assert numbers[0] == "0" and numbers[-1] == "8"
    assert numbers[:4] == ["0", "1", "2", "2.1"]
    assert ARTICLE.section("2.3").title == "Where the Disagreement Lies"


def test_the_split_holds_every_line_of_the_original_article_in_order():
    if not ORIGINAL.exists():
        pytest.skip(f"the original article is not beside the repository ({ORIGINAL})")
    original = ORIGINAL.read_text(encoding="utf-8").split("Meta Description")[0]
    expected = [line.strip() for line in original.splitlines() if line.strip() not in ("", "-")]
    split = []
    for section in ARTICLE.sections:
        if section.number != "0":
            separator = ". " if "." not in section.number else " "
            split.append(f"{section.number}{separator}{section.title}")
        split.extend(p.text for p in section.paragraphs)
    assert split == expected


def test_a_quote_is_found_whatever_its_whitespace():
    passage = ARTICLE.find("the Berlin Wall\n  fell on 9 November")
    assert passage is not None
    assert passage.section.number == "1"
    paragraph = passage.section.paragraphs[passage.paragraph].text
    assert paragraph[passage.start : passage.end] == "the Berlin Wall fell on 9 November"


@pytest.mark.parametrize(
    "quote",
    [
        "the Berlin Wall fell on 10 November",  # a changed word
        "not one inch of NATO's present",  # a straight apostrophe for the article's ’
        "Baker asked Gorbachev whether he preferred a unified Germany outside NATO or inside, but "
        "with the assurance that “not one inch of NATO’s present military jurisdiction will "
        "spread in an eastern direction.” These remarks",  # runs across two paragraphs
        "   ",
    ],
)
def test_a_quote_that_is_not_verbatim_in_one_paragraph_is_not_found(quote):
    assert ARTICLE.find(quote) is None
