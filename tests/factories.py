"""Small builders of test data."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from sqlalchemy import select

from quizapp import class_store
from quizapp.domain.questions import Choice, Kind, Question, QuestionType, question_to_dict
from quizapp.extensions import db
from quizapp.models import (
    ROLE_TEACHER,
    Answer,
    Assignment,
    Classroom,
    Enrollment,
    Round,
    RoundItem,
    User,
    utcnow,
)

PASSWORD = "correct horse battery"
BAKER_QUOTE = (
    "not one inch of NATO’s present military jurisdiction will spread in an eastern direction."
)


def create_user(username: str = "ada", password: str = PASSWORD, role: str = "student") -> User:
    """A stored learner (or teacher, with `role`); call inside an app context."""
    user = User(username=username, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def create_teacher(username: str = "tess") -> User:
    return create_user(username, role=ROLE_TEACHER)


def create_classroom(teacher: User, name: str = "Year 12 History") -> Classroom:
    classroom = class_store.create_class(teacher, name)
    db.session.commit()
    return classroom


def enroll(classroom: Classroom, student: User) -> None:
    db.session.add(Enrollment(classroom=classroom, student=student))
    db.session.commit()


def create_assignment(classroom: Classroom, **fields) -> Assignment:
    """An assignment open now, one attempt, practice mode, 5 questions of section 1."""
    values = dict(title="Baker in Moscow", mode="practice", section="1", length=5)
    assignment = Assignment(classroom=classroom, **(values | fields))
    db.session.add(assignment)
    db.session.commit()
    return assignment


def make_question(qtype: str = "single", **overrides) -> Question:
    """A presented question of each type, with a known key (choice ids c1, c2, ...)."""
    base = dict(
        id=f"test-{qtype}",
        type=QuestionType(qtype),
        kind=Kind.FACT,
        prompt=f"A {qtype} question about Baker in Moscow?",
        section="1",
        quote=BAKER_QUOTE,
        explanation="Baker spoke of NATO's jurisdiction in Moscow on 9 February 1990.",
    )
    choices = tuple(
        Choice(f"c{i}", text)
        for i, text in enumerate(
            ["James Baker", "Helmut Kohl", "George H.W. Bush", "Hans-Dietrich Genscher"], start=1
        )
    )
    by_type = {
        "single": dict(choices=choices, answer="c1"),
        "classify": dict(
            choices=(Choice("c1", "The Russian narrative"), Choice("c2", "The Western narrative")),
            answer="c2",
            kind=Kind.INTERPRETATION,
        ),
        "multiple": dict(choices=choices, answer=frozenset({"c1", "c4"})),
        "true_false": dict(answer=True),
        "year": dict(answer=1990, tolerance=0),
        "ordering": dict(
            choices=(
                Choice("c1", "Baker in Moscow"),
                Choice("c2", "Malta Summit"),
                Choice("c3", "Genscher's speech"),
            ),
            answer=("c2", "c3", "c1"),
        ),
        "matching": dict(
            pairs=(Choice("p1", "“not one inch”"), Choice("p2", "“take advantage”")),
            choices=(
                Choice("c1", "George H.W. Bush"),
                Choice("c2", "James Baker"),
                Choice("c3", "Helmut Kohl"),
            ),
            answer={"p1": "c2", "p2": "c1"},
        ),
    }
    return Question(**{**base, **by_type[qtype], **overrides})


def start_round_with(user: User, questions: list[Question]) -> Round:
    """A stored round holding exactly `questions`, in that order; call inside an app context."""
    a_round = Round(user=user, seed=0)
    a_round.items = [
        RoundItem(position=i, question_id=q.id, snapshot=question_to_dict(q))
        for i, q in enumerate(questions, start=1)
    ]
    db.session.add(a_round)
    db.session.commit()
    return a_round


def right_form(question: Question) -> dict:
    """The form fields that answer `question` right, from its key."""
    key = question.answer
    match question.type:
        case QuestionType.SINGLE | QuestionType.CLASSIFY:
            return {"choice": key}
        case QuestionType.MULTIPLE:
            return {"choice": sorted(key)}
        case QuestionType.TRUE_FALSE:
            return {"choice": "true" if key else "false"}
        case QuestionType.YEAR:
            return {"year": str(key)}
        case QuestionType.ORDERING:
            return {"order": list(key)}
        case QuestionType.MATCHING:
            return {f"match-{pair}": choice for pair, choice in key.items()}
        case QuestionType.SHORT:
            return {"text": question.choice_text(key[0]).upper()}
        case QuestionType.NUMERIC:
            return {"number": str(key[0].low)}
    raise ValueError(question.type)


def wrong_form(question: Question) -> dict:
    """Form fields that answer `question` wrong (for the types a round of the bank holds)."""
    match question.type:
        case QuestionType.SINGLE | QuestionType.CLASSIFY:
            return {"choice": next(c.id for c in question.choices if c.id != question.answer)}
        case QuestionType.MULTIPLE:
            return {"choice": [c.id for c in question.choices if c.id not in question.answer]}
        case QuestionType.TRUE_FALSE:
            return {"choice": "false" if question.answer else "true"}
        case QuestionType.YEAR:
            return {"year": str(question.answer + question.tolerance + 5)}
        case QuestionType.ORDERING:
            return {"order": list(reversed(question.answer))}
        case QuestionType.MATCHING:
            ids = [c.id for c in question.choices]
            return {
                f"match-{p}": ids[(ids.index(c) + 1) % len(ids)] for p, c in question.answer.items()
            }
        case QuestionType.SHORT:
            return {"text": "nothing like it"}
        case QuestionType.NUMERIC:
            return {"number": str(question.answer[0].high + 1000)}
    raise ValueError(question.type)


# --- attempts and classes for the reports ------------------------------------------------

DAY = timedelta(days=1)


def user_named(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def questions_of(section: str, count: int, prefix: str = "q") -> list[Question]:
    return [
        make_question("single", id=f"{prefix}-{section}-{n}", section=section, prompt=f"Q{n}?")
        for n in range(1, count + 1)
    ]


def stored_attempt(
    assignment: Assignment,
    student: User,
    scores: list[float | None],
    *,
    attempt: int = 1,
    started_at: datetime | None = None,
    finished_at: datetime | None = None,
    questions: list[Question] | None = None,
) -> Round:
    """An attempt at `assignment` holding one question per score (None: not answered),
    submitted at `finished_at` (None: still under way); call inside an app context."""
    questions = questions or questions_of(assignment.section or "1", len(scores))
    started_at = started_at or utcnow() - 5 * DAY
    a_round = start_round_with(student, questions)
    a_round.assignment_id = assignment.id
    a_round.attempt = attempt
    a_round.created_at = started_at
    a_round.finished_at = finished_at
    a_round.score = sum(s for s in scores if s is not None) if finished_at else 0.0
    for n, (item, score) in enumerate(zip(a_round.items, scores, strict=True), start=1):
        if score is None:
            continue
        q = item.question
        wrong = next(c.id for c in q.choices if c.id != q.answer)
        db.session.add(
            Answer(
                round_item_id=item.id,
                response=q.answer if score == 1.0 else wrong,
                score=score,
                correct=score == 1.0,
                answered_at=started_at + n * timedelta(minutes=1),
            )
        )
    db.session.commit()
    return a_round


def percent(share_of_five: int) -> list[float]:
    """Scores of a five-question attempt with `share_of_five` right."""
    return [1.0] * share_of_five + [0.0] * (5 - share_of_five)


def own_class(app, *students: str, name: str = "Year 12 History") -> int:
    """Tess's class (tess exists already) with these students enrolled."""
    with app.app_context():
        classroom = create_classroom(user_named("tess"), name)
        for username in students:
            enroll(classroom, user_named(username) or create_user(username))
        return classroom.id


def logged_in(app, username: str):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": PASSWORD})
    return client


def at_once(calls):
    """Run each call in a thread of its own, all released together; their results in order."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
