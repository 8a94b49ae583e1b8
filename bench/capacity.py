"""`python -m bench capacity`: what one server holds at a classroom pace.

Learners play as a class does, pausing about `--think-ms` (15 s by default, 0.5-1.5 times
that at random) before each question, then reading it, answering and reading the
feedback. Their number rises level by level (`--levels`), each level played for
`--level-seconds`, until the p99 latency of the play requests passes `--p99-ms` (200 ms):
the last level under it is what this server holds. The app runs under `make serve`'s
gunicorn settings on a fresh database, SQLite then PostgreSQL, as in `python -m bench`.

The learners' accounts are seeded in bulk, sharing one password hash made with a single
round of PBKDF2, so that logging in thousands of benchmark accounts costs the server
nothing worth measuring (a real account's scrypt hash is checked only at log-in, never
while playing). Each learner keeps its own connection: the file-descriptor limit
(`ulimit -n`) must exceed the largest level plus the server's own. The load generator's
own CPU is reported beside the server's, since both share the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from werkzeug.security import generate_password_hash

from bench.http import Client
from bench.learners import PASSWORD, Learner, Recorder, StepStats, play_phase
from bench.live import log_in, seed
from bench.run import Server, app_env, fresh_database, migrate, postgres_problem

PLAY_STEPS = ("play: GET question", "play: POST answer", "play: GET feedback")
LOG_IN_AT_ONCE = 50


@dataclass(frozen=True)
class Level:
    learners: int
    requests: int
    seconds: float
    p50: float
    p99: float
    errors: int
    server_cpu: float  # seconds
    own_cpu: float  # the load generator's, seconds

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def address(n: int) -> str:
    """Learner n's own client address (sent as X-Forwarded-For), as a class's phones have."""
    return f"10.{n // 62500}.{n // 250 % 250}.{n % 250 + 1}"


def merged(recorder: Recorder) -> tuple[StepStats, int]:
    """The play requests of a level as one step, and the errors of every step."""
    play = StepStats()
    for name in PLAY_STEPS:
        play.latencies += recorder.steps.get(name, StepStats()).latencies
    errors = sum(sum(step.errors.values()) for step in recorder.steps.values())
    return play, errors


async def drive(server: Server, tag: str, args) -> list[Level]:
    think = args.think_ms / 1000
    learners: list[Learner] = []
    levels: list[Level] = []
    for count in args.levels:
        recorder = Recorder()
        while len(learners) < count:
            batch = [
                Learner(
                    n,
                    Client(
                        "127.0.0.1", server.port, f"10.{n // 62500}.{n // 250 % 250}.{n % 250 + 1}"
                    ),
                    recorder,
                    tag,
                    args.round_length,
                )
                for n in range(len(learners), min(count, len(learners) + LOG_IN_AT_ONCE))
            ]
            tokens = await asyncio.gather(
                *(log_in(lr.client, Recorder(), lr.username) for lr in batch)
            )
            for learner, token in zip(batch, tokens, strict=True):
                learner.csrf = token
            learners += batch
        for learner in learners:
            learner.recorder = recorder
        cpu, own, started = server.cpu_seconds(), time.process_time(), time.monotonic()
        end = started + args.level_seconds
        await asyncio.gather(*(play_phase(lr, end, think) for lr in learners))
        seconds = time.monotonic() - started
        play, errors = merged(recorder)
        level = Level(
            count,
            play.count,
            seconds,
            play.percentile(50),
            play.percentile(99),
            errors,
            server.cpu_seconds() - cpu,
            time.process_time() - own,
        )
        levels.append(level)
        print(
            f"  {count:5d} learners: {level.rate:6.1f} req/s, p50 {level.p50 * 1000:6.1f} ms, "
            f"p99 {level.p99 * 1000:7.1f} ms, errors {errors}, server CPU "
            f"{level.server_cpu / seconds:.0%}, load generator CPU {level.own_cpu / seconds:.0%}",
            flush=True,
        )
        if errors or level.p99 * 1000 > args.p99_ms:
            break
    for learner in learners:
        learner.client.close()
    return levels


def run(kind: str, args, workdir: Path) -> list[Level]:
    tag = f"cap{secrets.token_hex(3)}"
    with fresh_database(kind, workdir) as url:
        migrate(url)
        cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
        seed(url, max(args.levels), tag, password_hash=cheap)
        server = Server(
            "quizapp:create_app()", app_env(url), workdir / f"gunicorn-capacity-{kind}.log"
        )
        try:
            server.wait_ready("/login")
            print(f"\n== capacity, {kind}: think {args.think_ms} ms before each question ==")
            return asyncio.run(drive(server, tag, args))
        finally:
            server.stop()


def report(kind: str, levels: list[Level], p99_ms: float) -> None:
    held = [lv for lv in levels if not lv.errors and lv.p99 * 1000 <= p99_ms]
    if not held:
        print(f"{kind}: no level kept p99 under {p99_ms:.0f} ms")
        return
    best = held[-1]
    beyond = levels[-1] if levels[-1] is not best else None
    print(
        f"{kind}: holds {best.learners} learners ({best.rate:.0f} play requests/s, p99 "
        f"{best.p99 * 1000:.0f} ms)"
        + (
            f"; at {beyond.learners}, p99 {beyond.p99 * 1000:.0f} ms"
            if beyond
            else "; the largest level tried: raise --levels"
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench capacity", description=__doc__)
    parser.add_argument(
        "--levels",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[100, 200, 400, 700, 1000, 1400, 1900, 2500],
        help="learners at each level, rising (default 100,200,400,700,1000,1400,1900,2500)",
    )
    parser.add_argument("--think-ms", type=int, default=15000)
    parser.add_argument("--level-seconds", type=float, default=60)
    parser.add_argument("--p99-ms", type=float, default=200)
    parser.add_argument("--round-length", type=int, default=20, choices=(5, 10, 15, 20))
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = max(args.levels) * 2 + 200  # learners' sockets, and the server's ends of them
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))
        soft = min(needed, hard)
    if soft < needed:
        print(f"ulimit -n is {soft}: {needed} file descriptors are needed for {max(args.levels)}")
        return 2
    print(f"machine: {os.cpu_count()} cores; load average before the run {os.getloadavg()}")
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        for kind in args.databases.split(","):
            if kind == "postgresql" and (problem := postgres_problem()):
                print(f"PostgreSQL skipped: {problem}")
                continue
            results[kind] = run(kind, args, Path(directory))
    print()
    for kind, levels in results.items():
        report(kind, levels, args.p99_ms)
    return 0
