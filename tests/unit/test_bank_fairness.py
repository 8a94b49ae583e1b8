"""The shipped bank gives no answer away by its form, and asks no claim that is not one
position's alone (README, "Fair questions")."""

from pathlib import Path

import pytest

from quizapp.domain.bank import load_bank, read_question_document
from quizapp.domain.cues import (
    BANK_CLEAR_MAX,
    BANK_LONGEST_MAX,
    BANK_MULTIPLE_RATIO_MAX,
    bank_figures,
    question_cues,
)
from quizapp.domain.grading import grade
from quizapp.domain.rounds import generate_questions
from quizapp.domain.rulebook import check_warnings

BANK = load_bank(Path(__file__).resolve().parents[2] / "questions")
NAMED_IN_THE_ISSUE = [
    "order-russian-responses",
    "mismatch-to-conflict-chain",
    "scepticism-rooted-partly",
    "dispute-first-question",
    "three-questions-of-dispute",
]


def test_the_bank_meets_the_length_thresholds():
    figures = bank_figures(BANK.questions)
    assert figures.single >= 40 and figures.multiple >= 10
    assert figures.single_longest_share <= BANK_LONGEST_MAX
    assert figures.single_clear_share <= BANK_CLEAR_MAX
    assert figures.multiple_ratio <= BANK_MULTIPLE_RATIO_MAX


def test_no_shipped_question_has_an_unexplained_warning():
    assert [(q.id, check_warnings(q)) for q in BANK.questions if check_warnings(q)] == []


@pytest.mark.parametrize("question_id", NAMED_IN_THE_ISSUE)
def test_the_items_found_guessable_have_no_cue(question_id):
    [question] = [q for q in BANK.questions if q.id == question_id]
    assert question_cues(question) == []


def test_the_absolute_word_is_gone_from_the_scepticism_statement():
    [question] = [q for q in BANK.questions if q.id == "scepticism-rooted-partly"]
    assert "entirely" not in question.prompt


def test_the_no_binding_commitment_claim_is_marked_and_never_asked_which_position():
    claim = next(c for c in BANK.claims if c.id == "western-no-binding-commitment")
    assert "own voice" in claim.not_distinctive
    asked = {q.id for q in generate_questions(BANK)}
    assert "gen-claim-western-no-binding-commitment" not in asked
    assert "gen-claim-western-issue-is-moot" in asked  # distinctive claims still are


def test_a_which_position_question_on_a_non_distinctive_claim_is_refused():
    text = """\
questions:
  - id: my-classify
    type: classify
    kind: interpretation
    prompt: "Which position described in the article holds this claim? — No binding commitment."
    answer: western
    section: "2.2"
    quote: 'no formal, legally binding commitment was ever made by NATO or the U.S.'
    explanation: Western scholars say so.
    difficulty: 2
    topics: [perspectives]
"""
    questions, problems = read_question_document(text, "mine.yaml", BANK, require_source=True)
    assert questions == [] or problems
    assert any("“western-no-binding-commitment” is not one position's alone" in p for p in problems)


@pytest.mark.parametrize(
    ("question_id", "response"),
    [
        ("typed-two-plus-four-name", "Two-Plus-Four"),
        ("typed-two-plus-four-name", "two plus four treaty"),
        ("typed-two-plus-four-name", "2 + 4"),
        ("typed-baker-not-one-inch", "James A. Baker III"),
        ("typed-baker-not-one-inch", "James A Baker"),
        ("typed-baker-not-one-inch", "james baker iii"),
        ("typed-munich-city", "Munchen"),
    ],
)
def test_shipped_short_answers_accept_the_usual_variants(question_id, response):
    [question] = [q for q in BANK.questions if q.id == question_id]
    assert grade(question, response).correct
