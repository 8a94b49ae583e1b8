"""Rounds built from the shipped bank: no question asked twice in another guise."""

import random
from pathlib import Path

import pytest

from quizapp.domain.bank import load_bank
from quizapp.domain.questions import QuestionType
from quizapp.domain.rounds import (
    YEAR_PATTERN,
    RoundError,
    RoundSpec,
    build_round,
    generate_questions,
    prepare,
)

BANK = load_bank(Path(__file__).resolve().parents[2] / "questions")
SEEDS = range(120)


def words(question) -> set[int]:
    texts = [question.prompt, question.explanation, question.quote]
    texts += [c.text for c in (*question.choices, *question.pairs)]
    return {int(y) for t in texts for y in YEAR_PATTERN.findall(t)}


@pytest.mark.parametrize("length", [10, 20])
def test_no_year_question_shares_a_round_with_its_answer_written_elsewhere(length):
    for seed in SEEDS:
        questions = build_round(BANK, RoundSpec(length=length), random.Random(seed))
        for q in questions:
            if q.type is QuestionType.YEAR:
                others = [o for o in questions if o is not q]
                assert all(q.answer not in words(o) for o in others), (seed, q.id)


@pytest.mark.parametrize("length", [10, 20])
def test_no_claim_or_event_is_asked_twice_in_a_round(length):
    quotes_of = {c.quote: c.id for c in BANK.claims} | {e.quote: e.id for e in BANK.events}
    for seed in SEEDS:
        questions = build_round(BANK, RoundSpec(length=length), random.Random(seed))
        cited = [quotes_of[q.quote] for q in questions if q.quote in quotes_of]
        assert len(cited) == len(set(cited)), seed


def test_the_encirclement_claim_is_not_asked_twice():
    """A reviewer found the authored and the generated form of one claim in one round."""
    for seed in SEEDS:
        ids = {q.id for q in build_round(BANK, RoundSpec(length=20), random.Random(seed))}
        assert not {"classify-encirclement", "gen-claim-russian-strategic-encirclement"} <= ids


@pytest.mark.parametrize(("spec"), [RoundSpec(topic="1989"), RoundSpec(section="3.1")])
def test_no_year_question_whose_year_the_round_choice_names(spec):
    named = {"1989"} if spec.topic else {"1999", "2004"}
    for seed in range(30):
        for q in build_round(BANK, spec, random.Random(seed)):
            assert not (q.type is QuestionType.YEAR and str(q.answer) in named), (seed, q.id)


def test_a_prepared_bank_draws_as_an_unprepared_one_and_never_an_excluded_question():
    """The app's bank keeps each scope's pool between rounds; the pool must not change a
    round, and a round's exclusions (a learner's open tests) must not stick to the pool."""
    prepared = load_bank(Path(__file__).resolve().parents[2] / "questions")
    prepare(prepared)
    excluded = frozenset(q.id for q in BANK.questions[::2])
    for seed in range(40):
        for spec in (RoundSpec(length=10), RoundSpec(length=10, exclude=excluded)):
            fresh = build_round(BANK, spec, random.Random(seed))
            kept = build_round(prepared, spec, random.Random(seed))
            assert [q.id for q in kept] == [q.id for q in fresh]
            assert not {q.id for q in kept} & spec.exclude
    assert build_round(prepared, RoundSpec(length=10), random.Random(1))  # nothing stuck


def test_a_scope_whose_every_question_is_excluded_is_refused():
    every = frozenset(q.id for q in generate_questions(BANK)) | {q.id for q in BANK.questions}
    with pytest.raises(RoundError, match="No question matches"):
        build_round(BANK, RoundSpec(length=5, exclude=every), random.Random(0))
