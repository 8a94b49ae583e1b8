"""`flask bank check` through the app's CLI runner."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp import create_app
from quizapp.domain.bank import BankError
from quizapp.extensions import db
from quizapp.models import User
from tests.factories import PASSWORD

REAL_BANK = Path(__file__).parents[1] / "questions"

BROKEN_QUESTION = """\
questions:
  - id: zz-broken
    type: true_false
    kind: fact
    prompt: Did Baker meet Gorbachev in Moscow?
    section: "1"
    quote: "On 9 February 1990, in Moscow, Baker asked Gorbachev"
    explantion: He did.
    difficulty: 1
    topics: [baker]
    answer: true
"""

LONE_QUESTION = BROKEN_QUESTION.replace("explantion", "explanation")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def bank_copy(tmp_path, monkeypatch):
    """A copy of the real bank that `bank check` reads instead."""
    root = tmp_path / "questions"
    shutil.copytree(REAL_BANK, root)
    monkeypatch.setenv("QUIZAPP_BANK_DIR", str(root))
    return root


def test_check_on_the_real_bank_prints_counts_and_ok(runner):
    result = runner.invoke(args=["bank", "check"])

    assert result.exit_code == 0, result.output
    assert "questions" in result.stdout
    assert result.stdout.rstrip().endswith("bank OK")


def test_the_real_bank_passes_the_strict_check_and_prints_its_cue_figures(runner):
    result = runner.invoke(args=["bank", "check", "--strict"])

    assert result.exit_code == 0, result.output
    assert "cues: right option longest in" in result.stdout
    assert "warning" not in result.stderr and "error" not in result.stderr


def test_check_on_a_broken_bank_lists_each_problem_and_fails(runner, bank_copy):
    broken = bank_copy / "bank" / "zz-broken.yaml"
    broken.write_text(BROKEN_QUESTION, encoding="utf-8")

    result = runner.invoke(args=["bank", "check"])

    assert result.exit_code == 1
    assert f"{broken}:8: unknown field 'explantion' (did you mean 'explanation'?)" in (
        result.stderr.splitlines()
    )
    assert "bank OK" not in result.output


def test_check_warns_of_uncited_sections_without_failing(runner, bank_copy):
    shutil.rmtree(bank_copy / "bank")
    (bank_copy / "bank").mkdir()
    (bank_copy / "bank" / "lone.yaml").write_text(LONE_QUESTION, encoding="utf-8")

    result = runner.invoke(args=["bank", "check"])

    assert result.exit_code == 0, result.output
    assert "warning: no question cites section 0, 2.1" in result.stderr
    assert "bank OK" in result.stdout


CUED_QUESTION = """\
questions:
  - id: zz-cued
    type: single
    kind: fact
    prompt: Who asked Gorbachev in Moscow?
    options:
      - {text: "U.S. Secretary of State James Baker", correct: true}
      - {text: Kohl}
      - {text: Bush}
    section: "1"
    quote: "On 9 February 1990, in Moscow, Baker asked Gorbachev"
    explanation: He did.
    difficulty: 1
    topics: [baker]
