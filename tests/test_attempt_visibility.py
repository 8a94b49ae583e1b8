"""While a test holding a question is open for a learner, no page the learner can reach shows
that question's verdict, right answer or explanation, and no new practice or review round
draws it; once the test is over, the review shows the version the learner missed."""

import itertools
import os
import random
import re
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from quizapp import attempt_store, current_bank, question_store
from quizapp.domain.questions import QuestionType
from quizapp.domain.rounds import RoundSpec, build_round
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, Round, TeacherQuestion, utcnow
from tests.factories import (
    create_assignment,
    create_classroom,
    create_user,
    enroll,
    logged_in,
    make_question,
    right_form,
    start_round_with,
    user_named,
    wrong_form,
)

V1_EXPLANATION = "Version one: Baker spoke of not one inch on 9 February 1990."
V2_EXPLANATION = "Version two: the assurance was oral and never written into a treaty."


@pytest.fixture
def world(app, teacher):
    """tess's class; her question Q (version 1), in a practice assignment with a shipped
    question S: (class id, practice id, Q's id, S)."""
    with app.app_context():
        tess = user_named("tess")
        classroom = create_classroom(tess)
        row = question_store.create_question(
            tess,
            make_question("single", prompt="Who said “not one inch”?", explanation=V1_EXPLANATION),
        )
        db.session.commit()
        shipped = next(q for q in current_bank().questions if q.type is QuestionType.SINGLE)
        practice = create_assignment(
            classroom,
            title="Practice",
            mode="practice",
            question_ids=[row.public_id, shipped.id],
            attempts_allowed=0,
        )
        return classroom.id, practice.id, row.id, shipped


def edit_to_version_two(app, question_id: int) -> None:
    with app.app_context():
        row = db.session.get(TeacherQuestion, question_id)
        question_store.update_question(
            row, replace(row.current.as_question, explanation=V2_EXPLANATION)
        )
        db.session.commit()
        assert row.current.number == 2


def new_test(app, class_id: int, question_ids: list[str]) -> int:
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        return create_assignment(
            classroom, title="The test", mode="test", question_ids=question_ids
        ).id


def round_of(response) -> int:
    return int(re.search(r"/rounds/(\d+)", response.location).group(1))


def play(app, client, round_id: int, *, right: bool | None = None, rng=None) -> None:
    """Answer every question still open in the round: all right, all wrong, or at random."""
    with app.app_context():
        items = [(i.position, i.question) for i in db.session.get(Round, round_id).items]
    for position, question in items:
        is_right = right if right is not None else rng.random() < 0.5
        form = right_form(question) if is_right else wrong_form(question)
        client.post(f"/rounds/{round_id}/questions/{position}", data=form)


def reachable_pages(app, client, username: str) -> dict[str, str]:
    """Every page the learner can reach: home, progress, mistakes, and each of their
    rounds' recap and question pages."""
    paths = ["/", "/review/scores", "/review/mistakes"]
    with app.app_context():
        rounds = db.session.scalars(
            select(Round).where(Round.user_id == user_named(username).id)
        ).all()
        for a_round in rounds:
            paths.append(f"/review/rounds/{a_round.id}")
            paths += [f"/rounds/{a_round.id}/questions/{i.position}" for i in a_round.items]
    pages = {}
    for path in paths:
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        pages[path] = response.get_data(as_text=True)
    return pages


def shows_none_of(pages: dict[str, str], texts: list[str]) -> list[str]:
    """The pages that show any of `texts` (as HTML escapes them)."""
    return [path for path, page in pages.items() if any(str(escape(t)) in page for t in texts)]


# --- the scenario the issue reported --------------------------------------------------------------


def test_review_of_mistakes_never_shows_a_question_of_a_test_under_way(app, world, user):
    class_id, practice_id, question_id, shipped = world
    with app.app_context():
        classroom = db.session.get(Assignment, practice_id).classroom
        enroll(classroom, user_named("ada"))
    ada = logged_in(app, "ada")
    # ada misses Q (version 1) in the practice assignment.
    attempt = round_of(ada.post(f"/assignments/{practice_id}/attempts"))
    play(app, ada, attempt, right=False)
    edit_to_version_two(app, question_id)
    test_id = new_test(app, class_id, [f"t-{question_id}"])
    test_round = round_of(ada.post(f"/assignments/{test_id}/attempts"))

    mistakes = ada.get("/review/mistakes").get_data(as_text=True)
    assert "Who said" not in mistakes  # Q is withheld; S still waits
    early = ada.post("/review/mistakes", data={"early": "1"})
    review_round = round_of(early)
    with app.app_context():
        drawn = [i.question_id for i in db.session.get(Round, review_round).items]
    assert drawn == [shipped.id]
    play(app, ada, review_round, right=False)

    pages = reachable_pages(app, ada, "ada")
    assert shows_none_of(pages, [V1_EXPLANATION, V2_EXPLANATION]) == []

    # Once the test is submitted, Q is back, as the version ada missed (1, not 2).
    ada.post(f"/rounds/{test_round}/submit")
    assert "Who said" in ada.get("/review/mistakes").get_data(as_text=True)
    review_round = round_of(ada.post("/review/mistakes", data={"early": "1"}))
    with app.app_context():
        items = {i.question_id: i for i in db.session.get(Round, review_round).items}
        assert items[f"t-{question_id}"].question.explanation == V1_EXPLANATION


