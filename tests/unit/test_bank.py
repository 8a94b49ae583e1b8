"""The bank loader: a valid bank becomes dataclasses, a broken one a list of `path:line` problems.

Each test builds a small bank in tmp_path from the real article and the factories below.
"""

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from quizapp.domain.bank import BankError, load_bank, read_question_document, summary
from quizapp.domain.questions import (
    Choice,
    Kind,
    NumericAnswer,
    Origin,
    QuestionType,
    TextFormat,
)

REAL_BANK = Path(__file__).parents[2] / "questions"

BAKER_QUOTE = "On 9 February 1990, in Moscow, Baker asked Gorbachev"
BAKER_WORDS = (
    "not one inch of NATO’s present military jurisdiction will spread in an eastern direction."
)
ENLARGEMENT_QUOTE = "In 1999 the alliance admitted Poland, Hungary and the Czech Republic"
SPIRIT_QUOTE = "thus violated the “spirit” of the original assurances"

OMIT = object()  # a factory override that drops the field


def _build(base: dict, changes: dict) -> dict:
    return {k: v for k, v in (base | changes).items() if v is not OMIT}


def an_event(**changes) -> dict:
    base = {
        "id": "baker-in-moscow",
        "date": "1990-02-09",
        "title": "Baker meets Gorbachev in Moscow",
        "summary": "Baker asks Gorbachev about a unified Germany in NATO.",
        "actors": ["James Baker", "Mikhail Gorbachev"],
        "section": "1",
        "quote": BAKER_QUOTE,
        "topics": ["baker", "1990-talks"],
        "speaker": "James Baker",
        "words": BAKER_WORDS,
    }
    return _build(base, changes)


def the_events() -> list[dict]:
    return [
        an_event(
            id="wall-falls",
            date=dt.date(1989, 11, 9),
            title="The Berlin Wall falls",
            quote="the Berlin Wall fell on 9 November",
            speaker=OMIT,
            words=OMIT,
        ),
        an_event(date="1990-02"),
        an_event(
            id="first-enlargement",
            date=1999,
            title="NATO admits Poland, Hungary and the Czech Republic",
            section="3.1",
            quote=ENLARGEMENT_QUOTE,
            speaker=OMIT,
            words=OMIT,
        ),
    ]


def a_perspective(**changes) -> dict:
    base = {
        "id": "russian",
        "name": "The Russian/alternative narrative",
        "held_by": "Russia, later President Vladimir Putin",
        "summary": "The West broke a promise.",
        "claims": [
            {
                "id": "russian-spirit-violated",
                "text": "Enlargement violated the spirit of the 1990 assurances.",
                "section": "2.1",
                "quote": SPIRIT_QUOTE,
            }
        ],
    }
    return _build(base, changes)


def the_perspectives() -> list[dict]:
    return [
        a_perspective(),
        a_perspective(
            id="western",
            name="The Western/academic narrative",
            held_by="Western scholars such as Steven Pifer",
            claims=OMIT,
        ),
    ]


TYPE_FIELDS = {
    "single": {
        "options": [
            {"text": "James Baker", "correct": True},
            {"text": "Helmut Kohl"},
            {"text": "George H.W. Bush"},
        ]
    },
    "multiple": {
        "section": "3.1",
        "quote": ENLARGEMENT_QUOTE,
        "options": [
            {"text": "Poland", "correct": True},
            {"text": "Hungary", "correct": True},
            {"text": "Estonia", "correct": False},
        ],
    },
    "true_false": {"answer": False},
    "year": {"section": "3.1", "quote": ENLARGEMENT_QUOTE, "answer": 1999, "tolerance": 1},
    "ordering": {"items": ["The Berlin Wall falls", "Genscher speaks", "Baker in Moscow"]},
    "matching": {
        "pairs": [
            {"left": "“not one inch”", "right": "James Baker"},
            {"left": "“rule out an expansion”", "right": "Hans-Dietrich Genscher"},
        ],
        "distractors": ["Helmut Kohl"],
    },
    "classify": {
        "kind": "interpretation",
        "section": "2.1",
        "quote": SPIRIT_QUOTE,
        "answer": "russian",
    },
    "short": {
        "answers": ["James Baker", {"text": "Baker", "weight": 50, "feedback": "Full name?"}]
    },
    "numeric": {
        "section": "3.1",
        "quote": ENLARGEMENT_QUOTE,
        "answers": [{"value": 3}, {"low": 2, "high": 4, "weight": 50, "feedback": "Close."}],
    },
}


def a_question(qtype: str = "single", **changes) -> dict:
    base = {
        "id": "q-" + qtype.replace("_", "-"),
        "type": qtype,
        "kind": "fact",
        "prompt": "Who met Gorbachev in Moscow on 9 February 1990?",
        "section": "1",
        "quote": BAKER_QUOTE,
        "explanation": "Section 1 tells of Baker's visit.",
        "difficulty": 1,
        "topics": ["baker"],
    }
    return _build(base | TYPE_FIELDS[qtype], changes)


