"""Grading without an app: form -> response -> grade, the JSON round trip and the feedback lines."""

import json

import pytest

from quizapp.domain.grading import (
    Grade,
    InvalidResponse,
    describe,
    fold_text,
    grade,
    mark_choices,
    parse_response,
    response_from_json,
    response_to_json,
)
from quizapp.domain.questions import Choice, Kind, NumericAnswer, Question, QuestionType

# --- factories --------------------------------------------------------------


def make_question(qtype, answer, **fields):
    defaults = dict(
        id=f"q-{qtype.value}",
        type=qtype,
        kind=Kind.FACT,
        prompt="A prompt?",
        section="s1",
        quote="A quote.",
        explanation="An explanation.",
        answer=answer,
    )
    return Question(**(defaults | fields))


def choices(*ids):
    return tuple(Choice(i, f"Text {i.upper()}") for i in ids)


def single_question(answer="b"):
    return make_question(QuestionType.SINGLE, answer, choices=choices("a", "b", "c"))


def classify_question(answer="west"):
    return make_question(
        QuestionType.CLASSIFY,
        answer,
        kind=Kind.INTERPRETATION,
        choices=(Choice("west", "Western view"), Choice("russia", "Russian view")),
    )


def multiple_question(answer=frozenset({"a", "b", "c"}), options=("a", "b", "c", "d", "e")):
    # By default 3 right options (a, b, c) and 2 wrong ones (d, e).
    return make_question(QuestionType.MULTIPLE, answer, choices=choices(*options))


def true_false_question(answer=True):
    return make_question(QuestionType.TRUE_FALSE, answer)


def year_question(answer=1990, tolerance=0):
    return make_question(QuestionType.YEAR, answer, tolerance=tolerance)


def ordering_question(answer=("a", "b", "c", "d")):
    return make_question(QuestionType.ORDERING, answer, choices=choices(*answer))


def matching_question():
    return make_question(
        QuestionType.MATCHING,
        {"baker": "x", "genscher": "y", "kohl": "z"},
        pairs=(Choice("baker", "Baker"), Choice("genscher", "Genscher"), Choice("kohl", "Kohl")),
        choices=choices("x", "y", "z"),
    )


def short_question():
    # "James Baker" and "Secretary Baker" are fully right, "Baker" is worth half.
    return make_question(
        QuestionType.SHORT,
        ("a", "c"),
        choices=(
            Choice("a", "James Baker"),
            Choice("b", "Baker", weight=0.5),
            Choice("c", "Secretary Baker", weight=1.0),
            Choice("d", "Kohl", weight=-0.5, feedback="Kohl met Gorbachev the next day."),
        ),
    )


def numeric_question(*answers):
    return make_question(QuestionType.NUMERIC, answers or (NumericAnswer(3.0, 3.0),))


def weighted_single_question():
    # The key "a" carries no weight, so it counts in full.
    return make_question(
        QuestionType.SINGLE,
        "a",
        choices=(
            Choice("a", "Baker"),
            Choice("b", "Kohl", weight=0.5),
            Choice("c", "Bush", weight=-0.25),
        ),
    )


def weighted_multiple_question():
    # Right: a, b (50 % each); c takes all the marks away; d carries no weight, so 0.
    return make_question(
        QuestionType.MULTIPLE,
        frozenset({"a", "b"}),
        choices=(
            Choice("a", "Poland", weight=0.5),
            Choice("b", "Hungary", weight=0.5),
            Choice("c", "Estonia", weight=-1.0),
            Choice("d", "Latvia"),
        ),
    )


def matching_form(**matches):
    return {f"match-{pair_id}": [choice_id] for pair_id, choice_id in matches.items()}


def assert_invalid(question, form, message):
    with pytest.raises(InvalidResponse) as raised:
        parse_response(question, form)
    assert str(raised.value) == message


UNKNOWN_OPTION = "That option is not one of this question's options."
YEAR_RANGE = "Enter a year between 1800 and 2100."
ORDER_EVERY_ITEM = "Put every item in order, each once."

# --- parse_response: single and classify ------------------------------------


def test_single_choice_is_parsed_to_its_id():
    assert parse_response(single_question(), {"choice": ["b"]}) == "b"


def test_classify_choice_is_parsed_to_its_id():
    assert parse_response(classify_question(), {"choice": ["russia"]}) == "russia"


