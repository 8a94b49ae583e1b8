"""`python -m bench live`: one live session played by 200 students on phones.

For each database (SQLite, then PostgreSQL when it answers) a fresh database is migrated
and seeded in bulk (a teacher, a class, `--students` accounts sharing one password hash,
their enrollments), the app runs under `make serve`'s gunicorn settings, and simulated
phones log in, join the session with its code, poll its state about once a second (with
`If-None-Match`, as `static/live.js` does) and answer each of `--questions` questions within
its time; a simulated projector starts the session, closes each question once everyone has
answered (or its time is up), moves on, shows the results and ends it.

Reported: errors, the p99 of the polls, every acknowledged answer stored exactly once, and
the server's CPU per poll, measured over a window when the phones only poll (the lobby).
Targets: 0 errors, polls p99 under 100 ms, about 1 ms of CPU per poll.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select
from werkzeug.security import generate_password_hash

from bench.http import Client
from bench.learners import CSRF, PASSWORD, Recorder, StepStats, expect
from bench.run import Server, app_env, fresh_database, migrate, postgres_problem

LOBBY_SECONDS = 10
TARGET_POLL_P99 = 0.100
CHOICE = re.compile(r'name="choice" id="choice-[^"]+" value="([^"]+)"')


@dataclass
class Phone:
    number: int
    client: Client
    csrf: str = ""
    acknowledged: set[int] = field(default_factory=set)  # positions answered and acknowledged
    etag: str = ""
    seen: tuple[str, int] = ("", 0)
    answering: list[asyncio.Task] = field(default_factory=list)


def seed(url: str, students: int, tag: str, password_hash: str | None = None) -> list[str]:
    """Accounts, a class and enrollments in a few bulk statements: the students' names.
    Every account shares one hash of PASSWORD (`password_hash`, or one made as the app
    makes them)."""
    from quizapp.models import Classroom, Enrollment, User

    engine = create_engine(url)
    password_hash = password_hash or generate_password_hash(PASSWORD)
    names = [f"{tag}-{n}" for n in range(students)]
    with engine.begin() as connection:
        teacher_id = connection.execute(
            insert(User).returning(User.id),
            {"username": f"{tag}-teacher", "password_hash": password_hash, "role": "teacher"},
        ).scalar_one()
        class_id = connection.execute(
            insert(Classroom).returning(Classroom.id),
            {"teacher_id": teacher_id, "name": "Bench class", "join_code": tag.upper()[:16]},
        ).scalar_one()
        connection.execute(
            insert(User),
            [{"username": n, "password_hash": password_hash, "role": "student"} for n in names],
        )
        ids = connection.execute(select(User.id).where(User.username.in_(names))).scalars()
        connection.execute(
            insert(Enrollment), [{"classroom_id": class_id, "student_id": i} for i in ids]
        )
    engine.dispose()
    return names


def single_questions(count: int) -> list[str]:
    from quizapp import create_app, current_bank

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    with app.app_context():
        return [q.id for q in current_bank().questions if q.type.value == "single"][:count]


async def log_in(client: Client, recorder: Recorder, username: str) -> str:
    form_page = await recorder.call("log-in form", lambda: client.get("/login"), expect(200))
    token = CSRF.search(form_page.text) if form_page else None
    if token is None:
        return ""
    form = {"csrf_token": token.group(1) or token.group(2), "username": username}
    form["password"] = PASSWORD
    await recorder.call("log in", lambda: client.post("/login", form), expect(302))
    home = await recorder.call("home", lambda: client.get("/"), expect(200))
    token = CSRF.search(home.text) if home else None
    return (token.group(1) or token.group(2)) if token else ""


async def phone_life(
    phone: Phone, recorder: Recorder, code: str, session_id: int, stop, joined: list[int]
) -> None:
    c = phone.client
    join = await recorder.call("join form", lambda: c.get(f"/live/join?code={code}"), expect(200))
    token = CSRF.search(join.text) if join else None
    if token is None:
        return
    form = {"csrf_token": token.group(1) or token.group(2), "code": code}
    if not await recorder.call("join", lambda: c.post("/live/join", form), expect(303)):
        return
    joined.append(phone.number)
    rng = random.Random(phone.number)
    while not stop.is_set():
        headers = {"If-None-Match": f'"{phone.etag}"'} if phone.etag else {}
        poll = await recorder.call(
            "poll",
            lambda h=headers: c.get(f"/live/{session_id}/state", h),
            lambda r: None if r.status in (200, 304) else f"HTTP {r.status}",
        )
        if poll is not None and poll.status == 200:
            phone.etag = poll.headers.get("etag", "").strip('"')
            state = json.loads(poll.body)
            key = (state["phase"], state["position"])
            if state["phase"] == "ended":
                return
            if state["phase"] == "question" and key != phone.seen:
                phone.seen = key
                task = answer(phone, recorder, session_id, state["position"], rng)
                phone.answering.append(asyncio.create_task(task))
        await asyncio.sleep(1.0)


async def answer(phone: Phone, recorder: Recorder, session_id: int, position: int, rng) -> None:
    await asyncio.sleep(rng.uniform(0.2, 3.0))  # reading and tapping, within the time
    # A phone answers on its own connection, as a browser opens another for a form post.
    c = Client(phone.client.host, phone.client.port, phone.client.forwarded_for)
    c.cookies = dict(phone.client.cookies)  # its own jar: a flash is not lost to a poll
    page = await recorder.call("question page", lambda: c.get(f"/live/{session_id}"), expect(200))
    choice = CHOICE.search(page.text) if page else None
    token = CSRF.search(page.text) if page else None
    if choice is None or token is None:
        c.close()
        return
    form = {"csrf_token": token.group(1) or token.group(2), "choice": choice[1]}
    url = f"/live/{session_id}/questions/{position}"
    sent = await recorder.call("POST answer", lambda: c.post(url, form), expect(303))
    if sent is not None:
        told = await recorder.call(
            "after answer", lambda: c.get(f"/live/{session_id}"), expect(200)
        )
        if told is not None and "Your answer is in." in told.text:
            phone.acknowledged.add(position)
    c.close()


async def projector(
    teacher: Client,
    recorder: Recorder,
    session_id: int,
    questions: int,
    students: int,
    seconds: int,
) -> None:
    page = await recorder.call(
        "projector", lambda: teacher.get(f"/teach/live/{session_id}"), expect(200)
    )
    token = CSRF.search(page.text)
    csrf = token.group(1) or token.group(2)

    async def act(action: str, position: int) -> None:
        form = {"csrf_token": csrf, "position": str(position)}
        url = f"/teach/live/{session_id}/{action}"
        await recorder.call(f"teacher: {action}", lambda: teacher.post(url, form), expect(303))

    await act("start", 0)
    for position in range(1, questions + 1):
        opened = time.monotonic()
        while time.monotonic() - opened < seconds:
            state = await recorder.call(
                "projector poll",
                lambda: teacher.get(f"/teach/live/{session_id}/state"),
                expect(200),
            )
            if state is not None and json.loads(state.body)["answered"] == students:
                break
            await asyncio.sleep(1.0)
        await act("close", position)
        await asyncio.sleep(2.0)  # the reveal
        await act("next" if position < questions else "results", position)
    await asyncio.sleep(2.0)
    await act("end", 0)


@dataclass(frozen=True)
class Lobby:
    """The window when every phone has joined and only polls: its polls, the server's CPU
    over it, and when it began and ended (monotonic clock)."""

    polls: int
    cpu: float
    started: float
    ended: float

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    def latencies(self, polls: StepStats) -> StepStats:
        """The polls that finished inside the window: what a poll costs when nothing else runs."""
        inside = StepStats()
        inside.latencies = [
            latency
            for latency, at in zip(polls.latencies, polls.finished_at, strict=True)
            if self.started <= at <= self.ended
        ]
        return inside


async def drive(server: Server, names: list[str], tag: str, questions: list[str], seconds: int):
    recorder = Recorder()
    teacher = Client("127.0.0.1", server.port, "10.99.0.1")
    csrf = await log_in(teacher, recorder, f"{tag}-teacher")
    dashboard = await recorder.call("teaching", lambda: teacher.get("/teach/"), expect(200))
    class_id = int(re.search(r"/teach/classes/(\d+)", dashboard.text)[1])
    form_page = await recorder.call(
        "live form", lambda: teacher.get(f"/teach/classes/{class_id}/live"), expect(200)
    )
    csrf = CSRF.search(form_page.text)
    form = {"csrf_token": csrf.group(1) or csrf.group(2), "question_ids": questions}
    form["seconds_per_question"] = str(seconds)
    opened = await recorder.call(
        "open session", lambda: teacher.post(f"/teach/classes/{class_id}/live", form), expect(303)
    )
    session_id = int(opened.location.rstrip("/").rsplit("/", 1)[1])
    projector_page = await recorder.call(
        "projector", lambda: teacher.get(opened.location), expect(200)
    )
    code = re.search(r'class="live-code">(\d{6})<', projector_page.text)[1]

    phones = [
        Phone(n, Client("127.0.0.1", server.port, f"10.{n // 250}.{n % 250}.9"))
        for n in range(len(names))
    ]
    for start in range(0, len(phones), 20):  # log in 20 at a time, as a class arrives
        await asyncio.gather(
            *(log_in(p.client, recorder, names[p.number]) for p in phones[start : start + 20])
        )
    stop, joined = asyncio.Event(), []
    lives = [
        asyncio.create_task(phone_life(p, recorder, code, session_id, stop, joined)) for p in phones
    ]
    while len(joined) < len(phones) and not all(life.done() for life in lives):
        await asyncio.sleep(0.5)
    await asyncio.sleep(2)  # everyone joined and polling: the lobby window only polls
    polls_before = recorder.steps.get("poll", StepStats()).count
    cpu_before, lobby_started = server.cpu_seconds(), time.monotonic()
    await asyncio.sleep(LOBBY_SECONDS)
    lobby = Lobby(
        recorder.steps["poll"].count - polls_before,
        server.cpu_seconds() - cpu_before,
        lobby_started,
        time.monotonic(),
    )
    await projector(teacher, recorder, session_id, len(questions), len(phones), seconds)
    await asyncio.sleep(2.5)
    stop.set()
    await asyncio.gather(*lives)
    await asyncio.gather(*(task for p in phones for task in p.answering))
    return recorder, phones, lobby


def stored(url: str) -> tuple[int, int]:
    from quizapp.models import Answer

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(func.count(Answer.id))).scalar_one()
        distinct = connection.execute(
            select(func.count(func.distinct(Answer.round_item_id)))
        ).scalar_one()
    engine.dispose()
    return rows, distinct


def run(kind: str, args, workdir: Path) -> bool:
    tag = f"live{secrets.token_hex(3)}"
    questions = single_questions(args.questions)
    with fresh_database(kind, workdir) as url:
        migrate(url)
        names = seed(url, args.students, tag)
        server = Server("quizapp:create_app()", app_env(url), workdir / f"gunicorn-live-{kind}.log")
        try:
            server.wait_ready("/login")
            own_cpu, started = time.process_time(), time.monotonic()
            recorder, phones, lobby = asyncio.run(
                drive(server, names, tag, questions, args.seconds)
            )
            own_cpu, elapsed = time.process_time() - own_cpu, time.monotonic() - started
        finally:
            server.stop()
        rows, distinct = stored(url)
    polls = recorder.steps.get("poll", StepStats())
    errors = sum(sum(s.errors.values()) for s in recorder.steps.values())
    acknowledged = sum(len(p.acknowledged) for p in phones)
    count, cpu, seconds = lobby.polls, lobby.cpu, lobby.seconds
    quiet = lobby.latencies(polls)
    print(f"\n== live session, {kind}: {len(phones)} phones, {len(questions)} questions ==")
    for name, step in recorder.steps.items():
        print(
            f"{name:>16}: {step.count:6d} requests, p50 {step.percentile(50) * 1000:6.1f} ms, "
            f"p99 {step.percentile(99) * 1000:6.1f} ms, errors {dict(step.errors) or 0}"
        )
    per_poll = cpu / count * 1000 if count else float("nan")
    print(
        f"lobby: {count} polls in {seconds:.1f} s ({count / seconds:.0f}/s), "
        f"server CPU {per_poll:.2f} ms per poll, p50 {quiet.percentile(50) * 1000:.1f} ms, "
        f"p99 {quiet.percentile(99) * 1000:.1f} ms"
    )
    print(
        f"load generator: {own_cpu:.1f} s of CPU in {elapsed:.0f} s "
        f"({own_cpu / elapsed:.0%} of one core; the machine has {os.cpu_count()} cores)"
    )
    print(
        f"answers: {acknowledged} acknowledged, {rows} stored, {distinct} distinct, "
        f"lost {max(0, acknowledged - distinct)}"
    )
    ok = errors == 0 and polls.percentile(99) < TARGET_POLL_P99 and acknowledged == rows == distinct
    print(
        f"targets: 0 errors ({errors}), polls p99 < 100 ms ({polls.percentile(99) * 1000:.1f}), "
        f"every acknowledged answer stored once ({acknowledged == rows == distinct}): "
        f"{'met' if ok else 'MISSED'}"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench live", description=__doc__)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=20, help="seconds per question")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as directory:
        for kind in args.databases.split(","):
            if kind == "postgresql" and (problem := postgres_problem()):
                print(f"PostgreSQL skipped: {problem}")
                continue
            results.append(run(kind, args, Path(directory)))
    return 0 if all(results) else 1
