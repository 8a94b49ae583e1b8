"""Grading: a submitted form becomes a response, a response gets a score.

`parse_response` is the only door from the form to the grader: it checks every
value against the question and raises `InvalidResponse` with a message the
student can read. `grade` then scores a well-formed response against the key.
A response and a key share one shape per type (see `Response` in `questions`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, TypeAlias

from quizapp.domain.questions import Choice, NumericAnswer, Question, QuestionType, Response

YEAR_MIN = 1800
YEAR_MAX = 2100
SCORE_DECIMALS = 4

TRUE_FALSE_VALUES = {"true": True, "false": False}

# Four ASCII digits at most: str.isdigit() would let Arabic-Indic or superscript
# digits through, and int() of a huge digit string is slow (and raises above 4300 digits).
_YEAR_PATTERN = re.compile(r"[0-9]{1,4}")

_CHOOSE_ONE = "Choose one of the options."
_CHOOSE_ONLY_ONE = "Choose only one option."
_CHOOSE_AT_LEAST_ONE = "Choose at least one option."
_CHOOSE_EACH_ONCE = "Choose each option only once."
_UNKNOWN_OPTION = "That option is not one of this question's options."
_TRUE_OR_FALSE = "Choose True or False."
_YEAR_RANGE = f"Enter a year between {YEAR_MIN} and {YEAR_MAX}."
_ORDER_EVERY_ITEM = "Put every item in order, each once."
_MATCH_EVERY_ITEM = "Choose a match for every item."
_MATCH_ONLY_ONE = "Choose only one match for each item."
SHORT_MAX_LENGTH = 200
_TYPE_AN_ANSWER = f"Type an answer of at most {SHORT_MAX_LENGTH} characters."
_ENTER_A_NUMBER = "Enter a number, such as 12 or -3.5."
# A plain decimal, ASCII digits only, a comma accepted for the decimal point; bounded so
# that float() never sees a huge string.
_NUMBER_PATTERN = re.compile(r"[-+]?[0-9]{1,15}(?:[.,][0-9]{1,10})?")
# A comma after one to three digits (the first not 0) and before exactly three more groups
# thousands to an English writer and marks decimals to a French one ("1,250": 1250 or
# 1.25?): such a number is refused with both readings, never guessed.
_THOUSANDS_OR_DECIMAL = re.compile(r"([-+]?[1-9][0-9]{0,2}),([0-9]{3})")

JsonResponse: TypeAlias = str | bool | int | list[str] | dict[str, str]


class InvalidResponse(ValueError):
    """The submitted form does not answer the question; the message is shown to the student."""


@dataclass(frozen=True)
class Grade:
    """The score of one response, with the counts the feedback page shows.

    `score` is in 0.0..1.0, rounded to 4 decimals. `right_parts` of `total_parts`
    says what was right, by type: 1 of 1 for single, classify, true/false and
    year; options ticked or left as they should be, of all options, for
    multiple; item pairs in the right relative order, of n(n-1)/2, for
    ordering; pairs matched to their key, of all pairs, for matching.
    `correct` is true exactly when the score is 1.0.
    """

    score: float
    right_parts: int
    total_parts: int
    correct: bool = field(init=False)

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} is outside 0..1")
        if not 0 <= self.right_parts <= self.total_parts:
            raise ValueError(f"{self.right_parts} right parts of {self.total_parts}")
        # Derived, not passed in, so that it can never disagree with the score.
        object.__setattr__(self, "correct", self.score == 1.0)


# --- parsing the form -------------------------------------------------------


def parse_response(question: Question, form: Mapping[str, Sequence[str]]) -> Response:
    """Turn submitted form fields into a response of the question's shape.

    `form` maps a field name to its values, as werkzeug's
    `MultiDict.to_dict(flat=False)` gives (a bare string counts as one value).
    Values are stripped of surrounding whitespace and blank ones are dropped.
    Fields other than the question's own (a CSRF token, the button) are ignored.
    Nothing is trusted: a missing answer, an id that is not the question's, a
    repeated id, a second value for a one-value field or a year outside
    1800..2100 raises `InvalidResponse`, so a half answer is never recorded.
    """
    match question.type:
        case QuestionType.SINGLE | QuestionType.CLASSIFY:
            return _parse_choice(question, form)
        case QuestionType.MULTIPLE:
            return _parse_multiple(question, form)
        case QuestionType.TRUE_FALSE:
            return _parse_true_false(form)
        case QuestionType.YEAR:
            return _parse_year(form)
        case QuestionType.ORDERING:
            return _parse_ordering(question, form)
        case QuestionType.MATCHING:
            return _parse_matching(question, form)
        case QuestionType.SHORT:
            return _parse_short(form)
        case QuestionType.NUMERIC:
            return _parse_number(form)
    raise ValueError(f"unknown question type {question.type!r}")


def form_fields(question: Question) -> list[str]:
    """The names of the form fields that carry an answer to the question."""
    match question.type:
        case QuestionType.YEAR:
            return ["year"]
        case QuestionType.SHORT:
            return ["text"]
        case QuestionType.NUMERIC:
            return ["number"]
        case QuestionType.ORDERING:
            return ["order"]
        case QuestionType.MATCHING:
            return [f"match-{pair.id}" for pair in question.pairs]
    return ["choice"]


def is_blank(question: Question, form: Mapping[str, Sequence[str]]) -> bool:
    """Whether the form leaves the question unanswered: none of its answer fields holds a
    value. (An ordering question always holds an order, so it is never blank.)"""
    return not any(_values(form, name) for name in form_fields(question))


def response_to_form(question: Question, data: Any) -> dict[str, list[str]]:
    """The form fields that give a stored response back: a saved answer, shown again on the
    question's page to be kept or changed. The inverse of `parse_response`."""
    response = response_from_json(question, data)
    match question.type:
        case QuestionType.TRUE_FALSE:
            return {"choice": ["true" if response else "false"]}
        case QuestionType.MULTIPLE:
            return {"choice": sorted(response)}
        case QuestionType.YEAR:
            return {"year": [str(response)]}
        case QuestionType.ORDERING:
            return {"order": list(response)}
        case QuestionType.MATCHING:
            return {f"match-{pair}": [choice] for pair, choice in response.items()}
        case QuestionType.SHORT:
            return {"text": [response]}
        case QuestionType.NUMERIC:
            # As many decimals as a typed number may have, none of the trailing zeros.
            return {"number": [f"{response:.10f}".rstrip("0").rstrip(".")]}
    return {"choice": [response]}


