"""Export then import: the shipped bank and hand-built questions come back equal through GIFT,
and Aiken keeps what it can carry (prompt, option texts, which option is right)."""

from itertools import chain, combinations
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizapp.domain.bank import load_bank
from quizapp.domain.formats import aiken, gift
from quizapp.domain.grading import fold_text, grade
from quizapp.domain.questions import (
    Choice,
    Kind,
    NumericAnswer,
    Origin,
    Question,
    QuestionType,
    TextFormat,
)

BAKER_QUOTE = "On 9 February 1990, in Moscow, Baker asked Gorbachev"


@pytest.fixture(scope="module")
def bank():
    return load_bank(Path(__file__).resolve().parents[2] / "questions")


def through_gift(questions, bank) -> tuple[Question, ...]:
    exported = gift.export(questions)
    assert exported.skipped == ()
    result = gift.parse(exported.text, "export.gift.txt", bank)
    assert result.problems == ()
    return result.questions


# --- GIFT: the shipped bank ---------------------------------------------------------------


def test_every_expressible_question_of_the_bank_comes_back_equal(bank):
    exported = gift.export(bank.questions)
    result = gift.parse(exported.text, "bank.gift.txt", bank)
    assert result.problems == ()
    expressible = [q for q in bank.questions if q.type is not QuestionType.ORDERING]
    assert list(result.questions) == expressible


def test_only_the_ordering_questions_of_the_bank_are_skipped(bank):
    exported = gift.export(bank.questions)
    orderings = [q for q in bank.questions if q.type is QuestionType.ORDERING]
    assert orderings
    assert list(exported.skipped) == orderings
    assert exported.exported == len(bank.questions) - len(orderings)


def _subsets(ids):
    return chain.from_iterable(combinations(ids, n) for n in range(1, len(ids) + 1))


def _moodle_score(text_block: str, chosen_texts: set[str]) -> float:
    """What Moodle gives a multiple-answer question: the chosen weights' sum within 0..1."""
    total = 0.0
    for line in text_block.splitlines():
        line = line.strip()
        if line.startswith("~%"):
            percent, text = line[2:].split("%", 1)
            if text in chosen_texts:
                total += float(percent) / 100
    return max(0.0, min(1.0, total))


def test_derived_weights_make_moodle_score_as_our_grader(bank):
    multiples = [
        q
        for q in bank.questions
        if q.type is QuestionType.MULTIPLE and all(c.weight is None for c in q.choices)
    ]
    assert multiples
    for question in multiples:
        block = gift.export([question]).text
        assert "weights=derived" in block
        for chosen in _subsets([c.id for c in question.choices]):
            texts = {question.choice_text(i) for i in chosen}
            ours = grade(question, frozenset(chosen)).score
            assert _moodle_score(block, texts) == pytest.approx(ours, abs=1e-4), (
                question.id,
                chosen,
            )


# --- GIFT: hand-built questions -----------------------------------------------------------


def a_question(qtype: QuestionType, answer, **fields) -> Question:
    base = dict(
        id=f"hand-{qtype.value.replace('_', '-')}",
        type=qtype,
        kind=Kind.FACT,
        prompt="Who met Gorbachev in Moscow on 9 February 1990?",
        section="1",
        quote=BAKER_QUOTE,
        explanation="Section 1 tells of Baker's visit.",
        answer=answer,
        difficulty=2,
        topics=("baker", "1990-talks"),
        origin=Origin.TEACHER,
    )
    return Question(**(base | fields))


