"""The vocabulary of the bank: plain values shared by the loader, the round builder and the grader.

Nothing here knows of Flask or the database. A `Question` carries its answer key
(`answer`); only the server ever sees it, the templates render prompt and choices.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeAlias

from quizapp.domain.article import Article


class QuestionType(StrEnum):
    SINGLE = "single"  # one right choice among the options
    MULTIPLE = "multiple"  # several right choices, partial credit
    TRUE_FALSE = "true_false"
    YEAR = "year"  # a year typed in, right within `tolerance` years
    ORDERING = "ordering"  # items put in order, partial credit by pairs
    MATCHING = "matching"  # each left-hand prompt matched to one choice
    CLASSIFY = "classify"  # which perspective holds this claim
    SHORT = "short"  # a few words typed in, compared folded (`grading.fold_text`)
    NUMERIC = "numeric"  # a number typed in, right within one of the accepted ranges


class Kind(StrEnum):
    FACT = "fact"
    INTERPRETATION = "interpretation"


class TextFormat(StrEnum):
    """How teacher-written text is shown: escaped as it is, or as the Markdown subset."""

    PLAIN = "plain"
    MARKDOWN = "markdown"


class Origin(StrEnum):
    AUTHORED = "authored"  # written in questions/bank/*.yaml
    GENERATED = "generated"  # built by the round builder from timeline/perspectives
    TEACHER = "teacher"  # written or imported by a teacher, kept in the database


# The answer key and a learner's response share one shape per type:
#   single, classify -> str (a choice id)
#   multiple         -> frozenset[str] (choice ids)
#   true_false       -> bool
#   year             -> int
#   ordering         -> tuple[str, ...] (choice ids, first to last)
#   matching         -> Mapping[str, str] (pair id -> choice id)
#   short            -> key: tuple[str, ...] (ids of the fully right `choices`); response: str
#   numeric          -> key: tuple[NumericAnswer, ...]; response: float
Response: TypeAlias = (
    str | frozenset[str] | bool | int | float | tuple[str, ...] | Mapping[str, str]
)


@dataclass(frozen=True)
class Choice:
    """An option, an item, a right-hand side, or an accepted short answer.

    `feedback` is shown to a learner who picked it (GIFT's per-answer `#feedback`).
    `weight` is the share of the mark it carries when picked (GIFT's `~%50%`, negative
    weights included); None means the type's own rule decides (see `grading.grade`).
    """

    id: str
    text: str
    feedback: str = ""
    weight: float | None = None


@dataclass(frozen=True)
class NumericAnswer:
    """An accepted range of a numeric question, `low` to `high` inclusive, worth `credit`."""

    low: float
    high: float
    credit: float = 1.0
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    """One question as the grader and the templates see it.

    `choices` are the options (single, multiple, classify), the items to order
    (ordering; kept in the right order in the bank, shuffled when presented) or
    the right-hand side of a matching question, whose left-hand prompts are `pairs`.
    """

    id: str
    type: QuestionType
    kind: Kind
    prompt: str
    section: str
    quote: str
    explanation: str
    answer: Any
    choices: tuple[Choice, ...] = ()
    pairs: tuple[Choice, ...] = ()
    tolerance: int = 0
    difficulty: int = 1
    topics: tuple[str, ...] = ()
    origin: Origin = Origin.AUTHORED
    text_format: TextFormat = TextFormat.PLAIN
    # Cues (see `cues`) the author keeps on purpose: (cue name, reason) pairs.
    acknowledged: tuple[tuple[str, str], ...] = ()

    @property
    def cites_source(self) -> bool:
        """False for an imported question still waiting for a teacher to cite a passage."""
        return bool(self.section and self.quote)

    def choice(self, choice_id: str) -> Choice:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(choice_id)

    def choice_text(self, choice_id: str) -> str:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice.text
        raise KeyError(choice_id)

    def pair_text(self, pair_id: str) -> str:
        for pair in self.pairs:
            if pair.id == pair_id:
                return pair.text
        raise KeyError(pair_id)


@dataclass(frozen=True)
class Event:
    """A dated moment of `questions/timeline.yaml`.

    `date` is ISO, as precise as the article: `1990-02-09`, `1989-12` or `1999`.
    `speaker` and `words` are set when the article quotes what someone said.
    """

    id: str
    date: str
    title: str
    summary: str
    actors: tuple[str, ...]
    section: str
    quote: str
    topics: tuple[str, ...] = ()
    speaker: str | None = None
    words: str | None = None

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Chronological key; a month or year alone sorts before its first day."""
        parts = [int(p) for p in self.date.split("-")] + [0, 0]
        return parts[0], parts[1], parts[2]


@dataclass(frozen=True)
class Claim:
    """A claim a perspective holds. `not_distinctive` says why it is not one position's
    alone (the article states it in its own voice, or another position would accept it);
    such a claim is never asked as "which position holds this claim?"."""

    id: str
    text: str
    section: str
    quote: str
    perspective: str  # the id of the perspective that holds it
    not_distinctive: str = ""


@dataclass(frozen=True)
class Perspective:
    """A position the article describes, with who holds it in the article's words."""

    id: str
    name: str
    held_by: str
    summary: str
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True)
class Bank:
    """Everything under `questions/`, validated: the loader returns one or raises."""

    events: tuple[Event, ...]
    perspectives: tuple[Perspective, ...]
    questions: tuple[Question, ...]
    article: Article

    @property
    def claims(self) -> tuple[Claim, ...]:
        return tuple(c for p in self.perspectives for c in p.claims)

    def perspective(self, perspective_id: str) -> Perspective:
        for perspective in self.perspectives:
            if perspective.id == perspective_id:
                return perspective
        raise KeyError(perspective_id)


