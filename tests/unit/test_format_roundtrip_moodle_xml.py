"""Export then import through Moodle XML: the whole shipped bank, ordering questions included,
comes back equal, and what Moodle sees of it is what Moodle means by it."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from quizapp.domain.bank import load_bank
from quizapp.domain.formats import moodle_xml
from quizapp.domain.grading import grade
from quizapp.domain.questions import QuestionType


@pytest.fixture(scope="module")
def bank():
    return load_bank(Path(__file__).resolve().parents[2] / "questions")


@pytest.fixture(scope="module")
def exported(bank):
    return moodle_xml.export(bank.questions)


def test_the_whole_bank_is_exported(bank, exported):
    assert exported.skipped == ()
    assert exported.exported == len(bank.questions)
    assert any(q.type is QuestionType.ORDERING for q in bank.questions)


def test_the_whole_bank_comes_back_equal_ordering_included(bank, exported):
    result = moodle_xml.parse(exported.text, "bank.xml", bank)
    assert result.problems == ()
    assert result.notes == ()
    assert list(result.questions) == list(bank.questions)


def test_without_our_data_moodle_s_part_alone_still_reads_as_the_same_questions(bank, exported):
    """What Moodle keeps (it drops <quizapp>) means the same: prompts, answers and grades."""
    root = ET.fromstring(exported.text)
    for question in root.iter("question"):
        question.remove(question.find("quizapp"))
    result = moodle_xml.parse(ET.tostring(root, encoding="unicode"), "moodle.xml", bank)
    assert result.problems == ()
    by_id = {q.id: q for q in result.questions}  # from Moodle's idnumber
    assert list(by_id) == [q.id for q in bank.questions]
    for original in bank.questions:
        read = by_id[original.id]
        assert read.prompt == original.prompt
        assert read.explanation == original.explanation
        assert read.topics == original.topics
        if original.type in (QuestionType.YEAR, QuestionType.CLASSIFY):
            continue  # Moodle's numerical and multichoice; their own tests show the mapping
        assert read.type is original.type
        assert [c.text for c in read.choices] == [c.text for c in original.choices]
        key = original.answer
        if original.type is QuestionType.MULTIPLE:
            # Derived weights: every subset of options scores as our grader scores it.
            ids = {c.text: c.id for c in read.choices}
            for choice in original.choices:
                picked = frozenset({ids[choice.text]})
                expected = grade(original, frozenset({choice.id})).score
                assert grade(read, picked).score == pytest.approx(expected, abs=1e-4)
        elif original.type is QuestionType.TRUE_FALSE:
            assert read.answer == key


def test_ordering_questions_are_written_as_moodle_s_ordering_type(bank, exported):
    root = ET.fromstring(exported.text)
    orderings = [q for q in root.iter("question") if q.get("type") == "ordering"]
    assert len(orderings) == sum(q.type is QuestionType.ORDERING for q in bank.questions)
    for element in orderings:
        assert element.findtext("selecttype") == "ALL"
        positions = [a.get("fraction") for a in element.findall("answer")]
        assert positions == [str(n) for n in range(1, len(positions) + 1)]