def test_choice_surrounding_whitespace_is_ignored():
    assert parse_response(single_question(), {"choice": ["  b\n"]}) == "b"


def test_choice_given_as_a_bare_string_counts_as_one_value():
    assert parse_response(single_question(), {"choice": "b"}) == "b"


def test_fields_other_than_the_questions_are_ignored():
    form = {"choice": ["b"], "csrf_token": ["abc"], "submit": ["Answer"]}
    assert parse_response(single_question(), form) == "b"


@pytest.mark.parametrize("form", [{}, {"choice": []}, {"choice": [""]}, {"choice": ["   "]}])
def test_single_without_a_choice_is_invalid(form):
    assert_invalid(single_question(), form, "Choose one of the options.")


def test_single_with_two_choices_is_invalid():
    assert_invalid(single_question(), {"choice": ["a", "b"]}, "Choose only one option.")


@pytest.mark.parametrize("value", ["z", "B", "a,b", "x" * 1_000_000])
def test_single_with_an_unknown_choice_is_invalid(value):
    assert_invalid(single_question(), {"choice": [value]}, UNKNOWN_OPTION)


def test_classify_with_an_unknown_perspective_is_invalid():
    assert_invalid(classify_question(), {"choice": ["nato"]}, UNKNOWN_OPTION)


# --- parse_response: multiple -----------------------------------------------


def test_multiple_choices_are_parsed_to_a_frozenset():
    response = parse_response(multiple_question(), {"choice": ["c", "a"]})
    assert response == frozenset({"a", "c"})
    assert isinstance(response, frozenset)


@pytest.mark.parametrize("form", [{}, {"choice": []}, {"choice": ["", " "]}])
def test_multiple_without_any_choice_is_invalid(form):
    assert_invalid(multiple_question(), form, "Choose at least one option.")


def test_multiple_with_a_repeated_choice_is_invalid():
    assert_invalid(multiple_question(), {"choice": ["a", "a"]}, "Choose each option only once.")


def test_multiple_with_an_unknown_choice_is_invalid():
    assert_invalid(multiple_question(), {"choice": ["a", "zzz"]}, UNKNOWN_OPTION)


def test_multiple_with_more_values_than_options_is_invalid():
    form = {"choice": ["a"] * 100_000}
    assert_invalid(multiple_question(), form, "Choose each option only once.")


# --- parse_response: true/false ---------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False)])
def test_true_false_is_parsed_to_a_bool(value, expected):
    assert parse_response(true_false_question(), {"choice": [value]}) is expected


@pytest.mark.parametrize(
    "form",
    [{}, {"choice": ["yes"]}, {"choice": ["1"]}, {"choice": ["true", "false"]}],
)
def test_true_false_other_than_one_true_or_false_is_invalid(form):
    assert_invalid(true_false_question(), form, "Choose True or False.")


# --- parse_response: year ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1990", 1990), (" 1990 ", 1990), ("1800", 1800), ("2100", 2100)],
)
def test_year_in_range_is_parsed_to_an_int(value, expected):
    assert parse_response(year_question(), {"year": [value]}) == expected


@pytest.mark.parametrize(
    "value",
    [
        "1799",
        "2101",
        "0",
        "-1990",
        "+1990",
        "1990.0",
        "19 90",
        "nineteen ninety",
        "١٩٩٠",  # Arabic-Indic digits: str.isdigit() is true, still not a year we take
        "9" * 5000,  # beyond int()'s 4300-digit limit
    ],
)
def test_year_not_digits_in_range_is_invalid(value):
    assert_invalid(year_question(), {"year": [value]}, YEAR_RANGE)


def test_year_missing_is_invalid():
    assert_invalid(year_question(), {}, YEAR_RANGE)


def test_year_given_twice_is_invalid():
    assert_invalid(year_question(), {"year": ["1990", "1991"]}, YEAR_RANGE)


# --- parse_response: ordering -----------------------------------------------


def test_ordering_is_parsed_to_a_tuple_in_the_learners_order():
    response = parse_response(ordering_question(), {"order": ["d", "a", "c", "b"]})
    assert response == ("d", "a", "c", "b")


