"""Reading and writing Aiken: single-choice questions, each problem with its line."""

from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.domain.article import Article, Paragraph, Section
from quizapp.domain.formats import aiken
from quizapp.domain.questions import (
    Bank,
    Choice,
    Kind,
    NumericAnswer,
    Origin,
    Question,
    QuestionType,
)

BANK = Bank(
    events=(),
    perspectives=(),
    questions=(),
    article=Article((Section("1", "Moscow", (Paragraph("Baker met Gorbachev."),)),)),
)


def parse(text: str, filename: str = "week-1.aiken.txt"):
    return aiken.parse(dedent(text), filename, BANK)


def read(text: str) -> tuple[Question, ...]:
    result = parse(text)
    assert result.problems == ()
    return result.questions


def problems(text: str) -> tuple[str, ...]:
    result = parse(text)
    assert result.questions == ()
    return result.problems


# --- reading ----------------------------------------------------------------------------


def test_a_question_its_options_and_its_answer():
    (question,) = read(
        """\
        Who met Gorbachev in Moscow on 9 February 1990?
        A. Helmut Kohl
        B. James Baker
        C. George H.W. Bush
        ANSWER: B
        """
    )
    assert question.type is QuestionType.SINGLE
    assert question.prompt == "Who met Gorbachev in Moscow on 9 February 1990?"
    assert question.choices == (
        Choice("a", "Helmut Kohl"),
        Choice("b", "James Baker"),
        Choice("c", "George H.W. Bush"),
    )
    assert question.answer == "b"


def test_options_may_be_written_with_a_parenthesis():
    (question,) = read("Who?\nA) Kohl\nB) Baker\nANSWER: A\n")
    assert [c.text for c in question.choices] == ["Kohl", "Baker"]
    assert question.answer == "a"


def test_the_question_text_may_span_lines():
    (question,) = read("In February 1990\nwho went to Moscow?\nA. Kohl\nB. Baker\nANSWER: B\n")
    assert question.prompt == "In February 1990\nwho went to Moscow?"


def test_questions_follow_one_another_with_or_without_blank_lines():
    questions = read(
        """\
        One?
        A. a
        B. b
        ANSWER: A

        Two?
        A. a
        B. b
        ANSWER: B
        Three?
        A. a
        B. b
        ANSWER: A
        """
    )
    assert [q.prompt for q in questions] == ["One?", "Two?", "Three?"]
    assert [q.answer for q in questions] == ["a", "b", "a"]


def test_an_imported_question_is_an_uncited_fact_named_after_the_file():
    questions = read("One?\nA. a\nB. b\nANSWER: A\n\nTwo?\nA. a\nB. b\nANSWER: B\n")
    assert [q.id for q in questions] == ["week-1-1", "week-1-2"]
    question = questions[0]
    assert (question.kind, question.difficulty, question.origin) == (
        Kind.FACT,
        1,
        Origin.TEACHER,
    )
    assert (question.section, question.quote, question.explanation) == ("", "", "")
    assert not question.cites_source


# --- problems ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Who?\nA. Kohl\nB. Baker\n",
            "week-1.aiken.txt:1: question 1: no ANSWER line: the file ends first",
        ),
        (
            "Who?\nA. Kohl\nB. Baker\n\nNext?\nA. a\nB. b\nANSWER: A\n",
            "week-1.aiken.txt:1: question 1: no ANSWER line after the options",
        ),
        (
            "Who?\nA. Kohl\nB. Baker\nANSWER: C\n",
            "week-1.aiken.txt:4: question 1: answer 'C' is not among the options A-B",
        ),
        (
            "Who?\nA. Kohl\nANSWER: A\n",
            "week-1.aiken.txt:3: question 1: "
            "A single-choice question has 2 to 20 options; this one has 1.",
        ),
        (
            "Who?\nA. Kohl\nC. Baker\nANSWER: A\n",
            "week-1.aiken.txt:3: question 1: option letter C is out of order: expected B",
        ),
        (
            "A. Kohl\nB. Baker\nANSWER: A\n",
            "week-1.aiken.txt:1: an option comes before any question text",
        ),
        (
            "Who?\nA. Kohl\nB. Baker\nAnswer: A\n",
            "week-1.aiken.txt:4: question 1: write the answer line as 'ANSWER: B'",
        ),
        ("ANSWER: A\n", "week-1.aiken.txt:1: ANSWER line without a question before it"),
    ],
    ids=[
        "no-answer-at-end",
        "no-answer-before-next",
        "answer-not-an-option",
        "one-option",
        "letters-out-of-order",
        "option-first",
        "lowercase-answer",
        "answer-alone",
    ],
)
def test_each_problem_names_its_line(text, expected):
    assert expected in problems(text)


