"""Cues: each one found in a question that has it, and not in one that does not."""

from dataclasses import replace

import pytest

from quizapp.domain.cues import (
    CueName,
    bank_figures,
    figure_problems,
    open_cues,
    question_cues,
)
from quizapp.domain.questions import Choice, Kind, Question, QuestionType
from quizapp.domain.rulebook import check_warnings

QUOTE = "the scope and binding nature remain ambiguous"


def single(*texts: str, right: int = 0, prompt: str = "What does the article say?", **changes):
    choices = tuple(Choice(chr(ord("a") + i), text) for i, text in enumerate(texts))
    question = Question(
        id="q-1",
        type=QuestionType.SINGLE,
        kind=Kind.FACT,
        prompt=prompt,
        section="2.3",
        quote=QUOTE,
        explanation="Because.",
        answer=choices[right].id,
        choices=choices,
    )
    return replace(question, **changes)


def multiple(right: list[str], wrong: list[str]) -> Question:
    texts = right + wrong
    choices = tuple(Choice(chr(ord("a") + i), t) for i, t in enumerate(texts))
    return Question(
        id="q-2",
        type=QuestionType.MULTIPLE,
        kind=Kind.FACT,
        prompt="Which are true?",
        section="2.3",
        quote=QUOTE,
        explanation="Because.",
        answer=frozenset(c.id for c in choices[: len(right)]),
        choices=choices,
    )


def ordering(prompt: str, *items: str) -> Question:
    choices = tuple(Choice(chr(ord("a") + i), t) for i, t in enumerate(items))
    return Question(
        id="q-3",
        type=QuestionType.ORDERING,
        kind=Kind.FACT,
        prompt=prompt,
        section="5",
        quote="1999: NATO admits Poland",
        explanation="Because.",
        answer=tuple(c.id for c in choices),
        choices=choices,
    )


def names(question: Question) -> set[CueName]:
    return {cue.name for cue in question_cues(question)}


def test_a_right_option_longer_by_a_quarter_than_every_wrong_one_is_a_cue():
    question = single("Twenty-five characters ok", "Twenty chars exactly", "Short")
    assert len("Twenty-five characters ok") >= 1.25 * len("Twenty chars exactly")
    assert CueName.LONGEST_RIGHT in names(question)


def test_a_right_option_barely_longest_is_no_cue():
    question = single("Twenty-one characters", "Twenty chars exactly", "Short")
    assert CueName.LONGEST_RIGHT not in names(question)


def test_multiple_choice_right_options_much_longer_on_average_is_a_cue():
    question = multiple(["A rather long right option", "Another long right one"], ["Short", "Tiny"])
    assert CueName.LONGEST_RIGHT in names(question)


def test_multiple_choice_options_of_like_length_are_no_cue():
    question = multiple(["A right option", "Right again"], ["A wrong option", "Wrong again"])
    assert CueName.LONGEST_RIGHT not in names(question)


def test_an_absolute_word_in_wrong_options_only_is_a_cue():
    question = single("Partly", "Entirely so", "Never at all")
    cue = next(c for c in question_cues(question) if c.name is CueName.ABSOLUTE_WORD)
    assert "entirely" in cue.message and "never" in cue.message


def test_an_absolute_word_in_the_right_option_too_is_no_cue():
    question = single("Only partly", "Entirely so", "Never")
    assert CueName.ABSOLUTE_WORD not in names(question)


def test_a_stem_ending_in_an_that_fits_only_some_options_is_a_cue():
    question = single("assurance", "treaty", "promise", prompt="Baker gave Gorbachev an")
    assert CueName.GRAMMAR in names(question)


def test_a_stem_ending_in_an_that_fits_every_option_is_no_cue():
    question = single("assurance", "oath", "undertaking", prompt="Baker gave Gorbachev an")
    assert CueName.GRAMMAR not in names(question)


def test_a_plural_stem_with_a_singular_option_is_a_cue():
    question = single(
        "Poland and Hungary", "a single state", "Latvia and Estonia",
        prompt="Which of these countries were admitted in 1999?",
    )  # fmt: skip
    assert CueName.GRAMMAR in names(question)


def test_a_plural_stem_with_plural_options_is_no_cue():
    question = single(
        "Poland and Hungary", "Romania and Bulgaria", "Latvia and Estonia",
        prompt="Which of these countries were admitted in 1999?",
    )  # fmt: skip
    assert CueName.GRAMMAR not in names(question)


@pytest.mark.parametrize("text", ["All of the above", "None of the above"])
def test_all_or_none_of_the_above_is_a_cue(text):
    assert CueName.ABOVE in names(single("Baker", "Kohl", text))


def test_options_without_above_are_no_cue():
    assert CueName.ABOVE not in names(single("Baker", "Kohl", "Bush"))


def test_a_prompt_that_names_items_it_asks_to_order_is_a_cue():
    question = ordering(
        "Order these, from Putin's Munich speech to the invasion of Ukraine.",
        "Putin's speech in Munich", "The intervention in Georgia", "The invasion of Ukraine",
    )  # fmt: skip
    cue = next(c for c in question_cues(question) if c.name is CueName.ORDER_NAMED)
    assert "item 1, 3" in cue.message


def test_a_prompt_that_names_no_item_is_no_cue():
    question = ordering(
        "Put these moments of Russia's response in chronological order.",
        "Putin's speech in Munich", "The intervention in Georgia", "The invasion of Ukraine",
    )  # fmt: skip
    assert CueName.ORDER_NAMED not in names(question)


def test_a_right_option_copied_from_the_quote_alone_is_a_cue():
    question = single(
        "The scope and binding nature remain ambiguous", "Nothing was said", "A treaty exists"
    )
    assert CueName.COPIED_QUOTE in names(question)


def test_a_paraphrased_right_option_is_no_cue():
    question = single("How far and how binding is unclear", "Nothing was said", "A treaty exists")
    assert CueName.COPIED_QUOTE not in names(question)


def test_an_acknowledged_cue_is_no_warning_but_still_counts_in_the_figures():
    question = single(
        "A much longer right option here", "Short", "Brief", acknowledged=(("longest-right", "x"),)
    )
    assert CueName.LONGEST_RIGHT in names(question)
    assert [c.name for c in open_cues(question)] == []
    assert check_warnings(question) == []
    assert bank_figures([question]).single_clear == 1


def test_a_warning_names_the_cue_and_what_to_do():
    [warning] = check_warnings(single("Baker", "None of the above", "Bush"))
    assert warning.field == "choices[1].text"
    assert warning.message.startswith("[above]") and "Write a real option" in warning.message


def test_a_tie_with_the_longest_wrong_option_counts_as_longest():
    figures = bank_figures([single("Same", "Size", "Tiny"), single("Short", "Longer")])
    assert (figures.single, figures.single_longest, figures.single_clear) == (2, 1, 0)


def test_the_multiple_choice_figure_is_the_mean_of_right_to_wrong_mean_lengths():
    # Ratios 2.0 (right 20, wrong 10) and 1.0 (both 10): the mean is 1.5.
    figures = bank_figures([multiple(["x" * 20], ["y" * 10]), multiple(["x" * 10], ["y" * 10])])
    assert figures.multiple == 2 and figures.multiple_ratio == pytest.approx(1.5)


def test_figures_over_a_threshold_are_reported():
    longest = [single("Longest one", "Short") for _ in range(2)]
    problems = figure_problems(bank_figures(longest))
    assert any("longest in 100%" in p for p in problems)
    assert figure_problems(bank_figures([single("Short", "Longest one")])) == []