def _values(form: Mapping[str, Sequence[str]], name: str) -> list[str]:
    raw = form.get(name, ())
    if isinstance(raw, str):
        raw = (raw,)
    stripped = (value.strip() for value in raw)
    return [value for value in stripped if value]


def _one_value(form: Mapping[str, Sequence[str]], name: str, missing: str, extra: str) -> str:
    values = _values(form, name)
    if not values:
        raise InvalidResponse(missing)
    if len(values) > 1:
        raise InvalidResponse(extra)
    return values[0]


def _choice_ids(question: Question) -> set[str]:
    return {choice.id for choice in question.choices}


def _parse_choice(question: Question, form: Mapping[str, Sequence[str]]) -> str:
    choice_id = _one_value(form, "choice", _CHOOSE_ONE, _CHOOSE_ONLY_ONE)
    if choice_id not in _choice_ids(question):
        raise InvalidResponse(_UNKNOWN_OPTION)
    return choice_id


def _parse_multiple(question: Question, form: Mapping[str, Sequence[str]]) -> frozenset[str]:
    values = _values(form, "choice")
    if not values:
        raise InvalidResponse(_CHOOSE_AT_LEAST_ONE)
    known = _choice_ids(question)
    # More values than options means a repeat or a stranger; refuse before looking at each.
    if len(values) > len(known):
        raise InvalidResponse(_CHOOSE_EACH_ONCE)
    if any(value not in known for value in values):
        raise InvalidResponse(_UNKNOWN_OPTION)
    chosen = frozenset(values)
    if len(chosen) != len(values):
        raise InvalidResponse(_CHOOSE_EACH_ONCE)
    return chosen