@pytest.mark.parametrize(
    "order",
    [
        [],
        ["a", "b", "c"],  # one item left out
        ["a", "b", "c", "c"],  # one item twice, another left out
        ["a", "b", "c", "d", "a"],  # an extra repeat
    ],
)
def test_ordering_without_every_item_once_is_invalid(order):
    assert_invalid(ordering_question(), {"order": order}, ORDER_EVERY_ITEM)


def test_ordering_missing_field_is_invalid():
    assert_invalid(ordering_question(), {}, ORDER_EVERY_ITEM)


def test_ordering_with_an_unknown_item_is_invalid():
    assert_invalid(ordering_question(), {"order": ["a", "b", "c", "zzz"]}, UNKNOWN_OPTION)


# --- parse_response: matching -----------------------------------------------


def test_matching_is_parsed_to_pair_id_to_choice_id():
    form = matching_form(baker="x", genscher="z", kohl="z")
    assert parse_response(matching_question(), form) == {
        "baker": "x",
        "genscher": "z",
        "kohl": "z",
    }


def test_matching_with_a_pair_left_unmatched_is_invalid():
    form = matching_form(baker="x", genscher="y")
    assert_invalid(matching_question(), form, "Choose a match for every item.")


def test_matching_with_a_blank_match_is_invalid():
    form = matching_form(baker="x", genscher="y", kohl="")
    assert_invalid(matching_question(), form, "Choose a match for every item.")


def test_matching_with_two_matches_for_one_pair_is_invalid():
    form = matching_form(baker="x", genscher="y") | {"match-kohl": ["z", "x"]}
    assert_invalid(matching_question(), form, "Choose only one match for each item.")


def test_matching_with_an_unknown_choice_is_invalid():
    form = matching_form(baker="x", genscher="y", kohl="nope")
    assert_invalid(matching_question(), form, UNKNOWN_OPTION)


# --- parse_response: short and numeric -------------------------------------

TYPE_AN_ANSWER = "Type an answer of at most 200 characters."
ENTER_A_NUMBER = "Enter a number, such as 12 or -3.5."


def test_short_text_is_stripped_and_its_spacing_made_single():
    assert parse_response(short_question(), {"text": ["  James \t  Baker \n"]}) == "James Baker"


def test_short_text_keeps_its_case_for_the_grader_to_fold():
    assert parse_response(short_question(), {"text": "JAMES baker"}) == "JAMES baker"


@pytest.mark.parametrize(
    "form",
    [{}, {"text": ["   "]}, {"text": ["Baker", "Kohl"]}, {"text": ["x" * 201]}],
    ids=["missing", "blank", "two values", "too long"],
)
def test_short_text_missing_repeated_or_too_long_is_invalid(form):
    assert_invalid(short_question(), form, TYPE_AN_ANSWER)


def test_short_text_of_exactly_200_characters_is_accepted():
    assert parse_response(short_question(), {"text": ["x" * 200]}) == "x" * 200


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12.0), ("-3.5", -3.5), ("-3,5", -3.5), ("+0.25", 0.25), (" 1990 ", 1990.0)],
)
def test_number_is_parsed_to_a_float(value, expected):
    number = parse_response(numeric_question(), {"number": [value]})
    assert number == expected
    assert type(number) is float


@pytest.mark.parametrize(
    "value",
    ["", "twelve", "12abc", "1e5", ".5", "1.", "1 000", "١٢", "1" * 16, "1." + "5" * 11, "nan"],
)
def test_number_not_a_plain_decimal_is_invalid(value):
    assert_invalid(numeric_question(), {"number": [value]}, ENTER_A_NUMBER)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "370,000",
            "“370,000” could be 370000 or 370.000: type 370000, or use a point for decimals.",
        ),
        ("-1,250", "“-1,250” could be -1250 or -1.250: type -1250, or use a point for decimals."),
    ],
)
def test_a_comma_before_three_digits_is_refused_as_thousands_or_decimals(value, message):
    # Read as a decimal comma, "370,000" was 370 and an English writer's right answer of
    # 370000 was marked wrong without a word.
    assert_invalid(numeric_question(), {"number": [value]}, message)


@pytest.mark.parametrize(("value", "expected"), [("0,125", 0.125), ("1234,567", 1234.567)])
def test_a_comma_that_cannot_group_thousands_is_a_decimal_comma(value, expected):
    assert parse_response(numeric_question(), {"number": [value]}) == expected


