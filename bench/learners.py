"""Simulated learners and the record of every request they make.

A learner registers, logs out and in again (CSRF tokens read from the forms, as a
browser sends them), starts rounds, then the phases drive the steps: GET a question,
POST an answer, GET the feedback. Every response is checked (status, and the page it
must be), timed, and its `X-Query-Count` kept. An answer is *acknowledged* when its POST
got the redirect that follows a recorded answer; `bench.run` then checks the database
against the acknowledged set.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bench.http import Client, Response, TransportError

PASSWORD = "bench password 12345"
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"|value="([^"]+)"[^>]*?name="csrf_token"')
ANSWER_FORM = re.compile(r'<form[^>]*class="answer-form"[^>]*>(.*?)</form>', re.S)
TAG = re.compile(r"<(input|select|option)\b([^>]*)>")
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
QUESTION_URL = re.compile(r"/rounds/(\d+)/questions/(\d+)$")
NEXT_QUESTION = re.compile(r'href="(/rounds/\d+/questions/\d+)">Next question<')


@dataclass
class StepStats:
    """Every request of one step: latencies, query counts, errors, connection retries."""

    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    retries: int = 0
    body_bytes: int = 0
    finished_at: list[float] = field(default_factory=list)  # monotonic clock

    @property
    def count(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        """The p-th percentile (nearest rank) of the latencies, in seconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1]


class Recorder:
    """Times requests and files each under its step; a wrong response is an error."""

    def __init__(self) -> None:
        self.steps: dict[str, StepStats] = {}

    async def call(
        self,
        step: str,
        send: Callable[[], Awaitable[Response]],
        check: Callable[[Response], str | None],
    ) -> Response | None:
        """The response if it is the expected one, else None (and an error filed)."""
        stats = self.steps.setdefault(step, StepStats())
        started = time.perf_counter()
        try:
            response = await send()
        except TransportError:
            stats.latencies.append(time.perf_counter() - started)
            stats.finished_at.append(time.monotonic())
            stats.errors["no response"] += 1
            return None
        stats.latencies.append(time.perf_counter() - started)
        stats.finished_at.append(time.monotonic())
        stats.retries += response.retries
        stats.body_bytes += len(response.body)
        if "x-query-count" in response.headers:
            stats.queries.append(int(response.headers["x-query-count"]))
        problem = check(response)
        if problem is not None:
            stats.errors[problem] += 1
            return None
        return response


def expect(status: int, marker: str | None = None) -> Callable[[Response], str | None]:
    """A check: this status, and for a page, this piece of its HTML."""

    def check(response: Response) -> str | None:
        if response.status != status:
            return f"HTTP {response.status}"
        if marker is not None and marker not in response.text:
            return f"not the expected page ({marker!r} missing)"
        return None

    return check


@dataclass
class RoundState:
    id: int
    position: int = 1  # the question this learner is at
    form: dict[str, str | list[str]] | None = None  # its answer, once its page was read
    done: bool = False


