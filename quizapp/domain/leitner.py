"""Leitner boxes for "Review my mistakes", derived from the learner's answer history.

The schedule is never stored: `schedule` recomputes it from every answer the
learner gave, so it can never disagree with the answers. The rules:

- Reviews are processed in time order (sorted by `at`, stable for ties).
- A question enters the schedule only when it is first answered wrong: its card
  goes in box 1, due one day later. Right answers to a question never missed
  make no card.
- A wrong answer at any time puts the card back in box 1, due one day later; a
  learned card comes back the same way, no longer learned.
- A right answer when the card is due (`at >= due_at`) moves it up one box, due
  `INTERVALS[new box - 1]` after that answer. A right answer when due in box 5
  marks the card learned: it stays in box 5 and leaves the schedule.
- A right answer before the card is due changes nothing: only spaced reviews
  move a card up, since answering again the same day proves little.
- Nothing about a learned card is due.

Times are timezone-aware UTC throughout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

# Box 1..5 comes due this long after the answer that put the card there.
INTERVALS: tuple[timedelta, ...] = tuple(timedelta(days=d) for d in (1, 3, 7, 14, 30))
FIRST_BOX = 1
LAST_BOX = len(INTERVALS)


@dataclass(frozen=True)
class Review:
    """One answer the learner gave; `correct` means full marks."""

    question_id: str
    at: datetime
    correct: bool


@dataclass(frozen=True)
class Card:
    """Where one missed question stands in the schedule.

    `moved_at` is the answer that last moved the card (a wrong answer, or a
    right one when due), and `due_at` is `moved_at + INTERVALS[box - 1]`.
    `misses` counts the wrong answers in its history. A learned card stays in
    box 5 and is never due.
    """

    question_id: str
    box: int
    due_at: datetime
    moved_at: datetime
    misses: int
    learned: bool

    def is_due(self, now: datetime) -> bool:
        """True when the card is still being learned and its time has come."""
        return not self.learned and self.due_at <= now


def _placed(question_id: str, box: int, at: datetime, misses: int) -> Card:
    return Card(question_id, box, at + INTERVALS[box - 1], at, misses, learned=False)


def _answer(card: Card | None, review: Review) -> Card | None:
    """The card after one more answer, by the rules in the module docstring."""
    if not review.correct:
        misses = card.misses + 1 if card else 1
        return _placed(review.question_id, FIRST_BOX, review.at, misses)
    if card is None or card.learned or review.at < card.due_at:
        return card
    if card.box == LAST_BOX:
        return replace(card, moved_at=review.at, due_at=review.at + INTERVALS[-1], learned=True)
    return _placed(card.question_id, card.box + 1, review.at, card.misses)


def schedule(reviews: Iterable[Review]) -> dict[str, Card]:
    """Replay the answers in time order; one card per question ever answered wrong."""
    cards: dict[str, Card] = {}
    for review in sorted(reviews, key=lambda r: r.at):
        card = _answer(cards.get(review.question_id), review)
        if card is not None:
            cards[review.question_id] = card
    return cards


def _cards(cards: Mapping[str, Card] | Iterable[Card]) -> Iterable[Card]:
    return cards.values() if isinstance(cards, Mapping) else cards


def due(cards: Mapping[str, Card] | Iterable[Card], now: datetime) -> list[Card]:
    """The cards to review now, lowest box first, then the longest overdue, then by id.

    Low boxes come first because they hold the questions the learner knows least.
    """
    return sorted(
        (card for card in _cards(cards) if card.is_due(now)),
        key=lambda card: (card.box, card.due_at, card.question_id),
    )


def next_due(cards: Mapping[str, Card] | Iterable[Card], now: datetime) -> datetime | None:
    """When the next card not yet due comes due; None when no card is waiting."""
    waiting = [card.due_at for card in _cards(cards) if not card.learned and card.due_at > now]
    return min(waiting, default=None)


def by_box(cards: Mapping[str, Card] | Iterable[Card]) -> dict[int, int]:
    """How many cards still being learned sit in each box; every box 1..5 is present."""
    counts = dict.fromkeys(range(FIRST_BOX, LAST_BOX + 1), 0)
    for card in _cards(cards):
        if not card.learned:
            counts[card.box] += 1
    return counts
