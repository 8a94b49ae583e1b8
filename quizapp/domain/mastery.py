"""Mastery per section, topic and question type, where old mistakes fade.

The rule: only the last `RECENT` (3) answers of each learner to each question
count, and mastery is the marks earned over those answers, pooled over every
question and learner under a label: an answer earns its score, so partial credit
counts as its fraction (2 of 3 pairs matched adds 2/3), as in item statistics. A
mistake made long ago and answered right three times since no longer counts: the
learner has shown they know it now.

Pooling is over answers, not an average of per-question shares, so a question
answered three times weighs more than one answered once. A record with several
topics counts once in each of them. Labels sort in section order (see
`section_sort_key`), so that "2.10" comes after "2.9".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from quizapp.domain.charts import Bar
from quizapp.domain.grading import format_score
from quizapp.domain.questions import Bank

RECENT = 3

_NUMBER = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class AnswerRecord:
    """One answer by one learner, with what it was about; `score` is its mark, 0..1."""

    learner: int
    question_id: str
    at: datetime
    score: float
    section: str
    topics: tuple[str, ...]
    qtype: str

    @property
    def correct(self) -> bool:
        """Full marks."""
        return self.score == 1.0


@dataclass(frozen=True)
class Mastery:
    """How well the counted answers under one label went.

    `counted` is the number of answers counted (the last `RECENT` per learner
    and question), `right` the marks they earned (partial credit as its fraction).
    """

    label: str
    right: float
    counted: int
    questions: int
    learners: int

    def __post_init__(self) -> None:
        if not 0 <= self.right <= self.counted or self.counted < 1:
            raise ValueError(f"{self.right} right of {self.counted} counted")

    @property
    def share(self) -> float:
        """Marks earned over counted answers, in 0.0..1.0."""
        return self.right / self.counted


def section_sort_key(label: str) -> tuple[tuple[int, int, str, str], ...]:
    """Natural order for section numbers: "1" < "2" < "2.1" < "2.10" < "10".

    The label is split on "."; numeric parts compare as numbers and come before
    non-numeric parts, which compare alphabetically (case-insensitive), so
    labels such as topics sort alphabetically after the numbered ones.
    """
    return tuple(
        (0, int(part), "", part) if _NUMBER.fullmatch(part) else (1, 0, part.casefold(), part)
        for part in label.split(".")
    )


def recent_answers(records: Iterable[AnswerRecord], recent: int = RECENT) -> list[AnswerRecord]:
    """For each (learner, question), its `recent` latest records; all in time order.

    Records at the same time keep their input order.
    """
    if recent < 1:
        raise ValueError(f"recent must be at least 1, not {recent}")
    by_pair: dict[tuple[int, str], list[AnswerRecord]] = defaultdict(list)
    for record in sorted(records, key=lambda r: r.at):
        by_pair[record.learner, record.question_id].append(record)
    kept = [record for history in by_pair.values() for record in history[-recent:]]
    return sorted(kept, key=lambda r: r.at)


@dataclass
class _Tally:
    right: float = 0.0
    counted: int = 0
    questions: set[str] = field(default_factory=set)
    learners: set[int] = field(default_factory=set)


def mastery_by(
    records: Iterable[AnswerRecord],
    key: Callable[[AnswerRecord], Iterable[str]],
    recent: int = RECENT,
) -> list[Mastery]:
    """Mastery per label that `key` yields, over the recent answers (see module docstring).

    A record counts once under each distinct label its key yields. Labels come
    out in `section_sort_key` order; a label with no counted answer is absent.
    """
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for record in recent_answers(records, recent):
        for label in set(key(record)):
            tally = tallies[label]
            tally.right += record.score
            tally.counted += 1
            tally.questions.add(record.question_id)
            tally.learners.add(record.learner)
    return [
        Mastery(label, t.right, t.counted, len(t.questions), len(t.learners))
        for label, t in sorted(tallies.items(), key=lambda item: section_sort_key(item[0]))
    ]


def by_section(records: Iterable[AnswerRecord], recent: int = RECENT) -> list[Mastery]:
    """Mastery per article section; records with no section ("") are left out."""
    return mastery_by(records, lambda r: (r.section,) if r.section else (), recent)


def by_topic(records: Iterable[AnswerRecord], recent: int = RECENT) -> list[Mastery]:
    """Mastery per topic; a record with several topics counts in each."""
    return mastery_by(records, lambda r: r.topics, recent)


def by_type(records: Iterable[AnswerRecord], recent: int = RECENT) -> list[Mastery]:
    """Mastery per question type ("single", "year", ...)."""
    return mastery_by(records, lambda r: (r.qtype,), recent)


def weakest(masteries: Sequence[Mastery], limit: int = 3) -> list[Mastery]:
    """The `limit` labels with the lowest share, ties broken by label in section order.

    Shares compare rounded to 9 places, so 1/3 and 2/6 tie.
    """
    if limit < 0:
        raise ValueError(f"limit must not be negative, not {limit}")
    ranked = sorted(
        masteries,
        key=lambda m: (round(m.share, 9), section_sort_key(m.label)),
    )
    return ranked[:limit]


def section_bars(masteries: list[Mastery], bank: Bank) -> list[Bar]:
    """A bar per section a question of the bank cites, answered or not yet, in article order."""
    found = {m.label: m for m in masteries}
    cited = {q.section for q in bank.questions if q.section} | set(found)
    return [
        Bar(
            bank.article.numbered_title(number),
            found[number].share if number in found else None,
            f"{format_score(found[number].right)} of {found[number].counted} recent answers right"
            if number in found
            else "",
        )
        for number in sorted(cited, key=section_sort_key)
    ]
