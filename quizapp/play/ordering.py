"""The keyboard-and-no-JavaScript way to order items: move buttons that post the current order."""

from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.domain.questions import Question


@dataclass(frozen=True)
class Move:
    direction: str  # "up" or "down"
    item_id: str

    @property
    def value(self) -> str:
        return f"{self.direction}:{self.item_id}"


def current_order(question: Question, submitted: Sequence[str]) -> list[str]:
    """The order the learner has arranged; the presented one if the form's is no permutation."""
    ids = [c.id for c in question.choices]
    if sorted(submitted) == sorted(ids) and len(submitted) == len(ids):
        return list(submitted)
    return ids


def apply_move(order: list[str], value: str) -> tuple[list[str], Move | None]:
    """Apply `up:<id>` or `down:<id>`: the new order and the move, or the order unchanged and
    None when the value names no item or would move one past either end."""
    direction, _, item_id = value.partition(":")
    if item_id not in order or direction not in ("up", "down"):
        return order, None
    index = order.index(item_id)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(order):
        return order, None
    moved = list(order)
    moved[index], moved[target] = moved[target], moved[index]
    return moved, Move(direction, item_id)


def focus_after(order: Sequence[str], move: Move) -> str:
    """The button to focus after a move: the same one, or its twin once the item is at an end."""
    at_end = order[0] if move.direction == "up" else order[-1]
    if at_end == move.item_id:
        return f"{'down' if move.direction == 'up' else 'up'}:{move.item_id}"
    return move.value
