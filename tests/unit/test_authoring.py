"""Teacher authoring: a form's draft becomes a question by the bank's rules, and back again."""

from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.domain.article import search_passages
from quizapp.domain.authoring import (
    ChoiceDraft,
    DraftError,
    NumericDraft,
    PairDraft,
    QuestionDraft,
    build_question,
    draft_from_question,
    topic_tags,
)
from quizapp.domain.bank import load_bank
from quizapp.domain.questions import (
    Choice,
    Kind,
    NumericAnswer,
    Origin,
    Question,
    QuestionType,
    TextFormat,
)

BANK = load_bank(Path(__file__).resolve().parents[2] / "questions")

BAKER_QUOTE = "Baker asked Gorbachev whether he preferred a unified Germany"
WALL_QUOTE = "the Berlin Wall fell on 9 November"


def options(*texts: str, correct: tuple[int, ...] = (0,)) -> list[ChoiceDraft]:
    return [ChoiceDraft(text, i in correct) for i, text in enumerate(texts)]


def a_draft(**changes) -> QuestionDraft:
    """A valid single-choice draft, as the form would send it, with `changes`."""
    draft = QuestionDraft(
        type="single",
        kind="fact",
        prompt="Who asked Gorbachev about a unified Germany on 9 February 1990?",
        explanation="The article names James Baker, U.S. Secretary of State.",
        text_format="plain",
        section="1",
        quote=BAKER_QUOTE,
        topics="baker, 1990-talks",
        difficulty="2",
        choices=options("James Baker", "Helmut Kohl", "George H.W. Bush"),
    )
    return replace(draft, **changes)


def build(draft: QuestionDraft, **options) -> Question:
    return build_question(draft, BANK, "teacher-1", **options)


def errors_of(draft: QuestionDraft, **options) -> dict[str, list[str]]:
    with pytest.raises(DraftError) as raised:
        build(draft, **options)
    return raised.value.errors


# --- the common fields ------------------------------------------------------


def test_a_valid_draft_becomes_a_teacher_question_with_lettered_choices():
    question = build(a_draft())
    assert question == Question(
        id="teacher-1",
        type=QuestionType.SINGLE,
        kind=Kind.FACT,
        prompt="Who asked Gorbachev about a unified Germany on 9 February 1990?",
        section="1",
        quote=BAKER_QUOTE,
        explanation="The article names James Baker, U.S. Secretary of State.",
        answer="a",
        choices=(
            Choice("a", "James Baker"),
            Choice("b", "Helmut Kohl"),
            Choice("c", "George H.W. Bush"),
        ),
        difficulty=2,
        topics=("baker", "1990-talks"),
        origin=Origin.TEACHER,
    )


def test_texts_are_stripped_and_a_browsers_line_ends_made_plain():
    question = build(
        a_draft(
            prompt="  Who asked?\r\nIn Moscow.  ",
            explanation="\nBaker did.\n",
            choices=options(" James Baker ", "Helmut Kohl\t", "George H.W. Bush"),
        )
    )
    assert question.prompt == "Who asked?\nIn Moscow."
    assert question.explanation == "Baker did."
    assert [c.text for c in question.choices] == ["James Baker", "Helmut Kohl", "George H.W. Bush"]


@pytest.mark.parametrize("name", ["prompt", "explanation"])
def test_prompt_and_explanation_are_required(name):
    assert name in errors_of(a_draft(**{name: "  \n "}))


@pytest.mark.parametrize("name", ["prompt", "explanation"])
def test_prompt_and_explanation_hold_at_most_10000_characters(name):
    label = {"prompt": "The question", "explanation": "The explanation"}[name]
    assert build(a_draft(**{name: "x" * 10_000}))
    assert errors_of(a_draft(**{name: "x" * 10_001})) == {
        name: [f"{label} is 10,001 characters long; keep it to 10,000."]
    }


