"""Cues: what gives a question's answer away by its form, for a student who does not read.

`question_cues` lists the cues of one question; `bank_figures` counts the bank's share of
the length cue. The rulebook reports each cue as a warning (`rulebook.check_warnings`):
a question with a cue is valid, but its author is told the cue and what to do. An author
who keeps one on purpose acknowledges it in the question (`acknowledged`: cue name ->
reason); an acknowledged cue is no longer a warning but still counts in the figures.

The cues, each named by its `CueName`:
- `longest-right`: a single-choice question whose right option is longer than every wrong
  option by a clear margin (`CLEAR_MARGIN`: at least 25 % longer than the longest wrong
  one), or a multiple-choice question whose right options are on average that much
  longer than its wrong ones. Lengths are in characters of the option's text.
- `absolute-word`: "always", "never", "entirely", "only" or "all" in wrong options only.
- `grammar`: a stem ending in "a"/"an" that fits only some options' first sound, or a
  plural stem ("these … are/were") with some options starting with "a"/"an"/"one".
- `above`: an option "all of the above" or "none of the above".
- `order-named`: an ordering question whose prompt names one of its items (its first or
  last most often: "from X to Y").
- `copied-quote`: the right option copies a run of the quote (5 words or more, and most
  of the option) while no wrong option does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import mean

from quizapp.domain.questions import Choice, Question, QuestionType

CLEAR_MARGIN = 1.25  # right option at least this many times the longest wrong option's length
ABSOLUTE_WORDS = ("always", "never", "entirely", "only", "all")
# The bank's thresholds (README, "Fair questions"): chance is 25-33 % for 3-4 options.
BANK_LONGEST_MAX = 0.35  # share of single-choice questions whose right option is longest
BANK_CLEAR_MAX = 0.10  # …longest by the clear margin
BANK_MULTIPLE_RATIO_MAX = 1.15  # right options at most 15 % longer than wrong ones, on average
COPIED_RUN = 5  # words in a row shared with the quote, at least…
COPIED_SHARE = 0.9  # …and at least this share of the option's words

_ABSOLUTE = re.compile(r"\b(" + "|".join(ABSOLUTE_WORDS) + r")\b", re.IGNORECASE)
_ABOVE = re.compile(r"\b(all|none|both|neither) of the above\b", re.IGNORECASE)
_WORD = re.compile(r"[\w’'-]+")
_VOWEL_SOUND = re.compile(r"[aeiou]", re.IGNORECASE)
_STEM_END = re.compile(r"\b(a|an)\W*$", re.IGNORECASE)
_PLURAL_STEM = re.compile(r"\b(these|those)\b[^?]*\b(are|were)\b", re.IGNORECASE)
_SINGULAR_START = re.compile(r"(a|an|one)\b", re.IGNORECASE)
# Words too common to show that a prompt names an item.
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "a an and as at by for from in into is it its of on or the their this that to was "
        "were with these those which what who put order chronological",
    )
)


class CueName(StrEnum):
    LONGEST_RIGHT = "longest-right"
    ABSOLUTE_WORD = "absolute-word"
    GRAMMAR = "grammar"
    ABOVE = "above"
    ORDER_NAMED = "order-named"
    COPIED_QUOTE = "copied-quote"


@dataclass(frozen=True)
class Cue:
    """One cue of a question: which, the field it is about (as the rulebook names fields)
    and a message naming the cue and what to do."""

    name: CueName
    field: str
    message: str


@dataclass(frozen=True)
class CueFigures:
    """The length cue over a set of questions, acknowledged cues included.

    `single_longest` counts single-choice questions whose right option is at least as
    long as every wrong one (a tie counts as longest); `single_clear` those where it is
    longer by the clear margin. `multiple_ratio` is the mean, over multiple-choice
    questions, of (mean length of right options) / (mean length of wrong options):
    1.0 means no length cue, 1.15 means right options 15 % longer on average.
    """

    single: int
    single_longest: int
    single_clear: int
    multiple: int
    multiple_ratio: float

    @property
    def single_longest_share(self) -> float:
        return self.single_longest / self.single if self.single else 0.0

    @property
    def single_clear_share(self) -> float:
        return self.single_clear / self.single if self.single else 0.0


def question_cues(question: Question) -> list[Cue]:
    """Every cue of `question`, acknowledged or not, in the order of the module doc."""
    cues: list[Cue] = []
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        right, wrong = _split(question)
        if right and wrong:
            for cue in (
                _longest(question, right, wrong),
                _absolute(right, wrong),
                _grammar(question.prompt, question.choices),
                _above(question.choices),
                _copied(question.quote, right, wrong),
            ):
                if cue is not None:
                    cues.append(cue)
    elif question.type is QuestionType.ORDERING:
        cue = _order_named(question)
        if cue is not None:
            cues.append(cue)
    return cues


def open_cues(question: Question) -> list[Cue]:
    """The cues of `question` that it does not acknowledge: its warnings."""
    acknowledged = dict(question.acknowledged)
    return [cue for cue in question_cues(question) if cue.name.value not in acknowledged]


def bank_figures(questions: Iterable[Question]) -> CueFigures:
    """The length figures of `questions` (see `CueFigures`)."""
    single = longest = clear = 0
    ratios: list[float] = []
    for question in questions:
        if question.type not in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            continue
        right, wrong = _split(question)
        if not right or not wrong:
            continue
        if question.type is QuestionType.SINGLE:
            single += 1
            ratio = _length_ratio(right, wrong)
            longest += ratio >= 1.0
            clear += ratio >= CLEAR_MARGIN
        else:
            ratios.append(_mean_ratio(right, wrong))
    return CueFigures(single, longest, clear, len(ratios), mean(ratios) if ratios else 1.0)


def figure_problems(figures: CueFigures) -> list[str]:
    """Each bank threshold `figures` exceeds, said with the figure and the threshold."""
    problems = []
    if figures.single_longest_share > BANK_LONGEST_MAX:
        problems.append(
            f"the right option is the longest in {figures.single_longest_share:.0%} of "
            f"single-choice questions; keep it to {BANK_LONGEST_MAX:.0%}"
        )
    if figures.single_clear_share > BANK_CLEAR_MAX:
        problems.append(
            f"the right option is the longest by a clear margin in "
            f"{figures.single_clear_share:.0%} of single-choice questions; keep it to "
            f"{BANK_CLEAR_MAX:.0%}"
        )
    if figures.multiple_ratio > BANK_MULTIPLE_RATIO_MAX:
        problems.append(
            f"right options of multiple-choice questions are {figures.multiple_ratio - 1:.0%} "
            f"longer than wrong ones on average; keep it to {BANK_MULTIPLE_RATIO_MAX - 1:.0%}"
        )
    return problems


def figure_lines(figures: CueFigures) -> list[str]:
    """The figures as `flask bank check` prints them."""
    return [
        f"cues: right option longest in {figures.single_longest} of {figures.single} "
        f"single-choice questions ({figures.single_longest_share:.0%}, at most "
        f"{BANK_LONGEST_MAX:.0%}), by a clear margin in {figures.single_clear} "
        f"({figures.single_clear_share:.0%}, at most {BANK_CLEAR_MAX:.0%})",
        f"cues: right options {figures.multiple_ratio:.2f}× as long as wrong ones over "
        f"{figures.multiple} multiple-choice questions (at most {BANK_MULTIPLE_RATIO_MAX:.2f}×)",
    ]


# --- each cue -----------------------------------------------------------------------------


def _split(question: Question) -> tuple[list[Choice], list[Choice]]:
    key = {question.answer} if question.type is QuestionType.SINGLE else set(question.answer)
    right = [c for c in question.choices if c.id in key]
    wrong = [c for c in question.choices if c.id not in key]
    return right, wrong


def _length_ratio(right: Sequence[Choice], wrong: Sequence[Choice]) -> float:
    """The right option's length over the longest wrong option's."""
    return len(right[0].text) / max(1, max(len(c.text) for c in wrong))


def _mean_ratio(right: Sequence[Choice], wrong: Sequence[Choice]) -> float:
    return mean(len(c.text) for c in right) / max(1.0, mean(len(c.text) for c in wrong))


def _longest(question: Question, right: list[Choice], wrong: list[Choice]) -> Cue | None:
    if question.type is QuestionType.SINGLE:
        ratio = _length_ratio(right, wrong)
        if ratio < CLEAR_MARGIN:
            return None
        index = question.choices.index(right[0])
        return Cue(
            CueName.LONGEST_RIGHT,
            f"choices[{index}].text",
            f"The right option is the longest by a clear margin ({len(right[0].text)} "
            f"characters, the longest wrong one {max(len(c.text) for c in wrong)}): a student "
            "who picks the longest option gets it without reading. Shorten it or lengthen "
            "the wrong options.",
        )
    ratio = _mean_ratio(right, wrong)
    if ratio < CLEAR_MARGIN:
        return None
    return Cue(
        CueName.LONGEST_RIGHT,
        "choices",
        f"The right options are {round((ratio - 1) * 100)} % longer than the wrong ones on "
        "average: a student who ticks the long options scores without reading. Shorten the "
        "right options or lengthen the wrong ones.",
    )


def _absolute(right: list[Choice], wrong: list[Choice]) -> Cue | None:
    if any(_ABSOLUTE.search(c.text) for c in right):
        return None
    words = sorted({m.group().casefold() for c in wrong for m in _ABSOLUTE.finditer(c.text)})
    if not words:
        return None
    return Cue(
        CueName.ABSOLUTE_WORD,
        "choices",
        f"Only wrong options hold an absolute word ({', '.join(words)}): students learn "
        "that such options are false. Reword them, or use such words in a right option too.",
    )


def _grammar(prompt: str, choices: Sequence[Choice]) -> Cue | None:
    end = _STEM_END.search(prompt.rstrip(" _…."))
    if end is not None:
        wants_vowel = end.group(1).casefold() == "an"
        misfits = [
            index + 1
            for index, choice in enumerate(choices)
            if bool(_VOWEL_SOUND.match(choice.text.lstrip("“\"'("))) != wants_vowel
        ]
        if misfits and len(misfits) < len(choices):
            return Cue(
                CueName.GRAMMAR,
                "prompt",
                f"The stem ends in “{end.group(1)}”, which fits only some options (not "
                f"option {', '.join(map(str, misfits))}): end the stem before the article "
                "or give every option the same first sound.",
            )
    if _PLURAL_STEM.search(prompt):
        singular = [
            index + 1
            for index, choice in enumerate(choices)
            if _SINGULAR_START.match(choice.text.strip())
        ]
        if singular and len(singular) < len(choices):
            return Cue(
                CueName.GRAMMAR,
                "prompt",
                f"The stem asks for something plural, but option {', '.join(map(str, singular))} "
                "is singular: make every option agree with the stem.",
            )
    return None


def _above(choices: Sequence[Choice]) -> Cue | None:
    for index, choice in enumerate(choices):
        found = _ABOVE.search(choice.text)
        if found:
            return Cue(
                CueName.ABOVE,
                f"choices[{index}].text",
                f"Option {index + 1} is “{found.group()}”: it is often the right one, and "
                "options are shuffled, so “above” means nothing. Write a real option instead.",
            )
    return None


def _words(text: str) -> list[str]:
    return [w.casefold().replace("’", "'") for w in _WORD.findall(text)]


def _shared_run(text: str, quote: str) -> tuple[int, int]:
    """(longest run of words of `text` found in a row in `quote`, words of `text`)."""
    have, source = _words(text), _words(quote)
    best = 0
    # Dynamic programming over word positions: runs ending at (i, j).
    previous = [0] * (len(source) + 1)
    for word in have:
        current = [0] * (len(source) + 1)
        for j, other in enumerate(source, start=1):
            if word == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best, len(have)


def _is_copied(text: str, quote: str) -> bool:
    run, words = _shared_run(text, quote)
    return run >= COPIED_RUN and run >= COPIED_SHARE * words


def _copied(quote: str, right: list[Choice], wrong: list[Choice]) -> Cue | None:
    if not quote or any(_is_copied(c.text, quote) for c in wrong):
        return None
    if not any(_is_copied(c.text, quote) for c in right):
        return None
    return Cue(
        CueName.COPIED_QUOTE,
        "choices",
        "A right option copies the article's words while no wrong option does: a student "
        "who recognises the wording gets it without understanding. Paraphrase it.",
    )


def _content_words(text: str) -> set[str]:
    words = set()
    for word in _words(text):
        word = word.removesuffix("'s")
        if len(word) > 2 and word not in _STOPWORDS:
            words.add(word)
    return words


def _order_named(question: Question) -> Cue | None:
    prompt = _content_words(question.prompt)
    named = [
        index + 1
        for index, choice in enumerate(question.choices)
        if (words := _content_words(choice.text)) and words <= prompt
    ]
    if not named:
        return None
    return Cue(
        CueName.ORDER_NAMED,
        "prompt",
        f"The question names item {', '.join(map(str, named))} of the ones it asks to "
        "order, which tells where it goes: ask without naming the items.",
    )