def write_yaml(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_bank(
    tmp_path: Path,
    *,
    events: list[dict] | None = None,
    perspectives: list[dict] | None = None,
    questions: list[dict] | None = None,
) -> Path:
    """A bank directory over the real article; every part defaults to a valid one."""
    root = tmp_path / "questions"
    shutil.copytree(REAL_BANK / "source", root / "source")
    write_yaml(root / "timeline.yaml", {"events": the_events() if events is None else events})
    write_yaml(
        root / "perspectives.yaml",
        {"perspectives": the_perspectives() if perspectives is None else perspectives},
    )
    if questions is None:
        questions = [a_question(t.value) for t in QuestionType]
    write_yaml(root / "bank" / "questions.yaml", {"questions": questions})
    return root


def problems_of(root: Path) -> list[str]:
    with pytest.raises(BankError) as error:
        load_bank(root)
    return error.value.problems


def line_no(path: Path, needle: str, nth: int = 1) -> int:
    """The number of the `nth` line of `path` that contains `needle`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, start=1) if needle in line][nth - 1]


def at(path: Path, needle: str, message: str, nth: int = 1) -> str:
    """The problem expected on the `nth` line of `path` that contains `needle`."""
    return f"{path}:{line_no(path, needle, nth)}: {message}"


def bank_file(root: Path) -> Path:
    return root / "bank" / "questions.yaml"


# A valid bank


def test_valid_bank_loads_every_part(tmp_path):
    bank = load_bank(write_bank(tmp_path))

    assert [e.id for e in bank.events] == ["wall-falls", "baker-in-moscow", "first-enlargement"]
    assert [p.id for p in bank.perspectives] == ["russian", "western"]
    assert [c.id for c in bank.claims] == ["russian-spirit-violated"]
    assert [q.type for q in bank.questions] == list(QuestionType)
    assert bank.article.has_section("2.1")


def test_dates_written_as_yaml_date_or_int_become_iso_strings(tmp_path):
    bank = load_bank(write_bank(tmp_path))

    assert [e.date for e in bank.events] == ["1989-11-09", "1990-02", "1999"]


def test_event_keeps_speaker_words_and_topics(tmp_path):
    event = load_bank(write_bank(tmp_path)).events[1]

    assert event.speaker == "James Baker"
    assert event.words == BAKER_WORDS
    assert event.actors == ("James Baker", "Mikhail Gorbachev")
    assert event.topics == ("baker", "1990-talks")


def test_claim_knows_its_perspective(tmp_path):
    claim = load_bank(write_bank(tmp_path)).claims[0]

    assert claim.perspective == "russian"
    assert claim.section == "2.1"
    assert claim.quote == SPIRIT_QUOTE


def test_single_options_get_letter_ids_and_the_correct_one_is_the_answer(tmp_path):
    question = load_bank(write_bank(tmp_path, questions=[a_question("single")])).questions[0]

    assert question.choices == (
        Choice("a", "James Baker"),
        Choice("b", "Helmut Kohl"),
        Choice("c", "George H.W. Bush"),
    )
    assert question.answer == "a"
    assert question.kind is Kind.FACT
    assert question.topics == ("baker",)


def test_multiple_answer_is_the_set_of_correct_ids(tmp_path):
    question = load_bank(write_bank(tmp_path, questions=[a_question("multiple")])).questions[0]

    assert question.answer == frozenset({"a", "b"})


def test_ordering_answer_is_the_item_ids_in_file_order(tmp_path):
    question = load_bank(write_bank(tmp_path, questions=[a_question("ordering")])).questions[0]

    assert [c.text for c in question.choices] == [
        "The Berlin Wall falls",
        "Genscher speaks",
        "Baker in Moscow",
    ]
    assert question.answer == ("a", "b", "c")


def test_matching_choices_are_the_rights_then_the_distractors(tmp_path):
    question = load_bank(write_bank(tmp_path, questions=[a_question("matching")])).questions[0]

    assert question.pairs == (
        Choice("p1", "“not one inch”"),
        Choice("p2", "“rule out an expansion”"),
    )
    assert question.choices == (
        Choice("a", "James Baker"),
        Choice("b", "Hans-Dietrich Genscher"),
        Choice("c", "Helmut Kohl"),
    )
    assert question.answer == {"p1": "a", "p2": "b"}


def test_classify_choices_are_the_perspectives(tmp_path):
    question = load_bank(write_bank(tmp_path, questions=[a_question("classify")])).questions[0]

    assert question.choices == (
        Choice("russian", "The Russian/alternative narrative"),
        Choice("western", "The Western/academic narrative"),
    )
    assert question.answer == "russian"


def test_true_false_and_year_answers(tmp_path):
    root = write_bank(tmp_path, questions=[a_question("true_false"), a_question("year")])
    true_false, year = load_bank(root).questions

    assert (true_false.answer, true_false.choices) == (False, ())
    assert (year.answer, year.tolerance) == (1999, 1)


def test_year_tolerance_defaults_to_zero(tmp_path):
    root = write_bank(tmp_path, questions=[a_question("year", tolerance=OMIT)])

    assert load_bank(root).questions[0].tolerance == 0


def test_month_sorts_before_the_days_of_that_month(tmp_path):
    events = [an_event(id="first", date="1990-02"), an_event(id="second", date="1990-02-01")]

    assert len(load_bank(write_bank(tmp_path, events=events)).events) == 2


def test_unquoted_whole_section_number_is_read_as_text(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(section=1)])

    assert load_bank(root).questions[0].section == "1"


# Structure and fields


def test_unknown_field_is_reported_with_its_line_and_a_suggestion(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(explantion="typo")])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "explantion:",
            "unknown field 'explantion' (did you mean 'explanation'?)",
        )
    ]


def test_missing_field_is_reported_at_its_item(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(explanation=OMIT)])

    assert problems_of(root) == [
        at(bank_file(root), "id: q-single", "a single question is missing field 'explanation'")
    ]


def test_field_of_another_type_is_reported(tmp_path):
    root = write_bank(tmp_path, questions=[a_question("year", options=[])])

    assert problems_of(root) == [
        at(bank_file(root), "options:", "field 'options' does not belong to a year question")
    ]


def test_wrong_field_type_is_reported(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(prompt=["a", "list"])])

    assert problems_of(root) == [
        at(bank_file(root), "prompt:", "'prompt' must be text, not a list")
    ]


def test_unknown_question_type_is_reported(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(type="essay")])

    problem = at(
        bank_file(root),
        "type: essay",
        "'type' must be one of single, multiple, true_false, year, ordering, matching, "
        "classify, short, numeric, not 'essay'",
    )
    assert problems_of(root) == [problem]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "opinion", "'kind' must be one of fact, interpretation, not 'opinion'"),
        ("difficulty", 4, "The difficulty is 1 to 3, not 4."),
        ("difficulty", "easy", "'difficulty' must be a whole number, not str 'easy'"),
        ("topics", "baker", "'topics' must be a list, not str 'baker'"),
    ],
)
def test_bad_common_field_is_reported(tmp_path, field, value, message):
    root = write_bank(tmp_path, questions=[a_question(**{field: value})])

    assert problems_of(root) == [at(bank_file(root), f"{field}:", message)]


def test_topic_must_be_a_tag(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(topics=["baker", "Cold War"])])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "- Cold War",
            "a topic 'Cold War' must be lowercase letters, digits and '-'",
        )
    ]


def test_yaml_syntax_error_is_reported_with_its_line(tmp_path):
    root = write_bank(tmp_path)
    bank_file(root).write_text("questions:\n  - id: q-one\n    type: single\n   kind: fact\n")

    problems = problems_of(root)

    assert len(problems) == 1
    assert problems[0].startswith(f"{bank_file(root)}:4: YAML syntax error: ")


def test_wrong_top_level_key_is_reported(tmp_path):
    root = write_bank(tmp_path)
    write_yaml(bank_file(root), {"question": [a_question()]})

    assert problems_of(root) == [
        f"{bank_file(root)}:1: unknown top-level key 'question' (did you mean 'questions'?)",
        f"{bank_file(root)}:1: expected 'questions:' at the top of the file",
    ]


def test_field_given_twice_is_reported(tmp_path):
    root = write_bank(tmp_path)
    text = yaml.safe_dump({"questions": [a_question()]}, allow_unicode=True, sort_keys=False)
    bank_file(root).write_text(text.replace("  kind: fact\n", "  kind: fact\n  kind: fact\n"))

    assert problems_of(root) == [
        at(bank_file(root), "kind:", "'kind' given twice (also line 4)", 2)
    ]


def test_missing_files_are_reported(tmp_path):
    root = write_bank(tmp_path)
    (root / "timeline.yaml").unlink()
    bank_file(root).unlink()

    assert problems_of(root) == [
        f"{root / 'timeline.yaml'}: missing file",
        f"{root / 'bank'}: no question files (*.yaml)",
    ]


# Ids


def test_duplicate_id_across_files_names_the_first_use(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(id="wall-falls")])

    first = f"{root / 'timeline.yaml'}:{line_no(root / 'timeline.yaml', 'id: wall-falls')}"
    assert problems_of(root) == [
        at(bank_file(root), "id: wall-falls", f"id 'wall-falls' is already used at {first}")
    ]


def test_claim_and_perspective_ids_share_the_namespace(tmp_path):
    perspectives = the_perspectives()
    perspectives[1]["id"] = "russian-spirit-violated"

    problems = problems_of(write_bank(tmp_path, perspectives=perspectives))

    assert len(problems) == 1
    assert "id 'russian-spirit-violated' is already used at" in problems[0]


def test_id_must_be_lowercase_letters_digits_and_dashes(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(id="Q_1")])

    assert problems_of(root) == [
        at(bank_file(root), "id: Q_1", "'id' 'Q_1' must be lowercase letters, digits and '-'")
    ]


# Timeline


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("1990-02-30", "'date' '1990-02-30' is not a real calendar date"),
        ("1990-13", "'date' '1990-13' is not a real calendar date"),
        ("9 February 1990", "'date' must be YYYY, YYYY-MM or YYYY-MM-DD, not '9 February 1990'"),
    ],
)
def test_bad_date_is_reported(tmp_path, date, message):
    root = write_bank(tmp_path, events=[an_event(date=date)])

    assert problems_of(root) == [at(root / "timeline.yaml", "date:", message)]


def test_impossible_unquoted_date_is_reported(tmp_path):
    root = write_bank(tmp_path)
    (root / "timeline.yaml").write_text(
        yaml.safe_dump({"events": [an_event()]}, allow_unicode=True, sort_keys=False).replace(
            "'1990-02-09'", "1990-02-30"
        ),
        encoding="utf-8",
    )

    assert problems_of(root) == [
        at(root / "timeline.yaml", "date:", "'date' '1990-02-30' is not a real calendar date")
    ]


def test_event_out_of_order_is_reported_at_the_later_listed_event(tmp_path):
    events = [an_event(id="baker", date="1990-02-09"), an_event(id="malta", date="1989-12")]
    root = write_bank(tmp_path, events=events)

    assert problems_of(root) == [
        at(
            root / "timeline.yaml",
            "date: 1989-12",
            "event malta (1989-12) is listed after baker (1990-02-09): "
            "events go in chronological order",
        )
    ]


def test_speaker_without_words_is_reported(tmp_path):
    root = write_bank(tmp_path, events=[an_event(words=OMIT)])

    assert problems_of(root) == [
        at(
            root / "timeline.yaml",
            "id: baker-in-moscow",
            "set both 'speaker' and 'words', or neither",
        )
    ]


# Quotes and sections


def test_unknown_section_is_reported(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(section="9")])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "section:",
            "There is no section 9 in the article; the quote is in section 1.",
        )
    ]


def test_quote_in_another_section_names_that_section(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(section="5")])

    assert problems_of(root) == [
        at(bank_file(root), "section:", "The quote is in section 1, not 5.")
    ]


def test_heading_only_section_points_to_its_subsection(tmp_path):
    root = write_bank(tmp_path, questions=[a_question("classify", section="2")])

    assert problems_of(root) == [
        at(bank_file(root), "section:", "The quote is in section 2.1, not 2.")
    ]


def test_quote_not_in_article_shows_where_it_diverges(tmp_path):
    quote = "On 9 February 1990, in Moscow, Baker asks Gorbachev whether"
    root = write_bank(tmp_path, questions=[a_question(quote=quote)])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "quote:",
            "The quote is not word for word in the article; its first 7 words are in section 1 "
            "(…1990, in Moscow, Baker), then the article has “asked Gorbachev whether he” "
            "where the quote has “asks Gorbachev whether”.",
        )
    ]


def test_quote_with_plain_apostrophe_points_to_the_typographic_text(tmp_path):
    root = write_bank(tmp_path, events=[an_event(words=BAKER_WORDS.replace("’", "'"))])

    (problem,) = problems_of(root)

    assert problem.startswith(
        at(
            root / "timeline.yaml",
            "words:",
            "The words are not word for word in the article; section 1 has it",
        )
    )
    assert problem.endswith(BAKER_WORDS + "”.")


def test_quote_unlike_any_passage_names_the_nearest_paragraph(tmp_path):
    quote = "Gorbachev preferred Baker not to speak of one inch"
    root = write_bank(tmp_path, questions=[a_question(quote=quote)])

    (problem,) = problems_of(root)

    assert problem.startswith(
        at(
            bank_file(root),
            "quote:",
            "The quote is not word for word in the article; the nearest text is in",
        )
    )


def test_words_are_checked_against_the_cited_section(tmp_path):
    root = write_bank(tmp_path, events=[an_event(words=SPIRIT_QUOTE)])

    assert problems_of(root) == [
        at(root / "timeline.yaml", "section:", "The words are in section 2.1, not 1.")
    ]


def test_claim_quote_is_checked(tmp_path):
    perspectives = the_perspectives()
    perspectives[0]["claims"][0]["section"] = "1"
    root = write_bank(tmp_path, perspectives=perspectives)

    assert problems_of(root) == [
        at(root / "perspectives.yaml", "section:", "The quote is in section 2.1, not 1.")
    ]


# Options and answers


def options(*texts: str, correct: int = 1) -> list[dict]:
    """Options with the first `correct` ones marked correct."""
    return [{"text": text, "correct": i < correct} for i, text in enumerate(texts)]


@pytest.mark.parametrize(
    ("qtype", "texts", "message"),
    [
        ("single", ["Baker"], "A single-choice question has 2 to 20 options; this one has 1."),
        (
            "single",
            [f"option {i}" for i in range(21)],
            "A single-choice question has 2 to 20 options; this one has 21.",
        ),
        ("multiple", ["Poland"], "A multiple-choice question has 2 to 20 options; this one has 1."),
    ],
)
def test_wrong_option_count_is_reported(tmp_path, qtype, texts, message):
    root = write_bank(tmp_path, questions=[a_question(qtype, options=options(*texts))])

    assert problems_of(root)[0] == at(bank_file(root), "options:", message)


@pytest.mark.parametrize("correct", [0, 2])
def test_single_needs_exactly_one_correct_option(tmp_path, correct):
    question = a_question(options=options("Baker", "Kohl", "Bush", correct=correct))
    root = write_bank(tmp_path, questions=[question])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "options:",
            "Mark exactly one option as correct.",
        )
    ]


@pytest.mark.parametrize(
    ("correct", "message"),
    [
        (0, "Mark at least one option as correct."),
        (
            3,
            "Leave at least one option unmarked: when every option is correct, "
            "ticking them all gets full marks.",
        ),
    ],
)
def test_multiple_needs_a_correct_and_a_wrong_option(tmp_path, correct, message):
    question = a_question(
        "multiple", options=options("Poland", "Hungary", "Estonia", correct=correct)
    )
    root = write_bank(tmp_path, questions=[question])

    assert problems_of(root) == [at(bank_file(root), "options:", message)]


def test_repeated_option_text_is_reported(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(options=options("Baker", "Kohl", "baker "))])

    assert problems_of(root) == [
        at(bank_file(root), "text: 'baker '", "Options 1 and 3 are the same.")
    ]


def test_empty_option_text_is_reported(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(options=options("Baker", "Kohl", " "))])

    assert problems_of(root) == [at(bank_file(root), "text: ' '", "an option's text is empty")]


def test_unknown_option_field_is_reported(tmp_path):
    question = a_question(options=[{"text": "Baker", "corect": True}, {"text": "Kohl"}])
    root = write_bank(tmp_path, questions=[question])

    assert at(bank_file(root), "corect:", "unknown field 'corect' (did you mean 'correct'?)") in (
        problems_of(root)
    )


@pytest.mark.parametrize("items", [["one"], [str(i) for i in range(21)]])
def test_ordering_needs_two_to_twenty_items(tmp_path, items):
    root = write_bank(tmp_path, questions=[a_question("ordering", items=items)])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "items:",
            f"An ordering question has 2 to 20 items; this one has {len(items)}.",
        )
    ]


def test_ordering_items_are_distinct(tmp_path):
    root = write_bank(tmp_path, questions=[a_question("ordering", items=["one", "two", "one"])])

    assert problems_of(root) == [at(bank_file(root), "- one", "Items 1 and 3 are the same.", nth=2)]


def test_matching_needs_distinct_right_sides(tmp_path):
    pairs = [{"left": "not one inch", "right": "Baker"}, {"left": "rule out", "right": "Baker"}]
    root = write_bank(tmp_path, questions=[a_question("matching", pairs=pairs)])

    assert problems_of(root) == [
        at(bank_file(root), "right: Baker", "The right sides of pairs 1 and 2 are the same.", nth=2)
    ]


def test_matching_needs_two_pairs(tmp_path):
    pairs = [{"left": "not one inch", "right": "Baker"}]
    root = write_bank(tmp_path, questions=[a_question("matching", pairs=pairs)])

    assert problems_of(root) == [
        at(bank_file(root), "pairs:", "A matching question has 2 to 20 pairs; this one has 1.")
    ]


def test_distractor_equal_to_a_right_side_is_reported(tmp_path):
    root = write_bank(tmp_path, questions=[a_question("matching", distractors=["James Baker"])])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "- James Baker",
            "Distractor 1 “James Baker” is also the right side of pair 1.",
        )
    ]


@pytest.mark.parametrize(
    ("changes", "needle", "message"),
    [
        ({"answer": 1799}, "answer:", "Enter a year from 1800 to 2100."),
        ({"answer": "1999"}, "answer:", "'answer' must be a whole number, not str '1999'"),
        ({"tolerance": 11}, "tolerance:", "Enter a tolerance from 0 to 10 years."),
    ],
)
def test_bad_year_answer_is_reported(tmp_path, changes, needle, message):
    root = write_bank(tmp_path, questions=[a_question("year", **changes)])

    assert problems_of(root) == [at(bank_file(root), needle, message)]


def test_true_false_answer_must_be_a_boolean(tmp_path):
    root = write_bank(tmp_path, questions=[a_question("true_false", answer="false")])

    assert problems_of(root) == [
        at(bank_file(root), "answer:", "'answer' must be true or false, not str 'false'")
    ]


def test_classify_answer_must_be_a_perspective_id(tmp_path):
    root = write_bank(tmp_path, questions=[a_question("classify", answer="chinese")])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "answer:",
            "answer 'chinese' is not a perspective id (russian, western)",
        )
    ]


# Short and numeric questions


def test_short_answers_become_choices_and_the_full_mark_ones_are_the_key(tmp_path):
    answers = ["James Baker", {"text": "Baker", "weight": 50, "feedback": "Full name?"}, "J. Baker"]
    root = write_bank(tmp_path, questions=[a_question("short", answers=answers)])

    question = load_bank(root).questions[0]

    assert question.choices == (
        Choice("a", "James Baker"),
        Choice("b", "Baker", feedback="Full name?", weight=0.5),
        Choice("c", "J. Baker"),
    )
    assert question.answer == ("a", "c")


def test_short_answer_weighted_100_counts_as_full_marks(tmp_path):
    answers = [{"text": "James Baker", "weight": 100}, {"text": "Baker", "weight": 0}]
    root = write_bank(tmp_path, questions=[a_question("short", answers=answers)])

    assert load_bank(root).questions[0].answer == ("a",)


def test_numeric_answers_become_ranges_with_credit_and_feedback(tmp_path):
    answers = [
        3,
        {"value": 1999, "tolerance": 0.5},
        {"low": 2, "high": 4, "weight": 50, "feedback": "Close."},
    ]
    root = write_bank(tmp_path, questions=[a_question("numeric", answers=answers)])

    question = load_bank(root).questions[0]

    assert question.answer == (
        NumericAnswer(3.0, 3.0),
        NumericAnswer(1998.5, 1999.5),
        NumericAnswer(2.0, 4.0, credit=0.5, feedback="Close."),
    )
    assert question.choices == ()


@pytest.mark.parametrize(
    ("answers", "needle", "message"),
    [
        (
            [{"text": "Baker", "weight": 50}],
            "answers:",
            "At least one answer must be worth 100% (leave its weight out).",
        ),
        ([], "answers:", "A short-answer question has 1 to 20 answers; this one has 0."),
        (["Baker", "James Baker", " baker"], "- ' baker'", "Answers 1 and 3 are the same."),
        (["x" * 201], "- xxx", "Answer 1 is 201 characters long; keep it to 200."),
        ([{"txt": "Baker"}], "txt:", "unknown field 'txt' (did you mean 'text'?)"),
    ],
)
def test_bad_short_answers_are_reported(tmp_path, answers, needle, message):
    root = write_bank(tmp_path, questions=[a_question("short", answers=answers)])

    assert at(bank_file(root), needle, message) in problems_of(root)


@pytest.mark.parametrize(
    ("answer", "needle", "message"),
    [
        (
            {"value": 3, "low": 2, "high": 4},
            "- value: 3",
            "an answer gives 'value' (and 'tolerance'), or 'low' and 'high'",
        ),
        (
            {"low": 2},
            "- low: 2",
            "an answer gives 'value' (and 'tolerance'), or 'low' and 'high'",
        ),
        ({"low": 4, "high": 2}, "high: 2", "'high' (2) is below 'low' (4)"),
        ({"value": 3, "tolerance": -1}, "tolerance:", "'tolerance' must be 0 or more, not -1"),
        ({"value": "three"}, "value:", "'value' must be a number, not str 'three'"),
        (
            {"value": float("inf")},
            "value:",
            "'value' must be a number from -10^15 to 10^15",
        ),
        ("three", "- three", "an answer must be a number or a mapping, not str 'three'"),
    ],
)
def test_bad_numeric_answer_is_reported(tmp_path, answer, needle, message):
    root = write_bank(tmp_path, questions=[a_question("numeric", answers=[3, answer])])

    assert problems_of(root) == [at(bank_file(root), needle, message)]


def test_numeric_question_needs_an_answer_worth_full_marks(tmp_path):
    answers = [{"value": 3, "weight": 50}]
    root = write_bank(tmp_path, questions=[a_question("numeric", answers=answers)])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "answers:",
            "At least one answer must be worth 100% (leave its credit out).",
        )
    ]


# Weights, feedback, ids and text format


def test_option_feedback_and_weight_in_percent_are_read(tmp_path):
    options = [
        {"text": "James Baker", "correct": True, "feedback": "Yes: 9 February 1990."},
        {"text": "Helmut Kohl", "weight": 50, "feedback": "He met Gorbachev the next day."},
        {"text": "George H.W. Bush", "weight": -25},
    ]
    root = write_bank(tmp_path, questions=[a_question(options=options)])

    assert load_bank(root).questions[0].choices == (
        Choice("a", "James Baker", feedback="Yes: 9 February 1990."),
        Choice("b", "Helmut Kohl", feedback="He met Gorbachev the next day.", weight=0.5),
        Choice("c", "George H.W. Bush", weight=-0.25),
    )


def test_weight_is_read_from_its_digits_not_through_a_float(tmp_path):
    # -48.1 / 100 is -0.48100000000000004 in floats; the weight is the float nearest -0.481.
    options = [{"text": "Baker", "correct": True}, {"text": "Kohl", "weight": -48.1}]
    root = write_bank(tmp_path, questions=[a_question(options=options)])

    assert load_bank(root).questions[0].choices[1].weight == -0.481


def test_multiple_with_weights_adding_up_to_100_loads(tmp_path):
    options = [
        {"text": "Poland", "correct": True, "weight": 33.333},
        {"text": "Hungary", "correct": True, "weight": 33.333},
        {"text": "Czech Republic", "correct": True, "weight": 33.334},
        {"text": "Estonia", "weight": -100},
    ]
    root = write_bank(tmp_path, questions=[a_question("multiple", options=options)])

    question = load_bank(root).questions[0]

    assert question.answer == frozenset("abc")
    assert [c.weight for c in question.choices] == [0.33333, 0.33333, 0.33334, -1.0]


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        (150, "Option 2: the weight must be a percentage from -100 to 100, not 150."),
        ("50%", "'weight' must be a percentage, a number such as 50 or -25, not str '50%'"),
        (
            True,
            "'weight' must be a percentage, a number such as 50 or -25, not true (quote it if "
            "it is text)",
        ),
    ],
)
def test_bad_weight_is_reported(tmp_path, weight, message):
    options = [{"text": "Baker", "correct": True}, {"text": "Kohl", "weight": weight}]
    root = write_bank(tmp_path, questions=[a_question(options=options)])

    assert problems_of(root) == [at(bank_file(root), "weight:", message)]


def test_single_correct_option_with_a_weight_must_be_worth_100(tmp_path):
    options = [{"text": "Baker", "correct": True, "weight": 50}, {"text": "Kohl"}]
    root = write_bank(tmp_path, questions=[a_question(options=options)])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "weight:",
            "Option 1 is the correct option, so it is worth 100%: leave its weight out or "
            "write 100.",
        )
    ]


def test_single_may_have_another_option_worth_100(tmp_path):
    # Moodle's second '=' answer: either option gets full marks, the first is the key.
    options = [{"text": "James Baker", "correct": True}, {"text": "Baker", "weight": 100}]
    root = write_bank(tmp_path, questions=[a_question(options=options)])

    question = load_bank(root).questions[0]

    assert (question.answer, question.choices[1].weight) == ("a", 1.0)


@pytest.mark.parametrize(
    ("weights", "needle", "message"),
    [
        (
            (33.33, 33.33, 33.33, None),
            "options:",
            "The weights of the correct options add up to 99.99%; they must add up to 100% "
            "(write thirds as 33.333).",
        ),
        (
            (50, 50, None, 10),
            "weight: 10",
            "Option 4 has a weight above 0 but is not correct.",
        ),
        (
            (50, 50, None, -50),
            "text: Czech Republic",
            "Option 3 is correct, so it needs a weight above 0 when other options have weights.",
        ),
    ],
)
def test_multiple_weights_are_checked(tmp_path, weights, needle, message):
    texts = ["Poland", "Hungary", "Czech Republic", "Estonia"]
    options = [
        {"text": text, "correct": i < 3} | ({} if weight is None else {"weight": weight})
        for i, (text, weight) in enumerate(zip(texts, weights, strict=True))
    ]
    root = write_bank(tmp_path, questions=[a_question("multiple", options=options)])

    assert at(bank_file(root), needle, message) in problems_of(root)


def test_true_false_feedback_becomes_the_true_and_false_choices(tmp_path):
    question = a_question("true_false", feedback_true="No: he did not.")
    loaded = load_bank(write_bank(tmp_path, questions=[question])).questions[0]

    assert loaded.choices == (Choice("true", "True", "No: he did not."), Choice("false", "False"))


def test_true_false_without_feedback_has_no_choices(tmp_path):
    loaded = load_bank(write_bank(tmp_path, questions=[a_question("true_false")])).questions[0]

    assert loaded.choices == ()


def test_empty_feedback_is_reported(tmp_path):
    options = [{"text": "Baker", "correct": True, "feedback": " "}, {"text": "Kohl"}]
    root = write_bank(tmp_path, questions=[a_question(options=options)])

    assert problems_of(root) == [at(bank_file(root), "feedback:", "'feedback' is empty")]


def test_choice_ids_given_in_the_file_replace_the_letters(tmp_path):
    questions = [
        a_question(options=[{"text": "Baker", "id": "baker", "correct": True}, {"text": "Kohl"}]),
        a_question(
            "ordering",
            items=[{"text": "The Wall falls", "id": "wall"}, "Genscher speaks", "Baker in Moscow"],
        ),
        a_question(
            "matching",
            pairs=[
                {"left": "“not one inch”", "right": "James Baker", "left_id": "inch"},
                {"left": "“rule out”", "right": "Genscher", "right_id": "genscher"},
            ],
            distractors=[{"text": "Helmut Kohl", "id": "kohl"}],
        ),
    ]
    single, ordering, matching = load_bank(write_bank(tmp_path, questions=questions)).questions

    assert [c.id for c in single.choices] == ["baker", "b"]
    assert single.answer == "baker"
    assert ordering.answer == ("wall", "b", "c")
    assert [p.id for p in matching.pairs] == ["inch", "p2"]
    assert [c.id for c in matching.choices] == ["a", "genscher", "kohl"]
    assert matching.answer == {"inch": "a", "p2": "genscher"}


def test_choice_id_used_twice_in_a_question_is_reported(tmp_path):
    options = [{"text": "Baker", "correct": True}, {"text": "Kohl", "id": "a"}]
    root = write_bank(tmp_path, questions=[a_question(options=options)])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "id: a",
            "option id 'a' is used twice in this question "
            "(one without an id gets it from its place: a, b, c…)",
        )
    ]


def test_choice_id_must_be_lowercase_letters_digits_and_dashes(tmp_path):
    items = [{"text": "one", "id": "One"}, "two", "three"]
    root = write_bank(tmp_path, questions=[a_question("ordering", items=items)])

    assert problems_of(root) == [
        at(bank_file(root), "id: One", "'id' 'One' must be lowercase letters, digits and '-'")
    ]


def test_ordering_item_takes_no_weight(tmp_path):
    items = [{"text": "one", "weight": 50}, "two", "three"]
    root = write_bank(tmp_path, questions=[a_question("ordering", items=items)])

    assert problems_of(root) == [at(bank_file(root), "weight:", "unknown field 'weight'")]


def test_text_format_is_plain_unless_markdown_is_asked_for(tmp_path):
    questions = [a_question(), a_question("true_false", text_format="markdown")]
    plain, markdown = load_bank(write_bank(tmp_path, questions=questions)).questions

    assert (plain.text_format, markdown.text_format) == (TextFormat.PLAIN, TextFormat.MARKDOWN)


def test_unknown_text_format_is_reported(tmp_path):
    root = write_bank(tmp_path, questions=[a_question(text_format="html")])

    assert problems_of(root) == [
        at(
            bank_file(root),
            "text_format:",
            "'text_format' must be one of plain, markdown, not 'html'",
        )
    ]


# One document read against a bank (imports)


def a_document(*questions: dict) -> str:
    return yaml.safe_dump({"questions": list(questions)}, allow_unicode=True, sort_keys=False)


def line_in(text: str, needle: str, nth: int = 1) -> int:
    lines = text.splitlines()
    return [number for number, line in enumerate(lines, start=1) if needle in line][nth - 1]


@pytest.fixture(scope="module")
def real_bank():
    return load_bank(REAL_BANK)


def test_document_is_read_against_the_bank_with_the_given_origin(real_bank):
    text = a_document(a_question(), a_question("classify", kind="interpretation"))

    questions, problems = read_question_document(
        text, "mine.yaml", real_bank, require_source=True, origin=Origin.TEACHER
    )

    assert problems == []
    assert [q.origin for q in questions] == [Origin.TEACHER, Origin.TEACHER]
    assert [c.id for c in questions[1].choices] == [p.id for p in real_bank.perspectives]


def test_document_ids_need_only_be_unique_within_it(real_bank):
    already_in_the_bank = real_bank.questions[0].id
    text = a_document(a_question(id=already_in_the_bank), a_question(id=already_in_the_bank))

    _, problems = read_question_document(text, "mine.yaml", real_bank, require_source=True)

    first, second = line_in(text, "- id:"), line_in(text, "- id:", 2)
    assert problems == [
        f"mine.yaml:{second}: id '{already_in_the_bank}' is already used at mine.yaml:{first}"
    ]


def test_document_may_leave_out_the_source_only_when_asked(real_bank):
    text = a_document(a_question(section=OMIT, quote=OMIT))

    questions, problems = read_question_document(text, "f.yaml", real_bank, require_source=False)
    _, required = read_question_document(text, "f.yaml", real_bank, require_source=True)

    assert problems == []
    assert (questions[0].section, questions[0].quote, questions[0].cites_source) == ("", "", False)
    assert required == [
        "f.yaml:2: a single question is missing field 'quote'",
        "f.yaml:2: a single question is missing field 'section'",
    ]


@pytest.mark.parametrize(
    ("left_out", "message"),
    [
        ("section", "Say which section of the article the quote is in: it is in section 1."),
        ("quote", "Copy the passage of section 1 that backs the answer."),
    ],
)
def test_document_source_is_both_or_neither(real_bank, left_out, message):
    text = a_document(a_question(**{left_out: OMIT}))

    questions, problems = read_question_document(text, "f.yaml", real_bank, require_source=False)

    assert questions == []
    assert [p.split(": ", 1)[1] for p in problems] == [message]


# All or nothing


def test_every_problem_of_every_file_is_reported(tmp_path):
    root = write_bank(
        tmp_path,
        events=[an_event(date="1990-02-31")],
        questions=[a_question(explantion="x"), a_question("year", id="q-2", difficulty=0)],
    )

    assert problems_of(root) == [
        at(root / "timeline.yaml", "date:", "'date' '1990-02-31' is not a real calendar date"),
        at(
            bank_file(root),
            "explantion:",
            "unknown field 'explantion' (did you mean 'explanation'?)",
        ),
        at(bank_file(root), "difficulty: 0", "The difficulty is 1 to 3, not 0."),
    ]


def test_one_broken_question_means_no_bank_at_all(tmp_path):
    questions = [a_question(t.value) for t in QuestionType] + [a_question(id="q-x", kind="x")]
    root = write_bank(tmp_path, questions=questions)

    with pytest.raises(ValueError, match="'kind' must be one of"):
        load_bank(root)


def test_broken_article_is_reported(tmp_path):
    root = write_bank(tmp_path)
    (root / "source" / "00-introduction.md").write_text("Introduction\n", encoding="utf-8")

    problems = problems_of(root)

    assert problems[0] == (
        f"{root / 'source' / '00-introduction.md'}:1: the first line must be '# NUMBER TITLE'"
    )


# Summary


def test_summary_counts_the_bank_and_lists_uncited_sections(tmp_path):
    counts = summary(load_bank(write_bank(tmp_path)))

    assert (counts.events, counts.perspectives, counts.claims, counts.questions) == (3, 2, 1, 9)
    assert set(counts.by_type.values()) == {1}
    assert counts.by_kind == {"fact": 8, "interpretation": 1}
    assert counts.by_section == {"1": 5, "2.1": 1, "3.1": 3}
    assert "0" in counts.uncited_sections
    assert "2" not in counts.uncited_sections  # a heading-only section has nothing to cite
    assert "1" not in counts.uncited_sections


# The real bank


def test_real_bank_is_valid():
    try:
        bank = load_bank(REAL_BANK)
    except BankError as error:
        pytest.fail("questions/ is broken:\n" + "\n".join(error.problems))

    assert bank.events and bank.perspectives and bank.questions
