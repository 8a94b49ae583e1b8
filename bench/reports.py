"""`python -m bench reports`: the time and the SQL queries of each report page, big class.

For each database (SQLite, then PostgreSQL when `BENCH_POSTGRES_URL` answers, as for
`make bench`), a fresh database is made and migrated, `build_class` fills it with a class
of 200 students who finished 50 attempts each (`--students`, `--attempts`), and the Flask
test client reads every page of `PAGES` once to warm up, then `--runs` times: the table
gives the median and the slowest time and the queries (`X-Query-Count`) of each.

`build_class` is also what `tests/test_report_query_counts.py` builds its classes with.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Insert, insert, text
from werkzeug.security import generate_password_hash

from bench.run import POSTGRES_URL, fresh_database, migrate, postgres_problem
from quizapp import class_store, create_app, question_store
from quizapp.domain.attempts import score as round_score
from quizapp.domain.grading import Grade, grade, response_to_json
from quizapp.domain.questions import Question, QuestionType, question_to_dict
from quizapp.extensions import db
from quizapp.models import (
    MODE_TEST,
    ROLE_STUDENT,
    Answer,
    Assignment,
    Enrollment,
    Round,
    RoundItem,
    User,
    utcnow,
)
from quizapp.query_count import HEADER
from tests.factories import PASSWORD, create_teacher, make_question

STUDENTS = 200
ATTEMPTS = 50
PRACTICE_ROUNDS = 3
ITEMS = 10
TYPES = ("single", "classify", "multiple", "true_false", "year", "ordering", "matching")
SECTIONS = ("1", "2.1", "2.3", "3.1", "4.2", "5", "6.1", "7.3")
TOPICS = ("assurances", "genscher", "baker", "malta", "enlargement")
POOL_SIZE = 24


# --- the data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answerable:
    """A question as a round shows it, with a right and a wrong response already graded."""

    question: Question
    snapshot: dict[str, Any]
    version_id: int | None
    right: tuple[Any, Grade]
    wrong: tuple[Any, Grade]
    ease: float  # how likely a student of full ability gets it right; above 1: always


def _wrong_response(question: Question) -> Any:
    match question.type:
        case QuestionType.SINGLE | QuestionType.CLASSIFY:
            return next(c.id for c in question.choices if c.id != question.answer)
        case QuestionType.MULTIPLE:
            return frozenset({sorted(question.answer)[0], "c2"})  # half right: partial credit
        case QuestionType.TRUE_FALSE:
            return not question.answer
        case QuestionType.YEAR:
            return question.answer + 5
        case QuestionType.ORDERING:
            return tuple(reversed(question.answer))
        case QuestionType.MATCHING:
            ids = [c.id for c in question.choices]
            return {p: ids[(ids.index(c) + 1) % len(ids)] for p, c in question.answer.items()}
    raise ValueError(question.type)


def _answerable(question: Question, version_id: int | None, ease: float) -> Answerable:
    graded = []
    for response in (question.answer, _wrong_response(question)):
        graded.append((response_to_json(question, response), grade(question, response)))
    return Answerable(question, question_to_dict(question), version_id, *graded, ease=ease)


def question_pool(teacher: User) -> list[Answerable]:
    """Questions of every type, section and topic, two of them the teacher's own (with a
    version, as the item statistics keep them): one always right, one mostly wrong, one
    that the weaker students get right more often (flagged), the rest in between."""
    pool = []
    for n in range(POOL_SIZE):
        qtype = TYPES[n % len(TYPES)]
        question = make_question(
            qtype,
            id=f"bench-{n:02d}-{qtype}",
            prompt=f"Bench question {n}: a {qtype} question about Baker in Moscow?",
            section=SECTIONS[n % len(SECTIONS)],
            topics=(TOPICS[n % len(TOPICS)], TOPICS[(n + 2) % len(TOPICS)]),
        )
        ease = {0: 2.0, 1: 0.15, 2: -1.0}.get(n, 0.6 + 0.4 * (n % 5) / 4)
        pool.append(_answerable(question, None, ease))
    for n, qtype in enumerate(("single", "ordering")):
        row = question_store.create_question(
            teacher, make_question(qtype, prompt=f"Teacher's own question {n}", section="2.2")
        )
        db.session.flush()
        version = row.versions[0]
        pool.append(_answerable(version.as_question, version.id, 0.8))
    return pool


def _correct(rng: random.Random, ability: float, ease: float) -> bool:
    if ease < 0:  # the weaker, the likelier right: discriminates negatively
        return rng.random() < 1.2 - ability
    return rng.random() < ability * ease


def _inserting(model) -> Insert:
    """A Core INSERT of many rows returning their ids in order: Core, because the ORM's bulk
    insert splits the rows into a batch per run of equal None-ness and splices the RETURNING
    results together in quadratic time (minutes for 100,000 items)."""
    table = model.__table__
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


@dataclass(frozen=True)
class ClassData:
    """What a report page's address needs, and what the pages should show."""

    class_id: int
    assignment_id: int  # the test with a due date, some attempts late and teacher questions
    attempt_id: int  # a finished attempt at it
    student_id: int  # the student the student pages are read as (with an unfinished test)
    student_name: str
    student_names: list[str]
    submitted_at_assignment: int  # finished attempts at `assignment_id`, all students'
    rounds_of_student: int  # the student's rounds: attempts, practice, the one under way