def question_to_dict(question: Question) -> dict[str, Any]:
    """A JSON-safe dict of the question, answer key included: the snapshot a round keeps."""
    answer = question.answer
    if question.type is QuestionType.MULTIPLE:
        answer = sorted(answer)
    elif question.type is QuestionType.ORDERING:
        answer = list(answer)
    elif question.type is QuestionType.MATCHING:
        answer = dict(answer)
    elif question.type is QuestionType.SHORT:
        answer = list(answer)
    elif question.type is QuestionType.NUMERIC:
        answer = [[a.low, a.high, a.credit, a.feedback] for a in answer]
    data = {
        "id": question.id,
        "type": question.type.value,
        "kind": question.kind.value,
        "prompt": question.prompt,
        "section": question.section,
        "quote": question.quote,
        "explanation": question.explanation,
        "answer": answer,
        "choices": [_choice_to_list(c) for c in question.choices],
        "pairs": [[p.id, p.text] for p in question.pairs],
        "tolerance": question.tolerance,
        "difficulty": question.difficulty,
        "topics": list(question.topics),
        "origin": question.origin.value,
    }
    if question.text_format is not TextFormat.PLAIN:
        data["text_format"] = question.text_format.value
    if question.acknowledged:
        data["acknowledged"] = [list(pair) for pair in question.acknowledged]
    return data


def _choice_to_list(choice: Choice) -> list[Any]:
    if choice.weight is None and not choice.feedback:
        return [choice.id, choice.text]
    return [choice.id, choice.text, choice.feedback, choice.weight]


def _choice_from_list(data: Sequence[Any]) -> Choice:
    return Choice(*data)


def question_from_dict(data: Mapping[str, Any]) -> Question:
    """The inverse of `question_to_dict`."""
    qtype = QuestionType(data["type"])
    answer = data["answer"]
    if qtype is QuestionType.MULTIPLE:
        answer = frozenset(answer)
    elif qtype is QuestionType.ORDERING:
        answer = tuple(answer)
    elif qtype is QuestionType.MATCHING:
        answer = dict(answer)
    elif qtype is QuestionType.SHORT:
        answer = tuple(answer)
    elif qtype is QuestionType.NUMERIC:
        answer = tuple(NumericAnswer(*a) for a in answer)
    return Question(
        id=data["id"],
        type=qtype,
        kind=Kind(data["kind"]),
        prompt=data["prompt"],
        section=data["section"],
        quote=data["quote"],
        explanation=data["explanation"],
        answer=answer,
        choices=tuple(_choice_from_list(c) for c in data["choices"]),
        pairs=tuple(Choice(i, t) for i, t in data["pairs"]),
        tolerance=data.get("tolerance", 0),
        difficulty=data.get("difficulty", 1),
        topics=tuple(data.get("topics", ())),
        origin=Origin(data.get("origin", "authored")),
        text_format=TextFormat(data.get("text_format", "plain")),
        acknowledged=tuple((name, reason) for name, reason in data.get("acknowledged", ())),
    )


# What a page calls each type of question.
TYPE_LABELS = {
    QuestionType.SINGLE: "Multiple choice, one answer",
    QuestionType.MULTIPLE: "Multiple choice, several answers",
    QuestionType.TRUE_FALSE: "True or false",
    QuestionType.YEAR: "Year",
    QuestionType.ORDERING: "Put in order",
    QuestionType.MATCHING: "Matching",
    QuestionType.CLASSIFY: "Which perspective holds this claim",
    QuestionType.SHORT: "Short answer",
    QuestionType.NUMERIC: "Number",
}