def _parse_true_false(form: Mapping[str, Sequence[str]]) -> bool:
    value = _one_value(form, "choice", _TRUE_OR_FALSE, _TRUE_OR_FALSE)
    if value not in TRUE_FALSE_VALUES:
        raise InvalidResponse(_TRUE_OR_FALSE)
    return TRUE_FALSE_VALUES[value]


def _parse_year(form: Mapping[str, Sequence[str]]) -> int:
    value = _one_value(form, "year", _YEAR_RANGE, _YEAR_RANGE)
    if not _YEAR_PATTERN.fullmatch(value):
        raise InvalidResponse(_YEAR_RANGE)
    year = int(value)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidResponse(_YEAR_RANGE)
    return year


def _parse_ordering(question: Question, form: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    values = _values(form, "order")
    known = _choice_ids(question)
    if len(values) > len(known):
        raise InvalidResponse(_ORDER_EVERY_ITEM)
    if any(value not in known for value in values):
        raise InvalidResponse(_UNKNOWN_OPTION)
    if len(values) != len(known) or set(values) != known:
        raise InvalidResponse(_ORDER_EVERY_ITEM)
    return tuple(values)


def _parse_matching(question: Question, form: Mapping[str, Sequence[str]]) -> dict[str, str]:
    known = _choice_ids(question)
    matches: dict[str, str] = {}
    for pair in question.pairs:
        choice_id = _one_value(form, f"match-{pair.id}", _MATCH_EVERY_ITEM, _MATCH_ONLY_ONE)
        if choice_id not in known:
            raise InvalidResponse(_UNKNOWN_OPTION)
        matches[pair.id] = choice_id
    return matches


def _parse_short(form: Mapping[str, Sequence[str]]) -> str:
    value = _one_value(form, "text", _TYPE_AN_ANSWER, _TYPE_AN_ANSWER)
    if len(value) > SHORT_MAX_LENGTH:
        raise InvalidResponse(_TYPE_AN_ANSWER)
    return " ".join(value.split())


def _parse_number(form: Mapping[str, Sequence[str]]) -> float:
    value = _one_value(form, "number", _ENTER_A_NUMBER, _ENTER_A_NUMBER)
    if not _NUMBER_PATTERN.fullmatch(value):
        raise InvalidResponse(_ENTER_A_NUMBER)
    refusal = ambiguous_comma(value)
    if refusal is not None:
        raise InvalidResponse(refusal)
    return float(value.replace(",", "."))


def ambiguous_comma(text: str) -> str | None:
    """Why a number typed with a comma has two readings ("“1,250” could be 1250 or
    1.250: …"), or None when it has one; for learners' answers and teachers' keys alike."""
    match = _THOUSANDS_OR_DECIMAL.fullmatch(text)
    if match is None:
        return None
    whole, part = match.groups()
    return (
        f"“{text}” could be {whole}{part} or {whole}.{part}: type {whole}{part}, "
        "or use a point for decimals."
    )


def fold_text(text: str) -> str:
    """A short answer as compared, so that the usual ways of writing it are one: accents
    dropped ("München" is "Munchen"), hyphens, dashes, punctuation and symbols made spaces
    ("Two-Plus-Four" is "Two Plus Four", "James A. Baker III" is "James A Baker III"), runs
    of whitespace one space, case folded. Option texts are told apart by the same fold."""
    kept = []
    for char in unicodedata.normalize("NFKD", text):
        category = unicodedata.category(char)
        if category == "Mn":  # a combining accent, split off its letter by NFKD
            continue
        kept.append(" " if category[0] in "PS" else char)
    return " ".join("".join(kept).split()).casefold()


# --- grading ----------------------------------------------------------------


def grade(question: Question, response: Response) -> Grade:
    """Score a response (as `parse_response` gives) against the question's key.

    - single, classify, true/false: 1 if the response equals the key, else 0.
    - multiple, partial credit as in Moodle: hits/|right options| minus
      false picks/|wrong options|, never below 0. All and only the right
      options score 1; ticking every option scores 0.
    - year: 1 if the response is within `tolerance` years of the key, else 0.
    - ordering: the fraction of the n(n-1)/2 item pairs whose relative order
      matches the key, so the reverse order scores 0 and one adjacent swap of
      4 items scores 5/6.
    - matching: the fraction of pairs matched to their key.
    - short: the credit of the accepted answer that equals the response once case
      and whitespace are folded (1 unless the answer has a weight), else 0.
    - numeric: the highest credit among the accepted ranges holding the response.
    - Weighted choices (imported from GIFT): a single question scores the
      weight of the chosen option; a multiple question the sum of the weights
      of the chosen options, kept within 0..1, so that a negative weight takes
      marks away.

    Scores are rounded to 4 decimals so that they are stable in storage.
    """
    weighted = any(choice.weight is not None for choice in question.choices)
    match question.type:
        case QuestionType.SINGLE if weighted:
            return _grade_weighted(question, frozenset({response}))
        case QuestionType.MULTIPLE if weighted:
            return _grade_weighted(question, response)
        case QuestionType.SINGLE | QuestionType.CLASSIFY | QuestionType.TRUE_FALSE:
            return _all_or_nothing(response == question.answer)
        case QuestionType.MULTIPLE:
            return _grade_multiple(question, response)
        case QuestionType.SHORT:
            return _grade_short(question, response)
        case QuestionType.NUMERIC:
            credits = [a.credit for a in question.answer if a.low <= response <= a.high]
            return _partial(max(credits, default=0.0))
        case QuestionType.YEAR:
            return _all_or_nothing(abs(response - question.answer) <= question.tolerance)
        case QuestionType.ORDERING:
            return _grade_ordering(question.answer, response)
        case QuestionType.MATCHING:
            return _grade_matching(question.answer, response)
    raise ValueError(f"unknown question type {question.type!r}")


def _score(value: float) -> float:
    return round(max(0.0, min(1.0, value)), SCORE_DECIMALS)


def _all_or_nothing(right: bool) -> Grade:
    return Grade(score=1.0 if right else 0.0, right_parts=int(right), total_parts=1)


def _partial(score: float) -> Grade:
    score = _score(score)
    return Grade(score=score, right_parts=int(score == 1.0), total_parts=1)


def _weight(question: Question, choice: Choice) -> float:
    if choice.weight is not None:
        return choice.weight
    # A choice without a weight in a weighted question counts as the key says.
    if question.type is QuestionType.SINGLE:
        return 1.0 if choice.id == question.answer else 0.0
    return 0.0


def _grade_weighted(question: Question, chosen: frozenset[str]) -> Grade:
    score = _score(sum(_weight(question, c) for c in question.choices if c.id in chosen))
    good = {c.id for c in question.choices if _weight(question, c) > 0}
    marked_right = sum((c.id in chosen) == (c.id in good) for c in question.choices)
    if question.type is QuestionType.SINGLE:
        return _partial(score)
    return Grade(score=score, right_parts=marked_right, total_parts=len(question.choices))


def matching_answer(question: Question, text: str) -> Choice | None:
    """The accepted answer of a short question that `text` equals once folded, the best first."""
    folded = fold_text(text)
    if not folded:  # punctuation alone is no answer, even to an answer of punctuation
        return None
    hits = [c for c in question.choices if fold_text(c.text) == folded]
    return max(hits, key=lambda c: 1.0 if c.weight is None else c.weight, default=None)


def _grade_short(question: Question, text: str) -> Grade:
    hit = matching_answer(question, text)
    if hit is None:
        return _partial(0.0)
    return _partial(1.0 if hit.weight is None else hit.weight)


def _grade_multiple(question: Question, chosen: frozenset[str]) -> Grade:
    right_options = frozenset(question.answer)
    wrong_options = _choice_ids(question) - right_options
    hits = len(chosen & right_options)
    false_picks = len(chosen & wrong_options)
    # With no wrong options there is nothing to falsely pick, hence no penalty.
    penalty = false_picks / len(wrong_options) if wrong_options else 0.0
    marked_right = sum((c.id in chosen) == (c.id in right_options) for c in question.choices)
    return Grade(
        score=_score(hits / len(right_options) - penalty),
        right_parts=marked_right,
        total_parts=len(question.choices),
    )


def _grade_ordering(key: Sequence[str], order: Sequence[str]) -> Grade:
    position = {item: index for index, item in enumerate(order)}
    pairs = list(combinations(key, 2))
    in_order = sum(position[first] < position[second] for first, second in pairs)
    # Fewer than two items leave no pair to get wrong.
    score = in_order / len(pairs) if pairs else 1.0
    return Grade(score=_score(score), right_parts=in_order, total_parts=len(pairs))


def _grade_matching(key: Mapping[str, str], matches: Mapping[str, str]) -> Grade:
    right = sum(matches.get(pair_id) == choice_id for pair_id, choice_id in key.items())
    score = right / len(key) if key else 1.0
    return Grade(score=_score(score), right_parts=right, total_parts=len(key))


# --- storage ----------------------------------------------------------------


def response_to_json(question: Question, response: Response) -> JsonResponse:
    """A JSON-safe form of the response: a set becomes a sorted list, a tuple a list."""
    match question.type:
        case QuestionType.MULTIPLE:
            return sorted(response)
        case QuestionType.ORDERING:
            return list(response)
        case QuestionType.MATCHING:
            return dict(response)
        case QuestionType.NUMERIC:
            return int(response) if float(response).is_integer() else response
    return response


def response_from_json(question: Question, data: Any) -> Response:
    """The inverse of `response_to_json`; raises ValueError if `data` has the wrong shape."""
    qtype = question.type
    match qtype:
        case QuestionType.SINGLE | QuestionType.CLASSIFY if isinstance(data, str):
            return data
        case QuestionType.TRUE_FALSE if isinstance(data, bool):
            return data
        # bool is an int in Python; a stored true must not pass for the year 1.
        case QuestionType.YEAR if isinstance(data, int) and not isinstance(data, bool):
            return data
        case QuestionType.MULTIPLE if _is_str_list(data):
            return frozenset(data)
        case QuestionType.ORDERING if _is_str_list(data):
            return tuple(data)
        case QuestionType.MATCHING if _is_str_dict(data):
            return dict(data)
        case QuestionType.SHORT if isinstance(data, str):
            return data
        case QuestionType.NUMERIC if isinstance(data, int | float) and not isinstance(data, bool):
            return float(data)
    raise ValueError(f"stored response {data!r} does not fit a {qtype.value} question")


def _is_str_list(data: Any) -> bool:
    return isinstance(data, list) and all(isinstance(item, str) for item in data)


def _is_str_dict(data: Any) -> bool:
    return isinstance(data, dict) and _is_str_list([*data.keys(), *data.values()])


# --- showing ----------------------------------------------------------------


def describe(question: Question, response: Response) -> list[str]:
    """Lines that show a response, or the key, in words on the feedback page.

    single, classify: the choice's text; multiple: the chosen texts in the
    question's choice order; true/false: "True" or "False"; year: the year;
    ordering: the texts in the response's order; matching: "pair → choice"
    for each pair in the question's pair order.
    """
    match question.type:
        case QuestionType.SINGLE | QuestionType.CLASSIFY:
            return [question.choice_text(response)]
        case QuestionType.MULTIPLE:
            return [choice.text for choice in question.choices if choice.id in response]
        case QuestionType.TRUE_FALSE:
            return ["True" if response else "False"]
        case QuestionType.YEAR:
            return [str(response)]
        case QuestionType.ORDERING:
            return [question.choice_text(item) for item in response]
        case QuestionType.MATCHING:
            return [
                f"{pair.text} → {question.choice_text(response[pair.id])}"
                for pair in question.pairs
            ]
        case QuestionType.SHORT if isinstance(response, str):
            return [response]
        case QuestionType.SHORT:
            return [" or ".join(question.choice_text(i) for i in response)]
        case QuestionType.NUMERIC if isinstance(response, int | float):
            return [format_number(response)]
        case QuestionType.NUMERIC:
            return [" or ".join(_describe_range(a) for a in response if a.credit == 1.0)]
    raise ValueError(f"unknown question type {question.type!r}")


@dataclass(frozen=True)
class Mark:
    """One of a learner's choices, marked: `text` as shown, `right` whether it was, and
    `note` saying why in words (never colour alone)."""

    text: str
    right: bool
    note: str


def mark_choices(question: Question, response: Response) -> list[Mark]:
    """Each part of a response marked right or wrong, for the feedback of a multiple-choice,
    matching or ordering question ([] for other types).

    multiple: every option in the question's order: ticked and correct (right), ticked but
    not correct (wrong), or correct but not ticked (wrong: missed); options neither ticked
    nor correct are left out. ordering: each item in the learner's order, right when it
    stands where the key puts it. matching: each pair, right when matched to its key.
    """
    match question.type:
        case QuestionType.MULTIPLE:
            marks = []
            for choice in question.choices:
                ticked, correct = choice.id in response, choice.id in question.answer
                if ticked:
                    note = "correct, you ticked it" if correct else "not correct, you ticked it"
                    marks.append(Mark(choice.text, correct, note))
                elif correct:
                    marks.append(Mark(choice.text, False, "correct, you did not tick it"))
            return marks
        case QuestionType.ORDERING:
            place = {item: index for index, item in enumerate(question.answer)}
            return [
                Mark(
                    question.choice_text(item),
                    place[item] == index,
                    "in the right place"
                    if place[item] == index
                    else f"belongs at position {place[item] + 1}",
                )
                for index, item in enumerate(response)
            ]
        case QuestionType.MATCHING:
            return [
                Mark(
                    f"{pair.text} → {question.choice_text(response[pair.id])}",
                    response[pair.id] == question.answer[pair.id],
                    "right match"
                    if response[pair.id] == question.answer[pair.id]
                    else f"it goes with {question.choice_text(question.answer[pair.id])}",
                )
                for pair in question.pairs
            ]
    return []


def format_number(value: float) -> str:
    """12.0 -> '12', 3.25 -> '3.25', shown without noise."""
    return f"{value:.10f}".rstrip("0").rstrip(".")


def format_score(value: float) -> str:
    """7.0 -> '7', 6.8333 -> '6.83': partial credit shown without noise, wherever a
    score is read (pages, chart details)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _describe_range(accepted: NumericAnswer) -> str:
    if accepted.low == accepted.high:
        return format_number(accepted.low)
    middle = (accepted.low + accepted.high) / 2
    return f"{format_number(accepted.low)} to {format_number(accepted.high)}" + (
        ""
        if not middle.is_integer()
        else f" ({format_number(middle)} ± {format_number(accepted.high - middle)})"
    )


def feedback_for(question: Question, response: Response) -> list[str]:
    """The per-answer feedback a response earns (GIFT's `#...`), in the question's order.

    single, multiple: the feedback of each chosen option; true/false: of the chosen
    side when the question has one (choices `true`/`false`); short: of the accepted
    answer matched; numeric: of the best range holding the number.
    """
    match question.type:
        case QuestionType.SINGLE | QuestionType.TRUE_FALSE | QuestionType.CLASSIFY:
            key = response if isinstance(response, str) else ("true" if response else "false")
            return [c.feedback for c in question.choices if c.id == key and c.feedback]
        case QuestionType.MULTIPLE:
            return [c.feedback for c in question.choices if c.id in response and c.feedback]
        case QuestionType.SHORT:
            hit = matching_answer(question, response)
            return [hit.feedback] if hit is not None and hit.feedback else []
        case QuestionType.NUMERIC:
            holding = [a for a in question.answer if a.low <= response <= a.high]
            best = max(holding, key=lambda a: a.credit, default=None)
            return [best.feedback] if best is not None and best.feedback else []
    return []
