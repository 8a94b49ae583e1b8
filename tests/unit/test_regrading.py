"""Regrading a response given to one version of a question by a later version
(quizapp/domain/regrading.py): same choices by their text, new key, what the student saw kept."""

import random
from dataclasses import replace

import pytest

from quizapp.domain.questions import Choice, NumericAnswer, Question, QuestionType
from quizapp.domain.regrading import (
    AnswerMark,
    CannotRegrade,
    Regraded,
    mark_after_regrade,
    regrade,
)
from quizapp.domain.rounds import present
from tests.factories import make_question


def version(qtype: str, **overrides) -> Question:
    """A stored version as the editor writes it: choices lettered a, b, c… in typed order."""
    question = make_question(qtype, id="t-1")
    letters = {c.id: chr(ord("a") + n) for n, c in enumerate(question.choices)}
    answer = question.answer
    if qtype in ("single", "classify"):
        answer = letters[answer]
    elif qtype == "multiple":
        answer = frozenset(letters[c] for c in answer)
    elif qtype == "ordering":
        answer = tuple(letters[c] for c in answer)
    elif qtype == "matching":
        answer = {p: letters[c] for p, c in answer.items()}
    question = replace(
        question,
        answer=answer,
        choices=tuple(replace(c, id=letters[c.id]) for c in question.choices),
    )
    return replace(question, **overrides)


def shown_id(shown: Question, text: str) -> str:
    return next(c.id for c in shown.choices if c.text == text)


def test_a_corrected_single_key_regrades_by_the_option_text_not_its_letter():
    old = version("single")  # a James Baker (right), b Kohl, c Bush, d Genscher
    shown = present(old, random.Random(3))
    chose_kohl = shown_id(shown, "Helmut Kohl")
    new = replace(old, answer="b", explanation="Kohl, in fact.")
    result = regrade(shown, chose_kohl, new)
    assert isinstance(result, Regraded)
    assert result.grade.score == 1.0
    assert result.shown.answer == chose_kohl
    assert [c.text for c in result.shown.choices] == [c.text for c in shown.choices]
    assert result.shown.explanation == "Kohl, in fact."


def test_an_option_removed_before_the_chosen_one_still_regrades():
    old = version("single")
    shown = present(old, random.Random(1))
    chose_genscher = shown_id(shown, "Hans-Dietrich Genscher")
    # Bush removed: Genscher's letter moves from d to c, and the teacher makes him right.
    new = replace(
        old,
        choices=(Choice("a", "James Baker"), Choice("b", "Helmut Kohl"), Choice("c", "Genscher ")),
        answer="c",
    )
    assert regrade(shown, chose_genscher, new) == CannotRegrade(
        "The option chosen, “Hans-Dietrich Genscher”, was removed or rewritten."
    )
    respaced = replace(new, choices=(*new.choices[:2], Choice("c", "hans-dietrich  GENSCHER")))
    result = regrade(shown, chose_genscher, respaced)
    assert result.grade.score == 1.0
    assert result.shown.choices == shown.choices  # what the student saw, Bush included


def test_a_new_right_answer_the_student_never_saw_cannot_regrade():
    old = version("single")
    shown = present(old, random.Random(2))
    new = replace(old, choices=(*old.choices, Choice("e", "Eduard Shevardnadze")), answer="e")
    result = regrade(shown, shown.answer, new)
    assert isinstance(result, CannotRegrade)
    assert "Eduard Shevardnadze" in result.reason


def test_multiple_regrades_with_the_new_key_and_keeps_the_shown_order():
    old = version("multiple")  # right: a Baker, d Genscher
    shown = present(old, random.Random(5))
    ticked = [shown_id(shown, "James Baker"), shown_id(shown, "Helmut Kohl")]
    assert regrade(shown, ticked, old).grade.score == pytest.approx(0.5 - 1 / 2)
    new = replace(old, answer=frozenset({"a", "b"}))
    result = regrade(shown, ticked, new)
    assert result.grade.score == 1.0
    assert result.shown.answer == frozenset(ticked)