def test_an_option_holds_at_most_1000_characters():
    assert build(a_draft(choices=options("x" * 1000, "Helmut Kohl")))
    assert errors_of(a_draft(choices=options("x" * 1001, "Helmut Kohl"))) == {
        "choices": ["Option 1 is 1,001 characters long; keep it to 1,000."]
    }


@pytest.mark.parametrize(
    ("name", "value"), [("type", "essay"), ("kind", "opinion"), ("text_format", "html")]
)
def test_type_kind_and_text_format_must_be_known(name, value):
    assert list(errors_of(a_draft(**{name: value}))) == [name]


def test_markdown_is_kept_and_a_blank_format_is_plain():
    assert build(a_draft(text_format="markdown")).text_format is TextFormat.MARKDOWN
    assert build(a_draft(text_format="")).text_format is TextFormat.PLAIN


@pytest.mark.parametrize(("typed", "difficulty"), [("1", 1), (" 3 ", 3), (2, 2)])
def test_a_difficulty_from_1_to_3_is_read_as_a_number(typed, difficulty):
    assert build(a_draft(difficulty=typed)).difficulty == difficulty


@pytest.mark.parametrize("typed", ["", "two", "1.5"])
def test_a_difficulty_that_is_no_number_is_refused(typed):
    assert errors_of(a_draft(difficulty=typed)) == {
        "difficulty": ["Choose a difficulty from 1 to 3."]
    }


@pytest.mark.parametrize("typed", ["0", "4", 7])
def test_a_difficulty_outside_1_to_3_is_refused(typed):
    assert errors_of(a_draft(difficulty=typed)) == {
        "difficulty": [f"The difficulty is 1 to 3, not {typed}."]
    }


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("baker, 1990-talks", ["baker", "1990-talks"]),
        ("baker 1990-talks", ["baker", "1990-talks"]),
        ("Cold War, Baker", ["cold-war", "baker"]),
        ("#Baker, baker,, ", ["baker"]),
        ("Gorbačëv U.S._policy", ["gorbacev", "us-policy"]),
        ("", []),
    ],
)
def test_topics_are_normalised_from_what_was_typed(typed, tags):
    assert topic_tags(typed) == tags
    assert build(a_draft(topics=typed)).topics == tuple(tags)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("baker, Россия", "“Россия” has no letters a–z or digits to make a topic of."),
        (" ".join(f"t{i}" for i in range(21)), "Give at most 20 topics, not 21."),
        ("x" * 61, f"The topic “{'x' * 61}” is longer than 60 characters."),
    ],
)
def test_topics_that_cannot_be_tags_are_refused(typed, message):
    assert errors_of(a_draft(topics=typed)) == {"topics": [message]}


# --- the quote --------------------------------------------------------------


def test_a_quote_verbatim_in_its_section_is_accepted():
    question = build(a_draft(section="1", quote=WALL_QUOTE))
    assert (question.section, question.quote) == ("1", WALL_QUOTE)


def test_a_quote_with_other_whitespace_is_kept_as_the_article_writes_it():
    question = build(a_draft(quote="  the Berlin Wall\r\n   fell on 9\tNovember "))
    assert question.quote == WALL_QUOTE


def test_without_a_section_the_quote_may_be_anywhere_and_gives_the_section():
    question = build(a_draft(section="", quote="In 1999 the alliance admitted Poland"))
    assert question.section == "3.1"


def test_a_quote_from_another_section_names_the_section_it_is_in():
    assert errors_of(a_draft(section="2.1", quote=WALL_QUOTE)) == {
        "section": ["The quote is in section 1, not 2.1."]
    }


def test_a_quote_not_in_the_section_shows_the_nearest_text_there():
    errors = errors_of(a_draft(section="1", quote="the Berlin Wall fell on 10 November"))
    assert errors == {
        "quote": [
            "The quote is not word for word in the article; its first 5 words are in section 1 "
            "(…Berlin Wall fell on), then the article has “9 November, the Warsaw” where the "
            "quote has “10 November”."
        ]
    }


