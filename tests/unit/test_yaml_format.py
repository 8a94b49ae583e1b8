"""Our YAML format: export then parse gives the same questions; a broken file imports nothing."""

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.domain.bank import load_bank
from quizapp.domain.formats import yaml_format
from quizapp.domain.grading import fold_text
from quizapp.domain.questions import (
    Choice,
    Kind,
    NumericAnswer,
    Origin,
    Question,
    QuestionType,
    TextFormat,
)
from quizapp.domain.rounds import generate_questions

BANK = load_bank(Path(__file__).resolve().parents[2] / "questions")
BAKER_QUOTE = "On 9 February 1990, in Moscow, Baker asked Gorbachev"


def round_trip(questions) -> tuple[Question, ...]:
    exported = yaml_format.export(questions)
    assert exported.skipped == ()
    result = yaml_format.parse(exported.text, "export.yaml", BANK)
    assert result.problems == ()
    return result.questions


def as_imported(questions) -> tuple[Question, ...]:
    """The questions as an import gives them: every origin is Origin.TEACHER."""
    return tuple(replace(q, origin=Origin.TEACHER) for q in questions)


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
    )
    return Question(**(base | fields))


def a_document(body: str) -> str:
    return "questions:\n" + body


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The number of the `nth` line of `text` that contains `needle`."""
    lines = text.splitlines()
    return [number for number, line in enumerate(lines, start=1) if needle in line][nth - 1]


# --- round trips ----------------------------------------------------------------


def test_whole_shipped_bank_round_trips():
    assert round_trip(BANK.questions) == as_imported(BANK.questions)


def test_shipped_bank_holds_every_type_it_had_before_short_and_numeric():
    older = set(QuestionType) - {QuestionType.SHORT, QuestionType.NUMERIC}
    assert older <= {q.type for q in BANK.questions}


def test_generated_questions_keep_their_event_and_slug_ids():
    generated = generate_questions(BANK)

    assert round_trip(generated) == as_imported(generated)


HAND_BUILT = [
    a_question(
        QuestionType.SHORT,
        ("a", "c"),
        choices=(
            Choice("a", "James Baker", feedback="Yes."),
            Choice("b", "Baker", feedback="His full name, please.", weight=0.5),
            Choice("c", "Secretary Baker", weight=1.0),
            Choice("d", "Genscher", weight=0.0, feedback="He spoke in Tutzing."),
        ),
    ),
    a_question(
        QuestionType.NUMERIC,
        (
            NumericAnswer(1990.0, 1990.0),
            NumericAnswer(1989.5, 1990.5, credit=0.75, feedback="Close."),
            NumericAnswer(0.1, 0.3, credit=0.25),
            NumericAnswer(-(10.0**15), 10.0**15, credit=0.0, feedback="Any other number."),
        ),
        id="hand-numeric-ranges",
    ),
    a_question(QuestionType.NUMERIC, (NumericAnswer(3.0, 3.0),)),
    a_question(
        QuestionType.SINGLE,
        "baker",
        choices=(
            Choice("baker", "James Baker", feedback="He asked about a unified Germany."),
            Choice("kohl", "Helmut Kohl", weight=1 / 3),
            Choice("bush", "George H.W. Bush", weight=-0.25),
        ),
    ),
    a_question(
        QuestionType.MULTIPLE,
        frozenset({"c1", "c3"}),
        choices=(
            Choice("c1", "Poland", weight=0.5),
            Choice("c2", "Estonia", weight=-1.0, feedback="Estonia joined in 2004."),
            Choice("c3", "Hungary", weight=0.5),
        ),
    ),
    a_question(
        QuestionType.TRUE_FALSE,
        False,
        choices=(Choice("true", "True", "No: the talks were oral."), Choice("false", "False")),
    ),
    a_question(
        QuestionType.YEAR,
        1990,
        tolerance=1,
        text_format=TextFormat.MARKDOWN,
        prompt="In **what year** did Baker say:\n\n> not one inch\n\n- in Moscow\n- to Gorbachev",
        explanation="See *section 1*.\nA line break, kept.",
    ),
    a_question(
        QuestionType.MATCHING,
        {"inch": "baker", "p2": "b"},
        pairs=(Choice("inch", "“not one inch”"), Choice("p2", "“rule out”")),
        choices=(
            Choice("baker", "James Baker"),
            Choice("b", "Hans-Dietrich Genscher"),
            Choice("kohl", "Helmut Kohl"),
        ),
    ),
    a_question(
        QuestionType.ORDERING,
        ("c2", "c3", "c1"),
        choices=(
            Choice("c2", "The Berlin Wall falls"),
            Choice("c3", "Genscher speaks"),
            Choice("c1", "Baker in Moscow"),
        ),
    ),
    a_question(
        QuestionType.CLASSIFY,
        "russian",
        kind=Kind.INTERPRETATION,
        choices=tuple(Choice(p.id, p.name) for p in BANK.perspectives),
        section="",
        quote="",
    ),
]


@pytest.mark.parametrize("question", HAND_BUILT, ids=lambda q: q.id)
def test_hand_built_question_round_trips(question):
    assert round_trip([question]) == as_imported([question])


def test_round_trip_keeps_the_order_of_the_questions():
    assert [q.id for q in round_trip(HAND_BUILT)] == [q.id for q in HAND_BUILT]


def test_export_writes_the_new_fields_as_the_contract_shows():
    short = replace(HAND_BUILT[0], choices=HAND_BUILT[0].choices[:2], answer=("a",))

    text = yaml_format.export([short]).text

    assert text == (
        "questions:\n"
        "  - id: hand-short\n"
        "    type: short\n"
        "    kind: fact\n"
        "    prompt: Who met Gorbachev in Moscow on 9 February 1990?\n"
        "    answers:\n"
        "      - text: James Baker\n"
        "        feedback: Yes.\n"
        "      - text: Baker\n"
        "        weight: 50\n"
        "        feedback: His full name, please.\n"
        "    section: '1'\n"
        "    quote: On 9 February 1990, in Moscow, Baker asked Gorbachev\n"
        "    explanation: Section 1 tells of Baker's visit.\n"
        "    difficulty: 2\n"
        "    topics: [baker, 1990-talks]\n"
    )


def test_export_writes_a_weight_with_the_digits_it_needs_to_read_back():
    # 1/3 is no float divided by 100; the exact decimal of 1/3 with its point moved is.
    text = yaml_format.export([HAND_BUILT[3]]).text

    assert "weight: 33.33333333333333\n" in text
    assert "weight: -25\n" in text


def test_export_writes_ids_only_where_they_differ_from_the_loaders():
    text = yaml_format.export([HAND_BUILT[7]]).text

    assert "left_id: inch" in text
    assert "right_id: baker" in text
    assert "left_id: p2" not in text
    assert "right_id: b\n" not in text
    assert "id: kohl" in text


def test_export_writes_a_numeric_range_as_value_and_tolerance_when_exact():
    text = yaml_format.export([HAND_BUILT[1]]).text

    assert "      - value: 1990\n        tolerance: 0.5\n        weight: 75\n" in text
    assert "      - low: 0.1\n        high: 0.3\n        weight: 25\n" in text


def test_multi_line_text_is_written_as_a_block():
    text = yaml_format.export([HAND_BUILT[6]]).text

    assert "    text_format: markdown\n" in text
    assert "    prompt: |-\n      In **what year** did Baker say:\n\n      > not one inch\n" in text


# Any text the loader keeps (stripped, not empty, no control character), Unicode line
# breaks and all.
TEXTS = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
FEEDBACK = st.one_of(st.just(""), TEXTS)


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(TEXTS, min_size=1, max_size=6, unique_by=fold_text),
    weights=st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=6, max_size=6),
    feedback=st.lists(FEEDBACK, min_size=6, max_size=6),
    prompt=TEXTS,
)
def test_any_short_question_round_trips(texts, weights, feedback, prompt):
    weights[0] = None  # one answer at least is fully right
    choices = tuple(Choice(f"x{i}", text, feedback[i], weights[i]) for i, text in enumerate(texts))
    full = tuple(c.id for c in choices if c.weight in (None, 1.0))
    question = a_question(QuestionType.SHORT, full, choices=choices, prompt=prompt)

    assert round_trip([question]) == as_imported([question])


@settings(max_examples=150, deadline=None)
@given(
    ranges=st.lists(
        st.tuples(st.floats(-1e15, 1e15), st.floats(-1e15, 1e15), st.floats(0, 1), FEEDBACK),
        min_size=1,
        max_size=9,
    )
)
def test_any_numeric_question_round_trips(ranges):
    answers = [NumericAnswer(min(a, b), max(a, b), credit, text) for a, b, credit, text in ranges]
    answers.insert(0, NumericAnswer(answers[0].low, answers[0].high))  # one worth full marks
    question = a_question(QuestionType.NUMERIC, tuple(answers))

    assert round_trip([question]) == as_imported([question])


# --- what the format cannot express ------------------------------------------------


def test_questions_the_format_cannot_express_are_skipped_not_hidden():
    shuffled = replace(
        HAND_BUILT[7],
        choices=tuple(reversed(HAND_BUILT[7].choices)),
    )
    ordering_with_feedback = replace(
        HAND_BUILT[8], choices=(replace(HAND_BUILT[8].choices[0], feedback="First."),)
    )
    source_half_given = replace(HAND_BUILT[0], quote="")
    year_with_choices = replace(HAND_BUILT[6], choices=(Choice("a", "1990"),))
    cannot = [shuffled, ordering_with_feedback, source_half_given, year_with_choices]

    result = yaml_format.export([HAND_BUILT[2], *cannot])

    assert result.exported == 1
    assert result.skipped == tuple(cannot)
    assert "hand-numeric" in result.text
    assert "hand-matching" not in result.text


# --- parsing ---------------------------------------------------------------------


def test_parsed_questions_are_teacher_questions():
    result = yaml_format.parse(yaml_format.export(BANK.questions[:3]).text, "f.yaml", BANK)

    assert {q.origin for q in result.questions} == {Origin.TEACHER}
    assert result.ok


def test_question_without_a_source_is_imported_as_needing_one():
    text = a_document(
        "  - id: no-source\n"
        "    type: true_false\n"
        "    kind: fact\n"
        "    prompt: Baker met Gorbachev in Moscow.\n"
        "    answer: true\n"
        "    explanation: He did, on 9 February 1990.\n"
        "    difficulty: 1\n"
        "    topics: []\n"
    )

    result = yaml_format.parse(text, "mine.yaml", BANK)

    assert result.problems == ()
    (question,) = result.questions
    assert (question.section, question.quote, question.cites_source) == ("", "", False)
    assert result.without_source == 1


BROKEN = a_document(
    "  - id: fine\n"
    "    type: true_false\n"
    "    kind: fact\n"
    "    prompt: Baker met Gorbachev in Moscow.\n"
    "    answer: true\n"
    "    explanation: He did.\n"
    "    difficulty: 1\n"
    "    topics: []\n"
    "\n"
    "  - id: broken\n"
    "    type: numeric\n"
    "    kind: opinion\n"
    "    prompt: How many countries joined in 1999?\n"
    "    answers:\n"
    "      - {low: 4, high: 2}\n"
    "    explanation: Poland, Hungary and the Czech Republic.\n"
    "    difficulty: 1\n"
    "    topics: []\n"
)


def test_broken_document_reports_file_and_line_and_imports_nothing():
    result = yaml_format.parse(BROKEN, "mine.yaml", BANK)

    assert result.questions == ()
    assert not result.ok
    assert result.problems == (
        f"mine.yaml:{line_of(BROKEN, 'kind: opinion')}: "
        "'kind' must be one of fact, interpretation, not 'opinion'",
        f"mine.yaml:{line_of(BROKEN, 'high: 2')}: 'high' (2) is below 'low' (4)",
    )


def test_yaml_syntax_error_reports_its_line():
    result = yaml_format.parse(
        a_document("  - id: one\n    type: single\n   kind: fact\n"), "x", BANK
    )

    assert result.questions == ()
    (problem,) = result.problems
    assert problem.startswith("x:4: YAML syntax error: ")


def test_wrong_quote_says_where_the_nearest_text_is():
    question = replace(HAND_BUILT[0], quote="On 9 February 1990, in Moscow, Baker asks Gorbachev")
    text = yaml_format.export([question]).text

    result = yaml_format.parse(text, "mine.yaml", BANK)

    assert result.problems == (
        f"mine.yaml:{line_of(text, 'quote:')}: The quote is not word for word in the article; "
        "its first 7 words are in section 1 (…1990, in Moscow, Baker), "
        "then the article has “asked Gorbachev whether he” where the quote has “asks Gorbachev”.",
    )


def test_ids_must_be_unique_within_the_document():
    text = yaml_format.export([HAND_BUILT[2], HAND_BUILT[2]]).text

    result = yaml_format.parse(text, "twice.yaml", BANK)

    assert result.questions == ()
    first, second = line_of(text, "- id: hand-numeric"), line_of(text, "- id: hand-numeric", 2)
    assert result.problems == (
        f"twice.yaml:{second}: id 'hand-numeric' is already used at twice.yaml:{first}",
    )


def test_empty_document_imports_nothing_and_says_what_is_expected():
    result = yaml_format.parse("", "empty.yaml", BANK)

    assert result.problems == ("empty.yaml:1: expected 'questions:' at the top of the file",)
