"""Run the benchmark: the app on a fresh database and the bare baseline, same gunicorn settings.

For each database (SQLite, then PostgreSQL when it answers), a fresh database is made and
migrated, the app is started under gunicorn (`gunicorn.conf.py`, as `make serve` runs it),
and the learners go through the phases, each bounded in requests and in time:

1. sign-up: register, log out, log in (not a target);
1b. start round: `--rounds` new rounds each, a step of its own so that its CPU per
   request shows (the round builder's cost);
2. GET question: the first question of each round, read up to `--passes` times over;
3. POST answer: one answer in each round, so every request records a new answer;
4. GET feedback: the feedback of each answer, up to `--passes` times over;
5. play: the real loop, question / answer / feedback round after round, for
   `--play-seconds`; with `--fault kill`, one gunicorn worker is SIGKILLed halfway.

Phases 2-4 each run one step alone, so their requests per second compare with the
baseline's: the bare Flask app (`bench.baseline`) serving a constant page as large as the
question page under the same gunicorn settings, driven by the same clients. Then the
answers in the database are compared with those the learners saw acknowledged.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.http import Client
from bench.learners import (
    Learner,
    Recorder,
    StepStats,
    answer_phase,
    baseline_phase,
    each,
    feedback_phase,
    play_phase,
    question_phase,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

TARGET_QUESTION_RATIO = 0.50
TARGET_ANSWER_RATIO = 0.33
TARGET_P99 = 0.050
# The steps run alone, each compared with the baseline; the p99 target is on the last three.
TIMED_STEPS = ("start round", "GET question", "POST answer", "GET feedback")
LOOP_STEPS = TIMED_STEPS[1:]
PLAY_STEPS = ("play: GET question", "play: POST answer", "play: GET feedback")


@dataclass
class Settings:
    learners: int
    rounds: int
    round_length: int
    passes: int
    phase_seconds: float
    play_seconds: float
    think_ms: float
    fault: str | None
    databases: list[str]
    workers: int
    threads: int


@dataclass
class Phase:
    seconds: float
    server_cpu: float
    client_cpu: float


@dataclass
class Outcome:
    """What one database's run measured."""

    database: str
    recorder: Recorder
    phases: dict[str, Phase]
    acknowledged: int
    attempted_unacknowledged: int
    stored: int
    distinct_stored: int
    lost: int
    stored_unacknowledged: int
    question_bytes: int
    fault: list[str] = field(default_factory=list)