def build_class(
    teacher: User,
    students: int,
    attempts: int,
    *,
    prefix: str,
    practice_rounds: int = PRACTICE_ROUNDS,
    seed: int = 0,
) -> ClassData:
    """A class of `teacher` with `students` students who each finished `attempts` attempts
    of `ITEMS` questions, spread over four of its five assignments (a practice, a test due
    halfway, a practice closed yesterday, a test due next week; the fifth opens in five
    days), and `practice_rounds` rounds of their own. The first student also has a test
    attempt under way, half answered. Rounds, items and answers go in by bulk inserts.
    Call inside an app context; commits.
    """
    rng = random.Random(seed)
    now = utcnow()
    start = now - timedelta(days=35)
    pool = question_pool(teacher)
    classroom = class_store.create_class(teacher, f"{prefix} class")
    specs = [
        ("Practice: the Baker assurance", "practice", {}),
        ("Test: the Genscher formula", MODE_TEST, {"due_at": start + timedelta(days=16)}),
        ("Practice: Malta", "practice", {"closes_at": now - timedelta(days=1)}),
        ("Test: the 1990 timeline", MODE_TEST, {"due_at": now + timedelta(days=7)}),
        ("Lessons", "practice", {"opens_at": now + timedelta(days=5)}),
    ]
    assignments = []
    for number, (title, mode, times) in enumerate(specs):
        questions = [pool[((number - 1) * 5 + k) % POOL_SIZE] for k in range(ITEMS - 1)]
        questions.append(pool[len(pool) - 1 - number % 2])  # a teacher's question in each
        assignment = Assignment(
            classroom=classroom,
            title=title,
            mode=mode,
            question_ids=[q.question.id for q in questions],
            length=ITEMS,
            attempts_allowed=0,
            **({"opens_at": start - timedelta(days=5)} | times),
        )
        db.session.add(assignment)
        assignments.append((assignment, questions))
    db.session.flush()

    password_hash = generate_password_hash(PASSWORD)
    names = [f"{prefix}-{n:03d}" for n in range(students)]
    student_ids = db.session.scalars(
        _inserting(User),
        [
            {"username": name, "password_hash": password_hash, "role": ROLE_STUDENT}
            for name in names
        ],
    ).all()
    db.session.execute(
        insert(Enrollment.__table__),
        [{"classroom_id": classroom.id, "student_id": s} for s in student_ids],
    )

    rounds: list[dict[str, Any]] = []
    contents: list[list[tuple[Answerable, bool | None, datetime]]] = []

    def add_round(fields: dict[str, Any], questions, ability: float, answered: int) -> None:
        created = fields["created_at"]
        shown = []
        for position, q in enumerate(questions, start=1):
            right = _correct(rng, ability, q.ease) if position <= answered else None
            shown.append((q, right, created + timedelta(minutes=position)))
        finished = answered == len(questions)
        score = round_score((q.right if r else q.wrong)[1].score for q, r, _ in shown)
        rounds.append(
            {
                "seed": rng.randrange(2**31),
                "score": score if finished else 0.0,
                "finished_at": created + timedelta(minutes=len(questions) + 1)
                if finished
                else None,
            }
            | fields
        )
        contents.append(shown)

    attempted = assignments[:4]
    for index, student_id in enumerate(student_ids):
        ability = 0.35 + 0.65 * index / max(1, students - 1)
        used = [0] * len(attempted)
        for j in range(attempts):
            slot = j % len(attempted)
            assignment, questions = attempted[slot]
            used[slot] += 1
            created = start + timedelta(hours=j * 30 * 24 / max(1, attempts), minutes=index)
            fields = dict(
                user_id=student_id,
                assignment_id=assignment.id,
                attempt=used[slot],
                created_at=created,
            )
            add_round(fields, questions[j % 3 :] + questions[: j % 3], ability, ITEMS)
        for p in range(practice_rounds):
            questions = [pool[(index + p + k) % POOL_SIZE] for k in range(ITEMS)]
            created = now - timedelta(days=9 - p, minutes=index)
            fields = dict(user_id=student_id, assignment_id=None, attempt=None, created_at=created)
            add_round(fields, questions, ability, ITEMS)
    test, test_questions = attempted[3]
    under_way = dict(
        user_id=student_ids[0],
        assignment_id=test.id,
        attempt=attempts + 1,  # past any number the first student has used
        created_at=now - timedelta(hours=1),
    )
    add_round(under_way, test_questions, 0.5, ITEMS // 2)

    round_ids = db.session.scalars(_inserting(Round), rounds).all()
    items = [
        {
            "round_id": round_id,
            "position": position,
            "question_id": q.question.id,
            "snapshot": q.snapshot,
            "version_id": q.version_id,
        }
        for round_id, shown in zip(round_ids, contents, strict=True)
        for position, (q, _, _) in enumerate(shown, start=1)
    ]
    item_ids = db.session.scalars(_inserting(RoundItem), items).all()
    answers = []
    flat = (entry for shown in contents for entry in shown)
    for item_id, (q, right, at) in zip(item_ids, flat, strict=True):
        if right is None:
            continue
        response, graded = q.right if right else q.wrong
        answers.append(
            {
                "round_item_id": item_id,
                "response": response,
                "score": graded.score,
                "correct": graded.correct,
                "answered_at": at,
            }
        )
    db.session.execute(insert(Answer.__table__), answers)
    db.session.commit()

    graded_test = attempted[1][0]
    attempt_id = next(
        round_id
        for round_id, fields in zip(round_ids, rounds, strict=True)
        if fields["assignment_id"] == graded_test.id and fields["finished_at"] is not None
    )
    return ClassData(
        class_id=classroom.id,
        assignment_id=graded_test.id,
        attempt_id=attempt_id,
        student_id=student_ids[0],
        student_name=names[0],
        student_names=names,
        submitted_at_assignment=sum(
            1 for r in rounds if r["assignment_id"] == graded_test.id and r["finished_at"]
        ),
        rounds_of_student=sum(1 for r in rounds if r["user_id"] == student_ids[0]),
    )


# --- the pages ---------------------------------------------------------------------------------

TEACHER = "teacher"
STUDENT = "student"


@dataclass(frozen=True)
class Page:
    """A report page: its name, who reads it, and its address with `ClassData` fields."""

    name: str
    reader: str
    address: str

    def url(self, data: ClassData) -> str:
        return self.address.format(**vars(data))


PAGES = [
    *(
        Page(f"gradebook show={p}", TEACHER, f"/teach/classes/{{class_id}}/gradebook?show={p}")
        for p in ("best", "last", "average")
    ),
    Page("gradebook.csv", TEACHER, "/teach/classes/{class_id}/gradebook.csv?show=best"),
    Page("responses.csv", TEACHER, "/teach/classes/{class_id}/responses.csv"),
    Page("class overview", TEACHER, "/teach/classes/{class_id}/overview"),
    *(
        Page(
            f"statistics attempts={a}",
            TEACHER,
            f"/teach/assignments/{{assignment_id}}/statistics?attempts={a}",
        )
        for a in ("first", "best", "last", "all")
    ),
    Page("attempt", TEACHER, "/teach/attempts/{attempt_id}"),
    Page("student's attempts", TEACHER, "/teach/classes/{class_id}/students/{student_id}"),
    Page("my progress", STUDENT, "/review/scores"),
    Page("review my mistakes", STUDENT, "/review/mistakes"),
    Page("home", STUDENT, "/"),
]


def app_config(database_url: str) -> dict[str, Any]:
    """The app as the tests run it (no CSRF, no rate limits), counting its queries."""
    return {
        "TESTING": True,
        "SECRET_KEY": "bench-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "QUIZAPP_COUNT_QUERIES": True,
    }


def logged_in(app, username: str):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"{username} could not log in: {response.status_code}")
    return client