def test_a_quote_nowhere_in_the_article_without_a_section_shows_the_nearest_text_anywhere():
    (message,) = errors_of(a_draft(section="", quote="NATO admits Poland and Hungary"))["quote"]
    assert message == (
        "The quote is not word for word in the article; the nearest text is in section 5: "
        "“1999: NATO admits Poland, Hungary, Czech Republic.”."
    )


def test_a_quote_typed_with_straight_quotes_shows_the_text_to_copy():
    (message,) = errors_of(a_draft(quote="not one inch of NATO's present"))["quote"]
    assert message.startswith("The quote is not word for word in the article")
    assert message.endswith("copy it from there: “not one inch of NATO’s present”.")


def test_a_quote_running_across_two_paragraphs_is_not_found():
    quote = "an eastern direction.” These remarks laid the basis"
    assert list(errors_of(a_draft(quote=quote))) == ["quote"]


def test_a_section_that_does_not_exist_is_refused_saying_where_the_quote_is():
    assert errors_of(a_draft(section="9", quote=WALL_QUOTE)) == {
        "section": ["There is no section 9 in the article; the quote is in section 1."]
    }


def test_a_heading_only_section_points_to_its_subsections():
    assert errors_of(a_draft(section="2", quote="thus violated the “spirit”")) == {
        "section": ["The quote is in section 2.1, not 2."]
    }
    errors = errors_of(a_draft(section="2", quote="a promise nobody ever made at all"))
    assert errors["section"] == [
        "Section 2 is only a heading; choose one of its subsections (2.1, 2.2, 2.3)."
    ]


def test_a_question_needs_a_quote_by_default():
    assert errors_of(a_draft(section="", quote="")) == {
        "quote": ["Cite the passage of the article that backs the answer."]
    }
    assert errors_of(a_draft(section="2.1", quote="")) == {
        "quote": ["Copy the passage of section 2.1 that backs the answer."]
    }


def test_without_require_source_a_question_may_wait_for_its_passage():
    question = build(a_draft(section=" ", quote=""), require_source=False)
    assert (question.section, question.quote, question.cites_source) == ("", "", False)


def test_without_require_source_a_section_still_needs_its_quote():
    assert errors_of(a_draft(section="1", quote=""), require_source=False) == {
        "quote": ["Copy the passage of section 1 that backs the answer."]
    }


def test_without_require_source_a_quote_given_is_still_checked():
    question = build(a_draft(section="", quote=WALL_QUOTE), require_source=False)
    assert question.section == "1"
    assert "quote" in errors_of(a_draft(quote="no such words"), require_source=False)


# --- choices ----------------------------------------------------------------


@pytest.mark.parametrize("correct", [(), (0, 1)])
def test_a_single_question_has_exactly_one_correct_option(correct):
    draft = a_draft(choices=options("James Baker", "Helmut Kohl", correct=correct))
    assert errors_of(draft) == {"choices": ["Mark exactly one option as correct."]}


@pytest.mark.parametrize("count", [1, 21])
def test_a_single_question_has_2_to_20_options(count):
    draft = a_draft(choices=options(*(f"Option {i}" for i in range(count))))
    assert errors_of(draft) == {
        "choices": [f"A single-choice question has 2 to 20 options; this one has {count}."]
    }


def test_options_that_differ_only_in_case_or_spacing_are_the_same():
    draft = a_draft(choices=options("James Baker", "Helmut Kohl", "james  BAKER"))
    assert errors_of(draft) == {"choices": ["Options 1 and 3 are the same."]}


