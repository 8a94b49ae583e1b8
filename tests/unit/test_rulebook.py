"""The rulebook: every rule a question obeys, reported by field, whatever it came in by."""

from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.domain import rulebook
from quizapp.domain.bank import load_bank
from quizapp.domain.questions import Choice, Kind, NumericAnswer, Question, QuestionType
from quizapp.domain.rulebook import Problem, check_question, quote_problem, split_field

BANK = load_bank(Path(__file__).resolve().parents[2] / "questions")
BAKER_QUOTE = "Baker asked Gorbachev whether he preferred a unified Germany"


def single(**changes) -> Question:
    question = Question(
        id="t-1",
        type=QuestionType.SINGLE,
        kind=Kind.FACT,
        prompt="Who asked Gorbachev about a unified Germany?",
        section="1",
        quote=BAKER_QUOTE,
        explanation="The article names James Baker.",
        answer="a",
        choices=(Choice("a", "Baker"), Choice("b", "Kohl"), Choice("c", "Bush")),
    )
    return replace(question, **changes)


def options(count: int) -> tuple[Choice, ...]:
    return tuple(Choice(chr(ord("a") + i), f"Option number {i}") for i in range(count))


def check(question: Question, **options) -> list[Problem]:
    return check_question(question, BANK.article, BANK.perspectives, **options)


def fields(question: Question, **options) -> list[str]:
    return [p.field for p in check(question, **options)]


def test_every_shipped_question_keeps_every_rule():
    assert [(q.id, check(q)) for q in BANK.questions if check(q)] == []


def test_a_valid_question_has_no_problem():
    assert check(single()) == []


@pytest.mark.parametrize("count", [2, 10, 20])
def test_a_single_question_takes_two_to_twenty_options(count):
    assert check(single(choices=options(count))) == []


@pytest.mark.parametrize("count", [1, 21])
def test_a_single_question_outside_two_to_twenty_options_is_refused(count):
    problems = check(single(choices=options(count)))
    assert (
        Problem("choices", f"A single-choice question has 2 to 20 options; this one has {count}.")
        in problems
    )


def test_a_prompt_of_ten_thousand_characters_is_accepted_and_one_more_is_not():
    assert check(single(prompt="x" * 10_000)) == []
    assert check(single(prompt="x" * 10_001)) == [
        Problem("prompt", "The question is 10,001 characters long; keep it to 10,000.")
    ]


def test_an_empty_prompt_is_refused():
    assert check(single(prompt="  ")) == [Problem("prompt", "The question has no text.")]


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\r"])
def test_a_control_character_is_refused_wherever_it_is(character):
    question = single(
        choices=(Choice("a", "Baker"), Choice("b", f"Ko{character}hl"), Choice("c", "Bush"))
    )
    [problem] = check(question)
    assert problem.field == "choices[1].text"
    assert f"U+{ord(character):04X}" in problem.message
    assert fields(single(explanation=f"Why{character}")) == ["explanation"]


def test_tabs_and_newlines_are_text():
    assert check(single(prompt="Who asked\tGorbachev\nabout Germany?")) == []


def test_the_correct_option_of_a_single_question_is_worth_full_marks():
    choices = (Choice("a", "Baker", weight=0.5), Choice("b", "Kohl"), Choice("c", "Bush"))
    assert fields(single(choices=choices)) == ["choices[0].weight"]


def test_another_single_option_may_also_be_worth_full_marks_as_moodle_allows():
    choices = (Choice("a", "Baker"), Choice("b", "Kohl", weight=1.0), Choice("c", "Bush"))
    assert check(single(choices=choices)) == []


def test_two_options_that_differ_only_in_case_and_spacing_are_the_same():
    choices = (Choice("a", "Baker"), Choice("b", "james  baker"), Choice("c", "JAMES baker"))
    assert check(single(choices=choices)) == [
        Problem("choices[2].text", "Options 2 and 3 are the same.")
    ]


def multiple(*weights: float | None, answer=("a", "b")) -> Question:
    choices = tuple(
        Choice(chr(ord("a") + i), f"Option {i}", weight=w) for i, w in enumerate(weights)
    )
    return single(type=QuestionType.MULTIPLE, choices=choices, answer=frozenset(answer))


def test_the_weights_of_the_correct_options_add_up_to_one_hundred():
    assert check(multiple(0.5, 0.5, -1.0)) == []
    assert check(multiple(1 / 3, 1 / 3, 1 / 3, -1.0, answer="abc")) == []
    assert check(multiple(0.5, 0.4, -1.0)) == [
        Problem(
            "choices",
            "The weights of the correct options add up to 90%; they must add up to 100% "
            "(write thirds as 33.333).",
        )
    ]


def test_a_wrong_option_cannot_earn_marks():
    assert fields(multiple(0.5, 0.5, 0.2)) == ["choices[2].weight"]


def test_a_multiple_question_needs_a_wrong_option():
    assert fields(multiple(None, None, answer="ab")) == ["choices"]


def test_a_weight_beyond_one_hundred_percent_is_refused():
    assert fields(multiple(0.5, 0.5, -1.5)) == ["choices[2].weight"]


