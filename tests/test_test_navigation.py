"""A test-mode attempt as Moodle users know it, through the test client: visit questions in
any order, save on "Next page" / "Previous page" / the "Quiz navigation", change answers,
leave blanks, flag, read the "Summary of attempt", then "Submit all and finish"; and every
refusal (after submit, another student's attempt, a malformed answer). On the database the
run selects."""

import re

import pytest
from sqlalchemy import func, select

from quizapp import current_bank
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import MODE_TEST, Answer, Round, RoundItem
from tests.factories import (
    at_once,
    create_assignment,
    create_classroom,
    create_teacher,
    create_user,
    enroll,
    logged_in,
    right_form,
    user_named,
    wrong_form,
)
from tests.pages import table

LENGTH = 4


@pytest.fixture
def attempt(app, user):
    """ada's attempt at tess's test of four single-choice questions: (round id, ada's tab)."""
    with app.app_context():
        classroom = create_classroom(create_teacher())
        enroll(classroom, user_named("ada"))
        ids = [q.id for q in current_bank().questions if q.type is QuestionType.SINGLE][:LENGTH]
        assignment_id = create_assignment(
            classroom, title="Tutzing test", mode=MODE_TEST, question_ids=ids, length=LENGTH
        ).id
    tab = logged_in(app, "ada")
    started = tab.post(f"/assignments/{assignment_id}/attempts")
    return int(re.search(r"/rounds/(\d+)", started.location).group(1)), tab


def question_of(app, round_id, position):
    with app.app_context():
        return db.session.get(Round, round_id).items[position - 1].question


def saved(app, round_id) -> dict[int, tuple[object, float]]:
    """The stored answers of the round by position: (response, score)."""
    with app.app_context():
        rows = db.session.execute(
            select(RoundItem.position, Answer.response, Answer.score)
            .join(Answer, Answer.round_item_id == RoundItem.id)
            .where(RoundItem.round_id == round_id)
        )
        return {position: (response, score) for position, response, score in rows}


def flags(app, round_id) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(RoundItem.position)
                .where(RoundItem.round_id == round_id, RoundItem.flagged)
                .order_by(RoundItem.position)
            )
        )


def finished(app, round_id):
    with app.app_context():
        a_round = db.session.get(Round, round_id)
        return a_round.finished_at, a_round.score


def post(tab, round_id, position, form=None, **buttons):
    return tab.post(f"/rounds/{round_id}/questions/{position}", data={**(form or {}), **buttons})


def navigation_names(page: str) -> list[str]:
    """The accessible names of the "Quiz navigation" entries (their aria-label)."""
    region = re.search(r'<nav class="quiz-navigation".*?</nav>', page, re.S).group(0)
    return re.findall(r'<button type="submit" name="go"[^>]*aria-label="([^"]*)"', region)


