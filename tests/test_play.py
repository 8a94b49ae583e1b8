import re

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Answer, Round, User
from tests.factories import create_user, make_question, start_round_with

TYPES = ["single", "classify", "multiple", "true_false", "year", "ordering", "matching"]
RIGHT = {
    "single": {"choice": "c1"},
    "classify": {"choice": "c2"},
    "multiple": {"choice": ["c1", "c4"]},
    "true_false": {"choice": "true"},
    "year": {"year": "1990"},
    "ordering": {"order": ["c2", "c3", "c1"]},
    "matching": {"match-p1": "c2", "match-p2": "c1"},
}


def a_round(app, *types, username="ada"):
    """A stored round of the given question types for the learner `username`; returns its id."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return start_round_with(
            user, [make_question(t, id=f"q-{t}-{i}") for i, t in enumerate(types)]
        ).id


def count_answers(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer))


@pytest.fixture
def logged_in(client, auth, user):
    auth.login()
    return client


def test_home_offers_a_new_round_by_section_and_topic(logged_in):
    page = logged_in.get("/").get_data(as_text=True)
    assert "Start a new round" in page
    assert 'value="section:2.1"' in page
    assert 'value="topic:' in page


def test_starting_a_round_builds_it_and_opens_question_one(logged_in, app):
    response = logged_in.post("/rounds", data={"scope": "all", "length": "10"})
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(Round))
        assert len(stored.items) == 10
        assert len({item.question_id for item in stored.items}) == 10
    assert response.headers["Location"] == f"/rounds/{stored.id}/questions/1"
    page = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Question 1 of 10" in page
    assert '<progress max="10" value="0"' in page


def test_a_round_of_one_section_cites_only_that_section(logged_in, app):
    logged_in.post("/rounds", data={"scope": "section:2", "length": "5"})
    with app.app_context():
        sections = {item.question.section for item in db.session.scalar(select(Round)).items}
    assert sections and all(s.startswith("2.") for s in sections)


@pytest.mark.parametrize(
    "data", [{"scope": "section:99", "length": "10"}, {"scope": "all", "length": "7"}]
)
def test_a_round_of_a_scope_or_length_not_offered_is_refused(logged_in, app, data):
    response = logged_in.post("/rounds", data=data)
    assert response.status_code == 400
    assert b"Not a valid choice" in response.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Round)) == 0


@pytest.mark.parametrize("qtype", TYPES)
def test_question_page_is_the_same_whatever_the_answer_key(logged_in, app, qtype):
    """The answer is not in the page before it is given: two keys, one identical page."""
    first = make_question(qtype)
    second = {
        "single": make_question("single", answer="c3"),
        "classify": make_question("classify", answer="c1"),
        "multiple": make_question("multiple", answer=frozenset({"c2"})),
        "true_false": make_question("true_false", answer=False),
        "year": make_question("year", answer=2004, tolerance=2),
        "ordering": make_question("ordering", answer=("c1", "c2", "c3")),
        "matching": make_question("matching", answer={"p1": "c3", "p2": "c3"}),
    }[qtype]
    with app.app_context():
        ada = db.session.get(User, 1)
        ids = [start_round_with(ada, [q]).id for q in (first, second)]
    pages = [logged_in.get(f"/rounds/{i}/questions/1").get_data(as_text=True) for i in ids]
    strip = [
        re.sub(r'name="csrf_token" value="[^"]*"', "", re.sub(r"/rounds/\d+/", "/rounds/N/", page))
        for page in pages
    ]
    assert strip[0] == strip[1]
    assert first.explanation not in pages[0]
    assert "NATO’s present military jurisdiction" not in pages[0]


@pytest.mark.parametrize("qtype", TYPES)
def test_right_answer_shows_feedback_with_explanation_and_source_passage(logged_in, app, qtype):
    round_id = a_round(app, qtype)
    response = logged_in.post(f"/rounds/{round_id}/questions/1", data=RIGHT[qtype])
    assert response.status_code == 302
    page = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="verdict verdict-right">Right</h1>' in page
    assert "Baker spoke of NATO&#39;s jurisdiction" in page
    assert "not one inch of NATO’s present military jurisdiction" in page
    assert (
        "section 1: <cite>The Historical Context: 1989-1991 and the Collapse of the Soviet Bloc"
        in page
    )
    assert "/source/?quote=not+one+inch" in page and "#passage" in page


def test_wrong_answer_shows_the_correct_one(logged_in, app):
    round_id = a_round(app, "single")
    logged_in.post(f"/rounds/{round_id}/questions/1", data={"choice": "c2"})
    page = logged_in.get(f"/rounds/{round_id}/questions/1").get_data(as_text=True)
    assert "verdict-wrong" in page
    assert re.search(r"Your answer</dt>\s*<dd><span class=\"answer-line\">Helmut Kohl", page)
    assert re.search(r"Correct answer</dt>\s*<dd><span class=\"answer-line\">James Baker", page)


def test_partial_credit_is_shown_as_partly_right(logged_in, app):
    round_id = a_round(app, "ordering")
    # c3, c2, c1 against c2, c3, c1: pairs (c2,c1) and (c3,c1) right, (c2,c3) wrong: 2/3.
    logged_in.post(f"/rounds/{round_id}/questions/1", data={"order": ["c3", "c2", "c1"]})
    page = logged_in.get(f"/rounds/{round_id}/questions/1").get_data(as_text=True)
    assert "Partly right (67%)" in page


def test_double_submit_counts_once(logged_in, app):
    round_id = a_round(app, "single", "single")
    first = logged_in.post(f"/rounds/{round_id}/questions/1", data={"choice": "c1"})
    again = logged_in.post(f"/rounds/{round_id}/questions/1", data={"choice": "c2"})
    assert first.status_code == again.status_code == 302
    assert count_answers(app) == 1
    page = logged_in.get(f"/rounds/{round_id}/questions/1").get_data(as_text=True)
    assert "verdict-right" in page


def test_refresh_and_back_show_the_feedback_without_a_new_answer(logged_in, app):
    round_id = a_round(app, "single", "year")
    logged_in.post(f"/rounds/{round_id}/questions/1", data={"choice": "c1"})
    for _ in range(3):
        assert b"verdict-right" in logged_in.get(f"/rounds/{round_id}/questions/1").data
    assert count_answers(app) == 1


def test_questions_come_in_order(logged_in, app):
    round_id = a_round(app, "single", "year", "true_false")
    response = logged_in.get(f"/rounds/{round_id}/questions/3")
    assert response.headers["Location"] == f"/rounds/{round_id}/questions/1"
    response = logged_in.post(f"/rounds/{round_id}/questions/2", data={"year": "1990"})
    assert response.headers["Location"] == f"/rounds/{round_id}/questions/1"
    assert count_answers(app) == 0


BAD_INPUT = [
    ("single", {}, "Choose one of the options."),
    ("single", {"choice": "c9"}, "not one of this question"),
    ("single", {"choice": ["c1", "c2"]}, "Choose only one option."),
    ("multiple", {}, "Choose at least one option."),
    ("multiple", {"choice": ["c1", "zz"]}, "not one of this question"),
    ("true_false", {"choice": "maybe"}, "Choose True or False."),
    ("year", {"year": "abc"}, "Enter a year between 1800 and 2100."),
    ("year", {"year": "3000"}, "Enter a year between 1800 and 2100."),
    ("year", {"year": "9" * 5000}, "Enter a year between 1800 and 2100."),
    ("ordering", {"order": ["c1", "c1", "c2"]}, "Put every item in order, each once."),
    ("ordering", {}, "Put every item in order, each once."),
    ("matching", {"match-p1": "c2"}, "Choose a match for every item."),
    ("matching", {"match-p1": "c2", "match-p2": "nope"}, "not one of this question"),
]


@pytest.mark.parametrize(("qtype", "data", "message"), BAD_INPUT)
def test_bad_answer_gets_a_message_writes_nothing_and_stays_playable(
    logged_in, app, qtype, data, message
):
    round_id = a_round(app, qtype)
    response = logged_in.post(f"/rounds/{round_id}/questions/1", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count_answers(app) == 0
    assert logged_in.post(f"/rounds/{round_id}/questions/1", data=RIGHT[qtype]).status_code == 302
    assert count_answers(app) == 1


def test_a_bad_answer_keeps_what_the_learner_had_chosen(logged_in, app):
    round_id = a_round(app, "matching")
    page = logged_in.post(f"/rounds/{round_id}/questions/1", data={"match-p1": "c2"}).get_data(
        as_text=True
    )
    assert '<option value="c2" selected>' in page


def test_another_learners_round_is_not_found_and_untouched(client, auth, app, user):
    with app.app_context():
        create_user("grace")
    round_id = a_round(app, "single", username="grace")
    auth.login("ada")
    assert client.get(f"/rounds/{round_id}/questions/1").status_code == 404
    assert client.post(f"/rounds/{round_id}/questions/1", data={"choice": "c1"}).status_code == 404
    assert client.get(f"/review/rounds/{round_id}").status_code == 404
    assert client.get(f"/rounds/{round_id}").status_code == 404
    assert count_answers(app) == 0


def test_missing_round_or_question_is_not_found(logged_in, app):
    round_id = a_round(app, "single")
    assert logged_in.get("/rounds/999/questions/1").status_code == 404
    response = logged_in.get(f"/rounds/{round_id}/questions/5")
    assert response.status_code == 404
    assert b"This round has no question 5." in response.data


@pytest.mark.parametrize(
    "path", ["/rounds/1", "/rounds/1/questions/1", "/review/scores", "/review/rounds/1"]
)
def test_anonymous_visitor_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_ordering_move_buttons_reorder_without_recording_an_answer(logged_in, app):
    round_id = a_round(app, "ordering")
    page = logged_in.post(
        f"/rounds/{round_id}/questions/1",
        data={"order": ["c1", "c2", "c3"], "move": "down:c1"},
    ).get_data(as_text=True)
    positions = [page.index(f'name="order" value="{c}"') for c in ("c2", "c1", "c3")]
    assert positions == sorted(positions)
    assert "Baker in Moscow moved down." in page
    assert count_answers(app) == 0


def test_finishing_a_round_records_score_and_shows_the_recap(logged_in, app):
    round_id = a_round(app, "single", "year", "ordering")
    logged_in.post(f"/rounds/{round_id}/questions/1", data={"choice": "c1"})
    logged_in.post(f"/rounds/{round_id}/questions/2", data={"year": "1991"})
    logged_in.post(f"/rounds/{round_id}/questions/3", data={"order": ["c3", "c2", "c1"]})
    last = logged_in.get(f"/rounds/{round_id}/questions/3").get_data(as_text=True)
    assert "See your results" in last
    recap = logged_in.get(f"/review/rounds/{round_id}").get_data(as_text=True)
    # 1 + 0 + 2/3 = 1.67 out of 3
    assert "1.67 out of 3" in recap
    assert recap.count("From the article, section") == 3
    scores = logged_in.get("/review/scores").get_data(as_text=True)
    assert "1.67 / 3" in scores and f"/review/rounds/{round_id}" in scores


def test_an_unfinished_round_resumes_after_logout_and_login(client, auth, app, user):
    auth.login()
    round_id = a_round(app, "single", "year")
    client.post(f"/rounds/{round_id}/questions/1", data={"choice": "c1"})
    auth.logout()
    auth.login()
    home = client.get("/").get_data(as_text=True)
    assert f'href="/rounds/{round_id}"' in home and "1 of 2 answered" in home
    assert (
        client.get(f"/rounds/{round_id}").headers["Location"] == f"/rounds/{round_id}/questions/2"
    )


def test_a_bad_answer_keeps_the_boxes_the_learner_had_ticked(logged_in, app):
    round_id = a_round(app, "multiple")
    page = logged_in.post(
        f"/rounds/{round_id}/questions/1", data={"choice": ["c1", "zz"]}
    ).get_data(as_text=True)
    assert 'id="choice-c1" value="c1" checked>' in page
    assert 'id="choice-c2" value="c2">' in page
    assert 'aria-describedby="answer-error"' in page


@pytest.mark.parametrize("move", ["up:bogus", "bogus", "down", "up:c1", "sideways:c2", ""])
def test_an_impossible_move_is_refused_with_a_message(logged_in, app, move):
    round_id = a_round(app, "ordering")
    response = logged_in.post(
        f"/rounds/{round_id}/questions/1", data={"order": ["c1", "c2", "c3"], "move": move}
    )
    assert response.status_code == 400
    assert "That item cannot move that way." in response.get_data(as_text=True)
    assert count_answers(app) == 0


def test_after_a_move_the_focus_stays_on_the_item_and_its_new_place_is_read_out(logged_in, app):
    round_id = a_round(app, "ordering")
    page = logged_in.post(
        f"/rounds/{round_id}/questions/1", data={"order": ["c1", "c2", "c3"], "move": "up:c2"}
    ).get_data(as_text=True)
    # c2 is now first: "Move up" is disabled, so the focus goes to its "Move down".
    focused = re.findall(r"<button[^>]*autofocus[^>]*>", page)
    assert len(focused) == 1
    assert 'value="down:c2"' in focused[0]
    assert 'aria-describedby="item-c2 order-status"' in focused[0]


@pytest.mark.parametrize("round_id", ["9223372036854775808", "100000000000000000000"])
def test_a_round_id_too_large_for_the_database_is_not_found(logged_in, round_id):
    assert logged_in.get(f"/rounds/{round_id}").status_code == 404
    assert logged_in.get(f"/review/rounds/{round_id}").status_code == 404
