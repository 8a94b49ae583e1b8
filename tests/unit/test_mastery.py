"""Mastery over the last three answers to each question, pooled per section, topic and type."""

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain.mastery import (
    RECENT,
    AnswerRecord,
    Mastery,
    by_section,
    by_topic,
    by_type,
    mastery_by,
    recent_answers,
    section_sort_key,
    weakest,
)

START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def answers(
    marks: str,
    *,
    learner: int = 1,
    question_id: str = "q1",
    section: str = "2.1",
    topics: tuple[str, ...] = ("baker",),
    qtype: str = "single",
    start: datetime = START,
) -> list[AnswerRecord]:
    """One record per mark, a day apart: "W" wrong, "R" right, "P" a third of the marks,
    e.g. answers("WRRR")."""
    return [
        AnswerRecord(
            learner=learner,
            question_id=question_id,
            at=start + timedelta(days=day),
            score={"R": 1.0, "W": 0.0, "P": 1 / 3}[mark],
            section=section,
            topics=topics,
            qtype=qtype,
        )
        for day, mark in enumerate(marks)
    ]


def only(masteries: list[Mastery]) -> Mastery:
    (mastery,) = masteries
    return mastery


def test_only_the_last_three_answers_count():
    assert RECENT == 3


def test_an_old_mistake_fades_after_three_right_answers():
    mastery = only(by_section(answers("WRRR")))

    assert (mastery.right, mastery.counted, mastery.share) == (3, 3, 1.0)


def test_a_mistake_still_counts_while_among_the_last_three():
    mastery = only(by_section(answers("WRR")))

    assert (mastery.right, mastery.counted) == (2, 3)


def test_a_recent_mistake_counts_however_many_right_answers_came_before():
    mastery = only(by_section(answers("RRRRW")))

    assert (mastery.right, mastery.counted) == (2, 3)


def test_partial_credit_counts_its_fraction():
    """A third of the marks adds a third, as item statistics count it, not a zero."""
    mastery = only(by_section(answers("PRW")))

    assert mastery.right == pytest.approx(4 / 3) and mastery.counted == 3
    assert mastery.share == pytest.approx(4 / 9)


def test_the_recent_window_is_per_question():
    records = answers("WRRR", question_id="q1") + answers("RRRW", question_id="q2")

    kept = recent_answers(records)

    assert [(r.question_id, r.correct) for r in kept if r.question_id == "q1"] == [
        ("q1", True),
        ("q1", True),
        ("q1", True),
    ]
    assert [r.correct for r in kept if r.question_id == "q2"] == [True, True, False]


def test_the_recent_window_is_per_learner():
    records = answers("WRRR", learner=1) + answers("W", learner=2, start=START + timedelta(days=9))

    kept = recent_answers(records)

    assert [(r.learner, r.correct) for r in kept] == [(1, True), (1, True), (1, True), (2, False)]


def test_recent_answers_uses_answer_time_not_input_order():
    records = answers("WRRR")

    assert recent_answers(reversed(records)) == records[1:]


def test_a_section_pools_the_recent_answers_of_its_questions():
    # q1: W,R,R,R -> last 3 are 3/3; q2: W -> 0/1; the section: 3/4.
    records = answers("WRRR", question_id="q1") + answers("W", question_id="q2")

    mastery = only(by_section(records))

    assert mastery == Mastery(label="2.1", right=3, counted=4, questions=2, learners=1)
    assert mastery.share == 0.75


def test_records_without_a_section_are_left_out():
    records = answers("R", section="") + answers("W", question_id="q2", section="3")

    assert [m.label for m in by_section(records)] == ["3"]


def test_a_record_with_several_topics_counts_in_each():
    records = answers("WR", question_id="q1", topics=("baker", "genscher")) + answers(
        "R", question_id="q2", topics=("genscher",)
    )

    assert by_topic(records) == [
        Mastery(label="baker", right=1, counted=2, questions=1, learners=1),
        Mastery(label="genscher", right=2, counted=3, questions=2, learners=1),
    ]


def test_a_topic_repeated_on_one_record_counts_once():
    mastery = only(by_topic(answers("R", topics=("baker", "baker"))))

    assert mastery.counted == 1


def test_a_class_pools_its_learners():
    # Learner 1: W,R,R,R -> 3/3; learner 2: W,W -> 0/2; the class: 3/5.
    records = answers("WRRR", learner=1) + answers("WW", learner=2)

    mastery = only(by_section(records))

    assert (mastery.right, mastery.counted, mastery.questions, mastery.learners) == (3, 5, 1, 2)
    assert mastery.share == pytest.approx(0.6)


def test_sections_sort_in_natural_order():
    labels = ["10", "2.10", "appendix", "2", "2.1", "1", "2.9"]
    records = [
        record
        for number, label in enumerate(labels)
        for record in answers("R", question_id=f"q{number}", section=label)
    ]

    assert [m.label for m in by_section(records)] == [
        "1",
        "2",
        "2.1",
        "2.9",
        "2.10",
        "10",
        "appendix",
    ]


def test_section_sort_key_puts_numbers_before_words_and_words_alphabetically():
    labels = ["nato", "2", "Baker", "10", "assurances"]

    assert sorted(labels, key=section_sort_key) == ["2", "10", "assurances", "Baker", "nato"]


def test_by_type_groups_by_question_type():
    records = (
        answers("R", question_id="q1", qtype="year")
        + answers("W", question_id="q2", qtype="single")
        + answers("WR", question_id="q3", qtype="single")
    )

    assert by_type(records) == [
        Mastery(label="single", right=1, counted=3, questions=2, learners=1),
        Mastery(label="year", right=1, counted=1, questions=1, learners=1),
    ]


def test_mastery_by_takes_any_key():
    records = answers("RW", question_id="q1") + answers("R", question_id="q2")

    mastery = only(mastery_by(records, lambda record: ("all",)))

    assert (mastery.label, mastery.right, mastery.counted) == ("all", 2, 3)


def test_a_shorter_window_can_be_asked_for():
    mastery = only(by_section(answers("WRRW"), recent=1))

    assert (mastery.right, mastery.counted) == (0, 1)


def test_weakest_lists_the_lowest_shares_first_ties_by_label():
    masteries = [
        Mastery("3", right=3, counted=4, questions=2, learners=1),
        Mastery("2.10", right=1, counted=2, questions=1, learners=1),
        Mastery("2.9", right=2, counted=4, questions=2, learners=1),
        Mastery("1", right=0, counted=1, questions=1, learners=1),
        Mastery("4", right=1, counted=1, questions=1, learners=1),
    ]

    assert [m.label for m in weakest(masteries)] == ["1", "2.9", "2.10"]
    assert [m.label for m in weakest(masteries, limit=1)] == ["1"]


def test_empty_input_gives_no_mastery():
    assert by_section([]) == []
    assert by_topic([]) == []
    assert by_type([]) == []
    assert recent_answers([]) == []
    assert weakest([]) == []


def test_a_section_bar_shows_partial_credit_as_the_table_does_with_two_decimals():
    from pathlib import Path

    from quizapp.domain.bank import load_bank
    from quizapp.domain.mastery import section_bars

    bank = load_bank(Path(__file__).resolve().parents[2] / "questions")
    (mastery,) = by_section(answers("P", section="2.1"))
    (bar,) = [b for b in section_bars([mastery], bank) if b.label.startswith("2.1 ")]
    assert bar.detail == "0.33 of 1 recent answers right"
