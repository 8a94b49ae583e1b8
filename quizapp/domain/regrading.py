"""Regrading: an answer given to one version of a teacher's question, marked again by a later one.

A round keeps the question as it was shown (`RoundItem.snapshot`): choices shuffled and
re-keyed c1, c2… (`rounds.present`), so a response names shown ids, not the version's. The
editor letters a version's choices a, b, c… in the order typed (`authoring.build_question`):
those letters move when an option is added or removed, so a choice's id is no stable name
across versions. Its text is: a shown choice and a choice of the new version are *the same
choice* when their texts agree once whitespace and case are folded. The rule, by type:

- true/false, year, short answer, number: the response is a value; it always regrades.
- single, classify: regrades when the chosen option is still there and the new right
  answer is an option the student was shown.
- multiple: regrades when every option ticked is still there and every new right option
  was shown. Options the student neither ticked nor saw count as the new version says.
- ordering: regrades when the items are the same; only their right order may change.
- matching: regrades when the left sides are the same, every right side chosen is still
  there and every right side of the new key was shown.

Otherwise the response has no meaning under the new version: `CannotRegrade` says why in
words a teacher reads. A regraded response is graded by the new version (`grading.grade`)
and the question it keeps to show is the one the student saw (prompt, choices' texts and
order, shown ids) carrying the new version's key, explanation, weights and feedback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from quizapp.domain.grading import Grade, grade, response_from_json
from quizapp.domain.questions import Choice, Question, QuestionType, Response

VALUE_TYPES = frozenset(
    {QuestionType.TRUE_FALSE, QuestionType.YEAR, QuestionType.SHORT, QuestionType.NUMERIC}
)


@dataclass(frozen=True)
class Regraded:
    """The new mark of a response, and the question the answer now keeps to show."""

    grade: Grade
    shown: Question


@dataclass(frozen=True)
class CannotRegrade:
    """The response means nothing under the new version; `reason` says why."""

    reason: str


@dataclass(frozen=True)
class AnswerMark:
    """An answer's marks: `score` counts; while a teacher's manual mark stands (`manual`),
    `graded` keeps the automatic grade beside it (else None)."""

    score: float
    graded: float | None = None
    manual: bool = False


def mark_after_regrade(mark: AnswerMark, graded: float, *, keep_manual: bool) -> AnswerMark:
    """An answer's marks once a regrade gives it the automatic grade `graded`: a manual mark
    stands when the teacher keeps manual marks (only the grade beside it changes); otherwise
    the new grade counts and no manual mark is left."""
    if mark.manual and keep_manual:
        return AnswerMark(mark.score, graded, manual=True)
    return AnswerMark(graded)


def same_text(text: str) -> str:
    """What two texts of one choice share across versions: whitespace and case folded."""
    return " ".join(text.split()).casefold()


def regrade(shown: Question, stored_response: Any, new: Question) -> Regraded | CannotRegrade:
    """The response given to `shown` (as stored, JSON) marked by the version `new`."""
    if shown.type is not new.type:
        return CannotRegrade("The question's type changed.")
    try:
        response = response_from_json(shown, stored_response)
    except ValueError:
        return CannotRegrade("The stored answer does not fit this question.")
    if shown.type in VALUE_TYPES:
        kept = replace(
            shown,
            answer=new.answer,
            choices=new.choices,
            tolerance=new.tolerance,
            explanation=new.explanation,
        )
        return Regraded(grade(new, response), kept)
    return _regrade_choices(shown, response, new)


def _regrade_choices(
    shown: Question, response: Response, new: Question
) -> Regraded | CannotRegrade:
    to_new = _matches(shown.choices, new.choices)
    to_shown = {new_id: shown_id for shown_id, new_id in to_new.items()}
    qtype = shown.type
    if qtype is QuestionType.ORDERING:
        if len(to_new) != len(shown.choices) or len(to_new) != len(new.choices):
            return CannotRegrade("The items to put in order changed.")
        translated: Response = tuple(to_new[i] for i in response)
    elif qtype is QuestionType.MATCHING:
        pairs_to_new = _matches(shown.pairs, new.pairs)
        if len(pairs_to_new) != len(shown.pairs) or len(pairs_to_new) != len(new.pairs):
            return CannotRegrade("The left sides of the pairs changed.")
        gone = _first_missing(shown, response.values(), to_new)
        if gone is not None:
            return CannotRegrade(f"The chosen match “{gone}” was removed or rewritten.")
        translated = {pairs_to_new[p]: to_new[c] for p, c in response.items()}
    else:
        chosen = [response] if isinstance(response, str) else sorted(response)
        gone = _first_missing(shown, chosen, to_new)
        if gone is not None:
            return CannotRegrade(f"The option chosen, “{gone}”, was removed or rewritten.")
        translated = (
            to_new[response]
            if isinstance(response, str)
            else frozenset(to_new[c] for c in response)
        )
    unseen = next((c for c in _key_ids(new) if c not in to_shown), None)
    if unseen is not None:
        return CannotRegrade(
            f"The right answer “{new.choice_text(unseen)}” is not an option the student saw."
        )
    return Regraded(grade(new, translated), _kept(shown, new, to_new, to_shown))


def _matches(shown: Iterable[Choice], new: Iterable[Choice]) -> dict[str, str]:
    """Shown id → new id of the choices whose texts are the same (an ambiguous text
    matches nothing)."""
    by_text: dict[str, str | None] = {}
    for choice in new:
        key = same_text(choice.text)
        by_text[key] = None if key in by_text else choice.id
    found = {}
    for choice in shown:
        new_id = by_text.get(same_text(choice.text))
        if new_id is not None and new_id not in found.values():
            found[choice.id] = new_id
    return found


def _first_missing(shown: Question, chosen: Iterable[str], to_new: Mapping[str, str]) -> str | None:
    """The text of the first chosen shown choice the new version no longer has."""
    return next((shown.choice_text(c) for c in chosen if c not in to_new), None)


def _key_ids(question: Question) -> list[str]:
    """The choice ids the key of a choice question names."""
    answer = question.answer
    if question.type in (QuestionType.SINGLE, QuestionType.CLASSIFY):
        ids = [answer]
    elif question.type is QuestionType.MATCHING:
        ids = list(answer.values())
    else:
        ids = list(answer)
    # Weighted options earn marks too: a student must have seen every one that does.
    ids += [c.id for c in question.choices if c.weight is not None and c.weight > 0]
    return ids


def _kept(
    shown: Question, new: Question, to_new: Mapping[str, str], to_shown: Mapping[str, str]
) -> Question:
    """The question as the student saw it, with the new version's key and explanation."""
    new_choices = {c.id: c for c in new.choices}

    def carried(choice: Choice) -> Choice:
        if choice.id not in to_new:
            return replace(choice, weight=None)
        now = new_choices[to_new[choice.id]]
        return replace(choice, feedback=now.feedback, weight=now.weight)

    answer = new.answer
    match new.type:
        case QuestionType.SINGLE | QuestionType.CLASSIFY:
            answer = to_shown[answer]
        case QuestionType.MULTIPLE:
            answer = frozenset(to_shown[c] for c in answer)
        case QuestionType.ORDERING:
            answer = tuple(to_shown[c] for c in answer)
        case QuestionType.MATCHING:
            pairs_to_shown = {n: s for s, n in _matches(shown.pairs, new.pairs).items()}
            answer = {pairs_to_shown[p]: to_shown[c] for p, c in answer.items()}
    return replace(
        shown,
        answer=answer,
        choices=tuple(carried(c) for c in shown.choices),
        explanation=new.explanation,
    )