# --- servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving `app` with the settings of `gunicorn.conf.py` and `env`."""

    def __init__(self, app: str, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        environment = os.environ | env | {"HOST": "127.0.0.1", "PORT": str(self.port)}
        with open(log, "wb") as output:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONF), app],
                cwd=ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, path: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                    probe.sendall(f"GET {path} HTTP/1.0\r\n\r\n".encode())
                    if probe.recv(12).startswith(b"HTTP/1.0 200") and self._booted():
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start; its log:\n{self.log.read_text()[-3000:]}")

    def _booted(self) -> bool:
        """Every worker up and idle (done loading the app), so that no phase pays for a
        worker's start and the learners' connections spread over all of them."""
        workers = self.workers()
        if len(workers) < int(os.environ.get("WEB_CONCURRENCY", "1")):
            return False
        before = [self._cpu_ticks(pid) for pid in workers]
        time.sleep(0.3)
        return [self._cpu_ticks(pid) for pid in workers] == before

    @staticmethod
    def _cpu_ticks(pid: int, reaped_children: bool = False) -> int:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0
        # utime, stime (and cutime, cstime): fields 14-17 of proc(5), counted from 1.
        return sum(int(f) for f in fields[11 : 15 if reaped_children else 13])

    def workers(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """CPU time of the master and its workers so far, killed ones included (the master
        reaped them: their time is in its children's)."""
        ticks = self._cpu_ticks(self.process.pid, reaped_children=True)
        return (ticks + sum(map(self._cpu_ticks, self.workers()))) / CLOCK_TICKS

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- databases --------------------------------------------------------------------------------


@contextmanager
def fresh_database(kind: str, workdir: Path):
    """The URL of a new, empty database of `kind`, dropped (PostgreSQL) afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.sqlite'}"
        return
    name = f"quizapp_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used for the run, or None."""
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure means: skip, and say why
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


def migrate(url: str) -> None:
    env = os.environ | {"QUIZAPP_DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32)}
    subprocess.run(
        [str(BIN / "flask"), "--app", "quizapp", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def stored_answers(url: str) -> tuple[set[tuple[int, int]], int]:
    """The (round, position) of every answer in the database, and the number of rows."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT ri.round_id, ri.position FROM answers a "
                    "JOIN round_items ri ON ri.id = a.round_item_id"
                )
            ).all()
    finally:
        engine.dispose()
    return {(r, p) for r, p in rows}, len(rows)


# --- a run --------------------------------------------------------------------------------------


async def timed_phase(server: Server, work) -> Phase:
    cpu, mine = server.cpu_seconds(), time.process_time()
    seconds = await work
    return Phase(seconds, server.cpu_seconds() - cpu, time.process_time() - mine)


async def drive_app(server: Server, settings: Settings, tag: str) -> tuple:
    recorder = Recorder()
    learners = [
        Learner(
            n,
            Client("127.0.0.1", server.port, forwarded_for=f"10.1.{n // 250}.{n % 250 + 1}"),
            recorder,
            tag,
            settings.round_length,
        )
        for n in range(settings.learners)
    ]
    phases: dict[str, Phase] = {}

    signed_up: set[int] = set()

    async def sign_up(learner: Learner) -> None:
        if await learner.sign_up():
            signed_up.add(id(learner))

    async def start_rounds(learner: Learner) -> None:
        if id(learner) in signed_up:
            for _ in range(settings.rounds):
                await learner.start_round()

    def deadline(seconds: float) -> float:
        return time.monotonic() + seconds

    phases["sign-up"] = await timed_phase(server, each(learners, sign_up))
    phases["start round"] = await timed_phase(server, each(learners, start_rounds))
    end = deadline(settings.phase_seconds)
    phases["GET question"] = await timed_phase(
        server, each(learners, lambda lr: question_phase(lr, end, settings.passes))
    )
    end = deadline(settings.phase_seconds)
    phases["POST answer"] = await timed_phase(
        server, each(learners, lambda lr: answer_phase(lr, end))
    )
    end = deadline(settings.phase_seconds)
    phases["GET feedback"] = await timed_phase(
        server, each(learners, lambda lr: feedback_phase(lr, end, settings.passes))
    )

    fault: list[str] = []
    end = deadline(settings.play_seconds)
    killer = None
    if settings.fault == "kill":
        killer = asyncio.create_task(kill_a_worker(server, settings.play_seconds / 2))
    think = settings.think_ms / 1000
    phases["play"] = await timed_phase(
        server, each(learners, lambda lr: play_phase(lr, end, think))
    )
    if killer is not None:
        what, killed_at = await killer
        going_on = sum(any(t > killed_at for t in lr.answered_after) for lr in learners)
        fault = [
            what,
            f"learners with an answer acknowledged after the kill: {going_on} of {len(learners)}",
        ]
    for learner in learners:
        learner.client.close()
    return recorder, phases, learners, fault


async def kill_a_worker(server: Server, after: float) -> tuple[str, float]:
    """SIGKILL a gunicorn worker `after` seconds from now: what was done, and when."""
    await asyncio.sleep(after)
    workers = server.workers()
    if not workers:
        return "no worker to kill", time.monotonic()
    os.kill(workers[0], signal.SIGKILL)
    what = f"SIGKILL sent to gunicorn worker {workers[0]} {after:.1f} s into the play phase"
    return what, time.monotonic()


def app_env(url: str) -> dict[str, str]:
    """The app's settings for a benchmark on the database at `url`, as in production."""
    return {
        "QUIZAPP_DATABASE_URL": url,
        "QUIZAPP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        # As behind a reverse proxy: each learner has its own address, so the per-address
        # limits on registration and log-in apply per learner, as they would in a school.
        "QUIZAPP_PROXY_COUNT": "1",
    }


def run_database(kind: str, settings: Settings, workdir: Path) -> Outcome:
    with fresh_database(kind, workdir) as url:
        migrate(url)
        env = app_env(url) | {"QUIZAPP_COUNT_QUERIES": "1"}
        server = Server("quizapp:create_app()", env, workdir / f"gunicorn-{kind}.log")
        try:
            server.wait_ready("/login")
            recorder, phases, learners, fault = asyncio.run(
                drive_app(server, settings, f"bench{secrets.token_hex(3)}")
            )
        finally:
            server.stop()
        stored, rows = stored_answers(url)
    acknowledged = set().union(*(lr.acknowledged for lr in learners))
    attempted = set().union(*(lr.attempted for lr in learners))
    question = recorder.steps.get("GET question", StepStats())
    return Outcome(
        database=kind,
        recorder=recorder,
        phases=phases,
        acknowledged=len(acknowledged),
        attempted_unacknowledged=len(attempted - acknowledged),
        stored=rows,
        distinct_stored=len(stored),
        lost=len(acknowledged - stored),
        stored_unacknowledged=len(stored - acknowledged),
        question_bytes=question.body_bytes // max(1, question.count),
        fault=fault,
    )


def run_baseline(settings: Settings, page_bytes: int, workdir: Path) -> tuple[StepStats, Phase]:
    server = Server(
        "bench.baseline:create_app()",
        {"BENCH_PAGE_BYTES": str(page_bytes)},
        workdir / "gunicorn-baseline.log",
    )
    try:
        server.wait_ready("/")

        async def drive() -> tuple[Recorder, Phase]:
            recorder = Recorder()
            clients = [Client("127.0.0.1", server.port) for _ in range(settings.learners)]
            end = time.monotonic() + settings.phase_seconds
            phase = await timed_phase(
                server, each(clients, lambda c: baseline_phase(c, recorder, end))
            )
            for client in clients:
                client.close()
            return recorder, phase

        recorder, phase = asyncio.run(drive())
    finally:
        server.stop()
    return recorder.steps["baseline GET"], phase


# --- the table ------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def print_table(outcome: Outcome, baseline: StepStats, base: Phase, settings: Settings) -> bool:
    """Print one database's table and its targets; True when every target is met."""
    base_rps = baseline.count / base.seconds
    steps = outcome.recorder.steps
    print()
    kind = "sync" if settings.threads == 1 else f"gthread x {settings.threads} threads"
    print(
        f"== {outcome.database}: fresh database; gunicorn {settings.workers} {kind} workers; "
        f"{settings.learners} learners on loopback; question page {outcome.question_bytes} bytes =="
    )
    header = (
        f"{'step':<22}{'requests':>9}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'vs base':>9}{'SQL/req':>9}{'CPU ms':>8}{'errors':>8}{'retries':>9}"
    )
    print(header)
    print("-" * len(header))

    def row(name: str, stats: StepStats, phase: Phase | None, rps: float | None) -> None:
        # Only a step run alone compares with the baseline: in play, each is a third of a mix.
        ratio = f"{rps / base_rps:.0%}" if name in TIMED_STEPS and rps is not None else ""
        queries = ""
        if stats.queries:
            low, high = min(stats.queries), max(stats.queries)
            queries = f"{low}" if low == high else f"{low}-{high}"
        cpu = f"{phase.server_cpu * 1000 / stats.count:.2f}" if phase and stats.count else ""
        print(
            f"{name:<22}{stats.count:>9}{(f'{rps:.0f}' if rps is not None else ''):>9}"
            f"{ms(stats.percentile(50)):>8}{ms(stats.percentile(95)):>8}"
            f"{ms(stats.percentile(99)):>8}{ratio:>9}{queries:>9}{cpu:>8}"
            f"{sum(stats.errors.values()):>8}{stats.retries:>9}"
        )

    row("baseline GET", baseline, base, base_rps)
    for name, stats in steps.items():
        if name in TIMED_STEPS:
            phase = outcome.phases[name]
            row(name, stats, phase, stats.count / phase.seconds)
        elif name.startswith("play: "):
            row(name, stats, None, stats.count / outcome.phases["play"].seconds)
        else:
            row(name, stats, None, None)
    play = outcome.phases["play"]
    play_requests = sum(s.count for n, s in steps.items() if n.startswith("play: "))
    pace = f"{settings.think_ms:.0f} ms mean pause before each question"
    print(
        f"play loop ({pace}): {play_requests} requests in {play.seconds:.1f} s = "
        f"{play_requests / play.seconds:.0f} req/s "
        f"({play_requests / play.seconds / base_rps:.0%} of the baseline), server CPU "
        f"{play.server_cpu * 1000 / max(1, play_requests):.2f} ms/request"
    )
    print("phases: " + ", ".join(f"{n} {p.seconds:.1f} s" for n, p in outcome.phases.items()))
    load_cpu = sum(p.client_cpu for p in outcome.phases.values())
    load_wall = sum(p.seconds for p in outcome.phases.values())
    print(
        f"load generator CPU: {load_cpu / load_wall:.0%} of one core over the phases "
        f"(baseline phase: {base.client_cpu / base.seconds:.0%}); "
        "'CPU ms' = gunicorn's CPU time per request of a step run alone"
    )
    for name, stats in steps.items():
        for problem, count in stats.errors.items():
            print(f"  error: {name}: {problem} x{count}")
    duplicated = outcome.stored - outcome.distinct_stored
    print(
        f"answers: {outcome.acknowledged} acknowledged, {outcome.stored} in the database; "
        f"lost {outcome.lost}, duplicated {duplicated}, "
        f"stored but unacknowledged {outcome.stored_unacknowledged} "
        f"(of {outcome.attempted_unacknowledged} posted without an acknowledgement)"
    )
    for line in outcome.fault:
        print(f"fault: {line}")

    def rate(name: str) -> float:
        return steps[name].count / outcome.phases[name].seconds if name in steps else 0.0

    worst_p99 = max(
        (steps[n].percentile(99) for n in (*LOOP_STEPS, *PLAY_STEPS) if n in steps),
        default=math.inf,
    )
    worst_name = max(
        (n for n in (*LOOP_STEPS, *PLAY_STEPS) if n in steps),
        key=lambda n: steps[n].percentile(99),
        default="-",
    )
    errors = sum(sum(s.errors.values()) for s in steps.values())
    retries = sum(s.retries for s in steps.values())
    targets = [
        (
            f"question page >= {TARGET_QUESTION_RATIO:.0%} of baseline throughput",
            rate("GET question") / base_rps >= TARGET_QUESTION_RATIO,
            f"{rate('GET question') / base_rps:.0%}",
        ),
        (
            f"answer submission >= {TARGET_ANSWER_RATIO:.0%} of baseline throughput",
            rate("POST answer") / base_rps >= TARGET_ANSWER_RATIO,
            f"{rate('POST answer') / base_rps:.0%}",
        ),
        (
            f"p99 < {TARGET_P99 * 1000:.0f} ms with {settings.learners} learners",
            worst_p99 < TARGET_P99,
            f"worst {ms(worst_p99)} ms ({worst_name})",
        ),
        (
            "no error responses",
            errors == 0,
            f"{errors} errors, {retries} connection retries",
        ),
        (
            "no lost or duplicated answer",
            outcome.lost == 0 and duplicated == 0 and outcome.acknowledged > 0,
            f"lost {outcome.lost}, duplicated {duplicated}",
        ),
    ]
    for name, met, measured in targets:
        print(f"  {'PASS' if met else 'MISS'}  {name}: {measured}")
    return all(met for _, met, _ in targets)


def parse_settings(argv: list[str] | None) -> Settings:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=10, help="rounds each learner starts")
    parser.add_argument("--round-length", type=int, default=20, choices=(5, 10, 15, 20))
    parser.add_argument("--passes", type=int, default=10, help="most reads of each page per phase")
    parser.add_argument("--phase-seconds", type=float, default=4, help="bound on each phase")
    parser.add_argument("--play-seconds", type=float, default=8)
    parser.add_argument(
        "--think-ms", type=float, default=0, help="mean pause before each question in play"
    )
    parser.add_argument("--fault", choices=("none", "kill"), default="none")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    return Settings(
        learners=args.learners,
        rounds=args.rounds,
        round_length=args.round_length,
        passes=args.passes,
        phase_seconds=args.phase_seconds,
        play_seconds=args.play_seconds,
        think_ms=args.think_ms,
        fault=None if args.fault == "none" else args.fault,
        databases=[d.strip() for d in args.databases.split(",") if d.strip()],
        # gunicorn.conf.py's defaults, passed on explicitly to both servers.
        workers=int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1),
        threads=int(os.environ.get("GUNICORN_THREADS") or 1),
    )


def main(argv: list[str] | None = None) -> int:
    settings = parse_settings(argv)
    os.environ["WEB_CONCURRENCY"] = str(settings.workers)
    os.environ["GUNICORN_THREADS"] = str(settings.threads)
    started = time.monotonic()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    results = []
    notes = []
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        workdir = Path(tmp)
        for kind in settings.databases:
            if kind == "postgresql" and (problem := postgres_problem()):
                notes.append(f"PostgreSQL skipped: not reachable at {POSTGRES_URL} ({problem})")
                continue
            print(f"running on {kind}...", file=sys.stderr, flush=True)
            outcome = run_database(kind, settings, workdir)
            # Right after the app, so that both meet the same machine (others may share it).
            print(f"running the baseline after {kind}...", file=sys.stderr, flush=True)
            baseline = run_baseline(settings, outcome.question_bytes, workdir)
            results.append((outcome, baseline))
    print(f"machine: {os.cpu_count()} cores; load average before the run {load}")
    all_met = True
    for outcome, baseline in results:
        all_met &= print_table(outcome, *baseline, settings)
    for note in notes:
        print(note)
    print(f"\nbenchmark took {time.monotonic() - started:.0f} s")
    return 0 if all_met else 1