def test_ordering_regrades_a_new_order_but_not_new_items():
    old = version("ordering")  # a Baker in Moscow, b Malta, c Genscher; key b, c, a
    shown = present(old, random.Random(0))
    said = [shown_id(shown, t) for t in ("Baker in Moscow", "Malta Summit", "Genscher's speech")]
    new = replace(old, answer=("a", "b", "c"))
    assert regrade(shown, said, new).grade.score == 1.0
    renamed = replace(new, choices=(*new.choices[:2], Choice("c", "Genscher at Tutzing")))
    assert regrade(shown, said, renamed) == CannotRegrade("The items to put in order changed.")


def test_matching_regrades_by_left_and_right_texts():
    old = version("matching")  # p1 “not one inch” → b Baker, p2 “take advantage” → a Bush
    shown = present(old, random.Random(4))
    pair = {p.text: p.id for p in shown.pairs}
    response = {
        pair["“not one inch”"]: shown_id(shown, "James Baker"),
        pair["“take advantage”"]: shown_id(shown, "Helmut Kohl"),
    }
    assert regrade(shown, response, old).grade.score == 0.5
    new = replace(old, answer={"p1": "b", "p2": "c"})
    assert regrade(shown, response, new).grade.score == 1.0
    changed = replace(old, pairs=(old.pairs[0], Choice("p2", "“a new pair”")))
    assert regrade(shown, response, changed) == CannotRegrade(
        "The left sides of the pairs changed."
    )


@pytest.mark.parametrize(
    ("qtype", "response", "overrides", "score"),
    [
        ("true_false", True, {"answer": False}, 0.0),
        ("year", 1991, {"answer": 1990, "tolerance": 1}, 1.0),
        (
            "short",
            "baker",
            {"choices": (Choice("a", "James Baker"), Choice("b", "Baker")), "answer": ("a", "b")},
            1.0,
        ),
        ("numeric", 12.0, {"answer": (NumericAnswer(10, 14),)}, 1.0),
    ],
)
def test_value_answers_always_regrade(qtype, response, overrides, score):
    base = make_question("single", id="t-1", type=QuestionType(qtype), choices=())
    shown = replace(base, answer=False if qtype == "true_false" else None)
    new = replace(shown, prompt="Rewritten prompt", **overrides)
    result = regrade(shown, response, new)
    assert result.grade.score == score
    assert result.shown.prompt == shown.prompt  # the prompt the student read
    assert result.shown.answer == new.answer


def test_a_stored_answer_of_the_wrong_shape_cannot_regrade():
    old = version("single")
    assert isinstance(regrade(old, ["a"], old), CannotRegrade)


def regrade_twice(mark: AnswerMark, *, keep_manual: bool) -> list[AnswerMark]:
    """ada picked Kohl under version 1 (Baker right); version 2 makes Kohl right, version 3
    Bush: her marks after each regrade, each made from the question the previous one kept."""
    v1 = version("single")
    shown = present(v1, random.Random(8))
    kohl = shown_id(shown, "Helmut Kohl")
    marks = []
    for key in ("b", "c"):
        result = regrade(shown, kohl, replace(v1, answer=key))
        mark = mark_after_regrade(mark, result.grade.score, keep_manual=keep_manual)
        marks.append(mark)
        shown = result.shown
    return marks


def test_a_regrade_over_versions_without_a_manual_mark_follows_each_key():
    assert regrade_twice(AnswerMark(0.0), keep_manual=True) == [AnswerMark(1.0), AnswerMark(0.0)]


def test_a_manual_mark_stands_through_regrades_its_grade_updated_beside_it():
    marked = AnswerMark(0.5, graded=0.0, manual=True)
    assert regrade_twice(marked, keep_manual=True) == [
        AnswerMark(0.5, graded=1.0, manual=True),
        AnswerMark(0.5, graded=0.0, manual=True),
    ]


def test_replacing_manual_marks_lets_the_new_grade_count():
    marked = AnswerMark(0.5, graded=0.0, manual=True)
    assert regrade_twice(marked, keep_manual=False) == [AnswerMark(1.0), AnswerMark(0.0)]
