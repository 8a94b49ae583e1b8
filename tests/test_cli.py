"""`flask bank check` through the app's CLI runner."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.domain.bank import BankError

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
