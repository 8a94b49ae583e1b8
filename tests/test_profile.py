"""`make profile STEP=...` (`python -m bench profile`): each step of the play loop is run
under the profiler and its reports are written."""

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from bench.profile import STEPS, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("step", STEPS)
def test_profile_writes_a_report_of_the_step(step, tmp_path, capsys):
    assert main(["--step", step, "--repetitions", "3", "--out", str(tmp_path)]) == 0

    text = (tmp_path / f"profile-{step}.txt").read_text(encoding="utf-8")
    heading = text.splitlines()[0]
    assert heading.startswith(f"{STEPS[step]} on sqlite, in process: ")
    requests = int(heading.split(": ")[1].split(" ")[0])
    assert requests >= 3
    assert "quizapp/play/routes.py" in text  # the app's own views, not only the client's work
    html = (tmp_path / f"profile-{step}.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert heading in capsys.readouterr().out


def test_profile_runs_where_an_event_loop_is_already_running(tmp_path):
    """As in a test worker that ran the browser tests: Playwright's sync API leaves its
    event loop marked as running in the main thread."""

    async def inside_a_loop():
        return main(["--step", "question", "--repetitions", "2", "--out", str(tmp_path)])

    assert asyncio.run(inside_a_loop()) == 0
    assert (
        (tmp_path / "profile-question.txt")
        .read_text(encoding="utf-8")
        .startswith("GET question on sqlite")
    )


def test_profile_is_a_command_of_the_bench_module():
    result = subprocess.run(
        [sys.executable, "-m", "bench", "profile", "--step", "everything"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "--step: invalid choice: 'everything'" in result.stderr
    assert "question" in result.stderr
