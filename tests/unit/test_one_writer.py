"""Rounds, round items, answers, mark changes and regrades have one writer:
`quizapp/attempt_store.py`. A module that builds one of those rows, or sets a round's finish
time or score, anywhere else fails here."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "quizapp"
WRITER = PACKAGE / "attempt_store.py"
WRITES = re.compile(
    r"\b(Round|RoundItem|Answer|MarkChange|Regrade)\(|\.(finished_at|score)\s*[+\-]?=[^=]"
    r"|(insert|update|delete)\("
    r"\s*(Round|RoundItem|Answer)\b"
)


def writes_outside_the_store() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in (WRITER, PACKAGE / "models.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if WRITES.search(line):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    return found


def test_only_the_attempt_store_writes_rounds_and_answers():
    assert writes_outside_the_store() == []


def test_the_check_sees_a_write():
    assert WRITES.search("a_round.finished_at = now")
    assert WRITES.search("db.session.add(Answer(round_item_id=1))")
    assert WRITES.search("a_round.score += grade.score")
    assert not WRITES.search("if a_round.finished_at == now:")
    assert WRITES.search("db.session.add(Regrade(question_id=1))")
    assert not WRITES.search("return CannotRegrade(reason)")