class Learner:
    """One simulated learner with their own connection, session and rounds."""

    def __init__(
        self, number: int, client: Client, recorder: Recorder, tag: str, round_length: int
    ) -> None:
        self.number = number
        self.client = client
        self.recorder = recorder
        self.username = f"{tag}-{number}"
        self.round_length = round_length
        self.random = random.Random(number)
        self.csrf = ""
        self.rounds: list[RoundState] = []
        self.acknowledged: set[tuple[int, int]] = set()
        self.attempted: set[tuple[int, int]] = set()
        self.answered_after: list[float] = []  # monotonic times of acknowledged answers

    async def _call(self, step, send, check) -> Response | None:
        response = await self.recorder.call(step, send, check)
        if response is not None and (token := CSRF.search(response.text)):
            self.csrf = token.group(1) or token.group(2)
        return response

    async def sign_up(self) -> bool:
        """Register, log out, log in again: a learner's first visit and their next one."""
        c = self.client
        if not await self._call("register form", lambda: c.get("/register"), expect(200)):
            return False
        form = {"csrf_token": self.csrf, "username": self.username}
        form |= {"password": PASSWORD, "confirm": PASSWORD}
        if not await self._call("register", lambda: c.post("/register", form), expect(302)):
            return False
        await self._call("home", lambda: c.get("/"), expect(200, "Start a new round"))
        logout = {"csrf_token": self.csrf}
        if not await self._call("log out", lambda: c.post("/logout", logout), expect(302)):
            return False
        if not await self._call("log-in form", lambda: c.get("/login"), expect(200)):
            return False
        form = {"csrf_token": self.csrf, "username": self.username, "password": PASSWORD}
        if not await self._call("log in", lambda: c.post("/login", form), expect(302)):
            return False
        home = await self._call("home", lambda: c.get("/"), expect(200, "Start a new round"))
        return home is not None

    async def start_round(self, step: str = "start round") -> RoundState | None:
        form = {"csrf_token": self.csrf, "scope": "all", "length": str(self.round_length)}
        response = await self._call(step, lambda: self.client.post("/rounds", form), expect(302))
        match = QUESTION_URL.search(response.location) if response else None
        if match is None:
            return None
        state = RoundState(int(match[1]))
        self.rounds.append(state)
        return state

    async def read_question(self, state: RoundState, step: str = "GET question") -> bool:
        url = f"/rounds/{state.id}/questions/{state.position}"
        page = await self._call(step, lambda: self.client.get(url), expect(200, "answer-form"))
        if page is None:
            return False
        state.form = self._answer(page.text)
        return True

    async def answer(self, state: RoundState, step: str = "POST answer") -> bool:
        """Post the answer read from the question page; True once it is acknowledged."""
        key = (state.id, state.position)
        url = f"/rounds/{state.id}/questions/{state.position}"
        form = state.form or {}
        self.attempted.add(key)
        response = await self._call(
            step, lambda: self.client.post(url, form), self._expect_recorded(url)
        )
        if response is None:
            return False
        self.acknowledged.add(key)
        self.answered_after.append(time.monotonic())
        state.form = None
        return True

    async def read_feedback(self, state: RoundState, step: str = "GET feedback") -> bool:
        """Read the feedback of the question just answered and move on to the next one."""
        url = f"/rounds/{state.id}/questions/{state.position}"
        page = await self._call(step, lambda: self.client.get(url), expect(200, 'class="verdict'))
        if page is None:
            return False
        following = NEXT_QUESTION.search(page.text)
        if following is None:
            state.done = True
        else:
            state.position = int(QUESTION_URL.search(following[1])[2])
        return True

    async def resume(self, state: RoundState) -> None:
        """Find where the round stands (after a page went wrong), as its link on home does."""
        url = f"/rounds/{state.id}"
        response = await self._call("play: resume", lambda: self.client.get(url), expect(302))
        if response is None:
            await asyncio.sleep(0.05)
            return
        match = QUESTION_URL.search(response.location)
        if match is None:
            state.done = True
        else:
            state.position = int(match[2])

    def _expect_recorded(self, url: str) -> Callable[[Response], str | None]:
        """A recorded answer (or one recorded before, by a retried POST) redirects to its
        feedback, which is the question's own address in a practice round."""

        def check(response: Response) -> str | None:
            if response.status != 302:
                return f"HTTP {response.status}"
            if not response.location.endswith(url):
                return f"redirected elsewhere ({response.location})"
            return None

        return check

    def _answer(self, page: str) -> dict[str, str | list[str]]:
        """An answer as a learner clicking at random would send it, whatever the type."""
        match = ANSWER_FORM.search(page)
        if match is None:
            return {}
        answer: dict[str, str | list[str]] = {}
        radios: dict[str, list[str]] = {}
        boxes: list[str] = []
        select_name = None
        options: dict[str, list[str]] = {}
        for tag, attributes in TAG.findall(match[1]):
            a = {k: v for k, v in ATTRIBUTE.findall(attributes)}
            if tag == "select":
                select_name = a["name"]
            elif tag == "option" and a.get("value") and select_name:
                options.setdefault(select_name, []).append(a["value"])
            elif a.get("type") == "radio":
                radios.setdefault(a["name"], []).append(a["value"])
            elif a.get("type") == "checkbox":
                boxes.append(a["value"])
            elif a.get("type") == "hidden" and a.get("name") == "order":
                answer.setdefault("order", []).append(a["value"])  # type: ignore[union-attr]
            elif a.get("type") == "hidden":
                answer[a["name"]] = a.get("value", "")
            elif a.get("type") == "text":
                answer[a["name"]] = self._typed(a["name"])
        for name, values in radios.items():
            answer[name] = self.random.choice(values)
        if boxes:
            answer["choice"] = self.random.sample(boxes, self.random.randint(1, len(boxes)))
        for name, values in options.items():
            answer[name] = self.random.choice(values)
        if "order" in answer:
            self.random.shuffle(answer["order"])  # type: ignore[arg-type]
        answer["submit"] = "answer"
        return answer

    def _typed(self, name: str) -> str:
        if name in ("year", "number"):
            return str(self.random.randint(1985, 2010))
        return self.random.choice(["Baker", "Genscher", "Two Plus Four", "Gorbachev"])