def test_number_given_twice_is_invalid():
    assert_invalid(numeric_question(), {"number": ["1", "2"]}, ENTER_A_NUMBER)


# --- Grade ------------------------------------------------------------------


def test_grade_is_correct_only_at_full_score():
    assert Grade(score=1.0, right_parts=1, total_parts=1).correct
    assert not Grade(score=0.9999, right_parts=5, total_parts=6).correct


def test_grade_refuses_a_score_above_one():
    with pytest.raises(ValueError):
        Grade(score=1.5, right_parts=1, total_parts=1)


# --- grade: all or nothing --------------------------------------------------


@pytest.mark.parametrize(
    ("question", "response"),
    [
        (single_question("b"), "b"),
        (classify_question("west"), "west"),
        (true_false_question(True), True),
        (true_false_question(False), False),
    ],
)
def test_response_equal_to_the_key_scores_one(question, response):
    assert grade(question, response) == Grade(score=1.0, right_parts=1, total_parts=1)


@pytest.mark.parametrize(
    ("question", "response"),
    [
        (single_question("b"), "a"),
        (classify_question("west"), "russia"),
        (true_false_question(True), False),
        (true_false_question(False), True),
    ],
)
def test_response_other_than_the_key_scores_zero(question, response):
    result = grade(question, response)
    assert result == Grade(score=0.0, right_parts=0, total_parts=1)
    assert not result.correct


# --- grade: multiple --------------------------------------------------------
# Key {a, b, c} of options a..e: 3 right options, 2 wrong ones (d, e).


def test_multiple_all_and_only_the_right_options_score_one():
    result = grade(multiple_question(), frozenset({"a", "b", "c"}))
    assert result.score == 1.0
    assert result.correct


def test_multiple_select_all_options_scores_zero():
    # 3/3 - 2/2 = 0
    assert grade(multiple_question(), frozenset("abcde")).score == 0.0


def test_multiple_only_wrong_options_scores_zero():
    # 0/3 - 2/2 = -1, floored at 0
    assert grade(multiple_question(), frozenset({"d", "e"})).score == 0.0


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ("a", 0.3333),  # 1/3
        ("ab", 0.6667),  # 2/3
        ("abcd", 0.5),  # 3/3 - 1/2
        ("abd", 0.1667),  # 2/3 - 1/2 = 1/6
        ("ad", 0.0),  # 1/3 - 1/2 < 0, floored at 0
    ],
)
def test_multiple_partial_credit_is_hits_minus_false_picks(chosen, expected):
    result = grade(multiple_question(), frozenset(chosen))
    assert result.score == expected
    assert not result.correct


def test_multiple_with_every_option_right_has_no_penalty_to_divide():
    question = multiple_question(answer=frozenset("abc"), options=("a", "b", "c"))
    assert grade(question, frozenset("ab")).score == 0.6667  # 2/3 - 0


def test_multiple_parts_are_options_marked_as_they_should_be():
    # {a, b}: a, b ticked rightly, c wrongly left out, d, e rightly left out: 4 of 5.
    result = grade(multiple_question(), frozenset("ab"))
    assert (result.right_parts, result.total_parts) == (4, 5)


# --- grade: year ------------------------------------------------------------


@pytest.mark.parametrize(
    ("tolerance", "response"),
    [(0, 1990), (2, 1991), (2, 1992), (2, 1988)],
)
def test_year_within_tolerance_scores_one(tolerance, response):
    assert grade(year_question(1990, tolerance), response).correct


@pytest.mark.parametrize(
    ("tolerance", "response"),
    [(0, 1991), (0, 1989), (2, 1993), (2, 1987)],
)
def test_year_beyond_tolerance_scores_zero(tolerance, response):
    assert grade(year_question(1990, tolerance), response).score == 0.0


# --- grade: ordering --------------------------------------------------------
# Key (a, b, c, d): 4 items make 4*3/2 = 6 pairs.


def test_ordering_in_key_order_scores_one():
    result = grade(ordering_question(), ("a", "b", "c", "d"))
    assert result == Grade(score=1.0, right_parts=6, total_parts=6)


def test_ordering_reversed_scores_zero():
    result = grade(ordering_question(), ("d", "c", "b", "a"))
    assert result == Grade(score=0.0, right_parts=0, total_parts=6)