def query_count(response) -> int:
    return int(response.headers[HEADER])


# --- the benchmark ------------------------------------------------------------------------------


@dataclass
class Timing:
    page: Page
    seconds: list[float]
    queries: int
    status: int
    body_bytes: int


def time_pages(app, data: ClassData, teacher: str, runs: int) -> list[Timing]:
    readers = {TEACHER: logged_in(app, teacher), STUDENT: logged_in(app, data.student_name)}
    timings = []
    for page in PAGES:
        client, url = readers[page.reader], page.url(data)
        warm = client.get(url)
        warm.close()
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            size = len(response.get_data())
            # A streamed download keeps its app context (and its query count) until closed.
            response.close()
            seconds.append(time.perf_counter() - started)
        timings.append(Timing(page, seconds, query_count(response), warm.status_code, size))
    return timings


def run_database(kind: str, settings: argparse.Namespace, workdir: Path) -> tuple[float, list]:
    with fresh_database(kind, workdir) as url:
        migrate(url)
        app = create_app(app_config(url))
        try:
            with app.app_context():
                started = time.perf_counter()
                teacher = create_teacher("tess")
                data = build_class(teacher, settings.students, settings.attempts, prefix="student")
                built = time.perf_counter() - started
                # The planner's statistics, as autovacuum (PostgreSQL) would have gathered them
                # on a database that grew over a year rather than in ten seconds.
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            return built, time_pages(app, data, "tess", settings.runs)
        finally:
            with app.app_context():
                db.engine.dispose()