def buttons(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", b) for b in re.findall(r"<button[^>]*>(.*?)</button>", page)]


def test_questions_can_be_visited_in_any_order(app, attempt):
    round_id, tab = attempt
    page = tab.get(f"/rounds/{round_id}/questions/3")
    assert page.status_code == 200
    assert "Question 3 of 4" in page.get_data(as_text=True)


def test_next_and_previous_page_save_the_answer_and_move(app, attempt):
    round_id, tab = attempt
    first = question_of(app, round_id, 1)
    moved = post(tab, round_id, 1, right_form(first), go="next")
    assert moved.location == f"/rounds/{round_id}/questions/2"
    second = question_of(app, round_id, 2)
    back = post(tab, round_id, 2, wrong_form(second), go="prev")
    assert back.location == f"/rounds/{round_id}/questions/1"
    assert {p: s for p, (_, s) in saved(app, round_id).items()} == {1: 1.0, 2: 0.0}


def test_the_navigation_names_each_question_with_its_state(app, attempt):
    round_id, tab = attempt
    post(tab, round_id, 2, right_form(question_of(app, round_id, 2)), go="3")
    post(tab, round_id, 3, flag="1")
    page = tab.get(f"/rounds/{round_id}/questions/3").get_data(as_text=True)
    assert 'aria-labelledby="quiz-navigation-heading"' in page
    assert ">Quiz navigation</h2>" in page
    assert navigation_names(page) == [
        "Question 1, not yet answered",
        "Question 2, answer saved",
        "Question 3, flagged, not yet answered",
        "Question 4, not yet answered",
    ]
    assert re.search(r'value="3" class="nav-question is-flagged"[^>]*aria-current="step"', page)


def test_a_navigation_entry_saves_the_answer_and_goes_to_its_question(app, attempt):
    round_id, tab = attempt
    response = post(tab, round_id, 1, right_form(question_of(app, round_id, 1)), go="4")
    assert response.location == f"/rounds/{round_id}/questions/4"
    assert list(saved(app, round_id)) == [1]


def test_the_last_question_offers_finish_attempt_instead_of_next_page(app, attempt):
    round_id, tab = attempt
    first = buttons(tab.get(f"/rounds/{round_id}/questions/1").get_data(as_text=True))
    last = buttons(tab.get(f"/rounds/{round_id}/questions/{LENGTH}").get_data(as_text=True))
    assert "Next page" in first and "Previous page" not in first
    assert "Finish attempt…" in last and "Next page" not in last and "Previous page" in last
    finish = post(tab, round_id, LENGTH, go="finish")
    assert finish.location == f"/rounds/{round_id}/summary"


def test_an_answer_can_be_changed_and_the_last_saved_one_counts(app, attempt):
    round_id, tab = attempt
    q = question_of(app, round_id, 1)
    post(tab, round_id, 1, wrong_form(q), go="next")
    page = tab.get(f"/rounds/{round_id}/questions/1").get_data(as_text=True)
    chosen = wrong_form(q)["choice"]
    assert f'value="{chosen}" checked' in page  # the saved answer is shown again
    post(tab, round_id, 1, right_form(q), go="next")
    assert saved(app, round_id) == {1: (q.answer, 1.0)}
    tab.post(f"/rounds/{round_id}/submit")
    assert finished(app, round_id)[1] == 1.0


def test_a_blank_page_saves_nothing_and_keeps_a_saved_answer(app, attempt):
    round_id, tab = attempt
    assert post(tab, round_id, 1, go="next").location == f"/rounds/{round_id}/questions/2"
    assert saved(app, round_id) == {}
    q = question_of(app, round_id, 2)
    post(tab, round_id, 2, right_form(q), go="next")
    post(tab, round_id, 2, go="next")
    assert saved(app, round_id) == {2: (q.answer, 1.0)}


def test_flag_question_and_remove_flag(app, attempt):
    round_id, tab = attempt
    page = tab.get(f"/rounds/{round_id}/questions/2").get_data(as_text=True)
    assert "Flag question" in buttons(page)
    q = question_of(app, round_id, 2)
    flagged = post(tab, round_id, 2, right_form(q), flag="1")
    assert flagged.location == f"/rounds/{round_id}/questions/2"
    assert flags(app, round_id) == [2] and list(saved(app, round_id)) == [2]
    page = tab.get(f"/rounds/{round_id}/questions/2").get_data(as_text=True)
    assert "Remove flag" in buttons(page) and "Flag question" not in buttons(page)
    post(tab, round_id, 2, flag="0")
    assert flags(app, round_id) == []


def test_the_summary_lists_every_question_with_its_state(app, attempt):
    round_id, tab = attempt
    post(tab, round_id, 1, right_form(question_of(app, round_id, 1)), flag="1")
    post(tab, round_id, 3, wrong_form(question_of(app, round_id, 3)), go="next")
    response = tab.get(f"/rounds/{round_id}/summary")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1" in page and "Summary of attempt</h1>" in page
    rows = [[c.text for c in row] for row in table(page, css="attempt-summary").rows[1:]]
    assert rows == [
        ["Question 1", "Answer saved", "Flagged"],
        ["Question 2", "Not yet answered", ""],
        ["Question 3", "Answer saved", ""],
        ["Question 4", "Not yet answered", ""],
    ]
    assert {"Return to attempt", "Submit all and finish"} <= set(buttons(page))
    for verdict in ("Right", "Wrong", question_of(app, round_id, 1).explanation):
        assert verdict not in page  # nothing graded before submission
    assert finished(app, round_id) == (None, 0.0)


def test_submit_all_and_finish_scores_the_saved_answers_and_shows_the_verdicts(app, attempt):
    round_id, tab = attempt
    post(tab, round_id, 2, right_form(question_of(app, round_id, 2)), go="next")
    post(tab, round_id, 4, right_form(question_of(app, round_id, 4)), go="finish")
    recap = tab.post(f"/rounds/{round_id}/submit", follow_redirects=True).get_data(as_text=True)
    assert "Your attempt is submitted." in recap and "2 out of 4</strong>" in recap
    assert finished(app, round_id)[1] == 2.0
    assert tab.get(f"/rounds/{round_id}/summary").location == f"/rounds/{round_id}"


# --- refusals --------------------------------------------------------------------------------


def test_nothing_is_saved_or_flagged_after_submission(app, attempt):
    round_id, tab = attempt
    q = question_of(app, round_id, 1)
    post(tab, round_id, 1, wrong_form(q), go="next")
    tab.post(f"/rounds/{round_id}/submit")
    changed = post(tab, round_id, 1, right_form(q), go="next")
    assert changed.status_code == 303 and changed.location == f"/review/rounds/{round_id}"
    assert post(tab, round_id, 2, flag="1").status_code == 303
    assert saved(app, round_id) == {1: (wrong_form(q)["choice"], 0.0)}
    assert flags(app, round_id) == [] and finished(app, round_id)[1] == 0.0


def test_a_malformed_answer_is_refused_with_a_message_and_changes_nothing(app, attempt):
    round_id, tab = attempt
    response = post(tab, round_id, 1, {"choice": "no-such-option"}, go="next", flag="1")
    assert response.status_code == 400
    assert "That option is not one of this question" in response.get_data(as_text=True)
    assert saved(app, round_id) == {} and flags(app, round_id) == []


def test_another_students_attempt_cannot_be_seen_answered_or_flagged(app, attempt):
    round_id, _ = attempt
    with app.app_context():
        create_user("bob")
    bob = logged_in(app, "bob")
    q = question_of(app, round_id, 1)
    assert bob.get(f"/rounds/{round_id}/summary").status_code == 404
    assert post(bob, round_id, 1, right_form(q), go="next").status_code == 404
    assert post(bob, round_id, 1, flag="1").status_code == 404
    assert saved(app, round_id) == {} and flags(app, round_id) == []


def test_practice_keeps_the_first_answer(app, user):
    with app.app_context():
        classroom = create_classroom(create_teacher())
        enroll(classroom, user_named("ada"))
        ids = [q.id for q in current_bank().questions if q.type is QuestionType.SINGLE][:2]
        assignment_id = create_assignment(classroom, question_ids=ids).id
    tab = logged_in(app, "ada")
    started = tab.post(f"/assignments/{assignment_id}/attempts")
    round_id = int(re.search(r"/rounds/(\d+)", started.location).group(1))
    q = question_of(app, round_id, 1)
    post(tab, round_id, 1, wrong_form(q))
    again = post(tab, round_id, 1, right_form(q))
    assert again.location == f"/rounds/{round_id}/questions/1"
    assert saved(app, round_id) == {1: (wrong_form(q)["choice"], 0.0)}


def test_two_changes_of_one_answer_at_once_store_one_answer(app, attempt):
    round_id, tab = attempt
    other_tab = logged_in(app, "ada")
    q = question_of(app, round_id, 1)
    for _ in range(10):
        statuses = at_once(
            [
                lambda: post(tab, round_id, 1, right_form(q), go="next").status_code,
                lambda: post(other_tab, round_id, 1, wrong_form(q), go="next").status_code,
            ]
        )
        assert statuses == [302, 302]
        with app.app_context():
            count = db.session.scalar(
                select(func.count(Answer.id))
                .join(RoundItem, RoundItem.id == Answer.round_item_id)
                .where(RoundItem.round_id == round_id)
            )
        assert count == 1


def test_a_forged_destination_that_is_no_question_number_saves_and_stays(app, attempt):
    round_id, tab = attempt
    q = question_of(app, round_id, 1)
    # "²" passes str.isdigit() but is no number int() reads: it once made a 500.
    for go in ("²", "١", "0", "99"):
        response = post(tab, round_id, 1, right_form(q), go=go)
        assert response.status_code == 302, go
        assert response.location == f"/rounds/{round_id}/questions/1"
    assert saved(app, round_id) == {1: (q.answer, 1.0)}
