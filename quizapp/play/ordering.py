"""The keyboard-and-no-JavaScript way to order items: move buttons that post the current order."""

from collections.abc import Sequence

from quizapp.domain.questions import Question


def current_order(question: Question, submitted: Sequence[str]) -> list[str]:
    """The order the learner has arranged; the presented one if the form's is no permutation."""
    ids = [c.id for c in question.choices]
    if sorted(submitted) == sorted(ids) and len(submitted) == len(ids):
        return list(submitted)
    return ids


def apply_move(order: list[str], move: str) -> list[str]:
    """Apply `up:<id>` or `down:<id>`; anything else leaves the order as it is."""
    direction, _, item_id = move.partition(":")
    if item_id not in order or direction not in ("up", "down"):
        return order
    index = order.index(item_id)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(order):
        return order
    moved = list(order)
    moved[index], moved[target] = moved[target], moved[index]
    return moved
