"""The shipped bank covers what the product promises: every section, every dated moment,
both narratives and the gray area, every question type, at least 60 authored questions."""

from pathlib import Path

import pytest

from quizapp.domain.bank import load_bank
from quizapp.domain.questions import Origin, QuestionType

BANK = load_bank(Path(__file__).resolve().parents[2] / "questions")

# Each dated moment, and words that name it in the article's terms.
DATED_MOMENTS = {
    "1989-11-09": "Berlin Wall",
    "1989-12": "Malta",
    "1990-01-31": "Genscher",
    "1990-02-09": "not one inch",
    "1990-09-12": "Two Plus Four",
    "1999": "1999",
    "2004": "2004",
    "2007": "Munich",
    "2008": "Georgia",
    "2014": "Crimea",
    "2022": "2022",
}


def test_at_least_sixty_authored_questions():
    assert sum(q.origin is Origin.AUTHORED for q in BANK.questions) >= 60


def test_every_section_with_text_is_cited_by_a_question():
    cited = {q.section for q in BANK.questions}
    with_text = {s.number for s in BANK.article.sections if s.paragraphs}
    assert with_text - cited == set()


@pytest.mark.parametrize(("date", "name"), DATED_MOMENTS.items())
def test_every_dated_moment_is_on_the_timeline_and_asked_about(date, name):
    assert [e for e in BANK.events if e.date == date], f"no event dated {date}"
    authored = [q for q in BANK.questions if q.origin is Origin.AUTHORED]
    assert any(name in q.prompt + q.explanation + q.quote for q in authored), name


def test_timeline_follows_real_dates_not_the_articles_list_order():
    keys = [e.sort_key for e in BANK.events]
    assert keys == sorted(keys)
    malta = next(e for e in BANK.events if e.date == "1989-12")
    genscher = next(e for e in BANK.events if e.date == "1990-01-31")
    assert BANK.events.index(malta) < BANK.events.index(genscher)


def test_both_narratives_and_the_gray_area_have_claims():
    ids = {p.id: p for p in BANK.perspectives}
    for needed in ("russian", "western", "gray-area"):
        assert ids[needed].claims, needed


def test_every_question_type_is_authored():
    assert {q.type for q in BANK.questions} == set(QuestionType)


def test_each_of_the_three_questions_of_section_2_3_is_asked():
    dispute = BANK.article.section("2.3")
    bullets = [i for i, p in enumerate(dispute.paragraphs) if p.is_item]
    assert len(bullets) == 3
    asked = {
        BANK.article.find(q.quote).paragraph
        for q in BANK.questions
        if q.section == "2.3" and BANK.article.find(q.quote)
    }
    assert set(bullets) <= asked


def test_interpretation_and_fact_questions_both_exist():
    kinds = {q.kind.value for q in BANK.questions}
    assert kinds == {"fact", "interpretation"}
