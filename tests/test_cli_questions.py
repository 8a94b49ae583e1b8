"""`flask questions import|export` through the app's CLI runner."""

import pytest
from sqlalchemy import func, select

from quizapp import current_bank
from quizapp.extensions import db
from quizapp.models import TeacherQuestion
from tests.factories import create_teacher

GIFT = """::baker-place:: In which city did Baker meet Gorbachev on 9 February 1990? {
=Moscow #Yes.
~Bonn
~Washington
####Section 1 tells of Baker's visit.}

::year-q:: In which year did Baker meet Gorbachev in Moscow? {#1990:0}
"""


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def teacher(app):
    with app.app_context():
        return create_teacher("tess").id


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(TeacherQuestion))


def test_import_prints_counts_by_type_and_stores_the_questions(app, runner, teacher, tmp_path):
    path = tmp_path / "quiz.gift"
    path.write_text(GIFT, encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 2 questions (single 1, numeric 1)" in result.output
    assert "2 cite no passage yet" in result.output
    assert stored(app) == 2


def test_cite_suggested_imports_questions_citing_the_suggested_passages(
    app, runner, teacher, tmp_path
):
    path = tmp_path / "quiz.gift"
    path.write_text(GIFT, encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(path), "--cite-suggested"])
    assert result.exit_code == 0, result.output
    assert "question 1: cites section " in result.output
    assert "cite no passage yet" not in result.output
    with app.app_context():
        rows = db.session.scalars(select(TeacherQuestion).order_by(TeacherQuestion.id)).all()
        questions = [row.current.as_question for row in rows]
        assert all(q.cites_source for q in questions)
        assert "Baker" in questions[0].quote and "Gorbachev" in questions[0].quote


def test_a_dry_run_imports_nothing(app, runner, teacher, tmp_path):
    path = tmp_path / "quiz.gift"
    path.write_text(GIFT, encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(path), "--dry-run"])
    assert result.exit_code == 0
    assert "would import 2 questions" in result.output
    assert stored(app) == 0


def test_a_broken_file_reports_file_and_line_exits_non_zero_and_imports_nothing(
    app, runner, teacher, tmp_path
):
    path = tmp_path / "quiz.gift"
    path.write_text(GIFT + "\n::essay:: Write about Munich 2007. {}\n", encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "essay" in result.output.lower()
    assert "nothing imported" in result.output
    assert stored(app) == 0


def test_an_unknown_extension_asks_for_the_format(app, runner, teacher, tmp_path):
    path = tmp_path / "quiz.txt"
    path.write_text(GIFT, encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(path)])
    assert result.exit_code == 1 and "--format" in result.output
    result = runner.invoke(args=["questions", "import", str(path), "--format", "gift"])
    assert result.exit_code == 0 and stored(app) == 2


def test_import_without_a_teacher_says_how_to_create_one(app, runner, tmp_path):
    path = tmp_path / "quiz.gift"
    path.write_text(GIFT, encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(path)])
    assert result.exit_code == 1 and "create-teacher" in result.output


def test_with_two_teachers_the_owner_must_be_named(app, runner, teacher, tmp_path):
    with app.app_context():
        create_teacher("olga")
    path = tmp_path / "quiz.gift"
    path.write_text(GIFT, encoding="utf-8")
    assert runner.invoke(args=["questions", "import", str(path)]).exit_code == 1
    result = runner.invoke(args=["questions", "import", str(path), "--owner", "olga"])
    assert result.exit_code == 0 and "for olga" in result.output


@pytest.mark.parametrize("format_name", ["yaml", "gift", "aiken", "xml"])
def test_export_of_the_library_then_import_gives_the_exported_questions(
    app, runner, teacher, tmp_path, format_name
):
    out = tmp_path / f"bank.{format_name}"
    result = runner.invoke(args=["questions", "export", "--format", format_name, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        total = len(current_bank().questions)
    exported = int(result.output.split("exported ")[1].split(" ")[0])
    left_out = total - exported
    if left_out:
        assert f"{left_out} left out" in result.output
    imported = runner.invoke(args=["questions", "import", str(out), "--format", format_name])
    assert imported.exit_code == 0, imported.output
    assert f"imported {exported} questions" in imported.output
    assert stored(app) == exported


MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Baker in Moscow</text></name>
    <questiontext format="html"><text><![CDATA[<p>Baker met Gorbachev in Moscow.</p>]]></text>
    </questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="essay">
    <name><text>Munich 2007</text></name>
    <questiontext format="html"><text>Write about Munich 2007.</text></questiontext>
  </question>
</quiz>
"""


def test_an_essay_in_moodle_xml_blocks_the_import_and_says_how_to_skip_it(
    app, runner, teacher, tmp_path
):
    path = tmp_path / "moodle.xml"
    path.write_text(MOODLE_XML, encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}:10: question 'Munich 2007': type=\"essay\" is an essay" in result.output
    assert "1 of them are questions of types this app does not have" in result.output
    assert "--skip-unsupported" in result.output
    assert stored(app) == 0


def test_skip_unsupported_imports_the_rest_and_lists_what_was_skipped(
    app, runner, teacher, tmp_path
):
    path = tmp_path / "moodle.xml"
    path.write_text(MOODLE_XML, encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(path), "--skip-unsupported"])
    assert result.exit_code == 0, result.output
    assert f"skipped: {path}:10: question 'Munich 2007'" in result.output
    assert "imported 1 questions (true_false 1) for tess" in result.output
    assert "1 questions of types this app does not have were skipped" in result.output
    assert stored(app) == 1


def test_skip_unsupported_works_for_gift_too(app, runner, teacher, tmp_path):
    path = tmp_path / "quiz.gift"
    path.write_text(GIFT + "\n::essay:: Write about Munich 2007. {}\n", encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(path), "--skip-unsupported"])
    assert result.exit_code == 0, result.output
    assert "skipped:" in result.output and "essay" in result.output
    assert stored(app) == 2


def test_skip_unsupported_does_not_let_a_broken_question_through(app, runner, teacher, tmp_path):
    path = tmp_path / "moodle.xml"
    path.write_text(MOODLE_XML.replace('fraction="0"', 'fraction="100"'), encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(path), "--skip-unsupported"])
    assert result.exit_code == 1
    assert f"{path}:3: question 'Baker in Moscow'" in result.output
    assert stored(app) == 0


def test_a_moodle_xml_entity_bomb_is_refused_with_its_line(app, runner, teacher, tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<quiz>&b;</quiz>\n',
        encoding="utf-8",
    )
    result = runner.invoke(args=["questions", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: a DTD (<!DOCTYPE ...>) is refused" in result.output
    assert stored(app) == 0


def test_a_dry_run_of_moodle_xml_lists_skipped_and_notes_and_stores_nothing(
    app, runner, teacher, tmp_path
):
    path = tmp_path / "moodle.xml"
    path.write_text(
        MOODLE_XML.replace(
            'type="truefalse">', 'type="truefalse">\n    <hint><text>Think.</text></hint>'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(
        args=["questions", "import", str(path), "--dry-run", "--skip-unsupported"]
    )
    assert result.exit_code == 0, result.output
    assert "would import 1 questions (true_false 1); dry run" in result.output
    assert f"skipped: {path}:11: question 'Munich 2007'" in result.output
    assert f"note: {path}:4: question 'Baker in Moscow': 1 hint(s)" in result.output
    assert stored(app) == 0