def test_blank_rows_are_ignored_and_messages_count_the_rows_given():
    rows = [ChoiceDraft("James Baker", True), ChoiceDraft(), ChoiceDraft(" ", feedback="")]
    assert build(a_draft(choices=[*rows, ChoiceDraft("Helmut Kohl")])).choices == (
        Choice("a", "James Baker"),
        Choice("b", "Helmut Kohl"),
    )
    errors = errors_of(a_draft(choices=[*rows, ChoiceDraft("Helmut Kohl", feedback="x" * 2001)]))
    assert errors == {
        "choices": ["The feedback of option 2 is 2,001 characters long; keep it to 2,000."]
    }


def test_a_ticked_row_without_text_is_not_blank():
    draft = a_draft(choices=[*options("James Baker", "Helmut Kohl"), ChoiceDraft("", True)])
    assert errors_of(draft)["choices"][0] == "Option 3 has no text."


def test_a_multiple_question_keeps_its_correct_options_as_a_set():
    draft = a_draft(
        type="multiple", choices=options("Poland", "Hungary", "Estonia", correct=(0, 1))
    )
    assert build(draft).answer == frozenset({"a", "b"})


@pytest.mark.parametrize(
    ("correct", "message"),
    [
        ((), "Mark at least one option as correct."),
        (
            (0, 1, 2),
            "Leave at least one option unmarked: when every option is correct, "
            "ticking them all gets full marks.",
        ),
    ],
)
def test_a_multiple_question_has_a_correct_option_and_a_wrong_one(correct, message):
    draft = a_draft(
        type="multiple", choices=options("Poland", "Hungary", "Estonia", correct=correct)
    )
    assert errors_of(draft) == {"choices": [message]}


def test_a_multiple_question_has_2_to_20_options():
    assert build(a_draft(type="multiple", choices=options("Poland", "Estonia")))
    draft = a_draft(type="multiple", choices=options("Poland"))
    assert errors_of(draft)["choices"][0] == (
        "A multiple-choice question has 2 to 20 options; this one has 1."
    )


def test_option_feedback_and_weights_are_kept_as_fractions():
    draft = a_draft(
        choices=[
            ChoiceDraft("James Baker", True, "Yes: Secretary of State.", ""),
            ChoiceDraft("Hans-Dietrich Genscher", False, "He spoke in January.", "33.3%"),
            ChoiceDraft("Helmut Kohl", False, "", "-25"),
        ]
    )
    assert build(draft).choices == (
        Choice("a", "James Baker", "Yes: Secretary of State."),
        Choice("b", "Hans-Dietrich Genscher", "He spoke in January.", 0.333),
        Choice("c", "Helmut Kohl", "", -0.25),
    )


@pytest.mark.parametrize("weight", ["abc", "1e2"])
def test_a_weight_is_a_percentage(weight):
    draft = a_draft(choices=[*options("James Baker"), ChoiceDraft("Helmut Kohl", weight=weight)])
    assert errors_of(draft) == {
        "choices": ["Option 2: the weight must be a percentage, such as 50."]
    }


@pytest.mark.parametrize("weight", ["101", "-150"])
def test_a_weight_is_a_percentage_from_minus_100_to_100(weight):
    draft = a_draft(choices=[*options("James Baker"), ChoiceDraft("Helmut Kohl", weight=weight)])
    assert errors_of(draft) == {
        "choices": [
            f"Option 2: the weight must be a percentage from -100 to 100, not {int(weight)}."
        ]
    }


def test_the_correct_option_of_a_single_question_is_worth_100():
    rows = [ChoiceDraft("James Baker", True, weight="50"), ChoiceDraft("Helmut Kohl")]
    assert errors_of(a_draft(choices=rows)) == {
        "choices": [
            "Option 1 is the correct option, so it is worth 100%: "
            "leave its weight out or write 100."
        ]
    }


def test_another_option_of_a_single_question_may_be_worth_100_as_in_moodle():
    rows = [ChoiceDraft("James Baker", True), ChoiceDraft("Helmut Kohl", weight="100")]
    assert build(a_draft(choices=rows)).choices[1].weight == 1.0