# --- the phases ------------------------------------------------------------------------------


async def each(learners: list[Learner], work: Callable[[Learner], Awaitable[None]]) -> float:
    """Run `work` for every learner at once; the seconds it took."""
    started = time.perf_counter()
    await asyncio.gather(*(work(learner) for learner in learners))
    return time.perf_counter() - started


async def question_phase(learner: Learner, deadline: float, passes: int) -> None:
    """GET the current question of each of the learner's rounds, `passes` times over."""
    for _ in range(passes):
        for state in learner.rounds:
            if time.monotonic() >= deadline:
                return
            await learner.read_question(state)


async def answer_phase(learner: Learner, deadline: float) -> None:
    """POST an answer in each round whose question was read: every request a new answer."""
    for state in learner.rounds:
        if time.monotonic() >= deadline:
            return
        if state.form is not None:
            await learner.answer(state)


async def feedback_phase(learner: Learner, deadline: float, passes: int) -> None:
    """GET the feedback of each answered question, `passes` times over."""
    answered = [s for s in learner.rounds if (s.id, s.position) in learner.acknowledged]
    try:
        for _ in range(passes):
            for state in answered:
                if time.monotonic() >= deadline:
                    return
                position = state.position
                await learner.read_feedback(state)
                state.position = position  # read again on the next pass
    finally:
        for state in answered:  # on to the next question, for the play phase
            state.position += 1
            state.done = state.position > learner.round_length


async def play_phase(learner: Learner, deadline: float, think: float = 0.0) -> None:
    """The learner's loop: question, answer, feedback, round after round, until the deadline.

    `think` is the mean pause in seconds before each question (0: none, the harshest load).
    """
    while time.monotonic() < deadline:
        if think:
            await asyncio.sleep(learner.random.uniform(0.5, 1.5) * think)
        state = next((s for s in learner.rounds if not s.done), None)
        if state is None:
            state = await learner.start_round("play: start round")
            if state is None:
                return
        if not await learner.read_question(state, "play: GET question"):
            await learner.resume(state)  # as a learner would: open the round again
            continue
        if not await learner.answer(state, "play: POST answer"):
            await asyncio.sleep(0.05)
            continue
        await learner.read_feedback(state, "play: GET feedback")


async def baseline_phase(client: Client, recorder: Recorder, deadline: float) -> None:
    while time.monotonic() < deadline:
        await recorder.call("baseline GET", lambda: client.get("/"), expect(200))
