"""The life of a live class session: one question at a time on the projector, answered on phones.

Plain values and an explicit `now`, so a test sets the clock. The rules:

- **Phases.** A session opens in the *lobby* (students join). "Start" opens question 1:
  the *question* phase, when answers are taken. It moves to the *reveal* when the teacher
  presses "Close answers" or when its time runs out (computed on read: nothing is written
  when the timer ends). "Next question" opens the next one; after the last reveal "Show
  results" gives the *results*. The session is *ended* when the teacher ends it, or by
  itself once nobody has acted on it for `IDLE_TIMEOUT` (computed on read too).
- **Acting on a question.** "Close answers" and "Next question" name the question they act
  on; one that is no longer current is refused, so two tabs of the teacher cannot skip one.
  Closing a question already closed changes nothing.
- **Answering.** A question can be answered only while it is the current one and open;
  an answer at the close or after it is refused. The first answer counts (the attempt's
  rule, `domain/attempts.py`).
- **The code** is 6 digits, unique among the running sessions and valid only while its
  session runs.
- **Points.** Each answer's score is its correctness (partial credit as graded), and that
  is what the gradebook and the reports count. With speed points on (they need a time per
  question), an answer's points are its score times 1 + ½ × the share of the time left when
  it arrived: a right answer earns up to half as much again.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from textwrap import shorten

from quizapp.domain.questions import Question

IDLE_TIMEOUT = timedelta(minutes=30)
CODE_DIGITS = 6
SPEED_BONUS = 0.5  # a right answer at the very first moment earns 1.5 points
TOP = 5

# Letters and shapes name the options on the projector and the phones: never colour alone.
SHAPES = ("▲", "◆", "●", "■", "★", "✚", "⬟", "⬢", "▼", "◀")


class Phase(StrEnum):
    LOBBY = "lobby"
    QUESTION = "question"
    REVEAL = "reveal"
    RESULTS = "results"
    ENDED = "ended"


class LiveError(ValueError):
    """A change the session's rules refuse now; the message is shown as it is."""


def column_title(moment: str, taken: Collection[str]) -> str:
    """The gradebook column of a session opened at `moment` (as its teacher reads times),
    numbered when the class has a column of that title already (two in one minute)."""
    title = f"Live session {moment}"
    number = 2
    while title in taken:
        title = f"Live session {moment} ({number})"
        number += 1
    return title


def tests_under_way_problem(
    questions: Sequence[Question], students_by_question: Mapping[str, int]
) -> str | None:
    """Why a session may not show these questions, or None. A question that students of
    the class have in a test under way may not be played live: the reveal shows its right
    answer and explanation to the room before those students submit."""
    clashes = [q for q in questions if students_by_question.get(q.id)]
    if not clashes:
        return None
    prompts = ", ".join(f"“{shorten(q.prompt, 60, placeholder='…')}”" for q in clashes[:3])
    if len(clashes) > 3:
        prompts += f" and {len(clashes) - 3} more"
    if len(clashes) == 1:
        students = students_by_question[clashes[0].id]
        who = f"{students} student{'s' if students != 1 else ''} of this class"
        return (
            f"{who} {'have' if students != 1 else 'has'} {prompts} in a test under way: the "
            "reveal would show its answer on the projector before they submit. Untick it, "
            "or open the session once the test is over."
        )
    return (
        f"Students of this class have {len(clashes)} of these questions in a test under way "
        f"({prompts}): the reveal would show their answers on the projector before they "
        "submit. Untick them, or open the session once the test is over."
    )