"""


def test_check_warns_of_a_cue_naming_the_question_and_passes(runner, bank_copy):
    (bank_copy / "bank" / "zz-cued.yaml").write_text(CUED_QUESTION, encoding="utf-8")

    result = runner.invoke(args=["bank", "check"])

    assert result.exit_code == 0, result.output
    assert "warning: zz-cued: [longest-right] The right option is the longest" in result.stderr
    assert "cues: right option longest in" in result.stdout
    assert "bank OK" in result.stdout


def test_check_strict_makes_a_cue_an_error(runner, bank_copy):
    (bank_copy / "bank" / "zz-cued.yaml").write_text(CUED_QUESTION, encoding="utf-8")

    result = runner.invoke(args=["bank", "check", "--strict"])

    assert result.exit_code == 1
    assert "error: zz-cued: [longest-right]" in result.stderr
    assert "bank OK" not in result.output


def test_an_acknowledged_cue_is_no_warning(runner, bank_copy):
    reason = "    acknowledged: {longest-right: The full title is the point.}\n"
    acknowledged = CUED_QUESTION + reason
    (bank_copy / "bank" / "zz-cued.yaml").write_text(acknowledged, encoding="utf-8")

    result = runner.invoke(args=["bank", "check"])

    assert result.exit_code == 0, result.output
    assert "zz-cued" not in result.stderr


def test_acknowledging_an_unknown_cue_is_refused(runner, bank_copy):
    unknown = CUED_QUESTION + "    acknowledged: {longest: because}\n"
    (bank_copy / "bank" / "zz-cued.yaml").write_text(unknown, encoding="utf-8")

    result = runner.invoke(args=["bank", "check"])

    assert result.exit_code == 1
    assert "'longest' is not a cue; the cues are longest-right" in result.stderr


def test_the_app_refuses_to_start_on_a_broken_bank(bank_copy, app_config):
    (bank_copy / "bank" / "zz-broken.yaml").write_text(BROKEN_QUESTION, encoding="utf-8")
    with pytest.raises(BankError) as refused:
        create_app({**app_config, "QUIZAPP_BANK_DIR": str(bank_copy)})
    assert any("unknown field 'explantion'" in problem for problem in refused.value.problems)


def test_flask_bank_check_reports_a_broken_bank_without_starting_the_app(bank_copy):
    """The real command line, as an author runs it: the app cannot start, the check still runs."""
    broken = bank_copy / "bank" / "zz-broken.yaml"
    broken.write_text(BROKEN_QUESTION, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "quizapp", "bank", "check"],
        capture_output=True,
        text=True,
        env={**os.environ, "QUIZAPP_BANK_DIR": str(bank_copy)},
        check=False,
    )
    assert result.returncode == 1
    assert f"{broken}:8: unknown field 'explantion' (did you mean 'explanation'?)" in result.stderr
    assert "Traceback" not in result.stderr


# `flask users create-teacher`

TEACHER_PASSWORD = "chalk and blackboard"


def stored_user(app, username: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None:
            db.session.expunge(user)
        return user


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_create_teacher_reads_the_password_from_stdin(runner, app):
    result = runner.invoke(
        args=["users", "create-teacher", "Mrs-Kohl", "--password-stdin"],
        input=TEACHER_PASSWORD + "\n",
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Created teacher mrs-kohl."
    teacher = stored_user(app, "mrs-kohl")
    assert teacher.is_teacher
    assert teacher.check_password(TEACHER_PASSWORD)


def test_create_teacher_asks_for_the_password_twice(runner, app):
    result = runner.invoke(
        args=["users", "create-teacher", "kohl"],
        input=f"{TEACHER_PASSWORD}\n{TEACHER_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "Created teacher kohl." in result.stdout
    assert TEACHER_PASSWORD not in result.output  # typed unseen
    assert stored_user(app, "kohl").check_password(TEACHER_PASSWORD)


def test_create_teacher_refuses_a_mismatched_confirmation(runner, app):
    result = runner.invoke(
        args=["users", "create-teacher", "kohl"],
        input=f"{TEACHER_PASSWORD}\n{TEACHER_PASSWORD}x\n",
    )

    assert result.exit_code != 0
    assert "do not match" in result.output
    assert count_users(app) == 0


@pytest.mark.parametrize("password_args", [["--password-stdin"], []], ids=["stdin", "prompt"])
def test_create_teacher_refuses_a_password_registration_would_refuse(runner, app, password_args):
    result = runner.invoke(
        args=["users", "create-teacher", "kohl", *password_args], input="short\nshort\n"
    )

    assert result.exit_code == 1
    assert "Use at least 8 characters" in result.stderr
    assert count_users(app) == 0


def test_create_teacher_refuses_an_empty_stdin(runner, app):
    result = runner.invoke(args=["users", "create-teacher", "kohl", "--password-stdin"], input="")

    assert result.exit_code == 1
    assert "nothing on standard input" in result.stderr
    assert count_users(app) == 0


@pytest.mark.parametrize(
    ("username", "message"),
    [("ko", "between 3 and 40 characters"), ("mrs kohl", "Use 3 to 40 letters")],
)
def test_create_teacher_refuses_a_username_registration_would_refuse(
    runner, app, username, message
):
    result = runner.invoke(
        args=["users", "create-teacher", username, "--password-stdin"],
        input=TEACHER_PASSWORD + "\n",
    )

    assert result.exit_code == 1
    assert message in result.stderr
    assert count_users(app) == 0


def test_create_teacher_refuses_an_existing_student_without_promote(runner, app, user):
    result = runner.invoke(
        args=["users", "create-teacher", "ADA", "--password-stdin"],
        input=TEACHER_PASSWORD + "\n",
    )

    assert result.exit_code == 1
    assert "ada is a student; add --promote" in result.stderr
    ada = stored_user(app, "ada")
    assert not ada.is_teacher
    assert ada.check_password(PASSWORD)


def test_create_teacher_refuses_an_existing_teacher(runner, app):
    args = ["users", "create-teacher", "kohl", "--password-stdin", "--promote"]
    assert runner.invoke(args=args, input=TEACHER_PASSWORD + "\n").exit_code == 0

    result = runner.invoke(args=args, input="another password\n")

    assert result.exit_code == 1
    assert "kohl is already a teacher." in result.stderr
    assert stored_user(app, "kohl").check_password(TEACHER_PASSWORD)


def test_promote_makes_a_student_a_teacher_keeping_their_password(runner, app, user):
    result = runner.invoke(args=["users", "create-teacher", "ada", "--promote"], input="")

    assert result.exit_code == 0, result.output
    assert "Promoted ada to teacher (password unchanged)." in result.stdout
    ada = stored_user(app, "ada")
    assert ada.is_teacher
    assert ada.check_password(PASSWORD)
    assert count_users(app) == 1


def test_promote_with_password_stdin_replaces_the_password(runner, app, user):
    result = runner.invoke(
        args=["users", "create-teacher", "ada", "--promote", "--password-stdin"],
        input=TEACHER_PASSWORD + "\n",
    )

    assert result.exit_code == 0, result.output
    assert "password replaced" in result.stdout
    assert stored_user(app, "ada").check_password(TEACHER_PASSWORD)


def test_created_teacher_can_log_in(runner, client, auth):
    created = runner.invoke(
        args=["users", "create-teacher", "kohl", "--password-stdin"],
        input=TEACHER_PASSWORD + "\n",
    )
    assert created.exit_code == 0, created.output

    assert auth.login("kohl", TEACHER_PASSWORD).status_code == 302
    assert client.get("/review/scores").status_code == 200


def test_create_teacher_help_explains_promote_and_stdin(runner):
    result = runner.invoke(args=["users", "create-teacher", "--help"])

    assert result.exit_code == 0
    assert "--promote" in result.stdout
    assert "--password-stdin" in result.stdout
    assert "keep their password" in result.stdout