def multiple_with_weights(*weights: str) -> QuestionDraft:
    texts = ("Poland", "Hungary", "Estonia")
    rows = [
        ChoiceDraft(t, i < 2, weight=w) for i, (t, w) in enumerate(zip(texts, weights, strict=True))
    ]
    return a_draft(type="multiple", choices=rows)


def test_weighted_correct_options_of_a_multiple_question_add_up_to_100():
    assert [c.weight for c in build(multiple_with_weights("50", "50", "-100")).choices] == [
        0.5,
        0.5,
        -1.0,
    ]
    assert errors_of(multiple_with_weights("50", "40", "")) == {
        "choices": [
            "The weights of the correct options add up to 90%; they must add up to 100% "
            "(write thirds as 33.333)."
        ]
    }


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (
            ("100", "", ""),
            "Option 2 is correct, so it needs a weight above 0 when other options have weights.",
        ),
        (("50", "50", "10"), "Option 3 has a weight above 0 but is not correct."),
    ],
)
def test_weights_of_a_multiple_question_follow_what_is_marked_correct(weights, message):
    assert errors_of(multiple_with_weights(*weights)) == {"choices": [message]}


def test_ordering_items_carry_no_feedback_as_no_format_could_keep_it():
    rows = [*options("Malta", "Moscow"), ChoiceDraft("Bonn", feedback="January 1990.")]
    assert errors_of(a_draft(type="ordering", choices=rows)) == {
        "choices": ["Item 3: the items of an ordering question carry no feedback."]
    }


def test_an_ordering_question_is_typed_in_the_right_order():
    draft = a_draft(
        type="ordering",
        choices=options("Malta Summit", "Genscher's speech", "Baker in Moscow", correct=()),
    )
    question = build(draft)
    assert question.answer == ("a", "b", "c")
    assert [c.text for c in question.choices] == [
        "Malta Summit",
        "Genscher's speech",
        "Baker in Moscow",
    ]


def test_an_ordering_question_has_2_to_20_unweighted_items():
    assert errors_of(a_draft(type="ordering", choices=options("Malta"))) == {
        "choices": ["An ordering question has 2 to 20 items; this one has 1."]
    }
    rows = [*options("Malta", "Moscow", "Bonn"), ChoiceDraft("Munich", weight="50")]
    assert errors_of(a_draft(type="ordering", choices=rows)) == {
        "choices": ["Item 4: the items of an ordering question carry no weight."]
    }


# --- matching ---------------------------------------------------------------


def matching(pairs: list[tuple[str, str]], distractors: list[str] = ()) -> QuestionDraft:
    return a_draft(
        type="matching",
        pairs=[PairDraft(left, right) for left, right in pairs],
        distractors=list(distractors),
    )


def test_a_matching_question_puts_right_sides_first_then_distractors():
    draft = matching(
        [
            ("James Baker", "U.S. Secretary of State"),
            ("Helmut Kohl", "German Chancellor"),
            ("", ""),
        ],
        ["", "U.S. President"],
    )
    question = build(draft)
    assert question.pairs == (Choice("p1", "James Baker"), Choice("p2", "Helmut Kohl"))
    assert question.choices == (
        Choice("a", "U.S. Secretary of State"),
        Choice("b", "German Chancellor"),
        Choice("c", "U.S. President"),
    )
    assert question.answer == {"p1": "a", "p2": "b"}


def test_a_pair_needs_both_sides():
    errors = errors_of(matching([("James Baker", "U.S. Secretary of State"), ("Helmut Kohl", "")]))
    assert errors == {"pairs": ["The right side of pair 2 has no text."]}