def test_ordering_one_adjacent_swap_of_four_scores_five_sixths():
    # Only the pair (a, b) is out of order: 5/6 = 0.83333.. -> 0.8333
    result = grade(ordering_question(), ("b", "a", "c", "d"))
    assert result == Grade(score=0.8333, right_parts=5, total_parts=6)


def test_ordering_swap_of_first_and_last_scores_one_sixth():
    # (d, b, c, a): only (b, c) keeps its order; ab, ac, ad, bd, cd are inverted: 1/6
    assert grade(ordering_question(), ("d", "b", "c", "a")).score == 0.1667


def test_ordering_rotation_of_three_scores_one_third():
    # Key (a, b, c), response (b, c, a): only (b, c) in order of 3 pairs: 1/3
    question = ordering_question(("a", "b", "c"))
    assert grade(question, ("b", "c", "a")).score == 0.3333


# --- grade: matching --------------------------------------------------------


def test_matching_every_pair_right_scores_one():
    result = grade(matching_question(), {"baker": "x", "genscher": "y", "kohl": "z"})
    assert result == Grade(score=1.0, right_parts=3, total_parts=3)


def test_matching_two_of_three_pairs_right_scores_two_thirds():
    result = grade(matching_question(), {"baker": "x", "genscher": "y", "kohl": "y"})
    assert result == Grade(score=0.6667, right_parts=2, total_parts=3)


def test_matching_no_pair_right_scores_zero():
    result = grade(matching_question(), {"baker": "y", "genscher": "z", "kohl": "x"})
    assert result == Grade(score=0.0, right_parts=0, total_parts=3)


# --- grade: short ------------------------------------------------------------


@pytest.mark.parametrize("response", ["James Baker", "james baker", "JAMES BAKER", "james  Baker"])
def test_short_answer_equal_but_for_case_and_spacing_scores_one(response):
    assert grade(short_question(), response) == Grade(score=1.0, right_parts=1, total_parts=1)


def test_short_answer_weighted_100_scores_one():
    assert grade(short_question(), "secretary baker").correct


def test_short_answer_with_a_weight_scores_the_weight():
    # "Baker" is worth 50 %: half the mark, and not counted as right.
    assert grade(short_question(), "BAKER") == Grade(score=0.5, right_parts=0, total_parts=1)


def test_short_answer_with_a_negative_weight_scores_zero():
    assert grade(short_question(), "Kohl").score == 0.0


@pytest.mark.parametrize("response", ["Gorbachev", "Baker James", "JamesBaker", "James Bakers"])
def test_short_answer_matching_no_accepted_answer_scores_zero(response):
    assert grade(short_question(), response) == Grade(score=0.0, right_parts=0, total_parts=1)


@pytest.mark.parametrize(
    "response",
    ["James Baker.", "James-Baker", "james—baker", "“James Baker”", "Jámes Bäker", "JAMES, BAKER!"],
)
def test_short_answer_folds_hyphens_dashes_punctuation_and_accents(response):
    assert grade(short_question(), response).correct


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Two-Plus-Four", "two plus four"),
        ("James A. Baker III", "james a baker iii"),
        ("München", "munchen"),
        ("  2+4 ", "2 4"),
        ("Crimea/Ukraine", "crimea ukraine"),
    ],
)
def test_fold_text_makes_the_usual_variants_one(text, folded):
    assert fold_text(text) == folded


def test_punctuation_alone_is_no_answer_even_to_a_punctuation_answer():
    question = make_question(QuestionType.SHORT, ("a",), choices=(Choice("a", "?"),))
    assert grade(question, "!").score == 0.0


def test_short_answer_matching_two_accepted_answers_gets_the_better_credit():
    question = make_question(
        QuestionType.SHORT,
        ("b",),
        choices=(Choice("a", "Baker", weight=0.25), Choice("b", "baker")),
    )
    assert grade(question, "BAKER").score == 1.0


# --- grade: numeric ----------------------------------------------------------


@pytest.mark.parametrize(("response", "expected"), [(3.0, 1.0), (2.999, 0.0), (3.5, 0.0)])
def test_numeric_exact_answer_scores_only_that_number(response, expected):
    assert grade(numeric_question(), response).score == expected