def print_table(kind: str, built: float, timings: list[Timing], settings) -> bool:
    print()
    print(
        f"== {kind}: {settings.students} students x {settings.attempts} attempts of {ITEMS} "
        f"questions (+{PRACTICE_ROUNDS} practice rounds each), built in {built:.1f} s; "
        f"median and max of {settings.runs} runs after one warm-up =="
    )
    header = f"{'page':<26}{'median ms':>10}{'max ms':>9}{'queries':>9}{'status':>8}{'kB':>9}"
    print(header)
    print("-" * len(header))
    ok = True
    for t in timings:
        ok &= t.status == 200
        print(
            f"{t.page.name:<26}{statistics.median(t.seconds) * 1000:>10.1f}"
            f"{max(t.seconds) * 1000:>9.1f}{t.queries:>9}{t.status:>8}{t.body_bytes / 1000:>9.0f}"
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench reports", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--students", type=int, default=STUDENTS)
    parser.add_argument("--attempts", type=int, default=ATTEMPTS, help="per student")
    parser.add_argument("--runs", type=int, default=5, help="timed reads of each page")
    parser.add_argument("--databases", default="sqlite,postgresql")
    settings = parser.parse_args(argv)
    started = time.monotonic()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    all_ok = True
    notes = []
    results = []
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-reports-") as tmp:
        for kind in (d.strip() for d in settings.databases.split(",") if d.strip()):
            if kind == "postgresql" and (problem := postgres_problem()):
                notes.append(f"PostgreSQL skipped: not reachable at {POSTGRES_URL} ({problem})")
                continue
            print(f"building and timing on {kind}...", file=sys.stderr, flush=True)
            results.append((kind, *run_database(kind, settings, Path(tmp))))
    print(f"machine: {os.cpu_count()} cores; load average before the run {load}")
    for kind, built, timings in results:
        all_ok &= print_table(kind, built, timings, settings)
    for note in notes:
        print(note)
    print(f"\nbenchmark took {time.monotonic() - started:.0f} s")
    return 0 if all_ok else 1