def test_a_matching_question_has_2_to_20_pairs_with_distinct_sides():
    assert errors_of(matching([("James Baker", "Secretary")])) == {
        "pairs": ["A matching question has 2 to 20 pairs; this one has 1."]
    }
    errors = errors_of(
        matching([("Baker", "Secretary"), ("baker", "Chancellor"), ("Kohl", "secretary")])
    )
    assert errors == {
        "pairs": [
            "The left sides of pairs 1 and 2 are the same.",
            "The right sides of pairs 1 and 3 are the same.",
        ]
    }


def test_a_distractor_differs_from_every_right_side():
    draft = matching([("Baker", "Secretary"), ("Kohl", "Chancellor")], ["chancellor"])
    assert errors_of(draft) == {
        "distractors": ["Distractor 1 “chancellor” is also the right side of pair 2."]
    }


# --- true/false, year, classify, short, numeric -----------------------------


@pytest.mark.parametrize(("typed", "answer"), [("true", True), ("false", False), (" True ", True)])
def test_a_true_false_answer_is_read(typed, answer):
    assert build(a_draft(type="true_false", true_false=typed)).answer is answer


@pytest.mark.parametrize("typed", ["", "yes"])
def test_a_true_false_question_needs_its_answer(typed):
    assert errors_of(a_draft(type="true_false", true_false=typed)) == {
        "true_false": ["Choose True or False."]
    }


def test_a_year_question_reads_year_and_tolerance():
    question = build(a_draft(type="year", year="1990", tolerance=" "))
    assert (question.answer, question.tolerance) == (1990, 0)
    assert build(a_draft(type="year", year=1999, tolerance="2")).tolerance == 2


@pytest.mark.parametrize(
    ("year", "tolerance", "errors"),
    [
        ("1799", "0", {"year": ["Enter a year from 1800 to 2100."]}),
        ("2101", "", {"year": ["Enter a year from 1800 to 2100."]}),
        ("199O", "", {"year": ["Enter a year from 1800 to 2100."]}),
        ("1990", "11", {"tolerance": ["Enter a tolerance from 0 to 10 years."]}),
        ("1990", "-1", {"tolerance": ["Enter a tolerance from 0 to 10 years."]}),
    ],
)
def test_a_year_and_its_tolerance_stay_within_the_bank_bounds(year, tolerance, errors):
    assert errors_of(a_draft(type="year", year=year, tolerance=tolerance)) == errors


def test_a_classify_question_offers_the_banks_perspectives():
    question = build(a_draft(type="classify", kind="interpretation", classify_answer="russian"))
    assert question.answer == "russian"
    assert question.choices == tuple(Choice(p.id, p.name) for p in BANK.perspectives)
    assert errors_of(a_draft(type="classify", classify_answer="nobody")) == {
        "classify_answer": [
            "The answer “nobody” is not a perspective (russian, western, gray-area)."
        ]
    }


def test_a_short_question_keys_the_answers_worth_full_marks():
    draft = a_draft(
        type="short",
        choices=[
            ChoiceDraft("James Baker"),
            ChoiceDraft("Baker", weight="50", feedback="Which Baker? Give his first name too."),
            ChoiceDraft("J. Baker", correct=True, weight="100"),
        ],
    )
    question = build(draft)
    assert question.answer == ("a", "c")
    assert question.choices == (
        Choice("a", "James Baker"),
        Choice("b", "Baker", "Which Baker? Give his first name too.", 0.5),
        Choice("c", "J. Baker", "", 1.0),
    )


def test_a_short_question_needs_an_answer_worth_full_marks_a_student_can_type():
    assert errors_of(a_draft(type="short", choices=[ChoiceDraft("Baker", weight="50")])) == {
        "choices": ["At least one answer must be worth 100% (leave its weight out)."]
    }
    assert errors_of(a_draft(type="short", choices=[ChoiceDraft("x" * 201)])) == {
        "choices": ["Answer 1 is 201 characters long; keep it to 200."]
    }
    assert errors_of(a_draft(type="short", choices=[])) == {
        "choices": ["A short-answer question has 1 to 20 answers; this one has 0."]
    }