@pytest.mark.parametrize(
    ("response", "expected"),
    [(1989.0, 1.0), (1990.0, 1.0), (1991.0, 1.0), (1988.99, 0.0), (1991.01, 0.0)],
)
def test_numeric_range_holds_its_bounds(response, expected):
    # 1990 ± 1: the range 1989..1991, bounds included.
    assert grade(numeric_question(NumericAnswer(1989.0, 1991.0)), response).score == expected


@pytest.mark.parametrize(
    ("response", "expected"),
    [(1990.0, 1.0), (1993.0, 0.5), (1985.0, 0.5), (2001.0, 0.25), (1970.0, 0.0)],
)
def test_numeric_ranges_with_credits_give_the_best_credit_holding_the_number(response, expected):
    # The wide ranges come first: 1990 lies in all three and still gets the full mark.
    question = numeric_question(
        NumericAnswer(1980.0, 2010.0, credit=0.25),
        NumericAnswer(1985.0, 1995.0, credit=0.5),
        NumericAnswer(1990.0, 1990.0),
    )
    result = grade(question, response)
    assert result.score == expected
    assert (result.right_parts, result.total_parts) == (int(expected == 1.0), 1)


def test_numeric_range_with_a_negative_credit_scores_zero():
    question = numeric_question(NumericAnswer(3.0, 3.0), NumericAnswer(4.0, 4.0, credit=-0.5))
    assert grade(question, 4.0).score == 0.0


# --- grade: weighted options (GIFT's %50%) -----------------------------------


@pytest.mark.parametrize(
    ("response", "expected"),
    [("a", 1.0), ("b", 0.5), ("c", 0.0)],
    ids=["key without a weight", "half", "negative clamps at 0"],
)
def test_weighted_single_scores_the_weight_of_the_chosen_option(response, expected):
    result = grade(weighted_single_question(), response)
    assert (result.score, result.total_parts) == (expected, 1)


@pytest.mark.parametrize(
    ("chosen", "expected", "right_parts"),
    [
        ("ab", 1.0, 4),  # 0.5 + 0.5; c and d rightly left out
        ("a", 0.5, 3),  # b wrongly left out
        ("ad", 0.5, 2),  # d carries nothing but is not one to tick
        ("abc", 0.0, 3),  # 0.5 + 0.5 - 1
        ("ac", 0.0, 2),  # 0.5 - 1 = -0.5, clamped at 0
        ("c", 0.0, 1),  # -1, clamped at 0
    ],
)
def test_weighted_multiple_adds_the_weights_of_the_chosen_options(chosen, expected, right_parts):
    result = grade(weighted_multiple_question(), frozenset(chosen))
    assert result == Grade(score=expected, right_parts=right_parts, total_parts=4)


def test_weights_of_a_third_add_up_to_full_marks():
    question = make_question(
        QuestionType.MULTIPLE,
        frozenset("abc"),
        choices=(*(Choice(i, i.upper(), weight=1 / 3) for i in "abc"), Choice("d", "D", weight=-1)),
    )
    assert grade(question, frozenset("abc")).correct
    assert grade(question, frozenset("ab")).score == 0.6667


# --- JSON round trip --------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "response", "stored"),
    [
        (single_question(), "a", "a"),
        (classify_question(), "russia", "russia"),
        (multiple_question(), frozenset({"c", "a"}), ["a", "c"]),
        (true_false_question(), False, False),
        (year_question(), 1989, 1989),
        (ordering_question(), ("c", "a", "d", "b"), ["c", "a", "d", "b"]),
        (matching_question(), {"baker": "x", "genscher": "z", "kohl": "y"}, None),
        (short_question(), "james baker", "james baker"),
        (numeric_question(), 12.0, 12),
        (numeric_question(), -3.5, -3.5),
    ],
    ids=lambda value: value.type.value if isinstance(value, Question) else None,
)
def test_response_survives_a_json_round_trip(question, response, stored):
    data = json.loads(json.dumps(response_to_json(question, response)))
    if stored is not None:
        assert data == stored
    restored = response_from_json(question, data)
    assert restored == response
    assert type(restored) is type(response)


