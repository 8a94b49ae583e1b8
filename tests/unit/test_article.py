"""The article split into sections: complete, in order, and searchable for verbatim quotes."""

import re
from pathlib import Path

import pytest

from quizapp.domain.article import load_article, search_passages, split_sentences

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


def paragraph(section: str, index: int) -> str:
    return ARTICLE.section(section).paragraphs[index].text


def test_sentences_split_at_full_stops_but_not_after_initials_and_keep_closing_quotes():
    assert split_sentences(paragraph("1", 1)) == [
        "In January and February 1990, with the Soviet Union still intact, Western leaders—such "
        "as U.S. Secretary of State James Baker, German Foreign Minister Hans‑Dietrich Genscher "
        "and German Chancellor Helmut Kohl—repeatedly made remarks in Moscow and Bonn relating "
        "to Soviet security interests.",
        "For example, on 31 January 1990, Genscher suggested that the process of German "
        "reunification must not impair Soviet security interests and thus “NATO should rule out "
        "an ‘expansion of its territory towards the east, i.e. moving it closer to the Soviet "
        "borders.’”",
    ]


@pytest.mark.parametrize(
    ("section", "index", "count"),
    [
        ("5", 2, 1),  # George H.W. Bush tells Gorbachev the U.S. will not …
        ("2.2", 0, 2),  # … by NATO or the U.S. to the Soviet Union … by Baker et al. were …
        ("2.1", 0, 3),  # … argues: “For decades … maintained … that US Secretary …”
        ("6.3", 0, 4),  # … assurances (e.g., “not one inch”) contributed …
        ("5", 3, 2),  # … (Two Plus Four) signed; … This treaty does not …
    ],
)
def test_real_sentences_of_the_article_are_split_where_they_end(section, index, count):
    assert len(split_sentences(paragraph(section, index))) == count


def test_abbreviations_decimals_and_ellipses_do_not_end_a_sentence():
    text = "Mr. Baker met Dr. Kohl. Trade grew 3.5 percent in 1990. Then... Nothing. “Quoted.” Yes?"
    assert split_sentences(text) == [
        "Mr. Baker met Dr. Kohl.",
        "Trade grew 3.5 percent in 1990.",
        "Then... Nothing.",
        "“Quoted.”",
        "Yes?",
    ]


def test_the_sentences_of_every_paragraph_make_up_the_paragraph():
    for section in ARTICLE.sections:
        for p in section.paragraphs:
            assert " ".join(split_sentences(p.text)) == p.text


def test_a_search_finds_the_sentences_holding_every_word_case_aside():
    hits = search_passages(ARTICLE, "NOT one Inch")
    assert [h.section for h in hits] == ["1", "2.1", "4.4", "5", "6.3"]
    assert hits[0].title == "The Historical Context: 1989-1991 and the Collapse of the Soviet Bloc"
    assert hits[0].text.startswith("On 9 February 1990, in Moscow, Baker asked Gorbachev")
    for hit in hits:
        assert hit.paragraph[hit.start : hit.end] == hit.text
        assert ARTICLE.section(hit.section).paragraphs[hit.paragraph_index].text == hit.paragraph
        assert {"not", "one", "inch"} <= set(re.findall(r"\w+", hit.text.lower()))


def test_a_search_typed_with_straight_quotes_finds_typographic_ones():
    (hit,) = search_passages(ARTICLE, "nato's present")
    assert "NATO’s present military jurisdiction" in hit.text


def test_search_words_match_the_start_of_words():
    assert search_passages(ARTICLE, "encircle")[0].section == "4.1"
    assert search_passages(ARTICLE, "ncirclement") == []


def test_words_in_neighbouring_sentences_make_one_hit_of_both():
    (hit,) = search_passages(ARTICLE, "1999 Baltic")
    assert hit.text == (
        "In 1999 the alliance admitted Poland, Hungary and the Czech Republic—former Warsaw "
        "Pact members. In 2004 it further enlarged to include several Baltic states (Estonia, "
        "Latvia, Lithuania), Slovakia, Slovenia and others."
    )


def test_a_search_keeps_to_a_section_and_its_subsections():
    assert {h.section for h in search_passages(ARTICLE, "NATO", section="2.1")} == {"2.1"}
    assert {h.section for h in search_passages(ARTICLE, "NATO", section="2")} == {
        "2.1",
        "2.2",
        "2.3",
    }
    assert search_passages(ARTICLE, "NATO", section="9") == []


def test_an_empty_search_lists_the_sentences_of_a_section_up_to_the_limit():
    hits = search_passages(ARTICLE, "  ", section="4.1")
    assert [h.text[:30] for h in hits] == [
        "The feeling of being misled be",
        "Moscow interpreted NATO expans",
        "This insecurity has fueled Rus",
    ]
    assert len(search_passages(ARTICLE, "", section="5", limit=4)) == 4
    assert search_passages(ARTICLE, "") == []


def test_a_search_returns_at_most_limit_hits():
    assert len(search_passages(ARTICLE, "NATO", limit=5)) == 5