def test_a_numeric_question_turns_value_and_tolerance_into_ranges():
    draft = a_draft(
        type="numeric",
        numeric=[
            NumericDraft("1990", "0,5"),
            NumericDraft(),
            NumericDraft("0.2", "0.1", "50%", "Close."),
            NumericDraft("-3.5", "", "25"),
        ],
    )
    assert build(draft).answer == (
        NumericAnswer(1989.5, 1990.5, 1.0),
        NumericAnswer(0.1, 0.3, 0.5, "Close."),
        NumericAnswer(-3.5, -3.5, 0.25),
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (NumericDraft("ninety"), "Answer 1 needs a number, such as 12 or -3.5."),
        (
            NumericDraft("370,000"),
            "Answer 1: “370,000” could be 370000 or 370.000: type 370000, or use a point "
            "for decimals.",
        ),
        (
            NumericDraft("1990", "1,000"),
            "Answer 1: the tolerance “1,000” could be 1000 or 1.000: type 1000, or use a "
            "point for decimals.",
        ),
        (NumericDraft("1990", "-1"), "Answer 1: the tolerance must be a number, 0 or more."),
        (
            NumericDraft("1990", "", "abc"),
            "Answer 1: the credit must be a percentage, such as 50.",
        ),
        (
            NumericDraft("1990", "", "50"),
            "At least one answer must be worth 100% (leave its credit out).",
        ),
    ],
)
def test_a_numeric_answer_is_a_number_a_tolerance_and_a_credit(row, message):
    assert errors_of(a_draft(type="numeric", numeric=[row])) == {"numeric": [message]}


def test_a_numeric_question_needs_an_accepted_answer():
    assert errors_of(a_draft(type="numeric", numeric=[NumericDraft()])) == {
        "numeric": ["A numeric question has 1 to 20 accepted answers; this one has 0."]
    }


# --- everything at once -----------------------------------------------------


def test_every_problem_is_reported_at_once():
    draft = a_draft(
        prompt="",
        explanation="",
        kind="",
        difficulty="9",
        topics="Россия",
        section="2.1",
        quote=WALL_QUOTE,
        choices=options("James Baker", "james baker", correct=()),
    )
    errors = errors_of(draft)
    assert set(errors) == {
        "prompt",
        "explanation",
        "kind",
        "difficulty",
        "topics",
        "section",
        "choices",
    }
    assert errors["choices"] == [
        "Options 1 and 2 are the same.",
        "Mark exactly one option as correct.",
    ]


def test_a_draft_error_reads_as_its_messages():
    with pytest.raises(DraftError, match="prompt: The question has no text."):
        build(a_draft(prompt=""))


# --- back to a draft --------------------------------------------------------


@pytest.mark.parametrize("question", BANK.questions, ids=lambda q: q.id)
def test_every_bank_question_survives_a_trip_through_the_edit_form(question):
    rebuilt = build_question(draft_from_question(question), BANK, question.id)
    assert rebuilt == replace(question, origin=Origin.TEACHER)


def teacher_question(qtype: QuestionType, **fields) -> Question:
    base = dict(
        id="teacher-2",
        type=qtype,
        kind=Kind.FACT,
        prompt="**Who** spoke of *one inch*?",
        section="1",
        quote=BAKER_QUOTE,
        explanation="Baker, in Moscow.",
        difficulty=3,
        topics=("baker",),
        origin=Origin.TEACHER,
        text_format=TextFormat.MARKDOWN,
    )
    return Question(**(base | fields))


