"""Teachers' questions stored before a rule was tightened: still playable, flagged on the
bank browser, listed by `flask questions check`."""

import pytest
from sqlalchemy import select

from quizapp import question_store
from quizapp.domain.questions import Choice
from quizapp.extensions import db
from quizapp.models import User
from tests.factories import make_question

# 25 options: the editor once had no upper bound here; the rulebook's is 20.
TOO_MANY = tuple(Choice(f"c{i}", f"Person number {i}") for i in range(1, 26))


def store(app, **changes) -> int:
    with app.app_context():
        tess = db.session.scalar(select(User).where(User.username == "tess"))
        row = question_store.create_question(tess, make_question("single", **changes))
        db.session.commit()
        return row.id


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_a_stored_question_that_breaks_a_rule_is_flagged_on_the_bank_browser(app, teacher):
    broken = store(app, choices=TOO_MANY, prompt="Who of these twenty-five?")
    fine = store(app, prompt="Who met Gorbachev?")

    page = teacher.get("/teach/questions").get_data(as_text=True)

    assert page.count("Breaks a rule:") == 1
    assert "A single-choice question has 2 to 20 options; this one has 25." in page
    assert f"/teach/questions/{broken}/edit" in page
    assert f"/teach/questions/{fine}/edit" not in page


def test_a_stored_question_that_breaks_a_rule_stays_playable(app, teacher):
    broken = store(app, choices=TOO_MANY)

    with app.app_context():
        tess = db.session.scalar(select(User).where(User.username == "tess"))
        playable = question_store.playable_questions(tess.id)

    assert [q.id for q in playable] == [question_store.public_id(broken)]
    assert len(playable[0].choices) == 25


def test_the_check_command_lists_each_broken_question_and_fails(app, teacher, runner):
    broken = store(app, prompt="x" * 10_001)
    store(app)

    result = runner.invoke(args=["questions", "check"])

    assert result.exit_code == 1
    assert (
        f"t-{broken} (tess): The question is 10,001 characters long; keep it to 10,000."
        in result.output
    )
    assert "1 of 2 questions break a rule" in result.output


def test_the_check_command_passes_when_every_question_keeps_every_rule(app, teacher, runner):
    store(app)

    result = runner.invoke(args=["questions", "check", "--owner", "tess"])

    assert result.exit_code == 0
    assert "1 question checked: every one keeps every rule" in result.output


def test_the_check_command_warns_of_a_cue_without_failing(app, teacher, runner):
    cued = store(
        app, choices=(Choice("c1", "U.S. Secretary of State James Baker"), Choice("c2", "Kohl"))
    )

    result = runner.invoke(args=["questions", "check"])

    assert result.exit_code == 0, result.output
    assert f"t-{cued} (tess): warning: [longest-right]" in result.output