@dataclass(frozen=True)
class Session:
    """What the rules need to know of a session.

    `position` is the current question (1-based; 0 in the lobby); `opened_at` and
    `closed_at` are the current question's (closed_at: "Close answers" was pressed).
    """

    question_count: int
    last_action_at: datetime
    seconds_per_question: int | None = None
    speed_points: bool = False
    position: int = 0
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    results_at: datetime | None = None
    ended_at: datetime | None = None

    # --- reading ---------------------------------------------------------------------------

    @property
    def ends_at(self) -> datetime:
        """When the session ends: as the teacher ended it, or after its idle time."""
        return self.ended_at or self.last_action_at + IDLE_TIMEOUT

    def is_running(self, now: datetime) -> bool:
        return now < self.ends_at

    def takes_newcomers(self, now: datetime) -> bool:
        """Whether a student who has not joined may join now: not once the results show,
        where a newcomer would only add a score of nothing to the class's results."""
        return self.is_running(now) and self.results_at is None

    @property
    def answers_close_at(self) -> datetime:
        """When the session stops taking answers for good: the deadline of its attempts."""
        if self.results_at is not None:
            return min(self.results_at, self.ends_at)
        return self.ends_at

    @property
    def question_closes_at(self) -> datetime | None:
        """When the current question stops taking answers; None while it waits for the teacher."""
        if self.opened_at is None:
            return None
        if self.closed_at is not None:
            return self.closed_at
        if self.seconds_per_question:
            return self.opened_at + timedelta(seconds=self.seconds_per_question)
        return None

    def phase(self, now: datetime) -> Phase:
        if not self.is_running(now):
            return Phase.ENDED
        if self.results_at is not None:
            return Phase.RESULTS
        if self.position == 0:
            return Phase.LOBBY
        closes = self.question_closes_at
        if closes is not None and now >= closes:
            return Phase.REVEAL
        return Phase.QUESTION

    def seconds_left(self, now: datetime) -> int | None:
        """Whole seconds left to answer the current question (rounded up); None: no timer."""
        if self.phase(now) is not Phase.QUESTION or not self.seconds_per_question:
            return None
        closes = self.question_closes_at
        assert closes is not None
        return max(0, -int(-(closes - now).total_seconds() // 1))

    @property
    def is_last_question(self) -> bool:
        return self.position == self.question_count

    # --- the teacher's actions: each returns the session as it becomes ---------------------

    def _acted(self, now: datetime, **changes: object) -> Session:
        return replace(self, last_action_at=now, **changes)

    def _check_running(self, now: datetime) -> None:
        if not self.is_running(now):
            raise LiveError("This live session has ended.")

    def start(self, now: datetime) -> Session:
        self._check_running(now)
        if self.phase(now) is not Phase.LOBBY:
            raise LiveError("The session has already started.")
        if self.question_count == 0:
            raise LiveError("This session has no question to play.")
        return self._acted(now, position=1, opened_at=now, closed_at=None)

    def _check_current(self, position: int, now: datetime) -> None:
        self._check_running(now)
        if self.results_at is not None:
            raise LiveError("The results are already shown.")
        if position != self.position:
            current = f"question {self.position}" if self.position else "the lobby"
            raise LiveError(
                f"Question {position} is no longer current: the session is at {current}. "
                "Nothing was changed."
            )

    def close(self, position: int, now: datetime) -> Session:
        """Close answers to question `position` now; one already closed stays as it is."""
        self._check_current(position, now)
        if self.phase(now) is Phase.REVEAL:
            return self
        return self._acted(now, closed_at=now)

    def next_question(self, position: int, now: datetime) -> Session:
        """Open the question after `position`, once `position`'s answers are closed."""
        self._check_current(position, now)
        if self.phase(now) is not Phase.REVEAL:
            raise LiveError(f"Close answers to question {position} first.")
        if self.is_last_question:
            raise LiveError("That was the last question: show the results.")
        return self._acted(now, position=position + 1, opened_at=now, closed_at=None)

    def show_results(self, position: int, now: datetime) -> Session:
        self._check_current(position, now)
        if self.phase(now) is not Phase.REVEAL or not self.is_last_question:
            raise LiveError("The results come after the last question's answers are closed.")
        return self._acted(now, results_at=now)

    def end(self, now: datetime) -> Session:
        self._check_running(now)
        return self._acted(now, ended_at=now)

    # --- the students' side ----------------------------------------------------------------

    def answer_refusal(self, position: int, now: datetime) -> str | None:
        """Why question `position` cannot be answered now; None when it can."""
        phase = self.phase(now)
        if phase is Phase.ENDED:
            return "This live session has ended: nothing more can be answered."
        if (
            phase is Phase.RESULTS
            or position < self.position
            or (position == self.position and phase is Phase.REVEAL)
        ):
            return f"Answers to question {position} are closed: your answer was not counted."
        if phase is not Phase.QUESTION or position != self.position:
            return f"Question {position} is not open yet."
        return None

    def points(self, score: float, answered_at: datetime, opened_at: datetime | None) -> float:
        """The points an answer earns in the session (see the module's docstring)."""
        if not (self.speed_points and self.seconds_per_question and opened_at and score > 0):
            return score
        total = self.seconds_per_question
        left = max(0.0, min(total, total - (answered_at - opened_at).total_seconds()))
        return round(score * (1 + SPEED_BONUS * left / total), 4)


def new_code(rng: random.Random, taken: Iterable[str]) -> str:
    """A 6-digit code none of the running sessions holds."""
    used = set(taken)
    for _ in range(1000):
        code = f"{rng.randrange(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if code not in used:
            return code
    raise LiveError("No session code is free just now; try again in a moment.")


def normal_code(typed: str) -> str:
    """A typed session code as stored: its digits only (spaces and dashes dropped)."""
    return "".join(ch for ch in typed if ch.isdigit())


def option_label(index: int) -> str:
    """The letter and shape naming option `index` (0-based): "A ▲"."""
    return f"{chr(ord('A') + index)} {SHAPES[index % len(SHAPES)]}"


@dataclass(frozen=True)
class Standing:
    name: str
    points: float
    answered: int


def top(standings: Sequence[Standing], count: int = TOP) -> list[Standing]:
    """The best `count` by points; ties by name, so the order never depends on the database."""
    return sorted(standings, key=lambda s: (-s.points, s.name))[:count]


def score_bands(scores: Iterable[float], question_count: int) -> list[tuple[str, int]]:
    """How many students scored each whole number out of the questions (partial credit
    floored: 2.5 counts in "2 of 3"), from 0 to the number of questions."""
    counts = [0] * (question_count + 1)
    for value in scores:
        counts[min(question_count, max(0, int(value)))] += 1
    return [(f"{band} of {question_count}", count) for band, count in enumerate(counts)]


@dataclass(frozen=True)
class Split:
    """One bar of a question's reveal: how many answers fell on an option (or a verdict).
    `name` is the option's letter and shape ("A ▲") or the verdict; `text` the option's."""

    name: str
    text: str
    count: int
    right: bool


def split(question: Question, answers: Sequence[tuple[object, float]]) -> list[Split]:
    """How the class's answers (stored response, score) to `question` split.

    Single, classify, multiple and true/false: one bar per option, by letter and shape, the
    right one(s) marked (a multiple-answer response counts on each option it ticks). Other
    types have no options to split on: right, partly right and wrong.
    """
    qtype = question.type.value
    if qtype in ("single", "classify", "multiple"):
        keys = set(question.answer) if qtype == "multiple" else {question.answer}
        counts = dict.fromkeys((c.id for c in question.choices), 0)
        for response, _ in answers:
            for chosen in response if isinstance(response, list) else [response]:
                if chosen in counts:
                    counts[chosen] += 1
        return [
            Split(option_label(i), c.text, counts[c.id], c.id in keys)
            for i, c in enumerate(question.choices)
        ]
    if qtype == "true_false":
        return [
            Split(
                option_label(i),
                text,
                sum(1 for response, _ in answers if response is value),
                question.answer is value,
            )
            for i, (value, text) in enumerate(((True, "True"), (False, "False")))
        ]
    return [
        Split("Right", "", sum(1 for _, s in answers if s >= 1), True),
        Split("Partly right", "", sum(1 for _, s in answers if 0 < s < 1), False),
        Split("Wrong", "", sum(1 for _, s in answers if s <= 0), False),
    ]