HAND_BUILT = [
    a_question(
        QuestionType.SHORT,
        ("a", "b"),
        choices=(
            Choice("a", "Baker"),
            Choice("b", "James Baker", "Full name, well done."),
            Choice("c", "the Secretary of State", "Name him.", 0.5),
            Choice("d", "Bush", "He was at Malta.", 0.0),
        ),
    ),
    a_question(
        QuestionType.NUMERIC,
        (
            NumericAnswer(1990, 1990, 1.0, "Right: February 1990."),
            NumericAnswer(1989, 1991, 0.5, "Within a year."),
            NumericAnswer(1989.5, 1990.25, 0.25),
            NumericAnswer(-1e15, 1e15, 0.0, "Not even close."),
        ),
        prompt="In which year did Baker go to Moscow?",
    ),
    a_question(
        QuestionType.NUMERIC,
        (NumericAnswer(3.13, 3.15), NumericAnswer(-0.5, 0.1, 1 / 3)),
        prompt="A number near pi?",
        section="",
        quote="",
        explanation="",
        topics=(),
    ),
    a_question(
        QuestionType.SINGLE,
        "b",
        choices=(
            Choice("a", "Kohl", "He was in Bonn.", 0.0),
            Choice("b", "Baker", "Yes."),
            Choice("c", "The US Secretary of State", "That is Baker: half marks.", 0.5),
            Choice("d", "Bush", weight=-0.25),
        ),
    ),
    a_question(
        QuestionType.MULTIPLE,
        frozenset({"a", "b", "c"}),
        choices=(
            Choice("a", "Baker", weight=1 / 3),
            Choice("b", "Gorbachev", weight=0.3333333),
            Choice("c", "Shevardnadze", weight=0.3333334),
            Choice("d", "Kohl", "Not in this meeting.", -1.0),
            Choice("e", "Bush"),
        ),
        prompt="Who were at the Moscow meeting?",
    ),
    a_question(
        QuestionType.MULTIPLE,
        frozenset({"a", "d"}),
        choices=(
            Choice("a", "Baker", "Yes."),
            Choice("b", "Kohl"),
            Choice("c", "Bush"),
            Choice("d", "Gorbachev"),
        ),
        prompt="Who were at the Moscow meeting?",
    ),
    a_question(
        QuestionType.TRUE_FALSE,
        False,
        choices=(Choice("true", "True", "No: he went."), Choice("false", "False", "Right.")),
        prompt="Baker stayed in Washington.",
    ),
    a_question(
        QuestionType.TRUE_FALSE,
        True,
        choices=(Choice("true", "True", ""), Choice("false", "False", "He did go.")),
        prompt="Baker went to Moscow.",
    ),
    a_question(
        QuestionType.MATCHING,
        {"p1": "a", "p2": "b", "p3": "c"},
        pairs=(Choice("p1", "Baker"), Choice("p2", "Bush"), Choice("p3", "Gorbachev")),
        choices=(
            Choice("a", "Moscow"),
            Choice("b", "Malta"),
            Choice("c", "Moscow, then Malta"),
            Choice("d", "Bonn"),
        ),
        prompt="Where was each of them in 1989-1990?",
    ),
    a_question(
        QuestionType.YEAR,
        1990,
        tolerance=1,
        kind=Kind.INTERPRETATION,
        origin=Origin.AUTHORED,
        text_format=TextFormat.MARKDOWN,
        prompt="In **which year** did Baker say *not one inch*?",
        explanation="See [section 1](#s-1).",
    ),
    a_question(
        QuestionType.SINGLE,
        "a",
        prompt="Escapes: ~ = # { } : \\ and a line\nbreak; [plain] mid-text; -> arrow",
        choices=(
            Choice("a", "[markdown] is literal here", "#1 = {right}"),
            Choice("b", "a ~ b: c"),
        ),
        explanation="####not general feedback\\n",
    ),
    a_question(
        QuestionType.SINGLE,
        "b",
        prompt="Baker _____ Gorbachev in Moscow.",
        choices=(Choice("a", "phoned"), Choice("b", "met")),
    ),
]


@pytest.mark.parametrize("question", HAND_BUILT, ids=lambda q: f"{q.id}-{q.prompt[:20]}")
def test_a_hand_built_question_comes_back_equal(question, bank):
    assert through_gift([question], bank) == (question,)


def test_classify_comes_back_with_perspective_ids(bank):
    (classify,) = [q for q in bank.questions if q.type is QuestionType.CLASSIFY][:1]
    assert through_gift([classify], bank) == (classify,)
    assert {c.id for c in classify.choices} == {p.id for p in bank.perspectives}


TRICKY = (
    st.lists(
        st.sampled_from(
            [*"~=#{}:\\%->./ aT*", "\n", "####", "[plain]", "[markdown]", "%50%", "::"]
        ),
        min_size=1,
        max_size=10,
    )
    .map("".join)
    .map(str.strip)
    .filter(bool)
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    qtype=st.sampled_from([QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.SHORT]),
    prompt=TRICKY,
    # Distinct as the rulebook tells options apart (`fold_text`), punctuation folded.
    texts=st.lists(TRICKY, min_size=2, max_size=5, unique_by=fold_text),
    feedback=TRICKY,
    explanation=TRICKY,
    text_format=st.sampled_from(list(TextFormat)),
)
def test_texts_full_of_gift_syntax_come_back_equal(
    bank, qtype, prompt, texts, feedback, explanation, text_format
):
    choices = tuple(
        Choice(chr(ord("a") + i), text, feedback if i == 1 else "") for i, text in enumerate(texts)
    )
    answer = {
        QuestionType.SINGLE: "a",
        QuestionType.MULTIPLE: frozenset({"a"}),
        QuestionType.SHORT: tuple(c.id for c in choices),
    }[qtype]
    question = a_question(
        qtype,
        answer,
        prompt=prompt,
        choices=choices,
        explanation=explanation,
        text_format=text_format,
    )
    exported = gift.export([question])
    # What Moodle would misread (an option starting like a weight, '->' in a short answer)
    # is skipped by design, never written wrong.
    assume(not exported.skipped)
    assert gift.parse(exported.text, "prop.gift", bank).questions == (question,)


# --- Aiken --------------------------------------------------------------------------------


def test_aiken_keeps_prompt_options_and_answer_of_every_single_question(bank):
    exported = aiken.export(bank.questions)
    result = aiken.parse(exported.text, "bank.aiken.txt", bank)
    assert result.problems == ()
    singles = [q for q in bank.questions if q.type is QuestionType.SINGLE]
    assert [(q.prompt, q.choices, q.answer) for q in result.questions] == [
        (q.prompt, q.choices, q.answer) for q in singles
    ]


def test_aiken_skips_every_question_that_is_not_single(bank):
    exported = aiken.export(bank.questions)
    others = [q for q in bank.questions if q.type is not QuestionType.SINGLE]
    assert list(exported.skipped) == others
    assert exported.exported == len(bank.questions) - len(others)


def test_aiken_keeps_a_prompt_of_several_lines(bank):
    question = a_question(
        QuestionType.SINGLE,
        "a",
        prompt="In February 1990\nwho went to Moscow?",
        choices=(Choice("a", "Baker"), Choice("b", "Kohl")),
    )
    (back,) = aiken.parse(aiken.export([question]).text, "x.aiken.txt", bank).questions
    assert (back.prompt, back.choices, back.answer) == (
        question.prompt,
        question.choices,
        question.answer,
    )