@pytest.mark.parametrize(
    "question",
    [
        teacher_question(
            QuestionType.SHORT,
            answer=("a", "c"),
            choices=(
                Choice("a", "James Baker", "Right.", None),
                Choice("b", "Baker", "Give his first name too.", 0.5),
                Choice("c", "J. Baker", "", 1.0),
                Choice("d", "Kohl", "Kohl was Chancellor.", 0.0),
            ),
        ),
        teacher_question(
            QuestionType.NUMERIC,
            answer=(
                NumericAnswer(1989.5, 1990.5, 1.0, "Right."),
                NumericAnswer(0.1, 0.3, 1 / 3, "Odd, but kept."),
                NumericAnswer(-2.0, -2.0, 0.25),
            ),
        ),
        teacher_question(
            QuestionType.SINGLE,
            answer="a",
            choices=(
                Choice("a", "James Baker", "Yes.", 1.0),
                Choice("b", "Genscher", "He spoke in January.", 0.3333),
                Choice("c", "Kohl", "", -0.25),
            ),
        ),
        teacher_question(
            QuestionType.MULTIPLE,
            answer=frozenset({"a", "b"}),
            choices=(
                Choice("a", "Baker", "", 0.6),
                Choice("b", "Genscher", "", 0.4),
                Choice("c", "Kohl", "Not in these talks.", -1.0),
            ),
        ),
        teacher_question(
            QuestionType.ORDERING,
            answer=("a", "b", "c"),
            choices=(
                Choice("a", "Malta"),
                Choice("b", "Bonn"),
                Choice("c", "Moscow"),
            ),
        ),
        teacher_question(QuestionType.YEAR, answer=1990, tolerance=3),
        teacher_question(QuestionType.TRUE_FALSE, answer=False),
    ],
    ids=lambda q: q.type.value,
)
def test_hand_built_questions_survive_a_trip_through_the_edit_form(question):
    assert build_question(draft_from_question(question), BANK, question.id) == question


def test_a_draft_shows_weights_and_ranges_as_a_teacher_types_them():
    question = teacher_question(
        QuestionType.NUMERIC, answer=(NumericAnswer(0.1, 0.3, 0.5, "Close."),)
    )
    assert draft_from_question(question).numeric == [NumericDraft("0.2", "0.1", "50", "Close.")]
    single = teacher_question(
        QuestionType.SINGLE,
        answer="b",
        choices=(Choice("a", "Kohl", "", -0.25), Choice("b", "Baker")),
    )
    assert draft_from_question(single).choices == [
        ChoiceDraft("Kohl", False, "", "-25"),
        ChoiceDraft("Baker", True, "", ""),
    ]


def test_a_matching_draft_lists_each_pair_with_its_answer_then_the_distractors():
    question = teacher_question(
        QuestionType.MATCHING,
        pairs=(Choice("p1", "Baker"), Choice("p2", "Kohl")),
        choices=(Choice("a", "President"), Choice("b", "Chancellor"), Choice("c", "Secretary")),
        answer={"p1": "c", "p2": "b"},
    )
    draft = draft_from_question(question)
    assert draft.pairs == [PairDraft("Baker", "Secretary"), PairDraft("Kohl", "Chancellor")]
    assert draft.distractors == ["President"]
    rebuilt = build_question(draft, BANK, question.id)
    assert rebuilt.answer == {"p1": "a", "p2": "b"}
    assert rebuilt.choice_text("c") == "President"


# --- the passage picker -----------------------------------------------------


def test_every_sentence_the_passage_picker_offers_is_accepted_as_a_quote():
    hits = [
        h
        for s in BANK.article.sections
        for h in search_passages(BANK.article, "", section=s.number, limit=1000)
        if h.section == s.number
    ]
    assert len(hits) > 80
    for hit in hits:
        question = build(a_draft(section=hit.section, quote=hit.text))
        assert (question.section, question.quote) == (hit.section, hit.text)


def test_a_hit_of_a_search_is_accepted_as_a_quote_for_its_section():
    hits = search_passages(BANK.article, "not one inch")
    assert len(hits) >= 4
    for hit in hits:
        assert build(a_draft(section=hit.section, quote=hit.text)).quote == hit.text