def test_a_short_answer_longer_than_a_learner_may_type_is_refused():
    question = single(type=QuestionType.SHORT, choices=(Choice("a", "x" * 201),), answer=("a",))
    assert check(question) == [
        Problem("choices[0].text", "Answer 1 is 201 characters long; keep it to 200.")
    ]


def test_a_short_question_needs_an_answer_worth_full_marks():
    question = single(
        type=QuestionType.SHORT, choices=(Choice("a", "Baker", weight=0.5),), answer=()
    )
    assert fields(question) == ["choices"]


def test_ordering_items_carry_no_feedback():
    choices = (Choice("a", "One"), Choice("b", "Two", "because"), Choice("c", "Three"))
    question = single(type=QuestionType.ORDERING, choices=choices, answer=("a", "b", "c"))
    assert fields(question) == ["choices[1].feedback"]


def matching(lefts, rights) -> Question:
    pairs = tuple(Choice(f"p{i + 1}", text) for i, text in enumerate(lefts))
    choices = tuple(Choice(chr(ord("a") + i), text) for i, text in enumerate(rights))
    answer = {p.id: choices[i].id for i, p in enumerate(pairs)}
    return single(type=QuestionType.MATCHING, pairs=pairs, choices=choices, answer=answer)


def test_a_distractor_may_not_be_a_right_side():
    question = matching(["Baker", "Kohl"], ["USA", "FRG", "usa"])
    assert check(question) == [
        Problem("choices[2].text", "Distractor 1 “usa” is also the right side of pair 1.")
    ]


def test_a_matching_question_has_two_pairs_at_least():
    assert fields(matching(["Baker"], ["USA"])) == ["pairs"]


def test_a_numeric_question_needs_a_range_worth_full_marks():
    question = single(type=QuestionType.NUMERIC, choices=(), answer=(NumericAnswer(1.0, 2.0, 0.5),))
    assert fields(question) == ["answer"]


def test_a_numeric_range_beyond_what_a_learner_can_type_is_refused():
    question = single(type=QuestionType.NUMERIC, choices=(), answer=(NumericAnswer(0, 1e16),))
    assert fields(question) == ["answer[0].value"]


def test_a_year_outside_the_range_is_refused():
    question = single(type=QuestionType.YEAR, choices=(), answer=1700, tolerance=11)
    assert fields(question) == ["answer", "tolerance"]


def test_a_classify_answer_must_be_a_perspective():
    question = single(type=QuestionType.CLASSIFY, choices=(), answer="nobody")
    assert fields(question) == ["answer"]


def test_topics_are_tags_at_most_twenty():
    assert fields(single(topics=("Baker",))) == ["topics[0]"]
    assert fields(single(topics=tuple(f"t{i}" for i in range(21)))) == ["topics"]


def test_a_question_waiting_for_its_passage_may_wait_for_its_explanation():
    waiting = single(section="", quote="", explanation="")
    assert check(waiting, require_source=False) == []
    assert fields(waiting) == ["explanation", "quote"]


def test_a_quote_without_section_or_section_without_quote_is_refused():
    assert fields(single(section=""), require_source=False) == ["section"]
    assert fields(single(quote=""), require_source=False) == ["quote"]


def test_a_quote_in_another_section_says_where_it_is():
    assert check(single(section="2")) == [Problem("section", "The quote is in section 1, not 2.")]


def test_a_missing_section_is_reported_on_the_section():
    assert check(single(section="99")) == [
        Problem("section", "There is no section 99 in the article; the quote is in section 1.")
    ]


def test_a_quote_with_straight_quotes_is_shown_the_typographic_original():
    quote = "not one inch of NATO's present military jurisdiction"
    problem = quote_problem(BANK.article, "1", quote)
    assert problem.field == "quote"
    assert "typographic characters" in problem.message
    assert "NATO’s present military jurisdiction" in problem.message


def test_a_quote_that_goes_astray_says_where():
    quote = "Baker asked Gorbachev whether he wanted a unified Germany"
    problem = quote_problem(BANK.article, "1", quote)
    assert "its first 5 words are in section 1" in problem.message
    assert "“preferred a unified Germany” where the quote has “wanted a unified Germany”" in (
        problem.message
    )


def test_a_quote_unlike_anything_says_nothing_comes_close():
    problem = quote_problem(BANK.article, "1", "zebras quietly grazing")
    assert problem.message.endswith("no paragraph comes close.")


def test_without_a_hint_the_quote_problem_is_short():
    problem = quote_problem(BANK.article, "1", "zebras quietly grazing", hint=False)
    assert problem == Problem("quote", "The quote is not word for word in the article.")


def test_a_field_name_splits_into_name_index_and_part():
    assert split_field("choices[2].text") == ("choices", 2, "text")
    assert split_field("topics[3]") == ("topics", 3, None)
    assert split_field("prompt") == ("prompt", None, None)


def test_the_readme_prints_the_limits_table():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for what, limit in rulebook.LIMITS:
        assert f"| {what} | {limit} |" in readme
