"""`python -m bench profile --step question|answer|feedback|start`: one step of the play loop
under pyinstrument, in process, over many repetitions (`make profile STEP=...`).

The app is built as `make bench` serves it (production settings, CSRF on) on a fresh,
migrated database (`bench.run.fresh_database`: SQLite, or PostgreSQL with `--database
postgresql` at `BENCH_POSTGRES_URL`). A learner of `bench.learners` signs up and starts
rounds exactly as in the benchmark, but through `AppClient`, which hands each request
straight to the app through the Flask test client instead of a socket. Then the
benchmark's own phases run in turn (question, answer, feedback: the play loop), and the
profiler runs only while the app handles the requests of the chosen step (`start`: the
round starts), until that step has been served `--repetitions` times.

The reports go to `test-artifacts/profile-STEP.html` (pyinstrument's interactive page) and
`test-artifacts/profile-STEP.txt` (the call tree as text, headed by the mean wall time of
the step); a response that is not the step's expected page stops the run.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import secrets
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from pyinstrument import Profiler

from bench.http import Response
from bench.learners import (
    Learner,
    Recorder,
    answer_phase,
    feedback_phase,
    question_phase,
)
from bench.run import ROOT, TIMED_STEPS, fresh_database, migrate

# The command's step names, each the benchmark's name of the same step.
STEPS = dict(zip(("start", "question", "answer", "feedback"), TIMED_STEPS, strict=True))
ARTIFACTS = ROOT / "test-artifacts"
ROUNDS = 10  # rounds the learner keeps going at once, as `make bench` starts per learner
ROUND_LENGTH = 20
# As a browser on the production site: HTTPS (its cookies are Secure), and the Referer that
# Flask-WTF's CSRF check demands over HTTPS.
HTTPS = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/"}}


class AppClient:
    """`bench.http.Client`'s interface over the Flask test client: one browser's cookies,
    its requests handled by the app in this process, profiled while `profiler` is set."""

    def __init__(self, app) -> None:
        self._client = app.test_client()
        self.profiler: Profiler | None = None
        self.seconds = 0.0  # wall time of the profiled requests

    async def get(self, path: str) -> Response:
        return self._send("GET", path)

    async def post(self, path: str, form: dict[str, str | list[str]]) -> Response:
        return self._send("POST", path, form)

    def _send(self, method: str, path: str, form: dict | None = None) -> Response:
        profiler = self.profiler
        started = time.perf_counter()
        if profiler is not None:
            profiler.start()
        try:
            response = self._client.open(path, method=method, data=form, **HTTPS)
        finally:
            if profiler is not None:
                profiler.stop()
                self.seconds += time.perf_counter() - started
        headers = {name.lower(): value for name, value in response.headers.items()}
        body = response.get_data()
        response.close()
        return Response(response.status_code, headers, body)

    def close(self) -> None:
        pass


@contextmanager
def profiling(client: AppClient, profiler: Profiler, on: bool):
    client.profiler = profiler if on else None
    try:
        yield
    finally:
        client.profiler = None


async def drive(learner: Learner, client: AppClient, step: str, repetitions: int) -> Profiler:
    """Play until the step was profiled `repetitions` times (or a response went wrong)."""
    name = STEPS[step]
    profiler = Profiler(interval=0.0005)
    recorder = learner.recorder
    forever = math.inf

    def served() -> int:
        stats = recorder.steps.get(name)
        return stats.count if stats else 0

    def failed() -> bool:
        return any(stats.errors for stats in recorder.steps.values())

    while served() < repetitions and not failed():
        if step == "start":
            with profiling(client, profiler, True):
                await learner.start_round()
            continue
        learner.rounds = [state for state in learner.rounds if not state.done]
        while len(learner.rounds) < ROUNDS and not failed():
            await learner.start_round()
        left = repetitions - served()
        passes = max(1, math.ceil(left / len(learner.rounds)))
        with profiling(client, profiler, step == "question"):
            await question_phase(learner, forever, passes if step == "question" else 1)
        with profiling(client, profiler, step == "answer"):
            await answer_phase(learner, forever)
        with profiling(client, profiler, step == "feedback"):
            await feedback_phase(learner, forever, passes if step == "feedback" else 1)
    return profiler


def run(step: str, repetitions: int, database: str, out: Path) -> tuple[Path, Path]:
    """Profile `step` and write its reports; their paths (HTML, text)."""
    from quizapp import create_app
    from quizapp.extensions import db

    out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="quizapp-profile-") as tmp,
        fresh_database(database, Path(tmp)) as url,
    ):
        migrate(url)
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "QUIZAPP_ENV": "production",
                "SECRET_KEY": secrets.token_hex(32),
            }
        )
        client = AppClient(app)
        recorder = Recorder()
        learner = Learner(0, client, recorder, f"profile{secrets.token_hex(3)}", ROUND_LENGTH)

        async def play() -> Profiler:
            if not await learner.sign_up():
                raise SystemExit(f"the learner could not sign up: {errors(recorder)}")
            return await drive(learner, client, step, repetitions)

        try:
            profiler = run_apart(play())
        finally:
            with app.app_context():
                db.engine.dispose()
    if problems := errors(recorder):
        raise SystemExit(f"profile {step}: a response went wrong: {problems}")
    count = recorder.steps[STEPS[step]].count
    html = out / f"profile-{step}.html"
    text = out / f"profile-{step}.txt"
    html.write_text(profiler.output_html(), encoding="utf-8")
    cpu = profiler.last_session.cpu_time if profiler.last_session else math.nan
    heading = (
        f"{STEPS[step]} on {database}, in process: {count} requests; each "
        f"{client.seconds / count * 1000:.2f} ms of wall time and "
        f"{cpu / count * 1000:.2f} ms of CPU, under the profiler\n"
    )
    text.write_text(heading + profiler.output_text(unicode=True), encoding="utf-8")
    print(heading, end="")
    print(f"reports: {html} and {text}")
    return html, text


def run_apart(coroutine):
    """Run `coroutine` to its end on an event loop in a thread of its own: the caller's
    thread may be marked as running a loop already (Playwright's sync API leaves it so, in
    a test worker that ran the browser tests), where `asyncio.run` refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def errors(recorder: Recorder) -> str:
    return "; ".join(
        f"{name}: {problem} x{count}"
        for name, stats in recorder.steps.items()
        for problem, count in stats.errors.items()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench profile", description=__doc__)
    parser.add_argument("--step", choices=STEPS, required=True)
    parser.add_argument("--repetitions", type=int, default=500, help="profiled requests")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--out", type=Path, default=ARTIFACTS, help="folder of the reports")
    args = parser.parse_args(argv)
    if args.repetitions < 1:
        parser.error("--repetitions must be at least 1")
    run(args.step, args.repetitions, args.database, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