def test_one_problem_imports_nothing():
    result = parse("Fine?\nA. a\nB. b\nANSWER: A\n\nBroken?\nA. a\nB. b\nANSWER: Z\n")
    assert result.questions == ()
    assert result.problems == (
        "week-1.aiken.txt:9: question 2: answer 'Z' is not among the options A-B",
    )


def test_an_empty_file_is_a_problem():
    assert problems("\n\n") == ("week-1.aiken.txt:1: no questions found",)


AIKEN_LINES = st.sampled_from(
    ["Who?", "A. Kohl", "B) Baker", "C. Bush", "ANSWER: A", "ANSWER: C", "answer: b", "", "Z. x"]
)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.one_of(AIKEN_LINES, st.text(max_size=30)), max_size=20))
def test_any_text_gives_questions_or_problems_never_both(lines):
    result = aiken.parse("\n".join(lines), "any.txt", BANK)
    assert bool(result.questions) != bool(result.problems)


# --- writing ----------------------------------------------------------------------------


def a_single(**fields) -> Question:
    base = dict(
        id="baker",
        type=QuestionType.SINGLE,
        kind=Kind.INTERPRETATION,
        prompt="Who met Gorbachev?",
        section="1",
        quote="Baker met Gorbachev.",
        explanation="Section 1 says so.",
        answer="b",
        choices=(Choice("a", "Kohl"), Choice("b", "Baker", "Yes.")),
    )
    return Question(**(base | fields))


def test_export_writes_letters_and_the_answer():
    result = aiken.export([a_single()])
    assert result.text == "Who met Gorbachev?\nA. Kohl\nB. Baker\nANSWER: B\n"
    assert result.exported == 1


def test_export_keeps_only_prompt_options_and_answer():
    (question,) = read(aiken.export([a_single()]).text)
    assert (question.prompt, question.answer) == ("Who met Gorbachev?", "b")
    assert question.choices == (Choice("a", "Kohl"), Choice("b", "Baker"))
    assert (question.explanation, question.section, question.kind) == ("", "", Kind.FACT)


@pytest.mark.parametrize(
    "question",
    [
        a_single(type=QuestionType.TRUE_FALSE, answer=True, choices=()),
        a_single(type=QuestionType.MULTIPLE, answer=frozenset({"a", "b"})),
        a_single(type=QuestionType.CLASSIFY),
        a_single(type=QuestionType.NUMERIC, answer=(NumericAnswer(1990, 1990),), choices=()),
        a_single(prompt="Pick one:\nA. this line looks like an option"),
        a_single(prompt="First line\n\nafter a blank line"),
        a_single(choices=(Choice("a", "Kohl\nof Germany"), Choice("b", "Baker"))),
    ],
    ids=[
        "true-false",
        "multiple",
        "classify",
        "numeric",
        "option-like-prompt",
        "blank-prompt-line",
        "two-line-option",
    ],
)
def test_export_skips_what_aiken_cannot_hold(question):
    result = aiken.export([question])
    assert (result.exported, result.skipped, result.text) == (0, (question,), "")


def test_more_options_than_letters_is_a_problem_not_a_crash():
    options = "".join(f"A. Option {i}\n" for i in range(30))
    found = problems(f"Who?\n{options}ANSWER: A\n")
    assert found[-1] == (
        "week-1.aiken.txt:32: question 1: "
        "A single-choice question has 2 to 20 options; this one has 30."
    )