@pytest.mark.parametrize(
    ("question", "data"),
    [
        (year_question(), True),
        (year_question(), "1990"),
        (true_false_question(), 1),
        (multiple_question(), "a"),
        (ordering_question(), ["a", 2]),
        (matching_question(), ["x", "y", "z"]),
        (short_question(), 12),
        (short_question(), ["James Baker"]),
        (numeric_question(), True),
        (numeric_question(), "12"),
        (numeric_question(), None),
    ],
)
def test_stored_response_of_the_wrong_shape_is_refused(question, data):
    with pytest.raises(ValueError):
        response_from_json(question, data)


# --- describe ---------------------------------------------------------------


def test_describe_single_gives_the_choice_text():
    assert describe(single_question(), "b") == ["Text B"]


def test_describe_classify_gives_the_perspective_name():
    assert describe(classify_question(), "russia") == ["Russian view"]


def test_describe_multiple_lists_chosen_texts_in_choice_order():
    assert describe(multiple_question(), frozenset({"d", "a"})) == ["Text A", "Text D"]


@pytest.mark.parametrize(("response", "expected"), [(True, ["True"]), (False, ["False"])])
def test_describe_true_false_gives_true_or_false(response, expected):
    assert describe(true_false_question(), response) == expected


def test_describe_year_gives_the_year_alone():
    assert describe(year_question(1990, tolerance=2), 1991) == ["1991"]


def test_describe_ordering_lists_texts_in_the_given_order():
    assert describe(ordering_question(), ("c", "a", "d", "b")) == [
        "Text C",
        "Text A",
        "Text D",
        "Text B",
    ]


def test_describe_matching_lists_pairs_in_question_order():
    response = {"kohl": "z", "baker": "y", "genscher": "x"}
    assert describe(matching_question(), response) == [
        "Baker → Text Y",
        "Genscher → Text X",
        "Kohl → Text Z",
    ]


def test_describe_works_on_the_answer_key():
    question = matching_question()
    assert describe(question, question.answer)[0] == "Baker → Text X"


def test_describe_short_gives_the_typed_text():
    assert describe(short_question(), "james  baker") == ["james  baker"]


def test_describe_short_key_lists_the_fully_right_answers():
    question = short_question()
    assert describe(question, question.answer) == ["James Baker or Secretary Baker"]


@pytest.mark.parametrize(("response", "expected"), [(12.0, "12"), (-3.25, "-3.25"), (0.1, "0.1")])
def test_describe_numeric_gives_the_number_without_noise(response, expected):
    assert describe(numeric_question(), response) == [expected]


def test_describe_numeric_key_lists_the_full_mark_ranges():
    question = numeric_question(
        NumericAnswer(1990.0, 1990.0),
        NumericAnswer(1989.0, 1991.0),
        NumericAnswer(0.1, 0.4),
        NumericAnswer(1980.0, 2000.0, credit=0.5),
    )
    assert describe(question, question.answer) == ["1990 or 1989 to 1991 (1990 ± 1) or 0.1 to 0.4"]


# --- mark_choices -------------------------------------------------------------


def test_multiple_choice_marks_ticked_right_ticked_wrong_and_missed_options():
    marks = mark_choices(multiple_question(), frozenset({"a", "d"}))
    assert [(m.text, m.right, m.note) for m in marks] == [
        ("Text A", True, "correct, you ticked it"),
        ("Text B", False, "correct, you did not tick it"),
        ("Text C", False, "correct, you did not tick it"),
        ("Text D", False, "not correct, you ticked it"),
    ]


def test_ordering_marks_each_item_in_the_learners_order_by_its_place():
    marks = mark_choices(ordering_question(), ("b", "a", "c", "d"))
    assert [(m.text, m.right, m.note) for m in marks] == [
        ("Text B", False, "belongs at position 2"),
        ("Text A", False, "belongs at position 1"),
        ("Text C", True, "in the right place"),
        ("Text D", True, "in the right place"),
    ]


def test_matching_marks_each_pair_and_names_the_right_match():
    marks = mark_choices(matching_question(), {"baker": "x", "genscher": "z", "kohl": "y"})
    assert [(m.text, m.right, m.note) for m in marks] == [
        ("Baker → Text X", True, "right match"),
        ("Genscher → Text Z", False, "it goes with Text Y"),
        ("Kohl → Text Y", False, "it goes with Text Z"),
    ]


def test_types_without_choices_to_mark_have_no_marks():
    assert mark_choices(year_question(), 1990) == []