def test_a_new_practice_round_never_draws_a_question_of_a_test_under_way(app, world, user):
    class_id, _, _, _ = world
    with app.app_context():
        bank_ids = [q.id for q in current_bank().questions]
        enroll(db.session.get(Classroom, class_id), user_named("ada"))
        ada = user_named("ada")
        # With the same seed, which questions a round of everything would draw.
        drawn = [q.id for q in build_round(current_bank(), RoundSpec(length=30), random.Random(4))]
    in_test = [qid for qid in drawn if qid in bank_ids][:3]
    assert in_test, "the round drew none of the questions the test will hold"
    test_id = new_test(app, class_id, in_test)
    logged_in(app, "ada").post(f"/assignments/{test_id}/attempts")
    with app.app_context():
        ada = user_named("ada")
        practice = attempt_store.start_round(
            ada, current_bank(), RoundSpec(length=30), seed=4, now=utcnow()
        )
        assert not {i.question_id for i in db.session.get(Round, practice.round_id).items} & set(
            in_test
        )
        db.session.rollback()
        # Once the test is over (closed a moment ago), they can be drawn again.
        db.session.get(Assignment, test_id).closes_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        practice = attempt_store.start_round(
            ada, current_bank(), RoundSpec(length=30), seed=4, now=utcnow()
        )
        assert {i.question_id for i in db.session.get(Round, practice.round_id).items} >= set(
            in_test
        )


def test_a_round_answered_while_a_test_is_open_keeps_its_score_until_the_test_is_over(
    app, world, user
):
    """A practice round left open before the test started, answered while it is open: its
    score would tell the verdict, so it waits with the rest."""
    class_id, _, _, shipped = world
    with app.app_context():
        enroll(db.session.get(Classroom, class_id), user_named("ada"))
        practice_id = start_round_with(user_named("ada"), [shipped]).id
    ada = logged_in(app, "ada")
    test_id = new_test(app, class_id, [shipped.id])
    test_round = round_of(ada.post(f"/assignments/{test_id}/attempts"))
    play(app, ada, practice_id, right=True)

    recap = ada.get(f"/review/rounds/{practice_id}").get_data(as_text=True)
    assert "Your score:" not in recap and "1 out of 1" not in recap
    assert "Your score shows once your test under way is over" in recap
    progress = ada.get("/review/scores").get_data(as_text=True)
    assert "1 / 1" not in progress
    assert "shows once your test under way is over" in progress

    ada.post(f"/rounds/{test_round}/submit")
    recap = ada.get(f"/review/rounds/{practice_id}").get_data(as_text=True)
    assert "1 out of 1</strong>" in recap


SETTINGS = settings(
    max_examples=int(os.environ.get("QUIZAPP_HYPOTHESIS_EXAMPLES", 60)) // 3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LEARNERS = itertools.count(1)  # a new learner for each example, in one app
ACTIONS = st.sampled_from(["practice", "free round", "review early", "edit", "leave open"])
LATER = st.sampled_from(
    ["practice", "free round", "review early", "answer test", "finish open rounds"]
)


@SETTINGS
@given(
    before=st.lists(ACTIONS, max_size=4),
    after=st.lists(LATER, max_size=4),
    seed=st.integers(0, 2**16),
)
def test_no_page_shows_the_verdict_of_a_question_in_an_open_test(app, world, before, after, seed):
    """Whatever mix of practice rounds, reviews and edits came before the test started, and
    whatever the learner does while it is open, the open test's questions keep their secret."""
    class_id, practice_id, question_id, shipped = world
    rng = random.Random(seed)
    username = f"learner{next(LEARNERS)}"
    with app.app_context():
        enroll(db.session.get(Classroom, class_id), create_user(username))
    learner = logged_in(app, username)

    left_open: list[int] = []

    def act(action: str, test_round: int | None = None) -> None:
        if action == "leave open":
            # A round of the test's questions, started and left for later.
            with app.app_context():
                left_open.append(start_round_with(user_named(username), [shipped]).id)
        elif action == "finish open rounds":
            for round_id in left_open:
                play(app, learner, round_id, rng=rng)
        elif action == "practice":
            started = learner.post(f"/assignments/{practice_id}/attempts")
            if "/rounds/" in (started.location or ""):
                play(app, learner, round_of(started), rng=rng)
        elif action == "free round":
            started = learner.post("/rounds", data={"scope": "all", "length": "5"})
            play(app, learner, round_of(started), rng=rng)
        elif action == "review early":
            started = learner.post("/review/mistakes", data={"early": "1"})
            if "/rounds/" in (started.location or ""):
                play(app, learner, round_of(started), rng=rng)
        elif action == "edit":
            with app.app_context():
                row = db.session.get(TeacherQuestion, question_id)
                question_store.update_question(
                    row,
                    replace(row.current.as_question, explanation=f"{V2_EXPLANATION} {seed}"),
                )
                db.session.commit()
        elif action == "answer test":
            with app.app_context():
                a_round = db.session.get(Round, test_round)
                open_item = a_round.next_unanswered()
                if open_item is None:
                    return
                position, question = open_item.position, open_item.question
            form = right_form(question) if rng.random() < 0.5 else wrong_form(question)
            learner.post(f"/rounds/{test_round}/questions/{position}", data=form)

    for action in before:
        act(action)
    test_id = new_test(app, class_id, [f"t-{question_id}", shipped.id, "extra-never-drawn"])
    test_round = round_of(learner.post(f"/assignments/{test_id}/attempts"))
    for action in after:
        act(action, test_round)
    with app.app_context():
        still_open = db.session.get(Round, test_round).finished_at is None
        explanations = [
            v.as_question.explanation for v in db.session.get(TeacherQuestion, question_id).versions
        ]
    if not still_open:
        return  # every question answered: the test was submitted, and may show everything
    pages = reachable_pages(app, learner, username)
    assert shows_none_of(pages, [*explanations, shipped.explanation]) == []
    # A round holding an answer to one of the test's questions shows no score either.
    for round_id in left_open:
        assert "Your score:" not in pages[f"/review/rounds/{round_id}"]
